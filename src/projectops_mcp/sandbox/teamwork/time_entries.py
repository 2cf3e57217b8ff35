"""Time entries (v3 timelogs): list (site, project, task), get, create on a task, PATCH, DELETE.

Write bodies are `{"timelog": {...}}` with `hours` + `minutes` summed and `isBillable`; records read back with a
total `minutes` and `billable`. Stricter than the real (Go, case-insensitive) API on purpose: unknown or mis-cased
keys are a 400, so a wrong request fails a test instead of being silently ignored.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import exists, ids_param, v3_error, v3_not_found, v3_page

TIMELOG_KEYS = frozenset(
    {"date", "time", "isUTC", "description", "hours", "minutes", "isBillable", "userId", "tagIds", "projectId",
     "taskId"}
)  # fmt: skip
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
NOW = "2026-11-20T10:00:00Z"


def seed(store: Store) -> None:
    for log in _demo.TIMELOGS:
        store.put("timelogs", log["id"], copy.deepcopy(log) | {"createdAt": _demo.CREATED, "loggedBy": _demo.ME_ID})


def v3_timelog(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": t["id"],
        "description": t.get("description", ""),
        "billable": t.get("billable", False),
        "minutes": t["minutes"],
        "timeLogged": t["timeLogged"],
        "user": {"id": t["userId"], "type": "users"},
        "userId": t["userId"],
        "task": {"id": t["taskId"], "type": "tasks"} if t.get("taskId") else None,
        "taskId": t.get("taskId") or 0,
        "project": {"id": t["projectId"], "type": "projects"},
        "projectId": t["projectId"],
        "tags": [{"id": tag, "type": "tags"} for tag in t.get("tagIds", [])],
        "tagIds": list(t.get("tagIds", [])),
        "hasStartTime": True,
        "createdAt": t.get("createdAt"),
        "loggedBy": t.get("loggedBy"),
        "updatedAt": t.get("updatedAt"),
        "deleted": False,
    }


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def apply_timelog(store: Store, log: dict[str, Any], body: dict[str, Any], creating: bool) -> str | None:
    """Apply a `timelog` body; returns an error message or None."""
    unknown = sorted(set(body) - TIMELOG_KEYS)
    if unknown:
        return f"unknown field '{unknown[0]}'"
    day, at = log.get("timeLogged", "T09:00:00Z")[:10], log.get("timeLogged", "T09:00:00Z")[11:19]
    if "date" in body:
        day = _iso_date(body["date"])
        if day is None:
            return "date must be YYYY-MM-DD"
    elif creating:
        return "date is required"
    if "time" in body:
        if not isinstance(body["time"], str) or not TIME_OF_DAY.match(body["time"]):
            return "time must be HH:MM:SS"
        at = body["time"]
    for flag in ("isUTC", "isBillable"):
        if flag in body and not isinstance(body[flag], bool):
            return f"json: cannot unmarshal into Go value of type bool ({flag})"
    if "hours" in body or "minutes" in body:
        hours, minutes = body.get("hours", 0), body.get("minutes", 0)
        if not _whole(hours) or not _whole(minutes):
            return "hours and minutes must be whole numbers, zero or more"
        if hours * 60 + minutes <= 0:
            return "a time entry must be longer than 0 minutes"
        log["minutes"] = hours * 60 + minutes
    elif creating:
        return "hours or minutes is required"
    if "userId" in body:
        if not exists(store, "people", body["userId"]):
            return f"user {body['userId']} not found"
        log["userId"] = body["userId"]
    if "tagIds" in body:
        tags = body["tagIds"]
        if not isinstance(tags, list) or not all(exists(store, "tags", t) for t in tags):
            return "tagIds must be an array of existing tag ids"
        log["tagIds"] = tags
    if "description" in body:
        log["description"] = str(body["description"])
    if "isBillable" in body:
        log["billable"] = body["isBillable"]
    log["timeLogged"] = f"{day}T{at}Z"
    return None


def _in_range(request: Request) -> tuple[str, str] | None:
    """The startDate/endDate window as comparable ISO strings; None when a bound is malformed."""
    bounds = []
    for name, default in (("startDate", "0000"), ("endDate", "9999")):
        raw = request.query_params.get(name)
        if not raw:
            bounds.append(default)
            continue
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00")) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            return None
        text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
        bounds.append(text if "T" in raw or name == "startDate" else text[:10] + "T23:59:59")
    return bounds[0], bounds[1]


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, logs: list[dict[str, Any]]) -> Response:
        window = _in_range(request)
        if window is None:
            return v3_error(400, "startDate and endDate must be RFC 3339 date-times or YYYY-MM-DD dates")
        logs = [t for t in logs if window[0] <= t["timeLogged"][:19] <= window[1]]
        if ids := ids_param(request, "assignedToUserIds"):
            logs = [t for t in logs if t["userId"] in ids]
        if ids := ids_param(request, "projectIds"):
            logs = [t for t in logs if t["projectId"] in ids]
        if ids := ids_param(request, "tagIds"):
            logs = [t for t in logs if set(ids) & set(t.get("tagIds", []))]
        logs.sort(key=lambda t: (t["timeLogged"], t["id"]))
        return v3_page(request, "timelogs", logs, render=v3_timelog)

    async def list_all(request: Request) -> Response:
        return listing(request, list(store.table("timelogs").values()))

    async def list_project(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if not exists(store, "projects", project_id):
            return v3_not_found()
        return listing(request, [t for t in store.table("timelogs").values() if t["projectId"] == project_id])

    async def list_task(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if task_id not in store.table("tasks"):
            return v3_not_found()
        return listing(request, [t for t in store.table("timelogs").values() if t.get("taskId") == task_id])

    async def get_one(request: Request) -> Response:
        log = store.table("timelogs").get(request.path_params["timelog_id"])
        return json_response({"timelog": v3_timelog(log)}) if log else v3_not_found()

    async def create(request: Request) -> Response:
        task = store.table("tasks").get(request.path_params["task_id"])
        if task is None or task.get("status") == "deleted":
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("timelog"), dict):
            return v3_error(400, "expected a 'timelog' object")
        log = {
            "id": store.new_id("timelogs", 33100),
            "taskId": task["id"],
            "projectId": task["projectId"],
            "userId": _demo.ME_ID,
            "billable": True,  # the demo projects default to billable
            "tagIds": [],
            "description": "",
            "createdAt": NOW,
            "loggedBy": _demo.ME_ID,
        }
        problem = apply_timelog(store, log, body["timelog"], creating=True)
        if problem:
            return v3_error(400, problem)
        store.put("timelogs", log["id"], log)
        return json_response({"timelog": v3_timelog(log)}, status=201)

    async def update(request: Request) -> Response:
        log = store.table("timelogs").get(request.path_params["timelog_id"])
        if log is None:
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("timelog"), dict) or not body["timelog"]:
            return v3_error(400, "expected a non-empty 'timelog' object")
        updated = copy.deepcopy(log)
        problem = apply_timelog(store, updated, body["timelog"], creating=False)
        if problem:
            return v3_error(400, problem)
        log.update(updated, updatedAt=NOW)
        return json_response({"timelog": v3_timelog(log)})

    async def delete(request: Request) -> Response:
        if store.table("timelogs").pop(request.path_params["timelog_id"], None) is None:
            return v3_not_found()
        return empty_response(204)

    base = "/projects/api/v3"
    return [
        Route(f"{base}/time.json", list_all, methods=["GET"]),
        Route(base + "/projects/{project_id:int}/time.json", list_project, methods=["GET"]),
        Route(base + "/tasks/{task_id:int}/time.json", list_task, methods=["GET"]),
        Route(base + "/tasks/{task_id:int}/time.json", create, methods=["POST"]),
        Route(base + "/time/{timelog_id:int}.json", get_one, methods=["GET"]),
        Route(base + "/time/{timelog_id:int}.json", update, methods=["PATCH"]),
        Route(base + "/time/{timelog_id:int}.json", delete, methods=["DELETE"]),
    ]
