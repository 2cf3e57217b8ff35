"""Budgets: v3 list with the upper-case status enum; seed 003's "Add a budget expense to a project" body key for key;
refusals for missing or time budgets."""

from __future__ import annotations

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

BUDGETS = "/projects/api/v3/projects/budgets.json"


async def test_add_budget_expense_matches_the_seed(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_add_budget_expense", {"budget_id": 6101, "cost": 1000, "description": "Petrol"}
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == "/projects/api/v3/projects/budgets/6101/expenses.json"
    assert post.body == b'{"budgetExpense":{"cost":1000,"description":"Petrol"}}'  # 1000, not 1000.0
    assert (out["budget_id"], out["cost"], out["description"]) == (6101, 1000, "Petrol")
    assert out["expense_id"] in sandbox.teamwork.store.table("budgets")[6101]["expenses"]


async def test_list_budgets_request_and_status_case(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_project_budgets", {"project_ids": [732893], "status": "active"})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", BUDGETS)
    assert req.query == [("projectIds", "732893"), ("status", "ACTIVE"), ("page", "1"), ("pageSize", "50")]
    (budget,) = out["items"]
    assert budget["budget_id"] == 6101 and budget["type"] == "FINANCIAL" and budget["capacity"] == 15000000
    assert budget["currency_code"] == "NZD" and budget["start"] == "2026-09-01T00:00:00Z"
    everything = await call_ok(client, "teamwork_list_project_budgets", {})
    assert {b["budget_id"] for b in everything["items"]} == {6101, 6102}


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_list_project_budgets", {"status": "complete"}, "status"),
        ("teamwork_list_project_budgets", {"page_size": 501}, "page_size"),
        ("teamwork_add_budget_expense", {"budget_id": 6101, "cost": 0, "description": "x"}, "cost"),
        ("teamwork_add_budget_expense", {"budget_id": 6101, "cost": 5}, "description"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []


async def test_expense_prerequisites_write_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_add_budget_expense", {"budget_id": 6102, "cost": 5, "description": "x"})
    assert "TIME" in text and "FINANCIAL" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_add_budget_expense", {"budget_id": 404, "cost": 5, "description": "x"})
    assert "budget_id" in text and "teamwork_list_project_budgets" in text
    assert sandbox.teamwork.writes == []
    (lookup, *_) = sandbox.teamwork.find("GET", BUDGETS)
    assert lookup.params == {"status": "ALL", "page": "1", "pageSize": "500"}


async def test_upstream_status_error_and_failed_post(client: Client, sandbox) -> None:
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=("key", "X")) as http:
        answer = await http.get(BUDGETS, params={"status": "complete"})
    assert answer.status_code == 400 and "unknown project budget status" in answer.text
    path = "/projects/api/v3/projects/budgets/6101/expenses.json"
    sandbox.teamwork.faults.add("POST", path, Fault(status=500, after=True))
    text = await call_err(client, "teamwork_add_budget_expense", {"budget_id": 6101, "cost": 12.5, "description": "x"})
    assert "500" in text and "NOT retried" in text
    assert sandbox.teamwork.find("POST")[0].json == {"budgetExpense": {"cost": 12.5, "description": "x"}}
