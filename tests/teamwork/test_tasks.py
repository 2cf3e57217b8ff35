"""Tasks: v3 get/create/PATCH update/delete/subtasks, v1 complete/uncomplete, and tags on tasks."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_get_task(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_task", {"task_id": 5004, "include_raw": True})
    assert out["parent_task_id"] == 5003 and out["tasklist_id"] == 1302 and out["raw"]["id"] == 5004
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", "/projects/api/v3/tasks/5004.json", [])
    assert "404" in await call_err(client, "teamwork_get_task", {"task_id": 4242})


async def test_create_task_exact_body(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_task",
        {
            "tasklist_id": 1302,
            "name": "Card controls",
            "description": "Freeze and unfreeze",
            "priority": "high",
            "start_date": "2026-12-01",
            "due_date": "2026-12-12",
            "estimate_minutes": 300,
            "assignee_user_ids": [369453, 412001],
            "tag_ids": [17062],
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", "/projects/api/v3/tasklists/1302/tasks.json")
    assert post.json == {
        "task": {
            "name": "Card controls",
            "description": "Freeze and unfreeze",
            "priority": "high",
            "startAt": "2026-12-01",
            "dueAt": "2026-12-12",
            "estimatedMinutes": 300,
            "assignees": {"userIds": [369453, 412001], "companyIds": [], "teamIds": [], "jobRoleIds": []},
            "tagIds": [17062],
        },
        "taskOptions": {"notify": True, "checkInvalidusers": True},
    }
    assert out["task_id"] > 0 and out["estimate_minutes"] == 300 and out["assignee_user_ids"] == [369453, 412001]
    again = await call_ok(client, "teamwork_get_task", {"task_id": out["task_id"]})
    assert again["due_date"] == "2026-12-12" and again["tag_ids"] == [17062]


async def test_create_subtask_and_list_subtasks(client: Client, sandbox) -> None:
    sub = await call_ok(
        client,
        "teamwork_create_task",
        {"tasklist_id": 1302, "name": "Face ID", "parent_task_id": 5003, "notify": False},
    )
    assert sandbox.teamwork.writes[0].json == {
        "task": {"name": "Face ID", "parentTaskId": 5003},
        "taskOptions": {"notify": False, "checkInvalidusers": True},
    }
    sandbox.teamwork.recorder.clear()
    out = await call_ok(client, "teamwork_list_subtasks", {"task_id": 5003})
    assert [t["task_id"] for t in out["items"]] == [5004, sub["task_id"]] and out["total"] == 2
    parent, listing = sandbox.teamwork.requests
    assert (parent.path, parent.query) == ("/projects/api/v3/tasks/5003.json", [("includeRelatedTasks", "true")])
    assert (listing.path, listing.query) == (
        "/projects/api/v3/tasks.json",
        [("ids", f"5004,{sub['task_id']}"), ("page", "1"), ("pageSize", "2")],
    )


async def test_list_subtasks_never_returns_unrelated_tasks(client: Client, sandbox) -> None:
    """The simulator ignores `parentTaskId` as a live site may; subtasks come from the parent's `subTaskIds`."""
    out = await call_ok(client, "teamwork_list_subtasks", {"task_id": 5001})
    assert out["items"] == [] and out["total"] == 0
    assert [r.path for r in sandbox.teamwork.requests] == ["/projects/api/v3/tasks/5001.json"]
    await call_ok(client, "teamwork_complete_task", {"task_id": 5004})
    assert (await call_ok(client, "teamwork_list_subtasks", {"task_id": 5003}))["items"] == []
    out = await call_ok(client, "teamwork_list_subtasks", {"task_id": 5003, "include_completed": True})
    assert [t["task_id"] for t in out["items"]] == [5004]
    parent = sandbox.teamwork.requests[-2]
    assert parent.params == {"includeRelatedTasks": "true", "includeCompletedPredecessors": "true"}
    assert sandbox.teamwork.requests[-1].params["includeCompletedTasks"] == "true"
    assert "404" in await call_err(client, "teamwork_list_subtasks", {"task_id": 4242})


async def test_create_task_prerequisites(client: Client, sandbox) -> None:
    cases = [
        ({"tasklist_id": 4242, "name": "x"}, "teamwork_list_tasklists"),
        ({"tasklist_id": 1302, "name": "x", "assignee_user_ids": [4242]}, "teamwork_list_people"),
        ({"tasklist_id": 1302, "name": "x", "tag_ids": [4242]}, "teamwork_list_tags"),
        ({"tasklist_id": 1302, "name": "x", "parent_task_id": 5001}, "parent's list"),
    ]
    for args, expected in cases:
        text = await call_err(client, "teamwork_create_task", args)
        assert expected in text and "Nothing was written" in text, text
    assert sandbox.teamwork.writes == []


async def test_create_task_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"tasklist_id": 1302}, "name"),
        ({"tasklist_id": 1302, "name": "x", "priority": "urgent"}, "priority"),
        ({"tasklist_id": 1302, "name": "x", "progress": 101}, "progress"),
        ({"tasklist_id": 1302, "name": "x", "start_date": "2026-12-02", "due_date": "2026-12-01"}, "due_date"),
        ({"tasklist_id": 1302, "name": "x", "estimated_minutes": 5}, "estimate_minutes"),
    ]
    for args, field in cases:
        assert field in await call_err(client, "teamwork_create_task", args)
    assert sandbox.teamwork.requests == []


async def test_update_task_patches_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_update_task", {"task_id": 5002, "due_date": "2026-12-18", "assignee_user_ids": []}
    )
    (patch,) = sandbox.teamwork.writes
    assert (patch.method, patch.path) == ("PATCH", "/projects/api/v3/tasks/5002.json")
    empty = {"userIds": [], "companyIds": [], "teamIds": [], "jobRoleIds": []}  # all four, or teams stay assigned
    assert patch.json == {"task": {"dueAt": "2026-12-18", "assignees": empty}}
    assert out["due_date"] == "2026-12-18" and out["assignee_user_ids"] == [] and out["name"] == "Wireframes"


async def test_update_task_moves_and_detaches(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_task", {"task_id": 5004, "tasklist_id": 1301, "parent_task_id": 0})
    assert sandbox.teamwork.writes[-1].json == {"task": {"tasklistId": 1301, "parentTaskId": 0}}
    assert out["tasklist_id"] == 1301 and "parent_task_id" not in out
    text = await call_err(client, "teamwork_update_task", {"task_id": 5001, "tasklist_id": 1303})
    assert "same project" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_update_task", {"task_id": 5001, "parent_task_id": 5001})
    assert "parent_task_id" in text
    assert len(sandbox.teamwork.writes) == 1


async def test_update_task_bad_input_and_404(client: Client, sandbox) -> None:
    assert "task_id" in await call_err(client, "teamwork_update_task", {"task_id": 5001})
    assert "parent_task_id" in await call_err(client, "teamwork_update_task", {"task_id": 5001, "parent_task_id": -1})
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_update_task", {"task_id": 4242, "name": "x"})
    assert "404" in text and "teamwork_list_tasks" in text


async def test_complete_and_reopen_task(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_complete_task", {"task_id": 5002})
    assert out["status"] == "completed" and out["completed_at"]
    out = await call_ok(client, "teamwork_reopen_task", {"task_id": 5002})
    assert out["status"] == "reopened"
    puts = [(r.method, r.path, r.body) for r in sandbox.teamwork.writes]
    assert puts == [("PUT", "/tasks/5002/complete.json", b""), ("PUT", "/tasks/5002/uncomplete.json", b"")]
    assert "404" in await call_err(client, "teamwork_complete_task", {"task_id": 4242})
    assert "task_id" in await call_err(client, "teamwork_reopen_task", {})


async def test_delete_task_takes_subtasks_and_accepts_200(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_task", {"task_id": 5003})
    assert out == {"id": 5003, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.teamwork.writes] == [("DELETE", "/projects/api/v3/tasks/5003.json")]
    assert "404" in await call_err(client, "teamwork_get_task", {"task_id": 5004})
    sandbox.teamwork.faults.add("DELETE", "/projects/api/v3/tasks/5002.json", Fault(status=200, body={"task": {}}))
    assert (await call_ok(client, "teamwork_delete_task", {"task_id": 5002}))["deleted"] is True


async def test_set_task_tags_add_remove_replace(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [17062], "mode": "add"})
    assert out["tag_ids"] == [17062]
    out = await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [17063], "mode": "add"})
    assert out["tag_ids"] == [17062, 17063]
    out = await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [17062], "mode": "remove"})
    assert out["tag_ids"] == [17063]
    out = await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": []})
    assert out["tag_ids"] == []
    bodies = [r.json for r in sandbox.teamwork.writes]
    assert bodies == [{"task": {"tagIds": t}} for t in ([17062], [17062, 17063], [17063], [])]
    assert {r.path for r in sandbox.teamwork.writes} == {"/projects/api/v3/tasks/5001.json"}


async def test_set_task_tags_refusals(client: Client, sandbox) -> None:
    assert "mode" in await call_err(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [], "mode": "x"})
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [999]})
    assert "tag_ids" in text and "teamwork_list_tags" in text
    assert sandbox.teamwork.writes == []


async def test_clearing_tags_is_read_back(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [17062]})
    out = await call_ok(client, "teamwork_update_task", {"task_id": 5001, "tag_ids": []})
    assert out["tag_ids"] == [] and "note" not in out
    assert [(r.method, r.path) for r in sandbox.teamwork.requests[-2:]] == [
        ("PATCH", "/projects/api/v3/tasks/5001.json"),
        ("GET", "/projects/api/v3/tasks/5001.json"),
    ]


async def test_tags_that_survive_a_clear_are_reported(client: Client, sandbox) -> None:
    """A site answering 200 without applying `tagIds: []`: the read-back shows the tags, and the tool says so."""
    await call_ok(client, "teamwork_set_task_tags", {"task_id": 5001, "tag_ids": [17062]})
    for tool, args in (("teamwork_update_task", {"tag_ids": []}), ("teamwork_set_task_tags", {"tag_ids": []})):
        sandbox.teamwork.faults.add("PATCH", "/projects/api/v3/tasks/5001.json", Fault(status=200, body={"task": {}}))
        out = await call_ok(client, tool, {"task_id": 5001, **args})
        assert out["tag_ids"] == [17062] and "kept tags [17062]" in out["note"], tool
