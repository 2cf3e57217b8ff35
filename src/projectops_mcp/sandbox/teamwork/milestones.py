"""Milestones: v3 list/get; v1 create/update/complete/uncomplete/delete (`{"milestone": {...}}`, YYYYMMDD deadline,
`responsible-party-ids` as a comma string; create answers `milestoneid`)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_ids,
    as_v1_date,
    ids_param,
    live_project,
    now_text,
    require_people,
    require_tags,
    v1_body,
    v1_error,
    v1_ok,
    v3_not_found,
    v3_page,
)

MILESTONE_KEYS = frozenset(
    {"title", "deadline", "responsible-party-ids", "description", "notify", "reminder", "private", "tags", "tagIds",
     "taskListIds", "tasklistIds", "changeFollowerIds", "grant-access-to"}
)  # fmt: skip


def seed(store: Store) -> None:
    for milestone in _demo.MILESTONES:
        record = copy.deepcopy(milestone) | {"tagIds": [], "status": "new", "createdOn": _demo.CREATED}
        store.put("milestones", milestone["id"], record)


def v3_milestone(m: dict) -> dict:
    return {
        "id": m["id"],
        "name": m["name"],
        "description": m.get("description", ""),
        "deadline": f"{m['deadline']}T00:00:00Z",
        "project": {"id": m["projectId"], "type": "projects"},
        "projectId": m["projectId"],
        "tasklists": [{"id": t, "type": "tasklists"} for t in m.get("tasklistIds", [])],
        "tags": [{"id": t, "type": "tags"} for t in m.get("tagIds", [])],
        "responsibleParties": [{"id": u, "type": "users"} for u in m.get("responsiblePartyIds", [])],
        "completed": bool(m.get("completed")),
        "completedOn": m.get("completedOn"),
        "completedBy": m.get("completedBy"),
        "status": m.get("status", "new"),
        "createdOn": m.get("createdOn"),
        "lastChangedOn": m.get("lastChangedOn") or m.get("createdOn"),
    }


def parse_parties(value: Any) -> list[int]:
    """A v1 user-group string '1,2,t3,c4': user ids are returned, team/company/role tokens accepted and ignored."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise Invalid("responsible-party-ids must be a comma-separated string of ids")
    users = []
    for token in str(value).split(","):
        token = token.strip()
        if token[:1] in ("t", "c", "r") and token[1:].isdigit():
            continue
        if not token.isdigit():
            raise Invalid(f"responsible-party-ids: '{token}' is not an id")
        users.append(int(token))
    return users


def apply_milestone(store: Store, milestone: dict, body: dict[str, Any]) -> None:
    if "title" in body:
        if not str(body["title"]).strip():
            raise Invalid("title cannot be empty")
        milestone["name"] = str(body["title"])
    if "description" in body:
        milestone["description"] = str(body["description"])
    if "deadline" in body:
        deadline = as_v1_date(body["deadline"], "deadline")
        if deadline is None:
            raise Invalid("deadline is required")
        milestone["deadline"] = deadline
    if "responsible-party-ids" in body:
        users = parse_parties(body["responsible-party-ids"])
        require_people(store, users, "responsible-party-ids")
        milestone["responsiblePartyIds"] = users
    for key in ("tasklistIds", "taskListIds"):
        if key in body:
            ids = as_ids(body[key], key)
            for tasklist_id in ids:
                tasklist = store.table("tasklists").get(tasklist_id)
                if tasklist is None or tasklist["projectId"] != milestone["projectId"]:
                    raise Invalid(f"{key}: task list {tasklist_id} is not in this project")
            milestone["tasklistIds"] = ids
    if "tagIds" in body:
        milestone["tagIds"] = as_ids(body["tagIds"], "tagIds")
        require_tags(store, milestone["tagIds"], "tagIds")


def link_tasklists(store: Store, milestone: dict) -> None:
    for tasklist in store.table("tasklists").values():
        if tasklist["id"] in milestone.get("tasklistIds", []):
            tasklist["milestoneId"] = milestone["id"]


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, milestones: list[dict]) -> Response:
        q = request.query_params
        milestones = [m for m in milestones if m.get("status") != "deleted"]
        if q.get("searchTerm"):
            milestones = [m for m in milestones if q["searchTerm"].lower() in m["name"].lower()]
        if tags := ids_param(request, "tagIds"):
            milestones = [m for m in milestones if set(tags) & set(m.get("tagIds", []))]
        return v3_page(request, "milestones", [v3_milestone(m) for m in milestones])

    async def list_all(request: Request) -> Response:
        return listing(request, list(store.table("milestones").values()))

    async def list_project(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v3_not_found()
        return listing(request, [m for m in store.table("milestones").values() if m["projectId"] == project_id])

    def find(request: Request) -> dict | None:
        milestone = store.table("milestones").get(request.path_params["milestone_id"])
        return milestone if milestone and milestone.get("status") != "deleted" else None

    async def get_milestone(request: Request) -> Response:
        milestone = find(request)
        return json_response({"milestone": v3_milestone(milestone)}) if milestone else v3_not_found()

    async def create_milestone(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v1_error(404, "Project not found")
        milestone = {"id": 0, "projectId": project_id, "description": "", "completed": False, "status": "new"}
        milestone |= {"tasklistIds": [], "tagIds": [], "createdOn": now_text()}
        try:
            body = await v1_body(request, "milestone", MILESTONE_KEYS)
            for required in ("title", "deadline", "responsible-party-ids"):
                if body.get(required) in (None, ""):
                    raise Invalid(f"{required} is required")
            apply_milestone(store, milestone, body)
        except Invalid as exc:
            return exc.response
        milestone["id"] = store.new_id("milestones", 8900)
        store.put("milestones", milestone["id"], milestone)
        link_tasklists(store, milestone)
        return v1_ok(201, milestoneid=milestone["id"])

    async def update_milestone(request: Request) -> Response:
        milestone = find(request)
        if milestone is None:
            return v1_error(404, "Milestone not found")
        updated = copy.deepcopy(milestone)
        try:
            apply_milestone(store, updated, await v1_body(request, "milestone", MILESTONE_KEYS))
        except Invalid as exc:
            return exc.response
        milestone.update(updated, lastChangedOn=now_text())
        link_tasklists(store, milestone)
        return v1_ok()

    def set_completed(done: bool):
        async def handler(request: Request) -> Response:
            milestone = find(request)
            if milestone is None:
                return v1_error(404, "Milestone not found")
            milestone.update(completed=done, status="completed" if done else "reopened")
            milestone.update(completedOn=now_text() if done else None, completedBy=_demo.ME_ID if done else None)
            return v1_ok()

        return handler

    async def delete_milestone(request: Request) -> Response:
        milestone = find(request)
        if milestone is None:
            return v1_error(404, "Milestone not found")
        milestone["status"] = "deleted"
        return v1_ok()

    one = "/milestones/{milestone_id:int}"
    return [
        Route("/projects/api/v3/milestones.json", list_all, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/milestones.json", list_project, methods=["GET"]),
        Route("/projects/api/v3" + one + ".json", get_milestone, methods=["GET"]),
        Route("/projects/{project_id:int}/milestones.json", create_milestone, methods=["POST"]),
        Route(one + ".json", update_milestone, methods=["PUT"]),
        Route(one + ".json", delete_milestone, methods=["DELETE"]),
        Route(one + "/complete.json", set_completed(True), methods=["PUT"]),
        Route(one + "/uncomplete.json", set_completed(False), methods=["PUT"]),
    ]
