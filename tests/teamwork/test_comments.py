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


# -- comments on any object: create, list, get, update, delete ------------------------------------------------------

MILESTONE, NOTEBOOK, LINK, FILE_VERSION = 8801, 61001, 62001, 8120012


async def test_create_comment_on_each_object_type_exact_request(client: Client, sandbox) -> None:
    files = await call_ok(client, "teamwork_list_task_files", {"task_id": 5001})
    assert files["items"][0]["version_id"] == FILE_VERSION
    targets = [
        ("milestone", MILESTONE, "milestones"),
        ("notebook", NOTEBOOK, "notebooks"),
        ("link", LINK, "links"),
        ("file_version", FILE_VERSION, "fileversions"),
        ("task", 5001, "tasks"),
    ]
    for object_type, object_id, segment in targets:
        out = await call_ok(
            client,
            "teamwork_create_comment",
            {"object_type": object_type, "object_id": object_id, "body": f"on {object_type}", "notify": "all"},
        )
        post = sandbox.teamwork.writes[-1]
        assert (post.method, post.path) == ("POST", f"/{segment}/{object_id}/comments.json")
        assert post.json == {"comment": {"body": f"on {object_type}", "contentType": "TEXT", "notify": "ALL"}}
        assert (out["object_type"], out["object_id"], out["body"]) == (object_type, object_id, f"on {object_type}")
        assert out["project_id"] == 732893
        assert out.get("task_id") == (5001 if object_type == "task" else None)
    listed = await call_ok(client, "teamwork_list_comments", {"object_type": "notebook", "object_id": NOTEBOOK})
    assert [c["body"] for c in listed["items"]] == ["on notebook"]
    req = sandbox.teamwork.requests[-1]
    assert (req.path, req.query) == (f"/projects/api/v3/notebooks/{NOTEBOOK}/comments.json", [])  # no parameters


async def test_link_and_notebook_comments_take_no_parameters_and_are_paged_here(client: Client, sandbox) -> None:
    for n in range(3):
        await call_ok(client, "teamwork_create_comment", {"object_type": "link", "object_id": LINK, "body": f"c{n}"})
    sandbox.teamwork.recorder.clear()
    args = {"object_type": "link", "object_id": LINK, "page_size": 2}
    first = await call_ok(client, "teamwork_list_comments", args)
    second = await call_ok(client, "teamwork_list_comments", args | {"page": 2})
    assert [r.query for r in sandbox.teamwork.requests] == [[], []]
    assert [c["body"] for c in first["items"]] == ["c0", "c1"] and first["has_more"] is True and first["total"] == 3
    assert [c["body"] for c in second["items"]] == ["c2"] and second["has_more"] is False
    text = await call_err(client, "teamwork_list_comments", args | {"search": "c1"})
    assert "search" in text and "site-wide" in text and len(sandbox.teamwork.requests) == 2


async def test_list_comments_site_wide_with_filters(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "teamwork_create_comment",
        {"object_type": "milestone", "object_id": MILESTONE, "body": "Sign-off booked"},
    )
    sandbox.teamwork.recorder.clear()
    out = await call_ok(
        client,
        "teamwork_list_comments",
        {"search": "booked", "user_ids": [238860], "updated_after": "2026-11-01T00:00:00Z", "page_size": 20},
    )
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/comments.json")
    assert req.query == [
        ("searchTerm", "booked"),
        ("userIds", "238860"),
        ("updatedAfter", "2026-11-01T00:00:00Z"),
        ("page", "1"),
        ("pageSize", "20"),
    ]
    assert [c["body"] for c in out["items"]] == ["Booked the CFO for Tuesday", "Sign-off booked"]
    assert [c["object_type"] for c in out["items"]] == ["task", "milestone"] and out["total"] == 2


async def test_get_update_and_delete_comment(client: Client, sandbox) -> None:
    got = await call_ok(client, "teamwork_get_comment", {"comment_id": 44001})
    assert sandbox.teamwork.requests[-1].path == "/projects/api/v3/comments/44001.json"  # answered under "comments"
    assert (got["body"], got["object_type"], got["object_id"]) == ("Booked the CFO for Tuesday", "task", 5001)
    out = await call_ok(
        client,
        "teamwork_update_comment",
        {"comment_id": 44001, "body": "<p>Booked <b>Wed</b></p>", "content_type": "HTML", "notify_user_ids": [369453]},
    )
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path) == ("PUT", "/comments/44001.json")
    assert put.json == {"comment": {"body": "<p>Booked <b>Wed</b></p>", "content-type": "HTML", "notify": "369453"}}
    assert out["body"] == "<p>Booked <b>Wed</b></p>" and out["content_type"] == "HTML" and out["edited_at"]
    await call_ok(client, "teamwork_delete_comment", {"comment_id": 44001})
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == ("DELETE", "/comments/44001.json")
    assert "404" in await call_err(client, "teamwork_get_comment", {"comment_id": 44001})
    listed = await call_ok(client, "teamwork_list_task_comments", {"task_id": 5001})
    assert listed["items"] == []


async def test_comment_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_comment", {"object_type": "project", "object_id": 1, "body": "x"}, "object_type"),
        ("teamwork_create_comment", {"object_type": "task", "object_id": 0, "body": "x"}, "object_id"),
        ("teamwork_create_comment", {"object_type": "task", "object_id": 5001, "body": ""}, "body"),
        ("teamwork_list_comments", {"object_type": "task"}, "together"),
        ("teamwork_list_comments", {"object_id": 5001}, "together"),
        ("teamwork_list_comments", {"updated_after": "yesterday"}, "updated_after"),
        ("teamwork_update_comment", {"comment_id": 44001}, "body"),
        ("teamwork_update_comment", {"comment_id": 44001, "body": "x", "content_type": "MD"}, "content_type"),
        (
            "teamwork_update_comment",
            {"comment_id": 44001, "body": "x", "notify": "all", "notify_user_ids": [1]},
            "not both",
        ),
        ("teamwork_delete_comment", {"comment_id": -3}, "comment_id"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.teamwork.requests == []


async def test_comment_on_missing_object_is_refused(client: Client, sandbox) -> None:
    for object_type, lister in [
        ("milestone", "teamwork_list_milestones"),
        ("notebook", "teamwork_list_notebooks"),
        ("link", "teamwork_list_links"),
    ]:
        text = await call_err(
            client, "teamwork_create_comment", {"object_type": object_type, "object_id": 4242, "body": "x"}
        )
        assert "object_id" in text and lister in text and "Nothing was written" in text, text
    assert sandbox.teamwork.writes == []
    # file versions have no read to check first: the create's own 404 is reported against object_id
    text = await call_err(
        client, "teamwork_create_comment", {"object_type": "file_version", "object_id": 4242, "body": "x"}
    )
    assert "object_id: file version 4242" in text and "teamwork_list_task_files" in text
    text = await call_err(client, "teamwork_update_comment", {"comment_id": 4242, "body": "x"})
    assert "comment_id" in text and "teamwork_list_comments" in text
    assert [w.method for w in sandbox.teamwork.writes] == ["POST"]


async def test_comment_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("PUT", "/comments/44001.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_update_comment", {"comment_id": 44001, "body": "x"})
    assert "500" in text and len(sandbox.teamwork.find("PUT")) == 1
    sandbox.teamwork.faults.add(
        "GET", "/projects/api/v3/comments.json", Fault(status=400, body={"errors": [{"detail": "bad orderBy"}]})
    )
    text = await call_err(client, "teamwork_list_comments", {})
    assert "400" in text and "bad orderBy" in text
