"""Task comments: v1 create and list (`{"comment": {...}}`, string-typed records), v3 list and get.

The v3 single-comment read answers under `comments` (plural), the quirk Teamwork keeps for compatibility.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import person_name, v1_error, v1_ok, v1_page, v1_str, v3_not_found, v3_page

CREATE_KEYS = frozenset(
    {"body", "contentType", "content-type", "notify", "notifyCurrentUser", "notify-current-user", "isprivate",
     "private", "author-id", "pendingFileAttachments", "grant-access-to", "skipNotifications"}
)  # fmt: skip
USER_GROUP = re.compile(r"^[tcr]?\d+(,[tcr]?\d+)*$")


def seed(store: Store) -> None:
    for comment in _demo.COMMENTS:
        store.put("comments", comment["id"], copy.deepcopy(comment))


def v3_comment(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "body": c["body"],
        "htmlBody": c["body"] if c["contentType"] == "HTML" else "",
        "contentType": c["contentType"],
        "object": {"id": c["objectId"], "type": c["objectType"]},
        "project": {"id": c["projectId"], "type": "projects"},
        "postedBy": c["postedBy"],
        "postedDateTime": c["postedDateTime"],
        "lastEditedBy": None,
        "dateLastEdited": None,
        "deleted": False,
    }


def v1_comment(store: Store, c: dict[str, Any]) -> dict[str, Any]:
    first, last = person_name(store, c["postedBy"])
    return {
        "id": v1_str(c["id"]),
        "body": c["body"],
        "html-body": c["body"],
        "content-type": c["contentType"],
        "author-id": v1_str(c["postedBy"]),
        "author-firstname": first,
        "author-lastname": last,
        "commentable-id": v1_str(c["objectId"]),
        "commentable_type": "todo_items",
        "datetime": c["postedDateTime"],
        "project-id": v1_str(c["projectId"]),
        "type": "task",
        "private": "0",
    }


def notify_problem(store: Store, notify: Any) -> str | None:
    """v1 `notify`: '' or false nobody, true followers, 'all' the project, or a user-group string '12,34,t5'."""
    if notify in ("", True, False, None) or (isinstance(notify, str) and notify.lower() == "all"):
        return None
    if not isinstance(notify, str) or not USER_GROUP.match(notify):
        return "notify must be '', true, 'all' or a comma-separated list of user ids"
    unknown = [p for p in notify.split(",") if p.isdigit() and int(p) not in store.table("people")]
    return f"notify: unknown user {unknown[0]}" if unknown else None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def task_comments(task_id: int) -> list[dict[str, Any]]:
        rows = [c for c in store.table("comments").values() if (c["objectType"], c["objectId"]) == ("tasks", task_id)]
        return sorted(rows, key=lambda c: (c["postedDateTime"], c["id"]))

    async def v3_list(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if task_id not in store.table("tasks"):
            return v3_not_found()
        return v3_page(request, "comments", [v3_comment(c) for c in task_comments(task_id)])

    async def v3_get(request: Request) -> Response:
        comment = store.table("comments").get(request.path_params["comment_id"])
        if comment is None:
            return v3_not_found()
        return json_response({"comments": v3_comment(comment), "included": {}})

    async def v1_list(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if task_id not in store.table("tasks"):
            return v1_error(404, "Task not found")
        return v1_page(request, "comments", [v1_comment(store, c) for c in task_comments(task_id)])

    async def v1_create(request: Request) -> Response:
        task = store.table("tasks").get(request.path_params["task_id"])
        if task is None:
            return v1_error(404, "Task not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("comment"), dict):
            return v1_error(422, "Could not read the submitted JSON: expected a 'comment' object")
        comment = body["comment"]
        unknown = sorted(set(comment) - CREATE_KEYS)
        if unknown:
            return v1_error(400, f"Unknown field '{unknown[0]}'")
        if not isinstance(comment.get("body"), str) or not comment["body"].strip():
            return v1_error(400, "body is required")
        content_type = comment.get("contentType", comment.get("content-type", "TEXT"))
        if content_type not in ("TEXT", "HTML"):
            return v1_error(400, "contentType must be TEXT or HTML")
        problem = notify_problem(store, comment.get("notify", ""))
        if problem:
            return v1_error(400, problem)
        record = {
            "id": store.new_id("comments", 44100),
            "objectType": "tasks",
            "objectId": task["id"],
            "projectId": task["projectId"],
            "body": comment["body"],
            "contentType": content_type,
            "postedBy": _demo.ME_ID,
            "postedDateTime": "2026-11-20T10:00:00Z",
            "notify": comment.get("notify", ""),
        }
        store.put("comments", record["id"], record)
        return v1_ok(201, id=str(record["id"]))

    return [
        Route("/projects/api/v3/tasks/{task_id:int}/comments.json", v3_list, methods=["GET"]),
        Route("/projects/api/v3/comments/{comment_id:int}.json", v3_get, methods=["GET"]),
        Route("/tasks/{task_id:int}/comments.json", v1_list, methods=["GET"]),
        Route("/tasks/{task_id:int}/comments.json", v1_create, methods=["POST"]),
    ]
