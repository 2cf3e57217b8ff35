"""Every tool against every hostile answer shape (sandbox/shapes.py), through the SDK client: the result is a
success that reflects the data or a clean isError naming backend, endpoint and cause; never an internal error,
never a made-up record.

Arguments per tool are calibrated first: the first of a few schema-drawn argument sets that succeeds against the
unfaulted simulators (so each shape reaches the upstream). Then each shape is scripted for every request the call
makes, with a small answer cap (256 KiB) so that the oversized and endless answers stay fast.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from mcp import Client

from projectops_mcp.sandbox.shapes import NO_RECORD, answer_shapes
from projectops_mcp.server import build_server, registered_tools
from projectops_mcp.toolkit import Tool
from tests.conftest import LiveSandbox, make_settings
from tests.test_fuzz import demo_ids, draw_cases

CAP = 256 * 1024
SHAPES = answer_shapes(oversized=4 * CAP)
TRANSPORT_SHAPES = ("HTML 200", "3xx", "oversized", "endless")  # refused by the HTTP layer for every tool
FORBIDDEN = ("Internal error", "Error executing tool", "Traceback")
BOOKKEEPING = {"page", "page_size", "has_more", "total", "warnings", "sent", "updated", "deleted", "applied"}
CALL_TIMEOUT = 10.0


@dataclass
class Tally:
    cases: int = 0
    reached_upstream: int = 0
    errors: int = 0
    internal: list[str] = field(default_factory=list)
    made_up: list[str] = field(default_factory=list)
    uncalibrated: list[str] = field(default_factory=list)


def _scalars(value: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() if k not in BOOKKEEPING for pair in _scalars(v, k)]
    if isinstance(value, list):
        return [pair for v in value for pair in _scalars(v, key)]
    return [] if value is None else [(key, value)]


def made_up(tool: Tool, shape: str, args: dict[str, Any], out: dict[str, Any]) -> str:
    """Why a success under a no-record shape is invented, or ''."""
    if shape not in NO_RECORD:
        return ""
    if shape in TRANSPORT_SHAPES:
        return "succeeded on an answer the HTTP layer must refuse"
    if "items" in out:  # a list, or a batch whose items say what happened to each
        listed = [i for i in out["items"] if not (isinstance(i, dict) and i.get("status") in ("failed", "not_sent"))]
        return f"listed {len(listed)} items from an answer without records" if listed else ""
    if tool.kind not in ("read", "create"):
        return ""  # an update/delete/action may be answered with no body at all
    invented = [(k, v) for k, v in _scalars(out) if args.get(k) != v]
    return f"reported a record without one in the answer: {invented[:4]}" if invented else ""


async def _call(client: Client, tool: Tool, args: dict[str, Any]) -> tuple[bool, str, dict[str, Any] | None]:
    with anyio.fail_after(CALL_TIMEOUT):
        result = await client.call_tool(tool.name, args)
    text = result.content[0].text if result.content else ""
    return result.is_error, text, result.structured_content


ALIASES = {
    "user": ("users", "people"),
    "person": ("people",),
    "time_entry": ("timelogs",),
    "timelog": ("timelogs",),
    "leave": ("leaves",),
    "custom_field": ("customfields",),
    "field": ("customfields",),
    "assignee_user": ("people", "users"),
    "expense_claim": ("expense_claims",),
    "leave_type": ("leave_types",),
    "leave_status": ("leave_statuses",),
}


def id_candidates(live: LiveSandbox, tool: Tool, name: str) -> list[int]:
    """Demo ids from the table a `<thing>_id` argument most likely names."""
    stem = name.removesuffix("_ids").removesuffix("_id")
    tables = ALIASES.get(stem, (stem + "s", stem + "es", stem))
    sim = live.teamwork if tool.backend == "teamwork" else live.projectworks
    for table in tables:
        found = [i for i in sim.store.tables.get(table, {}) if isinstance(i, int) and i > 0]
        if found:
            return sorted(found)[:2]
    return []


def simple_value(live: LiveSandbox, tool: Tool, name: str, schema: dict[str, Any], pick: int) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        found = id_candidates(live, tool, name)
        return found[pick % len(found)] if found else max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1.0, schema.get("minimum", 1.0))
    if kind == "boolean":
        return False
    if kind == "array":
        item = simple_value(live, tool, name, schema.get("items") or {}, pick)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "object":
        return {
            k: simple_value(live, tool, k, v, pick)
            for k, v in schema.get("properties", {}).items()
            if k in schema.get("required", [])
        }
    if fmt == "date":
        return "2026-11-20"
    if fmt == "date-time":
        return "2026-11-20T09:00:00Z"
    return "Shape test " + "x" * max(0, schema.get("minLength", 0) - 11)


async def calibrate(client: Client, live: LiveSandbox, tool: Tool, ids: list[int]) -> dict[str, Any] | None:
    """Arguments this tool succeeds with against the unfaulted simulators: simple ones first, then drawn ones."""
    schema = tool.input_schema
    required = schema.get("required", [])
    base = [
        {k: simple_value(live, tool, k, v, pick) for k, v in schema["properties"].items() if k in required}
        for pick in (0, 1)
    ]
    optional = [k for k, v in schema["properties"].items() if k not in required and "pattern" not in v]
    simple = base + [{**base[0], k: simple_value(live, tool, k, schema["properties"][k], 0)} for k in optional[:6]]
    for args in simple + [c.args for c in draw_cases(tool, ids, 12, seed=0) if c.kind == "valid"]:
        live.reset()
        is_error, _, _ = await _call(client, tool, args)
        if not is_error:
            return args
    return None


@pytest.fixture
async def shapes_client(sandbox: LiveSandbox) -> AsyncIterator[Client]:
    settings = make_settings(
        sandbox, projectops_max_retries=0, projectops_http_timeout=5.0, projectops_max_response_bytes=CAP
    )
    async with Client(build_server(settings)) as c:
        yield c


async def test_every_tool_survives_every_answer_shape(shapes_client: Client, sandbox: LiveSandbox) -> None:
    only = os.environ.get("PROJECTOPS_SHAPES_TOOLS")
    tools = [t for t in registered_tools() if not only or t.name in only.split(",")]
    ids = demo_ids(sandbox)
    tally = Tally()
    for tool in tools:
        args = await calibrate(shapes_client, sandbox, tool, ids)
        if args is None:
            tally.uncalibrated.append(tool.name)
            continue
        for shape, fault in SHAPES.items():
            sandbox.reset()
            for sim in (sandbox.projectworks, sandbox.teamwork):
                sim.faults.add("*", ".*", *[fault] * 30)
            is_error, text, out = await _call(shapes_client, tool, args)
            reached = bool(sandbox.projectworks.requests or sandbox.teamwork.requests)
            tally.cases += 1
            tally.reached_upstream += reached
            tally.errors += is_error
            if any(bad in text for bad in FORBIDDEN):
                tally.internal.append(f"{tool.name} [{shape}]: {text[:200]}")
            elif reached and not is_error and out is not None and (why := made_up(tool, shape, args, out)):
                tally.made_up.append(f"{tool.name} [{shape}]: {why}")
    print(
        f"\nshapes: {len(SHAPES)} x {len(tools) - len(tally.uncalibrated)} tools = {tally.cases} cases, "
        f"{tally.reached_upstream} reached the upstream, {tally.errors} clean errors, "
        f"{len(tally.internal)} internal errors, {len(tally.made_up)} made-up records; "
        f"uncalibrated: {tally.uncalibrated}"
    )
    problems = tally.internal + tally.made_up
    assert not problems, f"{len(problems)} of {tally.cases} cases:\n" + "\n".join(problems[:60])
    assert len(tally.uncalibrated) <= len(tools) // 5, tally.uncalibrated  # tools with cross-field rules
