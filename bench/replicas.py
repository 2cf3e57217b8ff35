"""Replicas: 1 vs 3 `serve --sandbox --transport http --stateless` processes sharing one Redis, calls/s and p50/p99,
beside the in-process floor (1 replica, no Redis) in the same run; then the limiter's own cost per upstream request,
in-process vs Redis (GCRA script + concurrency lease + release = three round trips).

    .venv/bin/python -m bench.replicas                    # 24 sessions x 40 calls per configuration
    .venv/bin/python -m bench.replicas --sessions 48 --calls 100

Sessions are spread round-robin over the replicas (what a load balancer without sticky sessions does). The rate
limit is opened wide, so the figures measure the machinery, not a wait. On a 2-core machine three replicas compete
for the same cores as the client: read the 3-replica line as "no slower", not as a scaling figure.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from tests.redis_server import RedisServer, free_port

from bench.load import CALLS, EXE, Result, percentile, server_env, session
from projectops_mcp.http import RateLimiter
from projectops_mcp.shared_state import SharedState


class Replicas:
    """`count` stateless sandbox servers, sharing `redis_url` when given."""

    def __init__(self, count: int, redis_url: str | None, folder: Path):
        env = server_env()
        env["PROJECTOPS_JOURNAL"] = str(folder / "journal.sqlite3")  # never the user's own (the calls are reads)
        if redis_url:
            env["PROJECTOPS_REDIS_URL"] = redis_url
        self.urls: list[str] = []
        self.procs: list[subprocess.Popen[bytes]] = []
        for _ in range(count):
            port = free_port()
            args = ["serve", "--sandbox", "--transport", "http", "--stateless", "--port", str(port)]
            self.procs.append(subprocess.Popen([EXE, *args], env=env))
            self.urls.append(f"http://127.0.0.1:{port}")

    async def __aenter__(self) -> Replicas:
        async with httpx2.AsyncClient() as http:
            for url in self.urls:
                for _ in range(600):
                    try:
                        if (await http.get(url + "/healthz")).status_code == 200:
                            break
                    except httpx2.TransportError:
                        await anyio.sleep(0.05)
                else:
                    raise RuntimeError(f"{url} did not come up")
        return self

    async def __aexit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(30)


async def run(count: int, redis_url: str | None, sessions: int, calls: int, folder: Path) -> Result:
    label = f"{count} replica{'s' if count > 1 else ''}, {'Redis' if redis_url else 'in-process (floor)'}"
    result = Result(f"{label:<28} {sessions} sessions x {calls} calls")
    plan = [CALLS[i % len(CALLS)] for i in range(calls)]
    async with Replicas(count, redis_url, folder) as replicas:

        async def one(index: int) -> None:
            url = replicas.urls[index % count]
            http = httpx2.AsyncClient(timeout=120)
            async with Client(streamable_http_client(url + "/mcp", http_client=http)) as client:
                await session(client, plan, index, result)

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for index in range(sessions):
                tg.start_soon(one, index)
        result.elapsed = time.perf_counter() - started
    result.report()
    return result


async def limiter_cost(redis_url: str, n: int = 2000) -> tuple[float, float]:
    """Seconds per upstream request spent in the limiter: acquire + concurrency slot, in-process vs Redis."""
    local = RateLimiter(1e9, 64, burst=1000)
    state = SharedState(redis_url)
    await state.start()
    shared = state.limiter("bench:" + "0" * 32, RateLimiter(1e9, 64, burst=1000))
    costs = []
    for limiter in (local, shared):
        started = time.perf_counter()
        for _ in range(n):
            await limiter.acquire()
            async with limiter.concurrency:
                pass
        costs.append((time.perf_counter() - started) / n)
    await state.aclose()
    return costs[0], costs[1]


def p50(result: Result) -> float:
    return statistics.median(result.latencies) if result.latencies else float("nan")


def p99(result: Result) -> float:
    return percentile(result.warm, 0.99)


async def main_async(sessions: int, calls: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        redis = RedisServer(Path(folder))
        redis.start()
        try:
            floor = await run(1, None, sessions, calls, Path(folder))
            one = await run(1, redis.url, sessions, calls, Path(folder))
            three = await run(3, redis.url, sessions, calls, Path(folder))
            local, shared = await limiter_cost(redis.url)
        finally:
            redis.stop()
    rate = {r.label: r.calls / r.elapsed for r in (floor, one, three)}
    print(
        f"Redis vs in-process, 1 replica: p50 {p50(one) / p50(floor):.2f}x "
        f"(+{(p50(one) - p50(floor)) * 1000:.1f} ms per call), p99 {p99(one) / p99(floor):.2f}x, "
        f"calls/s {rate[one.label] / rate[floor.label]:.2f}x"
    )
    print(
        f"3 vs 1 replica on Redis: calls/s {rate[three.label] / rate[one.label]:.2f}x, "
        f"p50 {p50(three) / p50(one):.2f}x, p99 {p99(three) / p99(one):.2f}x"
    )
    print(
        f"limiter per upstream request: in-process {local * 1e6:.0f} us, Redis {shared * 1e6:.0f} us "
        f"({shared / local:.0f}x; +{(shared - local) * 1000:.2f} ms)"
    )
    return 1 if floor.errors or one.errors or three.errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=24)
    parser.add_argument("--calls", type=int, default=40, help="calls per session")
    args = parser.parse_args()
    return anyio.run(main_async, args.sessions, args.calls)


if __name__ == "__main__":
    raise SystemExit(main())
