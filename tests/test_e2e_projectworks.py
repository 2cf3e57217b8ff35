"""End-to-end on the Projectworks simulator, through the MCP client, as an operations agent would work:
onboard a user, staff a task, log a week of time, file an expense claim with its receipt, request leave.
Every step is verified by reading the record back."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from mcp import Client

from tests.conftest import call_err, call_ok

RECEIPT = base64.b64encode(b"%PDF-1.4 taxi receipt NZD 42.50").decode()


async def test_onboard_staff_log_claim_and_leave(client: Client, sandbox) -> None:
    today = date.today()
    # 1. Onboard: the user, then roles, a posting and leave balances (which need the posting first).
    user = await call_ok(
        client,
        "projectworks_create_user",
        {
            "email": "mere@demo-agency.test",
            "first_name": "Mere",
            "last_name": "Tane",
            "employee_start_date": str(today),
        },
    )
    user_id = user["user_id"]
    assert (await call_ok(client, "projectworks_get_user", {"user_id": user_id}))["email"] == "mere@demo-agency.test"

    roles = await call_ok(client, "projectworks_list_roles", {})
    developer = next(r["role_id"] for r in roles["items"] if r["code"] == "DEV")
    await call_ok(client, "projectworks_update_user_roles", {"user_id": user_id, "role_ids": [developer]})

    types = await call_ok(client, "projectworks_list_leave_types", {})
    annual = next(t for t in types["items"] if t["name"] == "Annual Leave")
    balances = {"user_id": user_id, "balances": [{"leave_type_id": annual["type_id"], "balance": 10, "unit": "Days"}]}
    writes_before = len(sandbox.projectworks.writes)
    refused = await call_err(client, "projectworks_update_user_leave_balances", balances)
    assert "projectworks_update_user_posting" in refused
    assert len(sandbox.projectworks.writes) == writes_before  # refused before anything was sent

    offices = await call_ok(client, "projectworks_list_offices", {})
    posting = await call_ok(
        client,
        "projectworks_update_user_posting",
        {
            "user_id": user_id,
            "start_date": str(today),
            "is_billable": True,
            "recoverable": 1,
            "rate": 95,
            "office_id": offices["items"][0]["office_id"],
            "location_id": 1,
            "team_id": 1,
            "position_id": 1,
            "agreement_type_id": 1,
            "currency_id": 1,
            "capacity_days": [{"day_of_week": d, "hours": 8} for d in range(1, 6)],
        },
    )
    assert posting["start_date"] == str(today)
    await call_ok(client, "projectworks_update_user_leave_balances", balances)
    stored = sandbox.projectworks.store.table("users")[user_id]
    assert stored["LeaveBalances"] and stored["Postings"]

    # 2. Staff a task: a Developer placeholder, then the new user assigned.
    placeholder = await call_ok(
        client, "projectworks_update_task_placeholder", {"task_id": 502, "role_id": developer, "hours": 80}
    )
    assert placeholder["role_id"] == developer
    await call_ok(client, "projectworks_update_task_user", {"task_id": 502, "user_id": user_id, "hours": 80})
    task = await call_ok(client, "projectworks_get_task", {"task_id": 502})
    assert user_id in task["user_ids"]

    # 3. Log a week of time (Monday to Friday of this week).
    monday = today - timedelta(days=today.weekday())
    for offset in range(5):
        await call_ok(
            client,
            "projectworks_create_timesheet",
            {"user_id": user_id, "task_id": 502, "date": str(monday + timedelta(days=offset)), "hours": 7.5},
        )
    logged = await call_ok(client, "projectworks_list_timesheets", {"user_id": user_id, "page_size": 50})
    assert len(logged["items"]) == 5 and sum(t["minutes"] for t in logged["items"]) == 5 * 450

    # 4. File an expense claim with its receipt.
    claim = await call_ok(
        client,
        "projectworks_create_expense_claim",
        {
            "user_id": user_id,
            "project_id": 301,
            "module_id": 402,
            "expense_claim_type_id": 1,
            "is_reimbursable": True,
            "is_processed": False,
            "date": str(today),
            "amount": 42.5,
            "currency_id": 1,
            "tax_type_id": 1,
            "notes": "Taxi to the client workshop",
            "receipt_base64": RECEIPT,
            "receipt_filename": "taxi.pdf",
        },
    )
    read_back = await call_ok(client, "projectworks_get_expense_claim", {"expense_claim_id": claim["expense_claim_id"]})
    assert read_back["amount"] == 42.5 and "taxi.pdf" in read_back["file_names"]
    (post,) = sandbox.projectworks.find("POST", "/ExpenseClaims")
    assert post.json["fileName"] == "taxi.pdf" and post.json["fileContent"] == RECEIPT

    # 5. Request two days of leave.
    statuses = await call_ok(client, "projectworks_list_leave_statuses", {})
    requested = next(s["status_id"] for s in statuses["items"] if s["name"] == "Requested")
    first_day = monday + timedelta(days=14)
    leave = await call_ok(
        client,
        "projectworks_create_leave",
        {
            "user_id": user_id,
            "status_id": requested,
            "days": [
                {"date": str(first_day + timedelta(days=i)), "type_id": annual["type_id"], "hours": 8} for i in range(2)
            ],
            "request_comment": "Whanau visit",
        },
    )
    again = await call_ok(client, "projectworks_get_leave", {"leave_id": leave["leave_id"]})
    assert again["user_id"] == user_id and len(again["days"]) == 2 and again["total_hours"] == 16
