"""Project budgets (v3 list) and the app's budget-expense endpoint.

`status` is matched case-insensitively and anything outside the documented set is a 400 "unknown project budget
status", as upstream. The expense endpoint is undocumented upstream; this simulator answers 201 with the stored
expense under `budgetExpense` and refuses expenses on TIME budgets.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, v3_error, v3_not_found, v3_page

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


def seed(store: Store) -> None:
    for budget in [*_demo.BUDGETS, TIME_BUDGET]:
        store.put("budgets", budget["id"], copy.deepcopy(budget))


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
        "timelogType": "ALL",
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

    return [
        Route("/projects/api/v3/projects/budgets.json", list_budgets, methods=["GET"]),
        Route("/projects/api/v3/projects/budgets/{budget_id:int}/expenses.json", add_expense, methods=["POST"]),
    ]
