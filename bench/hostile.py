"""Hostile upstream: the server (streamable HTTP, subprocess, default limits) pointed at a Teamwork site that answers
a 100 MB list, an endless 200 stream, or a list just under the answer cap (the largest one the server parses).
Driven through the SDK client; prints, per answer, what the agent got, the server's peak RSS and /healthz latency
while the answer was being read, against the floor: the same server idle (after one ordinary call).

    .venv/bin/python bench/hostile.py [--concurrent 1] [--big-mb 100]

Targets (issue 12): peak RSS under 200 MiB, /healthz within 1 s throughout, a clear error for the agent. The
upstream runs in its own process (`--upstream PORT`), so its work does not share a GIL with the measurements.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import EXE, free_port, rss_kib  # noqa: E402
from projectops_mcp.sandbox.shapes import LIST_RECORD, stream_list  # noqa: E402

TOOL, ARGS = "teamwork_list_tags", {"page_size": 50}
DEFAULT_CAP_MIB = 16  # PROJECTOPS_MAX_RESPONSE_BYTES' default
ENDLESS_FOR = 120.0  # seconds: "endless" to a server with a 30 s deadline
TARGET_RSS_MIB, TARGET_HEALTHZ_S = 200, 1.0


# -- the upstream (its own process) ----------------------------------------------------------------------------------


def upstream_app(big_mb: int) -> Any:
    """A Teamwork site whose answer to every request is set with POST /_mode/<small|big|near_cap|endless>."""
    state = {"mode": "small"}

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"].startswith("/_mode/"):
            state["mode"] = scope["path"].removeprefix("/_mode/")
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        mode = state["mode"]
        if mode == "small":
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b'{"tags":[' + LIST_RECORD + b"]}"})
            return
        size = {"big": big_mb * 2**20, "near_cap": (DEFAULT_CAP_MIB - 1) * 2**20}.get(mode)
        await stream_list(receive, send, "tags", size, limit=ENDLESS_FOR)

    return app


def serve_upstream(port: int, big_mb: int) -> None:
    import logging

    import uvicorn

    logging.getLogger("asyncio").setLevel(logging.ERROR)  # writes after the server hung up are expected here

    uvicorn.run(upstream_app(big_mb), host="127.0.0.1", port=port, log_level="error", access_log=False)


# -- the measurements ------------------------------------------------------------------------------------------------


class Processes:
    """The upstream and the server, each a subprocess on a free loopback port."""

    def __init__(self, big_mb: int):
        self.up_port, self.port = free_port(), free_port()
        self.up_url, self.url = f"http://127.0.0.1:{self.up_port}", f"http://127.0.0.1:{self.port}"
        here = [sys.executable, str(Path(__file__).resolve())]
        self.upstream = subprocess.Popen([*here, "--upstream", str(self.up_port), "--big-mb", str(big_mb)])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTOPS_", "TEAMWORK_"))}
        env.update(TEAMWORK_SITE_URL=self.up_url, TEAMWORK_API_KEY="hostile-bench-key", PROJECTOPS_LOG_LEVEL="error")
        command = [EXE, "serve", "--transport", "http", "--port", str(self.port)]
        self.server = subprocess.Popen(command, env=env, cwd=ROOT)

    async def __aenter__(self) -> Processes:
        async with httpx2.AsyncClient() as http:
            for url in (self.up_url + "/_mode/small", self.url + "/healthz"):
                for _ in range(600):
                    try:
                        await (http.post(url) if "_mode" in url else http.get(url))
                        break
                    except httpx2.TransportError:
                        await anyio.sleep(0.05)
                else:
                    raise RuntimeError(f"{url} did not come up")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.terminate()
        self.server.wait(30)
        self.upstream.kill()  # it may still be streaming the endless answer
        self.upstream.wait(30)


class Phase:
    def __init__(self, label: str):
        self.label = label
        self.healthz: list[float] = []
        self.healthz_failures = 0
        self.rss_kib: list[int] = []
        self.hwm_kib = 0
        self.answers: list[str] = []
        self.call_seconds: list[float] = []

    def report(self, floor: Phase | None) -> None:
        worst = max(self.healthz, default=0.0)
        peak = self.hwm_kib / 1024
        print(f"{self.label}:")
        if self.answers:
            calls = ", ".join(f"{s:.1f}" for s in self.call_seconds)
            print(f"  agent got ({len(self.answers)} calls, {calls} s): {self.answers[0]}")
        ordered = sorted(self.healthz)
        p50 = ordered[len(ordered) // 2] if ordered else 0.0
        print(
            f"  /healthz while reading: {len(self.healthz)} probes, median {p50 * 1000:.1f} ms, worst "
            f"{worst * 1000:.1f} ms, {self.healthz_failures} failed (target <= {TARGET_HEALTHZ_S:g} s)"
        )
        print(f"  server peak RSS {peak:.1f} MiB (target < {TARGET_RSS_MIB} MiB)")
        if floor is not None:
            floor_peak = floor.hwm_kib / 1024
            floor_worst = max(floor.healthz, default=0.0)
            healthz_ratio = f"{worst / floor_worst:.1f}x" if floor_worst else "n/a"
            print(f"  vs floor: peak RSS {peak / floor_peak:.2f}x, worst /healthz {healthz_ratio}")


async def probe(url: str, phase: Phase, pid: int, stop: anyio.Event) -> None:
    """/healthz every 50 ms (each with a 5 s ceiling) and the server's RSS, until `stop`."""
    async with httpx2.AsyncClient(timeout=5.0) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = await http.get(url + "/healthz")
                response.raise_for_status()
                phase.healthz.append(time.perf_counter() - started)
            except httpx2.HTTPError:
                phase.healthz_failures += 1
            phase.rss_kib.append(rss_kib(pid))
            await anyio.sleep(0.05)


async def run_phase(procs: Processes, label: str, mode: str | None, concurrent: int) -> Phase:
    phase = Phase(label)
    async with httpx2.AsyncClient() as http:
        await http.post(procs.up_url + f"/_mode/{mode or 'small'}")
    stop = anyio.Event()
    async with anyio.create_task_group() as tg:
        tg.start_soon(probe, procs.url, phase, procs.server.pid, stop)
        if mode is None:
            await anyio.sleep(3.0)  # idle
        else:

            async def agent() -> None:
                http = httpx2.AsyncClient(timeout=120)
                async with Client(streamable_http_client(procs.url + "/mcp", http_client=http)) as client:
                    started = time.perf_counter()
                    result = await client.call_tool(TOOL, ARGS)
                    phase.call_seconds.append(time.perf_counter() - started)
                    text = result.content[0].text if result.content else ""
                    items = len((result.structured_content or {}).get("items", []))
                    shown = f"isError: {text[:300]}" if result.is_error else f"success, {items} items"
                    phase.answers.append(shown)

            async with anyio.create_task_group() as agents:
                for _ in range(concurrent):
                    agents.start_soon(agent)
        stop.set()
    phase.hwm_kib = rss_kib(procs.server.pid, "VmHWM")
    return phase


async def bench(concurrent: int, big_mb: int) -> int:
    async with Processes(big_mb) as procs:
        warm = await run_phase(procs, "warm-up: one ordinary call (1 tag)", "small", 1)
        floor = await run_phase(procs, "floor: the same server idle, after the warm-up", None, 0)
        print(f"(warm-up answer: {warm.answers[0]})")
        floor.report(None)
        phases = [
            (f"{big_mb} MB list answer, no Content-Length", "big"),
            ("endless 200 stream", "endless"),
            (f"a {DEFAULT_CAP_MIB - 1} MiB list (just under the cap: parsed, page_size kept)", "near_cap"),
        ]
        missed = 0
        for label, mode in phases:
            phase = await run_phase(procs, f"{label}, {concurrent} concurrent call(s)", mode, concurrent)
            phase.report(floor)
            missed += phase.hwm_kib / 1024 >= TARGET_RSS_MIB or max(phase.healthz, default=0) > TARGET_HEALTHZ_S
            missed += phase.healthz_failures > 0
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=1, help="agents calling at once in each phase")
    parser.add_argument("--big-mb", type=int, default=100)
    parser.add_argument("--upstream", type=int, help=argparse.SUPPRESS)  # internal: serve the upstream on this port
    args = parser.parse_args()
    if args.upstream:
        serve_upstream(args.upstream, args.big_mb)
        return 0
    return anyio.run(bench, args.concurrent, args.big_mb)


if __name__ == "__main__":
    raise SystemExit(main())
