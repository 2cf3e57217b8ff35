"""Bounded reading (issue 12), each attack reproduced on loopback: a 100 MB list answer and an endless 200 stream
(which took the server to 7.8 and 9.9 GiB and stalled /healthz for 85 s), 5,000 records for page_size 50, and a
redirecting proxy in front of writes (which reported success while nothing was applied). Peak RSS and the 1 s
/healthz target are measured by bench/hostile.py; here they are asserted loosely."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import httpx2
import pytest
from mcp import Client

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.sandbox.shapes import stream_list
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, call_ok, make_settings
from tests.test_tenancy import connect
from tests.writes.valid_calls import VALID_CALLS

MiB = 2**20


def hostile_site(size: int | None) -> Any:
    """A Teamwork site that answers every request with a list of `size` bytes (None: without end)."""

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await stream_list(receive, send, "tags", size)

    return app


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture(params=[100 * MiB, None], ids=["100 MB list", "endless 200"])
def hostile(request: pytest.FixtureRequest) -> Iterator[str]:
    with LoopbackServer(hostile_site(request.param)) as site:
        yield site.url


async def test_a_huge_or_endless_answer_is_cut_at_the_cap_while_healthz_keeps_answering(
    sandbox: LiveSandbox, hostile: str
) -> None:
    settings = make_settings(sandbox, teamwork_site_url=hostile, projectops_http_timeout=30.0)
    assert settings.projectops_max_response_bytes == 16 * MiB, "the default cap"
    app = build_http_app(build_server(settings), transport="http")
    healthz: list[float] = []
    rss: list[float] = [rss_mib()]
    with LoopbackServer(app, lifespan="on") as server:

        async def probe(done: anyio.Event) -> None:
            async with httpx2.AsyncClient(base_url=server.url, timeout=10) as http:
                while not done.is_set():
                    started = time.monotonic()
                    assert (await http.get("/healthz")).status_code == 200
                    healthz.append(time.monotonic() - started)
                    rss.append(rss_mib())
                    await anyio.sleep(0.02)

        done = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(probe, done)
            async with connect(server.url + "/mcp", {}) as client:
                result = await client.call_tool("teamwork_list_tags", {"page_size": 50})
            done.set()

    text = result.content[0].text
    assert result.is_error and "more than 16 MiB (PROJECTOPS_MAX_RESPONSE_BYTES)" in text, text
    assert "GET /projects/api/v3/tags.json" in text and "Narrow the request" in text
    assert healthz and max(healthz) < 5.0, f"/healthz stalled {max(healthz):.1f}s while the answer was read"
    # Loose: the answer is held at most once, up to the cap (the bench measures the real peak against 200 MiB).
    assert max(rss) - rss[0] < 150, f"RSS grew {max(rss) - rss[0]:.0f} MiB reading a capped answer"


async def test_a_list_answer_with_far_more_records_than_asked_keeps_page_size(
    client: Client, sandbox: LiveSandbox
) -> None:
    """5 M records came back for page_size 50: the extra records are never passed on."""
    records = [{"id": i, "name": f"tag {i}", "color": "#fff"} for i in range(1, 5001)]
    sandbox.teamwork.faults.add("GET", r"/projects/api/v3/tags\.json", Fault(status=200, body={"tags": records}))
    out = await call_ok(client, "teamwork_list_tags", {"page_size": 50})
    assert [item["tag_id"] for item in out["items"]] == list(range(1, 51))


REDIRECTED_WRITES = [
    "teamwork_create_tag",
    "teamwork_complete_task",
    "projectworks_create_expense_claim",
    "projectworks_delete_expense_claim",
]


@pytest.mark.parametrize("tool", REDIRECTED_WRITES)
async def test_a_write_behind_a_redirecting_proxy_is_not_reported_as_done(
    client: Client, sandbox: LiveSandbox, tool: str
) -> None:
    """These four reported success behind a redirecting proxy while nothing was applied."""
    redirect = Fault(status=302, headers={"Location": "https://login.example.com/sso?next=/"}, body=b"")
    sim = sandbox.projectworks if tool.startswith("projectworks") else sandbox.teamwork
    method = {"create": "POST", "complete": "PUT", "delete": "DELETE"}[tool.split("_")[1]]
    sim.faults.add(method, ".*", redirect)
    result = await client.call_tool(tool, VALID_CALLS[tool])
    text = result.content[0].text
    assert result.is_error, f"{tool} reported success behind a redirect: {result.structured_content}"
    assert "redirect (HTTP 302 to https://login.example.com)" in text, text
    assert "whether the write was applied is unknown" in text, text
    assert "next=" not in text, "only the redirect's scheme and host are shown"
    assert len([r for r in sim.requests if r.method == method]) == 1, "a write that may have landed is not re-sent"
