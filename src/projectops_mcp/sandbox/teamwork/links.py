"""Links (v1, the SDK's link.go): create `POST /projects/{id}/links.json` `{"link": {...}}` → 201 `{"id"}` (string),
`GET/PUT/DELETE /links/{id}.json` (200), list `GET /links.json` (`filterText`, `projectId`, `filterTagIds`, X-Page
headers) answering the links grouped by project: `{"project": {"links"}}` for one project, else `{"projects": [...]}`.
Records are v1-typed: string ids, kebab-case keys, `tagIds` sent as a comma string."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_ids,
    ids_param,
    live_project,
    now_text,
    require_tags,
    v1_body,
    v1_error,
    v1_ok,
    v1_str,
)
from projectops_mcp.sandbox.teamwork.comments import notify_problem

KEYS = frozenset({"name", "description", "code", "tagIds", "notify", "notify-current-user", "private", "provider"})


def seed(store: Store) -> None:
    store.put("links", 62001, {
        "id": 62001, "projectId": 732893, "name": "Brand guidelines", "description": "Kiwi Bank brand book",
        "code": "https://brand.kiwibank.test/guidelines", "tagIds": [], "createdBy": _demo.ME_ID,
        "createdAt": _demo.CREATED, "updatedBy": None, "updatedAt": None,
    })  # fmt: skip


def v1_link(store: Store, link: dict[str, Any]) -> dict[str, Any]:
    tags = [store.table("tags").get(t) or {"id": t, "name": "", "projectId": None} for t in link["tagIds"]]
    return {
        "id": v1_str(link["id"]),
        "name": link["name"],
        "description": link["description"],
        "code": link["code"],
        "project-id": v1_str(link["projectId"]),
        "tags": [{"id": v1_str(t["id"]), "name": t["name"], "projectId": t.get("projectId")} for t in tags],
        "created-by-userId": v1_str(link["createdBy"]),
        "created-date": link["createdAt"],
        "updated-by-userId": v1_str(link["updatedBy"]),
        "updated-date": link["updatedAt"] or "",
        "private": "0",
    }


def apply(store: Store, link: dict[str, Any], inner: dict[str, Any], creating: bool) -> None:
    """Apply a `link` body to the record; raises Invalid with Teamwork's v1 error."""
    if creating or "code" in inner:
        if not isinstance(inner.get("code"), str) or not inner["code"].strip():
            raise Invalid("code is required")
    for key in ("name", "description"):
        if key in inner and not isinstance(inner[key], str):
            raise Invalid(f"{key} must be a string")
    if "tagIds" in inner:
        if not isinstance(inner["tagIds"], str):  # the SDK's LegacyNumericList: a comma string
            raise Invalid("tagIds must be a comma-separated string")
        link["tagIds"] = as_ids(inner["tagIds"], "tagIds")
        require_tags(store, link["tagIds"], "tagIds")
    if problem := notify_problem(store, inner.get("notify", "")):
        raise Invalid(problem)
    link.update({k: inner[k] for k in ("name", "description", "code") if k in inner})
    if creating and not link.get("name"):
        link["name"] = link["code"]


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    links = store.table("links")

    def live(link_id: int) -> dict[str, Any] | None:
        link = links.get(link_id)
        return link if link and not link.get("deleted") else None

    async def create(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        record: dict[str, Any] = {"projectId": project["id"], "name": "", "description": "", "tagIds": [],
                                  "createdBy": _demo.ME_ID, "updatedBy": None, "updatedAt": None}  # fmt: skip
        try:
            apply(store, record, await v1_body(request, "link", KEYS), creating=True)
        except Invalid as exc:
            return exc.response
        record |= {"id": store.new_id("links", 62001), "createdAt": now_text()}
        store.put("links", record["id"], record)
        return v1_ok(201, id=str(record["id"]))

    async def update(request: Request) -> Response:
        link = live(request.path_params["link_id"])
        if link is None:
            return v1_error(404, "Link not found")
        draft = dict(link)
        try:
            apply(store, draft, await v1_body(request, "link", KEYS), creating=False)
        except Invalid as exc:
            return exc.response
        link.update(draft, updatedBy=_demo.ME_ID, updatedAt=now_text())
        return v1_ok()

    async def delete(request: Request) -> Response:
        link = live(request.path_params["link_id"])
        if link is None:
            return v1_error(404, "Link not found")
        link["deleted"] = True
        return v1_ok()

    async def get(request: Request) -> Response:
        link = live(request.path_params["link_id"])
        return json_response({"STATUS": "OK", "link": v1_link(store, link)}) if link else v1_error(404, "Not found")

    async def listing(request: Request) -> Response:
        q = request.query_params
        try:
            page, size = max(1, int(q.get("page", "1"))), max(1, int(q.get("pageSize", "50")))
        except ValueError:
            return v1_error(400, "page and pageSize must be integers")
        rows = sorted((link for link in links.values() if not link.get("deleted")), key=lambda link: link["id"])
        project_id = q.get("projectId")
        if project_id:
            if not project_id.isdigit() or live_project(store, int(project_id)) is None:
                return v1_error(404, "Project not found")
            rows = [link for link in rows if link["projectId"] == int(project_id)]
        if term := q.get("filterText", "").lower():
            rows = [r for r in rows if term in f"{r['name']} {r['description']} {r['code']}".lower()]
        if tags := ids_param(request, "filterTagIds"):
            rows = [r for r in rows if set(tags) & set(r["tagIds"])]
        chunk = rows[(page - 1) * size : page * size]
        headers = {"X-Page": str(page), "X-Pages": str(max(1, -(-len(rows) // size))), "X-Records": str(len(rows))}
        grouped: dict[int, list[dict[str, Any]]] = {}
        for link in chunk:
            grouped.setdefault(link["projectId"], []).append(v1_link(store, link))
        projects = [{"id": v1_str(pid), "name": (live_project(store, pid) or {}).get("name", ""), "links": group}
                    for pid, group in grouped.items()]  # fmt: skip
        if project_id:
            body = {"STATUS": "OK", "project": {"id": project_id, "links": grouped.get(int(project_id), [])}}
        else:
            body = {"STATUS": "OK", "projects": projects}
        return JSONResponse(body, headers=headers)

    return [
        Route("/projects/{project_id:int}/links.json", create, methods=["POST"]),
        Route("/links/{link_id:int}.json", update, methods=["PUT"]),
        Route("/links/{link_id:int}.json", delete, methods=["DELETE"]),
        Route("/links/{link_id:int}.json", get, methods=["GET"]),
        Route("/links.json", listing, methods=["GET"]),
    ]
