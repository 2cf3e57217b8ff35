"""Result economy on real list tools: `fields` picks record fields (ids always kept, unknown names refused before
anything is sent), and a page over the token budget is cut on a grid the agent can continue from."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings


async def test_fields_keep_only_the_chosen_ones_and_the_ids(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_roles", {"fields": ["code"]})
    assert out["items"] and all(set(item) == {"role_id", "code"} for item in out["items"])
    before = len(sandbox.projectworks.requests)
    text = await call_err(client, "projectworks_list_roles", {"fields": ["code", "colour"]})
    assert "fields: colour: no such record field; nothing was sent" in text and "Valid: role_id, code" in text
    assert len(sandbox.projectworks.requests) == before


async def test_a_page_over_the_budget_is_cut_and_the_advice_continues_it(sandbox) -> None:
    async with Client(build_server(make_settings(sandbox))) as client:
        whole = (await call_ok(client, "teamwork_list_people", {"page_size": 4}))["items"]
    assert len(whole) == 4
    tight = build_server(make_settings(sandbox, projectops_result_token_budget=100))
    async with Client(tight) as client:
        first = await call_ok(client, "teamwork_list_people", {"page_size": 4})
        kept = len(first["items"])
        assert 1 <= kept < 4 and first["has_more"] is True
        assert first["items"] == whole[:kept]
        assert f"call again with page=2, page_size={kept}" in first["more"]
        following = await call_ok(client, "teamwork_list_people", {"page": 2, "page_size": kept})
        assert following["items"][0] == whole[kept]
        result = await client.call_tool("teamwork_list_people", {"page_size": 4})
        assert len(result.content[0].text) <= 100 * 3.5 + 200
