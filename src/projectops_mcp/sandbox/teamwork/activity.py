"""Latest activity (v3): site-wide and per project, newest first, filtered by RFC 3339 `startDate`/`endDate` and
comma-separated `activityTypes` (unknown types and malformed dates are a 400)."""

from __future__ import annotations

import copy
from datetime import datetime

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import person_name, v3_error, v3_not_found, v3_page

ITEM_TYPES = (
    "message comment task tasklist taskgroup milestone file form notebook timelog task_comment notebook_comment "
    "file_comment link_comment milestone_comment project link billingInvoice risk projectUpdate reacted budget"
).split()
COLLECTION = {"task": "tasks", "comment": "comments", "tasklist": "tasklists", "milestone": "milestones"}


def seed(store: Store) -> None:
    for entry in _demo.ACTIVITY:
        store.put("activity", entry["id"], copy.deepcopy(entry))


def v3_activity(store: Store, a: dict) -> dict:
    project = store.table("projects").get(a["projectId"], {})
    collection = COLLECTION.get(a["type"], a["type"] + "s")
    return {
        "id": a["id"],
        "activityType": a["activityType"],
        "latestActivityType": a["activityType"],
        "dateTime": a["dateTime"],
        "description": a.get("description", ""),
        "extraDescription": a.get("extraDescription", ""),
        "publicInfo": "",
        "dueDate": None,
        "forUserName": " ".join(person_name(store, a["forUserId"])) if a.get("forUserId") else "",
        "itemLink": f"{collection}/{a['itemId']}",
        "link": f"{collection}/{a['itemId']}",
        "user": {"id": a["userId"], "type": "users"},
        "forUser": {"id": a["forUserId"], "type": "users"} if a.get("forUserId") else None,
        "project": {"id": a["projectId"], "type": "projects"},
        "company": {"id": project.get("companyId", 0), "type": "companies"},
        "item": {"id": a["itemId"], "type": collection},
    }


def _instant(text: str) -> datetime:
    if "T" not in text:
        raise ValueError(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, entries: list[dict]):
        q = request.query_params
        try:
            start = _instant(q["startDate"]) if q.get("startDate") else None
            end = _instant(q["endDate"]) if q.get("endDate") else None
        except ValueError:
            return v3_error(400, "startDate and endDate must be RFC 3339 date-times")
        types = [t for t in q.get("activityTypes", "").split(",") if t]
        unknown = [t for t in types if t not in ITEM_TYPES]
        if unknown:
            return v3_error(400, f"unknown activityTypes: {', '.join(unknown)}")
        if start:
            entries = [e for e in entries if _instant(e["dateTime"]) >= start]
        if end:
            entries = [e for e in entries if _instant(e["dateTime"]) <= end]
        if types:
            entries = [e for e in entries if e["type"] in types]
        entries.sort(key=lambda e: e["dateTime"], reverse=True)
        return v3_page(request, "activities", [v3_activity(store, e) for e in entries])

    async def site_activity(request: Request):
        return listing(request, list(store.table("activity").values()))

    async def project_activity(request: Request):
        project_id = int(request.path_params["project_id"])
        if project_id not in store.table("projects"):
            return v3_not_found()
        return listing(request, [e for e in store.table("activity").values() if e["projectId"] == project_id])

    return [
        Route("/projects/api/v3/latestactivity.json", site_activity, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/latestactivity.json", project_activity, methods=["GET"]),
    ]
