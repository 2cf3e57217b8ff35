"""Workload (v3 `GET /projects/api/v3/workload.json`), computed from the tasks and people tables the way Teamwork's
SDK documents it: a task counts for a person assigned to it directly when it is open, has an estimate and a due
date; its estimate is split between its assignees and spread evenly over the person's working days from start to
due date (all on the due date when there is no start). `capacity` is the planned minutes as a percentage of the
day's working minutes.

`include` must arrive repeated (`include=users&include=workingHours`): a comma-joined value is an unknown sideload
and a 400, as is a missing or malformed date.
"""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork._common import ids_param, v3_error
from projectops_mcp.sandbox.teamwork.people import WEEKDAYS, project_members, v3_person

SIDELOADS = {
    "users",
    "workingHours",
    "workingHourEntries",
    "users.workingHours",
    "users.workingHours.workingHoursEntry",
    "tasks",
    "tasks.taskCapacities",
}


def weekday(day: date) -> str:
    return WEEKDAYS[(day.weekday() + 1) % 7]  # Python's Monday=0; WEEKDAYS starts on Sunday


def planned_minutes(store: Store, person: dict, start: date, end: date, project_ids: list[int]) -> dict[date, float]:
    """Minutes of task estimates falling on each day of [start, end] for one person."""
    hours = person["workingHours"]
    out: dict[date, float] = {}
    for task in store.table("tasks").values():
        assignees = task.get("assigneeUserIds") or []
        if person["id"] not in assignees or not task.get("estimateMinutes") or not task.get("dueDate"):
            continue
        if task.get("status") in ("completed", "deleted") or (project_ids and task.get("projectId") not in project_ids):
            continue
        due = date.fromisoformat(task["dueDate"][:10])
        first = date.fromisoformat(task["startDate"][:10]) if task.get("startDate") else due
        span = [first + timedelta(days=i) for i in range((due - first).days + 1)]
        working = [d for d in span if hours[weekday(d)] > 0] or [due]
        share = task["estimateMinutes"] / len(assignees) / len(working)
        for day in working:
            if start <= day <= end:
                out[day] = out.get(day, 0.0) + share
    return out


def working_hours_sideloads(people: list[dict]) -> tuple[dict, dict]:
    hours, entries = {}, {}
    for person in people:
        ids = [person["id"] * 10 + i for i in range(7)]
        hours[str(person["id"])] = {
            "id": person["id"],
            "object": {"id": person["id"], "type": "users"},
            "entries": [{"id": i, "type": "workingHourEntries"} for i in ids],
        }
        for entry_id, day in zip(ids, WEEKDAYS, strict=True):
            entries[str(entry_id)] = {
                "id": entry_id,
                "workingHour": {"id": person["id"], "type": "workingHours"},
                "weekday": day.capitalize(),
                "taskHours": person["workingHours"][day],
            }
    return hours, entries


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def workload(request: Request):
        q = request.query_params
        try:
            start, end = date.fromisoformat(q["startDate"]), date.fromisoformat(q["endDate"])
            page, size = int(q.get("page", "1")), int(q.get("pageSize", "50"))
        except (KeyError, ValueError):
            return v3_error(400, "startDate and endDate (YYYY-MM-DD) are required; page and pageSize are integers")
        if end < start or not 1 <= size <= 500 or page < 1:
            return v3_error(400, "endDate must not be before startDate; pageSize 1-500")
        include = set(q.getlist("include"))
        if include - SIDELOADS:
            return v3_error(400, f"unknown include value(s): {', '.join(sorted(include - SIDELOADS))}")
        people = [p for p in store.table("people").values() if not p.get("deleted")]
        if user_ids := ids_param(request, "userIds"):
            people = [p for p in people if p["id"] in user_ids]
        if company_ids := ids_param(request, "companyIds"):
            people = [p for p in people if p["companyId"] in company_ids]
        if team_ids := ids_param(request, "teamIds"):
            members = {m for t in team_ids for m in store.table("teams").get(t, {}).get("memberIds", [])}
            people = [p for p in people if p["id"] in members]
        if q.get("jobRoleIds"):
            people = []  # the demo site has no job roles
        project_ids = ids_param(request, "projectIds")
        if project_ids:
            on_projects = set().union(*(project_members(store, pid) or set() for pid in project_ids))
            people = [p for p in people if p["id"] in on_projects]
        people.sort(key=lambda p: p["id"])
        chunk = people[(page - 1) * size : page * size]
        omit_empty = q.get("omitEmptyDateEntries") == "true"
        users = []
        for person in chunk:
            planned = planned_minutes(store, person, start, end, project_ids)
            dates = {}
            for offset in range((end - start).days + 1):
                day = start + timedelta(days=offset)
                minutes = round(planned.get(day, 0.0))
                if omit_empty and not minutes:
                    continue
                working = person["workingHours"][weekday(day)] * 60
                dates[day.isoformat()] = {
                    "capacity": round(minutes / working * 100, 1) if working else 0.0,
                    "capacityMinutes": minutes,
                    "unavailableDay": False,
                    "isHoliday": False,
                }
            users.append({"userId": person["id"], "dates": dates})
        included: dict = {}
        if include & {"users", "users.workingHours", "users.workingHours.workingHoursEntry"}:
            included["users"] = {str(p["id"]): v3_person(p) for p in chunk}
        if include & {
            "workingHours",
            "workingHourEntries",
            "users.workingHours",
            "users.workingHours.workingHoursEntry",
        }:
            included["workingHours"], entries = working_hours_sideloads(chunk)
            if include & {"workingHourEntries", "users.workingHours.workingHoursEntry"}:
                included["workingHourEntries"] = entries
        has_more = page * size < len(people)
        meta = {"page": {"pageOffset": page - 1, "pageSize": size, "count": len(people), "hasMore": has_more}}
        return json_response({"workload": {"users": users}, "meta": meta, "included": included})

    return [Route("/projects/api/v3/workload.json", workload, methods=["GET"])]
