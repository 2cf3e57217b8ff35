"""Issue 17's six everyday agency tasks, driven against a fresh sandbox through the MCP SDK client, counting the
tool calls each takes: `before` is the path the old tool set forced (ids copied from records or guessed, no
read-back, one timesheet list per task), `after` the path the current tools allow. Both run on the current code
(a removed parameter is replaced by its equivalent: dates="within" for the API's own resource date filter). Every
call really runs; a failed call counts too. "checked" is the path's own check of its outcome: a read-back where one
exists, else that the write was accepted (before, nothing could read placeholders or balances back).

    .venv/bin/python bench/agent_tasks.py
"""

from __future__ import annotations

import base64
import os
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import anyio
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.sandbox import SANDBOX_RECEIPTS_DIR
from projectops_mcp.server import build_server

WEEK = [(date(2026, 12, 7) + timedelta(days=n)).isoformat() for n in range(5)]
RECEIPT = base64.b64encode((SANDBOX_RECEIPTS_DIR / "taxi-2026-11-20.pdf").read_bytes()).decode()


class Agent:
    """An MCP client that counts its tool calls and keeps the structured results."""

    def __init__(self, client: Client):
        self.client, self.calls, self.errors, self.error_texts = client, 0, 0, []

    async def __call__(self, tool_name: str, /, **args: Any) -> dict[str, Any]:
        self.calls += 1
        result = await self.client.call_tool(tool_name, args)
        if result.is_error:
            self.errors += 1
            self.error_texts.append(f"{tool_name}: {result.content[0].text[:300]}")
            return {"error": result.content[0].text}
        return result.structured_content or {}


async def newest_user(a: Agent) -> int:
    users = (await a("projectworks_list_users", page_size=500))["items"]
    return max(users, key=lambda u: u.get("employee_start_date") or "")["user_id"]


# -- 1. log a week of time for the newest user -------------------------------------------------------------------


async def week_before(a: Agent) -> bool:
    uid = await newest_user(a)
    await a("projectworks_update_task_user", task_id=502, user_id=uid)
    for day in WEEK:
        await a("projectworks_create_timesheet", user_id=uid, task_id=502, date=day, hours=7.5)
    logged = await a("projectworks_list_timesheets", user_id=uid, page_size=500)  # no date range: filter by eye
    return len([t for t in logged["items"] if t["date"] in WEEK]) == 5


async def week_after(a: Agent) -> bool:
    uid = await newest_user(a)
    await a("projectworks_update_task_user", task_id=502, user_id=uid)
    for day in WEEK:
        await a("projectworks_create_timesheet", user_id=uid, task_id=502, date=day, hours=7.5)
    logged = await a("projectworks_list_timesheets", user_id=uid, start_date=WEEK[0], end_date=WEEK[-1])
    return logged.get("total_minutes") == 5 * 450


# -- 2. a 45.50 NZD taxi claim with a receipt --------------------------------------------------------------------

CLAIM = {
    "user_id": 102,
    "project_id": 301,
    "module_id": 402,
    "is_reimbursable": True,
    "is_processed": False,
    "date": "2026-11-20",
    "amount": 45.5,
}


async def claim_before(a: Agent) -> bool:
    existing = (await a("projectworks_list_expense_claims", page_size=50))["items"]  # copy ids from a claim
    ids = {k: existing[0][k] for k in ("expense_claim_type_id", "currency_id", "tax_type_id")}
    out = await a(
        "projectworks_create_expense_claim", **CLAIM, **ids, receipt_base64=RECEIPT, receipt_filename="taxi.pdf"
    )
    back = await a("projectworks_get_expense_claim", expense_claim_id=out["expense_claim_id"])
    return back.get("file_names") == ["taxi.pdf"]


async def claim_after(a: Agent) -> bool:
    known = await a("projectworks_list_reference_ids", kinds=["expense_claim_type", "currency", "tax_type"])
    first = {i["kind"]: i["id"] for i in reversed(known["items"])}
    out = await a(
        "projectworks_create_expense_claim",
        **CLAIM,
        expense_claim_type_id=first["expense_claim_type"],
        currency_id=first["currency"],
        tax_type_id=first["tax_type"],
        receipt_path="taxi-2026-11-20.pdf",
    )
    return out.get("file_names") == ["taxi-2026-11-20.pdf"]


# -- 3. a Designer placeholder -------------------------------------------------------------------------------------


async def placeholder_before(a: Agent) -> bool:
    roles = (await a("projectworks_list_roles"))["items"]
    designer = next(r["role_id"] for r in roles if r.get("description") == "Designer")
    await a("projectworks_update_task_placeholder", task_id=503, role_id=designer, hours=40)
    task = await a("projectworks_get_task", task_id=503)  # shows assigned users only: no way to see the slot
    return "placeholders" in task


async def placeholder_after(a: Agent) -> bool:
    roles = (await a("projectworks_list_roles"))["items"]
    designer = next(r["role_id"] for r in roles if r.get("description") == "Designer")
    await a("projectworks_update_task_placeholder", task_id=503, role_id=designer, hours=40)
    back = await a("projectworks_list_task_assignments", task_id=503)
    return [p["role_id"] for p in back["placeholders"]] == [designer]


# -- 4. leave balances for a new hire ------------------------------------------------------------------------------

HIRE = {"email": "tama@demo-agency.test", "first_name": "Tama", "last_name": "Wiremu"}
BALANCES = [{"leave_type_id": 1, "balance": 20, "unit": "Days"}, {"leave_type_id": 2, "balance": 10, "unit": "Days"}]


async def hire_before(a: Agent) -> bool:
    uid = (await a("projectworks_create_user", **HIRE))["user_id"]
    await a("projectworks_list_offices")
    await a("projectworks_list_leave_types", is_active=True)
    # Location, team, position, agreement, currency: no tool listed them; an agent guessed 1.
    posting = {
        "start_date": date.today().isoformat(),
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
    await a("projectworks_update_user_posting", user_id=uid, **posting)
    out = await a("projectworks_update_user_leave_balances", user_id=uid, balances=BALANCES)
    return "error" not in out  # nothing could read the balances back


async def hire_after(a: Agent) -> bool:
    uid = (await a("projectworks_create_user", **HIRE))["user_id"]
    await a("projectworks_list_offices")
    known = await a(
        "projectworks_list_reference_ids",
        kinds=["recoverable", "location", "team", "position", "agreement_type", "currency"],
    )
    pick = {i["kind"]: i["id"] for i in reversed(known["items"])}
    await a("projectworks_list_leave_types", is_active=True)
    posting = {
        "start_date": date.today().isoformat(),
        "is_billable": True,
        "recoverable": pick["recoverable"],
        "rate": 80,
        "office_id": 1,
        "location_id": pick["location"],
        "team_id": pick["team"],
        "position_id": pick["position"],
        "agreement_type_id": pick["agreement_type"],
        "currency_id": pick["currency"],
    }
    await a("projectworks_update_user_posting", user_id=uid, **posting)
    await a("projectworks_update_user_leave_balances", user_id=uid, balances=BALANCES)
    back = await a("projectworks_get_user_leave_balances", user_id=uid)
    return [b["balance"] for b in back.get("balances", [])] == [20, 10]


# -- 5. a Teamwork task with two assignees, a relative reminder and a custom field ---------------------------------


async def teamwork_task(a: Agent) -> bool:
    lists = (await a("teamwork_list_tasklists", project_id=732893))["items"]
    people = (await a("teamwork_list_people", project_id=732893))["items"]
    assignees = [p["person_id"] if "person_id" in p else p["id"] for p in people[:2]]
    task = await a(
        "teamwork_create_task",
        name="Release checklist",
        tasklist_id=lists[0]["tasklist_id"] if "tasklist_id" in lists[0] else lists[0]["id"],
        due_date="2026-12-18",
        assignee_user_ids=assignees,
    )
    task_id = task.get("task_id") or task.get("id")
    fields = (await a("teamwork_list_custom_fields", entities=["task"]))["items"]
    field = fields[0]
    await a(
        "teamwork_set_custom_field_value",
        entity="task",
        entity_id=task_id,
        custom_field_id=field.get("custom_field_id") or field.get("id"),
        value="PO-1234",
    )
    await a("teamwork_create_task_reminder", task_id=task_id, all_assignees=True, is_relative=True, relative_days=2)
    reminders = await a("teamwork_list_task_reminders", task_id=task_id)
    return len(reminders.get("items", [])) == 1 and "has_more" in reminders  # the envelope is new (issue 17)


# -- 6. over-allocation and planned-vs-logged ----------------------------------------------------------------------


async def planning_before(a: Agent) -> bool:
    # The API's own date filter: bookings wholly inside the range (an overlapping one is missed).
    booked = (await a("projectworks_list_resources", start_date="2026-11-25", end_date="2026-12-02", dates="within"))[
        "items"
    ]
    tasks = (await a("projectworks_list_tasks", project_id=301))["items"]
    for t in tasks:  # no project or range filter on timesheets: one list per task
        await a("projectworks_list_timesheets", task_id=t["task_id"], page_size=500)
    return len(booked) == 3


async def planning_after(a: Agent) -> bool:
    booked = (await a("projectworks_list_resources", start_date="2026-11-25", end_date="2026-12-02"))["items"]
    logged = await a("projectworks_list_timesheets", project_id=301, start_date="2026-11-01", end_date="2026-11-30")
    return len(booked) == 3 and logged.get("total_minutes") == 690


TASKS: list[tuple[str, Callable[[Agent], Awaitable[bool]], Callable[[Agent], Awaitable[bool]]]] = [
    ("1 week of time, newest user", week_before, week_after),
    ("2 taxi claim 45.50 NZD + receipt", claim_before, claim_after),
    ("3 Designer placeholder", placeholder_before, placeholder_after),
    ("4 leave balances, new hire", hire_before, hire_after),
    ("5 Teamwork task: 2 assignees, reminder, field", teamwork_task, teamwork_task),
    ("6 over-allocation + planned vs logged", planning_before, planning_after),
]


async def run(path: Callable[[Agent], Awaitable[bool]]) -> tuple[int, int, bool | str]:
    async with Client(
        build_server(
            Settings(_env_file=None, projectops_sandbox=True, projectops_duplicate_window=0, projectops_journal="off")
        )
    ) as client:
        agent = Agent(client)
        try:
            verified: bool | str = await path(agent)
        except Exception as exc:  # noqa: BLE001 - a bench reports, it does not stop
            verified = f"failed: {type(exc).__name__}: {exc}"
        if os.environ.get("VERBOSE"):
            print("\n".join(agent.error_texts))
        return agent.calls, agent.errors, verified


async def main() -> None:
    print(f"{'task':<48} {'before':>7} {'after':>6}  checked before / after")
    for title, before, after in TASKS:
        b_calls, b_err, b_ok = await run(before)
        a_calls, a_err, a_ok = await run(after)
        print(f"{title:<48} {b_calls:>7} {a_calls:>6}  {b_ok} ({b_err} errors) / {a_ok} ({a_err} errors)")


if __name__ == "__main__":
    anyio.run(main)
