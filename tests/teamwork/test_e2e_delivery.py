"""End-to-end (issue 14 "Done when"), through the MCP client on the Teamwork simulator: a workflow with stages,
linked to a new project; tasks moved through the stages; a timer on one task completed into a time entry; a person
allocated for two weeks; a message and a reply; a file uploaded to a task; the project archived. Each step is read
back."""

from __future__ import annotations

import base64

from mcp import Client

from tests.conftest import call_ok


async def test_delivery_with_workflow_timer_allocation_message_file_archive(client: Client, sandbox) -> None:
    flow = await call_ok(client, "teamwork_create_workflow", {"name": "Agency delivery"})
    wid = flow["workflow_id"]
    stages = [
        (await call_ok(client, "teamwork_create_workflow_stage", {"workflow_id": wid, "name": name}))["stage_id"]
        for name in ("Backlog", "In progress", "Review", "Done")
    ]
    listed = await call_ok(client, "teamwork_list_workflow_stages", {"workflow_id": wid})
    assert [s["name"] for s in listed["items"]] == ["Backlog", "In progress", "Review", "Done"]

    project = await call_ok(client, "teamwork_create_project", {"name": "Harbour Health Intranet", "company_id": 3})
    pid = project["project_id"]
    await call_ok(client, "teamwork_link_project_workflow", {"project_id": pid, "workflow_id": wid})
    tasklist = await call_ok(client, "teamwork_create_tasklist", {"project_id": pid, "name": "Launch"})
    batch = await call_ok(
        client,
        "teamwork_create_tasks",
        {
            "tasks": [
                {"tasklist_id": tasklist["tasklist_id"], "name": "Content migration", "assignee_user_ids": [369453]},
                {"tasklist_id": tasklist["tasklist_id"], "name": "Go-live checklist"},
            ]
        },
    )
    assert batch["complete"] is True
    first, second = (i["task_id"] for i in batch["items"])

    await call_ok(
        client, "teamwork_move_tasks_to_stage", {"workflow_id": wid, "stage_id": stages[0], "task_ids": [first, second]}
    )
    for stage in stages[1:3]:
        moved = await call_ok(
            client, "teamwork_move_task_to_stage", {"task_id": first, "workflow_id": wid, "stage_id": stage}
        )
        assert moved["workflow_stages"] == [{"workflow_id": wid, "stage_id": stage}]
    got = await call_ok(client, "teamwork_get_task", {"task_id": second})
    assert got["workflow_stages"] == [{"workflow_id": wid, "stage_id": stages[0]}]

    timer = await call_ok(
        client, "teamwork_start_timer", {"task_id": first, "description": "Migrating", "seconds": 5400}
    )
    assert timer["running"] is True and timer["project_id"] == pid
    done = await call_ok(client, "teamwork_complete_timer", {"timer_id": timer["timer_id"]})
    entry = await call_ok(client, "teamwork_get_time_entry", {"time_entry_id": done["time_entry_id"]})
    assert (entry["task_id"], entry["minutes"], entry["description"]) == (first, 90, "Migrating")

    allocation = await call_ok(
        client,
        "teamwork_create_allocation",
        {
            "project_id": pid,
            "user_id": 369453,
            "start_date": "2026-12-07",
            "end_date": "2026-12-18",
            "minutes_per_day": 240,
        },
    )
    booked = await call_ok(client, "teamwork_get_allocation", {"allocation_id": allocation["allocation_id"]})
    assert (booked["user_id"], booked["start_date"], booked["end_date"], booked["total_minutes"]) == (
        369453,
        "2026-12-07",
        "2026-12-18",
        10 * 240,
    )

    message = await call_ok(
        client, "teamwork_create_message", {"project_id": pid, "title": "Go-live", "body": "Friday?"}
    )
    reply = await call_ok(client, "teamwork_create_message_reply", {"message_id": message["message_id"], "body": "Yes"})
    thread = await call_ok(client, "teamwork_list_message_replies", {"message_id": message["message_id"]})
    assert [r["reply_id"] for r in thread["items"]] == [reply["reply_id"]]
    assert (await call_ok(client, "teamwork_get_message", {"message_id": message["message_id"]}))["last_reply_id"] == (
        reply["reply_id"]
    )

    content = b"Go-live checklist v1\n" * 10
    uploaded = await call_ok(
        client,
        "teamwork_upload_file",
        {"file_name": "checklist.txt", "content_base64": base64.b64encode(content).decode(), "task_id": second},
    )
    files = await call_ok(client, "teamwork_list_task_files", {"task_id": second})
    assert [(f["file_id"], f["name"], f["size_bytes"]) for f in files["items"]] == [
        (uploaded["file_id"], "checklist.txt", len(content))
    ]

    await call_ok(client, "teamwork_update_project", {"project_id": pid, "status": "archived"})
    assert (await call_ok(client, "teamwork_get_project", {"project_id": pid}))["status"] == "archived"
    (put,) = sandbox.teamwork.find("PUT", f"/projects/{pid}.json")
    assert put.json == {"project": {"status": "archived"}}
