"""Job roles (v3, SDK jobrole.go / user_jobrole.go): list/get/create (201)/update (PATCH 200)/delete (204) with
`{"jobRole": {"name"}}`, and people assigned (`POST .../people.json` → 201 with the role) or unassigned (DELETE with
the same `{"users", "isPrimary"}` body → 204). A person has at most one primary role."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import now_text, person_name, v3_error, v3_not_found, v3_page

R = "/projects/api/v3/jobroles"


# -- shared with skills.py: both are named sets of people ----------------------------------------------------------


def people_ids(store: Store, value: Any, key: str) -> tuple[list[int], str | None]:
    """A JSON array of existing people's ids, or the 400 detail Teamwork would give."""
    if not isinstance(value, list) or not all(isinstance(u, int) and not isinstance(u, bool) for u in value):
        return [], f"{key} must be an array of user ids"
    people = store.table("people")
    if missing := [u for u in value if u not in people or people[u].get("deleted")]:
        return [], f"{key}: user {missing[0]} does not exist"
    return list(dict.fromkeys(value)), None


def named_body(store: Store, body: Any, wrapper: str, allowed: set[str], required: bool) -> tuple[dict, str | None]:
    """The values of `{wrapper: {"name", ["userIds"]}}` (unknown keys refused), or the 400 detail."""
    inner = body.get(wrapper) if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        return {}, f"expected a '{wrapper}' object"
    if unknown := sorted(set(inner) - allowed):
        return {}, f"unknown field '{unknown[0]}'"
    values: dict[str, Any] = {}
    if "name" in inner or required:
        if not isinstance(inner.get("name"), str) or not inner["name"].strip():
            return {}, "name is required"
        values["name"] = inner["name"]
    if "userIds" in inner:
        values["userIds"], problem = people_ids(store, inner["userIds"], "userIds")
        if problem:
            return {}, problem
    return values, None


def search_named(store: Store, request: Request, rows: list[dict]) -> tuple[list[dict], str | None]:
    """`searchTerm` (in the name or a holder's name) and `orderMode` (by name), as the SDK's list filters."""
    q = request.query_params
    if q.get("orderMode", "asc") not in ("asc", "desc"):
        return [], "orderMode must be asc or desc"
    term = q.get("searchTerm", "").lower()
    if term:
        rows = [r for r in rows if term in " ".join([r["name"], *(" ".join(person_name(store, u))
                                                                     for u in r["userIds"])]).lower()]  # fmt: skip
    return sorted(rows, key=lambda r: r["name"].lower(), reverse=q.get("orderMode") == "desc"), None


def seed(store: Store) -> None:
    for role_id, name, holders, primary in (
        (301, "Developer", [369453], [369453]),
        (302, "Designer", [412001], []),
        (303, "Delivery Lead", [238860], [238860]),
    ):
        store.put("jobroles", role_id, {"id": role_id, "name": name, "userIds": holders, "primaryIds": primary,
                                        "createdAt": _demo.CREATED, "updatedAt": _demo.CREATED})  # fmt: skip


def v3_job_role(r: dict) -> dict:
    return {
        "id": r["id"],
        "name": r["name"],
        "isActive": True,
        "createdByUser": _demo.ME_ID,
        "createdAt": r["createdAt"],
        "updatedByUser": _demo.ME_ID,
        "updatedAt": r["updatedAt"],
        "deletedByUser": None,
        "deletedAt": None,
        "users": [{"id": u, "type": "users"} for u in r["userIds"]],
        "primaryUsers": [{"id": u, "type": "users"} for u in r["primaryIds"]],
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    roles = store.table("jobroles")

    def role_of(request: Request) -> dict | None:
        return roles.get(request.path_params["role_id"])

    async def list_roles(request: Request) -> Response:
        rows, problem = search_named(store, request, list(roles.values()))
        if problem:
            return v3_error(400, problem)
        return v3_page(request, "jobRoles", [v3_job_role(r) for r in rows])

    async def get_role(request: Request) -> Response:
        role = role_of(request)
        return json_response({"jobRole": v3_job_role(role)}) if role else v3_not_found()

    async def create_role(request: Request) -> Response:
        values, problem = named_body(store, await read_json(request), "jobRole", {"name"}, required=True)
        if problem:
            return v3_error(400, problem)
        role_id = store.new_id("jobroles", 310)
        role = store.put("jobroles", role_id, {"id": role_id, "name": values["name"], "userIds": [], "primaryIds": [],
                                               "createdAt": now_text(), "updatedAt": now_text()})  # fmt: skip
        return json_response({"jobRole": v3_job_role(role)}, status=201)

    async def update_role(request: Request) -> Response:
        role = role_of(request)
        if role is None:
            return v3_not_found()
        values, problem = named_body(store, await read_json(request), "jobRole", {"name"}, required=False)
        if problem:
            return v3_error(400, problem)
        role.update(values, updatedAt=now_text())
        return json_response({"jobRole": v3_job_role(role)})

    async def delete_role(request: Request) -> Response:
        return empty_response(204) if roles.pop(request.path_params["role_id"], None) else v3_not_found()

    async def people(request: Request) -> Response:
        role = role_of(request)
        if role is None:
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) - {"users", "isPrimary"}:
            return v3_error(400, "expected {users, isPrimary}")
        users, problem = people_ids(store, body.get("users"), "users")
        if problem or not users or not isinstance(body.get("isPrimary", False), bool):
            return v3_error(400, problem or "users must not be empty and isPrimary must be a boolean")
        primary = body.get("isPrimary", False)
        if request.method == "DELETE":
            role["userIds"] = [u for u in role["userIds"] if u not in users]
            role["primaryIds"] = [u for u in role["primaryIds"] if u not in users]
            return empty_response(204)
        role["userIds"] += [u for u in users if u not in role["userIds"]]
        if primary:
            for other in roles.values():  # one primary role per person
                other["primaryIds"] = [u for u in other["primaryIds"] if u not in users]
            role["primaryIds"] += users
        role["updatedAt"] = now_text()
        return json_response({"jobRole": v3_job_role(role)}, status=201)

    return [
        Route(f"{R}.json", list_roles, methods=["GET"]),
        Route(f"{R}.json", create_role, methods=["POST"]),
        Route(R + "/{role_id:int}.json", get_role, methods=["GET"]),
        Route(R + "/{role_id:int}.json", update_role, methods=["PATCH"]),
        Route(R + "/{role_id:int}.json", delete_role, methods=["DELETE"]),
        Route(R + "/{role_id:int}/people.json", people, methods=["POST", "DELETE"]),
    ]
