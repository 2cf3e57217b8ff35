"""Time entries (v3 timelogs): the create body of the reference (§6.12) key for key, RFC 3339 list filters, PATCH
with only what changed, delete, prerequisites and upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_log_time_exact_request_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_log_time",
        {
            "task_id": 5003,
            "date": "2026-11-19",
            "time": "17:18",
            "is_utc": True,
            "description": "Token refresh",
            "hours": 1,
            "minutes": 30,
            "billable": False,
            "user_id": 369453,
            "tag_ids": [17062],
        },
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == f"{V3}/tasks/5003/time.json"
    assert post.json == {
        "timelog": {
            "date": "2026-11-19",
            "time": "17:18:00",
            "isUTC": True,
            "description": "Token refresh",
            "hours": 1,
            "minutes": 30,
            "isBillable": False,
            "userId": 369453,
            "tagIds": [17062],
        }
    }
    assert out["minutes"] == 90 and out["hours"] == 1.5 and out["billable"] is False
    assert (out["task_id"], out["project_id"], out["user_id"], out["date"]) == (5003, 732893, 369453, "2026-11-19")
    listed = await call_ok(client, "teamwork_list_time_entries", {"task_id": 5003})
    assert out["time_entry_id"] in [e["time_entry_id"] for e in listed["items"]]


async def test_log_minutes_only_uses_defaults(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "minutes": 45})
    (post,) = sandbox.teamwork.find("POST")
    # Only what is needed: 09:00 in the person's own time zone, no billable flag (the project's default applies).
    assert post.json == {
        "timelog": {"date": "2026-11-20", "time": "09:00:00", "isUTC": False, "hours": 0, "minutes": 45}
    }
    assert out["minutes"] == 45 and out["user_id"] == 238860


async def test_list_time_entries_filters(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_list_time_entries",
        {"project_id": 732893, "user_ids": [369453], "start_date": "2026-11-17", "end_date": "2026-11-17"},
    )
    (req,) = sandbox.teamwork.requests
    assert req.path == f"{V3}/projects/732893/time.json"
    assert req.query == [
        ("assignedToUserIds", "369453"),
        ("startDate", "2026-11-17T00:00:00Z"),
        ("endDate", "2026-11-17T23:59:59Z"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    assert [e["time_entry_id"] for e in out["items"]] == [33001]
    assert out["items"][0]["description"] == "Interview with CFO" and out["items"][0]["billable"] is True
    everything = await call_ok(client, "teamwork_list_time_entries", {"page_size": 1})
    assert sandbox.teamwork.requests[-1].path == f"{V3}/time.json"
    assert len(everything["items"]) == 1 and everything["has_more"] is True


async def test_update_sends_only_what_changed_and_keeps_hours_with_minutes(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_time_entry", {"time_entry_id": 33002, "description": "OAuth + PKCE"})
    (patch,) = sandbox.teamwork.find("PATCH")
    assert patch.path == f"{V3}/time/33002.json"
    assert patch.json == {"timelog": {"description": "OAuth + PKCE"}}
    assert out["description"] == "OAuth + PKCE" and out["minutes"] == 240
    out = await call_ok(
        client, "teamwork_update_time_entry", {"time_entry_id": 33002, "minutes": 200, "billable": True}
    )
    assert sandbox.teamwork.find("PATCH")[-1].json == {"timelog": {"hours": 0, "minutes": 200, "isBillable": True}}
    assert out["minutes"] == 200
    listed = await call_ok(client, "teamwork_list_time_entries", {"task_id": 5003})
    assert [(e["minutes"], e["description"]) for e in listed["items"]] == [(200, "OAuth + PKCE")]


async def test_delete_time_entry(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_time_entry", {"time_entry_id": 33001})
    assert out == {"id": 33001, "deleted": True}
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("DELETE", f"{V3}/time/33001.json")
    listed = await call_ok(client, "teamwork_list_time_entries", {"task_id": 5001})
    assert listed["items"] == []
    text = await call_err(client, "teamwork_delete_time_entry", {"time_entry_id": 33001})
    assert "404" in text and "teamwork_list_time_entries" in text


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_log_time", {"task_id": 5001, "date": "2026-11-20"}, "minutes"),
        ("teamwork_log_time", {"task_id": 5001, "date": "20/11/2026", "minutes": 5}, "date"),
        ("teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "hours": 25}, "hours"),
        ("teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "minutes": 0}, "minutes"),
        ("teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "minutes": 5, "time": "25:00"}, "time"),
        ("teamwork_update_time_entry", {"time_entry_id": 33001}, "at least one"),
        ("teamwork_list_time_entries", {"project_id": 732893, "task_id": 5001}, "task_id"),
        ("teamwork_list_time_entries", {"start_date": "2026-12-01", "end_date": "2026-11-01"}, "start_date"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []


async def test_missing_task_or_person_is_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_log_time", {"task_id": 999999, "date": "2026-11-20", "minutes": 5})
    assert "teamwork_list_tasks" in text and "Nothing was written" in text
    text = await call_err(
        client, "teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "minutes": 5, "user_id": 4242}
    )
    assert "user_id" in text and "teamwork_list_people" in text
    text = await call_err(client, "teamwork_update_time_entry", {"time_entry_id": 33001, "user_id": 4242})
    assert "user_id" in text
    assert sandbox.teamwork.writes == []


async def test_a_failed_post_is_not_resent(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"{V3}/tasks/5001/time.json", Fault(status=502, after=True))
    text = await call_err(client, "teamwork_log_time", {"task_id": 5001, "date": "2026-11-20", "minutes": 5})
    assert "502" in text and "NOT retried" in text and "teamwork_list_time_entries" in text
    assert len(sandbox.teamwork.find("POST")) == 1
