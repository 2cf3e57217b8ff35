"""Task lists: v3 list/get; v1 create/update/delete (`{"todo-list": {...}}`, create answers `TASKLISTID`).
Deleting a list deletes its tasks, as Teamwork does."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_flag,
    as_int,
    live_project,
    now_text,
    v1_body,
    v1_error,
    v1_ok,
    v3_not_found,
    v3_page,
)

TODO_LIST_KEYS = frozenset(
    {"name", "description", "milestone-id", "milestone-Id", "private", "pinned", "icon", "isBillable",
     "grant-access-to", "todo-list-template-id", "todo-list-template-start-date",
     "todo-list-template-keep-off-weekends", "todo-list-template-notify", "todo-list-template-assignments",
     "new-task-defaults", "project-id"}
)  # fmt: skip


def seed(store: Store) -> None:
    owners = {t: m["id"] for m in _demo.MILESTONES for t in m.get("tasklistIds", [])}
    for tasklist in _demo.TASKLISTS:
        record = copy.deepcopy(tasklist) | {"createdAt": _demo.CREATED}
        record["milestoneId"] = owners.get(tasklist["id"], tasklist.get("milestoneId"))
        store.put("tasklists", tasklist["id"], record)


def v3_tasklist(t: dict) -> dict:
    return {
        "id": t["id"],
        "name": t["name"],
        "description": t.get("description", ""),
        "project": {"id": t["projectId"], "type": "projects"},
        "projectId": t["projectId"],
        "milestone": {"id": t["milestoneId"], "type": "milestones"} if t.get("milestoneId") else None,
        "milestoneId": t.get("milestoneId") or 0,
        "status": t.get("status", "new"),
        "isPrivate": bool(t.get("private")),
        "createdAt": t.get("createdAt"),
        "updatedAt": t.get("updatedAt") or t.get("createdAt"),
    }


def apply_todo_list(store: Store, tasklist: dict, body: dict[str, Any]) -> None:
    if "name" in body:
        if not str(body["name"]).strip():
            raise Invalid("name cannot be empty")
        tasklist["name"] = str(body["name"])
    if "description" in body:
        tasklist["description"] = str(body["description"])
    if "project-id" in body:
        project_id = as_int(body["project-id"], "project-id")
        if project_id is None or live_project(store, project_id) is None:
            raise Invalid(f"project-id: project {project_id} does not exist")
        tasklist["projectId"] = project_id
    for key in ("milestone-id", "milestone-Id"):
        if key in body:
            milestone_id = as_int(body[key], key)
            milestone = store.table("milestones").get(milestone_id or 0)
            if milestone_id and (milestone is None or milestone["projectId"] != tasklist["projectId"]):
                raise Invalid(f"{key}: milestone {milestone_id} is not a milestone of this project")
            tasklist["milestoneId"] = milestone_id or None
    if "private" in body:
        tasklist["private"] = as_flag(body["private"], "private")


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, lists: list[dict]) -> Response:
        q = request.query_params
        if q.get("searchTerm"):
            lists = [t for t in lists if q["searchTerm"].lower() in t["name"].lower()]
        if not truthy(q.get("showCompleted")):
            lists = [t for t in lists if t.get("status") != "completed"]
        return v3_page(request, "tasklists", [v3_tasklist(t) for t in lists])

    async def list_all(request: Request) -> Response:
        return listing(request, list(store.table("tasklists").values()))

    async def list_project(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v3_not_found()
        return listing(request, [t for t in store.table("tasklists").values() if t["projectId"] == project_id])

    async def get_tasklist(request: Request) -> Response:
        tasklist = store.table("tasklists").get(request.path_params["tasklist_id"])
        return json_response({"tasklist": v3_tasklist(tasklist)}) if tasklist else v3_not_found()

    async def create_tasklist(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v1_error(404, "Project not found")
        tasklist = {"id": 0, "name": "", "description": "", "projectId": project_id, "milestoneId": None}
        tasklist |= {"status": "new", "private": False, "createdAt": now_text()}
        try:
            body = await v1_body(request, "todo-list", TODO_LIST_KEYS)
            if not str(body.get("name") or "").strip():
                raise Invalid("name is required")
            apply_todo_list(store, tasklist, body)
        except Invalid as exc:
            return exc.response
        tasklist["id"] = store.new_id("tasklists", 1400)
        store.put("tasklists", tasklist["id"], tasklist)
        return v1_ok(201, TASKLISTID=str(tasklist["id"]))

    async def update_tasklist(request: Request) -> Response:
        tasklist = store.table("tasklists").get(request.path_params["tasklist_id"])
        if tasklist is None:
            return v1_error(404, "Task list not found")
        updated = copy.deepcopy(tasklist)
        try:
            apply_todo_list(store, updated, await v1_body(request, "todo-list", TODO_LIST_KEYS))
        except Invalid as exc:
            return exc.response
        tasklist.update(updated, updatedAt=now_text())
        return v1_ok()

    async def delete_tasklist(request: Request) -> Response:
        tasklist_id = request.path_params["tasklist_id"]
        if store.table("tasklists").pop(tasklist_id, None) is None:
            return v1_error(404, "Task list not found")
        for task in store.table("tasks").values():
            if task["tasklistId"] == tasklist_id:
                task["status"] = "deleted"
        return v1_ok()

    return [
        Route("/projects/api/v3/tasklists.json", list_all, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/tasklists.json", list_project, methods=["GET"]),
        Route("/projects/api/v3/tasklists/{tasklist_id:int}.json", get_tasklist, methods=["GET"]),
        Route("/projects/{project_id:int}/tasklists.json", create_tasklist, methods=["POST"]),
        Route("/tasklists/{tasklist_id:int}.json", update_tasklist, methods=["PUT"]),
        Route("/tasklists/{tasklist_id:int}.json", delete_tasklist, methods=["DELETE"]),
    ]
