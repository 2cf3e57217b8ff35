"""Task reminders (v1 only): list, create, update, delete; records rendered the v1 way (all strings)."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import person_name, v1_error, v1_ok, v1_str

TYPES = ("EMAIL", "SMS", "PUSH")


def seed(store: Store) -> None:
    for reminder in _demo.REMINDERS:
        store.put("reminders", reminder["id"], copy.deepcopy(reminder))


def v1_reminder(store: Store, r: dict) -> dict:
    first, last = person_name(store, r["userIds"][0]) if r["userIds"] else ("", "")
    cfirst, clast = person_name(store, r.get("createdBy") or 0)
    return {
        "id": v1_str(r["id"]),
        "task-id": v1_str(r["taskId"]),
        "user-id": ",".join(str(u) for u in r["userIds"]),
        "user-firstname": first,
        "user-lastname": last,
        "type": r["type"],
        "note": r["note"],
        "date-time-utc": r["dateTimeUtc"],
        "was-sent": v1_str(r.get("wasSent", False)),
        "isRelative": v1_str(r.get("isRelative", False)),
        "relative-number-days": v1_str(r.get("relativeNumberDays", 0)),
        "peopleAssigned": v1_str(r.get("peopleAssigned", False)),
        "created-date-time": r.get("createdAt", ""),
        "created-by-user-id": v1_str(r.get("createdBy")),
        "created-by-user-firstname": cfirst,
        "created-by-user-lastname": clast,
    }


def _parse_users(value) -> list[int] | None:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    out = []
    for item in items:
        text = str(item).strip()
        if not text.lstrip("-").isdigit():
            return None
        out.append(int(text))
    return out


def apply_body(store: Store, reminder: dict, body: dict, task: dict, creating: bool) -> str | None:
    """Apply a `reminder` body; returns an error message or None."""
    if "type" in body:
        if body["type"] not in TYPES:
            return f"type must be one of {', '.join(TYPES)}"
        reminder["type"] = body["type"]
    if "note" in body:
        reminder["note"] = str(body["note"])
    users = _parse_users(body.get("user-id")) if "user-id" in body else None
    if "user-id" in body and users is None:
        return "user-id must be user ids"
    if body.get("peopleAssigned") in (True, "true", 1, "1"):
        reminder["peopleAssigned"] = True
        reminder["userIds"] = list(task.get("assigneeUserIds", [])) or (users or [])
    elif users is not None:
        reminder["peopleAssigned"] = False
        unknown = [u for u in users if u not in store.table("people")]
        if unknown:
            return f"unknown user-id {unknown[0]}"
        reminder["userIds"] = users
    if "isRelative" in body:
        reminder["isRelative"] = body["isRelative"] in (True, "true", 1, "1")
    if "relative-number-days" in body:
        try:
            reminder["relativeNumberDays"] = int(body["relative-number-days"])
        except (TypeError, ValueError):
            return "relative-number-days must be a whole number"
    if reminder.get("isRelative") and not task.get("dueDate"):
        return "The task has no due date, so a relative reminder cannot be set"
    if "date-time-utc" in body:
        reminder["dateTimeUtc"] = str(body["date-time-utc"])
    if creating and not reminder.get("dateTimeUtc") and not reminder.get("isRelative"):
        return "date-time-utc is required"
    if not reminder.get("userIds") and not reminder.get("peopleAssigned"):
        return "user-id is required"
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_reminders(request: Request):
        task_id = int(request.path_params["task_id"])
        if task_id not in store.table("tasks"):
            return v1_error(404, "Task not found")
        items = [v1_reminder(store, r) for r in store.table("reminders").values() if r["taskId"] == task_id]
        return v1_ok(reminders=items)

    async def create_reminder(request: Request):
        task = store.table("tasks").get(int(request.path_params["task_id"]))
        if task is None:
            return v1_error(404, "Task not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("reminder"), dict):
            return v1_error(422, "Could not read the submitted JSON: expected a 'reminder' object")
        reminder = {
            "id": store.new_id("reminders", 600000),
            "taskId": task["id"],
            "userIds": [],
            "type": "EMAIL",
            "note": "",
            "dateTimeUtc": "",
            "createdBy": _demo.ME_ID,
            "createdAt": _demo.CREATED,
        }
        problem = apply_body(store, reminder, body["reminder"], task, creating=True)
        if problem:
            return v1_error(400, problem)
        store.put("reminders", reminder["id"], reminder)
        return v1_ok(201, id=str(reminder["id"]))

    async def update_reminder(request: Request):
        reminder = store.table("reminders").get(int(request.path_params["reminder_id"]))
        if reminder is None:
            return v1_error(404, "Reminder not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("reminder"), dict):
            return v1_error(422, "Could not read the submitted JSON: expected a 'reminder' object")
        task = store.table("tasks").get(reminder["taskId"], {})
        updated = copy.deepcopy(reminder)
        problem = apply_body(store, updated, body["reminder"], task, creating=False)
        if problem:
            return v1_error(400, problem)
        reminder.clear()
        reminder.update(updated)
        return v1_ok(id=str(reminder["id"]))

    async def delete_reminder(request: Request):
        if store.table("reminders").pop(int(request.path_params["reminder_id"]), None) is None:
            return v1_error(404, "Reminder not found")
        return v1_ok()

    return [
        Route("/tasks/{task_id:int}/reminders.json", list_reminders, methods=["GET"]),
        Route("/tasks/{task_id:int}/reminders.json", create_reminder, methods=["POST"]),
        Route("/taskreminders/{reminder_id:int}.json", update_reminder, methods=["PUT"]),
        Route("/taskreminders/{reminder_id:int}.json", delete_reminder, methods=["DELETE"]),
    ]
