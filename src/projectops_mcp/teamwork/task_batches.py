"""Batch task writes: create or update up to 100 tasks in one call.

Teamwork documents no batch create/update endpoint, so each task is its own v3 request (POST / PATCH, the bodies
of teamwork_create_task / teamwork_update_task). Every item is validated and every id it names (task lists,
parents, people, tags, tasks) is looked up once before the first write, so a bad item stops the whole call with
nothing written. Writes then go in order and stop at the first upstream failure: the answer says per item what was
written, which one failed and which were not sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic import Field, field_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import no_duplicates
from projectops_mcp.teamwork._common import fetch_person
from projectops_mcp.teamwork.client import V3, TeamworkClient
from projectops_mcp.teamwork.tags import check_tags
from projectops_mcp.teamwork.tasklists import fetch_tasklist
from projectops_mcp.teamwork.tasks import (
    CreateTaskInput,
    TaskFields,
    checked_tag_clear,
    fetch_task,
    task_fields,
    to_task,
)
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

MAX_BATCH = 100


class BatchItem(OutputModel):
    index: int = Field(description="Position in the request, from 0.")
    status: Literal["created", "updated", "failed", "not_sent"]
    task_id: int | None = None
    error: str | None = None
    note: str | None = None


class BatchResult(OutputModel):
    complete: bool = Field(description="True when every item was written.")
    summary: str
    items: list[BatchItem]


class CreateTasksInput(InputModel):
    tasks: list[CreateTaskInput] = Field(min_length=1, max_length=MAX_BATCH, description="Tasks to create, in order.")


class TaskChange(TaskFields):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")


class UpdateTasksInput(InputModel):
    tasks: list[TaskChange] = Field(min_length=1, max_length=MAX_BATCH, description="Changes, one per task.")

    @field_validator("tasks")
    @classmethod
    def _each_task_once(cls, value: list[TaskChange]) -> list[TaskChange]:
        no_duplicates([t.task_id for t in value], "task_id")
        for i, change in enumerate(value):
            if not change.model_fields_set - {"task_id"}:
                raise ValueError(f"tasks[{i}] changes nothing; give at least one field besides task_id")
        return value


def _bodies(items: list[TaskFields]) -> list[dict[str, Any]]:
    """Each item's `task` body, with a bad item named by its index."""
    bodies = []
    for i, item in enumerate(items):
        try:
            bodies.append(task_fields(item))
        except InputError as exc:
            raise InputError(f"tasks[{i}].{exc.field}", str(exc).split(": ", 1)[-1]) from None
    return bodies


async def _check_refs(tw: TeamworkClient, items: list[TaskFields]) -> None:
    """Every person and tag named anywhere in the batch exists (each looked up once)."""
    seen_people: set[int] = set()
    seen_tags: set[int] = set()
    for i, item in enumerate(items):
        for person in set(item.assignee_user_ids or []) - seen_people:
            await fetch_person(tw, person, f"tasks[{i}].assignee_user_ids")
            seen_people.add(person)
        new_tags = [t for t in dict.fromkeys(item.tag_ids or []) if t not in seen_tags]
        await check_tags(tw, new_tags, f"tasks[{i}].tag_ids")
        seen_tags.update(new_tags)


async def _write_all(
    count: int, write: Callable[[int], Awaitable[tuple[int, str | None]]], done: Literal["created", "updated"]
) -> BatchResult:
    items: list[BatchItem] = []
    for i in range(count):
        try:
            task_id, note = await write(i)
        except UpstreamError as exc:
            items.append(BatchItem(index=i, status="failed", error=str(exc)))
            items += [BatchItem(index=j, status="not_sent") for j in range(i + 1, count)]
            not_sent = f"items {i + 1}-{count - 1} were not sent" if i + 1 < count else "no items were left"
            summary = (
                f"{done.capitalize()} {i} of {count} tasks (items 0-{i - 1}); item {i} failed; {not_sent}. "
                "Fix the cause and send only the failed and unsent items again."
                if i
                else f"Item 0 failed, so nothing was {done}; {not_sent}."
            )
            return BatchResult(complete=False, summary=summary, items=items)
        items.append(BatchItem(index=i, status=done, task_id=task_id, note=note))
    return BatchResult(complete=True, summary=f"{done.capitalize()} all {count} tasks.", items=items)


@tool(
    name="teamwork_create_tasks",
    title="Create Tasks (batch)",
    toolset="teamwork.tasks",
    kind="create",
    lookup="teamwork_list_tasks",
    description="Create up to 100 Teamwork tasks in one call; all are checked before the first write.",
)
async def create_tasks(args: CreateTasksInput, tw: TeamworkClient, ctx: ToolContext) -> BatchResult:
    bodies = _bodies(list(args.tasks))
    lists: dict[int, Any] = {}
    for i, item in enumerate(args.tasks):
        if item.tasklist_id not in lists:
            lists[item.tasklist_id] = await fetch_tasklist(tw, item.tasklist_id, f"tasks[{i}].tasklist_id")
        if item.parent_task_id is not None:
            parent = await fetch_task(tw, item.parent_task_id, f"tasks[{i}].parent_task_id")
            if parent.tasklist_id != item.tasklist_id:
                raise PrerequisiteError(
                    f"tasks[{i}].parent_task_id: task {parent.task_id} is in task list {parent.tasklist_id}, not "
                    f"{item.tasklist_id}; a subtask must be in its parent's list.",
                    fix_with="teamwork_list_tasks",
                )
            bodies[i]["parentTaskId"] = item.parent_task_id
    await _check_refs(tw, list(args.tasks))

    async def write(i: int) -> tuple[int, str | None]:
        item = args.tasks[i]
        payload = {"task": bodies[i], "taskOptions": {"notify": item.notify, "checkInvalidusers": True}}
        path = f"{V3}/tasklists/{item.tasklist_id}/tasks.json"
        return to_task(await tw.one("POST", path, "task", body=payload)).task_id, None

    return await _write_all(len(args.tasks), write, "created")


@tool(
    name="teamwork_update_tasks",
    title="Update Tasks (batch)",
    toolset="teamwork.tasks",
    kind="update",
    lookup="teamwork_list_tasks",
    description="Change up to 100 Teamwork tasks in one call; all are checked before the first write.",
)
async def update_tasks(args: UpdateTasksInput, tw: TeamworkClient, ctx: ToolContext) -> BatchResult:
    bodies = _bodies(list(args.tasks))
    for i, change in enumerate(args.tasks):
        await fetch_task(tw, change.task_id, f"tasks[{i}].task_id")
    await _check_refs(tw, list(args.tasks))

    async def write(i: int) -> tuple[int, str | None]:
        change = args.tasks[i]
        data = await tw.patch(f"{V3}/tasks/{change.task_id}.json", {"task": bodies[i]})
        task = to_task(data.get("task") or {"id": change.task_id})
        if change.tag_ids == []:
            try:
                task = await checked_tag_clear(tw, task)
            except UpstreamError:  # the change was written; only the read-back failed
                return change.task_id, "Updated, but reading the tags back failed; check with teamwork_get_task."
        return change.task_id, task.note

    return await _write_all(len(args.tasks), write, "updated")
