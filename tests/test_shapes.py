"""Every tool against every hostile answer shape (sandbox/shapes.py), through the SDK client: the result is a
success that reflects the data or a clean isError naming backend, endpoint and cause; never an internal error,
never a made-up record.

Which tools: all of the catalogue (`registered_tools()`), per backend; a tool this test cannot call successfully
against the unfaulted simulators fails it, with what to add. Arguments per tool: a write's valid call from
tests/writes/valid_calls.py (with its SETUP call), a read's from READ_CALLS below, else the first of a few
schema-drawn sets that succeeds. Then each shape is scripted for every request the call makes (reference caches
emptied first, so a prerequisite read meets it too), with a small answer cap (256 KiB) so that the oversized and
endless answers stay fast. One server and session for the module.
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
from projectops_mcp.server import ProjectOpsServer, build_server, registered_tools
from projectops_mcp.toolkit import Tool
from tests.conftest import LiveSandbox, make_settings
from tests.test_fuzz import demo_ids, draw_cases
from tests.writes.valid_calls import SETUP, VALID_CALLS, Setup

CAP = 256 * 1024
SHAPES = answer_shapes(oversized=2 * CAP)
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
    unreached: set[str] = field(default_factory=set)


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
    if tool.kind not in ("read", "create"):
        return ""  # an update/delete/action (or a batch of them) may be answered with no body at all
    if out.get("confirmed") is False:
        return ""  # says outright that the answer did not confirm what was sent (and shows what was)
    if "items" in out:  # a list, or a batch of creates whose items say what happened to each
        listed = [i for i in out["items"] if not (isinstance(i, dict) and i.get("status") in ("failed", "not_sent"))]
        return f"listed {len(listed)} items from an answer without records" if listed else ""
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


# Reads the schema-drawn calibration cannot call successfully (an id only another tool's records have), with the
# record they need made first for real, as tests/writes/valid_calls.py's SETUP does for writes.
READ_CALLS: dict[str, dict[str, Any]] = {
    "teamwork_get_message_reply": {"reply_id": 42000},
    "teamwork_get_job_role": {"job_role_id": 301},
    "teamwork_get_project_category": {"category_id": 9101},
    "unified_get_collection": {"source": "teamwork", "type": "tasklist", "id": 1302},
    "unified_get_ticket": {"source": "projectworks", "id": 502},
    "unified_get_user": {"source": "projectworks", "id": "103"},
    "unified_get_planned_vs_actual": {"project": "Kiwi Bank App"},  # in both systems under that name
    "unified_get_comment": {"id": 44001},
    "unified_list_attachments": {"ticket_id": 5001},
    "unified_get_attachment": {"ticket_id": 5001, "id": 812001},
    "unified_get_field": {"source": "teamwork", "id": 2794},
    "unified_get_tag": {"id": 17062},
    "teamwork_get_allocation": {},
    "teamwork_get_timer": {},
    "teamwork_list_custom_field_values": {"entity": "task", "entity_id": 5001},
}
READ_SETUP: dict[str, Setup] = {
    "teamwork_get_allocation": SETUP["teamwork_update_allocation"],
    "teamwork_get_timer": SETUP["teamwork_update_timer"],
}


def known_call(tool: Tool) -> tuple[dict[str, Any] | None, Setup | None]:
    if tool.name in VALID_CALLS:
        return VALID_CALLS[tool.name], SETUP.get(tool.name)
    return READ_CALLS.get(tool.name), READ_SETUP.get(tool.name)


@dataclass
class Calibrated:
    args: dict[str, Any]
    setup: Setup | None = None


async def prepare(client: Client, live: LiveSandbox, server: ProjectOpsServer, call: Calibrated) -> dict[str, Any]:
    """Fresh demo data and empty reference caches; the setup call made (unfaulted); the call's arguments."""
    live.reset()
    assert server.backends is not None
    for account in server.backends._accounts.values():
        account.cache.invalidate()
    if call.setup is None:
        return call.args
    tool, setup_args, takes = call.setup
    result = await client.call_tool(tool, setup_args)
    assert not result.is_error, f"setup {tool} failed: {result.content[0].text}"
    made = result.structured_content or {}
    args = {**call.args, **{arg: made[field] for arg, field in takes.items()}}
    live.projectworks.recorder.clear()
    live.teamwork.recorder.clear()
    return args


def candidates(live: LiveSandbox, tool: Tool, ids: list[int]) -> Any:
    """Argument sets to try, cheapest first; the schema-drawn ones are drawn only when the simple ones fail."""
    schema = tool.input_schema
    required = schema.get("required", [])
    base = [
        {k: simple_value(live, tool, k, v, pick) for k, v in schema["properties"].items() if k in required}
        for pick in (0, 1)
    ]
    optional = [k for k, v in schema["properties"].items() if k not in required and "pattern" not in v]
    yield from base
    for k in optional[:6]:
        yield {**base[0], k: simple_value(live, tool, k, schema["properties"][k], 0)}
    for case in draw_cases(tool, ids, 12, seed=0):
        if case.kind == "valid":
            yield case.args


async def calibrate(
    client: Client, live: LiveSandbox, server: ProjectOpsServer, tool: Tool, ids: list[int]
) -> Calibrated | None:
    """A call this tool succeeds with against the unfaulted simulators: its known call, else a drawn one."""
    args, setup = known_call(tool)
    tries = [Calibrated(args, setup)] if args is not None else (Calibrated(a) for a in candidates(live, tool, ids))
    for call in tries:
        is_error, _, _ = await _call(client, tool, await prepare(client, live, server, call))
        if not is_error:
            return call
    return None


def what_to_add(tool: Tool) -> str:
    if tool.name in VALID_CALLS:
        return f"{tool.name}: its call in tests/writes/valid_calls.py fails against the sandbox (a SETUP entry?)"
    return f"{tool.name}: add arguments that succeed against the sandbox to READ_CALLS in tests/test_shapes.py"


@pytest.fixture(scope="module")
async def shaped(_live: LiveSandbox) -> AsyncIterator[tuple[Client, ProjectOpsServer]]:
    settings = make_settings(
        _live,
        projectops_max_retries=0,
        projectops_http_timeout=5.0,
        projectops_max_response_bytes=CAP,
        projectops_duplicate_window=0,  # the same write is sent once per shape, on purpose
    )
    server = build_server(settings)
    async with Client(server) as c:
        yield c, server
    _live.reset()


@pytest.mark.parametrize("backend", sorted({t.backend for t in registered_tools()}))
async def test_every_tool_survives_every_answer_shape(
    shaped: tuple[Client, ProjectOpsServer], _live: LiveSandbox, backend: str
) -> None:
    client, server = shaped
    only = os.environ.get("PROJECTOPS_SHAPES_TOOLS")
    tools = [t for t in registered_tools() if t.backend == backend and (not only or t.name in only.split(","))]
    ids = demo_ids(_live)
    tally = Tally()
    for tool in tools:
        call = await calibrate(client, _live, server, tool, ids)
        if call is None:
            tally.uncalibrated.append(what_to_add(tool))
            continue
        for shape, fault in SHAPES.items():
            args = await prepare(client, _live, server, call)
            for sim in (_live.projectworks, _live.teamwork):
                sim.faults.add("*", ".*", *[fault] * 30)
            is_error, text, out = await _call(client, tool, args)
            reached = bool(_live.projectworks.requests or _live.teamwork.requests)
            tally.cases += 1
            tally.reached_upstream += reached
            tally.errors += is_error
            if any(bad in text for bad in FORBIDDEN):
                tally.internal.append(f"{tool.name} [{shape}]: {text[:200]}")
            elif reached and not is_error and out is not None and (why := made_up(tool, shape, args, out)):
                tally.made_up.append(f"{tool.name} [{shape}]: {why}")
            elif not reached:
                tally.unreached.add(tool.name)
    print(
        f"\nshapes, {backend}: {len(SHAPES)} x {len(tools) - len(tally.uncalibrated)} tools = {tally.cases} cases, "
        f"{tally.reached_upstream} reached the upstream, {tally.errors} clean errors, "
        f"{len(tally.internal)} internal errors, {len(tally.made_up)} made-up records; "
        f"never reached the upstream: {sorted(tally.unreached)}"
    )
    problems = tally.internal + tally.made_up
    assert not problems, f"{len(problems)} of {tally.cases} cases:\n" + "\n".join(problems[:60])
    assert not tally.uncalibrated, "tools this test cannot call:\n" + "\n".join(tally.uncalibrated)
