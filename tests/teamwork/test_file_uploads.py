"""File upload by the pre-signed flow: presign, PUT to storage without credentials, attach to a task or project;
name/size/base64 checked with nothing sent; the bytes never in logs or results."""

from __future__ import annotations

import base64

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok, captured_log_output

PDF = b"%PDF-1.4 brief for the kick-off " * 40
B64 = base64.b64encode(PDF).decode()


async def test_upload_to_a_task_exact_requests_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_upload_file", {"file_name": "brief.pdf", "content_base64": B64, "task_id": 5002}
    )
    presign, upload, attach, listing = sandbox.teamwork.requests[1:]
    assert (presign.method, presign.path, presign.query) == (
        "GET",
        "/projects/api/v1/pendingfiles/presignedurl.json",
        [("fileName", "brief.pdf"), ("fileSize", str(len(PDF)))],
    )
    ref = upload.path.rsplit("/", 1)[1]
    assert (upload.method, upload.body) == ("PUT", PDF)
    assert "authorization" not in upload.headers and "jobroles-enabled" not in upload.headers
    assert upload.headers["content-type"] == "application/pdf" and upload.headers["content-length"] == str(len(PDF))
    assert (attach.method, attach.path, attach.json) == (
        "PATCH",
        "/projects/api/v3/tasks/5002.json",
        {"task": {}, "attachments": {"pendingFiles": [{"reference": ref}]}},
    )
    assert listing.path == "/tasks/5002/files.json"
    assert out == {"file_id": out["file_id"], "name": "brief.pdf", "size_bytes": len(PDF), "task_id": 5002}
    files = await call_ok(client, "teamwork_list_task_files", {"task_id": 5002})
    assert [(f["file_id"], f["size_bytes"]) for f in files["items"]] == [(out["file_id"], len(PDF))]


async def test_upload_to_a_project(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_upload_file",
        {"file_name": "logo.png", "content_base64": B64, "project_id": 732893, "description": "Brand"},
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path) == ("POST", "/projects/732893/files.json")
    assert post.json == {"file": {"pendingFileRef": post.json["file"]["pendingFileRef"], "description": "Brand"}}
    assert post.json["file"]["pendingFileRef"].startswith("tf_")
    assert out["file_id"] and out["project_id"] == 732893
    assert sandbox.teamwork.store.table("files")[out["file_id"]]["size"] == len(PDF)


async def test_bad_files_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"file_name": "../etc/passwd.txt", "content_base64": B64, "task_id": 5002}, "file_name"),
        ({"file_name": "noextension", "content_base64": B64, "task_id": 5002}, "extension"),
        ({"file_name": "a.pdf", "content_base64": "data:application/pdf;base64," + B64, "task_id": 5002}, "data:"),
        ({"file_name": "a.pdf", "content_base64": "not base64!", "task_id": 5002}, "base64"),
        ({"file_name": "a.pdf", "content_base64": "A" * (14 * 1024 * 1024), "task_id": 5002}, "limit"),
        ({"file_name": "a.pdf", "content_base64": B64}, "task_id or project_id"),
        ({"file_name": "a.pdf", "content_base64": B64, "task_id": 5002, "project_id": 732893}, "exactly one"),
    ]
    for args, expected in cases:
        text = await call_err(client, "teamwork_upload_file", args)
        assert expected in text and B64[:40] not in text, expected
    assert sandbox.teamwork.requests == []
    text = await call_err(
        client, "teamwork_upload_file", {"file_name": "a.pdf", "content_base64": B64, "task_id": 4242}
    )
    assert "teamwork_list_tasks" in text and "Nothing was written" in text
    assert [r.path for r in sandbox.teamwork.requests] == ["/projects/api/v3/tasks/4242.json"]


async def test_storage_refusal_is_an_error_and_nothing_is_attached(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "PUT", "/_uploads/tf_00000001", Fault(status=403, body="<Error/>", content_type="application/xml")
    )
    text = await call_err(
        client, "teamwork_upload_file", {"file_name": "a.pdf", "content_base64": B64, "task_id": 5002}
    )
    assert "403" in text and "not attached" in text
    assert [r.method for r in sandbox.teamwork.requests] == ["GET", "GET", "PUT"]


async def test_the_bytes_never_reach_logs_or_results(client: Client, sandbox) -> None:
    with captured_log_output("DEBUG", "json") as logs:
        out = await call_ok(
            client, "teamwork_upload_file", {"file_name": "b.pdf", "content_base64": B64, "task_id": 5002}
        )
    assert B64[:40] not in logs.getvalue() and B64[:40] not in str(out)
    assert PDF[:20].decode() not in logs.getvalue()
