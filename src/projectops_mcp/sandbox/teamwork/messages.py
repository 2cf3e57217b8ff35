"""Messages and message replies (the SDK's message.go, message_reply.go): written through v1 (`{"post"}` and
`{"messagereply"}` bodies; create 201 `{"messageId"}` / `{"postId"}` as strings; PUT and DELETE 200), read
through v3 (`messages`, `messagereplies`, single `message` / `messageReply`)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, live_project, v1_error, v1_ok, v3_not_found, v3_page

POST_KEYS = frozenset({"title", "body", "notify-current-user", "notify", "attachments", "pendingFileAttachments"})
REPLY_KEYS = frozenset({"body", "notify-current-user", "notify"})
NOTIFY = re.compile(r"^(ALL|all|[0-9]+(,[0-9]+)*)$")
NOW = "2026-11-20T10:00:00Z"


def seed(store: Store) -> None:
    store.put("messages", 41000, {"id": 41000, "projectId": 732893, "title": "Welcome", "body": "Project space is up",
                                  "authorId": _demo.ME_ID, "createdAt": _demo.CREATED})  # fmt: skip
    store.put("message_replies", 42000, {"id": 42000, "messageId": 41000, "body": "Great", "authorId": 369453,
                                         "createdAt": _demo.CREATED})  # fmt: skip


def _author(m: dict) -> dict:
    return {"id": m["authorId"], "type": "users"}


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    messages, replies = store.table("messages"), store.table("message_replies")

    def v3_message(m: dict) -> dict[str, Any]:
        mine = [r for r in replies.values() if r["messageId"] == m["id"] and not r.get("deleted")]
        last = max(mine, key=lambda r: r["id"], default=None)
        return {
            "id": m["id"],
            "title": m["title"],
            "body": m["body"],
            "author": _author(m),
            "project": {"id": m["projectId"], "type": "projects"},
            "tags": [],
            "lastReply": {"id": last["id"], "type": "messageReplies"} if last else None,
            "replyStatus": "active" if last else "",
            "status": "active",
            "createdAt": m["createdAt"],
            "updatedAt": m.get("updatedAt"),
        }

    def v3_reply(r: dict) -> dict[str, Any]:
        return {
            "id": r["id"],
            "body": r["body"],
            "author": _author(r),
            "message": {"id": r["messageId"], "type": "messages"},
            "createdAt": r["createdAt"],
            "updatedAt": r.get("updatedAt"),
            "status": "active",
        }

    def body_of(payload: Any, wrapper: str, allowed: frozenset[str], creating: bool) -> tuple[dict, str | None]:
        if not isinstance(payload, dict) or not isinstance(payload.get(wrapper), dict):
            return {}, f"Could not read the submitted JSON: expected a '{wrapper}' object"
        inner = payload[wrapper]
        if unknown := sorted(set(inner) - allowed):
            return {}, f"unknown field '{unknown[0]}'"
        required = ("title", "body") if wrapper == "post" else ("body",)
        for key in required:
            if (creating or key in inner) and not str(inner.get(key) or "").strip():
                return {}, f"{key} is required"
        notify = inner.get("notify")
        if notify is not None and notify is not True and not (isinstance(notify, str) and NOTIFY.match(notify)):
            return {}, "notify must be true, 'ALL' or a comma list of user ids"
        return inner, None

    async def create_message(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        inner, problem = body_of(await read_json(request), "post", POST_KEYS, creating=True)
        if problem:
            return v1_error(422 if "JSON" in problem else 400, problem)
        message_id = store.new_id("messages", 41000)
        record = {"id": message_id, "projectId": project["id"], "title": inner["title"], "body": inner["body"]}
        store.put("messages", message_id, record | {"authorId": _demo.ME_ID, "createdAt": NOW})
        return v1_ok(201, messageId=str(message_id))

    async def update_message(request: Request) -> Response:
        m = messages.get(request.path_params["message_id"])
        if m is None or m.get("deleted"):
            return v1_error(404, "Message not found")
        inner, problem = body_of(await read_json(request), "post", POST_KEYS, creating=False)
        if problem:
            return v1_error(422 if "JSON" in problem else 400, problem)
        m.update({k: inner[k] for k in ("title", "body") if k in inner}, updatedAt=NOW)
        return v1_ok()

    async def delete_message(request: Request) -> Response:
        m = messages.get(request.path_params["message_id"])
        if m is None or m.get("deleted"):
            return v1_error(404, "Message not found")
        m["deleted"] = True
        return v1_ok()

    async def list_messages(request: Request) -> Response:
        q = request.query_params
        rows = [m for m in messages.values() if not m.get("deleted")]
        if ids := ids_param(request, "projectIds"):
            rows = [m for m in rows if m["projectId"] in ids]
        if q.get("searchTerm"):
            rows = [m for m in rows if q["searchTerm"].lower() in (m["title"] + " " + m["body"]).lower()]
        return v3_page(request, "messages", [v3_message(m) for m in sorted(rows, key=lambda m: m["id"])])

    async def get_message(request: Request) -> Response:
        m = messages.get(request.path_params["message_id"])
        return json_response({"message": v3_message(m)}) if m and not m.get("deleted") else v3_not_found()

    async def create_reply(request: Request) -> Response:
        m = messages.get(request.path_params["message_id"])
        if m is None or m.get("deleted"):
            return v1_error(404, "Message not found")
        inner, problem = body_of(await read_json(request), "messagereply", REPLY_KEYS, creating=True)
        if problem:
            return v1_error(422 if "JSON" in problem else 400, problem)
        reply_id = store.new_id("message_replies", 42000)
        record = {"id": reply_id, "messageId": m["id"], "body": inner["body"], "authorId": _demo.ME_ID}
        store.put("message_replies", reply_id, record | {"createdAt": NOW})
        return v1_ok(201, postId=str(reply_id))

    async def update_reply(request: Request) -> Response:
        r = replies.get(request.path_params["reply_id"])
        if r is None or r.get("deleted"):
            return v1_error(404, "Reply not found")
        inner, problem = body_of(await read_json(request), "messagereply", REPLY_KEYS, creating=False)
        if problem:
            return v1_error(422 if "JSON" in problem else 400, problem)
        if "body" in inner:
            r.update(body=inner["body"], updatedAt=NOW)
        return v1_ok()

    async def delete_reply(request: Request) -> Response:
        r = replies.get(request.path_params["reply_id"])
        if r is None or r.get("deleted"):
            return v1_error(404, "Reply not found")
        r["deleted"] = True
        return v1_ok()

    async def list_replies(request: Request) -> Response:
        rows = [r for r in replies.values() if not r.get("deleted")]
        if ids := ids_param(request, "messageIds"):
            rows = [r for r in rows if r["messageId"] in ids]
        return v3_page(request, "messageReplies", [v3_reply(r) for r in sorted(rows, key=lambda r: r["id"])])

    async def get_reply(request: Request) -> Response:
        r = replies.get(request.path_params["reply_id"])
        return json_response({"messageReply": v3_reply(r)}) if r and not r.get("deleted") else v3_not_found()

    return [
        Route("/projects/{project_id:int}/messages.json", create_message, methods=["POST"]),
        Route("/messages/{message_id:int}.json", update_message, methods=["PUT"]),
        Route("/messages/{message_id:int}.json", delete_message, methods=["DELETE"]),
        Route("/projects/api/v3/messages.json", list_messages, methods=["GET"]),
        Route("/projects/api/v3/messages/{message_id:int}.json", get_message, methods=["GET"]),
        Route("/messages/{message_id:int}/replies.json", create_reply, methods=["POST"]),
        Route("/messageReplies/{reply_id:int}.json", update_reply, methods=["PUT"]),
        Route("/messageReplies/{reply_id:int}.json", delete_reply, methods=["DELETE"]),
        Route("/projects/api/v3/messagereplies.json", list_replies, methods=["GET"]),
        Route("/projects/api/v3/messagereplies/{reply_id:int}.json", get_reply, methods=["GET"]),
    ]
