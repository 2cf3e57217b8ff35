"""Project updates: v1 `POST /projects/{id}/update.json` (`{"update": {"text", "health"}, "notifyIds": "1,2"}`,
200 `{"STATUS": "OK", "updateId": "<string id>"}`, v1 OpenAPI export) and the v3 lists
`/projects/api/v3/projects/updates.json` and `/projects/api/v3/projects/{id}/updates.json` (`projectUpdates`,
`activeOnly` true by default: only each project's newest update); `PUT`/`DELETE /projects/updates/{id}.json` (text
only, 200). Health 0-3; 3 is green `#8BC34A` as in the v1
export's example."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_ids,
    as_int,
    ids_param,
    live_project,
    now_text,
    require_people,
    v1_error,
    v3_error,
    v3_not_found,
    v3_page,
)

COLORS = {0: "", 1: "#E74C3C", 2: "#F39C12", 3: "#8BC34A"}
UPDATES = [
    {"id": 305, "projectId": 732893, "text": "Waiting on API access", "health": 2, "createdAt": "2026-10-20T09:00:00Z"},
    {"id": 310, "projectId": 732893, "text": "Design signed off", "health": 3, "createdAt": "2026-11-02T09:00:00Z"},
]
BODY_KEYS = frozenset({"update", "notifyIds", "notifyCurrentUser"})
UPDATE_KEYS = frozenset({"text", "health"})


def seed(store: Store) -> None:
    for update in UPDATES:
        store.put("project_updates", update["id"], copy.deepcopy(update) | {"createdBy": _demo.ME_ID})


def v3_update(u: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": u["id"],
        "projectId": u["projectId"],
        "project": {"id": u["projectId"], "type": "projects"},
        "text": u["text"],
        "health": u["health"],
        "color": COLORS[u["health"]],
        "isActive": u.get("isActive", False),
        "createdAt": u["createdAt"],
        "createdBy": u["createdBy"],
        "updatedAt": u["createdAt"],
        "deleted": bool(u.get("deleted")),
    }


def read_update(store: Store, body: Any) -> tuple[str, int, list[int]]:
    if not isinstance(body, dict) or not isinstance(body.get("update"), dict):
        raise Invalid("Could not read the submitted JSON: expected an 'update' object", 422)
    unknown = sorted((set(body) - BODY_KEYS) | (set(body["update"]) - UPDATE_KEYS))
    if unknown:
        raise Invalid(f"Unknown field '{unknown[0]}'")
    text = body["update"].get("text")
    if not isinstance(text, str):
        raise Invalid("update.text must be a string")
    health = as_int(body["update"].get("health", 0), "health")
    if health not in COLORS:
        raise Invalid("health must be 0, 1, 2 or 3")
    notify = as_ids(body.get("notifyIds", ""), "notifyIds")
    require_people(store, notify, "notifyIds")
    return text, health, notify


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listed(request: Request, project_id: int | None) -> Response:
        rows = sorted(store.table("project_updates").values(), key=lambda u: (u["createdAt"], u["id"]))
        if not truthy(request.query_params.get("showDeleted")):
            rows = [u for u in rows if not u.get("deleted")]
        if project_id is not None:
            rows = [u for u in rows if u["projectId"] == project_id]
        if ids := ids_param(request, "projectId"):
            rows = [u for u in rows if u["projectId"] in ids]
        latest = {u["projectId"]: u["id"] for u in rows}
        rows = [u | {"isActive": latest[u["projectId"]] == u["id"]} for u in rows]
        if truthy(request.query_params.get("activeOnly")) is not False:
            rows = [u for u in rows if u["isActive"]]
        if request.query_params.get("orderMode", "asc") not in ("asc", "desc"):
            return v3_error(400, "orderMode must be asc or desc")
        if request.query_params.get("orderMode") == "desc":
            rows.reverse()
        return v3_page(request, "projectUpdates", [v3_update(u) for u in rows])

    async def list_all(request: Request) -> Response:
        return listed(request, None)

    async def list_project(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v3_not_found()
        return listed(request, project_id)

    async def create(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v1_error(404, "Project not found")
        try:
            text, health, _ = read_update(store, await read_json(request))
        except Invalid as exc:
            return exc.response
        update = {
            "id": store.new_id("project_updates", 400),
            "projectId": project_id,
            "text": text,
            "health": health,
            "createdAt": now_text(),
            "createdBy": _demo.ME_ID,
        }
        store.put("project_updates", update["id"], update)
        return json_response({"STATUS": "OK", "updateId": str(update["id"])})

    def live_update(request: Request) -> dict[str, Any] | None:
        update = store.table("project_updates").get(request.path_params["update_id"])
        return update if update and not update.get("deleted") else None

    async def edit(request: Request) -> Response:
        update = live_update(request)
        if update is None:
            return v1_error(404, "Update not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("update"), dict):
            return Invalid("Could not read the submitted JSON: expected an 'update' object", 422).response
        unknown = sorted((set(body) - {"update", "notifyIds"}) | (set(body["update"]) - {"text"}))
        if unknown:
            return v1_error(400, f"Unknown field '{unknown[0]}'")
        if not isinstance(body["update"].get("text"), str):
            return v1_error(400, "update.text must be a string")
        update["text"] = body["update"]["text"]
        return json_response({"STATUS": "OK", "updateId": str(update["id"])})

    async def delete(request: Request) -> Response:
        update = live_update(request)
        if update is None:
            return v1_error(404, "Update not found")
        update["deleted"] = True
        return json_response({"STATUS": "OK", "updateId": str(update["id"])})

    return [
        Route("/projects/updates/{update_id:int}.json", edit, methods=["PUT"]),
        Route("/projects/updates/{update_id:int}.json", delete, methods=["DELETE"]),
        Route("/projects/api/v3/projects/updates.json", list_all, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/updates.json", list_project, methods=["GET"]),
        Route("/projects/{project_id:int}/update.json", create, methods=["POST"]),
    ]
