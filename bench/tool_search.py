"""find_tools hit rates on bench/tool_requests.py (top-1 / top-3; targets 80% / 95%), and the o200k tokens a model
reads from tools/list in each mode (full, each profile, discovery; discovery target <= 2,000), in one run. The
floor printed next to the hit rates is what a plain word-overlap ranking (no synonyms, no verbs) reaches."""

from __future__ import annotations

import logging
import re

import anyio
from mcp import Client

from bench.tokens import figures
from bench.tool_requests import REQUESTS
from projectops_mcp.config import Settings
from projectops_mcp.profiles import PROFILES
from projectops_mcp.server import build_server


def _overlap_floor(tools: list) -> tuple[float, float]:
    """Top-1/top-3 of ranking by shared words alone: the baseline the real ranking must beat."""
    docs = {t.name: set(re.split(r"[^a-z0-9]+", f"{t.name} {t.title} {t.description}".lower())) for t in tools}
    top1 = top3 = 0
    for query, expected in REQUESTS:
        q = set(re.split(r"[^a-z0-9]+", query.lower()))
        ranked = sorted(docs, key=lambda n: (-len(q & docs[n]), n))
        top1 += ranked[0] == expected
        top3 += expected in ranked[:3]
    return top1 / len(REQUESTS), top3 / len(REQUESTS)


async def _listing(**settings) -> list:
    server = build_server(Settings(_env_file=None, projectops_sandbox=True, **settings))
    async with Client(server) as client:
        return (await client.list_tools()).tools


async def main() -> None:
    logging.getLogger("projectops_mcp").setLevel(logging.WARNING)
    full = await _listing()
    print(f"{'full':<12} {figures(full).line()}")
    for name in PROFILES:
        print(f"{name:<12} {figures(await _listing(projectops_profile=name)).line()}")
    discovery = figures(await _listing(projectops_discovery=True))
    print(f"{'discovery':<12} {discovery.line()}  (target <= 2,000 model-facing)")

    server = build_server(Settings(_env_file=None, projectops_sandbox=True, projectops_discovery=True))
    top1 = top3 = 0
    misses = []
    async with Client(server) as client:
        for query, expected in REQUESTS:
            result = await client.call_tool("find_tools", {"query": query, "limit": 3})
            names = [t["name"] for t in result.structured_content["tools"]]
            top1 += names[:1] == [expected]
            top3 += expected in names
            if names[:1] != [expected]:
                misses.append((query, expected, names))
    n = len(REQUESTS)
    floor1, floor3 = _overlap_floor(list(server.tools.values()))
    print(f"\nfind_tools on {n} requests: top-1 {top1 / n:.0%} (target >= 80%), top-3 {top3 / n:.0%} (target >= 95%)")
    print(f"word-overlap floor: top-1 {floor1:.0%}, top-3 {floor3:.0%}")
    print("not first:")
    for query, expected, names in misses:
        mark = "top-3" if expected in names else "MISS "
        print(f"  {mark} {query!r}: want {expected}, got {', '.join(names)}")


if __name__ == "__main__":
    anyio.run(main)
