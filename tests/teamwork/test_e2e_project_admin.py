"""A project set up end to end with the project-admin and finance tools, each step read back: a category, a template
in it, a project started from the template on a chosen date, its rates, a budget, a status update, the count."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_ok

DEV = 369453


async def test_project_from_template_with_rates_budget_and_update(client: Client, sandbox) -> None:
    before = (await call_ok(client, "teamwork_count_projects", {}))["count"]
    category = await call_ok(client, "teamwork_create_project_category", {"name": "Websites", "color": "#3498DB"})
    template = await call_ok(
        client,
        "teamwork_create_project_template",
        {"name": "Brochure site", "category_id": category["category_id"], "start_date": "2026-01-05",
         "end_date": "2026-02-27"},
    )  # fmt: skip
    assert template["type"] == "projects-template" and template["category_id"] == category["category_id"]

    project = await call_ok(
        client,
        "teamwork_clone_project",
        {"project_id": template["project_id"], "name": "Tui Tours site", "company_id": 3, "start_date": "2027-03-01"},
    )
    assert (project["type"], project["start_date"], project["end_date"]) == ("normal", "2027-03-01", "2027-04-23")
    assert project["category_id"] == category["category_id"]
    assert (await call_ok(client, "teamwork_count_projects", {}))["count"] == before + 1
    listed = await call_ok(client, "teamwork_list_projects", {"category_id": category["category_id"]})
    assert [p["project_id"] for p in listed["items"]] == [project["project_id"]]

    pid = project["project_id"]
    assert (await call_ok(client, "teamwork_set_project_rate", {"project_id": pid, "rate": 160}))["rate"] == 160.0
    own = await call_ok(client, "teamwork_set_user_project_rate", {"project_id": pid, "user_id": DEV, "rate": 180.25})
    assert own["rate"] == 180.25

    budget = await call_ok(
        client,
        "teamwork_create_project_budget",
        {"project_id": pid, "type": "FINANCIAL", "capacity": 2400000, "start_date": "2027-03-01",
         "end_date": "2027-04-23", "project_rate": 160},
    )  # fmt: skip
    budgets = await call_ok(client, "teamwork_list_project_budgets", {"project_ids": [pid], "status": "ALL"})
    assert [b["budget_id"] for b in budgets["items"]] == [budget["budget_id"]]

    update = await call_ok(
        client, "teamwork_create_project_update", {"project_id": pid, "text": "Kick-off booked", "health": "good"}
    )
    latest = await call_ok(client, "teamwork_list_project_updates", {"project_id": pid, "latest_only": True})
    assert [(u["update_id"], u["health"]) for u in latest["items"]] == [(update["update_id"], "good")]
    category = await call_ok(client, "teamwork_get_project_category", {"category_id": category["category_id"]})
    assert category["project_count"] == 1
