"""Every tool, as any MCP client sees it: described, flat portable schemas, output schemas, annotations."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client

from projectops_mcp.listing import CURSOR_PARAMETERS, FLAG_PARAMETERS, LIST_PARAMETERS
from projectops_mcp.server import registered_tools


def _walk(node: Any, path: str = "$"):
    """Every schema node (a property map's keys are names, not keywords, so the map itself is not yielded)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    yield from _walk(sub, f"{path}.properties.{name}")
            else:
                yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def assert_portable(schema: dict[str, Any], where: str) -> None:
    assert schema.get("type") == "object", where
    for path, node in _walk(schema):
        for banned in ("$ref", "$defs", "title", "additionalProperties"):
            assert banned not in node, f"{where}: {banned} at {path}"
        for union in ("anyOf", "oneOf"):
            for option in node.get(union, []):
                assert option != {"type": "null"}, f"{where}: nullable union at {path}"
        if node.get("type") == "array":
            assert "items" in node, f"{where}: array without items at {path}"
        if node.get("default", 0) is None:
            raise AssertionError(f"{where}: default null at {path}")


async def test_every_listed_tool_is_complete(client: Client) -> None:
    listing = await client.list_tools()
    names = [t.name for t in listing.tools]
    assert len(names) == len(set(names))
    assert set(names) == {t.name for t in registered_tools()}
    for tool in listing.tools:
        assert tool.name.split("_", 1)[0] in ("teamwork", "projectworks", "unified")
        assert tool.title and tool.description and len(tool.description) >= 15, tool.name  # one terse sentence
        assert_portable(tool.input_schema, f"{tool.name} input")
        assert tool.output_schema is not None, tool.name
        assert tool.output_schema["type"] == "object"
        a = tool.annotations
        assert a is not None, tool.name
        for hint in ("read_only_hint", "destructive_hint", "idempotent_hint", "open_world_hint"):
            assert getattr(a, hint) is not None, f"{tool.name} lacks {hint}"
        verb = tool.name.split("_")[1]
        if verb in ("list", "get", "search", "count", "summarize"):
            assert a.read_only_hint and not a.destructive_hint, tool.name
        else:
            assert not a.read_only_hint, tool.name
        if verb == "delete":
            assert a.destructive_hint and a.idempotent_hint, tool.name
        for prop, spec in tool.input_schema["properties"].items():
            paged = "page_size" in tool.input_schema["properties"]
            shared = FLAG_PARAMETERS + (LIST_PARAMETERS + CURSOR_PARAMETERS if paged else ())
            if prop in shared:
                continue  # described once, in the server instructions
            assert spec.get("description"), f"{tool.name}.{prop} has no description"


async def test_id_arguments_name_where_ids_come_from(client: Client) -> None:
    listing = await client.list_tools()
    for tool in listing.tools:
        for prop, spec in tool.input_schema["properties"].items():
            if (prop.endswith("_id") or prop.endswith("_ids")) and spec.get("type") != "boolean":
                text = spec.get("description", "") + tool.description
                assert "_list_" in text or "_get_" in text or "_search_" in text or "omit" in text.lower(), (
                    f"{tool.name}.{prop} does not say where its ids come from"
                )


async def test_ping_and_instructions_on_handshake_era(server) -> None:
    async with Client(server, mode="legacy") as c:
        await c.session.send_ping()
        assert c.server_info is not None and c.server_info.name == "projectops-mcp"


async def test_unknown_tool_is_an_error_result(client: Client) -> None:
    result = await client.call_tool("teamwork_list_taskz", {})
    assert result.is_error
    assert "Unknown tool" in result.content[0].text and "teamwork_list_tasks" in result.content[0].text


async def test_results_are_structured_and_mirrored_as_json_text(client: Client) -> None:
    result = await client.call_tool("projectworks_list_roles", {})
    assert not result.is_error
    assert json.loads(result.content[0].text) == result.structured_content


async def test_legacy_handshake_era_also_works(server) -> None:
    async with Client(server, mode="legacy") as c:
        assert c.protocol_version == "2025-11-25"
        listing = await c.list_tools()
        assert listing.tools
        await c.session.set_logging_level("warning")
        result = await c.call_tool("projectworks_list_roles", {"page_size": 1})
        assert not result.is_error
