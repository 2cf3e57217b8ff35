"""Tasks: the unit of work in a task list; assignees, dates, estimates, tags, subtasks.

Wire choices (reference §6.3): create, update, get, list and delete use v3; complete/reopen use v1 (v3 has no such
call). Update is `PATCH /projects/api/v3/tasks/{id}.json` with only the given fields: PATCH is what Teamwork
documents and its own samples send; the SDK's PUT to the same path is believed to behave the same, but PATCH says
"partial" on the wire. Create always sends `taskOptions` (`notify`, `checkInvalidusers: true`) as the SDK does, so
an unknown assignee fails loudly instead of being dropped.

Assignees are always sent as all four arrays (`userIds`, `companyIds`, `teamIds`, `jobRoleIds`), the SDK's struct:
given user ids replace every kind of assignee, and `[]` unassigns everyone. Clearing tags (`tagIds: []`) is read
back, and the answer's `note` says so if Teamwork kept them. Subtasks come from the parent's `subTaskIds`
(`includeRelatedTasks=true`), then `ids=` on the task list, so an ignored `parentTaskId` filter cannot leak
unrelated tasks into the answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of, without_none
from projectops_mcp.teamwork._common import check_people, fetch_or_refuse, fetch_v3_page, rfc3339
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.tags import check_tags
from projectops_mcp.teamwork.tasklists import fetch_tasklist
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

__all__ = ["Task", "fetch_task", "to_task"]


class TaskStage(OutputModel):
    workflow_id: int
    stage_id: int


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
    workflow_stages: list[TaskStage] | None = Field(None, description="The task's stage in each workflow.")
    note: str | None = Field(None, description="Set when Teamwork did not apply part of the change.")
    raw: RawRecord = None


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
    stages = [x for x in record.get("workflowStages") or [] if isinstance(x, dict)]
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
        workflow_stages=[
            TaskStage(workflow_id=w, stage_id=st)
            for w, st in ((v1_int(x.get("workflowId")), v1_int(x.get("stageId"))) for x in stages)
            if w and st
        ]
        or None,
        raw=record if include_raw else None,
    )


class TaskFilters(InputModel):
    """What list and count tools filter tasks by."""

    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    tasklist_id: int | None = Field(None, gt=0, description="from teamwork_list_tasklists")
    assignee_user_ids: list[int] | None = Field(None, description="from teamwork_list_people")
    include_completed: bool = Field(False, description="include completed tasks")
    due_after: date | None = Field(None, description="Only tasks due on or after this date (YYYY-MM-DD).")
    due_before: date | None = Field(None, description="Only tasks due on or before this date (YYYY-MM-DD).")
    tag_ids: list[int] | None = Field(None, description="from teamwork_list_tags")
    updated_after: datetime | None = Field(None, description="Only tasks changed after this ISO 8601 date-time.")
    search: str | None = Field(None, min_length=1, description="text in name or description")


def task_query(args: TaskFilters) -> tuple[str, dict[str, Any]]:
    """The v3 list path (site, project or task list) and query for these filters."""
    if args.tasklist_id:
        path = f"/tasklists/{args.tasklist_id}/tasks.json"
    elif args.project_id:
        path = f"/projects/{args.project_id}/tasks.json"
    else:
        path = "/tasks.json"
    params: dict[str, Any] = {
        "projectIds": [args.project_id] if args.project_id and args.tasklist_id else None,
        "responsiblePartyIds": args.assignee_user_ids,
        "includeCompletedTasks": True if args.include_completed else None,
        "dueAfter": args.due_after.isoformat() if args.due_after else None,
        "dueBefore": args.due_before.isoformat() if args.due_before else None,
        "tagIds": args.tag_ids,
        "updatedAfter": rfc3339(args.updated_after),
        "searchTerm": args.search,
    }
    return path, params


class ListTasksInput(PageInput, TaskFilters):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_tasks",
    title="List Tasks",
    toolset="teamwork.tasks",
    kind="read",
    description="List Teamwork tasks (completed ones only with include_completed).",
)
async def list_tasks(args: ListTasksInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Task]:
    path, params = task_query(args)
    return await fetch_v3_page(tw, path, "tasks", params, args, to_task)


async def fetch_task(tw: TeamworkClient, task_id: int, field: str = "task_id", include_raw: bool = False) -> Task:
    """One task; a missing task is reported against the argument that named it."""
    record = await fetch_or_refuse(
        tw, f"{V3}/tasks/{task_id}.json", "task", what=f"{field}: task {task_id}", fix_with="teamwork_list_tasks"
    )
    return to_task(record or {"id": task_id}, include_raw)


class GetTaskInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_task",
    title="Get Task",
    toolset="teamwork.tasks",
    kind="read",
    lookup="teamwork_list_tasks",
    description="Get one Teamwork task.",
)
async def get_task(args: GetTaskInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    return to_task(await tw.one("GET", f"{V3}/tasks/{args.task_id}.json", "task"), args.include_raw)


Priority = Literal["none", "low", "medium", "high"]


class TaskFields(InputModel):
    name: str | None = Field(None, min_length=1, max_length=500, description="Task name.")
    description: str | None = Field(None, max_length=50_000, description="Details (plain text or Markdown).")
    priority: Priority | None = Field(None, description="none, low, medium or high.")
    progress: int | None = Field(None, ge=0, le=100, description="Percent done, 0-100.")
    start_date: date | None = Field(None, description="Start date (YYYY-MM-DD).")
    due_date: date | None = Field(None, description="Due date (YYYY-MM-DD).")
    estimate_minutes: int | None = Field(None, ge=0, le=1_000_000, description="Estimated effort in minutes.")
    assignee_user_ids: list[int] | None = Field(
        None, max_length=100, description="People to assign, replacing current assignees; from teamwork_list_people"
    )
    tag_ids: list[int] | None = Field(
        None, max_length=100, description="Tags, replacing its tags; from teamwork_list_tags"
    )


class CreateTaskInput(TaskFields):
    tasklist_id: int = Field(gt=0, description="The task list to add the task to; from teamwork_list_tasklists")
    name: str = Field(min_length=1, max_length=500, description="Task name.")
    parent_task_id: int | None = Field(
        None, gt=0, description="Make it a subtask of this task in the same list; from teamwork_list_tasks"
    )
    notify: bool = Field(True, description="Notify the assignees.")


class UpdateTaskInput(TaskFields):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    tasklist_id: int | None = Field(
        None,
        gt=0,
        description="Move the task (and its subtasks) to this list of the same project; from teamwork_list_tasklists",
    )
    parent_task_id: int | None = Field(
        None, ge=0, description="Make it a subtask of this task (teamwork_list_tasks); 0 makes it a top-level task."
    )


def assignees(user_ids: list[int]) -> dict[str, list[int]]:
    """All four assignee arrays, as the SDK sends them: the given people replace every kind of assignee."""
    return {"userIds": list(user_ids), "companyIds": [], "teamIds": [], "jobRoleIds": []}


async def checked_tag_clear(tw: TeamworkClient, task: Task) -> Task:
    """After sending `tagIds: []`, read the task back: a site that ignores an empty list must not look cleared."""
    fresh = await fetch_task(tw, task.task_id)
    if fresh.tag_ids:
        fresh.note = (
            f"Teamwork kept tags {fresh.tag_ids} although an empty tag list was sent; remove them with "
            "teamwork_set_task_tags mode 'remove'."
        )
    return fresh


async def task_body(tw: TeamworkClient, args: TaskFields) -> dict[str, Any]:
    """The v3 `task` object with only the given fields; assignees and tags are checked to exist first."""
    body = task_fields(args)
    await check_people(tw, args.assignee_user_ids, "assignee_user_ids")
    await check_tags(tw, args.tag_ids)
    return body


def task_fields(args: TaskFields) -> dict[str, Any]:
    """The v3 `task` object with only the given fields (no lookups)."""
    if args.start_date and args.due_date and args.due_date < args.start_date:
        raise InputError("due_date", "is before start_date.")
    fields = {
        "name": args.name,
        "description": args.description,
        "priority": args.priority,
        "progress": args.progress,
        "startAt": args.start_date.isoformat() if args.start_date else None,
        "dueAt": args.due_date.isoformat() if args.due_date else None,
        "estimatedMinutes": args.estimate_minutes,
        "assignees": assignees(args.assignee_user_ids) if args.assignee_user_ids is not None else None,
        "tagIds": list(args.tag_ids) if args.tag_ids is not None else None,
    }
    return without_none(**fields)


async def check_parent(tw: TeamworkClient, parent_id: int, tasklist_id: int | None, task_id: int | None) -> None:
    """A subtask lives in its parent's task list, and a task cannot be its own parent."""
    if parent_id == task_id:
        raise InputError("parent_task_id", "a task cannot be its own parent.")
    parent = await fetch_task(tw, parent_id, "parent_task_id")
    if tasklist_id and parent.tasklist_id and parent.tasklist_id != tasklist_id:
        raise PrerequisiteError(
            f"parent_task_id: task {parent_id} is in task list {parent.tasklist_id}, not {tasklist_id}; a subtask "
            "must be in its parent's list.",
            fix_with="teamwork_list_tasks",
        )


@tool(
    name="teamwork_create_task",
    title="Create Task",
    toolset="teamwork.tasks",
    kind="create",
    lookup="teamwork_list_tasks",
    description="Create a task (or subtask, with parent_task_id) in a Teamwork task list.",
)
async def create_task(args: CreateTaskInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    body = await task_body(tw, args)
    await fetch_tasklist(tw, args.tasklist_id)
    if args.parent_task_id is not None:
        await check_parent(tw, args.parent_task_id, args.tasklist_id, None)
        body["parentTaskId"] = args.parent_task_id
    payload = {"task": body, "taskOptions": {"notify": args.notify, "checkInvalidusers": True}}
    data = await tw.post(f"{V3}/tasklists/{args.tasklist_id}/tasks.json", payload)
    return to_task(data.get("task") or {})


@tool(
    name="teamwork_update_task",
    title="Update Task",
    toolset="teamwork.tasks",
    kind="update",
    lookup="teamwork_list_tasks",
    description="Change some fields of a Teamwork task; assignees and tags given replace the current ones.",
)
async def update_task(args: UpdateTaskInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    body = await task_body(tw, args)
    if args.tasklist_id is not None:
        current = await fetch_task(tw, args.task_id)
        target = await fetch_tasklist(tw, args.tasklist_id)
        source = await fetch_tasklist(tw, current.tasklist_id or 0, "task_id") if current.tasklist_id else None
        if source and source.project_id != target.project_id:
            raise PrerequisiteError(
                f"tasklist_id: task list {args.tasklist_id} is in another project; Teamwork only moves tasks "
                "between lists of the same project.",
                fix_with="teamwork_list_tasklists",
            )
        body["tasklistId"] = args.tasklist_id
    if args.parent_task_id is not None:
        if args.parent_task_id:
            list_id = args.tasklist_id or (await fetch_task(tw, args.task_id)).tasklist_id
            await check_parent(tw, args.parent_task_id, list_id, args.task_id)
        body["parentTaskId"] = args.parent_task_id
    if not body:
        raise InputError("task_id", "nothing to change; give at least one other field.")
    data = await tw.patch(f"{V3}/tasks/{args.task_id}.json", {"task": body})
    task = to_task(data.get("task") or {"id": args.task_id})
    return await checked_tag_clear(tw, task) if args.tag_ids == [] else task


class TaskIdInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")


@tool(
    name="teamwork_complete_task",
    title="Complete Task",
    toolset="teamwork.tasks",
    kind="action",
    lookup="teamwork_list_tasks",
    description="Mark a Teamwork task as completed.",
)
async def complete_task(args: TaskIdInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    await tw.put(f"/tasks/{args.task_id}/complete.json")
    return await fetch_task(tw, args.task_id)


@tool(
    name="teamwork_reopen_task",
    title="Reopen Task",
    toolset="teamwork.tasks",
    kind="action",
    lookup="teamwork_list_tasks",
    description="Reopen a completed Teamwork task.",
)
async def reopen_task(args: TaskIdInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    await tw.put(f"/tasks/{args.task_id}/uncomplete.json")
    return await fetch_task(tw, args.task_id)


@tool(
    name="teamwork_delete_task",
    title="Delete Task",
    toolset="teamwork.tasks",
    kind="delete",
    lookup="teamwork_list_tasks",
    description="Delete a Teamwork task together with its subtasks.",
)
async def delete_task(args: TaskIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/tasks/{args.task_id}.json")  # 200 with a body (SDK) or 204 (2021 spec): both fine
    return Deleted(id=args.task_id)


class ListSubtasksInput(PageInput):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    include_completed: bool = Field(False, description="Also return completed subtasks.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_subtasks",
    title="List Subtasks",
    toolset="teamwork.tasks",
    kind="read",
    lookup="teamwork_list_tasks",
    description="List the direct subtasks of a Teamwork task.",
)
async def list_subtasks(args: ListSubtasksInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Task]:
    completed = True if args.include_completed else None
    parent = await tw.get(
        f"{V3}/tasks/{args.task_id}.json",
        {"includeRelatedTasks": True, "includeCompletedPredecessors": completed},  # widens subTaskIds too (SDK)
    )
    all_ids = [i for i in ((parent.get("task") or {}).get("subTaskIds") or []) if isinstance(i, int)]
    start = (args.page - 1) * args.page_size
    wanted = all_ids[start : start + args.page_size]
    records: list[dict[str, Any]] = []
    if wanted:
        params = {"ids": wanted, "includeCompletedTasks": completed}
        records, _, _, _ = await tw.v3_list("/tasks.json", "tasks", params, page=1, page_size=len(wanted))
    by_id = {r.get("id"): r for r in records if (rel_id(r.get("parentTask")) or r.get("parentTaskId")) == args.task_id}
    records = [by_id[i] for i in wanted if i in by_id]
    return page_of(records, to_task, args, start + args.page_size < len(all_ids), len(all_ids))


class SetTaskTagsInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    tag_ids: list[int] = Field(max_length=100, description="from teamwork_list_tags; [] with replace clears")
    mode: Literal["replace", "add", "remove"] = Field("replace", description="what to do with tag_ids")


@tool(
    name="teamwork_set_task_tags",
    title="Set Task Tags",
    toolset="teamwork.tags",
    kind="put",
    lookup="teamwork_list_tasks",
    description="Set, add or remove a Teamwork task's tags.",
)
async def set_task_tags(args: SetTaskTagsInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    """Sent as a v3 task PATCH of `tagIds` (the full new set), rather than v1 PUT /tasks/{id}/tags.json, which takes
    tag *names*: ids are what every other tool hands out, and the answer is the updated task."""
    current = await fetch_task(tw, args.task_id)
    have = current.tag_ids or []
    if args.mode == "replace":
        wanted = list(dict.fromkeys(args.tag_ids))
    elif args.mode == "add":
        wanted = list(dict.fromkeys(have + args.tag_ids))
    else:
        wanted = [t for t in have if t not in set(args.tag_ids)]
    await check_tags(tw, [t for t in wanted if t not in have])
    data = await tw.patch(f"{V3}/tasks/{args.task_id}.json", {"task": {"tagIds": wanted}})
    task = to_task(data.get("task") or {"id": args.task_id})
    return await checked_tag_clear(tw, task) if not wanted else task
