"""Teams (v1): site, project and company team lists and single teams, rendered the v1 way (string ids, nested
company/parent objects, `"deletedDate": ""` for live teams) with X-Page headers on lists."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v1_error, v1_ok, v1_page, v1_str


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

    async def get_team(request: Request):
        team = store.table("teams").get(int(request.path_params["team_id"]))
        if team is None or team.get("deleted"):
            return v1_error(404, "Team not found")
        return v1_ok(team=v1_team(store, team))

    return [
        Route("/teams.json", list_teams, methods=["GET"]),
        Route("/projects/{project_id:int}/teams.json", list_project_teams, methods=["GET"]),
        Route("/companies/{company_id:int}/teams.json", list_company_teams, methods=["GET"]),
        Route("/teams/{team_id:int}.json", get_team, methods=["GET"]),
    ]
