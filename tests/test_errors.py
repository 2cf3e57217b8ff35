"""Error texts are composed in one place (`errors.compose`) from their parts, and every copy of an upstream error
keeps all of them, `retry_after` included; the request budget of a call stops the client before it sends more."""

from __future__ import annotations

import pytest

from projectops_mcp.backends import Backends
from projectops_mcp.calls import Call, current_call
from projectops_mcp.errors import NOTHING_WRITTEN, PrerequisiteError, UpstreamError, compose
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import registered_tools
from projectops_mcp.toolkit import validate_arguments
from tests.conftest import LiveSandbox, make_settings

V3 = "/projects/api/v3"


def test_compose_puts_cause_upstream_words_and_next_steps_in_one_shape() -> None:
    assert compose("Teamwork refused POST /x (HTTP 403)", "Ask an admin.", upstream="no") == (
        'Teamwork refused POST /x (HTTP 403): "no". Ask an admin.'
    )
    assert compose("Teamwork found no such record (HTTP 404 for GET /x)") == (
        "Teamwork found no such record (HTTP 404 for GET /x)."
    )
    assert compose("role_id: role 9 is inactive.", None, NOTHING_WRITTEN) == (
        "role_id: role 9 is inactive. Nothing was written."
    )
    error = PrerequisiteError("role_id: role 9 does not exist", fix_with="projectworks_list_roles")
    assert str(error) == "role_id: role 9 does not exist. Fix it with projectworks_list_roles. Nothing was written."


def test_every_copy_of_an_upstream_error_keeps_every_part() -> None:
    error = UpstreamError(
        "Projectworks is rate limiting requests (HTTP 429) and refused POST /Leaves",
        backend="Projectworks",
        status=429,
        method="POST",
        path="/Leaves",
        retry_after=12.0,
        upstream="slow down",
        then=("It was not applied.",),
    )
    copy = error.with_hint("Already written: 1, 2.").with_lookup("projectworks_list_leaves")
    assert (copy.status, copy.method, copy.path, copy.retry_after, copy.backend) == (
        429,
        "POST",
        "/Leaves",
        12.0,
        "Projectworks",
    )
    assert str(copy) == (
        'Projectworks is rate limiting requests (HTTP 429) and refused POST /Leaves: "slow down". It was not '
        "applied. Already written: 1, 2."
    )
    unknown = UpstreamError("Teamwork failed", backend="Teamwork", outcome_unknown=True, retry_after=3.0)
    checked = unknown.with_lookup("teamwork_list_tags")
    assert checked.retry_after == 3.0 and checked.outcome_unknown
    assert str(checked).endswith("Check with teamwork_list_tags whether it was applied before trying again.")


async def test_a_rate_limited_bulk_write_after_partial_success_keeps_retry_after(sandbox: LiveSandbox) -> None:
    """teamwork_set_task_custom_field_values re-raises with what was already written; the wait survives."""
    settings = make_settings(sandbox)
    (tool,) = [t for t in registered_tools() if t.name == "teamwork_set_task_custom_field_values"]
    values = [{"custom_field_id": 2794, "value": "PO-2"}, {"custom_field_id": 2558, "value": "Draft"}]
    args = validate_arguments(tool, {"task_id": 5002, "values": values})
    async with Backends(settings) as backends:
        tw = backends.teamwork()
        # An existing value for 2794 makes it an update (the bulk call); 2558 is created first.
        first = validate_arguments(tool, {"task_id": 5002, "values": [{"custom_field_id": 2794, "value": "PO-1"}]})
        await tool.handler(first, tw, Call("t1", tool.name))
        sandbox.teamwork.faults.add("POST", f"{V3}/tasks/5002/customfields/bulk/update.json", Fault.rate_limited(7))
        with pytest.raises(UpstreamError) as raised:
            await tool.handler(args, tw, Call("t2", tool.name))
    assert raised.value.retry_after == 7 and raised.value.status == 429
    assert "already written" in str(raised.value) and "Wait about 7 seconds" in str(raised.value)


async def test_the_request_budget_stops_the_client_before_it_sends(sandbox: LiveSandbox) -> None:
    async with Backends(make_settings(sandbox)) as backends:
        pw = backends.projectworks()
        call = Call("b1", "projectworks_list_roles", "projectworks", max_upstream_requests=1)
        token = current_call.set(call)
        try:
            await pw.get("/Users/Roles")
            with pytest.raises(UpstreamError, match="budget of 1 Projectworks requests") as raised:
                await pw.get("/Users/Roles")
        finally:
            current_call.reset(token)
    assert "was not sent" in str(raised.value) and call.upstream_requests == 1
    assert len(sandbox.projectworks.find("GET", "/Users/Roles")) == 1
