"""Load: concurrent streamable-HTTP sessions against `projectops-mcp serve --sandbox` in a subprocess, then the same
sessions against the floor (`bench/floor.py`: a one-tool SDK server sending the same upstream GETs) in the same
run; or one stdio connection. Prints errors, p50, p99 from each session's 10th call on (warm), first-call
latency, calls/s, server CPU per call, peak RSS, and our ratio to the floor.

    .venv/bin/python bench/load.py                    # 50 sessions x 200 calls, stateful streamable HTTP
    .venv/bin/python bench/load.py --stateless        # the same, stateless (multi-replica mode)
    .venv/bin/python bench/load.py --default-limits   # the default rate limiter: what it lets through
    .venv/bin/python bench/load.py --stdio --calls 1000

Unless --default-limits, the client-side rate limiter is opened wide (the simulators have no limit to respect),
so the figures measure the server: MCP framing, validation, the per-call client, the HTTP machinery, the
simulators (in-process in both servers).
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
from typing import Any

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import floor  # noqa: E402

EXE = str(Path(sys.executable).with_name("projectops-mcp"))
# A mix of reads on both backends, v1 and v3 Teamwork routes, cached and uncached Projectworks lookups.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("projectworks_list_roles", {}),
    ("teamwork_list_tags", {}),
    ("projectworks_list_users", {"page_size": 5}),
    ("teamwork_list_tasks", {"page_size": 5}),
]
WARM_FROM = 9  # index of each session's 10th call
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_env(default_limits: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROJECTOPS_")}
    env["PROJECTOPS_LOG_LEVEL"] = "warning"
    if not default_limits:
        env.update(
            PROJECTOPS_TEAMWORK_RPS="1000000",
            PROJECTOPS_PROJECTWORKS_RPS="1000000",
            PROJECTOPS_RATE_BURST="1000",
            PROJECTOPS_MAX_CONCURRENCY="256",
        )
    return env


def rss_kib(pid: int, field_name: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (VmHWM is the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpServer:
    """A server subprocess on a free loopback port, for the duration of a block: ours or the floor."""

    def __init__(self, kind: str, stateless: bool, default_limits: bool):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.kind = kind
        extra = ["--stateless"] if stateless else []
        if kind == "ours":
            command = [EXE, "serve", "--sandbox", "--transport", "http", "--port", str(self.port), *extra]
        else:
            command = [sys.executable, "-m", "bench.floor", "--port", str(self.port), *extra]
        self.proc = subprocess.Popen(command, env=server_env(default_limits), cwd=ROOT)

    async def __aenter__(self) -> HttpServer:
        async with httpx2.AsyncClient() as http:
            for _ in range(600):
                try:
                    await http.get(self.url + "/healthz")
                    return self
                except httpx2.TransportError:
                    await anyio.sleep(0.05)
        raise RuntimeError(f"the {self.kind} server did not come up")

    async def __aexit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(30)


@dataclass
class Result:
    label: str
    latencies: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)  # from each session's 10th call on
    first: list[float] = field(default_factory=list)  # each session's first call
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: float = 0.0  # server CPU seconds over the run
    peak_kib: int = 0

    @property
    def calls(self) -> int:
        return len(self.latencies) + len(self.errors)

    def figures(self) -> dict[str, float]:
        return {
            "p50": statistics.median(self.latencies) * 1000 if self.latencies else 0.0,
            "p99_warm": percentile(self.warm, 0.99) * 1000,
            "first": statistics.median(self.first) * 1000 if self.first else 0.0,
            "first_max": max(self.first, default=0.0) * 1000,
            "cpu_per_call": self.cpu / max(1, self.calls) * 1000,
            "rate": self.calls / self.elapsed if self.elapsed else 0.0,
        }

    def report(self) -> None:
        f = self.figures()
        print(
            f"{self.label}: {self.calls} calls, {len(self.errors)} errors, p50 {f['p50']:.1f} ms, "
            f"p99 (10th call on) {f['p99_warm']:.1f} ms, first call median {f['first']:.1f} ms / max "
            f"{f['first_max']:.1f} ms, {f['rate']:.0f} calls/s"
        )
        if self.cpu:
            print(f"  server CPU {f['cpu_per_call']:.2f} ms per call, peak RSS {self.peak_kib / 1024:.1f} MiB")
        for error in self.errors[:10]:
            print("  error:", error)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


async def session(client: Client, plan: list[tuple[str, dict[str, Any]]], offset: int, result: Result) -> None:
    await client.list_tools()
    for i in range(len(plan)):
        name, args = plan[(offset + i) % len(plan)]
        started = time.perf_counter()
        try:
            out = await client.call_tool(name, args)
        except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
            result.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        took = time.perf_counter() - started
        if out.is_error:
            result.errors.append(f"{name}: {out.content[0].text[:200]}")
            continue
        result.latencies.append(took)
        (result.first if i == 0 else result.warm if i >= WARM_FROM else []).append(took)


async def run_http(kind: str, sessions: int, calls: int, stateless: bool, default_limits: bool) -> Result:
    mode = "stateless" if stateless else "stateful"
    result = Result(f"{kind}: streamable HTTP ({mode}), {sessions} sessions x {calls} calls")
    if kind == "ours":
        plan = [CALLS[i % len(CALLS)] for i in range(calls)]
    else:
        upstream = await floor.upstream_of(CALLS)
        plan = [("get", {"requests": upstream[CALLS[i % len(CALLS)][0]]}) for i in range(calls)]
    async with HttpServer(kind, stateless, default_limits) as server:

        async def one(index: int) -> None:
            http = httpx2.AsyncClient(timeout=120)
            async with Client(streamable_http_client(server.url + "/mcp", http_client=http)) as client:
                await session(client, plan, index, result)

        cpu = cpu_seconds(server.proc.pid)
        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for index in range(sessions):
                tg.start_soon(one, index)
        result.elapsed = time.perf_counter() - started
        result.cpu = cpu_seconds(server.proc.pid) - cpu
        result.peak_kib = rss_kib(server.proc.pid, "VmHWM")
    result.report()
    return result


async def run_stdio(calls: int) -> Result:
    result = Result("stdio, 1 connection, sequential")
    params = StdioServerParameters(command=EXE, args=["serve", "--sandbox"], env=server_env())
    plan = [CALLS[i % len(CALLS)] for i in range(calls)]
    async with Client(params) as client:
        started = time.perf_counter()
        await session(client, plan, 0, result)
        result.elapsed = time.perf_counter() - started
    result.report()
    return result


def ratios(ours: Result, base: Result) -> None:
    o, b = ours.figures(), base.figures()
    parts = [
        f"{name} {o[key] / b[key]:.2f}x"
        for name, key in (
            ("CPU per call", "cpu_per_call"),
            ("p99 (10th call on)", "p99_warm"),
            ("p50", "p50"),
            ("first call", "first"),
        )
        if b[key]
    ]
    print("ours / floor: " + ", ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200, help="calls per session")
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--default-limits", action="store_true", help="keep the default client-side rate limits")
    parser.add_argument("--stdio", action="store_true", help="one stdio connection, sequential calls")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor server")
    args = parser.parse_args()
    if args.stdio:
        return 1 if anyio.run(run_stdio, args.calls).errors else 0
    ours = anyio.run(run_http, "ours", args.sessions, args.calls, args.stateless, args.default_limits)
    if args.no_floor:
        return 1 if ours.errors else 0
    base = anyio.run(run_http, "floor", args.sessions, args.calls, args.stateless, args.default_limits)
    ratios(ours, base)
    return 1 if ours.errors or base.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
