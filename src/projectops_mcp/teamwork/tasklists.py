"""Task lists: the groups of tasks inside a project. Read through v3, written through v1 (`{"todo-list": {...}}`).

Wire choices: the milestone key is sent as `milestone-id` (the documented spelling; the SDK's `milestone-Id` reaches
the same case-insensitive field). v1 answers a create with `TASKLISTID` (spec) or `tasklistId` (SDK, MCP mocks):
it is read case-insensitively, then the new list is read back so the agent gets a record.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, without_none
from projectops_mcp.teamwork._common import fetch_or_refuse, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Tasklist(OutputModel):
    tasklist_id: int
    name: str
    description: str | None = None
    project_id: int | None = None
    milestone_id: int | None = None
    status: str | None = Field(None, description="new, reopened or completed.")
    is_private: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_tasklist(record: dict[str, Any], include_raw: bool = False) -> Tasklist:
    private = record.get("isPrivate", record.get("private"))
    return Tasklist(
        tasklist_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        description=record.get("description") or None,
        project_id=rel_id(record.get("project")) or v1_int(record.get("projectId")),
        milestone_id=rel_id(record.get("milestone")) or v1_int(record.get("milestoneId")) or None,
        status=record.get("status"),
        is_private=bool(private) if private is not None else None,
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_tasklist(tw: TeamworkClient, tasklist_id: int, field: str = "tasklist_id") -> Tasklist:
    record = await fetch_or_refuse(
        tw,
        f"{V3}/tasklists/{tasklist_id}.json",
        "tasklist",
        what=f"{field}: task list {tasklist_id}",
        fix_with="teamwork_list_tasklists",
    )
    return to_tasklist(record or {"id": tasklist_id})


async def check_milestone_in_project(tw: TeamworkClient, milestone_id: int, project_id: int | None) -> None:
    """A task list can only hang off a milestone of its own project."""
    record = await fetch_or_refuse(
        tw,
        f"{V3}/milestones/{milestone_id}.json",
        "milestone",
        what=f"milestone_id: milestone {milestone_id}",
        fix_with="teamwork_list_milestones",
    )
    owner = rel_id(record.get("project")) or v1_int(record.get("projectId"))
    if project_id and owner and owner != project_id:
        raise PrerequisiteError(
            f"milestone_id: milestone {milestone_id} belongs to project {owner}, not project {project_id}.",
            fix_with="teamwork_list_milestones",
        )


class ListTasklistsInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="text in the name")
    include_completed: bool = Field(False, description="include completed lists")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_tasklists",
    title="List Task Lists",
    toolset="teamwork.tasks",
    kind="read",
    description="List Teamwork task lists.",
)
async def list_tasklists(args: ListTasklistsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Tasklist]:
    path = f"/projects/{args.project_id}/tasklists.json" if args.project_id else "/tasklists.json"
    params = {"searchTerm": args.search, "showCompleted": True if args.include_completed else None}
    return await fetch_v3_page(tw, path, "tasklists", params, args, to_tasklist)


class TasklistIdInput(InputModel):
    tasklist_id: int = Field(gt=0, description="from teamwork_list_tasklists")


class GetTasklistInput(TasklistIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_tasklist",
    title="Get Task List",
    toolset="teamwork.tasks",
    kind="read",
    lookup="teamwork_list_tasklists",
    description="Get one Teamwork task list.",
)
async def get_tasklist(args: GetTasklistInput, tw: TeamworkClient, ctx: ToolContext) -> Tasklist:
    return to_tasklist(await tw.one("GET", f"{V3}/tasklists/{args.tasklist_id}.json", "tasklist"), args.include_raw)


class TasklistFields(InputModel):
    name: str | None = Field(None, min_length=1, max_length=255, description="name")
    description: str | None = Field(None, max_length=10_000, description="what it is for")
    milestone_id: int | None = Field(None, gt=0, description="from teamwork_list_milestones")
    private: bool | None = Field(None, description="hidden outside the owner company")


class CreateTasklistInput(TasklistFields):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    name: str = Field(min_length=1, max_length=255, description="name")


class UpdateTasklistInput(TasklistFields):
    tasklist_id: int = Field(gt=0, description="from teamwork_list_tasklists")


def todo_list_body(args: TasklistFields) -> dict[str, Any]:
    """The `todo-list` object with only the given fields, in v1's spellings."""
    fields = {"name": args.name, "description": args.description, "milestone-id": args.milestone_id}
    body = without_none(**fields)
    if args.private is not None:
        body["private"] = args.private
    return body


@tool(
    name="teamwork_create_tasklist",
    title="Create Task List",
    toolset="teamwork.tasks",
    kind="create",
    lookup="teamwork_list_tasklists",
    description="Create a Teamwork task list.",
)
async def create_tasklist(args: CreateTasklistInput, tw: TeamworkClient, ctx: ToolContext) -> Tasklist:
    await fetch_project(tw, args.project_id)
    if args.milestone_id is not None:
        await check_milestone_in_project(tw, args.milestone_id, args.project_id)
    data = await tw.post(f"/projects/{args.project_id}/tasklists.json", {"todo-list": todo_list_body(args)})
    tasklist_id = v1_int(ikey(data, "TASKLISTID", "tasklistId", "id"))
    if not tasklist_id:
        raise UpstreamError(
            "Teamwork accepted the task list but did not say its id; find it with teamwork_list_tasklists.",
            backend="Teamwork",
        )
    return await fetch_tasklist(tw, tasklist_id)


@tool(
    name="teamwork_update_tasklist",
    title="Update Task List",
    toolset="teamwork.tasks",
    kind="put",
    lookup="teamwork_list_tasklists",
    description="Change a Teamwork task list.",
)
async def update_tasklist(args: UpdateTasklistInput, tw: TeamworkClient, ctx: ToolContext) -> Tasklist:
    body = todo_list_body(args)
    if not body:
        raise InputError("tasklist_id", "nothing to change; give at least one other field.")
    if args.milestone_id is not None:
        tasklist = await fetch_tasklist(tw, args.tasklist_id)
        await check_milestone_in_project(tw, args.milestone_id, tasklist.project_id)
    await tw.put(f"/tasklists/{args.tasklist_id}.json", {"todo-list": body})
    return await fetch_tasklist(tw, args.tasklist_id)


@tool(
    name="teamwork_delete_tasklist",
    title="Delete Task List",
    toolset="teamwork.tasks",
    kind="delete",
    lookup="teamwork_list_tasklists",
    description="Delete a Teamwork task list AND every task in it.",
)
async def delete_tasklist(args: TasklistIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/tasklists/{args.tasklist_id}.json")
    return Deleted(id=args.tasklist_id)
