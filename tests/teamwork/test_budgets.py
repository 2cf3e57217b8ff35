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


# -- task-list budgets and creating a budget -------------------------------------------------------------------------


async def test_list_tasklist_budgets_request_and_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_tasklist_budgets", {"budget_id": 6101, "page_size": 10})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/projects/budgets/6101/tasklists/budgets.json")
    assert req.query == [("page", "1"), ("pageSize", "10")]
    assert out["items"][0] == {
        "tasklist_budget_id": 6201,
        "tasklist_id": 1301,
        "project_id": 732893,
        "type": "FINANCIAL",
        "capacity": 5000000,
        "capacity_used": 1200000,
    }
    assert [b["tasklist_id"] for b in out["items"]] == [1301, 1302] and out["total"] == 2
    text = await call_err(client, "teamwork_list_tasklist_budgets", {"budget_id": 4242})
    assert "404" in text and "teamwork_list_project_budgets" in text


async def test_create_budget_matches_the_standard_sample_and_reads_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_project_budget",
        {
            "project_id": 739377,
            "type": "financial",
            "capacity": 5000000,
            "start_date": "2027-01-01",
            "end_date": "2027-06-30",
            "timelog_type": "billable",
            "project_rate": 150,
            "notify_user_ids": [238860],
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", BUDGETS)
    assert post.json == {
        "budget": {
            "projectId": 739377,
            "type": "FINANCIAL",
            "budgetCategory": "STANDARD",
            "capacity": 5000000,
            "startDateTime": "20270101",
            "endDateTime": "20270630",
            "isRepeating": False,
            "isRetainer": False,
            "timelogType": "BILLABLE",
            "projectRate": 15000,
            "notifications": [
                {
                    "notificationMedium": "EMAIL",
                    "capacityThreshold": 80,
                    "userIds": [238860],
                    "teamIds": [],
                    "companyIds": [],
                }
            ],
        }
    }
    assert out["project_id"] == 739377 and out["capacity"] == 5000000 and out["status"] == "UPCOMING"
    assert out["start"] == "2027-01-01T00:00:00Z"
    listed = await call_ok(client, "teamwork_list_project_budgets", {"project_ids": [739377]})
    assert out["budget_id"] in [b["budget_id"] for b in listed["items"]]


async def test_create_fixed_fee_time_budget_rules(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_project_budget",
        {
            "project_id": 732893,
            "type": "FINANCIAL",
            "category": "FIXEDFEE",
            "capacity": 5000000,
            "profit_margin": 7,
            "start_date": "2026-12-01",
            "end_date": "2027-03-31",
        },
    )
    body = sandbox.teamwork.find("POST")[0].json["budget"]
    assert body["budgetCategory"] == "FIXEDFEE" and body["budgetProfitMargin"] == 7 and "notifications" not in body
    assert out["status"] == "ACTIVE"
    out = await call_ok(
        client,
        "teamwork_create_project_budget",
        {"project_id": 732893, "type": "TIME", "capacity": 6000, "start_date": "2026-12-01", "end_date": "2026-12-31"},
    )
    assert out["type"] == "TIME" and out["capacity"] == 6000


async def test_create_budget_bad_input_sends_nothing(client: Client, sandbox) -> None:
    ok = {"project_id": 739377, "type": "TIME", "capacity": 600, "start_date": "2027-01-01", "end_date": "2027-01-31"}
    cases = [
        ({**ok, "type": "MONEY"}, "type"),
        ({**ok, "capacity": 0}, "capacity"),
        ({**ok, "capacity": 12.5}, "capacity"),
        ({**ok, "end_date": "2026-12-31"}, "end_date"),
        ({**ok, "category": "FIXEDFEE"}, "category"),
        ({**ok, "profit_margin": 5}, "profit_margin"),
        ({**ok, "timelog_type": "SOME"}, "timelog_type"),
        ({**ok, "start_date": "20270101"}, "start_date"),
        ({k: v for k, v in ok.items() if k != "project_id"}, "project_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_create_project_budget", args)
        assert field in text, (args, text)
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_list_tasklist_budgets", {"budget_id": 0})
    assert "budget_id" in text and sandbox.teamwork.requests == []


async def test_create_budget_prerequisites_and_upstream_errors(client: Client, sandbox) -> None:
    ok = {"project_id": 739377, "type": "TIME", "capacity": 600, "start_date": "2027-01-01", "end_date": "2027-01-31"}
    text = await call_err(client, "teamwork_create_project_budget", {**ok, "project_id": 4242})
    assert "project_id" in text and "teamwork_list_projects" in text
    text = await call_err(client, "teamwork_create_project_budget", {**ok, "notify_user_ids": [4242]})
    assert "notify_user_ids" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []
    sandbox.teamwork.faults.add("POST", BUDGETS, Fault(status=409, body={"errors": [{"detail": "overlaps"}]}))
    text = await call_err(client, "teamwork_create_project_budget", ok)
    assert "409" in text and "overlaps" in text
    sandbox.teamwork.faults.add("POST", BUDGETS, Fault(status=201, body={}))  # accepted, but nothing was stored
    text = await call_err(client, "teamwork_create_project_budget", {**ok, "capacity": 601})
    assert "does not show it" in text and "teamwork_list_project_budgets" in text
