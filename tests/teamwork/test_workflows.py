"""Workflows and stages (v3 §6.17): exact requests, read-backs, refusals before any write, upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"
KIWI = 732893


async def test_workflow_crud_exact_requests_and_read_back(client: Client, sandbox) -> None:
    made = await call_ok(client, "teamwork_create_workflow", {"name": "Creative"})
    wid = made["workflow_id"]
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path, post.json) == ("POST", f"{V3}/workflows.json", {"workflow": {"name": "Creative"}})
    renamed = await call_ok(client, "teamwork_update_workflow", {"workflow_id": wid, "name": "Creative v2"})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        f"{V3}/workflows/{wid}.json",
        {"workflow": {"name": "Creative v2"}},
    )
    assert renamed == {"workflow_id": wid, "name": "Creative v2", "default": False}
    listed = await call_ok(client, "teamwork_list_workflows", {"search": "creative"})
    assert [w["workflow_id"] for w in listed["items"]] == [wid] and listed["total"] == 1
    assert sandbox.teamwork.requests[-1].query == [("searchTerm", "creative"), ("page", "1"), ("pageSize", "50")]
    assert (await call_ok(client, "teamwork_get_workflow", {"workflow_id": wid}))["name"] == "Creative v2"
    assert await call_ok(client, "teamwork_delete_workflow", {"workflow_id": wid}) == {"id": wid, "deleted": True}
    assert sandbox.teamwork.writes[-1].path == f"{V3}/workflows/{wid}.json"
    assert "404" in await call_err(client, "teamwork_get_workflow", {"workflow_id": wid})


async def test_stage_crud_and_delete_says_where_tasks_go(client: Client, sandbox) -> None:
    made = await call_ok(client, "teamwork_create_workflow_stage", {"workflow_id": 1499, "name": "Review"})
    sid = made["stage_id"]
    assert made["workflow_id"] == 1499 and made["display_order"] == 3
    assert sandbox.teamwork.writes[-1].json == {"stage": {"name": "Review"}}
    assert sandbox.teamwork.writes[-1].path == f"{V3}/workflows/1499/stages.json"
    out = await call_ok(client, "teamwork_update_workflow_stage", {"workflow_id": 1499, "stage_id": sid, "name": "QA"})
    assert out["name"] == "QA" and sandbox.teamwork.writes[-1].method == "PATCH"
    stages = await call_ok(client, "teamwork_list_workflow_stages", {"workflow_id": 1499})
    assert [s["name"] for s in stages["items"]] == ["To do", "Doing", "Done", "QA"]
    by_name = await call_ok(client, "teamwork_list_workflow_stages", {"workflow_id": 1499, "order_by": "name"})
    assert sandbox.teamwork.requests[-1].params["orderBy"] == "name" and by_name["items"][0]["name"] == "Doing"

    await call_ok(client, "teamwork_link_project_workflow", {"project_id": KIWI, "workflow_id": 1499})
    await call_ok(client, "teamwork_move_task_to_stage", {"task_id": 5001, "workflow_id": 1499, "stage_id": sid})
    out = await call_ok(
        client,
        "teamwork_delete_workflow_stage",
        {"workflow_id": 1499, "stage_id": sid, "move_tasks_to_stage_id": 2103},
    )
    assert out == {"id": sid, "deleted": True}
    delete = sandbox.teamwork.writes[-1]
    assert (delete.method, delete.path, delete.json) == (
        "DELETE",
        f"{V3}/workflows/1499/stages/{sid}.json",
        {"mapTasksToStageId": 2103},
    )
    task = await call_ok(client, "teamwork_get_task", {"task_id": 5001})
    assert task["workflow_stages"] == [{"workflow_id": 1499, "stage_id": 2103}]


async def test_link_and_move_tasks_through_stages(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_link_project_workflow", {"project_id": KIWI, "workflow_id": 1499})
    assert out["sent"] == {"workflow": {"id": 1499}}
    link = sandbox.teamwork.writes[-1]
    assert (link.method, link.path) == ("POST", f"{V3}/projects/{KIWI}/workflows.json")
    task = await call_ok(
        client, "teamwork_move_task_to_stage", {"task_id": 5001, "workflow_id": 1499, "stage_id": 2102}
    )
    move = sandbox.teamwork.writes[-1]
    assert (move.method, move.path, move.json) == (
        "PATCH",
        f"{V3}/tasks/5001/workflows/1499.json",
        {"stageId": 2102, "positionAfterTask": -1},
    )
    assert task["workflow_stages"] == [{"workflow_id": 1499, "stage_id": 2102}]
    await call_ok(
        client,
        "teamwork_move_task_to_stage",
        {"task_id": 5002, "workflow_id": 1499, "stage_id": 2102, "after_task_id": 5001},
    )
    assert sandbox.teamwork.writes[-1].json == {"stageId": 2102, "positionAfterTask": 5001}
    out = await call_ok(
        client, "teamwork_move_tasks_to_stage", {"workflow_id": 1499, "stage_id": 2103, "task_ids": [5001, 5002]}
    )
    many = sandbox.teamwork.writes[-1]
    assert (many.method, many.path, many.json) == (
        "POST",
        f"{V3}/workflows/1499/stages/2103/tasks.json",
        {"taskIds": [5001, 5002]},
    )
    assert [t["workflow_stages"] for t in out["tasks"]] == [[{"workflow_id": 1499, "stage_id": 2103}]] * 2


async def test_workflow_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_workflow", {"name": ""}, "name"),
        ("teamwork_update_workflow", {"workflow_id": 0, "name": "x"}, "workflow_id"),
        ("teamwork_create_workflow_stage", {"workflow_id": 1499}, "name"),
        ("teamwork_delete_workflow_stage", {"workflow_id": 1499, "stage_id": 2101}, "move_tasks_to_stage_id"),
        (
            "teamwork_delete_workflow_stage",
            {"workflow_id": 1499, "stage_id": 2101, "move_tasks_to_stage_id": 2101},
            "another stage",
        ),
        ("teamwork_move_tasks_to_stage", {"workflow_id": 1499, "stage_id": 2101, "task_ids": []}, "task_ids"),
        ("teamwork_move_tasks_to_stage", {"workflow_id": 1499, "stage_id": 2101, "task_ids": [1, 1]}, "once"),
        ("teamwork_list_workflow_stages", {"workflow_id": 1499, "order_by": "colour"}, "order_by"),
    ]
    for name, args, field in cases:
        assert field in await call_err(client, name, args), name
    assert sandbox.teamwork.requests == []


async def test_workflow_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_link_project_workflow", {"project_id": KIWI, "workflow_id": 4242}, "teamwork_list_workflows"),
        ("teamwork_link_project_workflow", {"project_id": 4242, "workflow_id": 1499}, "teamwork_list_projects"),
        (
            "teamwork_delete_workflow_stage",
            {"workflow_id": 1499, "stage_id": 2101, "move_tasks_to_stage_id": 4242},
            "move_tasks_to_stage_id",
        ),
        ("teamwork_move_task_to_stage", {"task_id": 4242, "workflow_id": 1499, "stage_id": 2101}, "task_id"),
        ("teamwork_move_task_to_stage", {"task_id": 5001, "workflow_id": 1499, "stage_id": 4242}, "stage_id"),
        (
            "teamwork_move_tasks_to_stage",
            {"workflow_id": 1499, "stage_id": 2101, "task_ids": [5001, 4242]},
            "task_ids: task 4242",
        ),
    ]
    for name, args, expected in cases:
        text = await call_err(client, name, args)
        assert expected in text and "Nothing was written" in text, (name, text)
    assert sandbox.teamwork.writes == []


async def test_workflow_upstream_errors(client: Client, sandbox) -> None:
    # the project does not use the workflow: Teamwork answers 400, passed on with its detail
    text = await call_err(
        client, "teamwork_move_task_to_stage", {"task_id": 5001, "workflow_id": 1499, "stage_id": 2102}
    )
    assert "400" in text and "does not use workflow 1499" in text
    sandbox.teamwork.faults.add("POST", f"{V3}/workflows.json", Fault(status=500))
    text = await call_err(client, "teamwork_create_workflow", {"name": "X"})
    assert "500" in text
