"""Timers (v3 /me/timers writes, /timers reads): exact requests, a timer completed into a time entry, refusals
before any write, upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_timer_lifecycle_into_a_time_entry(client: Client, sandbox) -> None:
    started = await call_ok(
        client,
        "teamwork_start_timer",
        {"task_id": 5001, "description": "Research", "billable": True, "seconds": 3000},
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path) == ("POST", f"{V3}/me/timers.json")
    assert post.json == {
        "timer": {
            "projectId": 732893,
            "taskId": 5001,
            "description": "Research",
            "isBillable": True,
            "isRunning": True,
            "seconds": 3000,
        }
    }
    tid = started["timer_id"]
    assert started["running"] is True and started["project_id"] == 732893 and started["seconds"] == 3000
    paused = await call_ok(client, "teamwork_pause_timer", {"timer_id": tid})
    assert paused["running"] is False
    assert (await call_ok(client, "teamwork_resume_timer", {"timer_id": tid}))["running"] is True
    updated = await call_ok(client, "teamwork_update_timer", {"timer_id": tid, "description": "Research notes"})
    assert updated["description"] == "Research notes"
    assert sandbox.teamwork.writes[-1].json == {"timer": {"description": "Research notes"}}
    done = await call_ok(client, "teamwork_complete_timer", {"timer_id": tid})
    assert [(r.method, r.path, r.body) for r in sandbox.teamwork.writes[1:3]] == [
        ("PUT", f"{V3}/me/timers/{tid}/pause.json", b""),
        ("PUT", f"{V3}/me/timers/{tid}/resume.json", b""),
    ]
    assert sandbox.teamwork.writes[-1].path == f"{V3}/me/timers/{tid}/complete.json"
    assert done["running"] is False and done["time_entry_id"]
    entries = await call_ok(client, "teamwork_list_time_entries", {"task_id": 5001})
    entry = next(e for e in entries["items"] if e["time_entry_id"] == done["time_entry_id"])
    assert entry["minutes"] == 50 and entry["description"] == "Research notes" and entry["billable"] is True


async def test_list_get_and_delete_timers(client: Client, sandbox) -> None:
    a = await call_ok(client, "teamwork_start_timer", {"project_id": 739377})
    assert sandbox.teamwork.writes[-1].json == {"timer": {"projectId": 739377, "isRunning": True}}
    b = await call_ok(client, "teamwork_start_timer", {"task_id": 5002})
    await call_ok(client, "teamwork_pause_timer", {"timer_id": b["timer_id"]})
    running = await call_ok(client, "teamwork_list_timers", {"running_only": True, "user_id": 238860})
    assert [t["timer_id"] for t in running["items"]] == [a["timer_id"]]
    assert sandbox.teamwork.requests[-1].query == [
        ("userId", "238860"),
        ("runningTimersOnly", "true"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    got = await call_ok(client, "teamwork_get_timer", {"timer_id": b["timer_id"]})
    assert got["task_id"] == 5002 and got["running"] is False
    assert sandbox.teamwork.requests[-1].path == f"{V3}/timers/{b['timer_id']}.json"
    assert await call_ok(client, "teamwork_delete_timer", {"timer_id": b["timer_id"]}) == {
        "id": b["timer_id"],
        "deleted": True,
    }
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == (
        "DELETE",
        f"{V3}/me/timers/{b['timer_id']}.json",
    )
    assert "404" in await call_err(client, "teamwork_get_timer", {"timer_id": b["timer_id"]})


async def test_timer_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_start_timer", {}, "task_id or project_id"),
        ("teamwork_start_timer", {"task_id": 5001, "seconds": -1}, "seconds"),
        ("teamwork_update_timer", {"timer_id": 1}, "nothing to change"),
        ("teamwork_pause_timer", {"timer_id": 0}, "timer_id"),
    ]
    for name, args, field in cases:
        assert field in await call_err(client, name, args), name
    assert sandbox.teamwork.requests == []


async def test_timer_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_start_timer", {"task_id": 4242})
    assert "teamwork_list_tasks" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_start_timer", {"project_id": 4242})
    assert "teamwork_list_projects" in text
    text = await call_err(client, "teamwork_start_timer", {"task_id": 5001, "project_id": 739377})
    assert "project_id" in text and "732893" in text
    assert sandbox.teamwork.writes == []


async def test_timer_upstream_errors(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_start_timer", {"task_id": 5001})
    text = await call_err(client, "teamwork_start_timer", {"task_id": 5001, "allow_duplicate": True})  # to upstream
    assert "400" in text and "already running" in text
    sandbox.teamwork.faults.add("PUT", f"{V3}/me/timers/1/complete.json", Fault(status=502))
    text = await call_err(client, "teamwork_complete_timer", {"timer_id": 1})
    assert "502" in text and len(sandbox.teamwork.find("PUT")) == 1  # a completion is never re-sent
