"""Per-call overhead in one process: a tool call over streamable HTTP to our server, and the same upstream GET
through the floor (a one-tool SDK server, `bench/floor.py`), both against the simulators on loopback, plus the
bare GET. Prints median latency and CPU per call (this whole process: client, server and simulators) and our
ratio to the floor.

    .venv/bin/python bench/overhead.py [calls]       # default 300 calls each, in interleaved blocks of 50
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import httpx2
from mcp import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import floor  # noqa: E402
from projectops_mcp.config import Settings  # noqa: E402
from projectops_mcp.sandbox import LoopbackServer, Sandbox  # noqa: E402
from projectops_mcp.server import build_server  # noqa: E402
from projectops_mcp.transports import build_http_app  # noqa: E402

TOOL = ("projectworks_list_roles", {})
BLOCK = 50


class Samples:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.cpu = 0.0

    async def run(self, n: int, one: Callable[[], Awaitable[None]]) -> None:
        cpu = time.process_time()
        for _ in range(n):
            started = time.perf_counter()
            await one()
            self.latencies.append(time.perf_counter() - started)
        self.cpu += time.process_time() - cpu

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def cpu_ms(self) -> float:
        return self.cpu / len(self.latencies) * 1000


async def main(calls: int) -> None:
    (upstream_requests,) = (await floor.upstream_of([TOOL])).values()
    sandbox = Sandbox()
    with LoopbackServer(sandbox.app) as upstream:
        settings = Settings(
            _env_file=None,
            projectworks_base_url=upstream.url + "/api/v1",
            projectworks_consumer_key="bench-key",
            projectworks_consumer_secret="bench-secret",
            teamwork_site_url=upstream.url,
            teamwork_api_key="bench-tw",
            projectops_projectworks_rps=100000,
            projectops_rate_burst=1000,
            projectops_log_level="warning",
        )
        ours_app = build_http_app(build_server(settings), transport="http", stateless=False)
        urls = {"projectworks": upstream.url + "/api/v1", "teamwork": upstream.url}
        floor_app = floor.build(urls).streamable_http_app(host="127.0.0.1")
        auth = "Basic " + base64.b64encode(b"bench-key:bench-secret").decode()
        direct, ours, base = Samples(), Samples(), Samples()
        with LoopbackServer(ours_app, lifespan="on") as ours_server, LoopbackServer(floor_app, lifespan="on") as fl:
            async with (
                httpx2.AsyncClient(headers={"Authorization": auth}) as http,
                Client(ours_server.url + "/mcp") as ours_client,
                Client(fl.url + "/mcp") as floor_client,
            ):

                async def bare() -> None:
                    response = await http.get(upstream.url + "/api/v1/Users/Roles", params={"page": 1, "pageSize": 50})
                    response.raise_for_status()

                async def via_ours() -> None:
                    assert not (await ours_client.call_tool(*TOOL)).is_error

                async def via_floor() -> None:
                    assert not (await floor_client.call_tool("get", {"requests": upstream_requests})).is_error

                for one in (bare, via_ours, via_floor):  # warm every path once
                    await one()
                for _ in range(max(1, calls // BLOCK)):  # interleaved blocks, so machine noise hits all alike
                    await direct.run(BLOCK, bare)
                    await ours.run(BLOCK, via_ours)
                    await base.run(BLOCK, via_floor)
    n = len(ours.latencies)
    for label, samples in (
        ("bare GET /Users/Roles", direct),
        ("floor (one-tool SDK server, same GET)", base),
        ("projectops-mcp projectworks_list_roles", ours),
    ):
        print(f"{label + ':':42} median {samples.median_ms:.2f} ms, CPU {samples.cpu_ms:.2f} ms/call")
    print(
        f"ours / floor: latency {ours.median_ms / base.median_ms:.2f}x, CPU per call {ours.cpu_ms / base.cpu_ms:.2f}x "
        f"(+{ours.cpu_ms - base.cpu_ms:.2f} ms CPU per call), n={n} each"
    )


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 300)
