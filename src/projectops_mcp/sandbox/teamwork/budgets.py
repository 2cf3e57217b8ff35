"""Project budgets (v3 list and create, task-list budgets) and the app's budget-expense endpoint.

`status` is matched case-insensitively and anything outside the documented set is a 400 "unknown project budget
status", as upstream. The expense endpoint is undocumented upstream; this simulator answers 201 with the stored
expense under `budgetExpense` and refuses expenses on TIME budgets. Create takes the body of Teamwork's "Create a
budget" samples (dates YYYYMMDD, capacity a whole number) and answers 201 `{"budget": {...}}` (unverified upstream).
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import exists, ids_param, live_project, v3_error, v3_not_found, v3_page

STATUSES = ("ALL", "UPCOMING", "ACTIVE", "COMPLETED", "ARCHIVED", "DELETED", "INVALID")
EXPENSE_KEYS = frozenset({"cost", "description"})

# A time budget beside the demo's financial one, so both kinds exist.
TIME_BUDGET = {
    "id": 6102,
    "projectId": 739377,
    "type": "TIME",
    "status": "ACTIVE",
    "capacity": 24000,
    "capacityUsed": 600,
    "currencyCode": "",
    "startDateTime": "2026-10-01T00:00:00Z",
    "endDateTime": "2027-01-31T00:00:00Z",
    "expenses": [],
}


BUDGET_KEYS = frozenset(
    {"projectId", "type", "budgetCategory", "capacity", "startDateTime", "endDateTime", "isRepeating", "isRetainer",
     "timelogType", "projectRate", "budgetProfitMargin", "notifications"}
)  # fmt: skip
NOTIFICATION_KEYS = frozenset({"notificationMedium", "capacityThreshold", "userIds", "teamIds", "companyIds"})
TIMELOG_TYPES = ("ALL", "BILLED", "UNBILLED", "BILLABLE", "NON-BILLABLE")
TASKLIST_BUDGETS = [
    {"id": 6201, "budgetId": 6101, "tasklistId": 1301, "capacity": 5000000, "capacityUsed": 1200000},
    {"id": 6202, "budgetId": 6101, "tasklistId": 1302, "capacity": 8000000, "capacityUsed": 0},
]


def v3_tasklist_budget(store: Store, t: dict[str, Any]) -> dict[str, Any]:
    budget = store.table("budgets")[t["budgetId"]]
    return {
        "id": t["id"],
        "type": budget["type"],
        "capacity": t["capacity"],
        "capacityUsed": t["capacityUsed"],
        "projectId": budget["projectId"],
        "projectbudget": {"id": budget["id"], "type": "projectBudgets"},
        "tasklist": {"id": t["tasklistId"], "type": "tasklists"},
        "milestone": None,
        "notifications": [],
        "createdAt": _demo.CREATED,
        "createdBy": _demo.ME_ID,
    }


def read_budget(store: Store, body: Any) -> dict[str, Any]:
    """A stored budget from a create body; raises ValueError with a v3 400's detail."""
    budget = body.get("budget") if isinstance(body, dict) else None
    if not isinstance(budget, dict):
        raise ValueError("expected a 'budget' object")
    unknown = sorted(set(budget) - BUDGET_KEYS)
    if unknown:
        raise ValueError(f"unknown field '{unknown[0]}'")
    project_id = budget.get("projectId")
    if not isinstance(project_id, int) or isinstance(project_id, bool) or live_project(store, project_id) is None:
        raise ValueError(f"projectId: project {project_id!r} does not exist")
    if budget.get("type") not in ("FINANCIAL", "TIME"):
        raise ValueError("type must be FINANCIAL or TIME")
    if budget.get("budgetCategory", "STANDARD") not in ("STANDARD", "FIXEDFEE"):
        raise ValueError("budgetCategory must be STANDARD or FIXEDFEE")
    capacity = budget.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise ValueError("capacity must be a whole number greater than 0")
    try:
        start = datetime.strptime(str(budget.get("startDateTime")), "%Y%m%d").date()
        end = datetime.strptime(str(budget.get("endDateTime")), "%Y%m%d").date()
    except ValueError:
        raise ValueError("startDateTime and endDateTime must be dates in YYYYMMDD format") from None
    if end < start:
        raise ValueError("endDateTime is before startDateTime")
    if budget.get("timelogType", "ALL") not in TIMELOG_TYPES:
        raise ValueError(f"timelogType must be one of {', '.join(TIMELOG_TYPES)}")
    for note in budget.get("notifications") or []:
        if not isinstance(note, dict) or set(note) - NOTIFICATION_KEYS or note.get("notificationMedium") != "EMAIL":
            raise ValueError("notifications: each needs notificationMedium EMAIL, capacityThreshold and id lists")
        require_people_v3(store, note.get("userIds") or [])
    return {
        "id": store.new_id("budgets", 6300),
        "projectId": project_id,
        "type": budget["type"],
        "status": "UPCOMING" if start > date.today() else "ACTIVE",
        "capacity": capacity,
        "capacityUsed": 0,
        "currencyCode": "NZD" if budget["type"] == "FINANCIAL" else "",
        "startDateTime": f"{start.isoformat()}T00:00:00Z",
        "endDateTime": f"{end.isoformat()}T00:00:00Z",
        "expenses": [],
        "budgetCategory": budget.get("budgetCategory", "STANDARD"),
        "timelogType": budget.get("timelogType", "ALL"),
    }


def require_people_v3(store: Store, user_ids: list[Any]) -> None:
    for user_id in user_ids:
        if not exists(store, "people", user_id):
            raise ValueError(f"notifications.userIds: user {user_id!r} does not exist")


def seed(store: Store) -> None:
    for budget in [*_demo.BUDGETS, TIME_BUDGET]:
        store.put("budgets", budget["id"], copy.deepcopy(budget))
    for tasklist_budget in TASKLIST_BUDGETS:
        store.put("tasklist_budgets", tasklist_budget["id"], copy.deepcopy(tasklist_budget))


def v3_budget(b: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": b["id"],
        "projectId": b["projectId"],
        "type": b["type"],
        "status": b["status"],
        "capacity": b["capacity"],
        "capacityUsed": b["capacityUsed"],
        "originatorBudgetId": b["id"],
        "isRepeating": False,
        "repeatPeriod": 0,
        "repeatUnit": "",
        "repeatsRemaining": 0,
        "sequenceNumber": 1,
        "startDateTime": b["startDateTime"],
        "endDateTime": b["endDateTime"],
        "currencyCode": b["currencyCode"],
        "timelogType": b.get("timelogType", "ALL"),
        "expenseType": "ALL",
        "defaultRate": None,
        "notificationIds": [],
        "createdByUserId": _demo.ME_ID,
        "dateCreated": _demo.CREATED,
    }


def _matches(budget: dict[str, Any], status: str) -> bool:
    if status == "ALL":
        return True
    if status == "COMPLETED":  # ended budgets report ARCHIVED
        return budget["status"] == "ARCHIVED"
    return budget["status"] == status


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_budgets(request: Request) -> Response:
        status = request.query_params.get("status", "").upper()
        if status and status not in STATUSES:
            return v3_error(400, f"unknown project budget status: {request.query_params['status']}")
        rows = list(store.table("budgets").values())
        rows = [b for b in rows if _matches(b, status)] if status else [b for b in rows if b["status"] != "DELETED"]
        if ids := ids_param(request, "projectIds"):
            rows = [b for b in rows if b["projectId"] in ids]
        return v3_page(request, "budgets", [v3_budget(b) for b in rows])

    async def add_expense(request: Request) -> Response:
        budget = store.table("budgets").get(request.path_params["budget_id"])
        if budget is None or budget["status"] == "DELETED":
            return v3_not_found()
        body = await read_json(request)
        expense = body.get("budgetExpense") if isinstance(body, dict) else None
        if not isinstance(expense, dict):
            return v3_error(400, "expected a 'budgetExpense' object")
        unknown = sorted(set(expense) - EXPENSE_KEYS)
        if unknown:
            return v3_error(400, f"unknown field '{unknown[0]}'")
        cost = expense.get("cost")
        if isinstance(cost, bool) or not isinstance(cost, int | float) or cost <= 0:
            return v3_error(400, "cost must be a number greater than 0")
        if not isinstance(expense.get("description"), str) or not expense["description"].strip():
            return v3_error(400, "description is required")
        if budget["type"] != "FINANCIAL":
            return v3_error(400, "expenses can only be added to financial budgets")
        record = {
            "id": store.new_id("budget_expenses", 9100),
            "budgetId": budget["id"],
            "cost": cost,
            "description": expense["description"],
            "createdAt": "2026-11-20T10:00:00Z",
        }
        store.put("budget_expenses", record["id"], record)
        budget["expenses"].append(record["id"])
        return json_response({"budgetExpense": record}, status=201)

    async def create_budget(request: Request) -> Response:
        try:
            budget = read_budget(store, await read_json(request))
        except ValueError as exc:
            return v3_error(400, str(exc))
        store.put("budgets", budget["id"], budget)
        return json_response({"budget": v3_budget(budget)}, status=201)

    async def list_tasklist_budgets(request: Request) -> Response:
        budget = store.table("budgets").get(request.path_params["budget_id"])
        if budget is None or budget["status"] == "DELETED":
            return v3_not_found()
        rows = [t for t in store.table("tasklist_budgets").values() if t["budgetId"] == budget["id"]]
        return v3_page(request, "tasklistBudgets", [v3_tasklist_budget(store, t) for t in rows])

    return [
        Route("/projects/api/v3/projects/budgets.json", list_budgets, methods=["GET"]),
        Route("/projects/api/v3/projects/budgets.json", create_budget, methods=["POST"]),
        Route(
            "/projects/api/v3/projects/budgets/{budget_id:int}/tasklists/budgets.json",
            list_tasklist_budgets,
            methods=["GET"],
        ),
        Route("/projects/api/v3/projects/budgets/{budget_id:int}/expenses.json", add_expense, methods=["POST"]),
    ]
