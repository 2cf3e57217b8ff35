"""Issue 17, every write readable afterwards: a task's placeholders and assignments, a user's postings and leave
balances; the placeholder create is annotated as not idempotent; overlapping postings are reported (and a second
posting on the same start day refused); the leave-balance refusal names the posting it found and why it does not
count."""

from __future__ import annotations

from datetime import date, timedelta

from mcp import Client

from tests.conftest import call_err, call_ok

POSTING = {
    "is_billable": True,
    "recoverable": 1,
    "rate": 80,
    "office_id": 1,
    "location_id": 1,
    "team_id": 1,
    "position_id": 1,
    "agreement_type_id": 1,
    "currency_id": 1,
}


async def test_placeholder_create_is_not_idempotent_and_both_are_read_back(client: Client, sandbox) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert tools["projectworks_update_task_placeholder"].annotations.idempotent_hint is False
    assert tools["projectworks_list_task_assignments"].annotations.read_only_hint is True
    first = await call_ok(client, "projectworks_update_task_placeholder", {"task_id": 503, "role_id": 11, "hours": 20})
    again = {"task_id": 503, "role_id": 11, "hours": 20, "allow_duplicate": True}  # the duplicate guard would refuse
    second = await call_ok(client, "projectworks_update_task_placeholder", again)
    assert first["placeholder_id"] != second["placeholder_id"]  # each call without placeholder_id adds one
    await call_ok(client, "projectworks_update_task_user", {"task_id": 503, "user_id": 102, "hours": 12})
    out = await call_ok(client, "projectworks_list_task_assignments", {"task_id": 503})
    assert [(p["placeholder_id"], p["role_id"], p["hours"]) for p in out["placeholders"]] == [
        (first["placeholder_id"], 11, 20),
        (second["placeholder_id"], 11, 20),
    ]
    assert [(u["user_id"], u["hours"]) for u in out["users"]] == [(103, 40), (102, 12)]
    text = await call_err(client, "projectworks_list_task_assignments", {"task_id": 999})
    assert "task_id 999: no such task in Projectworks" in text and "projectworks_list_tasks" in text


async def test_postings_are_read_back_and_an_overlap_is_reported(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_update_user_posting", {"user_id": 102, "start_date": "2027-01-04", **POSTING}
    )
    assert out["warning"] == (
        "It overlaps posting 9002 (2022-05-16 to open-ended); check with projectworks_list_user_postings that "
        "Projectworks ended the earlier one as intended."
    )
    listed = await call_ok(client, "projectworks_list_user_postings", {"user_id": 102})
    assert [(p["posting_id"], p["start_date"]) for p in listed["items"]] == [
        (9002, "2022-05-16"),
        (out["posting_id"], "2027-01-04"),
    ]
    assert listed["active_posting_id"] == 9002 and listed["has_more"] is False


async def test_a_second_posting_on_the_same_day_is_refused_naming_the_first(client: Client, sandbox) -> None:
    text = await call_err(
        client, "projectworks_update_user_posting", {"user_id": 102, "start_date": "2022-05-16", **POSTING}
    )
    assert text.startswith("User 102 already has posting 9002 (2022-05-16 to open-ended), starting the same day")
    assert "allow_overlap: true" in text and "projectworks_list_user_postings" in text
    assert sandbox.projectworks.writes == []


async def test_made_up_posting_ids_are_refused(client: Client, sandbox) -> None:
    args = {"user_id": 102, "start_date": "2027-01-04", **POSTING, "team_id": 42}
    text = await call_err(client, "projectworks_update_user_posting", args)
    assert "team_id 42 is not used by any of the 4 user postings read (known: 1 (seen on user posting 9001))" in text
    assert sandbox.projectworks.writes == []


async def test_leave_balances_refusal_names_the_future_posting_then_balances_read_back(client: Client, sandbox) -> None:
    user = await call_ok(
        client, "projectworks_create_user", {"email": "hine@demo-agency.test", "first_name": "Hine", "last_name": "Rua"}
    )
    uid = user["user_id"]
    next_week = (date.today() + timedelta(days=7)).isoformat()
    posting = await call_ok(
        client, "projectworks_update_user_posting", {"user_id": uid, "start_date": next_week, **POSTING}
    )
    balances = {"user_id": uid, "balances": [{"leave_type_id": 1, "balance": 20, "unit": "Days"}]}
    text = await call_err(client, "projectworks_update_user_leave_balances", balances)
    assert f"posting {posting['posting_id']} starts {next_week}, after today" in text
    assert f"Set the balances on or after {next_week}" in text and "no active posting" not in text
    await call_ok(
        client,
        "projectworks_update_user_posting",
        {"user_id": uid, "start_date": date.today().isoformat(), "end_date": next_week, **POSTING},
    )
    await call_ok(client, "projectworks_update_user_leave_balances", balances)
    out = await call_ok(client, "projectworks_get_user_leave_balances", {"user_id": uid})
    assert out == {
        "user_id": uid,
        "balances": [{"leave_type_id": 1, "leave_type_name": "Annual Leave", "balance": 20, "unit": "Days"}],
    }


async def test_reads_say_when_the_account_does_not_serve_them(client: Client, sandbox) -> None:
    from projectops_mcp.sandbox.recorder import Fault

    sandbox.projectworks.faults.add("GET", "/Users/102/LeaveBalances", Fault(status=404))
    text = await call_err(client, "projectworks_get_user_leave_balances", {"user_id": 102})
    assert "does not let the API read leave balances (GET /Users/102/LeaveBalances answered 404/405)" in text
    text = await call_err(client, "projectworks_list_user_postings", {"user_id": 999})
    assert "user_id 999: no such user in Projectworks" in text


async def test_resources_overlap_the_range_and_no_cursor_skips_bookings_without_id(client: Client, sandbox) -> None:
    # Bookings 9701/9702 run 2026-11-23..27; the id-less pencilled one 2026-12-01..05.
    out = await call_ok(client, "projectworks_list_resources", {"start_date": "2026-11-25", "end_date": "2026-12-02"})
    assert [r.get("resource_id") for r in out["items"]] == [9701, 9702, None]
    assert out["total"] == 3 and out["has_more"] is False
    assert all(("StartDate" not in dict(r.query)) for r in sandbox.projectworks.requests)
    within = await call_ok(
        client, "projectworks_list_resources", {"start_date": "2026-11-25", "end_date": "2026-12-02", "dates": "within"}
    )
    assert within["items"] == []  # the API's own filter: wholly inside only
    paged = await call_ok(
        client, "projectworks_list_resources", {"start_date": "2026-11-01", "page": 2, "page_size": 2}
    )
    assert [r.get("resource_id") for r in paged["items"]] == [None]
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "after_resource_id" not in str(tools["projectworks_list_resources"].input_schema)


async def test_timesheets_by_project_and_date_range_with_totals(client: Client, sandbox) -> None:
    # Demo: Adrian 450 min on task 502 (project 301) and Sina 240 min on task 503 (project 301), both 2026-11-16.
    week = {"start_date": "2026-11-16", "end_date": "2026-11-20"}
    out = await call_ok(client, "projectworks_list_timesheets", {"project_id": 301, **week})
    assert [(t["timesheet_id"], t["minutes"]) for t in out["items"]] == [(7001, 450), (7002, 240)]
    assert out["total"] == 2 and out["total_minutes"] == 690 and out["has_more"] is False
    days = [dict(r.query).get("Date") for r in sandbox.projectworks.requests if r.path == "/Timesheets"]
    assert days == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]  # the API's day filter
    other = await call_ok(client, "projectworks_list_timesheets", {"project_id": 302, "start_date": "2026-11-01"})
    assert other["items"] == [] and other["total_minutes"] == 0
    text = await call_err(
        client, "projectworks_list_timesheets", {"start_date": "2026-11-20", "end_date": "2026-11-16"}
    )
    assert "end_date" in text


async def test_task_reminders_have_the_page_envelope(client: Client) -> None:
    await call_ok(
        client,
        "teamwork_create_task_reminder",
        {"task_id": 5001, "user_ids": [238860], "date_time_utc": "2026-12-01T09:00:00Z"},
    )
    out = await call_ok(client, "teamwork_list_task_reminders", {"task_id": 5001})
    assert set(out) >= {"items", "page", "page_size", "has_more"} and out["has_more"] is False
    assert out["total"] == len(out["items"]) >= 1
