"""The floor: a one-tool server on the official SDK that sends the same upstream GETs as our benchmarked tools,
with none of our machinery. `bench/overhead.py` and `bench/load.py` run it in the same run and print our ratio.

    python -m bench.floor --port 8123 [--stateless]    # streamable HTTP on 127.0.0.1, simulators in-process
"""

from __future__ import annotations

import argparse
import base64
import logging
from typing import Any

import httpx2
from mcp.server.mcpserver import MCPServer

from projectops_mcp import sandbox as sb

AUTH = {
    "projectworks": sb.SANDBOX_PROJECTWORKS_KEY + ":" + sb.SANDBOX_PROJECTWORKS_SECRET,
    "teamwork": sb.SANDBOX_TEAMWORK_API_KEY + ":X",
}


def build(base_urls: dict[str, str], transport: httpx2.AsyncBaseTransport | None = None) -> MCPServer:
    server = MCPServer("floor", log_level="WARNING")
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # as our server does: no log line per request
    upstream = httpx2.AsyncClient(transport=transport)

    @server.tool(name="get", description="Send these GETs to the backends; return their answers.")
    async def get(requests: list[dict[str, Any]]) -> dict[str, Any]:
        answers = []
        for r in requests:
            auth = "Basic " + base64.b64encode(AUTH[r["backend"]].encode()).decode()
            url = base_urls[r["backend"]] + r["path"]
            response = await upstream.get(url, params=r["params"], headers={"Authorization": auth})
            response.raise_for_status()
            answers.append(response.json())
        return {"answers": answers}

    return server


async def upstream_of(calls: list[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """What each of our calls sends upstream once warm (its second call: reference caches filled), as recorded by
    the simulators: the floor's `get` is then given exactly that."""
    from mcp import Client

    from projectops_mcp.config import Settings
    from projectops_mcp.server import build_server

    logging.getLogger("projectops_mcp").setLevel(logging.WARNING)
    sandbox = sb.Sandbox()
    sims = {"projectworks": sandbox.projectworks, "teamwork": sandbox.teamwork}
    found: dict[str, list[dict[str, Any]]] = {}
    async with Client(build_server(Settings(_env_file=None), sandbox=sandbox)) as client:
        for name, args in calls:
            await client.call_tool(name, args)
            for sim in sims.values():
                sim.requests.clear()
            assert not (await client.call_tool(name, args)).is_error, name
            found[name] = [
                {"backend": backend, "path": r.path, "params": [list(pair) for pair in r.query]}
                for backend, sim in sims.items()
                for r in sim.requests
            ]
    return found


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stateless", action="store_true")
    args = parser.parse_args()
    urls = {"projectworks": sb.SANDBOX_PROJECTWORKS_URL, "teamwork": sb.SANDBOX_TEAMWORK_URL}
    app = build(urls, sb.Sandbox().transport()).streamable_http_app(stateless_http=args.stateless, host="127.0.0.1")
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
