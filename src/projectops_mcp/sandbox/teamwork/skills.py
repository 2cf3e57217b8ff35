"""Skills (v3, SDK skill.go): list/get/create (201)/update (PATCH 200)/delete (204) with `{"skill": {"name",
"userIds"}}`. There is no people endpoint: `userIds` on create or update is the full list of holders."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import now_text, v3_error, v3_not_found, v3_page
from projectops_mcp.sandbox.teamwork.job_roles import named_body, search_named

S = "/projects/api/v3/skills"
FIELDS = {"name", "userIds"}


def seed(store: Store) -> None:
    for skill_id, name, holders in (
        (401, "React", [369453]),
        (402, "Figma", [412001, 369453]),
        (403, "Accessibility", []),
    ):
        store.put("skills", skill_id, {"id": skill_id, "name": name, "userIds": holders,
                                       "createdAt": _demo.CREATED, "updatedAt": _demo.CREATED})  # fmt: skip


def v3_skill(s: dict) -> dict:
    return {
        "id": s["id"],
        "name": s["name"],
        "createdByUser": _demo.ME_ID,
        "createdAt": s["createdAt"],
        "updatedByUser": _demo.ME_ID,
        "updatedAt": s["updatedAt"],
        "deletedByUser": None,
        "deletedAt": None,
        "users": [{"id": u, "type": "users"} for u in s["userIds"]],
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    skills = store.table("skills")

    async def list_skills(request: Request) -> Response:
        rows, problem = search_named(store, request, list(skills.values()))
        if problem:
            return v3_error(400, problem)
        return v3_page(request, "skills", [v3_skill(s) for s in rows])

    async def get_skill(request: Request) -> Response:
        skill = skills.get(request.path_params["skill_id"])
        return json_response({"skill": v3_skill(skill)}) if skill else v3_not_found()

    async def create_skill(request: Request) -> Response:
        values, problem = named_body(store, await read_json(request), "skill", FIELDS, required=True)
        if problem:
            return v3_error(400, problem)
        skill_id = store.new_id("skills", 410)
        skill = store.put("skills", skill_id, {"id": skill_id, "userIds": [], "createdAt": now_text(),
                                               "updatedAt": now_text(), **values})  # fmt: skip
        return json_response({"skill": v3_skill(skill)}, status=201)

    async def update_skill(request: Request) -> Response:
        skill = skills.get(request.path_params["skill_id"])
        if skill is None:
            return v3_not_found()
        values, problem = named_body(store, await read_json(request), "skill", FIELDS, required=False)
        if problem:
            return v3_error(400, problem)
        skill.update(values, updatedAt=now_text())
        return json_response({"skill": v3_skill(skill)})

    async def delete_skill(request: Request) -> Response:
        return empty_response(204) if skills.pop(request.path_params["skill_id"], None) else v3_not_found()

    return [
        Route(f"{S}.json", list_skills, methods=["GET"]),
        Route(f"{S}.json", create_skill, methods=["POST"]),
        Route(S + "/{skill_id:int}.json", get_skill, methods=["GET"]),
        Route(S + "/{skill_id:int}.json", update_skill, methods=["PATCH"]),
        Route(S + "/{skill_id:int}.json", delete_skill, methods=["DELETE"]),
    ]
