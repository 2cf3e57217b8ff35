"""Calendars and events (v3, the SDK's calendar.go / calendar_event.go): `GET /projects/api/v3/calendars.json`
(`meta.page`) and `GET /projects/api/v3/calendars/{id}/events.json` with `startedAfterDate`/`endedBeforeDate`
(YYYY-MM-DD), cursor paging (`cursor`, `limit` → `meta.nextCursor`) and the instance flags: a weekly recurring event
is answered as its occurrences unless `includeInstances=false`, its master only with `includeMasterInstances=true`,
an event under way at the window's start only with `includeOngoingEvents=true`. Event ids are strings."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v3_error, v3_not_found, v3_page

CALENDARS = [
    {"id": 9101, "name": "Kiwi Bank team", "type": "event"},
    {"id": 9102, "name": "NZ public holidays", "type": "holiday"},
]
EVENTS = [
    {"id": "ev-1", "calendarId": 9101, "summary": "Discovery workshop", "start": "2026-11-24T09:00:00Z",
     "end": "2026-11-24T12:00:00Z", "type": "default", "location": "Level 3", "organizerId": _demo.ME_ID,
     "attendeeIds": [369453, 412001], "projectId": 732893, "taskId": 5001},
    {"id": "ev-2", "calendarId": 9101, "summary": "Stand-up", "start": "2026-11-23T08:45:00Z",
     "end": "2026-11-23T09:00:00Z", "type": "default", "recurrence": "RRULE:FREQ=WEEKLY;COUNT=4",
     "organizerId": _demo.ME_ID, "attendeeIds": [369453]},
    {"id": "ev-3", "calendarId": 9101, "summary": "Offsite", "start": "2026-11-19T09:00:00Z",
     "end": "2026-11-21T17:00:00Z", "type": "outOfOffice", "organizerId": 369453, "attendeeIds": []},
    {"id": "ev-4", "calendarId": 9102, "summary": "Anniversary Day", "start": "2027-01-25T00:00:00Z",
     "end": "2027-01-26T00:00:00Z", "type": "holiday", "allDay": True, "organizerId": None, "attendeeIds": []},
]  # fmt: skip
DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
FLAGS = ("includeMasterInstances", "showDeletedInstances", "includeInstances", "includeOngoingEvents",
         "includeDeletedInstances", "includeModifiedInstances", "includeTimelogs")  # fmt: skip


def seed(store: Store) -> None:
    for calendar in CALENDARS:
        store.put("calendars", calendar["id"], calendar | {"createdAt": _demo.CREATED, "updatedAt": _demo.CREATED})


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _user(store: Store, person_id: int | None) -> dict[str, Any]:
    person = store.table("people").get(person_id) if person_id else None
    if person is None:
        return {"user": None, "email": None, "fullName": None}
    name = f"{person['firstName']} {person['lastName']}"
    return {"user": {"id": person_id, "type": "users"}, "email": person.get("email"), "fullName": name}


def v3_event(store: Store, e: dict[str, Any], start: datetime, instance: str | None) -> dict[str, Any]:
    end = start + (_when(e["end"]) - _when(e["start"]))
    block = None
    if e.get("projectId"):
        task = {"id": e["taskId"], "type": "tasks"} if e.get("taskId") else None
        block = {"project": {"id": e["projectId"], "type": "projects"}, "task": task, "timelog": None}
    return {
        "id": f"{e['id']}_{instance}" if instance else e["id"],
        "summary": e["summary"],
        "description": e.get("description"),
        "organizer": _user(store, e["organizerId"]),
        "eventCreator": _user(store, e["organizerId"]),
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "Pacific/Auckland"},
        "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "Pacific/Auckland"},
        "allDay": e.get("allDay", False),
        "location": e.get("location"),
        "type": e["type"],
        "recurrence": e.get("recurrence") if not instance else None,
        "transparency": "opaque",
        "visibility": "public",
        "videoCallLink": None,
        "timeblock": block,
        "attendees": [
            {"user": _user(store, p), "status": "accepted", "canEdit": False, "reminders": []} for p in e["attendeeIds"]
        ],  # fmt: skip
        "attendeesOmitted": False,
        "calendar": {"id": e["calendarId"], "type": "calendars"},
        "status": "confirmed",
        "createdBy": {"id": e["organizerId"] or _demo.ME_ID, "type": "users"},
        "createdAt": _demo.CREATED,
        "updatedAt": None,
    }


def occurrences(e: dict[str, Any], flags: dict[str, bool]) -> list[tuple[datetime, str | None]]:
    """(start, instance key) of each record the event answers with: the master and/or its weekly instances."""
    start = _when(e["start"])
    rule = e.get("recurrence")
    if not rule:
        return [(start, None)]
    count = int(re.search(r"COUNT=(\d+)", rule).group(1))  # type: ignore[union-attr]
    found: list[tuple[datetime, str | None]] = [(start, None)] if flags["includeMasterInstances"] else []
    if flags["includeInstances"]:
        for week in range(count):
            when = start + timedelta(weeks=week)
            found.append((when, when.strftime("%Y%m%d")))
    return found


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_calendars(request: Request) -> Response:
        rows = sorted(store.table("calendars").values(), key=lambda c: (c["name"].lower(), c["id"]))
        return v3_page(request, "calendars", rows)

    async def list_events(request: Request) -> Response:
        calendar_id = request.path_params["calendar_id"]
        if calendar_id not in store.table("calendars"):
            return v3_not_found()
        q = request.query_params
        bounds: dict[str, date | None] = {}
        for key in ("startedAfterDate", "endedBeforeDate"):
            if key in q and not DAY.match(q[key]):
                return v3_error(400, f"{key} must be a date, YYYY-MM-DD")
            bounds[key] = date.fromisoformat(q[key]) if key in q else None
        flags = {}
        for key in FLAGS:
            if q.get(key, "false") not in ("true", "false"):
                return v3_error(400, f"{key} must be true or false")
            flags[key] = q.get(key, "false") == "true"
        try:
            limit = int(q.get("limit", "50"))
            offset = int(base64.urlsafe_b64decode(q["cursor"]).decode()) if "cursor" in q else 0
        except ValueError:
            return v3_error(400, "invalid cursor or limit")
        if not 1 <= limit <= 500:
            return v3_error(400, "limit must be between 1 and 500")
        after, before = bounds["startedAfterDate"], bounds["endedBeforeDate"]
        rows = []
        for e in (e for e in EVENTS if e["calendarId"] == calendar_id):
            length = _when(e["end"]) - _when(e["start"])
            for start, instance in occurrences(e, flags):
                end = start + length
                starts_in = after is None or start.date() >= after
                ongoing = flags["includeOngoingEvents"] and after is not None and end.date() >= after
                if (starts_in or ongoing) and (before is None or end.date() <= before):
                    rows.append(v3_event(store, e, start, instance))
        rows.sort(key=lambda r: (r["start"]["dateTime"], r["id"]))
        chunk = rows[offset : offset + limit]
        more = offset + limit < len(rows)
        cursor = base64.urlsafe_b64encode(str(offset + limit).encode()).decode() if more else None
        return json_response({"events": chunk, "meta": {"nextCursor": cursor}, "included": {}})

    return [
        Route("/projects/api/v3/calendars.json", list_calendars, methods=["GET"]),
        Route("/projects/api/v3/calendars/{calendar_id:int}/events.json", list_events, methods=["GET"]),
    ]
