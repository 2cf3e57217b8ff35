"""Tasks, and their user assignments and role placeholders.

The live-test rules Autohive recorded are enforced: a task needs a `taskTypeID` of a configured task type, and
its module must be a services module (both answered with a 400 and a message). A task shows its module's current
name and project.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    Schema,
    apply_body,
    bad_body,
    error,
    invalid_field,
    json_body,
    list_response,
    missing_reference,
    not_found,
    now_utc,
    pascal,
    shown,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

TASK_FILTERS = {
    "projectid": "ProjectID",
    "moduleid": "ModuleID",
    "taskid": "TaskID",
    "userid": "Users",
    "name": "TaskName",
    "externalreference": "ExternalReference",
}
TASK_BODY: Schema = {
    "moduleID": ("int", True),
    "taskName": ("str", True),
    "taskTypeID": ("int", False),  # optional in Autohive's schema; the account still requires one (checked below)
    "startDate": ("date", False),
    "endDate": ("date", False),
    "isOnTimesheet": ("bool", False),
    "isBillable": ("bool", False),
    "statusID": ("int", False),
    "percentComplete": ("num", False),
    "feeTypeID": ("int", False),
    "fee": ("num", False),
    "defaultRate": ("num", False),
    "useDefaultRate": ("bool", False),
    "externalReference": ("str", False),
}
TASK_USER_BODY: Schema = {
    "userID": ("int", True),
    "hours": ("num", False),
    "rateCardID": ("int", False),
    "rate": ("num", False),
    "costRateCardID": ("int", False),
    "isActive": ("bool", False),
    "isPinned": ("bool", False),
}
RENAMES = {"statusID": "TaskStatusID"}
HIDDEN = ("Placeholders", "UserAssignments")
# The account's configured task types and statuses (no endpoint lists them; demo tasks use type 1, status 1).
TASK_TYPES = {1: "Billable", 2: "Non-billable"}
TASK_STATUSES = {1: "Active", 2: "Completed", 3: "On hold"}


def seed(store: Store) -> None:
    for task in _demo.TASKS:
        store.put("tasks", task["TaskID"], copy.deepcopy(task))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def tasks() -> dict[int, dict[str, Any]]:
        return store.table("tasks")  # looked up per request: a reset replaces the tables

    def shown_task(task: dict[str, Any], custom_fields: bool) -> dict[str, Any]:
        record = shown(task, custom_fields, hidden=HIDDEN)
        module = store.table("modules").get(task["ModuleID"])
        if module is not None:
            record.update(ModuleName=module["ModuleName"], ProjectID=module["ProjectID"])
        return record

    def task_or_404(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        task = tasks().get(request.path_params["task_id"])
        return (task, None) if task else (None, not_found("Task", request.path_params["task_id"]))

    def refused_task(body: dict[str, Any], creating: bool) -> Response | None:
        """The account's rules: a configured task type (required), a known status, a services module, 0-100%."""
        refused = missing_reference(store, body, {"moduleID": ("modules", "Module")})
        if refused:
            return refused
        if creating and body.get("taskTypeID") is None:
            return invalid_field("model.taskTypeID", "A task requires a TaskTypeID.")
        if "taskTypeID" in body and body["taskTypeID"] not in TASK_TYPES:
            return invalid_field("model.taskTypeID", f"Task type {body['taskTypeID']} does not exist.")
        if body.get("statusID") is not None and body["statusID"] not in TASK_STATUSES:
            return invalid_field("model.statusID", f"Task status {body['statusID']} does not exist.")
        if body.get("percentComplete") is not None and not 0 <= body["percentComplete"] <= 100:
            return invalid_field("model.percentComplete", "PercentComplete must be between 0 and 100.")
        module = store.table("modules").get(body.get("moduleID"))
        if module is not None and not module["IsServices"]:
            return invalid_field("model.moduleID", "Tasks can only be added to services modules.")
        return None

    def save(task: dict[str, Any], body: dict[str, Any]) -> Response:
        apply_body(task, body, RENAMES)
        task["TaskTypeName"] = TASK_TYPES.get(task.get("TaskTypeID"))
        task["TaskStatusName"] = TASK_STATUSES.get(task.get("TaskStatusID"))
        return json_response(shown_task(task, True))

    async def list_tasks(request: Request):
        records = [shown_task(t, wants_custom_fields(request)) for t in tasks().values()]
        return list_response(request, records, TASK_FILTERS)

    async def get_task(request: Request):
        task, missing = task_or_404(request)
        return missing or json_response(shown_task(task, True))

    async def create_task(request: Request):
        body, refused = await json_body(request, TASK_BODY)
        refused = refused or refused_task(body, creating=True)
        if refused:
            return refused
        task_id = store.new_id("tasks", 1000)
        tasks()[task_id] = task = {
            "TaskID": task_id,
            "TaskStatusID": 1,
            "StartDate": None,
            "EndDate": None,
            "PercentComplete": 0,
            "IsOnTimesheet": True,
            "IsBillable": True,
            "Users": [],
            "ExternalReference": None,
            "Placeholders": [],
            "UserAssignments": [],
            "CustomFields": [],
        }
        return save(task, body)

    async def patch_task(request: Request):
        task, missing = task_or_404(request)
        if missing:
            return missing
        body, refused = await json_body(request, TASK_BODY, partial=True)
        refused = refused or refused_task(body, creating=False)
        return refused or save(task, body)

    async def delete_task(request: Request):
        task, missing = task_or_404(request)
        if missing:
            return missing
        del tasks()[task["TaskID"]]
        return empty_response()

    async def put_task_user(request: Request):
        task, missing = task_or_404(request)
        if missing:
            return missing
        body, refused = await json_body(request, TASK_USER_BODY)
        refused = refused or missing_reference(store, body, {"userID": ("users", "User")})
        if refused:
            return refused
        assignments = task["UserAssignments"]
        existing = next((a for a in assignments if a["UserID"] == body["userID"]), None)
        if existing is None:
            existing = {"UserID": body["userID"], "IsActive": True, "IsPinned": False}
            assignments.append(existing)
        existing.update({pascal(key): value for key, value in body.items() if key != "userID"})
        active = [a["UserID"] for a in assignments if a.get("IsActive", True)]
        task["Users"] = [u for u in task["Users"] if u in active] + [u for u in active if u not in task["Users"]]
        task["ModifiedDateUTC"] = now_utc()
        return json_response({"TaskID": task["TaskID"], **existing})

    async def put_placeholder(request: Request):
        task, missing = task_or_404(request)
        if missing:
            return missing
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

    async def get_task_users(request: Request):
        # GET on the PUT sub-resources is not in Autohive's reference; the simulator answers it so writes can be
        # read back (the adapter says so when an account answers 404/405).
        task, missing = task_or_404(request)
        return missing or json_response([{"TaskID": task["TaskID"], **a} for a in task["UserAssignments"]])

    async def get_placeholders(request: Request):
        task, missing = task_or_404(request)
        return missing or json_response(task["Placeholders"])

    return [
        Route("/Tasks", list_tasks, methods=["GET"]),
        Route("/Tasks", create_task, methods=["POST"]),
        Route("/Tasks/{task_id:int}", get_task, methods=["GET"]),
        Route("/Tasks/{task_id:int}", patch_task, methods=["PATCH"]),
        Route("/Tasks/{task_id:int}", delete_task, methods=["DELETE"]),
        Route("/Tasks/{task_id:int}/Users", get_task_users, methods=["GET"]),
        Route("/Tasks/{task_id:int}/Users", put_task_user, methods=["PUT"]),
        Route("/Tasks/{task_id:int}/Placeholders", get_placeholders, methods=["GET"]),
        Route("/Tasks/{task_id:int}/Placeholders", put_placeholder, methods=["PUT"]),
    ]
