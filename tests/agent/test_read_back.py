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
    second = await call_ok(client, "projectworks_update_task_placeholder", {"task_id": 503, "role_id": 11, "hours": 20})
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
