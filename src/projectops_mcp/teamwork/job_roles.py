"""Job roles (v3): what a person does (Designer, Developer), used in planning and to assign tasks to a role.

Wire (SDK jobrole.go, user_jobrole.go): `{"jobRole": {"name"}}` bodies; create 201 and update (PATCH) 200 with the
record, delete 204. People are assigned with `POST /jobroles/{id}/people.json` `{"users": [...], "isPrimary"}` (201,
the record back) and unassigned with a DELETE of the same path and body (204, so the role is read back).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import UserIds, check_people, fetch_record, fetch_v3_page, rel_ids
from projectops_mcp.teamwork.client import V3, TeamworkClient, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LIST = "teamwork_list_job_roles"
FROM_LIST = f"from {LIST}"


def not_holding(user_ids: list[int], what: str, fix_with: str) -> PrerequisiteError:
    """The refusal for taking away a role or skill from people who do not have it."""
    people = ", ".join(map(str, user_ids))
    return PrerequisiteError(f"user_ids: {people} do not hold {what}; nothing to take away.", fix_with=fix_with)


class JobRole(OutputModel):
    job_role_id: int
    name: str
    active: bool | None = None
    user_ids: list[int] | None = Field(None, description="People with this role.")
    primary_user_ids: list[int] | None = Field(None, description="People whose main role it is.")
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_job_role(record: dict[str, Any], include_raw: bool = False) -> JobRole:
    return JobRole(
        job_role_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        active=record.get("isActive"),
        user_ids=rel_ids(record.get("users")),
        primary_user_ids=rel_ids(record.get("primaryUsers")),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_job_role(tw: TeamworkClient, job_role_id: int, field: str = "job_role_id") -> dict[str, Any]:
    return await fetch_record(tw, "jobroles", job_role_id, "jobRole", field=field, what="job role", fix_with=LIST)


class ListJobRolesInput(PageInput):
    search: str | None = Field(None, min_length=1, description="Text in the name or a holder's name.")
    order_mode: Literal["asc", "desc"] | None = Field(None, description="By name.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_job_roles",
    title="List Job Roles",
    toolset="teamwork.roles",
    kind="read",
    description="List the site's job roles with the people holding each.",
)
async def list_job_roles(args: ListJobRolesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[JobRole]:
    params = {"searchTerm": args.search, "orderMode": args.order_mode}
    return await fetch_v3_page(tw, "/jobroles.json", "jobRoles", params, args, to_job_role)


class JobRoleIdInput(InputModel):
    job_role_id: int = Field(gt=0, description=FROM_LIST)


class GetJobRoleInput(JobRoleIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_job_role",
    title="Get Job Role",
    toolset="teamwork.roles",
    kind="read",
    lookup=LIST,
    description="Get one job role with the people holding it.",
)
async def get_job_role(args: GetJobRoleInput, tw: TeamworkClient, ctx: ToolContext) -> JobRole:
    record = await tw.one("GET", f"{V3}/jobroles/{args.job_role_id}.json", "jobRole")
    return to_job_role(record, args.include_raw)


class CreateJobRoleInput(InputModel):
    name: str = Field(min_length=1, max_length=255, description="Role name, e.g. Designer.")


@tool(
    name="teamwork_create_job_role",
    title="Create Job Role",
    toolset="teamwork.roles",
    kind="create",
    lookup=LIST,
    description="Create a job role; give it people with teamwork_assign_job_role.",
)
async def create_job_role(args: CreateJobRoleInput, tw: TeamworkClient, ctx: ToolContext) -> JobRole:
    body = {"jobRole": {"name": args.name}}
    return to_job_role(await tw.one("POST", f"{V3}/jobroles.json", "jobRole", body=body))


class UpdateJobRoleInput(JobRoleIdInput):
    name: str = Field(min_length=1, max_length=255, description="New name.")


@tool(
    name="teamwork_update_job_role",
    title="Rename Job Role",
    toolset="teamwork.roles",
    kind="update",
    lookup=LIST,
    description="Rename a job role; its holders keep it.",
)
async def update_job_role(args: UpdateJobRoleInput, tw: TeamworkClient, ctx: ToolContext) -> JobRole:
    body = {"jobRole": {"name": args.name}}
    return to_job_role(await tw.one("PATCH", f"{V3}/jobroles/{args.job_role_id}.json", "jobRole", body=body))


@tool(
    name="teamwork_delete_job_role",
    title="Delete Job Role",
    toolset="teamwork.roles",
    kind="delete",
    lookup=LIST,
    description="Delete a job role; its holders lose it.",
)
async def delete_job_role(args: JobRoleIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/jobroles/{args.job_role_id}.json")
    return Deleted(id=args.job_role_id)


class AssignJobRoleInput(JobRoleIdInput):
    user_ids: UserIds
    primary: bool = Field(False, description="Make it their main role.")


@tool(
    name="teamwork_assign_job_role",
    title="Assign Job Role",
    toolset="teamwork.roles",
    kind="put",
    lookup=LIST,
    description="Give people a job role (optionally as their main role).",
)
async def assign_job_role(args: AssignJobRoleInput, tw: TeamworkClient, ctx: ToolContext) -> JobRole:
    await fetch_job_role(tw, args.job_role_id)
    await check_people(tw, args.user_ids, "user_ids")
    body = {"users": args.user_ids, "isPrimary": args.primary}
    record = await tw.one("POST", f"{V3}/jobroles/{args.job_role_id}/people.json", "jobRole", body=body)
    return to_job_role(record)


class UnassignJobRoleInput(JobRoleIdInput):
    user_ids: UserIds


@tool(
    name="teamwork_unassign_job_role",
    title="Unassign Job Role",
    toolset="teamwork.roles",
    kind="delete",
    lookup=LIST,
    description="Take a job role away from people who hold it.",
)
async def unassign_job_role(args: UnassignJobRoleInput, tw: TeamworkClient, ctx: ToolContext) -> JobRole:
    holders = set(rel_ids((await fetch_job_role(tw, args.job_role_id)).get("users")))
    if missing := [u for u in args.user_ids if u not in holders]:
        raise not_holding(missing, f"job role {args.job_role_id}", "teamwork_get_job_role")
    body = {"users": args.user_ids, "isPrimary": False}
    await tw.request("DELETE", f"{V3}/jobroles/{args.job_role_id}/people.json", json_body=body)
    return to_job_role(await fetch_job_role(tw, args.job_role_id))
