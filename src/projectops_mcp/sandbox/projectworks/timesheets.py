"""Timesheets, with the API's irregular shapes: no GET by id, `PUT /Timesheets` with a lowercase `id` in the body,
`DELETE /Timesheets?id=`. Time is accepted only from a user assigned to the task (the task's internal
`UserAssignments`, not its public `Users` array, which the real API does not keep reliably in step).

Also home of the small request validators the other finance simulators share: bodies are checked key by key
(exact camelCase names, JSON types) so that a drifting client fails loudly here. The real API binds names
case-insensitively and ignores unknown keys; being stricter is deliberate.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    check_body,
    check_query,
    error,
    invalid_model,
    list_response,
    not_found,
    parse_day,
    query,
    schema_of,
    shown,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

FILTERS = {"id": "ID", "userid": "UserID", "taskid": "TaskID", "date": "Date", "comment": "Comment"}
INT_PARAMS = ("id", "userid", "taskid", "page", "pagesize")
MINUTES_PER_DAY = 24 * 60


def seed(store: Store) -> None:
    for entry in _demo.TIMESHEETS:
        store.put("timesheets", entry["ID"], copy.deepcopy(entry))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def assignment_problem(user_id: int, task_id: int) -> Response | None:
        user, task = store.table("users").get(user_id), store.table("tasks").get(task_id)
        if user is None:
            return error(400, f"User {user_id} does not exist.")
        if task is None:
            return error(400, f"Task {task_id} does not exist.")
        assigned = {a["UserID"] for a in task.get("UserAssignments", []) if a.get("IsActive", True)}
        if user_id not in assigned:
            return error(400, f"User {user_id} is not assigned to task {task_id}, so time cannot be entered on it.")
        return None

    def apply(entry: dict[str, Any], body: dict[str, Any]) -> Response | None:
        """Write the given body fields onto the entry, re-deriving names; an error response when refused."""
        minutes = body.get("minutes", entry.get("Minutes"))
        if not 0 < minutes <= MINUTES_PER_DAY:
            return invalid_model({"minutes": f"Minutes must be between 1 and {MINUTES_PER_DAY}."})
        user_id, task_id = body.get("userID", entry.get("UserID")), body.get("taskID", entry.get("TaskID"))
        refused = assignment_problem(user_id, task_id)
        if refused is not None:
            return refused
        user, task = store.table("users")[user_id], store.table("tasks")[task_id]
        entry.update(
            UserID=user_id,
            FirstName=user.get("FirstName"),
            LastName=user.get("LastName"),
            TaskID=task_id,
            TaskName=task.get("TaskName"),
            Date=parse_day(body.get("date") or entry["Date"]).isoformat(),
            Minutes=minutes,
            Comment=body.get("comment", entry.get("Comment")),
            IsReviewed=body.get("isReviewed", entry.get("IsReviewed", False)),
            ModifiedDateUTC=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        )
        return None

    optional = {"comment": "str", "isReviewed": "bool"}

    async def list_timesheets(request: Request):
        refused = check_query(request, INT_PARAMS)
        if refused is not None:
            return refused
        q = query(request)
        users, tasks = store.table("users"), store.table("tasks")

        def external_refs_match(entry: dict[str, Any]) -> bool:
            user_ref, task_ref = q.get("userexternalreference"), q.get("taskexternalreference")
            if user_ref and users.get(entry["UserID"], {}).get("ExternalReference") != user_ref:
                return False
            return not task_ref or tasks.get(entry["TaskID"], {}).get("ExternalReference") == task_ref

        with_fields = wants_custom_fields(request)
        entries = [e for e in store.table("timesheets").values() if external_refs_match(e)]
        return list_response(request, entries, FILTERS, render=lambda e: shown(e, with_fields))

    async def create_timesheet(request: Request):
        body = await read_json(request)
        refused = check_body(
            body, schema_of({"userID": "int", "taskID": "int", "date": "date", "minutes": "int"}, optional)
        )
        if refused is not None:
            return refused
        entry: dict[str, Any] = {"ID": store.new_id("timesheets", 7100)}
        refused = apply(entry, body)
        if refused is not None:
            return refused
        store.put("timesheets", entry["ID"], entry)
        return json_response(entry)

    async def update_timesheet(request: Request):
        body = await read_json(request)
        refused = check_body(
            body,
            schema_of({"id": "int", "minutes": "int"}, {"userID": "int", "taskID": "int", "date": "date", **optional}),
        )
        if refused is not None:
            return refused
        current = store.table("timesheets").get(body["id"])
        if current is None:
            return not_found("Timesheet", body["id"])
        entry = copy.deepcopy(current)
        refused = apply(entry, body)
        if refused is not None:
            return refused
        store.put("timesheets", entry["ID"], entry)
        return json_response(entry)

    async def delete_timesheet(request: Request):
        raw_id = query(request).get("id")
        if raw_id is None:
            return error(405, "The requested resource does not support http method 'DELETE'.")
        if not raw_id.isdigit():
            return invalid_model({"id": f"The value '{raw_id}' is not valid."})
        if store.table("timesheets").pop(int(raw_id), None) is None:
            return not_found("Timesheet", raw_id)
        return empty_response(204)

    return [
        Route("/Timesheets", list_timesheets, methods=["GET"]),
        Route("/Timesheets", create_timesheet, methods=["POST"]),
        Route("/Timesheets", update_timesheet, methods=["PUT"]),
        Route("/Timesheets", delete_timesheet, methods=["DELETE"]),
    ]
