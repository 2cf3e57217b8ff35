"""dry_run on every write tool: all checks run, nothing is written, and the previewed request is exactly the one
the real call then sends (method, path, query, body; receipt bytes elided on both sides)."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from projectops_mcp.server import registered_tools
from projectops_mcp.writes.preview import elide
from tests.conftest import LiveSandbox, call_err, call_ok
from tests.writes.valid_calls import RECEIPT_B64, SETUP, VALID_CALLS

WRITE_TOOLS = sorted(t.name for t in registered_tools() if not t.read_only)


def test_every_write_tool_has_a_valid_call() -> None:
    missing = [name for name in WRITE_TOOLS if name not in VALID_CALLS]
    assert not missing, f"add valid arguments for {missing} to tests/writes/valid_calls.py"


def _writes(sandbox: LiveSandbox) -> list[Any]:
    return sandbox.projectworks.writes + sandbox.teamwork.writes


@pytest.mark.parametrize("name", WRITE_TOOLS)
async def test_dry_run_sends_nothing_and_shows_the_request_the_real_call_sends(
    client: Client, sandbox: LiveSandbox, name: str
) -> None:
    args = VALID_CALLS[name]
    if name in SETUP:
        tool, setup_args, takes = SETUP[name]
        made = await call_ok(client, tool, setup_args)
        args = {**args, **{arg: made[field] for arg, field in takes.items()}}
    before = len(_writes(sandbox))
    out = await call_ok(client, name, {**args, "dry_run": True})
    preview = out["preview"]
    assert len(_writes(sandbox)) == before, "a dry run wrote upstream"
    assert preview["tool"] == name and "request" in preview, f"{name}'s valid call needs no write: {preview}"
    assert preview["checked"][0] == "arguments: valid" and preview["confirm"]

    await call_ok(client, name, args)
    sent = _writes(sandbox)[before]
    request = preview["request"]
    assert (request["method"], request["path"]) == (sent.method, sent.path)
    assert request["url"].endswith(sent.path)
    assert [tuple(pair) for pair in request["query"]] == sent.query
    assert request.get("body") == elide(sent.json)


async def test_receipt_bytes_are_elided_from_the_preview(client: Client, sandbox: LiveSandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_expense_claim",
        {**VALID_CALLS["projectworks_create_expense_claim"], "dry_run": True},
    )
    body = out["preview"]["request"]["body"]
    assert body["fileName"] == "taxi.pdf" and body["fileContent"].endswith("bytes elided>")
    assert RECEIPT_B64[:40] not in str(out)


async def test_a_dry_run_still_refuses_bad_input_and_failed_prerequisites(client: Client, sandbox: LiveSandbox) -> None:
    text = await call_err(
        client, "projectworks_create_task", {"module_id": 999, "task_name": "x", "task_type_id": 1, "dry_run": True}
    )
    assert "999" in text and _writes(sandbox) == []
    text = await call_err(client, "teamwork_create_tag", {"name": "x", "dry_run": "soon"})
    assert "- dry_run: input should be true or false" in text and sandbox.teamwork.requests == []


async def test_read_tools_take_no_dry_run(client: Client) -> None:
    text = await call_err(client, "teamwork_list_tags", {"dry_run": True})
    assert "dry_run: unknown argument" in text
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "dry_run" in tools["teamwork_delete_task"].input_schema["properties"]
    assert "allow_duplicate" in tools["teamwork_create_task"].input_schema["properties"]
    assert "allow_duplicate" not in tools["teamwork_delete_task"].input_schema["properties"]
    assert "dry_run" not in tools["teamwork_list_tasks"].input_schema["properties"]
