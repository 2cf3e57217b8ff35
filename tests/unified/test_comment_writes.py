"""unified_create_comment routes to teamwork_create_comment: the v1 comment reaches the simulator as the native
tool sends it, and its checks refuse (naming the native field and the unified argument) before anything is sent."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_err, call_ok


async def test_comment_on_a_task_and_on_a_milestone(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "unified_create_comment",
        {"ticket_id": 5001, "body": "Interview notes are in the drive.", "native": {"notify": "followers"}},
    )
    comment = out["result"]
    assert (comment["source"], comment["ticket_id"], comment["object_type"], comment["body"]) == (
        "teamwork",
        "5001",
        "task",
        "Interview notes are in the drive.",
    )
    (post,) = sandbox.teamwork.writes
    assert post.path == "/tasks/5001/comments.json"
    assert (
        post.json["comment"]["body"] == "Interview notes are in the drive." and post.json["comment"]["notify"] is True
    )
    listed = await call_ok(client, "unified_list_comments", {"ticket_id": 5001})
    assert comment["id"] in [c["id"] for c in listed["result"]]
    out = await call_ok(
        client, "unified_create_comment", {"ticket_id": 8801, "ticket_type": "milestone", "body": "Signed off."}
    )
    assert (out["result"]["object_type"], out["result"]["ticket_id"]) == ("milestone", "8801")


async def test_comment_refusals_send_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "unified_create_comment", {"ticket_id": 999, "body": "x"})
    assert "task 999 does not exist" in text and "object_id is teamwork_create_comment's name for ticket_id" in text
    text = await call_err(
        client, "unified_create_comment", {"ticket_id": 5001, "body": "x", "native": {"notify": "some"}}
    )
    assert "Invalid arguments for teamwork_create_comment" in text and "- notify:" in text
    assert sandbox.teamwork.writes == []
