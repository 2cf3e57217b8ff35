"""Tasks: the unit of work in a task list; assignees, dates, estimates, tags, subtasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.models import Page, PageInput
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.toolkit import OutputModel, ToolContext, tool


class Task(OutputModel):
    task_id: int
    name: str
    description: str | None = None
    status: str | None = Field(None, description="new, reopened, completed or deleted.")
    priority: str | None = None
    progress: int | None = None
    start_date: str | None = None
    due_date: str | None = None
    estimate_minutes: int | None = None
    tasklist_id: int | None = None
    parent_task_id: int | None = None
    assignee_user_ids: list[int] | None = None
    tag_ids: list[int] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None
    raw: dict[str, Any] | None = Field(None, description="The upstream record, when include_raw was set.")


def _date(value: Any) -> str | None:
    return str(value)[:10] if value else None


def to_task(record: dict[str, Any], include_raw: bool = False) -> Task:
    assignees = record.get("assignees")
    if isinstance(assignees, list):
        user_ids = [rel_id(a) for a in assignees if not isinstance(a, dict) or a.get("type") in (None, "users")]
    else:
        user_ids = record.get("assigneeUserIds") or []
    tags = record.get("tags")
    tag_ids = [rel_id(t) for t in tags] if isinstance(tags, list) else record.get("tagIds")
    return Task(
        task_id=record["id"],
        name=record.get("name") or "",
        description=record.get("description") or None,
        status=record.get("status"),
        priority=record.get("priority") or None,
        progress=record.get("progress"),
        start_date=_date(record.get("startDate")),
        due_date=_date(record.get("dueDate")),
        estimate_minutes=record.get("estimateMinutes"),
        tasklist_id=rel_id(record.get("tasklist")) or record.get("tasklistId"),
        parent_task_id=rel_id(record.get("parentTask")) or record.get("parentTaskId") or None,
        assignee_user_ids=[u for u in user_ids if u is not None],
        tag_ids=[t for t in (tag_ids or []) if t is not None],
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        completed_at=record.get("completedAt"),
        raw=record if include_raw else None,
    )


def rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text.replace("+00:00", "Z") if value.tzinfo else text + "Z"


class ListTasksInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="Only tasks in this project (teamwork_list_projects).")
    tasklist_id: int | None = Field(None, gt=0, description="Only tasks in this task list (teamwork_list_tasklists).")
    assignee_user_ids: list[int] | None = Field(
        None, description="Only tasks assigned to any of these people (teamwork_list_people)."
    )
    include_completed: bool = Field(False, description="Also return completed tasks.")
    due_after: date | None = Field(None, description="Only tasks due on or after this date (YYYY-MM-DD).")
    due_before: date | None = Field(None, description="Only tasks due on or before this date (YYYY-MM-DD).")
    tag_ids: list[int] | None = Field(None, description="Only tasks with any of these tags (teamwork_list_tags).")
    updated_after: datetime | None = Field(None, description="Only tasks changed after this ISO 8601 date-time.")
    search: str | None = Field(None, min_length=1, description="Text to find in task names and descriptions.")
    include_raw: bool = Field(False, description="Also return each upstream record unchanged.")


@tool(
    name="teamwork_list_tasks",
    title="List Tasks",
    toolset="teamwork.tasks",
    kind="read",
    description="List Teamwork tasks, filtered by project, task list, assignees, due dates, tags, update time or "
    "text. Completed tasks are left out unless include_completed is true.",
)
async def list_tasks(args: ListTasksInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Task]:
    if args.tasklist_id:
        path = f"/tasklists/{args.tasklist_id}/tasks.json"
    elif args.project_id:
        path = f"/projects/{args.project_id}/tasks.json"
    else:
        path = "/tasks.json"
    params = {
        "projectIds": [args.project_id] if args.project_id and args.tasklist_id else None,
        "responsiblePartyIds": args.assignee_user_ids,
        "includeCompletedTasks": True if args.include_completed else None,
        "dueAfter": args.due_after.isoformat() if args.due_after else None,
        "dueBefore": args.due_before.isoformat() if args.due_before else None,
        "tagIds": args.tag_ids,
        "updatedAfter": rfc3339(args.updated_after),
        "searchTerm": args.search,
    }
    records, has_more, count, _ = await tw.v3_list(path, "tasks", params, page=args.page, page_size=args.page_size)
    return Page(
        items=[to_task(r, args.include_raw) for r in records],
        page=args.page,
        page_size=args.page_size,
        has_more=has_more,
        total=count,
    )


async def fetch_task(tw: TeamworkClient, task_id: int, field: str = "task_id") -> Task:
    """One task; a missing task is reported against the argument that named it."""
    try:
        data = await tw.get(f"{V3}/tasks/{task_id}.json")
    except UpstreamError as exc:
        if exc.status == 404:
            raise PrerequisiteError(
                f"{field}: task {task_id} does not exist on this Teamwork site.", fix_with="teamwork_list_tasks"
            ) from None
        raise
    return to_task(data.get("task") or {"id": task_id})


Priority = Literal["none", "low", "medium", "high"]
