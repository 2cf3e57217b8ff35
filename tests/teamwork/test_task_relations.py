"""Moving tasks between task lists (v1 move.json), counting tasks, and task predecessors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_move_tasks_to_another_project_children_travel_with_parent(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_move_tasks", {"task_ids": [5003, 5004], "tasklist_id": 1303})
    # 5004 is 5003's subtask: only the parent is sent, and the child travels with it
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == ("PUT", "/tasks/5003/move.json", {"taskListId": 1303})
    assert out["moved_task_ids"] == [5003, 5004]
    assert [(t["task_id"], t["tasklist_id"]) for t in out["tasks"]] == [(5003, 1303), (5004, 1303)]
    assert out["tasks"][1]["parent_task_id"] == 5003
    listed = await call_ok(client, "teamwork_list_tasks", {"tasklist_id": 1303})
    assert {5003, 5004} <= {t["task_id"] for t in listed["items"]}


async def test_count_tasks_reads_meta_page_count(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_count_tasks", {"project_id": 732893})
    listed = await call_ok(client, "teamwork_list_tasks", {"project_id": 732893, "page_size": 500})
    assert out == {"count": len(listed["items"])} and out["count"] > 1
    req = sandbox.teamwork.requests[0]
    assert (req.path, req.query) == (
        f"{V3}/projects/732893/tasks.json",
        [("skipCounts", "false"), ("page", "1"), ("pageSize", "1")],
    )
    out = await call_ok(client, "teamwork_count_tasks", {"tasklist_id": 1302, "assignee_user_ids": [4242]})
    assert out == {"count": 0}


async def test_set_and_get_dependencies(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_set_task_dependencies",
        {"task_id": 5002, "predecessors": [{"task_id": 5001, "type": "complete"}, {"task_id": 5003, "type": "start"}]},
    )
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        f"{V3}/tasks/5002.json",
        {"task": {}, "predecessors": [{"id": 5001, "type": "complete"}, {"id": 5003, "type": "start"}]},
    )
    assert out["predecessors"] == [{"task_id": 5001, "type": "complete"}, {"task_id": 5003, "type": "start"}]
    assert "note" not in out
    got = await call_ok(client, "teamwork_get_task_dependencies", {"task_id": 5003})
    assert got == {"task_id": 5003, "predecessors": [], "subtask_ids": [5004]}
    assert sandbox.teamwork.requests[-1].query == [("includeRelatedTasks", "true")]
    cleared = await call_ok(client, "teamwork_set_task_dependencies", {"task_id": 5002, "predecessors": []})
    assert cleared["predecessors"] == [] and "note" not in cleared


async def test_dependency_clear_that_does_not_take_is_reported(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "teamwork_set_task_dependencies",
        {"task_id": 5002, "predecessors": [{"task_id": 5001, "type": "start"}]},
    )
    sandbox.teamwork.faults.add("PATCH", f"{V3}/tasks/5002.json", Fault(status=200, body={"task": {}}))
    out = await call_ok(client, "teamwork_set_task_dependencies", {"task_id": 5002, "predecessors": []})
    assert out["predecessors"] == [{"task_id": 5001, "type": "start"}] and "differ" in out["note"]


async def test_relations_bad_input_and_prerequisites(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_move_tasks", {"task_ids": [], "tasklist_id": 1301}, "task_ids"),
        ("teamwork_move_tasks", {"task_ids": [5001, 5001], "tasklist_id": 1301}, "once"),
        (
            "teamwork_set_task_dependencies",
            {"task_id": 5002, "predecessors": [{"task_id": 5002, "type": "start"}]},
            "own",
        ),
        (
            "teamwork_set_task_dependencies",
            {"task_id": 5002, "predecessors": [{"task_id": 5001, "type": "end"}]},
            "type",
        ),
        ("teamwork_count_tasks", {"due_after": "tomorrow"}, "due_after"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, expected)
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_move_tasks", {"task_ids": [5001, 4242], "tasklist_id": 1303})
    assert "task_ids: task 4242" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_move_tasks", {"task_ids": [5001], "tasklist_id": 4242})
    assert "teamwork_list_tasklists" in text
    text = await call_err(
        client,
        "teamwork_set_task_dependencies",
        {"task_id": 5002, "predecessors": [{"task_id": 4242, "type": "start"}]},
    )
    assert "predecessors: task 4242" in text
    assert sandbox.teamwork.writes == []


async def test_move_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("PUT", "/tasks/5001/move.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_move_tasks", {"task_ids": [5001], "tasklist_id": 1303})
    assert "500" in text and len(sandbox.teamwork.find("PUT")) == 1
