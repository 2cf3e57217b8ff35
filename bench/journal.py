"""What the write journal and the duplicate guard cost per write call: `teamwork_create_task` (a guarded create:
claim, journal record, settle, complete, each a SQLite statement off the event loop) with the journal on a real
file, against the same calls with PROJECTOPS_JOURNAL=off (the floor), alternating call by call so that load from
elsewhere on the machine hits both alike. In-process client; the simulator runs in its own process on loopback, as
a real upstream would (in this process its thread would compete for the GIL with the journal's worker thread and
inflate the cost). Prints both medians and the ratio."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.server import build_server

BLOCK = 1  # calls per turn: alternate on/off call by call
SIMULATOR = (
    "import sys, time\n"
    "from projectops_mcp.sandbox import LoopbackServer, Sandbox\n"
    "with LoopbackServer(Sandbox().app, port=int(sys.argv[1])):\n"
    "    print('ready', flush=True)\n"
    "    time.sleep(3600)\n"
)


@contextmanager
def simulator() -> Iterator[str]:
    """Both simulators, served by a separate process on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", SIMULATOR, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def settings(url: str, journal: str) -> Settings:
    return Settings(
        _env_file=None,
        teamwork_site_url=url,
        teamwork_api_key="bench-tw-key",
        projectworks_consumer_key="bench-key",
        projectworks_consumer_secret="bench-secret",
        projectworks_base_url=url + "/api/v1",
        projectops_teamwork_rps=100000,
        projectops_rate_burst=100000,
        projectops_log_level="warning",
        projectops_journal=journal,
    )


async def timed_block(client: Client, label: str, start: int, samples: list[float]) -> None:
    for i in range(start, start + BLOCK):
        began = time.perf_counter()
        result = await client.call_tool("teamwork_create_task", {"tasklist_id": 1302, "name": f"{label} task {i}"})
        samples.append(time.perf_counter() - began)
        assert not result.is_error, result.content[0].text


async def main(calls: int) -> None:
    on: list[float] = []
    off: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, simulator() as upstream:
        journal = Path(tmp) / "journal.sqlite3"
        with_journal = build_server(settings(upstream, str(journal)))
        without = build_server(settings(upstream, "off"))
        async with Client(with_journal) as client_on, Client(without) as client_off:
            for i in range(10):
                await timed_block(client_on, "warm-on", i, [])
                await timed_block(client_off, "warm-off", i, [])
            for start in range(0, calls, BLOCK):
                await timed_block(client_on, "on", start, on)
                await timed_block(client_off, "off", start, off)
        size = journal.stat().st_size + sum(p.stat().st_size for p in journal.parent.glob("journal.sqlite3-*"))
    m_on, m_off = statistics.median(on), statistics.median(off)
    print(f"teamwork_create_task, journal off (floor):   median {m_off * 1000:.2f} ms (n={len(off)})")
    print(f"teamwork_create_task, journal + guard (WAL): median {m_on * 1000:.2f} ms (n={len(on)})")
    print(f"cost per write call: {(m_on - m_off) * 1000:+.2f} ms, ratio {m_on / m_off:.2f}x the journal-off call")
    print(f"journal file after {len(on) + 10} writes: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 300)
