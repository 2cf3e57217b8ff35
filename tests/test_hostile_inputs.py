"""Arguments built to break the server (found by attacking a running one): each must be a clean refusal that
names the field, with nothing sent upstream."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.toolkit import MAX_ID
from tests.conftest import LiveSandbox, call_err


def _sent(sandbox: LiveSandbox) -> int:
    return len(sandbox.teamwork.requests) + len(sandbox.projectworks.requests)


async def test_true_is_not_id_1(client: Client, sandbox: LiveSandbox) -> None:
    text = await call_err(client, "teamwork_get_task", {"task_id": True})
    assert "- task_id: expected a number, not true/false" in text
    text = await call_err(client, "teamwork_update_task", {"task_id": 5, "tag_ids": [1, False]})
    assert "- tag_ids" in text and "true/false" in text
    assert _sent(sandbox) == 0


async def test_ids_have_an_upper_bound(client: Client, sandbox: LiveSandbox) -> None:
    text = await call_err(client, "projectworks_get_user", {"user_id": 10**30})
    assert "- user_id: is larger than any id" in text and str(MAX_ID) in text
    assert _sent(sandbox) == 0


async def test_a_json_string_array_nested_3000_deep_is_an_input_error(client: Client, sandbox: LiveSandbox) -> None:
    """json.loads raised RecursionError inside preparse_arguments, which escaped as an internal error."""
    nested = "[" * 3000 + "]" * 3000
    text = await call_err(client, "teamwork_update_task", {"task_id": 5, "tag_ids": nested})
    assert "- tag_ids: input should be a valid list" in text and "Internal error" not in text
    assert _sent(sandbox) == 0
