"""tools/list weight in o200k tokens: what a model reads per tool (name + description + inputSchema, compact JSON)
and the whole listing with output schemas. Targets (issue 11): median <= 120 tokens per tool, none over 600."""

from __future__ import annotations

import anyio
from mcp import Client

from bench.tokens import count, figures, model_facing
from projectops_mcp.config import Settings
from projectops_mcp.server import build_server


async def main() -> None:
    server = build_server(Settings(_env_file=None, projectops_sandbox=True))
    async with Client(server) as client:
        listing = (await client.list_tools()).tools
    fig = figures(listing)
    print(f"full mode: {fig.line()}")
    print(f"per tool: median {fig.median:.0f} tokens (target <= 120), max {fig.max} (target <= 600)")
    heaviest = sorted(((count(model_facing(t)), t.name) for t in listing), reverse=True)[:5]
    print("heaviest: " + ", ".join(f"{name} {n}" for n, name in heaviest))


if __name__ == "__main__":
    anyio.run(main)
