"""Milestones: dated goals of a project, owned by responsible people, with task lists attached. Read through v3,
written through v1 (`{"milestone": {...}}`), as Teamwork's SDK does.

Wire choices (reference §6.10, SDK): `title`, `deadline` as YYYYMMDD, `responsible-party-ids` as a comma string of
user ids, `tasklistIds`/`tagIds` as JSON int arrays. The create answer's id is `milestoneid` (spec) or
`milestoneId` (SDK): read case-insensitively, then the milestone is read back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import (
    Count,
    check_people,
    date_part,
    fetch_or_refuse,
    fetch_v3_page,
    rel_ids,
    v3_count,
)
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, to_v1_date, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tags import check_tags
from projectops_mcp.teamwork.tasklists import fetch_tasklist
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Milestone(OutputModel):
    milestone_id: int
    name: str
    description: str | None = None
    project_id: int | None = None
    deadline: str | None = None
    completed: bool | None = None
    status: str | None = Field(None, description="new, reopened, completed or deleted.")
    responsible_user_ids: list[int] | None = None
    tasklist_ids: list[int] | None = None
    tag_ids: list[int] | None = None
    completed_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_milestone(record: dict[str, Any], include_raw: bool = False) -> Milestone:
    parties = record.get("responsibleParties") or []
    users = [p for p in parties if not isinstance(p, dict) or p.get("type") in (None, "users")]
    return Milestone(
        milestone_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        description=record.get("description") or None,
        project_id=rel_id(record.get("project")) or v1_int(record.get("projectId")),
        deadline=date_part(record.get("deadline")),
        completed=record.get("completed"),
        status=record.get("status"),
        responsible_user_ids=rel_ids(users),
        tasklist_ids=rel_ids(record.get("tasklists")),
        tag_ids=rel_ids(record.get("tags")),
        completed_at=record.get("completedOn"),
        created_at=record.get("createdOn"),
        updated_at=record.get("lastChangedOn"),
        raw=record if include_raw else None,
    )


async def fetch_milestone(tw: TeamworkClient, milestone_id: int, field: str = "milestone_id") -> Milestone:
    record = await fetch_or_refuse(
        tw,
        f"{V3}/milestones/{milestone_id}.json",
        "milestone",
        what=f"{field}: milestone {milestone_id}",
        fix_with="teamwork_list_milestones",
    )
    return to_milestone(record or {"id": milestone_id})


class ListMilestonesInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="text in the name")
    tag_ids: list[int] | None = Field(None, description="from teamwork_list_tags")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_milestones",
    title="List Milestones",
    toolset="teamwork.milestones",
    kind="read",
    description="List Teamwork milestones.",
)
async def list_milestones(args: ListMilestonesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Milestone]:
    path = f"/projects/{args.project_id}/milestones.json" if args.project_id else "/milestones.json"
    params = {"searchTerm": args.search, "tagIds": args.tag_ids}
    return await fetch_v3_page(tw, path, "milestones", params, args, to_milestone)


class MilestoneIdInput(InputModel):
    milestone_id: int = Field(gt=0, description="from teamwork_list_milestones")


class GetMilestoneInput(MilestoneIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_milestone",
    title="Get Milestone",
    toolset="teamwork.milestones",
    kind="read",
    lookup="teamwork_list_milestones",
    description="Get one Teamwork milestone.",
)
async def get_milestone(args: GetMilestoneInput, tw: TeamworkClient, ctx: ToolContext) -> Milestone:
    return to_milestone(await tw.one("GET", f"{V3}/milestones/{args.milestone_id}.json", "milestone"), args.include_raw)


class MilestoneFields(InputModel):
    name: str | None = Field(None, min_length=1, max_length=255, description="Milestone name.")
    deadline: date | None = Field(None, description="Due date (YYYY-MM-DD).")
    responsible_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=50, description="People responsible for it; from teamwork_list_people"
    )
    description: str | None = Field(None, max_length=10_000, description="what must be true")
    tasklist_ids: list[int] | None = Field(
        None, max_length=100, description="Task lists of the same project to attach; from teamwork_list_tasklists"
    )
    tag_ids: list[int] | None = Field(
        None, max_length=100, description="Tags, replacing its tags; from teamwork_list_tags"
    )


class CreateMilestoneInput(MilestoneFields):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    name: str = Field(min_length=1, max_length=255, description="Milestone name.")
    deadline: date = Field(description="Due date (YYYY-MM-DD).")
    responsible_user_ids: list[int] = Field(
        min_length=1, max_length=50, description="People responsible for it; from teamwork_list_people"
    )


class UpdateMilestoneInput(MilestoneFields):
    milestone_id: int = Field(gt=0, description="from teamwork_list_milestones")


async def milestone_body(tw: TeamworkClient, args: MilestoneFields, project_id: int | None) -> dict[str, Any]:
    """The `milestone` object with only the given fields; people, task lists (same project) and tags checked first."""
    await check_people(tw, args.responsible_user_ids, "responsible_user_ids")
    for tasklist_id in args.tasklist_ids or []:
        tasklist = await fetch_tasklist(tw, tasklist_id, "tasklist_ids")
        if project_id and tasklist.project_id and tasklist.project_id != project_id:
            raise PrerequisiteError(
                f"tasklist_ids: task list {tasklist_id} is in project {tasklist.project_id}, not {project_id}.",
                fix_with="teamwork_list_tasklists",
            )
    await check_tags(tw, args.tag_ids)
    body: dict[str, Any] = {}
    if args.name is not None:
        body["title"] = args.name
    if args.description is not None:
        body["description"] = args.description
    if args.deadline is not None:
        body["deadline"] = to_v1_date(args.deadline)
    if args.responsible_user_ids is not None:
        body["responsible-party-ids"] = ",".join(str(u) for u in args.responsible_user_ids)
    if args.tasklist_ids is not None:
        body["tasklistIds"] = list(args.tasklist_ids)
    if args.tag_ids is not None:
        body["tagIds"] = list(args.tag_ids)
    return body


@tool(
    name="teamwork_create_milestone",
    title="Create Milestone",
    toolset="teamwork.milestones",
    kind="create",
    lookup="teamwork_list_milestones",
    description="Create a milestone in a Teamwork project.",
)
async def create_milestone(args: CreateMilestoneInput, tw: TeamworkClient, ctx: ToolContext) -> Milestone:
    await fetch_project(tw, args.project_id)
    body = await milestone_body(tw, args, args.project_id)
    data = await tw.post(f"/projects/{args.project_id}/milestones.json", {"milestone": body})
    milestone_id = v1_int(ikey(data, "milestoneId", "id"))
    if not milestone_id:
        raise UpstreamError(
            "Teamwork accepted the milestone but did not say its id; find it with teamwork_list_milestones.",
            backend="Teamwork",
        )
    return await fetch_milestone(tw, milestone_id)


@tool(
    name="teamwork_update_milestone",
    title="Update Milestone",
    toolset="teamwork.milestones",
    kind="put",
    lookup="teamwork_list_milestones",
    description="Change some fields of a Teamwork milestone.",
)
async def update_milestone(args: UpdateMilestoneInput, tw: TeamworkClient, ctx: ToolContext) -> Milestone:
    project_id = (await fetch_milestone(tw, args.milestone_id)).project_id if args.tasklist_ids else None
    body = await milestone_body(tw, args, project_id)
    if not body:
        raise InputError("milestone_id", "nothing to change; give at least one other field.")
    await tw.put(f"/milestones/{args.milestone_id}.json", {"milestone": body})
    return await fetch_milestone(tw, args.milestone_id)


@tool(
    name="teamwork_complete_milestone",
    title="Complete Milestone",
    toolset="teamwork.milestones",
    kind="action",
    lookup="teamwork_list_milestones",
    description="Mark a Teamwork milestone as completed.",
)
async def complete_milestone(args: MilestoneIdInput, tw: TeamworkClient, ctx: ToolContext) -> Milestone:
    await tw.put(f"/milestones/{args.milestone_id}/complete.json")
    return await fetch_milestone(tw, args.milestone_id)


@tool(
    name="teamwork_reopen_milestone",
    title="Reopen Milestone",
    toolset="teamwork.milestones",
    kind="action",
    lookup="teamwork_list_milestones",
    description="Mark a completed milestone as not completed (v1 uncomplete).",
)
async def reopen_milestone(args: MilestoneIdInput, tw: TeamworkClient, ctx: ToolContext) -> Milestone:
    await tw.put(f"/milestones/{args.milestone_id}/uncomplete.json")
    return await fetch_milestone(tw, args.milestone_id)


@tool(
    name="teamwork_delete_milestone",
    title="Delete Milestone",
    toolset="teamwork.milestones",
    kind="delete",
    lookup="teamwork_list_milestones",
    description="Delete a milestone; its task lists stay.",
)
async def delete_milestone(args: MilestoneIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/milestones/{args.milestone_id}.json")
    return Deleted(id=args.milestone_id)


class CountMilestonesInput(InputModel):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="text in the name")


@tool(
    name="teamwork_count_milestones",
    title="Count Milestones",
    toolset="teamwork.milestones",
    kind="read",
    description="Count milestones, site-wide or of one project.",
)
async def count_milestones(args: CountMilestonesInput, tw: TeamworkClient, ctx: ToolContext) -> Count:
    path = f"/projects/{args.project_id}/milestones.json" if args.project_id else "/milestones.json"
    return Count(count=await v3_count(tw, path, {"searchTerm": args.search}))
