"""unified_create_ticket / unified_update_ticket route to the native tools: the writes reach the simulators as the
native tools send them, the native validation and prerequisite checks refuse before anything is sent (naming the
native field and the unified argument behind it), and the write gate (dry_run, duplicate guard) applies."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_err, call_ok


async def test_create_a_teamwork_task_with_native_extras(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "unified_create_ticket",
        {
            "source": "teamwork",
            "collection_id": 1302,
            "name": "Card freeze",
            "due_date": "2026-12-18",
            "assignee_ids": [412001],
            "native": {"priority": "high"},
        },
    )
    ticket = out["result"]
    assert (ticket["source"], ticket["type"], ticket["collection_id"]) == ("teamwork", "task", "1302")
    assert (ticket["name"], ticket["due_date"], ticket["assignee_ids"], ticket["priority"]) == (
        "Card freeze",
        "2026-12-18",
        ["412001"],
        "high",
    )
    (post,) = sandbox.teamwork.writes
    assert post.path == "/projects/api/v3/tasklists/1302/tasks.json"
    assert post.json["task"]["assignees"]["userIds"] == [412001] and post.json["task"]["priority"] == "high"
    again = await call_ok(client, "unified_get_ticket", {"source": "teamwork", "id": int(ticket["id"])})
    assert again["result"]["name"] == "Card freeze"
    # the duplicate guard of the write gate covers the unified tool
    text = await call_err(
        client,
        "unified_create_ticket",
        {
            "source": "teamwork",
            "collection_id": 1302,
            "name": "Card freeze",
            "due_date": "2026-12-18",
            "assignee_ids": [412001],
            "native": {"priority": "high"},
        },
    )
    assert "allow_duplicate" in text


async def test_create_refusals_name_the_native_field(client: Client, sandbox) -> None:
    text = await call_err(client, "unified_create_ticket", {"source": "teamwork", "collection_id": 999, "name": "x"})
    assert "tasklist_id: task list 999 does not exist" in text
    assert "tasklist_id is teamwork_create_task's name for collection_id" in text
    text = await call_err(
        client, "unified_create_ticket", {"source": "projectworks", "collection_id": 402, "name": "QA"}
    )
    assert "Invalid arguments for projectworks_create_task" in text and "task_type_id: is required" in text
    text = await call_err(
        client,
        "unified_create_ticket",
        {"source": "teamwork", "collection_id": 1302, "name": "x", "native": {"priority": "urgent"}},
    )
    assert "- priority: input should be 'none', 'low', 'medium' or 'high'" in text
    text = await call_err(
        client,
        "unified_create_ticket",
        {"source": "teamwork", "collection_id": 1302, "name": "x", "native": {"tasklist_id": 1301}},
    )
    assert text.startswith("native: tasklist_id (set by collection_id) already come from the unified arguments")
    text = await call_err(
        client,
        "unified_create_ticket",
        {"source": "projectworks", "collection_id": 402, "name": "x", "assignee_ids": [1]},
    )
    assert text.startswith("assignee_ids: Projectworks tasks take no assignee ids")
    text = await call_err(
        client,
        "unified_create_ticket",
        {"source": "projectworks", "collection_id": 403, "name": "QA", "native": {"task_type_id": 1}},
    )
    assert (
        "is not a services module" in text and "module_id is projectworks_create_task's name for collection_id" in text
    )
    assert sandbox.teamwork.writes == [] and sandbox.projectworks.writes == []


async def test_create_a_projectworks_task_and_dry_run(client: Client, sandbox) -> None:
    args = {"source": "projectworks", "collection_id": 402, "name": "QA", "due_date": "2027-01-15"}
    preview = await call_ok(client, "unified_create_ticket", {**args, "native": {"task_type_id": 1}, "dry_run": True})
    assert preview["preview"]["request"]["method"] == "POST" and sandbox.projectworks.writes == []
    out = await call_ok(client, "unified_create_ticket", {**args, "native": {"task_type_id": 1}})
    assert (out["result"]["source"], out["result"]["collection_id"], out["result"]["project_id"]) == (
        "projectworks",
        "402",
        "301",
    )
    assert out["result"]["due_date"] == "2027-01-15"
    (post,) = sandbox.projectworks.writes
    assert post.json == {"moduleID": 402, "taskName": "QA", "taskTypeID": 1, "endDate": "2027-01-15"}


async def test_update_a_teamwork_task_fields_then_status(client: Client, sandbox) -> None:
    args = {"source": "teamwork", "id": 5003, "status": "closed", "due_date": "2026-12-24", "assignee_ids": [412001]}
    out = await call_ok(client, "unified_update_ticket", args)
    assert (out["result"]["status"], out["result"]["due_date"], out["result"]["assignee_ids"]) == (
        "closed",
        "2026-12-24",
        ["412001"],
    )
    assert "remote_data" not in out["result"]
    writes = [(w.method, w.path) for w in sandbox.teamwork.writes]
    assert writes == [("PATCH", "/projects/api/v3/tasks/5003.json"), ("PUT", "/tasks/5003/complete.json")]
    out = await call_ok(client, "unified_update_ticket", {"source": "teamwork", "id": 5003, "status": "open"})
    assert out["result"]["status"] == "open"


async def test_update_a_milestone(client: Client) -> None:
    args = {"source": "teamwork", "type": "milestone", "id": 8801, "due_date": "2026-12-11", "status": "closed"}
    out = await call_ok(client, "unified_update_ticket", args)
    assert (out["result"]["due_date"], out["result"]["status"]) == ("2026-12-11", "closed")


async def test_update_refusals_send_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "unified_update_ticket", {"source": "teamwork", "id": 5003, "assignee_ids": [1]})
    assert (
        "person 1 does not exist" in text
        and "assignee_user_ids is teamwork_update_task's name for assignee_ids" in text
    )
    text = await call_err(client, "unified_update_ticket", {"source": "projectworks", "id": 502})
    assert "nothing to change" in text
    text = await call_err(client, "unified_update_ticket", {"source": "projectworks", "id": 502, "status": "closed"})
    assert "no Projectworks task status in use means 'closed'" in text and "projectworks_list_reference_ids" in text
    assert sandbox.teamwork.writes == [] and sandbox.projectworks.writes == []


async def test_update_projectworks_assignees_and_due_date(client: Client, sandbox) -> None:
    args = {"source": "projectworks", "id": 502, "assignee_ids": [101, 103], "due_date": "2027-02-01"}
    out = await call_ok(client, "unified_update_ticket", args)
    assert (out["result"]["assignee_ids"], out["result"]["due_date"]) == (["101", "103"], "2027-02-01")
    writes = [(w.method, w.path, w.json) for w in sandbox.projectworks.writes]
    assert writes == [
        ("PATCH", "/Tasks/502", {"endDate": "2027-02-01"}),
        ("PUT", "/Tasks/502/Users", {"userID": 101, "isActive": True}),
        ("PUT", "/Tasks/502/Users", {"userID": 103, "isActive": True}),
        ("PUT", "/Tasks/502/Users", {"userID": 102, "isActive": False}),
    ]
