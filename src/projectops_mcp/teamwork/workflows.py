"""Workflows (v3, reference §6.17): named sequences of stages a project's tasks move through; linking one to a
project. Stages and task moves are in workflow_stages.py.

Wire: `{"workflow": {"name"}}` bodies; create 201 with the record, update is PATCH (200, the SDK reads no body, so
the workflow is read back), delete 204; linking is `POST /projects/{id}/workflows.json` `{"workflow": {"id"}}`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, WriteResult
from projectops_mcp.teamwork._common import fetch_record, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

FROM_LIST = "from teamwork_list_workflows"


class Workflow(OutputModel):
    workflow_id: int
    name: str
    default: bool | None = Field(None, description="The site's default workflow.")
    raw: RawRecord = None


def to_workflow(record: dict[str, Any], include_raw: bool = False) -> Workflow:
    return Workflow(
        workflow_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        default=record.get("defaultWorkflow"),
        raw=record if include_raw else None,
    )


async def fetch_workflow(tw: TeamworkClient, workflow_id: int, field: str = "workflow_id") -> dict[str, Any]:
    return await fetch_record(
        tw, "workflows", workflow_id, "workflow", field=field, what="workflow", fix_with="teamwork_list_workflows"
    )


class ListWorkflowsInput(PageInput):
    search: str | None = Field(None, min_length=1, description="Text in the name.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_workflows",
    title="List Workflows",
    toolset="teamwork.workflows",
    kind="read",
    description="List the site's workflows (stage sequences for tasks).",
)
async def list_workflows(args: ListWorkflowsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Workflow]:
    return await fetch_v3_page(tw, "/workflows.json", "workflows", {"searchTerm": args.search}, args, to_workflow)


class WorkflowIdInput(InputModel):
    workflow_id: int = Field(gt=0, description=FROM_LIST)


class GetWorkflowInput(WorkflowIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_workflow",
    title="Get Workflow",
    toolset="teamwork.workflows",
    kind="read",
    lookup="teamwork_list_workflows",
    description="Get one workflow: name and whether it is the default.",
)
async def get_workflow(args: GetWorkflowInput, tw: TeamworkClient, ctx: ToolContext) -> Workflow:
    return to_workflow(await tw.one("GET", f"{V3}/workflows/{args.workflow_id}.json", "workflow"), args.include_raw)


class CreateWorkflowInput(InputModel):
    name: str = Field(min_length=1, max_length=255, description="Workflow name.")


@tool(
    name="teamwork_create_workflow",
    title="Create Workflow",
    toolset="teamwork.workflows",
    kind="create",
    lookup="teamwork_list_workflows",
    description="Create a workflow; add its stages with teamwork_create_workflow_stage.",
)
async def create_workflow(args: CreateWorkflowInput, tw: TeamworkClient, ctx: ToolContext) -> Workflow:
    sent = {"workflow": {"name": args.name}}
    return to_workflow(await tw.one("POST", f"{V3}/workflows.json", "workflow", body=sent))


class UpdateWorkflowInput(WorkflowIdInput):
    name: str = Field(min_length=1, max_length=255, description="New name.")


@tool(
    name="teamwork_update_workflow",
    title="Rename Workflow",
    toolset="teamwork.workflows",
    kind="update",
    lookup="teamwork_list_workflows",
    description="Rename a workflow; its stages and tasks are unchanged.",
)
async def update_workflow(args: UpdateWorkflowInput, tw: TeamworkClient, ctx: ToolContext) -> Workflow:
    await tw.patch(f"{V3}/workflows/{args.workflow_id}.json", {"workflow": {"name": args.name}})
    return to_workflow(await fetch_workflow(tw, args.workflow_id))


@tool(
    name="teamwork_delete_workflow",
    title="Delete Workflow",
    toolset="teamwork.workflows",
    kind="delete",
    lookup="teamwork_list_workflows",
    description="Delete a workflow and its stages; tasks keep their task lists.",
)
async def delete_workflow(args: WorkflowIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/workflows/{args.workflow_id}.json")
    return Deleted(id=args.workflow_id)


class LinkProjectWorkflowInput(WorkflowIdInput):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")


@tool(
    name="teamwork_link_project_workflow",
    title="Link Workflow to Project",
    toolset="teamwork.workflows",
    kind="put",
    lookup="teamwork_list_workflows",
    description="Use a workflow on a project, so its tasks move through its stages.",
)
async def link_project_workflow(args: LinkProjectWorkflowInput, tw: TeamworkClient, ctx: ToolContext) -> WriteResult:
    await fetch_project(tw, args.project_id)
    await fetch_workflow(tw, args.workflow_id)
    body = {"workflow": {"id": args.workflow_id}}
    await tw.post(f"{V3}/projects/{args.project_id}/workflows.json", body)
    return WriteResult(id=args.project_id, sent=body)
