"""Project members: v3 `PUT /projects/api/v3/projects/{id}/people.json` `{"userIds": [...]}` adds people (200, as the
SDK expects); v1 `PUT /projects/{id}/people.json` `{"add"|"remove": {"userIdList": "1,2"}}` adds or removes them
(200 with `details` counts as strings). The project owner cannot be taken off (counted as failed). Who is on a
project is people.project_members."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, json_response, read_json
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_ids,
    live_project,
    require_people,
    v1_error,
    v1_ok,
    v3_error,
    v3_not_found,
)
from projectops_mcp.sandbox.teamwork.job_roles import people_ids
from projectops_mcp.sandbox.teamwork.people import project_members


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def add(project: dict, user_ids: list[int]) -> int:
        before = project_members(store, project["id"]) or set()
        project["memberIds"] = sorted(set(project.get("memberIds") or []) | set(user_ids))
        project["removedMemberIds"] = [u for u in project.get("removedMemberIds") or [] if u not in user_ids]
        return len(set(user_ids) - before)

    async def add_v3(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) != {"userIds"}:
            return v3_error(400, "expected {userIds}")
        user_ids, problem = people_ids(store, body["userIds"], "userIds")
        if problem or not user_ids:
            return v3_error(400, problem or "userIds must not be empty")
        add(project, user_ids)
        return json_response({})

    async def change_v1(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not body or set(body) - {"add", "remove"}:
            return v1_error(422, "Could not read the submitted JSON: expected 'add' and/or 'remove'")
        try:
            lists = {}
            for part in body:
                if not isinstance(body[part], dict) or set(body[part]) != {"userIdList"}:
                    raise Invalid(f"{part} must be {{userIdList}}")
                if not isinstance(body[part]["userIdList"], str):
                    raise Invalid("userIdList must be a comma-separated string of ids")
                lists[part] = as_ids(body[part]["userIdList"], "userIdList")
                require_people(store, lists[part], "userIdList")
        except Invalid as exc:
            return exc.response
        added = add(project, lists.get("add", []))
        removed = failed = 0
        for user_id in lists.get("remove", []):
            if user_id == project.get("ownerId"):
                failed += 1
            elif user_id in (project_members(store, project["id"]) or set()):
                project["memberIds"] = [u for u in project.get("memberIds") or [] if u != user_id]
                project.setdefault("removedMemberIds", []).append(user_id)
                removed += 1
        return v1_ok(details={"added": str(added), "failed": str(failed), "removed": str(removed)})

    return [
        Route("/projects/api/v3/projects/{project_id:int}/people.json", add_v3, methods=["PUT"]),
        Route("/projects/{project_id:int}/people.json", change_v1, methods=["PUT"]),
    ]
