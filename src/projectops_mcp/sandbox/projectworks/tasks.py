"""Tasks, and their user assignments and role placeholders."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import bad_body, error, list_response, not_found
from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json

TASK_FILTERS = {
    "projectid": "ProjectID",
    "moduleid": "ModuleID",
    "taskid": "TaskID",
    "userid": "Users",
    "name": "TaskName",
    "externalreference": "ExternalReference",
}


def seed(store: Store) -> None:
    for task in _demo.TASKS:
        store.put("tasks", task["TaskID"], copy.deepcopy(task))


def public(task: dict) -> dict:
    """The record as the API shows it (internal bookkeeping keys removed)."""
    return {k: v for k, v in task.items() if k not in ("Placeholders", "UserAssignments", "CustomFields")}


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_tasks(request: Request):
        return list_response(request, (public(t) for t in store.table("tasks").values()), TASK_FILTERS)

    async def get_task(request: Request):
        task = store.table("tasks").get(int(request.path_params["task_id"]))
        return json_response(public(task)) if task else not_found("Task", request.path_params["task_id"])

    async def put_placeholder(request: Request):
        task = store.table("tasks").get(int(request.path_params["task_id"]))
        if task is None:
            return not_found("Task", request.path_params["task_id"])
        body = await read_json(request)
        if not isinstance(body, dict):
            return bad_body()
        role_id = body.get("roleID")
        if role_id not in store.table("roles"):
            # The real API answers an unknown role with a bare 500 (Autohive's README).
            return error(500, "An error has occurred.")
        placeholders = task["Placeholders"]
        placeholder_id = body.get("placeholderID")
        existing = next((p for p in placeholders if p["PlaceholderID"] == placeholder_id), None)
        if placeholder_id is not None and existing is None:
            return not_found("Placeholder", placeholder_id)
        if existing is None:
            existing = {"PlaceholderID": store.new_id("placeholders", 5500), "TaskID": task["TaskID"]}
            placeholders.append(existing)
        existing.update(
            {
                "RoleID": role_id,
                "Hours": body.get("hours", existing.get("Hours")),
                "RateCardID": body.get("rateCardID", existing.get("RateCardID")),
                "Rate": body.get("rate", existing.get("Rate")),
                "IsActive": body.get("isActive", existing.get("IsActive", True)),
                "IsPinned": body.get("isPinned", existing.get("IsPinned", False)),
            }
        )
        return json_response(existing)

    return [
        Route("/Tasks", list_tasks, methods=["GET"]),
        Route("/Tasks/{task_id:int}", get_task, methods=["GET"]),
        Route("/Tasks/{task_id:int}/Placeholders", put_placeholder, methods=["PUT"]),
    ]
