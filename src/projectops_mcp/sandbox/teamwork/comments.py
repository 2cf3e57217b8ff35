"""Comments on tasks, milestones, notebooks, links and file versions (the SDK's comment.go): v1 create
(`POST /{resource}/{id}/comments.json` → 201 `{"id"}`), update and delete (`/comments/{id}.json`, 200), v1 list of a
task's comments (string-typed records), v3 lists (site-wide and per object; the notebook and link routes ignore
every query parameter) and get.

Create honours `contentType`; update honours only the hyphenated `content-type` (a camelCase key there is ignored and
the text stored as TEXT, as Teamwork does). The v3 single-comment read answers under `comments` (plural).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    ids_param,
    now_text,
    person_name,
    v1_body,
    v1_error,
    v1_ok,
    v1_page,
    v1_str,
    v3_error,
    v3_not_found,
    v3_page,
)

CREATE_KEYS = frozenset(
    {"body", "contentType", "content-type", "notify", "notifyCurrentUser", "notify-current-user", "isprivate",
     "private", "author-id", "pendingFileAttachments", "grant-access-to", "skipNotifications"}
)  # fmt: skip
UPDATE_KEYS = frozenset(
    {"body", "content-type", "contentType", "notify", "notify-current-user", "pendingFileAttachments"}
)
USER_GROUP = re.compile(r"^[tcr]?\d+(,[tcr]?\d+)*$")
V1_TYPES = {"tasks": "todo_items", "milestones": "milestones", "notebooks": "notebooks", "links": "links",
            "fileversions": "files"}  # fmt: skip
ORDER_BY = {"all", "date", "project", "user", "type", "id"}


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
        "lastEditedBy": c.get("lastEditedBy"),
        "dateLastEdited": c.get("dateLastEdited"),
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
        "commentable_type": V1_TYPES[c["objectType"]],
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


def commented_object(store: Store, segment: str, object_id: int) -> dict[str, Any] | None:
    """The live task, milestone, notebook, link or file (by version id) a comment can be on."""
    if segment == "fileversions":
        return next((f for f in store.table("files").values() if f["id"] * 10 + f["version"] == object_id), None)
    table = {"tasks": "tasks", "milestones": "milestones", "notebooks": "notebooks", "links": "links"}[segment]
    record = store.table(table).get(object_id)
    return record if record and not record.get("deleted") and record.get("status") != "deleted" else None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    comments = store.table("comments")

    def live() -> list[dict[str, Any]]:
        return sorted(
            (c for c in comments.values() if not c.get("deleted")), key=lambda c: (c["postedDateTime"], c["id"])
        )

    def on(segment: str, object_id: int) -> list[dict[str, Any]]:
        return [c for c in live() if (c["objectType"], c["objectId"]) == (segment, object_id)]

    def filtered(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]] | str:
        q = request.query_params
        if term := q.get("searchTerm"):
            rows = [c for c in rows if term.lower() in c["body"].lower()]
        if users := ids_param(request, "userIds"):
            rows = [c for c in rows if c["postedBy"] in users]
        if after := q.get("updatedAfter"):
            if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", after):
                return "updatedAfter must be an RFC 3339 date-time"
            rows = [c for c in rows if (c.get("dateLastEdited") or c["postedDateTime"]) > after]
        if q.get("orderBy") and q["orderBy"] not in ORDER_BY:
            return f"orderBy must be one of {', '.join(sorted(ORDER_BY))}"
        return rows

    async def v3_site_list(request: Request) -> Response:
        rows = filtered(request, live())
        if isinstance(rows, str):
            return v3_error(400, rows)
        return v3_page(request, "comments", [v3_comment(c) for c in rows])

    async def v3_object_list(request: Request) -> Response:
        segment, object_id = request.url.path.split("/")[-3], request.path_params["object_id"]
        if commented_object(store, segment, object_id) is None:
            return v3_not_found()
        if segment in ("notebooks", "links"):  # these routes take no query parameters: every comment, one page
            rows = on(segment, object_id)
            meta = {"page": {"pageOffset": 0, "pageSize": len(rows), "count": len(rows), "hasMore": False}}
            return json_response({"comments": [v3_comment(c) for c in rows], "meta": meta, "included": {}})
        rows = filtered(request, on(segment, object_id))
        if isinstance(rows, str):
            return v3_error(400, rows)
        return v3_page(request, "comments", [v3_comment(c) for c in rows])

    async def v3_get(request: Request) -> Response:
        comment = comments.get(request.path_params["comment_id"])
        if comment is None or comment.get("deleted"):
            return v3_not_found()
        return json_response({"comments": v3_comment(comment), "included": {}})

    async def v1_list(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if task_id not in store.table("tasks"):
            return v1_error(404, "Task not found")
        return v1_page(request, "comments", [v1_comment(store, c) for c in on("tasks", task_id)])

    def check_text(comment: dict[str, Any], content_type: Any) -> None:
        if not isinstance(comment.get("body"), str) or not comment["body"].strip():
            raise Invalid("body is required")
        if content_type not in ("TEXT", "HTML"):
            raise Invalid("content type must be TEXT or HTML")
        if problem := notify_problem(store, comment.get("notify", "")):
            raise Invalid(problem)

    async def v1_create(request: Request) -> Response:
        segment, object_id = request.url.path.split("/")[-3], request.path_params["object_id"]
        target = commented_object(store, segment, object_id)
        if target is None:
            return v1_error(404, "Not found")
        try:
            comment = await v1_body(request, "comment", CREATE_KEYS)
            content_type = comment.get("contentType", comment.get("content-type", "TEXT"))
            check_text(comment, content_type)
        except Invalid as exc:
            return exc.response
        record = {
            "id": store.new_id("comments", 44100),
            "objectType": segment,
            "objectId": object_id,
            "projectId": target["projectId"],
            "body": comment["body"],
            "contentType": content_type,
            "postedBy": _demo.ME_ID,
            "postedDateTime": "2026-11-20T10:00:00Z",
            "notify": comment.get("notify", ""),
        }
        store.put("comments", record["id"], record)
        return v1_ok(201, id=str(record["id"]))

    async def v1_update(request: Request) -> Response:
        record = comments.get(request.path_params["comment_id"])
        if record is None or record.get("deleted"):
            return v1_error(404, "Comment not found")
        try:
            comment = await v1_body(request, "comment", UPDATE_KEYS)
            content_type = comment.get("content-type", "TEXT")  # camelCase contentType is ignored on update
            check_text(comment, content_type)
        except Invalid as exc:
            return exc.response
        record.update(body=comment["body"], contentType=content_type, lastEditedBy=_demo.ME_ID,
                      dateLastEdited=now_text(), notify=comment.get("notify", ""))  # fmt: skip
        return v1_ok()

    async def v1_delete(request: Request) -> Response:
        record = comments.get(request.path_params["comment_id"])
        if record is None or record.get("deleted"):
            return v1_error(404, "Comment not found")
        record["deleted"] = True
        return v1_ok()

    per_object = [
        route
        for segment in V1_TYPES
        for route in (
            Route(f"/projects/api/v3/{segment}/{{object_id:int}}/comments.json", v3_object_list, methods=["GET"]),
            Route(f"/{segment}/{{object_id:int}}/comments.json", v1_create, methods=["POST"]),
        )
    ]
    return [
        Route("/projects/api/v3/comments.json", v3_site_list, methods=["GET"]),
        Route("/projects/api/v3/comments/{comment_id:int}.json", v3_get, methods=["GET"]),
        Route("/tasks/{task_id:int}/comments.json", v1_list, methods=["GET"]),
        Route("/comments/{comment_id:int}.json", v1_update, methods=["PUT"]),
        Route("/comments/{comment_id:int}.json", v1_delete, methods=["DELETE"]),
        *per_object,
    ]
