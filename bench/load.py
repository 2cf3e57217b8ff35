"""Load: concurrent streamable-HTTP sessions against `projectops-mcp serve --sandbox` in a subprocess, or one stdio
connection; prints errors, p50/p99 latency, calls/s and the server's peak RSS.

    .venv/bin/python bench/load.py                    # 50 sessions x 200 calls, stateful streamable HTTP
    .venv/bin/python bench/load.py --stateless        # the same, stateless (multi-replica mode)
    .venv/bin/python bench/load.py --stdio --calls 1000

The client-side rate limiter is opened wide (the sandbox has no upstream limit to respect), so the figures measure
the server: MCP framing, validation, the per-call client, the HTTP machinery and the simulators.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

EXE = str(Path(sys.executable).with_name("projectops-mcp"))
# A mix of reads on both backends, v1 and v3 Teamwork routes, cached and uncached Projectworks lookups.
CALLS = [
    ("projectworks_list_roles", {}),
    ("teamwork_list_tags", {}),
    ("projectworks_list_users", {"page_size": 5}),
    ("teamwork_list_tasks", {"page_size": 5}),
]


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROJECTOPS_")}
    env.update(
        PROJECTOPS_TEAMWORK_RPS="1000000",
        PROJECTOPS_PROJECTWORKS_RPS="1000000",
        PROJECTOPS_RATE_BURST="1000",
        PROJECTOPS_MAX_CONCURRENCY="256",
        PROJECTOPS_LOG_LEVEL="warning",
    )
    return env


def rss_kib(pid: int, field_name: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (VmHWM is the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpServer:
    """`projectops-mcp serve --sandbox --transport http` on a free loopback port, for the duration of a block."""

    def __init__(self, stateless: bool):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--sandbox", "--transport", "http", "--port", str(self.port)]
        self.proc = subprocess.Popen([EXE, *args, *(["--stateless"] if stateless else [])], env=server_env())

    async def __aenter__(self) -> HttpServer:
        async with httpx2.AsyncClient() as http:
            for _ in range(600):
                try:
                    if (await http.get(self.url + "/healthz")).status_code == 200:
                        return self
                except httpx2.TransportError:
                    await anyio.sleep(0.05)
        raise RuntimeError("the server did not come up")

    async def __aexit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(30)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def report(self, elapsed: float, label: str, pid: int | None) -> None:
        lat = sorted(self.latencies)
        n = len(lat) + len(self.errors)
        p50 = statistics.median(lat) * 1000 if lat else 0
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0
        print(
            f"{label}: {n} calls, {len(self.errors)} errors, "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {n / elapsed:.0f} calls/s"
        )
        if pid is not None:
            print(f"  server RSS now {rss_kib(pid) / 1024:.1f} MiB, peak {rss_kib(pid, 'VmHWM') / 1024:.1f} MiB")
        for error in self.errors[:10]:
            print("  error:", error)


async def session(client: Client, calls: int, offset: int, result: Result) -> None:
    await client.list_tools()
    for i in range(calls):
        name, args = CALLS[(offset + i) % len(CALLS)]
        started = time.perf_counter()
        try:
            out = await client.call_tool(name, args)
        except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
            result.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if out.is_error:
            result.errors.append(f"{name}: {out.content[0].text[:200]}")
        else:
            result.latencies.append(time.perf_counter() - started)


async def run_http(sessions: int, calls: int, stateless: bool) -> tuple[Result, float, int]:
    result = Result()
    async with HttpServer(stateless) as server:

        async def one(index: int) -> None:
            http = httpx2.AsyncClient(timeout=120)
            async with Client(streamable_http_client(server.url + "/mcp", http_client=http)) as client:
                await session(client, calls, index, result)

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for index in range(sessions):
                tg.start_soon(one, index)
        elapsed = time.perf_counter() - started
        peak = rss_kib(server.proc.pid, "VmHWM")
        result.report(
            elapsed,
            f"streamable HTTP ({'stateless' if stateless else 'stateful'}), {sessions} sessions",
            server.proc.pid,
        )
    return result, elapsed, peak


async def run_stdio(calls: int) -> Result:
    result = Result()
    params = StdioServerParameters(command=EXE, args=["serve", "--sandbox"], env=server_env())
    async with Client(params) as client:
        started = time.perf_counter()
        await session(client, calls, 0, result)
        result.report(time.perf_counter() - started, "stdio, 1 connection, sequential", None)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200, help="calls per session")
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--stdio", action="store_true", help="one stdio connection, sequential calls")
    args = parser.parse_args()
    if args.stdio:
        result = anyio.run(run_stdio, args.calls)
    else:
        result, _, _ = anyio.run(run_http, args.sessions, args.calls, args.stateless)
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
