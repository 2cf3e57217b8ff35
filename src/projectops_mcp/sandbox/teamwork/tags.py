"""Tags (v3): list, get, create, update, delete; `{"tag": {...}}` bodies and Teamwork's v3 error shape."""

from __future__ import annotations

import copy
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, live_project, v3_error, v3_not_found, v3_page

ITEM_TYPES = ("PROJECT", "TASK", "TASKLIST", "MILESTONE", "MESSAGE", "TIMELOG", "NOTEBOOK", "FILE", "COMPANY", "LINK")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
TAG_KEYS = frozenset({"name", "color", "projectId"})


def seed(store: Store) -> None:
    for tag in _demo.TAGS:
        store.put("tags", tag["id"], copy.deepcopy(tag))


def v3_tag(t: dict) -> dict:
    return {
        "id": t["id"],
        "name": t["name"],
        "color": t.get("color") or "",
        "project": {"id": t["projectId"], "type": "projects"} if t.get("projectId") else None,
        "projectId": t.get("projectId") or 0,
    }


def _used_on(store: Store, tag_id: int, item_type: str) -> bool:
    table = {"PROJECT": "projects", "TASK": "tasks", "TASKLIST": "tasklists", "MILESTONE": "milestones"}.get(item_type)
    return bool(table) and any(tag_id in r.get("tagIds", []) for r in store.table(table).values())


def apply_tag(store: Store, tag: dict, body: Any, creating: bool) -> str | None:
    """Apply a `{"tag": {...}}` body; returns an error detail or None."""
    if not isinstance(body, dict) or not isinstance(body.get("tag"), dict):
        return "expected a 'tag' object"
    inner = body["tag"]
    if unknown := sorted(set(inner) - TAG_KEYS):
        return f"unknown field '{unknown[0]}'"
    if "name" in inner or creating:
        name = inner.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) >= 50:
            return "name is required and must be under 50 characters"
        if any(t["name"].lower() == name.lower() and t["id"] != tag.get("id") for t in store.table("tags").values()):
            return f"a tag named '{name}' already exists"
        tag["name"] = name
    if "color" in inner:
        if inner["color"] and not COLOR.match(str(inner["color"])):
            return "color must be #rrggbb"
        tag["color"] = inner["color"]
    if "projectId" in inner:
        project_id = inner["projectId"]
        if not isinstance(project_id, int) or isinstance(project_id, bool):
            return "projectId must be a number"
        if project_id and live_project(store, project_id) is None:
            return f"project {project_id} does not exist"
        tag["projectId"] = project_id or None
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_tags(request: Request) -> Response:
        q = request.query_params
        tags = list(store.table("tags").values())
        if q.get("searchTerm"):
            tags = [t for t in tags if q["searchTerm"].lower() in t["name"].lower()]
        if projects := ids_param(request, "projectIds"):
            tags = [t for t in tags if not t.get("projectId") or t["projectId"] in projects]
        if q.get("itemType"):
            if q["itemType"] not in ITEM_TYPES:
                return v3_error(400, f"itemType must be one of {', '.join(ITEM_TYPES)}")
            tags = [t for t in tags if _used_on(store, t["id"], q["itemType"])]
        return v3_page(request, "tags", [v3_tag(t) for t in tags])

    async def get_tag(request: Request) -> Response:
        tag = store.table("tags").get(request.path_params["tag_id"])
        return json_response({"tag": v3_tag(tag)}) if tag else v3_not_found()

    async def create_tag(request: Request) -> Response:
        tag: dict[str, Any] = {"id": 0, "color": "", "projectId": None}
        if problem := apply_tag(store, tag, await read_json(request), creating=True):
            return v3_error(409 if "already exists" in problem else 400, problem)
        tag["id"] = store.new_id("tags", 18000)
        store.put("tags", tag["id"], tag)
        return json_response({"tag": v3_tag(tag)}, status=201)

    async def update_tag(request: Request) -> Response:
        tag = store.table("tags").get(request.path_params["tag_id"])
        if tag is None:
            return v3_not_found()
        updated = copy.deepcopy(tag)
        if problem := apply_tag(store, updated, await read_json(request), creating=False):
            return v3_error(409 if "already exists" in problem else 400, problem)
        tag.update(updated)
        return json_response({"tag": v3_tag(tag)})

    async def delete_tag(request: Request) -> Response:
        if store.table("tags").pop(request.path_params["tag_id"], None) is None:
            return v3_not_found()
        return empty_response(204)

    return [
        Route("/projects/api/v3/tags.json", list_tags, methods=["GET"]),
        Route("/projects/api/v3/tags.json", create_tag, methods=["POST"]),
        Route("/projects/api/v3/tags/{tag_id:int}.json", get_tag, methods=["GET"]),
        Route("/projects/api/v3/tags/{tag_id:int}.json", update_tag, methods=["PATCH"]),
        Route("/projects/api/v3/tags/{tag_id:int}.json", delete_tag, methods=["DELETE"]),
    ]
