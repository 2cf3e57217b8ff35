"""Timesheets against the reference notes (§2.2 #14, §2.3 #47-49, §7.2 #6): PascalCase list filters with `ID` for the
entry, POST /Timesheets, PUT /Timesheets with a lowercase `id` in the body, DELETE /Timesheets?id=."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_sends_every_filter_as_the_reference_names_it(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_timesheets",
        {
            "timesheet_id": 7001,
            "user_id": 102,
            "task_id": 502,
            "date": "2026-11-16",
            "comment": "Login flow",
            "user_external_reference": "EMP-102",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": True,
            "page_size": 10,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Timesheets")
    assert req.query == [
        ("ID", "7001"),
        ("UserID", "102"),
        ("TaskID", "502"),
        ("Date", "2026-11-16"),
        ("Comment", "Login flow"),
        ("UserExternalReference", "EMP-102"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "true"),
        ("page", "1"),
        ("pageSize", "10"),
    ]
    assert out["items"] == [
        {
            "timesheet_id": 7001,
            "user_id": 102,
            "user_name": "Adrian Kerr",
            "task_id": 502,
            "task_name": "iOS build",
            "date": "2026-11-16",
            "minutes": 450,
            "comment": "Login flow",
            "is_reviewed": False,
            "modified_at": "2026-10-01T09:00:00",
            "custom_fields": [],
        }
    ]
    assert out["has_more"] is False


async def test_list_task_external_reference_and_raw(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_timesheets", {"task_external_reference": "NOPE-1"})
    assert out["items"] == []
    assert sandbox.projectworks.requests[0].query == [
        ("TaskExternalReference", "NOPE-1"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    out = await call_ok(client, "projectworks_list_timesheets", {"user_id": 103, "include_raw": True})
    (entry,) = out["items"]
    assert entry["raw"]["ID"] == 7002 and entry["raw"]["Minutes"] == 240


async def test_list_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_timesheets", {"date": "16/11/2026", "timesheet_id": 0})
    assert "date" in text and "timesheet_id" in text
    text = await call_err(client, "projectworks_list_timesheets", {"id": 7001})
    assert "timesheet_id" in text
    assert sandbox.projectworks.requests == []


async def test_create_sends_the_reference_body_and_reads_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_timesheet",
        {
            "user_id": 102,
            "task_id": 502,
            "date": "2026-11-17",
            "hours": 1.5,
            "comment": "Standup and review",
            "is_reviewed": False,
        },
    )
    (post,) = sandbox.projectworks.writes
    assert (post.method, post.path, post.query) == ("POST", "/Timesheets", [])
    assert post.json == {
        "userID": 102,
        "taskID": 502,
        "date": "2026-11-17",
        "minutes": 90,
        "comment": "Standup and review",
        "isReviewed": False,
    }
    assert isinstance(post.json["minutes"], int)
    new_id = out["timesheet_id"]
    assert out["minutes"] == 90 and out["user_name"] == "Adrian Kerr"
    listed = await call_ok(client, "projectworks_list_timesheets", {"timesheet_id": new_id})
    assert [(e["timesheet_id"], e["minutes"], e["date"]) for e in listed["items"]] == [(new_id, 90, "2026-11-17")]


async def test_create_adds_hours_and_minutes_and_omits_unset_fields(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "projectworks_create_timesheet",
        {"user_id": 103, "task_id": 503, "date": "2026-11-18", "hours": 2, "minutes": 15},
    )
    (post,) = sandbox.projectworks.writes
    assert post.json == {"userID": 103, "taskID": 503, "date": "2026-11-18", "minutes": 135}


async def test_create_bad_input_sends_nothing(client: Client, sandbox) -> None:
    base = {"user_id": 102, "task_id": 502, "date": "2026-11-17"}
    text = await call_err(client, "projectworks_create_timesheet", {**base, "hours": 0.33})
    assert "hours" in text and "whole number of minutes" in text
    text = await call_err(client, "projectworks_create_timesheet", base)
    assert "minutes" in text
    text = await call_err(client, "projectworks_create_timesheet", {**base, "minutes": 0})
    assert "minutes" in text
    text = await call_err(client, "projectworks_create_timesheet", {**base, "hours": 20, "minutes": 300})
    assert "minutes" in text and "1440" in text
    text = await call_err(client, "projectworks_create_timesheet", {**base, "date": "tomorrow", "minutes": 30})
    assert "date" in text
    assert sandbox.projectworks.requests == []


async def test_create_for_an_unassigned_user_says_how_to_fix_it(client: Client, sandbox) -> None:
    text = await call_err(
        client, "projectworks_create_timesheet", {"user_id": 104, "task_id": 502, "date": "2026-11-17", "minutes": 60}
    )
    assert "400" in text and "not assigned" in text and "projectworks_update_task_user" in text
    assert len(sandbox.projectworks.writes) == 1
    # Following the hint works: assign, then log.
    await call_ok(client, "projectworks_update_task_user", {"task_id": 502, "user_id": 104})
    out = await call_ok(
        client, "projectworks_create_timesheet", {"user_id": 104, "task_id": 502, "date": "2026-11-17", "minutes": 60}
    )
    assert out["user_id"] == 104 and out["minutes"] == 60


async def test_create_500_is_not_resent_and_points_to_the_list(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("POST", "/Timesheets", Fault(status=500, after=True))
    text = await call_err(
        client, "projectworks_create_timesheet", {"user_id": 102, "task_id": 502, "date": "2026-11-17", "minutes": 60}
    )
    assert "500" in text and "NOT retried" in text and "projectworks_list_timesheets" in text
    assert len(sandbox.projectworks.writes) == 1


async def test_update_reads_the_entry_then_puts_it_whole_with_id_in_the_body(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_timesheet", {"timesheet_id": 7001, "hours": 8})
    get, put = sandbox.projectworks.requests
    assert (get.method, get.path, get.query) == (
        "GET",
        "/Timesheets",
        [("ID", "7001"), ("page", "1"), ("pageSize", "1")],
    )
    assert (put.method, put.path, put.query) == ("PUT", "/Timesheets", [])  # no id in the path
    assert put.json == {
        "id": 7001,
        "userID": 102,
        "taskID": 502,
        "date": "2026-11-16",
        "minutes": 480,
        "comment": "Login flow",
        "isReviewed": False,
    }
    assert out["minutes"] == 480 and out["comment"] == "Login flow"
    listed = await call_ok(client, "projectworks_list_timesheets", {"timesheet_id": 7001})
    assert listed["items"][0]["minutes"] == 480


async def test_update_changes_only_what_is_given(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "projectworks_update_timesheet",
        {"timesheet_id": 7002, "comment": "", "date": "2026-11-17", "is_reviewed": True},
    )
    (put,) = sandbox.projectworks.writes
    assert put.json == {
        "id": 7002,
        "userID": 103,
        "taskID": 503,
        "date": "2026-11-17",
        "minutes": 240,
        "comment": "",
        "isReviewed": True,
    }


async def test_update_of_a_missing_entry_is_refused_before_any_write(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_timesheet", {"timesheet_id": 999999, "minutes": 30})
    assert "999999" in text and "projectworks_list_timesheets" in text and "Nothing was written" in text
    assert sandbox.projectworks.writes == []


async def test_update_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_timesheet", {"timesheet_id": 7001})
    assert "nothing to change" in text
    text = await call_err(client, "projectworks_update_timesheet", {"minutes": 30})
    assert "timesheet_id" in text
    text = await call_err(client, "projectworks_update_timesheet", {"timesheet_id": 7001, "hours": 25})
    assert "hours" in text
    assert sandbox.projectworks.requests == []


async def test_delete_uses_the_lowercase_id_query_parameter(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_delete_timesheet", {"timesheet_id": 7002})
    assert out == {"id": 7002, "deleted": True}
    (delete,) = sandbox.projectworks.writes
    assert (delete.method, delete.path, delete.query, delete.body) == ("DELETE", "/Timesheets", [("id", "7002")], b"")
    listed = await call_ok(client, "projectworks_list_timesheets", {"timesheet_id": 7002})
    assert listed["items"] == []


async def test_delete_of_a_missing_entry_points_to_the_list(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_delete_timesheet", {"timesheet_id": 999999})
    assert "404" in text and "projectworks_list_timesheets" in text
    text = await call_err(client, "projectworks_delete_timesheet", {"timesheet_id": -1})
    assert "timesheet_id" in text
    assert len(sandbox.projectworks.requests) == 1
