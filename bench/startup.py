"""Cold start: spawn -> initialize -> tools/list over stdio, for projectops-mcp (sandbox, every tool) and for a
minimal one-tool MCPServer in the same run. Prints both and their ratio (target: <= 1.25x)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

from bench._common import PYTHON, sandbox_env, summary

MINIMAL = textwrap.dedent(
    """
    from mcp.server.mcpserver import MCPServer
    server = MCPServer("minimal")

    @server.tool(name="echo", description="Echo a word.")
    async def echo(word: str) -> str:
        return word

    server.run()
    """
)


async def cold_start(params: StdioServerParameters) -> tuple[float, int]:
    started = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        listing = await client.list_tools()
    return time.perf_counter() - started, len(listing.tools)


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL)
        ours = StdioServerParameters(command=PYTHON, args=["-m", "projectops_mcp", "serve"], env=sandbox_env())
        base = StdioServerParameters(command=PYTHON, args=[str(minimal)], env=sandbox_env())
        ours_samples, base_samples, tools = [], [], 0
        for _ in range(rounds):  # interleaved, so machine noise hits both alike
            t, tools = await cold_start(ours)
            ours_samples.append(t)
            base_samples.append((await cold_start(base))[0])
    ratio = statistics.median(ours_samples) / statistics.median(base_samples)
    print(f"cold start, projectops-mcp ({tools} tools): {summary(ours_samples)}")
    print(f"cold start, one-tool MCPServer:            {summary(base_samples)}")
    print(f"ratio (median): {ratio:.2f}x  (target <= 1.25x)")


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 7)
