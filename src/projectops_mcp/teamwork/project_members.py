"""Project members: the people who can see and be assigned work on a project (list them with teamwork_list_people
and `project_id`).

Adding follows the SDK (project_member.go): v3 `PUT /projects/api/v3/projects/{id}/people.json` `{"userIds": [...]}`,
200. The SDK has no removal; the documented v1 call is `PUT /projects/{id}/people.json`
`{"remove": {"userIdList": "1,2"}}` (200, `details.removed`/`failed` as strings). Neither answer names who is on the
project afterwards, so both read the members back and say who did not change.
"""

from __future__ import annotations

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.teamwork._common import UserIds, check_people
from projectops_mcp.teamwork.client import V3, TeamworkClient
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class ProjectPeople(OutputModel):
    project_id: int
    user_ids: list[int] = Field(description="The people changed, as read back.")


class ProjectPeopleInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    user_ids: UserIds


async def members_among(tw: TeamworkClient, project_id: int, user_ids: list[int]) -> set[int]:
    """Which of `user_ids` are on the project now (one v3 page filtered by `ids`)."""
    params = {"ids": ",".join(map(str, user_ids))}
    records, _, _, _ = await tw.v3_list(f"/projects/{project_id}/people.json", "people", params, page_size=500)
    return {r.get("id") for r in records} & set(user_ids)


@tool(
    name="teamwork_add_project_people",
    title="Add People to Project",
    toolset="teamwork.people",
    kind="put",
    lookup="teamwork_list_projects",
    description="Add people to a Teamwork project, with the site's default project permissions.",
)
async def add_project_people(args: ProjectPeopleInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectPeople:
    await fetch_project(tw, args.project_id)
    await check_people(tw, args.user_ids, "user_ids")
    await tw.put(f"{V3}/projects/{args.project_id}/people.json", {"userIds": args.user_ids})
    on = await members_among(tw, args.project_id, args.user_ids)
    if missing := [u for u in args.user_ids if u not in on]:
        raise UpstreamError(
            f"Teamwork accepted the request but {missing} are not on project {args.project_id}; check with "
            "teamwork_list_people and project_id.",
            backend="Teamwork",
        )
    return ProjectPeople(project_id=args.project_id, user_ids=args.user_ids)


@tool(
    name="teamwork_remove_project_people",
    title="Remove People from Project",
    toolset="teamwork.people",
    kind="delete",
    lookup="teamwork_list_projects",
    description="Take people off a Teamwork project; they stay on the site.",
)
async def remove_project_people(args: ProjectPeopleInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectPeople:
    await fetch_project(tw, args.project_id)
    on = await members_among(tw, args.project_id, args.user_ids)
    if missing := [u for u in args.user_ids if u not in on]:
        raise PrerequisiteError(
            f"user_ids: {', '.join(map(str, missing))} not on project {args.project_id}; nothing to remove.",
            fix_with="teamwork_list_people",
        )
    body = {"remove": {"userIdList": ",".join(map(str, args.user_ids))}}
    answer = await tw.put(f"/projects/{args.project_id}/people.json", body)
    if kept := sorted(await members_among(tw, args.project_id, args.user_ids)):
        details = answer.get("details") if isinstance(answer.get("details"), dict) else {}
        removed = [u for u in args.user_ids if u not in kept]
        raise UpstreamError(
            f"Teamwork did not take {kept} off project {args.project_id} (it reported {details.get('failed', '?')} "
            f"failed); removed: {removed or 'nobody'}.",
            backend="Teamwork",
        )
    return ProjectPeople(project_id=args.project_id, user_ids=args.user_ids)
