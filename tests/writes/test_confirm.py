"""PROJECTOPS_CONFIRM_DESTRUCTIVE=1: deletes and full replacements ask the person through MCP elicitation, in both
protocol eras (2026-07-28 answers through an input-required round trip; the handshake era with a mid-call request),
and send nothing unless the person accepts."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.types import ElicitResult

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, call_err, call_ok, make_settings

MODES = ["auto", "legacy"]
LEAVE = {
    "leave_id": 8001,
    "user_id": 103,
    "status_id": 1,
    "days": [{"date": "2026-12-23", "type_id": 2, "hours": 8}],
}  # auto lands on 2026-07-28 in-process; legacy is the handshake era


class Person:
    """An elicitation callback that answers as told and remembers what it was asked."""

    def __init__(self, action: str, confirm: bool = True):
        self.action, self.confirm = action, confirm
        self.asked: list[Any] = []

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.asked.append(params)
        content = {"confirm": self.confirm} if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)


def _client(sandbox: LiveSandbox, mode: str, person: Person | None, **overrides: Any) -> Client:
    settings = make_settings(sandbox, projectops_confirm_destructive=True, **overrides)
    return Client(build_server(settings), mode=mode, elicitation_callback=person)


@pytest.mark.parametrize("mode", MODES)
async def test_an_accepted_delete_is_sent_once(sandbox: LiveSandbox, mode: str) -> None:
    person = Person("accept")
    async with _client(sandbox, mode, person) as client:
        out = await call_ok(client, "projectworks_delete_leave", {"leave_id": 8001})
    assert out == {"id": 8001, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.projectworks.writes] == [("DELETE", "/Leaves/8001")]
    (asked,) = person.asked
    assert "DELETE /Leaves/8001" in asked.message and "cannot be undone" in asked.message
    assert "confirm" in asked.requested_schema["properties"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("answer", "says"),
    [(("decline", True), "declined"), (("accept", False), "declined"), (("cancel", True), "dismissed")],
    ids=["decline", "accept-but-no", "cancel"],
)
async def test_a_declined_or_cancelled_delete_sends_nothing(
    sandbox: LiveSandbox, mode: str, answer: tuple[str, bool], says: str
) -> None:
    person = Person(*answer)
    async with _client(sandbox, mode, person) as client:
        text = await call_err(client, "teamwork_delete_task", {"task_id": 5003})
        assert says in text and "nothing was sent" in text
        still = await call_ok(client, "teamwork_get_task", {"task_id": 5003})
    assert sandbox.teamwork.writes == [] and still["task_id"] == 5003
    assert len(person.asked) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_without_elicitation_is_told_how_to_proceed(sandbox: LiveSandbox, mode: str) -> None:
    async with _client(sandbox, mode, None) as client:
        text = await call_err(client, "projectworks_delete_leave", {"leave_id": 8001})
    assert "nothing was sent" in text and "elicitation" in text and "PROJECTOPS_CONFIRM_DESTRUCTIVE" in text
    assert sandbox.projectworks.writes == []


async def test_a_full_replacement_shows_the_new_values(sandbox: LiveSandbox) -> None:
    person = Person("accept")
    args = {
        "leave_id": 8001,
        "user_id": 103,
        "status_id": 1,
        "days": [{"date": "2026-12-23", "type_id": 2, "hours": 8}],
    }
    async with _client(sandbox, "auto", person) as client:
        await call_ok(client, "projectworks_update_leave", args)
    (asked,) = person.asked
    assert "PUT /Leaves/8001" in asked.message and "fields not given are cleared" in asked.message
    assert "2026-12-23" in asked.message
    assert [r.method for r in sandbox.projectworks.writes] == ["PUT"]


async def test_creates_and_updates_are_not_asked_and_refusals_ask_nothing(sandbox: LiveSandbox) -> None:
    person = Person("decline")
    async with _client(sandbox, "auto", person) as client:
        await call_ok(client, "teamwork_create_tag", {"name": "No question"})
        await call_ok(client, "teamwork_update_task", {"task_id": 5002, "due_date": "2026-12-18"})
        await call_err(client, "projectworks_update_leave", {**LEAVE, "status_id": 99})  # refused before any write
        preview = await call_ok(client, "teamwork_delete_task", {"task_id": 5003, "dry_run": True})
    assert person.asked == []
    assert "confirmation: the person will be asked before it is sent" in preview["preview"]["checked"]


async def test_without_the_setting_nobody_is_asked(sandbox: LiveSandbox) -> None:
    person = Person("decline")
    async with Client(build_server(make_settings(sandbox)), elicitation_callback=person) as client:
        await call_ok(client, "teamwork_delete_task", {"task_id": 5003})
    assert person.asked == [] and len(sandbox.teamwork.writes) == 1


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful", "stateless"])
@pytest.mark.parametrize("mode", MODES)
async def test_confirmation_over_streamable_http(sandbox: LiveSandbox, mode: str, stateless: bool) -> None:
    """Over the real transport: 2026-07-28 asks through the input-required round trip (stateless included); the
    handshake era asks mid-call, which stateless HTTP cannot carry (no back-channel): then nothing is sent."""
    server = build_server(make_settings(sandbox, projectops_confirm_destructive=True))
    person = Person("accept")
    with LoopbackServer(build_http_app(server, transport="http", stateless=stateless), lifespan="on") as live:
        async with Client(live.url + "/mcp", mode=mode, elicitation_callback=person) as client:
            result = await client.call_tool("projectworks_delete_leave", {"leave_id": 8001})
    text = result.content[0].text
    if mode == "legacy" and stateless:
        assert result.is_error and "cannot be asked" in text and "nothing was sent" in text
        assert sandbox.projectworks.writes == [] and person.asked == []
    else:
        assert not result.is_error, text
        assert len(person.asked) == 1 and [r.method for r in sandbox.projectworks.writes] == ["DELETE"]
