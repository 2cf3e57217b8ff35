"""Batch task create/update: one v3 request per task, everything checked before the first write, per-item
results, and a failure part-way that names what was written and what was not."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_create_tasks_exact_requests_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_tasks",
        {
            "tasks": [
                {"tasklist_id": 1302, "name": "Spec", "assignee_user_ids": [369453], "due_date": "2026-12-10"},
                {"tasklist_id": 1301, "name": "Wire", "tag_ids": [17062], "notify": False},
                {"tasklist_id": 1302, "name": "Sub", "parent_task_id": 5003},
            ]
        },
    )
    assert out["complete"] is True and [i["status"] for i in out["items"]] == ["created"] * 3
    posts = sandbox.teamwork.writes
    assert [(p.method, p.path) for p in posts] == [
        ("POST", f"{V3}/tasklists/1302/tasks.json"),
        ("POST", f"{V3}/tasklists/1301/tasks.json"),
        ("POST", f"{V3}/tasklists/1302/tasks.json"),
    ]
    assert posts[0].json == {
        "task": {
            "name": "Spec",
            "dueAt": "2026-12-10",
            "assignees": {"userIds": [369453], "companyIds": [], "teamIds": [], "jobRoleIds": []},
        },
        "taskOptions": {"notify": True, "checkInvalidusers": True},
    }
    assert posts[1].json["taskOptions"] == {"notify": False, "checkInvalidusers": True}
    assert posts[2].json["task"] == {"name": "Sub", "parentTaskId": 5003}
    third = await call_ok(client, "teamwork_get_task", {"task_id": out["items"][2]["task_id"]})
    assert third["parent_task_id"] == 5003 and third["name"] == "Sub"


async def test_update_tasks_exact_requests_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_update_tasks",
        {"tasks": [{"task_id": 5001, "priority": "high"}, {"task_id": 5002, "progress": 40, "tag_ids": [17063]}]},
    )
    assert out["complete"] is True and [(i["task_id"], i["status"]) for i in out["items"]] == [
        (5001, "updated"),
        (5002, "updated"),
    ]
    assert [(w.method, w.path, w.json) for w in sandbox.teamwork.writes] == [
        ("PATCH", f"{V3}/tasks/5001.json", {"task": {"priority": "high"}}),
        ("PATCH", f"{V3}/tasks/5002.json", {"task": {"progress": 40, "tagIds": [17063]}}),
    ]
    assert (await call_ok(client, "teamwork_get_task", {"task_id": 5002}))["tag_ids"] == [17063]


async def test_bad_items_are_refused_with_nothing_sent(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_tasks", {"tasks": []}, "tasks"),
        ("teamwork_create_tasks", {"tasks": [{"tasklist_id": 1302}]}, "name"),
        (
            "teamwork_create_tasks",
            {"tasks": [{"tasklist_id": 1302, "name": "a", "start_date": "2026-12-02", "due_date": "2026-12-01"}]},
            "tasks[0].due_date",
        ),
        ("teamwork_create_tasks", {"tasks": [{"tasklist_id": 1302, "name": f"t{i}"} for i in range(101)]}, "tasks"),
        ("teamwork_update_tasks", {"tasks": [{"task_id": 5001, "name": "a"}, {"task_id": 5001, "name": "b"}]}, "once"),
        ("teamwork_update_tasks", {"tasks": [{"task_id": 5001}]}, "changes nothing"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, expected)
    assert sandbox.teamwork.requests == []


async def test_a_missing_prerequisite_anywhere_stops_the_batch_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ({"tasks": [{"tasklist_id": 1302, "name": "a"}, {"tasklist_id": 4242, "name": "b"}]}, "tasks[1].tasklist_id"),
        (
            {"tasks": [{"tasklist_id": 1302, "name": "a"}, {"tasklist_id": 1302, "name": "b", "tag_ids": [999]}]},
            "tasks[1].tag_ids",
        ),
        ({"tasks": [{"tasklist_id": 1301, "name": "a", "parent_task_id": 5003}]}, "parent's list"),
    ]
    for args, expected in cases:
        text = await call_err(client, "teamwork_create_tasks", args)
        assert expected in text and "Nothing was written" in text, text
    text = await call_err(
        client, "teamwork_update_tasks", {"tasks": [{"task_id": 5001, "name": "a"}, {"task_id": 4242, "name": "b"}]}
    )
    assert "tasks[1].task_id" in text and "teamwork_list_tasks" in text
    assert sandbox.teamwork.writes == []


async def test_failure_part_way_names_what_was_written(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("PATCH", f"{V3}/tasks/5002.json", Fault(status=422, body={"errors": []}))
    out = await call_ok(
        client,
        "teamwork_update_tasks",
        {"tasks": [{"task_id": t, "progress": 10} for t in (5001, 5002, 5003)]},
    )
    assert out["complete"] is False
    assert [(i["index"], i["status"]) for i in out["items"]] == [(0, "updated"), (1, "failed"), (2, "not_sent")]
    assert "422" in out["items"][1]["error"]
    assert "Updated 1 of 3 tasks" in out["summary"] and "items 2-2 were not sent" in out["summary"]
    assert [w.path for w in sandbox.teamwork.writes] == [f"{V3}/tasks/5001.json", f"{V3}/tasks/5002.json"]
    assert (await call_ok(client, "teamwork_get_task", {"task_id": 5003}))["progress"] != 10
