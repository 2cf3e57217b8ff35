"""Teams: named groups of people (for assigning and mentioning), read through v1 `/teams.json`.

v1 team records carry string ids and `"deletedDate": ""` for live teams; both are normalised here. Lists send the
SDK's `includeCompanyTeams`, `includeProjectTeams` and `includeSubteams` (Teamwork leaves those teams out unless
asked), all true by default so "every team" means every team.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.teamwork.client import TeamworkClient, v1_bool, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Team(OutputModel):
    team_id: int
    name: str
    handle: str | None = Field(None, description="Used to @mention the team.")
    description: str | None = None
    company_id: int | None = None
    project_id: int | None = Field(None, description="Set for project teams.")
    parent_team_id: int | None = None
    member_user_ids: list[int] | None = None
    deleted: bool | None = None
    deleted_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def _ref_id(value: Any) -> int | None:
    """The id of a v1 nested object ({"id": "12", "name": ...}); 0 and '' mean none."""
    return (v1_int(value.get("id")) or None) if isinstance(value, dict) else None


def to_team(record: dict[str, Any], include_raw: bool = False) -> Team:
    members = [_ref_id(m) for m in record.get("members") or []]
    return Team(
        team_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        handle=record.get("handle") or None,
        description=record.get("description") or None,
        company_id=_ref_id(record.get("company")),
        project_id=v1_int(record.get("projectId")) or None,
        parent_team_id=_ref_id(record.get("parentTeam")),
        member_user_ids=[m for m in members if m is not None],
        deleted=v1_bool(record.get("deleted")),
        deleted_at=record.get("deletedDate") or None,  # live teams send ""
        created_at=record.get("dateCreated") or None,
        updated_at=record.get("dateUpdated") or None,
        raw=record if include_raw else None,
    )


class ListTeamsInput(PageInput):
    search: str | None = Field(None, min_length=1, description="Text to find in team names.")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    include_company_teams: bool = Field(True, description="Include client companies' teams.")
    include_project_teams: bool = Field(True, description="Include project teams.")
    include_subteams: bool = Field(True, description="Include subteams.")
    include_raw: IncludeRaw = False

    @model_validator(mode="after")
    def _one_scope(self) -> ListTeamsInput:
        if self.project_id and self.company_id:
            raise ValueError("give project_id or company_id, not both")
        return self


@tool(
    name="teamwork_list_teams",
    title="List Teams",
    toolset="teamwork.people",
    kind="read",
    description="List Teamwork teams (groups of people) with their members.",
)
async def list_teams(args: ListTeamsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Team]:
    if args.project_id:
        path = f"/projects/{args.project_id}/teams.json"
    elif args.company_id:
        path = f"/companies/{args.company_id}/teams.json"
    else:
        path = "/teams.json"
    params = {
        "searchTerm": args.search,
        "includeCompanyTeams": True if args.include_company_teams else None,
        "includeProjectTeams": True if args.include_project_teams else None,
        "includeSubteams": True if args.include_subteams else None,
    }
    records, has_more, total = await tw.v1_list(path, "teams", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_team, args, has_more, total)


class GetTeamInput(InputModel):
    team_id: int = Field(gt=0, description="from teamwork_list_teams")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_team",
    title="Get Team",
    toolset="teamwork.people",
    kind="read",
    lookup="teamwork_list_teams",
    description="Get one Teamwork team with its members.",
)
async def get_team(args: GetTeamInput, tw: TeamworkClient, ctx: ToolContext) -> Team:
    return to_team(await tw.one("GET", f"/teams/{args.team_id}.json", "team"), args.include_raw)
