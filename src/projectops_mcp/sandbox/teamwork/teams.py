"""Teams (v1): site, project and company team lists and single teams, rendered the v1 way (string ids, nested
company/parent objects, `"deletedDate": ""` for live teams) with X-Page headers on lists; create (200 `{"id"}`, as
the SDK expects), update and delete (200) with the SDK's `{"team": {...}}` body, `userIds` a comma string."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_ids,
    as_int,
    exists,
    now_text,
    require_people,
    v1_body,
    v1_error,
    v1_ok,
    v1_page,
    v1_str,
)

TEAM_KEYS = frozenset({"name", "handle", "description", "parentTeamId", "companyId", "projectId", "userIds"})


def seed(store: Store) -> None:
    for team in _demo.TEAMS:
        store.put("teams", team["id"], copy.deepcopy(team))


def v1_team(store: Store, t: dict) -> dict:
    company = store.table("companies").get(t.get("companyId") or 0, {})
    parent = store.table("teams").get(t.get("parentTeamId") or 0)
    brief = {"id": v1_str(parent["id"]), "name": parent["name"], "handle": parent["handle"]} if parent else None
    return {
        "id": v1_str(t["id"]),
        "name": t["name"],
        "handle": t.get("handle", ""),
        "description": t.get("description", ""),
        "logoUrl": "",
        "logoIcon": "",
        "logoColor": "",
        "projectId": v1_str(t.get("projectId") or 0),
        "company": {"id": v1_str(company.get("id", 0)), "name": company.get("name", "")},
        "parentTeam": brief,
        "rootTeam": brief,
        "members": [{"id": v1_str(m), "type": "users"} for m in t.get("memberIds", [])],
        "createdByUserId": v1_str(t.get("createdBy", _demo.ME_ID)),
        "dateCreated": t.get("createdAt", _demo.CREATED),
        "updatedByUserId": v1_str(t.get("createdBy", _demo.ME_ID)),
        "dateUpdated": t.get("updatedAt", _demo.CREATED),
        "deleted": bool(t.get("deleted")),
        "deletedDate": t.get("deletedAt") or "",
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, teams: list[dict]):
        """Client-company, project and sub- teams only when asked, as the SDK's include flags say."""
        q = request.query_params
        teams = [t for t in teams if not t.get("deleted")]
        if not truthy(q.get("includeCompanyTeams")):
            teams = [t for t in teams if t.get("companyId") in (None, 0, _demo.OWNER_COMPANY_ID)]
        if not truthy(q.get("includeProjectTeams")):
            teams = [t for t in teams if not t.get("projectId")]
        if not truthy(q.get("includeSubteams")):
            teams = [t for t in teams if not t.get("parentTeamId")]
        term = request.query_params.get("searchTerm", "").lower()
        if term:
            teams = [t for t in teams if term in t["name"].lower() or term in t.get("handle", "").lower()]
        return v1_page(request, "teams", [v1_team(store, t) for t in sorted(teams, key=lambda t: t["name"])])

    async def list_teams(request: Request):
        return listing(request, list(store.table("teams").values()))

    async def list_project_teams(request: Request):
        project_id = int(request.path_params["project_id"])
        if project_id not in store.table("projects"):
            return v1_error(404, "Project not found")
        return listing(request, [t for t in store.table("teams").values() if t.get("projectId") == project_id])

    async def list_company_teams(request: Request):
        company_id = int(request.path_params["company_id"])
        if company_id not in store.table("companies"):
            return v1_error(404, "Company not found")
        return listing(request, [t for t in store.table("teams").values() if t.get("companyId") == company_id])

    def live(team_id: int) -> dict | None:
        team = store.table("teams").get(team_id)
        return None if team is None or team.get("deleted") else team

    async def get_team(request: Request):
        team = live(int(request.path_params["team_id"]))
        if team is None:
            return v1_error(404, "Team not found")
        return v1_ok(team=v1_team(store, team))

    def apply(team: dict, body: dict) -> None:
        """Check the `team` object and write it into `team`; raises Invalid as Teamwork would answer."""
        if "name" in body:
            if not isinstance(body["name"], str) or not body["name"].strip():
                raise Invalid("name cannot be empty")
            team["name"] = body["name"]
        for key in ("handle", "description"):
            if key in body:
                if not isinstance(body[key], str):
                    raise Invalid(f"{key} must be a string")
                team[key] = body[key]
        handle = team.get("handle")
        if handle and any(t.get("handle") == handle and t["id"] != team.get("id") and not t.get("deleted")
                          for t in store.table("teams").values()):  # fmt: skip
            raise Invalid(f"handle '{handle}' is already used by another team")
        if "parentTeamId" in body:
            parent = as_int(body["parentTeamId"], "parentTeamId")
            if parent is not None and (live(parent) is None or parent == team.get("id")):
                raise Invalid(f"parentTeamId: team {parent} does not exist")
            team["parentTeamId"] = parent
        for key, table in (("companyId", "companies"), ("projectId", "projects")):
            if key in body:
                value = as_int(body[key], key)
                if value is not None and not exists(store, table, value):
                    raise Invalid(f"{key}: {value} does not exist")
                team[key] = value
        if "userIds" in body:
            if not isinstance(body["userIds"], str):
                raise Invalid("userIds must be a comma-separated string of ids")
            members = as_ids(body["userIds"], "userIds")
            require_people(store, members, "userIds")
            team["memberIds"] = members

    async def create_team(request: Request):
        try:
            body = await v1_body(request, "team", TEAM_KEYS)
            if "name" not in body:
                raise Invalid("name is required")
            team = {"handle": "", "description": "", "companyId": _demo.OWNER_COMPANY_ID, "memberIds": []}
            apply(team, body)
        except Invalid as exc:
            return exc.response
        team.update(id=store.new_id("teams", 200), createdAt=now_text())
        team["updatedAt"] = team["createdAt"]
        store.put("teams", team["id"], team)
        return v1_ok(200, id=v1_str(team["id"]))

    async def update_team(request: Request):
        team = live(int(request.path_params["team_id"]))
        if team is None:
            return v1_error(404, "Team not found")
        updated = copy.deepcopy(team)
        try:
            apply(updated, await v1_body(request, "team", TEAM_KEYS - {"parentTeamId"}))
        except Invalid as exc:
            return exc.response
        team.update(updated, updatedAt=now_text())
        return v1_ok()

    async def delete_team(request: Request):
        team = live(int(request.path_params["team_id"]))
        if team is None:
            return v1_error(404, "Team not found")
        team.update(deleted=True, deletedAt=now_text())
        return v1_ok()

    return [
        Route("/teams.json", list_teams, methods=["GET"]),
        Route("/projects/{project_id:int}/teams.json", list_project_teams, methods=["GET"]),
        Route("/companies/{company_id:int}/teams.json", list_company_teams, methods=["GET"]),
        Route("/teams.json", create_team, methods=["POST"]),
        Route("/teams/{team_id:int}.json", get_team, methods=["GET"]),
        Route("/teams/{team_id:int}.json", update_team, methods=["PUT"]),
        Route("/teams/{team_id:int}.json", delete_team, methods=["DELETE"]),
    ]
