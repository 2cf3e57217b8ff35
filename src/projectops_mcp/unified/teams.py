"""Teams (Ticketing) and groups (User Directory): both are Teamwork teams (company, project and sub-teams).
Projectworks has no teams."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.teamwork import teams as tw_teams
from projectops_mcp.toolkit import ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    GetResult,
    ListResult,
    Mapping,
    Record,
    Stream,
    from_native,
    id_text,
    ids_text,
    mapping,
    shown,
    walk,
)
from projectops_mcp.unified._teamwork_only import TeamworkGetInput, TeamworkListInput


class Team(Record):
    name: str | None = None
    description: str | None = None
    user_ids: list[str] | None = Field(None, description="members, from unified_list_users")
    parent_id: str | None = Field(None, description="the parent team")
    organization_id: str | None = Field(None, description="from unified_list_organizations")
    collection_id: str | None = Field(None, description="set on a project's team")


class Group(Team):
    pass


def _team_fields() -> dict[str, Any]:
    return {
        "name": "name",
        "description": "description",
        "user_ids": ids_text("member_user_ids"),
        "parent_id": id_text("parent_team_id"),
        "organization_id": id_text("company_id"),
        "collection_id": id_text("project_id"),
    }


TEAMWORK_TEAM = mapping("teams", "teamwork", "teamwork_list_teams", Team, "team_id", **_team_fields())
TEAMWORK_GROUP = mapping("groups", "teamwork", "teamwork_list_teams", Group, "team_id", **_team_fields())


class ListTeamsInput(TeamworkListInput):
    organization_id: int | None = Field(None, gt=0, description="from unified_list_organizations")


class GetTeamInput(TeamworkGetInput):
    id: int = Field(gt=0, description="from unified_list_teams or unified_list_groups")


async def _list(args: ListTeamsInput, clients: Clients, ctx: ToolContext, convert: Mapping[Any]) -> ListResult[Any]:
    async def teamwork_page(page: int, size: int) -> Any:
        query = tw_teams.ListTeamsInput(page=page, page_size=size, company_id=args.organization_id, include_raw=True)
        return from_native(await tw_teams.list_teams.handler(query, clients.require("teamwork"), ctx), convert)

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)


async def _get(args: GetTeamInput, clients: Clients, ctx: ToolContext, convert: Mapping[Any]) -> GetResult[Any]:
    query = tw_teams.GetTeamInput(team_id=args.id, include_raw=True)
    team = await tw_teams.get_team.handler(query, clients.require("teamwork"), ctx)
    return GetResult(result=shown(convert.build(team, team.raw), args))


@tool(
    name="unified_list_teams",
    title="List Teams (unified)",
    toolset="unified.ticketing",
    kind="read",
    description="List Teamwork teams as unified teams.",
)
async def list_teams(args: ListTeamsInput, clients: Clients, ctx: ToolContext) -> ListResult[Team]:
    return await _list(args, clients, ctx, TEAMWORK_TEAM)


@tool(
    name="unified_get_team",
    title="Get Team (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_teams",
    description="Get one Teamwork team as a unified team.",
)
async def get_team(args: GetTeamInput, clients: Clients, ctx: ToolContext) -> GetResult[Team]:
    return await _get(args, clients, ctx, TEAMWORK_TEAM)


@tool(
    name="unified_list_groups",
    title="List Groups (unified)",
    toolset="unified.directory",
    kind="read",
    description="List Teamwork teams as directory groups of users.",
)
async def list_groups(args: ListTeamsInput, clients: Clients, ctx: ToolContext) -> ListResult[Group]:
    return await _list(args, clients, ctx, TEAMWORK_GROUP)


@tool(
    name="unified_get_group",
    title="Get Group (unified)",
    toolset="unified.directory",
    kind="read",
    lookup="unified_list_groups",
    description="Get one Teamwork team as a directory group.",
)
async def get_group(args: GetTeamInput, clients: Clients, ctx: ToolContext) -> GetResult[Group]:
    return await _get(args, clients, ctx, TEAMWORK_GROUP)
