"""One time entry, counting entries, and the v3 time report grouped by person/project/task."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_get_time_entry(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_time_entry", {"time_entry_id": 33001})
    assert out["minutes"] == 90 and out["task_id"] == 5001 and out["user_id"] == 369453
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", f"{V3}/time/33001.json", [])
    text = await call_err(client, "teamwork_get_time_entry", {"time_entry_id": 4242})
    assert "404" in text and "teamwork_list_time_entries" in text


async def test_count_time_entries_reads_meta_page_count(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_count_time_entries", {"project_id": 732893, "user_ids": [369453]})
    assert out == {"count": 2}
    (req,) = sandbox.teamwork.requests
    assert (req.path, req.query) == (
        f"{V3}/projects/732893/time.json",
        [("assignedToUserIds", "369453"), ("skipCounts", "false"), ("page", "1"), ("pageSize", "1")],
    )
    out = await call_ok(client, "teamwork_count_time_entries", {"start_date": "2026-11-18", "end_date": "2026-11-30"})
    assert out == {"count": 1}


async def test_summarize_time_by_user_and_task(client: Client, sandbox) -> None:
    await call_ok(
        client, "teamwork_log_time", {"task_id": 5002, "date": "2026-11-19", "minutes": 30, "billable": False}
    )
    out = await call_ok(
        client,
        "teamwork_summarize_time",
        {"group_by": "user", "start_date": "2026-11-01", "end_date": "2026-11-30", "project_ids": [732893]},
    )
    assert out["items"] == [
        {"id": 238860, "logged_minutes": 30, "billable_minutes": 0, "non_billable_minutes": 30, "billed_minutes": 0,
         "estimated_minutes": 0},
        {"id": 369453, "logged_minutes": 330, "billable_minutes": 330, "non_billable_minutes": 0,
         "billed_minutes": 0, "estimated_minutes": 0},
    ]  # fmt: skip
    assert out["total"] == 2 and out["has_more"] is False
    req = sandbox.teamwork.requests[-1]
    assert (req.method, req.path) == ("GET", f"{V3}/time/report/user.json")
    assert req.query == [
        ("type", "user"),
        ("startDate", "2026-11-01"),
        ("endDate", "2026-11-30"),
        ("projectIds", "732893"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    by_task = await call_ok(
        client, "teamwork_summarize_time", {"group_by": "task", "start_date": "2026-11-17", "end_date": "2026-11-17"}
    )
    assert [(r["id"], r["logged_minutes"]) for r in by_task["items"]] == [(5001, 90)]


async def test_time_report_bad_input_and_upstream_error(client: Client, sandbox) -> None:
    cases = [
        ({"group_by": "user", "start_date": "2026-11-30", "end_date": "2026-11-01"}, "start_date"),
        ({"group_by": "client", "start_date": "2026-11-01", "end_date": "2026-11-30"}, "group_by"),
        ({"group_by": "user", "start_date": "2026-11-01"}, "end_date"),
    ]
    for args, field in cases:
        assert field in await call_err(client, "teamwork_summarize_time", args)
    assert "not both" in await call_err(client, "teamwork_count_time_entries", {"project_id": 1, "task_id": 2})
    assert sandbox.teamwork.requests == []
    sandbox.teamwork.faults.add("GET", f"{V3}/time/report/project.json", *[Fault(status=503)] * 4)
    text = await call_err(
        client, "teamwork_summarize_time", {"group_by": "project", "start_date": "2026-11-01", "end_date": "2026-11-30"}
    )
    assert "503" in text
