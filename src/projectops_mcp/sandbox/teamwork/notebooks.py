"""Notebooks (v3, the SDK's notebook.go): create `POST /projects/api/v3/projects/{id}/notebooks.json` → 201
`{"notebook"}`, `PATCH` → 200 `{"notebook"}`, `DELETE` → 204, list (`projectIds`, `searchTerm`, `tagIds`,
`includeContents`) and get. `{"notebook": {...}}` bodies, Teamwork's v3 error shape."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, live_project, now_text, v3_error, v3_not_found, v3_page

KEYS = frozenset({"name", "description", "contents", "type", "tagIds"})
TYPES = ("MARKDOWN", "HTML")


def seed(store: Store) -> None:
    store.put("notebooks", 61001, {
        "id": 61001, "projectId": 732893, "name": "Interview plan", "description": "Who we talk to and why",
        "contents": "# Interviews\n\n- CFO on Tuesday\n- Ops lead on Thursday", "type": "MARKDOWN", "tagIds": [],
        "createdBy": _demo.ME_ID, "createdAt": _demo.CREATED, "updatedAt": _demo.CREATED,
    })  # fmt: skip


def v3_notebook(n: dict[str, Any], contents: bool = True) -> dict[str, Any]:
    out = {
        "id": n["id"],
        "name": n["name"],
        "description": n["description"],
        "type": n["type"],
        "project": {"id": n["projectId"], "type": "projects"},
        "tags": [{"id": t, "type": "tags"} for t in n["tagIds"]],
        "createdAt": n["createdAt"],
        "createdBy": n["createdBy"],
        "updatedAt": n["updatedAt"],
        "updatedBy": n.get("updatedBy", n["createdBy"]),
        "deletedAt": None,
        "deletedBy": None,
        "deleted": False,
    }
    return out | {"contents": n["contents"]} if contents else out


def apply(store: Store, notebook: dict[str, Any], body: Any, creating: bool) -> str | None:
    """Apply a `{"notebook": {...}}` body; an error detail or None."""
    if not isinstance(body, dict) or not isinstance(body.get("notebook"), dict):
        return "expected a 'notebook' object"
    inner = body["notebook"]
    if unknown := sorted(set(inner) - KEYS):
        return f"unknown field '{unknown[0]}'"
    for key in ("name", "contents"):
        if (creating or key in inner) and not (isinstance(inner.get(key), str) and inner[key].strip()):
            return f"{key} is required"
    if (creating or "type" in inner) and inner.get("type") not in TYPES:
        return "type must be MARKDOWN or HTML"
    if "description" in inner and not isinstance(inner["description"], str):
        return "description must be a string"
    tags = inner.get("tagIds", [])
    if not isinstance(tags, list) or any(not isinstance(t, int) or t not in store.table("tags") for t in tags):
        return "tagIds must be existing tag ids"
    notebook.update(inner)
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    notebooks = store.table("notebooks")

    def live(notebook_id: int) -> dict[str, Any] | None:
        n = notebooks.get(notebook_id)
        return n if n and not n.get("deleted") else None

    async def create(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v3_not_found()
        record = {"projectId": project["id"], "description": "", "tagIds": [], "createdBy": _demo.ME_ID}
        if problem := apply(store, record, await read_json(request), creating=True):
            return v3_error(400, problem)
        record |= {"id": store.new_id("notebooks", 61001), "createdAt": now_text(), "updatedAt": now_text()}
        store.put("notebooks", record["id"], record)
        return json_response({"notebook": v3_notebook(record)}, status=201)

    async def update(request: Request) -> Response:
        notebook = live(request.path_params["notebook_id"])
        if notebook is None:
            return v3_not_found()
        draft = dict(notebook)
        if problem := apply(store, draft, await read_json(request), creating=False):
            return v3_error(400, problem)
        notebook.update(draft, updatedAt=now_text(), updatedBy=_demo.ME_ID)
        return json_response({"notebook": v3_notebook(notebook)})

    async def delete(request: Request) -> Response:
        notebook = live(request.path_params["notebook_id"])
        if notebook is None:
            return v3_not_found()
        notebook["deleted"] = True
        return empty_response(204)

    async def get(request: Request) -> Response:
        notebook = live(request.path_params["notebook_id"])
        return json_response({"notebook": v3_notebook(notebook)}) if notebook else v3_not_found()

    async def listing(request: Request) -> Response:
        q = request.query_params
        rows = [n for n in notebooks.values() if not n.get("deleted")]
        if ids := ids_param(request, "projectIds"):
            rows = [n for n in rows if n["projectId"] in ids]
        if term := q.get("searchTerm", "").lower():
            rows = [n for n in rows if term in (n["name"] + " " + n["contents"]).lower()]
        if tags := ids_param(request, "tagIds"):
            rows = [n for n in rows if set(tags) & set(n["tagIds"])]
        contents = q.get("includeContents", "true") != "false"
        return v3_page(request, "notebooks", [v3_notebook(n, contents) for n in sorted(rows, key=lambda n: n["id"])])

    return [
        Route("/projects/api/v3/projects/{project_id:int}/notebooks.json", create, methods=["POST"]),
        Route("/projects/api/v3/notebooks/{notebook_id:int}.json", update, methods=["PATCH"]),
        Route("/projects/api/v3/notebooks/{notebook_id:int}.json", delete, methods=["DELETE"]),
        Route("/projects/api/v3/notebooks/{notebook_id:int}.json", get, methods=["GET"]),
        Route("/projects/api/v3/notebooks.json", listing, methods=["GET"]),
    ]
