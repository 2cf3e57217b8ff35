"""Teams: named groups of people (for assigning and mentioning), read and written through v1 `/teams.json`.

v1 team records carry string ids and `"deletedDate": ""` for live teams; both are normalised here. Lists send the
SDK's `includeCompanyTeams`, `includeProjectTeams` and `includeSubteams` (Teamwork leaves those teams out unless
asked), all true by default so "every team" means every team.

Writes follow the SDK (team.go): a `{"team": {...}}` body with camelCase keys and `userIds` as a comma string;
create answers 200 (not 201) with only `{"id": "..."}`, update and delete 200, so every write reads the team back.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.teamwork._common import UserIds, check_people
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_bool, v1_int
from projectops_mcp.teamwork.companies import fetch_company
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

FROM_LIST = "from teamwork_list_teams"


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
    toolset="teamwork.teams",
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
    team_id: int = Field(gt=0, description=FROM_LIST)
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_team",
    title="Get Team",
    toolset="teamwork.teams",
    kind="read",
    lookup="teamwork_list_teams",
    description="Get one Teamwork team with its members.",
)
async def get_team(args: GetTeamInput, tw: TeamworkClient, ctx: ToolContext) -> Team:
    return to_team(await tw.one("GET", f"/teams/{args.team_id}.json", "team"), args.include_raw)


async def fetch_team(tw: TeamworkClient, team_id: int, field: str = "team_id") -> dict[str, Any]:
    """A live team a write depends on; a 404 (or a deleted team) is a refusal naming the argument."""
    try:
        record = await tw.one("GET", f"/teams/{team_id}.json", "team")
    except UpstreamError as exc:
        if exc.status != 404:
            raise
        record = {"deleted": True}
    if v1_bool(record.get("deleted")):
        raise PrerequisiteError(
            f"{field}: team {team_id} does not exist on this Teamwork site.", fix_with="teamwork_list_teams"
        )
    return record


# Our argument -> the key in Teamwork's "team" body.
TEAM_KEYS = {
    "name": "name",
    "handle": "handle",
    "description": "description",
    "parent_team_id": "parentTeamId",
    "company_id": "companyId",
    "project_id": "projectId",
    "user_ids": "userIds",
}


class TeamFields(InputModel):
    handle: str | None = Field(None, max_length=100, pattern=r"^[^\s@]+$", description="For @mentions, no spaces.")
    description: str | None = Field(None, max_length=1000, description="What the team does.")
    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    project_id: int | None = Field(None, gt=0, description="Makes a project team; from teamwork_list_projects")
    user_ids: UserIds | None = None


def team_body(args: TeamFields) -> dict[str, Any]:
    """The `team` object: only the given fields; `userIds` as the comma string the SDK sends."""
    body: dict[str, Any] = {}
    for name, key in TEAM_KEYS.items():
        value = getattr(args, name, None)
        if value is not None:
            body[key] = ",".join(map(str, value)) if name == "user_ids" else value
    return body


async def check_team_refs(tw: TeamworkClient, args: TeamFields, parent_team_id: int | None = None) -> None:
    """Everything the team points at must exist; refused before anything is written."""
    if parent_team_id:
        await fetch_team(tw, parent_team_id, "parent_team_id")
    if args.company_id:
        await fetch_company(tw, args.company_id)
    if args.project_id:
        await fetch_project(tw, args.project_id)
    await check_people(tw, args.user_ids, "user_ids")


class CreateTeamInput(TeamFields):
    name: str = Field(min_length=1, max_length=255, description="Team name.")
    parent_team_id: int | None = Field(None, gt=0, description="Makes a subteam; from teamwork_list_teams")


@tool(
    name="teamwork_create_team",
    title="Create Team",
    toolset="teamwork.teams",
    kind="create",
    lookup="teamwork_list_teams",
    description="Create a Teamwork team (site, company, project or sub- team) with its members.",
)
async def create_team(args: CreateTeamInput, tw: TeamworkClient, ctx: ToolContext) -> Team:
    await check_team_refs(tw, args, args.parent_team_id)
    answer = await tw.post("/teams.json", {"team": team_body(args)})
    team_id = v1_int(ikey(answer, "id")) if isinstance(answer, dict) else None
    if not team_id:
        raise UpstreamError(
            "Teamwork accepted the team but returned no id; find it with teamwork_list_teams.", backend="Teamwork"
        )
    return to_team(await fetch_team(tw, team_id))


class UpdateTeamInput(TeamFields):
    team_id: int = Field(gt=0, description=FROM_LIST)
    name: str | None = Field(None, min_length=1, max_length=255, description="New name.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateTeamInput:
        if not team_body(self):
            raise ValueError("give at least one field to change besides team_id")
        return self


@tool(
    name="teamwork_update_team",
    title="Update Team",
    toolset="teamwork.teams",
    kind="update",
    lookup="teamwork_list_teams",
    description="Change a Teamwork team's name, handle, description, owner or members (user_ids replaces them).",
)
async def update_team(args: UpdateTeamInput, tw: TeamworkClient, ctx: ToolContext) -> Team:
    await fetch_team(tw, args.team_id)
    await check_team_refs(tw, args)
    await tw.put(f"/teams/{args.team_id}.json", {"team": team_body(args)})
    return to_team(await fetch_team(tw, args.team_id))


class DeleteTeamInput(InputModel):
    team_id: int = Field(gt=0, description=FROM_LIST)


@tool(
    name="teamwork_delete_team",
    title="Delete Team",
    toolset="teamwork.teams",
    kind="delete",
    lookup="teamwork_list_teams",
    description="Delete a Teamwork team; its members stay on the site.",
)
async def delete_team(args: DeleteTeamInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await fetch_team(tw, args.team_id)
    await tw.delete(f"/teams/{args.team_id}.json")
    return Deleted(id=args.team_id)
