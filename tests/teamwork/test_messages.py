"""Messages and replies: v1 writes ({"post"}, {"messagereply"}), v3 reads, refusals and upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"
KIWI = 732893


async def test_post_message_and_reply_read_back(client: Client, sandbox) -> None:
    msg = await call_ok(
        client,
        "teamwork_create_message",
        {"project_id": KIWI, "title": "Kick-off", "body": "Agenda attached", "notify": "all"},
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path, post.json) == (
        "POST",
        f"/projects/{KIWI}/messages.json",
        {"post": {"title": "Kick-off", "body": "Agenda attached", "notify": "ALL"}},
    )
    assert msg["title"] == "Kick-off" and msg["project_id"] == KIWI and msg["author_id"] == 238860
    reply = await call_ok(
        client,
        "teamwork_create_message_reply",
        {"message_id": msg["message_id"], "body": "Thanks!", "notify_user_ids": [369453]},
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.path, post.json) == (
        f"/messages/{msg['message_id']}/replies.json",
        {"messagereply": {"body": "Thanks!", "notify": "369453"}},
    )
    assert reply["message_id"] == msg["message_id"] and reply["body"] == "Thanks!"
    again = await call_ok(client, "teamwork_get_message", {"message_id": msg["message_id"]})
    assert again["last_reply_id"] == reply["reply_id"]
    listed = await call_ok(client, "teamwork_list_message_replies", {"message_id": msg["message_id"]})
    assert [r["reply_id"] for r in listed["items"]] == [reply["reply_id"]]
    assert sandbox.teamwork.requests[-1].query == [
        ("messageIds", str(msg["message_id"])),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    msgs = await call_ok(client, "teamwork_list_messages", {"project_id": KIWI, "search": "kick"})
    assert [m["message_id"] for m in msgs["items"]] == [msg["message_id"]]


async def test_update_and_delete_message_and_reply(client: Client, sandbox) -> None:
    msg = await call_ok(client, "teamwork_create_message", {"project_id": KIWI, "title": "T", "body": "B"})
    assert sandbox.teamwork.writes[-1].json == {"post": {"title": "T", "body": "B"}}  # nobody notified: no key
    out = await call_ok(client, "teamwork_update_message", {"message_id": msg["message_id"], "body": "B2"})
    put = sandbox.teamwork.writes[-1]
    assert (put.method, put.path, put.json) == ("PUT", f"/messages/{msg['message_id']}.json", {"post": {"body": "B2"}})
    assert out["body"] == "B2" and out["title"] == "T"
    reply = await call_ok(client, "teamwork_create_message_reply", {"message_id": msg["message_id"], "body": "r"})
    out = await call_ok(client, "teamwork_update_message_reply", {"reply_id": reply["reply_id"], "body": "r2"})
    assert out["body"] == "r2" and sandbox.teamwork.writes[-1].path == f"/messageReplies/{reply['reply_id']}.json"
    assert (await call_ok(client, "teamwork_get_message_reply", {"reply_id": reply["reply_id"]}))["body"] == "r2"
    await call_ok(client, "teamwork_delete_message_reply", {"reply_id": reply["reply_id"]})
    await call_ok(client, "teamwork_delete_message", {"message_id": msg["message_id"]})
    assert [(w.method, w.path) for w in sandbox.teamwork.writes[-2:]] == [
        ("DELETE", f"/messageReplies/{reply['reply_id']}.json"),
        ("DELETE", f"/messages/{msg['message_id']}.json"),
    ]
    assert "404" in await call_err(client, "teamwork_get_message", {"message_id": msg["message_id"]})


async def test_message_bad_input_and_prerequisites(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_message", {"project_id": KIWI, "title": "", "body": "b"}, "title"),
        ("teamwork_create_message", {"project_id": KIWI, "title": "t"}, "body"),
        (
            "teamwork_create_message",
            {"project_id": KIWI, "title": "t", "body": "b", "notify": "all", "notify_user_ids": [1]},
            "not both",
        ),
        ("teamwork_update_message", {"message_id": 1}, "nothing to change"),
        ("teamwork_create_message_reply", {"message_id": 1, "body": ""}, "body"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, expected)
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_create_message", {"project_id": 4242, "title": "t", "body": "b"})
    assert "teamwork_list_projects" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_create_message_reply", {"message_id": 4242, "body": "b"})
    assert "teamwork_list_messages" in text
    text = await call_err(
        client, "teamwork_create_message", {"project_id": KIWI, "title": "t", "body": "b", "notify_user_ids": [4242]}
    )
    assert "notify_user_ids" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []


async def test_message_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"/projects/{KIWI}/messages.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_message", {"project_id": KIWI, "title": "t", "body": "b"})
    assert "500" in text and len(sandbox.teamwork.find("POST")) == 1
