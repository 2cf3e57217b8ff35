"""Task comments: v1 create with the SDK's camelCase create keys, read back through v3 (whose single-comment answer
is wrapped in `comments`), v3 listing, notify forms, refusals and upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_create_comment_exact_request_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_task_comment",
        {"task_id": 5002, "body": "<p>First <b>draft</b> is up</p>", "content_type": "HTML", "notify": "followers"},
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == "/tasks/5002/comments.json"
    assert post.json == {"comment": {"body": "<p>First <b>draft</b> is up</p>", "contentType": "HTML", "notify": True}}
    assert post.headers["content-type"] == "application/json"
    (read_back,) = sandbox.teamwork.find("GET", f"/projects/api/v3/comments/{out['comment_id']}.json")
    assert read_back.query == []
    assert out["body"] == "<p>First <b>draft</b> is up</p>" and out["content_type"] == "HTML"
    assert out["task_id"] == 5002 and out["project_id"] == 732893 and out["posted_by_user_id"] == 238860


async def test_notify_forms(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_create_task_comment", {"task_id": 5001, "body": "a"})
    await call_ok(client, "teamwork_create_task_comment", {"task_id": 5001, "body": "b", "notify": "all"})
    await call_ok(
        client, "teamwork_create_task_comment", {"task_id": 5001, "body": "c", "notify_user_ids": [369453, 412001]}
    )
    sent = [r.json["comment"] for r in sandbox.teamwork.find("POST")]
    assert sent == [
        {"body": "a", "contentType": "TEXT"},  # nobody: the SDK omits notify
        {"body": "b", "contentType": "TEXT", "notify": "ALL"},
        {"body": "c", "contentType": "TEXT", "notify": "369453,412001"},
    ]


async def test_list_task_comments_v3(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_create_task_comment", {"task_id": 5001, "body": "Notes uploaded"})
    sandbox.teamwork.recorder.clear()
    out = await call_ok(client, "teamwork_list_task_comments", {"task_id": 5001, "page_size": 10, "include_raw": True})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/tasks/5001/comments.json")
    assert req.query == [("page", "1"), ("pageSize", "10")]
    assert [c["body"] for c in out["items"]] == ["Booked the CFO for Tuesday", "Notes uploaded"]
    assert out["items"][0]["comment_id"] == 44001 and out["items"][0]["raw"]["contentType"] == "TEXT"
    assert out["has_more"] is False and out["total"] == 2


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"task_id": 5001, "body": ""}, "body"),
        ({"task_id": 5001, "body": "x", "content_type": "MARKDOWN"}, "content_type"),
        ({"task_id": 5001, "body": "x", "notify": "everyone"}, "notify"),
        ({"task_id": 5001, "body": "x", "notify": "all", "notify_user_ids": [1]}, "notify_user_ids"),
        ({"task_id": -1, "body": "x"}, "task_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_create_task_comment", args)
        assert field in text, (field, text)
    text = await call_err(client, "teamwork_list_task_comments", {"task_id": "abc"})
    assert "task_id" in text
    assert sandbox.teamwork.requests == []


async def test_missing_task_or_person_is_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_task_comment", {"task_id": 999999, "body": "x"})
    assert "task_id" in text and "teamwork_list_tasks" in text and "Nothing was written" in text
    text = await call_err(
        client, "teamwork_create_task_comment", {"task_id": 5001, "body": "x", "notify_user_ids": [7]}
    )
    assert "notify_user_ids" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []


async def test_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", "/tasks/5001/comments.json", Fault(status=503, after=True))
    text = await call_err(client, "teamwork_create_task_comment", {"task_id": 5001, "body": "x"})
    assert "503" in text and "NOT retried" in text and "teamwork_list_task_comments" in text
    assert len(sandbox.teamwork.find("POST")) == 1
    text = await call_err(client, "teamwork_list_task_comments", {"task_id": 999999})
    assert "404" in text


async def test_a_failed_read_back_still_reports_the_posted_comment(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("GET", r"/projects/api/v3/comments/\d+\.json", *[Fault(status=500)] * 4)
    out = await call_ok(client, "teamwork_create_task_comment", {"task_id": 5001, "body": "Posted anyway"})
    assert out["comment_id"] > 0 and out["body"] == "Posted anyway" and out["task_id"] == 5001
    assert len(sandbox.teamwork.find("POST")) == 1
