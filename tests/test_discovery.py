"""Discovery mode through the SDK's real client: three tools in tools/list, find_tools ranking, call_tool on the
exact direct-call path (same refusals, nothing sent on bad input), enable_tools with tools/list_changed; and the
compact listing every mode serves while the manifests keep the full schemas."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from projectops_mcp.discovery import META_NAMES
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import call_err, call_ok, make_settings, sandbox_env


def _server(sandbox, **overrides: Any):
    return build_server(make_settings(sandbox, projectops_discovery=True, **overrides))


def _upstream(sandbox) -> int:
    return len(sandbox.teamwork.requests) + len(sandbox.projectworks.requests)


async def _find(client: Client, query: str, **extra: Any) -> list[dict[str, Any]]:
    return (await call_ok(client, "find_tools", {"query": query, **extra}))["tools"]


async def test_discovery_lists_three_tools_and_finds_with_schemas(sandbox) -> None:
    async with Client(_server(sandbox)) as client:
        listing = await client.list_tools()
        assert [t.name for t in listing.tools] == ["find_tools", "call_tool", "enable_tools"]
        found = await _find(client, "log 3 hours for Marc on a Projectworks task yesterday", limit=3)
        assert "projectworks_create_timesheet" in [t["name"] for t in found]
        first = found[0]
        assert set(first) == {"name", "title", "description", "inputSchema", "annotations", "why"}
        assert first["inputSchema"]["type"] == "object" and first["why"].startswith("matched ")
        holiday = await _find(client, "book a holiday for Priya", backend="projectworks")
        assert holiday[0]["name"] == "projectworks_create_leave"
        assert "holiday -> leave" in holiday[0]["why"]
        assert all(t["name"].startswith("projectworks_") for t in holiday)
        todo = await _find(client, "add a to-do to the launch list", backend="teamwork", limit=3)
        assert "teamwork_create_task" in [t["name"] for t in todo]
        bad = await call_err(client, "find_tools", {"query": "", "limit": 99, "backend": "jira"})
        assert "query" in bad and "limit" in bad and "backend" in bad


async def test_find_tools_only_ranks_enabled_tools(sandbox) -> None:
    async with Client(_server(sandbox, projectops_read_only=True)) as client:
        found = await _find(client, "log hours on a timesheet", limit=10)
        assert found and all(t["annotations"]["readOnlyHint"] for t in found)


async def _both(client: Client, name: str, arguments: dict[str, Any]) -> tuple[Any, Any]:
    direct = await client.call_tool(name, arguments)
    wrapped = await client.call_tool("call_tool", {"name": name, "arguments": arguments})
    return direct, wrapped


@pytest.mark.parametrize(
    ("name", "arguments", "expect"),
    [
        ("projectworks_list_rolez", {}, "Unknown tool"),
        ("projectworks_create_timesheet", {"user_id": 1}, "read-only mode"),
        ("teamwork_list_tags", {}, "excluded"),
        ("projectworks_list_roles", {"page_size": "many"}, "page_size"),
        ("projectworks_list_roles", {"pagesize": 5}, "Did you mean 'page_size'"),
        ("teamwork_get_task", {}, "task_id"),
    ],
)
async def test_call_tool_refuses_exactly_like_a_direct_call_and_sends_nothing(sandbox, name, arguments, expect) -> None:
    server = _server(sandbox, projectops_read_only=True, projectops_exclude_tools=["teamwork_list_tags"])
    records: list[Any] = []
    server.call_observers.append(records.append)
    async with Client(server) as client:
        before = _upstream(sandbox)
        direct, wrapped = await _both(client, name, arguments)
        assert _upstream(sandbox) == before
    assert direct.is_error and wrapped.is_error
    assert wrapped.content[0].text == direct.content[0].text
    assert expect in direct.content[0].text
    assert [(r.tool, r.outcome) for r in records[:1]] == [(r.tool, r.outcome) for r in records[1:]]


async def test_call_tool_runs_the_tool_with_the_same_result_logging_and_metrics(sandbox) -> None:
    server = _server(sandbox)
    records: list[Any] = []
    server.call_observers.append(records.append)
    async with Client(server) as client:
        direct, wrapped = await _both(client, "projectworks_list_roles", {"page_size": 2})
        as_string = await client.call_tool("call_tool", {"name": "projectworks_list_roles", "arguments": "{}"})
    assert not wrapped.is_error and wrapped.structured_content == direct.structured_content
    assert not as_string.is_error
    assert [(r.tool, r.outcome) for r in records] == [("projectworks_list_roles", "ok")] * 3
    assert len(sandbox.projectworks.find("GET", "/Users/Roles")) >= 2


async def test_call_tool_with_malformed_arguments_says_what_is_wrong(sandbox) -> None:
    async with Client(_server(sandbox)) as client:
        before = _upstream(sandbox)
        text = await call_err(client, "call_tool", {"arguments": {}, "tool": "x"})
        assert "name: is required" in text and "tool: unknown argument" in text
        text = await call_err(client, "call_tool", {"name": "projectworks_list_roles", "arguments": [1]})
        assert "arguments: must be an object" in text
        assert _upstream(sandbox) == before


async def test_enable_tools_sends_list_changed_and_the_tool_is_listed_and_callable(sandbox) -> None:
    notices: list[str] = []

    async def on_message(message: Any) -> None:
        notices.append(type(message).__name__)

    server = _server(sandbox)
    async with Client(server, mode="legacy", message_handler=on_message) as client:
        init = client.session.get_server_capabilities() if hasattr(client.session, "get_server_capabilities") else None
        if init is not None and init.tools is not None:
            assert init.tools.list_changed
        out = await call_ok(client, "enable_tools", {"names": ["projectworks_list_roles"], "toolset": "teamwork.tags"})
        assert "projectworks_list_roles" in out["newly_listed"] and "teamwork_create_tag" in out["enabled"]
        listed = [t.name for t in (await client.list_tools()).tools]
        assert listed[:3] == ["find_tools", "call_tool", "enable_tools"]
        assert {"projectworks_list_roles", "teamwork_list_tags", "teamwork_create_tag"} <= set(listed[3:])
        roles = await call_ok(client, "projectworks_list_roles", {"page_size": 1})
        assert roles["items"][0]["role_id"] == 10
        again = await call_ok(client, "enable_tools", {"names": ["projectworks_list_roles"]})
        assert again["newly_listed"] == []
    assert notices.count("ToolListChangedNotification") == 1
    # Another handshake-era session starts from the three tools again.
    async with Client(server, mode="legacy") as other:
        assert [t.name for t in (await other.list_tools()).tools] == ["find_tools", "call_tool", "enable_tools"]


async def test_enable_tools_refusals_enable_nothing(sandbox) -> None:
    async with Client(_server(sandbox, projectops_exclude_tools=["teamwork_list_tags"])) as client:
        text = await call_err(client, "enable_tools", {"names": ["teamwork_list_tags", "teamwork_list_taks"]})
        assert "teamwork_list_tags: not available on this server: it is excluded" in text
        assert "Did you mean: teamwork_list_tasks" in text
        assert "Toolsets:" in await call_err(client, "enable_tools", {"toolset": "jira"})
        assert "give at least one" in await call_err(client, "enable_tools", {})
        assert len((await client.list_tools()).tools) == 3


async def _exercise_discovery(client: Client) -> None:
    listing = await client.list_tools()
    assert {t.name for t in listing.tools} == META_NAMES
    found = await _find(client, "what roles are configured in projectworks", limit=3)
    assert found[0]["name"] == "projectworks_list_roles"
    result = await client.call_tool("call_tool", {"name": "projectworks_list_roles", "arguments": {"page_size": 2}})
    assert not result.is_error and result.structured_content["items"][0]["role_id"] == 10
    bad = await client.call_tool("call_tool", {"name": "projectworks_list_roles", "arguments": {"page_size": "x"}})
    assert bad.is_error and "page_size" in bad.content[0].text


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_discovery_over_stdio(sandbox, mode: str) -> None:
    env = {**sandbox_env(sandbox), "PROJECTOPS_DISCOVERY": "1"}
    params = StdioServerParameters(command=sys.executable, args=["-m", "projectops_mcp", "serve"], env=env)
    async with Client(params, mode=mode) as client:
        await _exercise_discovery(client)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_discovery_over_streamable_http(sandbox, mode: str) -> None:
    from projectops_mcp.sandbox import LoopbackServer

    app = build_http_app(_server(sandbox), transport="http", stateless=False)
    with LoopbackServer(app, lifespan="on") as live:
        async with Client(live.url + "/mcp", mode=mode) as client:
            await _exercise_discovery(client)
            out = await call_ok(client, "enable_tools", {"names": ["projectworks_list_roles"]})
            assert out["enabled"] == ["projectworks_list_roles"]
            assert "projectworks_list_roles" in {t.name for t in (await client.list_tools()).tools}


async def test_listing_is_compact_but_manifests_and_validation_keep_the_full_schema(sandbox) -> None:
    server = build_server(make_settings(sandbox))
    async with Client(server) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        full = server.tools["projectworks_create_expense_claim"].manifest()["inputSchema"]
        assert full["properties"]["expense_claim_number"]["maxLength"] == 50
        compact = listed["projectworks_create_expense_claim"].input_schema
        assert "maxLength" not in compact["properties"]["expense_claim_number"]
        assert compact["required"] == full["required"]
        roles = listed["projectworks_list_roles"].input_schema["properties"]
        assert roles["page_size"] == {"type": "integer"}  # the shared parameters are described in `instructions`
        assert "page_size (default 50, at most 500)" in (server.instructions or "")
        custom = listed["projectworks_set_custom_fields"].input_schema["properties"]
        assert custom["fields"]["description"]  # not the shared `fields`: this tool has no paging
        due = listed["teamwork_list_tasks"].input_schema["properties"]["due_after"]
        assert due["format"] == "date" and "YYYY" not in due["description"]
        text = await call_err(
            client,
            "projectworks_create_expense_claim",
            {
                "user_id": 1,
                "project_id": 1,
                "module_id": 1,
                "expense_claim_type_id": 1,
                "is_reimbursable": True,
                "is_processed": False,
                "date": "2026-11-10",
                "amount": 10,
                "currency_id": 1,
                "tax_type_id": 1,
                "expense_claim_number": "x" * 51,
            },
        )
        assert "expense_claim_number" in text and "at most 50 characters" in text
