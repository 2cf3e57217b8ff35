"""Planner allocations (v3, the SDK's allocation.go): `{"allocation": {...}}` bodies, POST 201, PATCH 200, soft
DELETE 204 (body `{"hardDelete"}`), PUT `/restore` 200, POST `/link|unlink/{taskId}` 204.

An allocation books a person on a project from `startedAt` to `endedAt` at `secondsPerDay` on each working day
(Monday to Friday here); `duration` is the committed total in minutes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, empty_response, json_response, read_json, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, live_project, v3_error, v3_not_found, v3_page

A = "/projects/api/v3/allocations"
KEYS = frozenset(
    {"projectId", "assignedUserID", "title", "description", "startedAt", "endedAt", "secondsPerDay", "hoursPerDay",
     "duration", "color", "isBillable", "ignoreCollisions", "informOfOverAllocation", "linkedTaskIDs"}
)  # fmt: skip
COLOR = re.compile(r"^#?[0-9a-fA-F]{6}$")
NOW = "2026-11-20T10:00:00Z"


def working_days(start: str, end: str) -> int:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5)


def v3_allocation(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": a["id"],
        "project": {"id": a["projectId"], "type": "projects"},
        "assignedUser": {"id": a["userId"], "type": "users"},
        "title": a.get("title") or "",
        "description": a.get("description"),
        "startedAt": a["start"],
        "endedAt": a["end"],
        "duration": working_days(a["start"], a["end"]) * a["secondsPerDay"] // 60,
        "hoursPerDay": round(a["secondsPerDay"] / 3600, 2),
        "secondsPerDay": a["secondsPerDay"],
        "color": a["color"],
        "status": "deleted" if a.get("deleted") else "active",
        "isBillable": a.get("billable", True),
        "overAllocated": False,
        "recurringRule": None,
        "linkedTaskIDs": [{"id": t, "type": "tasks"} for t in a.get("taskIds", [])],
        "createdAt": a.get("createdAt", NOW),
        "createdBy": _demo.ME_ID,
        "updatedAt": a.get("updatedAt"),
        "deletedAt": NOW if a.get("deleted") else None,
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    allocations, tasks = store.table("allocations"), store.table("tasks")

    def apply(a: dict, body: Any, creating: bool) -> str | None:
        if not isinstance(body, dict) or not isinstance(body.get("allocation"), dict):
            return "expected an 'allocation' object"
        inner = body["allocation"]
        if unknown := sorted(set(inner) - KEYS):
            return f"unknown field '{unknown[0]}'"
        if creating and (missing := [k for k in ("projectId", "assignedUserID", "startedAt", "endedAt", "color")
                                     if k not in inner]):  # fmt: skip
            return f"{missing[0]} is required"
        if "projectId" in inner:
            if not isinstance(inner["projectId"], int) or live_project(store, inner["projectId"]) is None:
                return "projectId must be an existing project"
            a["projectId"] = inner["projectId"]
        if "assignedUserID" in inner:
            if inner["assignedUserID"] not in store.table("people"):
                return "assignedUserID must be an existing person"
            a["userId"] = inner["assignedUserID"]
        for key, field in (("startedAt", "start"), ("endedAt", "end")):
            if key in inner:
                try:
                    a[field] = date.fromisoformat(str(inner[key])).isoformat()
                except ValueError:
                    return f"{key} must be YYYY-MM-DD"
        if a.get("start") and a.get("end") and a["end"] < a["start"]:
            return "endedAt must not precede startedAt"
        if "secondsPerDay" in inner:
            seconds = inner["secondsPerDay"]
            if not isinstance(seconds, int) or not 60 <= seconds <= 86_400:
                return "secondsPerDay must be between 60 and 86400"
            a["secondsPerDay"] = seconds
        elif creating:
            a["secondsPerDay"] = 8 * 3600
        if "color" in inner:
            if not COLOR.match(str(inner["color"])):
                return "color must be six hexadecimal digits"
            a["color"] = "#" + str(inner["color"]).lstrip("#")
        for key, field in (("title", "title"), ("description", "description"), ("isBillable", "billable")):
            if key in inner:
                a[field] = inner[key]
        if "linkedTaskIDs" in inner:
            ids = inner["linkedTaskIDs"]
            if not isinstance(ids, list) or any(i not in tasks for i in ids):
                return "linkedTaskIDs must be existing tasks"
            a["taskIds"] = list(ids)
        return None

    def live(request: Request) -> dict | None:
        return allocations.get(request.path_params["allocation_id"])

    async def list_allocations(request: Request) -> Response:
        q = request.query_params
        rows = [a for a in allocations.values() if truthy(q.get("showDeleted")) or not a.get("deleted")]
        if ids := ids_param(request, "assignedUserIds"):
            rows = [a for a in rows if a["userId"] in ids]
        if ids := ids_param(request, "projectIds"):
            rows = [a for a in rows if a["projectId"] in ids]
        if q.get("startDate"):
            rows = [a for a in rows if a["end"] >= q["startDate"][:10]]
        if q.get("endDate"):
            rows = [a for a in rows if a["start"] <= q["endDate"][:10]]
        if q.get("searchTerm"):
            rows = [a for a in rows if q["searchTerm"].lower() in (a.get("title") or "").lower()]
        return v3_page(request, "allocations", sorted(rows, key=lambda a: a["id"]), render=v3_allocation)

    async def get_allocation(request: Request) -> Response:
        a = live(request)
        return json_response({"allocation": v3_allocation(a), "included": {}}) if a else v3_not_found()

    async def create(request: Request) -> Response:
        a: dict[str, Any] = {"id": 0, "taskIds": [], "createdAt": NOW}
        if problem := apply(a, await read_json(request), creating=True):
            return v3_error(400, problem)
        a["id"] = store.new_id("allocations", 88000)
        store.put("allocations", a["id"], a)
        return json_response({"allocation": v3_allocation(a)}, status=201)

    async def update(request: Request) -> Response:
        a = live(request)
        if a is None or a.get("deleted"):
            return v3_not_found()
        changed = dict(a)
        if problem := apply(changed, await read_json(request), creating=False):
            return v3_error(400, problem)
        a.update(changed, updatedAt=NOW)
        return json_response({"allocation": v3_allocation(a)})

    async def delete(request: Request) -> Response:
        a = live(request)
        if a is None or a.get("deleted"):
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("hardDelete"), bool):
            return v3_error(400, "expected {hardDelete: bool}")
        if body["hardDelete"]:
            del allocations[a["id"]]
        else:
            a["deleted"] = True
        return empty_response(204)

    async def restore(request: Request) -> Response:
        a = live(request)
        if a is None:
            return v3_not_found()
        a["deleted"] = False
        return json_response({"allocation": v3_allocation(a)})

    def linker(link: bool):
        async def handler(request: Request) -> Response:
            a, task_id = live(request), request.path_params["task_id"]
            if a is None or a.get("deleted") or task_id not in tasks:
                return v3_not_found()
            ids = a.setdefault("taskIds", [])
            if link and task_id not in ids:
                ids.append(task_id)
            if not link and task_id in ids:
                ids.remove(task_id)
            return empty_response(204)

        return handler

    return [
        Route(f"{A}.json", list_allocations, methods=["GET"]),
        Route(f"{A}.json", create, methods=["POST"]),
        Route(A + "/{allocation_id:int}.json", get_allocation, methods=["GET"]),
        Route(A + "/{allocation_id:int}.json", update, methods=["PATCH"]),
        Route(A + "/{allocation_id:int}.json", delete, methods=["DELETE"]),
        Route(A + "/{allocation_id:int}/restore.json", restore, methods=["PUT"]),
        Route(A + "/{allocation_id:int}/link/{task_id:int}.json", linker(True), methods=["POST"]),
        Route(A + "/{allocation_id:int}/unlink/{task_id:int}.json", linker(False), methods=["POST"]),
    ]
