"""Wire facts every Teamwork request shares, asserted through the MCP client: the SDK's `Jobroles-Enabled` header
and `total` from `meta.page.count` on every v3 page."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_ok


async def test_every_request_sends_jobroles_enabled(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_list_projects", {})  # v3 read
    await call_ok(client, "teamwork_list_teams", {})  # v1 read
    await call_ok(client, "teamwork_update_task", {"task_id": 5001, "name": "Renamed"})  # v3 write
    await call_ok(client, "teamwork_complete_task", {"task_id": 5001})  # v1 write
    assert len(sandbox.teamwork.requests) >= 4
    assert {r.headers.get("jobroles-enabled") for r in sandbox.teamwork.requests} == {"true"}


async def test_v3_total_comes_from_meta_page_count_on_every_page(client: Client, sandbox) -> None:
    first = await call_ok(client, "teamwork_list_projects", {"page_size": 1})
    assert first["has_more"] is True and first["total"] == 2
    second = await call_ok(client, "teamwork_list_projects", {"page_size": 1, "page": 2})
    assert second["has_more"] is False and second["total"] == 2
