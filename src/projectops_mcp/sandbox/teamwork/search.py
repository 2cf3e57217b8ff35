"""Site search (v3, the SDK's search.go): `GET /projects/api/v3/search.json` over the simulator's live records.
Answers `{"search": [{id, type, meta}], "meta": {prevCursor, nextCursor, limit}, "included": {...}}`: hits carry only
id and type (comments as `taskcomments`, `milestonecomments`, ...), names come from the sideloads asked for with
`include`, matched fragments under `meta.highlights` when `includeHighlights=true`. Completed tasks only with
`includeCompletedItems=true`."""

from __future__ import annotations

import base64
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork._common import v3_error

COMMENT_TYPES = {"tasks": "taskcomments", "milestones": "milestonecomments", "fileversions": "filecomments",
                 "links": "linkcomments", "notebooks": "notebookcomments"}  # fmt: skip
TYPES = {"projects", "tasks", "tasklists", "milestones", "messages", "notebooks", "links", "comments", "companies",
         "teams", "timelogs", "users", *COMMENT_TYPES.values()}  # fmt: skip
SIDELOADS = {"comments", "companies", "links", "messages", "milestones", "notebooks", "projects", "tasklists", "tasks",
             "teams", "timelogs", "users"}  # fmt: skip
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _live(record: dict[str, Any]) -> bool:
    return not record.get("deleted") and record.get("status") != "deleted"


def documents(store: Store, include_completed: bool) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """(hit type, sideload record, searchable fields) of every live record the search covers."""
    docs: list[tuple[str, dict[str, Any], dict[str, str]]] = []

    def rel(project_id: Any) -> dict[str, Any] | None:
        return {"id": project_id, "type": "projects"} if project_id else None

    for p in filter(_live, store.table("projects").values()):
        docs.append(("projects", {"id": p["id"], "name": p["name"]}, {"projectName": p["name"]}))
    for t in filter(_live, store.table("tasks").values()):
        if t.get("status") == "completed" and not include_completed:
            continue
        record = {"id": t["id"], "name": t["name"], "projectId": t["projectId"], "status": t.get("status")}
        docs.append(("tasks", record, {"taskName": t["name"], "description": t.get("description") or ""}))
    for t in filter(_live, store.table("tasklists").values()):
        docs.append(
            ("tasklists", {"id": t["id"], "name": t["name"], "project": rel(t["projectId"])}, {"name": t["name"]})
        )
    for m in filter(_live, store.table("milestones").values()):
        docs.append(
            ("milestones", {"id": m["id"], "name": m["name"], "project": rel(m["projectId"])}, {"name": m["name"]})
        )
    for m in filter(_live, store.table("messages").values()):
        record = {"id": m["id"], "title": m["title"], "project": rel(m["projectId"])}
        docs.append(("messages", record, {"title": m["title"], "body": m["body"]}))
    for n in filter(_live, store.table("notebooks").values()):
        record = {"id": n["id"], "name": n["name"], "project": rel(n["projectId"])}
        docs.append(("notebooks", record, {"name": n["name"], "contents": n["contents"]}))
    for link in filter(_live, store.table("links").values()):
        record = {"id": link["id"], "name": link["name"], "project-id": str(link["projectId"])}
        docs.append(("links", record, {"name": link["name"], "code": link["code"]}))
    for c in filter(_live, store.table("comments").values()):
        record = {"id": c["id"], "title": c["body"], "object": {"id": c["objectId"], "type": c["objectType"]},
                  "project": rel(c["projectId"])}  # fmt: skip
        docs.append((COMMENT_TYPES[c["objectType"]], record, {"body": c["body"]}))
    for c in filter(_live, store.table("companies").values()):
        docs.append(("companies", {"id": c["id"], "name": c["name"]}, {"name": c["name"]}))
    for p in filter(_live, store.table("people").values()):
        record = {"id": p["id"], "firstName": p["firstName"], "lastName": p["lastName"]}
        docs.append(("users", record, {"name": f"{p['firstName']} {p['lastName']}"}))
    return docs


def _matches(term: str, fields: dict[str, str]) -> dict[str, list[str]]:
    """The fields containing every word of the term, with the words wrapped in <em>."""
    words = [w for w in term.lower().split() if w]
    found = {}
    for name, text in fields.items():
        if text and all(w in text.lower() for w in words):
            marked = text
            for w in words:
                marked = re.sub(re.escape(w), lambda m: f"<em>{m.group(0)}</em>", marked, flags=re.IGNORECASE)
            found[name] = [marked]
    return found


def _project_of(record: dict[str, Any]) -> Any:
    project = record.get("project")
    return project.get("id") if isinstance(project, dict) else record.get("projectId") or record.get("project-id")


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def search(request: Request) -> Response:
        q = request.query_params
        term = q.get("searchTerm", "").strip()
        if not term:
            return v3_error(400, "searchTerm is required")
        kind = q.get("type")
        if kind is not None and kind not in TYPES:
            return v3_error(400, f"unknown type '{kind}'")
        include = [s for s in q.get("include", "").split(",") if s]
        if unknown := [s for s in include if s not in SIDELOADS]:
            return v3_error(400, f"unknown include '{unknown[0]}'")
        if q.get("orderBy", "relevance") != "relevance":
            return v3_error(400, "orderBy must be relevance")
        if "updatedAfter" in q and not RFC3339.match(q["updatedAfter"]):
            return v3_error(400, "updatedAfter must be an RFC 3339 date-time")
        try:
            limit = int(q.get("limit", "50"))
            offset = int(base64.urlsafe_b64decode(q["cursor"]).decode()) if "cursor" in q else 0
            project_id = int(q["projectId"]) if "projectId" in q else None
        except ValueError:
            return v3_error(400, "invalid cursor, limit or projectId")
        if not 1 <= limit <= 500:
            return v3_error(400, "limit must be between 1 and 500")
        hits = []
        for hit_type, record, fields in documents(store, q.get("includeCompletedItems") == "true"):
            if kind and hit_type != kind and not (kind == "comments" and hit_type.endswith("comments")):
                continue
            if project_id is not None and str(_project_of(record) or "") != str(project_id) and hit_type != "projects":
                continue
            if project_id is not None and hit_type == "projects" and record["id"] != project_id:
                continue
            if found := _matches(term, fields):
                hits.append((hit_type, record, found))
        chunk = hits[offset : offset + limit]
        more = offset + limit < len(hits)
        items, included = [], {}
        for hit_type, record, found in chunk:
            meta = {"highlights": found} if q.get("includeHighlights") == "true" else {}
            items.append({"id": record["id"], "type": hit_type, "meta": meta})
            collection = "comments" if hit_type.endswith("comments") else hit_type
            if collection in include:
                included.setdefault(collection, {})[str(record["id"])] = record
        cursor = base64.urlsafe_b64encode(str(offset + limit).encode()).decode() if more else None
        previous = base64.urlsafe_b64encode(str(max(0, offset - limit)).encode()).decode() if offset else None
        meta = {"prevCursor": previous, "nextCursor": cursor, "limit": limit}
        return json_response({"search": items, "meta": meta, "included": included})

    return [Route("/projects/api/v3/search.json", search, methods=["GET"])]
