"""Tasks across lists and between each other: move to another task list (any project), count, and dependencies
(predecessors).

Wire: a move is v1 `PUT /tasks/{id}/move.json` with the SDK's unwrapped `{"taskListId"}`; v3 refuses moves to
another project. A task's subtasks travel with it, so of the tasks given, those whose ancestor is also given are
not sent themselves (the official server does the same). Counting reads `meta.page.count` of a one-record page.
Predecessors are read with `includeRelatedTasks=true` and replaced with a v3 PATCH carrying the top-level
`predecessors` array next to an empty `task`; the result is read back, and a clear that did not take is reported.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from projectops_mcp.errors import InputError
from projectops_mcp.models import no_duplicates
from projectops_mcp.teamwork._common import Count, v3_count
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_ids
from projectops_mcp.teamwork.tasklists import fetch_tasklist
from projectops_mcp.teamwork.tasks import Task, TaskFilters, fetch_task, task_query
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


def _positive_once(value: list[int], what: str) -> list[int]:
    if any(i <= 0 for i in value):
        raise ValueError(f"{what}s are positive numbers")
    return no_duplicates(value, what)


class MoveTasksInput(InputModel):
    task_ids: list[int] = Field(min_length=1, max_length=100, description="from teamwork_list_tasks")
    tasklist_id: int = Field(gt=0, description="Destination, any project; from teamwork_list_tasklists")

    @field_validator("task_ids")
    @classmethod
    def _once(cls, value: list[int]) -> list[int]:
        return _positive_once(value, "task id")


class MovedTasks(OutputModel):
    tasklist_id: int
    moved_task_ids: list[int] = Field(description="Every task moved, subtasks included.")
    tasks: list[Task] = Field(description="The tasks given, read back.")


@tool(
    name="teamwork_move_tasks",
    title="Move Tasks to Task List",
    toolset="teamwork.tasks",
    kind="put",
    lookup="teamwork_list_tasks",
    description="Move up to 100 tasks, with their subtasks, to a task list of any project.",
)
async def move_tasks(args: MoveTasksInput, tw: TeamworkClient, ctx: ToolContext) -> MovedTasks:
    await fetch_tasklist(tw, args.tasklist_id)
    given = {task_id: await fetch_task(tw, task_id, "task_ids") for task_id in args.task_ids}

    async def has_given_ancestor(task: Task) -> bool:
        parent_id, seen = task.parent_task_id, set()
        while parent_id and parent_id not in seen:
            if parent_id in given:
                return True
            seen.add(parent_id)
            parent_id = (await fetch_task(tw, parent_id, "task_ids")).parent_task_id
        return False

    roots = [t for t in given.values() if not await has_given_ancestor(t)]
    moved: list[int] = []
    for task in roots:
        data = await tw.put(f"/tasks/{task.task_id}/move.json", {"taskListId": args.tasklist_id})
        moved += v1_ids(data.get("affectedTaskIds")) or [task.task_id]
    tasks = [await fetch_task(tw, task_id) for task_id in args.task_ids]
    return MovedTasks(tasklist_id=args.tasklist_id, moved_task_ids=list(dict.fromkeys(moved)), tasks=tasks)


@tool(
    name="teamwork_count_tasks",
    title="Count Tasks",
    toolset="teamwork.tasks",
    kind="read",
    description="Count Teamwork tasks (the filters of teamwork_list_tasks).",
)
async def count_tasks(args: TaskFilters, tw: TeamworkClient, ctx: ToolContext) -> Count:
    path, params = task_query(args)
    return Count(count=await v3_count(tw, path, params))


Kind = Literal["start", "complete"]


class Predecessor(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    type: Kind = Field(description="What the predecessor must reach first.")


class PredecessorOut(OutputModel):
    task_id: int
    type: str | None = None


class Dependencies(OutputModel):
    task_id: int
    predecessors: list[PredecessorOut]
    subtask_ids: list[int]
    note: str | None = None


class GetDependenciesInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    include_completed: bool = Field(False, description="Also completed predecessors and subtasks.")


async def read_dependencies(tw: TeamworkClient, task_id: int, include_completed: bool = True) -> Dependencies:
    params: dict[str, Any] = {"includeRelatedTasks": True}
    if include_completed:
        params["includeCompletedPredecessors"] = True
    data = await tw.get(f"{V3}/tasks/{task_id}.json", params)
    record = data.get("task") or {}
    preds = [p for p in record.get("predecessors") or [] if isinstance(p, dict)]
    return Dependencies(
        task_id=task_id,
        predecessors=[
            PredecessorOut(task_id=rel_id(p) or 0, type=(p.get("meta") or {}).get("type") or p.get("type"))
            for p in preds
        ],
        subtask_ids=[i for i in record.get("subTaskIds") or [] if isinstance(i, int)],
    )


@tool(
    name="teamwork_get_task_dependencies",
    title="Get Task Dependencies",
    toolset="teamwork.tasks",
    kind="read",
    lookup="teamwork_list_tasks",
    description="Get a task's predecessors and subtask ids.",
)
async def get_task_dependencies(args: GetDependenciesInput, tw: TeamworkClient, ctx: ToolContext) -> Dependencies:
    return await read_dependencies(tw, args.task_id, args.include_completed)


class SetDependenciesInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    predecessors: list[Predecessor] = Field(max_length=50, description="Replaces all; [] clears.")

    @field_validator("predecessors")
    @classmethod
    def _once(cls, value: list[Predecessor]) -> list[Predecessor]:
        no_duplicates([p.task_id for p in value], "predecessor task_id")
        return value


@tool(
    name="teamwork_set_task_dependencies",
    title="Set Task Dependencies",
    toolset="teamwork.tasks",
    kind="put",
    lookup="teamwork_list_tasks",
    description="Replace a task's predecessors (tasks that must start or complete first).",
)
async def set_task_dependencies(args: SetDependenciesInput, tw: TeamworkClient, ctx: ToolContext) -> Dependencies:
    if any(p.task_id == args.task_id for p in args.predecessors):
        raise InputError("predecessors", "a task cannot be its own predecessor.")
    await fetch_task(tw, args.task_id)
    for p in args.predecessors:
        await fetch_task(tw, p.task_id, "predecessors")
    body = {"task": {}, "predecessors": [{"id": p.task_id, "type": p.type} for p in args.predecessors]}
    await tw.patch(f"{V3}/tasks/{args.task_id}.json", body)
    result = await read_dependencies(tw, args.task_id)
    wanted = {(p.task_id, p.type) for p in args.predecessors}
    if {(p.task_id, p.type) for p in result.predecessors} != wanted:
        result.note = "Teamwork's predecessors differ from those sent; compare and set them again."
    return result
