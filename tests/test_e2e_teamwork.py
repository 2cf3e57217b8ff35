"""End-to-end on the Teamwork simulator, through the MCP client: set up a client project with a task list and
assigned tasks, remind every assignee before the due date, fill custom fields, log time, add a budget expense,
then archive the project. Every step is read back."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_ok


async def test_client_project_lifecycle(client: Client, sandbox) -> None:
    companies = await call_ok(client, "teamwork_list_companies", {"search": "Harbour"})
    company_id = companies["items"][0]["company_id"]

    project = await call_ok(
        client,
        "teamwork_create_project",
        {
            "name": "Harbour Health Intranet",
            "company_id": company_id,
            "start_date": "2026-12-01",
            "end_date": "2027-02-26",
            "owner_id": 238860,
        },
    )
    project_id = project["project_id"]
    got = await call_ok(client, "teamwork_get_project", {"project_id": project_id})
    assert got["company_id"] == company_id and got["status"] == "active"

    tasklist = await call_ok(client, "teamwork_create_tasklist", {"project_id": project_id, "name": "Launch"})
    tasks = []
    for name, due in (("Content migration", "2026-12-18"), ("Go-live checklist", "2027-01-15")):
        task = await call_ok(
            client,
            "teamwork_create_task",
            {
                "tasklist_id": tasklist["tasklist_id"],
                "name": name,
                "due_date": due,
                "assignee_user_ids": [238860, 369453],
                "priority": "high",
            },
        )
        assert task["due_date"] == due and sorted(task["assignee_user_ids"]) == [238860, 369453]
        tasks.append(task)
    listed = await call_ok(client, "teamwork_list_tasks", {"tasklist_id": tasklist["tasklist_id"]})
    assert {t["task_id"] for t in listed["items"]} == {t["task_id"] for t in tasks}

    first = tasks[0]["task_id"]
    reminder = await call_ok(
        client,
        "teamwork_create_task_reminder",
        {
            "task_id": first,
            "all_assignees": True,
            "is_relative": True,
            "relative_days": 2,
            "date_time_utc": "2026-12-01T08:30:00Z",
            "note": "Two days to go",
        },
    )
    assert reminder["date_time_utc"] == "2026-12-16T08:30:00Z"
    reminders = await call_ok(client, "teamwork_list_task_reminders", {"task_id": first})
    assert reminders["items"][0]["all_assignees"] is True and reminders["items"][0]["relative_days"] == 2

    values = await call_ok(
        client,
        "teamwork_set_task_custom_field_values",
        {
            "task_id": first,
            "values": [{"custom_field_id": 2794, "value": "PO-7781"}, {"custom_field_id": 2558, "value": "Submitted"}],
        },
    )
    assert values["task_id"] == first
    stored = await call_ok(client, "teamwork_list_custom_field_values", {"entity": "task", "entity_id": first})
    assert {(v["custom_field_id"], v["value"]) for v in stored["items"]} == {(2794, "PO-7781"), (2558, "Submitted")}

    await call_ok(
        client,
        "teamwork_log_time",
        {
            "task_id": first,
            "date": "2026-12-02",
            "hours": 2,
            "minutes": 30,
            "billable": True,
            "description": "Mapped old pages",
            "user_id": 369453,
        },
    )
    logged = await call_ok(client, "teamwork_list_time_entries", {"task_id": first})
    assert [e["minutes"] for e in logged["items"]] == [150]

    budgets = await call_ok(client, "teamwork_list_project_budgets", {"project_ids": [732893]})
    budget_id = budgets["items"][0]["budget_id"]
    expense = await call_ok(
        client, "teamwork_add_budget_expense", {"budget_id": budget_id, "cost": 1000, "description": "Petrol"}
    )
    assert expense["budget_id"] == budget_id
    (post,) = sandbox.teamwork.find("POST", f"/projects/api/v3/projects/budgets/{budget_id}/expenses.json")
    assert post.json == {"budgetExpense": {"cost": 1000, "description": "Petrol"}}

    await call_ok(client, "teamwork_update_project", {"project_id": project_id, "status": "archived"})
    archived = await call_ok(client, "teamwork_get_project", {"project_id": project_id})
    assert archived["status"] in ("inactive", "archived")
    (put,) = sandbox.teamwork.find("PUT", f"/projects/{project_id}.json")
    assert put.json == {"project": {"status": "archived"}}
