"""tools/list weight: bytes on the wire and approximate tokens per tool (4 characters ~ 1 token), with and without
output schemas (clients that only show the model name+description+inputSchema pay the smaller figure)."""

from __future__ import annotations

import json
import statistics

import anyio
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.server import build_server


def tokens(text: str) -> int:
    return max(1, round(len(text) / 4))


async def main() -> None:
    server = build_server(Settings(_env_file=None, projectops_sandbox=True))
    async with Client(server) as client:
        listing = await client.list_tools()
    full = [json.dumps(t.model_dump(by_alias=True, exclude_none=True), separators=(",", ":")) for t in listing.tools]
    model_facing = [
        json.dumps({"name": t.name, "description": t.description, "inputSchema": t.input_schema}, separators=(",", ":"))
        for t in listing.tools
    ]
    total = sum(len(s) for s in full)
    print(f"tools: {len(full)}")
    print(f"tools/list payload: {total:,} bytes, ~{tokens(''.join(full)):,} tokens")
    print(
        f"per tool (full, incl. outputSchema+annotations): median ~{statistics.median(map(tokens, full)):.0f} tokens, "
        f"max ~{max(map(tokens, full))}"
    )
    print(
        f"per tool (name+description+inputSchema): median ~{statistics.median(map(tokens, model_facing)):.0f} "
        f"tokens (target <= 120), max ~{max(map(tokens, model_facing))}"
    )
    heaviest = sorted(zip(map(tokens, model_facing), (t.name for t in listing.tools), strict=True), reverse=True)[:5]
    print("heaviest (model-facing): " + ", ".join(f"{name} ~{n}" for n, name in heaviest))


if __name__ == "__main__":
    anyio.run(main)
