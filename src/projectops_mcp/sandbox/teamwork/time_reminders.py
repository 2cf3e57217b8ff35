"""Time-tracking reminders (v3): `POST` creates and `PATCH` edits `/projects/api/v3/time/reminder.json` (no id in
the path). Kept per user (the caller, i.e. the demo "me"); a second create is a 409 and an edit with none set is
a 404. The real response shape is unverified: this one answers `{"reminder": {...}}`.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v3_error, v3_not_found

KEYS = ("threshold", "time", "frequencyRRule", "isActive")
FREQ = re.compile(r"(?:^|;)FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(?:;|$)")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


def check(body: dict[str, Any], creating: bool) -> str | None:
    unknown = sorted(set(body) - set(KEYS))
    if unknown:
        return f"unknown field(s) in reminder: {', '.join(unknown)}"
    if creating:
        missing = [k for k in ("threshold", "time", "frequencyRRule") if k not in body]
        if missing:
            return f"{', '.join(missing)} required"
    if "threshold" in body:
        value = body["threshold"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            return "threshold must be an integer from 0 to 100"
    if "time" in body and not (isinstance(body["time"], str) and TIME.fullmatch(body["time"])):
        return "time must be HH:MM:SS"
    if "frequencyRRule" in body and not (
        isinstance(body["frequencyRRule"], str) and FREQ.search(body["frequencyRRule"])
    ):
        return "frequencyRRule must be an RRULE with FREQ"
    if "isActive" in body and not isinstance(body["isActive"], bool):
        return "isActive must be a boolean"
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def save(request: Request, creating: bool):
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("reminder"), dict):
            return v3_error(400, "expected a 'reminder' object")
        problem = check(body["reminder"], creating)
        if problem:
            return v3_error(400, problem)
        reminders = store.table("time_reminders")
        current = next((r for r in reminders.values() if r["userId"] == _demo.ME_ID), None)
        if creating and current is not None:
            return v3_error(409, "a time reminder already exists; edit it with PATCH", title="Conflict")
        if not creating and current is None:
            return v3_not_found()
        if creating:
            current = {"id": store.new_id("time_reminders", 7001), "userId": _demo.ME_ID, "isActive": True}
            reminders[current["id"]] = current
        current.update(body["reminder"])
        return json_response({"reminder": current}, status=201 if creating else 200)

    async def create(request: Request):
        return await save(request, creating=True)

    async def edit(request: Request):
        return await save(request, creating=False)

    return [
        Route("/projects/api/v3/time/reminder.json", create, methods=["POST"]),
        Route("/projects/api/v3/time/reminder.json", edit, methods=["PATCH"]),
    ]
