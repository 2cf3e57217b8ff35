"""Fuzz every registered tool with ≥ 10,000 generated cases (random seed) and print the figures.

    .venv/bin/python bench/fuzz.py [--cases 10000] [--seed N]

Same generator and judge as tests/test_fuzz.py (which runs a small deterministic profile in `make test`):
valid arguments from each tool's inputSchema, and wrong ones (missing, unknown keys, wrong types, out of range,
null, nested garbage, huge strings, odd unicode), called through the in-process MCP client against the sandbox on a
loopback port. Exit status 1 when any case fails or any refused input sent an upstream request.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mcp import Client  # noqa: E402
from tests.conftest import LiveSandbox, make_settings  # noqa: E402
from tests.test_fuzz import fuzz_tools  # noqa: E402

from projectops_mcp.sandbox import LoopbackServer, Sandbox  # noqa: E402
from projectops_mcp.server import build_server, registered_tools  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="at least this many cases in total")
    parser.add_argument("--seed", type=int, default=None, help="deterministic generation (default: random)")
    args = parser.parse_args()
    tools = registered_tools()
    per_tool = math.ceil(args.cases / len(tools))

    sandbox = Sandbox()
    with LoopbackServer(sandbox.app) as loopback:
        live = LiveSandbox(sandbox, loopback.url)

        async def run():
            server = build_server(make_settings(live, projectops_max_retries=0))
            async with Client(server) as client:
                return await fuzz_tools(client, live, tools, per_tool, args.seed)

        started = time.monotonic()
        stats = anyio.run(run)
        elapsed = time.monotonic() - started

    print(f"tools:                          {len(tools)}")
    print(f"cases:                          {stats.cases}  ({per_tool} per tool, {elapsed:.0f}s)")
    print(f"invalid-input cases:            {stats.invalid}")
    print(f"upstream requests on invalid:   {stats.upstream_on_invalid}")
    print(f"failures:                       {len(stats.failures)}")
    for failure in stats.failures[:50]:
        print("  " + failure)
    return 1 if stats.failures or stats.upstream_on_invalid else 0


if __name__ == "__main__":
    raise SystemExit(main())
