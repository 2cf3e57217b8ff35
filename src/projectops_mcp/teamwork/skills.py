"""Skills (v3): what a person is good at (React, Figma), for matching people to work in planning.

Wire (SDK skill.go): `{"skill": {"name", "userIds"}}` bodies; create 201 and update (PATCH) 200 with the record,
delete 204. The SDK has no people endpoint for skills: the holders are the `userIds` a create or update sends, so
giving or taking away a skill reads the holders, sends the new full list, and checks the answer holds exactly it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import UserIds, check_people, fetch_record, fetch_v3_page, rel_ids
from projectops_mcp.teamwork.client import V3, TeamworkClient, v1_int
from projectops_mcp.teamwork.job_roles import not_holding
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LIST = "teamwork_list_skills"
FROM_LIST = f"from {LIST}"


class Skill(OutputModel):
    skill_id: int
    name: str
    user_ids: list[int] | None = Field(None, description="People with this skill.")
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_skill(record: dict[str, Any], include_raw: bool = False) -> Skill:
    return Skill(
        skill_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        user_ids=rel_ids(record.get("users")),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_skill(tw: TeamworkClient, skill_id: int, field: str = "skill_id") -> dict[str, Any]:
    return await fetch_record(tw, "skills", skill_id, "skill", field=field, what="skill", fix_with=LIST)


class ListSkillsInput(PageInput):
    search: str | None = Field(None, min_length=1, description="Text in the name or a holder's name.")
    order_mode: Literal["asc", "desc"] | None = Field(None, description="By name.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_skills",
    title="List Skills",
    toolset="teamwork.roles",
    kind="read",
    description="List the site's skills with the people who have each.",
)
async def list_skills(args: ListSkillsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Skill]:
    params = {"searchTerm": args.search, "orderMode": args.order_mode}
    return await fetch_v3_page(tw, "/skills.json", "skills", params, args, to_skill)


class SkillIdInput(InputModel):
    skill_id: int = Field(gt=0, description=FROM_LIST)


class GetSkillInput(SkillIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_skill",
    title="Get Skill",
    toolset="teamwork.roles",
    kind="read",
    lookup=LIST,
    description="Get one skill with the people who have it.",
)
async def get_skill(args: GetSkillInput, tw: TeamworkClient, ctx: ToolContext) -> Skill:
    return to_skill(await tw.one("GET", f"{V3}/skills/{args.skill_id}.json", "skill"), args.include_raw)


class CreateSkillInput(InputModel):
    name: str = Field(min_length=1, max_length=255, description="Skill name, e.g. React.")
    user_ids: UserIds | None = None


@tool(
    name="teamwork_create_skill",
    title="Create Skill",
    toolset="teamwork.roles",
    kind="create",
    lookup=LIST,
    description="Create a skill, optionally with the people who have it.",
)
async def create_skill(args: CreateSkillInput, tw: TeamworkClient, ctx: ToolContext) -> Skill:
    await check_people(tw, args.user_ids, "user_ids")
    body = {"skill": {"name": args.name, "userIds": args.user_ids or []}}
    return to_skill(await tw.one("POST", f"{V3}/skills.json", "skill", body=body))


class UpdateSkillInput(SkillIdInput):
    name: str = Field(min_length=1, max_length=255, description="New name.")


@tool(
    name="teamwork_update_skill",
    title="Rename Skill",
    toolset="teamwork.roles",
    kind="update",
    lookup=LIST,
    description="Rename a skill; the people who have it keep it.",
)
async def update_skill(args: UpdateSkillInput, tw: TeamworkClient, ctx: ToolContext) -> Skill:
    body = {"skill": {"name": args.name}}
    return to_skill(await tw.one("PATCH", f"{V3}/skills/{args.skill_id}.json", "skill", body=body))


@tool(
    name="teamwork_delete_skill",
    title="Delete Skill",
    toolset="teamwork.roles",
    kind="delete",
    lookup=LIST,
    description="Delete a skill; the people who had it lose it.",
)
async def delete_skill(args: SkillIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/skills/{args.skill_id}.json")
    return Deleted(id=args.skill_id)


class SkillPeopleInput(SkillIdInput):
    user_ids: UserIds


async def _set_holders(tw: TeamworkClient, skill_id: int, holders: list[int]) -> Skill:
    """Send the full holder list and check Teamwork kept exactly it (a skill has no add/remove endpoint)."""
    body = {"skill": {"userIds": holders}}
    skill = to_skill(await tw.one("PATCH", f"{V3}/skills/{skill_id}.json", "skill", body=body))
    if sorted(skill.user_ids or []) != sorted(holders):
        raise UpstreamError(
            f"Teamwork accepted the change to skill {skill_id} but its holders are now {skill.user_ids}, not "
            f"{holders}; check them with teamwork_get_skill.",
            backend="Teamwork",
        )
    return skill


@tool(
    name="teamwork_assign_skill",
    title="Assign Skill",
    toolset="teamwork.roles",
    kind="put",
    lookup=LIST,
    description="Give people a skill; those who have it already keep it.",
)
async def assign_skill(args: SkillPeopleInput, tw: TeamworkClient, ctx: ToolContext) -> Skill:
    holders = rel_ids((await fetch_skill(tw, args.skill_id)).get("users"))
    await check_people(tw, [u for u in args.user_ids if u not in holders], "user_ids")
    return await _set_holders(tw, args.skill_id, holders + [u for u in args.user_ids if u not in holders])


@tool(
    name="teamwork_unassign_skill",
    title="Unassign Skill",
    toolset="teamwork.roles",
    kind="delete",
    lookup=LIST,
    description="Take a skill away from people who have it.",
)
async def unassign_skill(args: SkillPeopleInput, tw: TeamworkClient, ctx: ToolContext) -> Skill:
    holders = rel_ids((await fetch_skill(tw, args.skill_id)).get("users"))
    if missing := [u for u in args.user_ids if u not in holders]:
        raise not_holding(missing, f"skill {args.skill_id}", "teamwork_get_skill")
    return await _set_holders(tw, args.skill_id, [u for u in holders if u not in args.user_ids])
