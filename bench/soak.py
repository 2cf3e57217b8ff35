"""Soak: 20,000 tool calls in rounds of fresh streamable-HTTP sessions against one server subprocess; prints the
server's RSS after each round and the growth from the end of the first (warm-up) round to the end.

    .venv/bin/python bench/soak.py [--calls 20000] [--sessions 20] [--stateless]

New sessions every round, so leaked sessions, per-call clients or per-account state would show as growth.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import HttpServer, Result, rss_kib, session  # noqa: E402

ROUNDS = 10


async def soak(calls: int, sessions: int, stateless: bool) -> tuple[Result, list[int]]:
    result = Result()
    per_session = max(1, calls // (ROUNDS * sessions))
    samples: list[int] = []
    async with HttpServer(stateless) as server:
        started = time.perf_counter()
        for round_no in range(ROUNDS):

            async def one(index: int) -> None:
                http = httpx2.AsyncClient(timeout=120)
                async with Client(streamable_http_client(server.url + "/mcp", http_client=http)) as client:
                    await session(client, per_session, index, result)

            async with anyio.create_task_group() as tg:
                for index in range(sessions):
                    tg.start_soon(one, index)
            samples.append(rss_kib(server.proc.pid))
            done = (round_no + 1) * per_session * sessions
            print(f"after {done:>6} calls: RSS {samples[-1] / 1024:.1f} MiB, {len(result.errors)} errors", flush=True)
        result.report(time.perf_counter() - started, "soak", server.proc.pid)
    return result, samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--stateless", action="store_true")
    args = parser.parse_args()
    result, samples = anyio.run(soak, args.calls, args.sessions, args.stateless)
    growth = (samples[-1] - samples[0]) / 1024
    print(f"RSS growth after warm-up (round 1 -> round {ROUNDS}): {growth:+.1f} MiB")
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
