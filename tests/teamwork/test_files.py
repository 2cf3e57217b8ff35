"""Task files: v1 GET /tasks/{id}/files.json, v1 string-typed records turned into typed fields."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_task_files_request_and_result(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_task_files", {"task_id": 5001})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", "/tasks/5001/files.json", [])
    first, second = out["items"]
    assert first == {
        "file_id": 812001,
        "name": "interview-guide.pdf",
        "description": "Questions for the stakeholder interviews",
        "size_bytes": 482133,
        "version": 2,
        "version_id": 8120012,
        "uploaded_at": "2026-11-03T09:12:00Z",
        "uploaded_by_user_id": 238860,
        "category": "Research",
        "download_url": "https://sandbox.teamwork.test/files/download/812001/interview-guide.pdf",
        "private": False,
    }
    assert second["private"] is True and "category" not in second and "description" not in second


async def test_files_at_the_top_level_are_read_too(client: Client, sandbox) -> None:
    """The answer's shape is unverified: a top-level `files` array is accepted as well as `project.files`."""
    body = {"STATUS": "OK", "files": [{"id": "9", "name": "a.txt", "size": "3", "private": "0"}]}
    sandbox.teamwork.faults.add("GET", "/tasks/5002/files.json", Fault(status=200, body=body))
    out = await call_ok(client, "teamwork_list_task_files", {"task_id": 5002, "include_raw": True})
    assert out["items"] == [{"file_id": 9, "name": "a.txt", "size_bytes": 3, "private": False, "raw": body["files"][0]}]


async def test_task_without_files_and_bad_input(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_task_files", {"task_id": 5006})
    assert out == {"task_id": 5006, "items": []}
    sandbox.teamwork.recorder.clear()
    text = await call_err(client, "teamwork_list_task_files", {"task_id": 0})
    assert "task_id" in text
    text = await call_err(client, "teamwork_list_task_files", {"task": 5001})
    assert "task_id" in text
    assert sandbox.teamwork.requests == []


async def test_missing_task_and_server_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_list_task_files", {"task_id": 999999})
    assert "404" in text and "teamwork_list_tasks" in text
    sandbox.teamwork.faults.add("GET", "/tasks/5001/files.json", Fault(status=502), Fault(status=502))
    out = await call_ok(client, "teamwork_list_task_files", {"task_id": 5001})
    assert len(out["items"]) == 2
    assert len(sandbox.teamwork.find("GET", "/tasks/5001/files.json")) == 3
