"""Workflow stages (v3, reference §6.17) and moving tasks between them.

Wire: stages live under `/workflows/{wid}/stages`; `{"stage": {"name"}}` bodies (201 / PATCH 200 / 204). Deleting
a stage sends `{"mapTasksToStageId"}`: its tasks must go somewhere, so the tool requires that stage. One task moves
with `PATCH /tasks/{id}/workflows/{wid}.json` `{"stageId", "positionAfterTask"}` (-1 = top, the SDK's default;
a task id = after it); many with `POST .../stages/{sid}/tasks.json` `{"taskIds"}`. Both answer 204, so moved tasks
are read back.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, no_duplicates
from projectops_mcp.teamwork._common import fetch_or_refuse, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.tasks import Task, fetch_task
from projectops_mcp.teamwork.workflows import fetch_workflow
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

FROM_STAGES = "from teamwork_list_workflow_stages"


class Stage(OutputModel):
    stage_id: int
    name: str
    workflow_id: int | None = None
    display_order: int | None = None
    raw: RawRecord = None


def to_stage(record: dict[str, Any], include_raw: bool = False) -> Stage:
    return Stage(
        stage_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        workflow_id=rel_id(record.get("workflow")),
        display_order=v1_int(record.get("displayOrder")),
        raw=record if include_raw else None,
    )


def _stage_path(workflow_id: int, stage_id: int | None = None) -> str:
    tail = f"/{stage_id}.json" if stage_id else ".json"
    return f"{V3}/workflows/{workflow_id}/stages{tail}"


async def fetch_stage(tw: TeamworkClient, workflow_id: int, stage_id: int, field: str = "stage_id") -> dict[str, Any]:
    """A stage of this workflow; a stage of another workflow is a 404 there too."""
    return await fetch_or_refuse(
        tw,
        _stage_path(workflow_id, stage_id),
        "stage",
        what=f"{field}: stage {stage_id} of workflow {workflow_id}",
        fix_with="teamwork_list_workflow_stages",
    )


class WorkflowInput(InputModel):
    workflow_id: int = Field(gt=0, description="from teamwork_list_workflows")


class ListStagesInput(PageInput, WorkflowInput):
    order_by: Literal["displayorder", "name", "id"] | None = Field(None, description="Default displayorder.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_workflow_stages",
    title="List Workflow Stages",
    toolset="teamwork.workflows",
    kind="read",
    lookup="teamwork_list_workflows",
    description="List a workflow's stages, in board order by default.",
)
async def list_stages(args: ListStagesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Stage]:
    path = f"/workflows/{args.workflow_id}/stages.json"
    return await fetch_v3_page(tw, path, "stages", {"orderBy": args.order_by}, args, to_stage)


class StageInput(WorkflowInput):
    stage_id: int = Field(gt=0, description=FROM_STAGES)


class GetStageInput(StageInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_workflow_stage",
    title="Get Workflow Stage",
    toolset="teamwork.workflows",
    kind="read",
    lookup="teamwork_list_workflow_stages",
    description="Get one stage of a workflow: name and board position.",
)
async def get_stage(args: GetStageInput, tw: TeamworkClient, ctx: ToolContext) -> Stage:
    return to_stage(await tw.one("GET", _stage_path(args.workflow_id, args.stage_id), "stage"), args.include_raw)


class CreateStageInput(WorkflowInput):
    name: str = Field(min_length=1, max_length=255, description="Stage name.")


@tool(
    name="teamwork_create_workflow_stage",
    title="Create Workflow Stage",
    toolset="teamwork.workflows",
    kind="create",
    lookup="teamwork_list_workflow_stages",
    description="Add a stage at the end of a workflow.",
)
async def create_stage(args: CreateStageInput, tw: TeamworkClient, ctx: ToolContext) -> Stage:
    await fetch_workflow(tw, args.workflow_id)
    return to_stage(await tw.one("POST", _stage_path(args.workflow_id), "stage", body={"stage": {"name": args.name}}))


class UpdateStageInput(StageInput):
    name: str = Field(min_length=1, max_length=255, description="New name.")


@tool(
    name="teamwork_update_workflow_stage",
    title="Rename Workflow Stage",
    toolset="teamwork.workflows",
    kind="update",
    lookup="teamwork_list_workflow_stages",
    description="Rename a workflow stage; its tasks stay in it.",
)
async def update_stage(args: UpdateStageInput, tw: TeamworkClient, ctx: ToolContext) -> Stage:
    await tw.patch(_stage_path(args.workflow_id, args.stage_id), {"stage": {"name": args.name}})
    return to_stage(await fetch_stage(tw, args.workflow_id, args.stage_id))


class DeleteStageInput(StageInput):
    move_tasks_to_stage_id: int = Field(gt=0, description=FROM_STAGES)


@tool(
    name="teamwork_delete_workflow_stage",
    title="Delete Workflow Stage",
    toolset="teamwork.workflows",
    kind="delete",
    lookup="teamwork_list_workflow_stages",
    description="Delete a workflow stage, moving its tasks to another stage.",
)
async def delete_stage(args: DeleteStageInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    if args.move_tasks_to_stage_id == args.stage_id:
        raise InputError("move_tasks_to_stage_id", "must be another stage than the one deleted.")
    await fetch_stage(tw, args.workflow_id, args.stage_id)
    await fetch_stage(tw, args.workflow_id, args.move_tasks_to_stage_id, "move_tasks_to_stage_id")
    await tw.request(
        "DELETE",
        _stage_path(args.workflow_id, args.stage_id),
        json_body={"mapTasksToStageId": args.move_tasks_to_stage_id},
    )
    return Deleted(id=args.stage_id)


class MoveTaskInput(StageInput):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    after_task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks; default top")


@tool(
    name="teamwork_move_task_to_stage",
    title="Move Task to Stage",
    toolset="teamwork.workflows",
    kind="put",
    lookup="teamwork_list_workflow_stages",
    description="Move a task to a stage of its project's workflow.",
)
async def move_task_to_stage(args: MoveTaskInput, tw: TeamworkClient, ctx: ToolContext) -> Task:
    await fetch_task(tw, args.task_id)
    await fetch_stage(tw, args.workflow_id, args.stage_id)
    if args.after_task_id is not None:
        await fetch_task(tw, args.after_task_id, "after_task_id")
    body = {"stageId": args.stage_id, "positionAfterTask": args.after_task_id or -1}
    await tw.patch(f"{V3}/tasks/{args.task_id}/workflows/{args.workflow_id}.json", body)
    return await fetch_task(tw, args.task_id)


class MoveTasksInput(StageInput):
    task_ids: list[int] = Field(min_length=1, max_length=100, description="from teamwork_list_tasks")

    @field_validator("task_ids")
    @classmethod
    def _once_each(cls, value: list[int]) -> list[int]:
        if any(i <= 0 for i in value):
            raise ValueError("task ids are positive numbers")
        return no_duplicates(value, "task id")


class MovedTasks(OutputModel):
    workflow_id: int
    stage_id: int
    tasks: list[Task]


@tool(
    name="teamwork_move_tasks_to_stage",
    title="Move Tasks to Stage",
    toolset="teamwork.workflows",
    kind="put",
    lookup="teamwork_list_workflow_stages",
    description="Move up to 100 tasks to one workflow stage.",
)
async def move_tasks_to_stage(args: MoveTasksInput, tw: TeamworkClient, ctx: ToolContext) -> MovedTasks:
    await fetch_stage(tw, args.workflow_id, args.stage_id)
    for task_id in args.task_ids:
        await fetch_task(tw, task_id, "task_ids")
    await tw.post(f"{V3}/workflows/{args.workflow_id}/stages/{args.stage_id}/tasks.json", {"taskIds": args.task_ids})
    moved = [await fetch_task(tw, task_id) for task_id in args.task_ids]
    stray = [t.task_id for t in moved if not any(s.stage_id == args.stage_id for s in t.workflow_stages or [])]
    if stray:
        raise UpstreamError(
            f"Teamwork accepted the move, but tasks {stray} are not in stage {args.stage_id} when read back; check "
            "that their projects use the workflow (teamwork_link_project_workflow).",
            backend="Teamwork",
        )
    return MovedTasks(workflow_id=args.workflow_id, stage_id=args.stage_id, tasks=moved)
