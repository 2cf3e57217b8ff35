"""Per-call overhead: a tool call over streamable HTTP against the sandbox versus a direct httpx call to the same
simulator endpoint (what the tool itself sends). Both run on 127.0.0.1 in this process's neighbourhood."""

from __future__ import annotations

import base64
import statistics
import sys
import time

import anyio
import httpx2
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.sandbox import LoopbackServer, Sandbox
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app


async def main(calls: int) -> None:
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
            projectops_log_level="warning",
        )
        app = build_http_app(build_server(settings), transport="http", stateless=False)
        with LoopbackServer(app, lifespan="on") as mcp_server:
            auth = "Basic " + base64.b64encode(b"bench-key:bench-secret").decode()
            async with httpx2.AsyncClient(headers={"Authorization": auth}) as http:
                direct = []
                for _ in range(calls):
                    started = time.perf_counter()
                    response = await http.get(upstream.url + "/api/v1/Users/Roles", params={"page": 1, "pageSize": 50})
                    response.raise_for_status()
                    direct.append(time.perf_counter() - started)
            async with Client(mcp_server.url + "/mcp") as client:
                await client.call_tool("projectworks_list_roles", {})
                via_mcp = []
                for _ in range(calls):
                    started = time.perf_counter()
                    result = await client.call_tool("projectworks_list_roles", {})
                    assert not result.is_error
                    via_mcp.append(time.perf_counter() - started)
    d, m = statistics.median(direct), statistics.median(via_mcp)
    print(f"direct httpx GET /Users/Roles: median {d * 1000:.2f} ms")
    print(f"MCP tools/call (streamable HTTP) projectworks_list_roles: median {m * 1000:.2f} ms")
    print(f"overhead per call: {(m - d) * 1000:.2f} ms ({m / d:.1f}x the direct call), n={calls}")


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 300)
