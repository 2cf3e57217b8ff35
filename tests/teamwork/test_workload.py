"""Workload (v3): exact query (dates, comma-joined id filters, `include` REPEATED, `omitEmptyDateEntries=true`),
per-person per-day planned load, working-hours sideloads, paging."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

ADRIAN = 369453


async def test_workload_query_and_planned_load(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_get_workload",
        {
            "start_date": "2026-11-16",
            "end_date": "2026-11-20",
            "user_ids": [ADRIAN, 412001],
            "project_ids": [732893],
            "include_working_hours": True,
            "page_size": 20,
        },
    )
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/workload.json")
    assert req.query == [
        ("startDate", "2026-11-16"),
        ("endDate", "2026-11-20"),
        ("userIds", "369453,412001"),
        ("projectIds", "732893"),
        ("page", "1"),
        ("pageSize", "20"),
        ("include", "users"),
        ("include", "workingHours"),
        ("include", "workingHourEntries"),
        ("omitEmptyDateEntries", "true"),
    ]
    by_user = {p["user_id"]: p for p in out["items"]}
    adrian = by_user[ADRIAN]
    assert adrian["name"] == "Adrian Kerr"
    assert adrian["working_hours"]["monday"] == 8 and adrian["working_hours"]["sunday"] == 0
    # Task 5001: 480 min / 2 assignees / 21 working days = 11.4 min a day; task 5003: 1200 min / 20 days = 60.
    # 71 of Adrian's 480 working minutes = 14.8%.
    monday = adrian["days"][0]
    assert monday == {
        "date": "2026-11-16",
        "planned_percent": 14.8,
        "planned_minutes": 71,
        "unavailable": False,
        "holiday": False,
    }
    assert [d["date"] for d in adrian["days"]] == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]
    assert by_user[412001]["working_hours"]["monday"] == 6


async def test_workload_without_working_hours_and_paging(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_get_workload", {"start_date": "2026-11-21", "end_date": "2026-11-22", "page_size": 2}
    )
    assert out["has_more"] is True and len(out["items"]) == 2
    assert all(p["days"] == [] and "working_hours" not in p for p in out["items"])  # a weekend: nothing planned
    req = sandbox.teamwork.requests[0]
    assert [v for k, v in req.query if k == "include"] == ["users"]


async def test_workload_filters_by_company_and_team(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_get_workload", {"start_date": "2026-11-16", "end_date": "2026-11-16", "company_ids": [2]}
    )
    assert [p["user_id"] for p in out["items"]] == [512002]
    out = await call_ok(
        client, "teamwork_get_workload", {"start_date": "2026-11-16", "end_date": "2026-11-16", "team_ids": [91]}
    )
    assert sorted(p["user_id"] for p in out["items"]) == [238860, ADRIAN]
    assert sandbox.teamwork.requests[1].params["teamIds"] == "91"


async def test_workload_bad_inputs_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"end_date": "2026-11-20"}, "start_date"),
        ({"start_date": "2026-11-20", "end_date": "2026-11-16"}, "end_date must be on or after"),
        ({"start_date": "2026-01-01", "end_date": "2027-06-01"}, "366 days"),
        ({"start_date": "16/11/2026", "end_date": "2026-11-20"}, "start_date"),
        ({"start_date": "2026-11-16", "end_date": "2026-11-20", "user_ids": ["x"]}, "user_ids"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_get_workload", args)
        assert field in text, (field, text)
    assert sandbox.teamwork.requests == []


async def test_workload_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "GET", "/projects/api/v3/workload.json", Fault(status=403, body={"errors": [{"detail": "no access"}]})
    )
    text = await call_err(client, "teamwork_get_workload", {"start_date": "2026-11-16", "end_date": "2026-11-20"})
    assert "403" in text and "no access" in text
