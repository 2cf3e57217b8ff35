"""Arguments built to break the server (found by attacking a running one): each must be a clean refusal that
names the field, with nothing sent upstream."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize(
    ("tool", "field", "value"),
    [
        ("teamwork_list_tasks", "search", "quarterly report " * 4118),  # 70,006 characters
        ("projectworks_list_offices", "name", "é" * 1500),  # short, but 9,000 characters once percent-encoded
    ],
)
async def test_a_search_filter_too_long_for_a_url_is_an_input_error_naming_the_field(
    client: Client, sandbox: LiveSandbox, tool: str, field: str, value: str
) -> None:
    """A 70,000-character search filter raised httpx's InvalidURL, which escaped as an internal error."""
    text = await call_err(client, tool, {field: value})
    assert text.startswith(f"{field}: is too long to send") and "at most 8,000" in text, text
    assert "Shorten it" in text and "Internal error" not in text and "InvalidURL" not in text
    assert _sent(sandbox) == 0
