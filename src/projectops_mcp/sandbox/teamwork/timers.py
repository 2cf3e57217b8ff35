"""Timers (v3, reference §6.12 and the SDK's timer.go): the caller's timers under `/me/timers` (POST 201, PUT 200
for update/pause/resume/complete, DELETE 204) and everyone's under `/timers` (GET).

The simulator's clock is frozen: a timer holds the seconds it was given (`seconds` on create) plus nothing while
it "runs", so results are deterministic. Completing turns the timer into a time entry (a v3 timelog, rounded up to
whole minutes) and links it as `timelog`. One running timer per task (per project for project-level timers):
a second one is a 400 unless `stopRunningTimers` pauses the others.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, empty_response, json_response, read_json, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import live_project, v3_error, v3_not_found, v3_page

ME = "/projects/api/v3/me/timers"
CREATE_KEYS = frozenset(
    {"description", "isBillable", "isRunning", "seconds", "stopRunningTimers", "projectId", "taskId"}
)
UPDATE_KEYS = CREATE_KEYS - {"seconds"}
NOW = "2026-11-20T10:00:00Z"


def v3_timer(t: dict[str, Any]) -> dict[str, Any]:
    rel = lambda kind, i: {"id": i, "type": kind} if i else None  # noqa: E731
    return {
        "id": t["id"],
        "description": t.get("description") or "",
        "running": t["running"],
        "billable": t.get("billable", False),
        "user": rel("users", t["userId"]),
        "task": rel("tasks", t.get("taskId")),
        "project": rel("projects", t["projectId"]),
        "timelog": rel("timelogs", t.get("timelogId")),
        "createdAt": t["createdAt"],
        "updatedAt": t.get("updatedAt", t["createdAt"]),
        "deletedAt": None,
        "deleted": False,
        "duration": t["seconds"],
        "lastStartedAt": t["createdAt"],
        "intervals": [],
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    timers = store.table("timers")

    def mine(request: Request) -> dict | None:
        timer = timers.get(request.path_params["timer_id"])
        return timer if timer and timer["userId"] == _demo.ME_ID and not timer.get("completed") else None

    def apply(timer: dict, body: Any, allowed: frozenset[str]) -> str | None:
        if not isinstance(body, dict) or not isinstance(body.get("timer"), dict):
            return "expected a 'timer' object"
        inner = body["timer"]
        if unknown := sorted(set(inner) - allowed):
            return f"unknown field '{unknown[0]}'"
        if "projectId" in inner:
            if not isinstance(inner["projectId"], int) or live_project(store, inner["projectId"]) is None:
                return "projectId must be an existing project"
            timer["projectId"] = inner["projectId"]
        if inner.get("taskId") is not None:
            task = store.table("tasks").get(inner["taskId"]) if isinstance(inner["taskId"], int) else None
            if task is None or task.get("status") == "deleted":
                return "taskId must be an existing task"
            if task["projectId"] != timer.get("projectId"):
                return f"task {task['id']} is not in project {timer.get('projectId')}"
            timer["taskId"] = task["id"]
        if not timer.get("projectId"):
            return "projectId is required"
        for key, field in (("description", "description"), ("isBillable", "billable")):
            if inner.get(key) is not None:
                timer[field] = inner[key]
        if inner.get("seconds") is not None:
            if not isinstance(inner["seconds"], int) or inner["seconds"] < 0:
                return "seconds must be a whole number of seconds"
            timer["seconds"] = inner["seconds"]
        if inner.get("isRunning") is not None:
            return start(timer, bool(inner.get("stopRunningTimers"))) if inner["isRunning"] else pause(timer)
        return None

    def start(timer: dict, stop_others: bool) -> str | None:
        clash = [
            t
            for t in timers.values()
            if t is not timer
            and t["running"]
            and not t.get("completed")
            and t["userId"] == timer["userId"]
            and (t.get("taskId"), t["projectId"]) == (timer.get("taskId"), timer["projectId"])
        ]
        if clash and not stop_others:
            return f"timer {clash[0]['id']} is already running for this {'task' if timer.get('taskId') else 'project'}"
        for other in clash:
            other["running"] = False
        timer["running"] = True
        return None

    def pause(timer: dict) -> None:
        timer["running"] = False

    async def create(request: Request) -> Response:
        timer: dict[str, Any] = {"id": 0, "userId": _demo.ME_ID, "running": True, "seconds": 0, "createdAt": NOW}
        body = await read_json(request)
        if isinstance(body, dict) and isinstance(body.get("timer"), dict):
            body["timer"].setdefault("isRunning", True)
        if problem := apply(timer, body, CREATE_KEYS):
            return v3_error(400, problem)
        timer["id"] = store.new_id("timers", 77000)
        store.put("timers", timer["id"], timer)
        return json_response({"timer": v3_timer(timer)}, status=201)

    async def update(request: Request) -> Response:
        timer = mine(request)
        if timer is None:
            return v3_not_found()
        changed = dict(timer)
        if problem := apply(changed, await read_json(request), UPDATE_KEYS):
            return v3_error(400, problem)
        timer.update(changed, updatedAt=NOW)
        return json_response({"timer": v3_timer(timer)})

    def action(verb: str):
        async def handler(request: Request) -> Response:
            timer = mine(request)
            if timer is None:
                return v3_not_found()
            if verb == "pause":
                pause(timer)
            elif verb == "resume":
                if problem := start(timer, False):
                    return v3_error(400, problem)
            else:
                log_id = store.new_id("timelogs", 34000)
                store.put(
                    "timelogs",
                    log_id,
                    {
                        "id": log_id,
                        "taskId": timer.get("taskId"),
                        "projectId": timer["projectId"],
                        "userId": timer["userId"],
                        "minutes": max(1, -(-timer["seconds"] // 60)),
                        "description": timer.get("description") or "",
                        "billable": bool(timer.get("billable")),
                        "timeLogged": NOW,
                        "tagIds": [],
                        "createdAt": NOW,
                        "loggedBy": timer["userId"],
                    },
                )
                timer.update(running=False, timelogId=log_id, completed=True)
            timer["updatedAt"] = NOW
            return json_response({"timer": v3_timer(timer)})

        return handler

    async def delete(request: Request) -> Response:
        timer = mine(request)
        if timer is None:
            return v3_not_found()
        del timers[timer["id"]]
        return empty_response(204)

    async def list_timers(request: Request) -> Response:
        q = request.query_params
        rows = [t for t in timers.values() if not t.get("completed")]
        for param, field in (("userId", "userId"), ("projectId", "projectId"), ("taskId", "taskId")):
            if q.get(param):
                rows = [t for t in rows if str(t.get(field) or "") == q[param]]
        if truthy(q.get("runningTimersOnly")):
            rows = [t for t in rows if t["running"]]
        return v3_page(request, "timers", [v3_timer(t) for t in sorted(rows, key=lambda t: t["id"])])

    async def get_timer(request: Request) -> Response:
        timer = timers.get(request.path_params["timer_id"])
        return json_response({"timer": v3_timer(timer)}) if timer else v3_not_found()

    return [
        Route(f"{ME}.json", create, methods=["POST"]),
        Route(ME + "/{timer_id:int}.json", update, methods=["PUT"]),
        Route(ME + "/{timer_id:int}.json", delete, methods=["DELETE"]),
        Route(ME + "/{timer_id:int}/pause.json", action("pause"), methods=["PUT"]),
        Route(ME + "/{timer_id:int}/resume.json", action("resume"), methods=["PUT"]),
        Route(ME + "/{timer_id:int}/complete.json", action("complete"), methods=["PUT"]),
        Route("/projects/api/v3/timers.json", list_timers, methods=["GET"]),
        Route("/projects/api/v3/timers/{timer_id:int}.json", get_timer, methods=["GET"]),
    ]
