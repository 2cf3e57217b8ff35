"""Task lists: v3 reads; v1 create (`{"todo-list"}`, TASKLISTID answer), update and delete (which takes its tasks)."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893


async def test_list_tasklists_of_a_project(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_tasklists", {"project_id": KIWI, "search": "build", "page_size": 5})
    assert out["items"] == [
        {"tasklist_id": 1302, "name": "Build", "project_id": KIWI, "status": "new", "is_private": False,
         "created_at": "2026-10-01T09:00:00Z", "updated_at": "2026-10-01T09:00:00Z"}
    ]  # fmt: skip
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", f"/projects/api/v3/projects/{KIWI}/tasklists.json")
    assert req.query == [("searchTerm", "build"), ("page", "1"), ("pageSize", "5")]


async def test_list_all_tasklists_and_get_one(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_tasklists", {"include_completed": True})
    assert {t["tasklist_id"] for t in out["items"]} == {1301, 1302, 1303}
    assert sandbox.teamwork.requests[0].path == "/projects/api/v3/tasklists.json"
    assert sandbox.teamwork.requests[0].params["showCompleted"] == "true"
    one = await call_ok(client, "teamwork_get_tasklist", {"tasklist_id": 1301, "include_raw": True})
    assert one["milestone_id"] == 8801 and one["raw"]["milestone"] == {"id": 8801, "type": "milestones"}
    assert sandbox.teamwork.requests[-1].path == "/projects/api/v3/tasklists/1301.json"


async def test_create_tasklist_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_tasklist",
        {"project_id": KIWI, "name": "Launch", "description": "Go-live work", "milestone_id": 8801, "private": False},
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", f"/projects/{KIWI}/tasklists.json")
    assert post.json == {
        "todo-list": {"name": "Launch", "description": "Go-live work", "milestone-id": 8801, "private": False}
    }
    assert out["tasklist_id"] > 0 and out["name"] == "Launch" and out["milestone_id"] == 8801
    listed = await call_ok(client, "teamwork_list_tasklists", {"project_id": KIWI})
    assert out["tasklist_id"] in [t["tasklist_id"] for t in listed["items"]]


async def test_create_reads_the_id_whatever_its_case(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "POST", f"/projects/{KIWI}/tasklists.json", Fault(status=201, body={"STATUS": "OK", "tasklistId": "1302"})
    )
    out = await call_ok(client, "teamwork_create_tasklist", {"project_id": KIWI, "name": "Ignored"})
    assert out["tasklist_id"] == 1302 and out["name"] == "Build"


async def test_create_tasklist_prerequisites_refuse_without_writing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_tasklist", {"project_id": 4242, "name": "x"})
    assert "project_id" in text and "teamwork_list_projects" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_create_tasklist", {"project_id": 739377, "name": "x", "milestone_id": 8801})
    assert "8801" in text and "teamwork_list_milestones" in text
    text = await call_err(client, "teamwork_create_tasklist", {"project_id": KIWI, "name": "x", "milestone_id": 9})
    assert "milestone_id" in text and "does not exist" in text
    assert sandbox.teamwork.writes == []


async def test_create_tasklist_bad_input_sends_nothing(client: Client, sandbox) -> None:
    for args, field in [({"project_id": KIWI}, "name"), ({"name": "x"}, "project_id"),
                        ({"project_id": KIWI, "name": "x", "private": "maybe"}, "private")]:  # fmt: skip
        assert field in await call_err(client, "teamwork_create_tasklist", args)
    assert sandbox.teamwork.requests == []


async def test_update_tasklist_sends_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_tasklist", {"tasklist_id": 1302, "name": "Build & test"})
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == ("PUT", "/tasklists/1302.json", {"todo-list": {"name": "Build & test"}})
    assert out["name"] == "Build & test"
    text = await call_err(client, "teamwork_update_tasklist", {"tasklist_id": 1302})
    assert "tasklist_id" in text and "nothing to change" in text
    text = await call_err(client, "teamwork_update_tasklist", {"tasklist_id": 1303, "milestone_id": 8801})
    assert "belongs to project" in text
    assert len(sandbox.teamwork.writes) == 1


async def test_update_unknown_tasklist_is_a_404_with_the_lookup(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_tasklist", {"tasklist_id": 4242, "name": "x"})
    assert "404" in text and "teamwork_list_tasklists" in text


async def test_delete_tasklist_takes_its_tasks(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_tasklist", {"tasklist_id": 1302})
    assert out == {"id": 1302, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.teamwork.writes] == [("DELETE", "/tasklists/1302.json")]
    tasks = await call_ok(client, "teamwork_list_tasks", {"project_id": KIWI})
    assert {t["task_id"] for t in tasks["items"]} == {5001, 5002}
    assert "tasklist_id" in await call_err(client, "teamwork_delete_tasklist", {"tasklist_id": "x"})
