"""Modules ("budget lines" in the app): a project's budget split. Only services (labour) modules hold tasks;
the others carry pass-through costs such as hosting or licences."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import (
    SyncFilters,
    created_record,
    fetch_required,
    require_change,
    updated_record,
)
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.projectworks.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Module(OutputModel):
    module_id: int
    name: str | None = None
    project_id: int | None = None
    budget: float | None = None
    is_services: bool | None = Field(None, description="Only services modules can hold tasks.")
    gl_code_id: int | None = None
    fee_type_id: int | None = None
    is_active: bool | None = None
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: RawRecord = None


def to_module(record: dict[str, Any], include_raw: bool = False) -> Module:
    return Module(
        module_id=pick(record, "ModuleID", "ID"),
        name=pick(record, "ModuleName", "Name"),
        project_id=pick(record, "ProjectID"),
        budget=pick(record, "Budget"),
        is_services=pick(record, "IsServices"),
        gl_code_id=pick(record, "GLCodeID", "GlCodeID"),
        fee_type_id=pick(record, "FeeTypeID"),
        is_active=pick(record, "IsActive"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


async def fetch_services_module(pw: ProjectworksClient, module_id: int) -> dict[str, Any]:
    """The module a task goes into. It must exist and be a services module, or the API rejects the task."""
    module = await fetch_required(
        pw, f"/Modules/{module_id}", field="module_id", what="module", fix_with="projectworks_list_modules"
    )
    if pick(module, "IsServices") is not True:
        name = pick(module, "ModuleName", "Name") or "?"
        raise PrerequisiteError(
            f"module_id {module_id} ('{name}') is not a services module, and tasks can only be added to services "
            "modules. Pick a module with is_services=true from projectworks_list_modules, or add one with "
            "projectworks_create_module (is_services=true).",
            fix_with="projectworks_create_module",
        )
    return module


class ListModulesInput(SyncFilters):
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    module_id: int | None = Field(None, gt=0, description="from projectworks_list_modules")
    name: str | None = Field(None, min_length=1, description="Exact module name.")


@tool(
    name="projectworks_list_modules",
    title="List Modules",
    toolset="projectworks.projects",
    kind="read",
    description="List Projectworks modules (budget lines of projects).",
)
async def list_modules(args: ListModulesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Module]:
    params = {"ProjectID": args.project_id, "ModuleID": args.module_id, "Name": args.name, **args.sync_params()}
    records, has_more = await pw.list("/Modules", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_module, args, has_more)


class ModuleIdInput(InputModel):
    module_id: int = Field(gt=0, description="from projectworks_list_modules")


class GetModuleInput(ModuleIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_module",
    title="Get Module",
    toolset="projectworks.projects",
    kind="read",
    lookup="projectworks_list_modules",
    description="Get one Projectworks module.",
)
async def get_module(args: GetModuleInput, pw: ProjectworksClient, ctx: ToolContext) -> Module:
    return to_module(await pw.get_one(f"/Modules/{args.module_id}"), args.include_raw)


class ModuleFields(InputModel):
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    module_name: str | None = Field(None, min_length=1, max_length=200, description="Module name.")
    budget: float | None = Field(None, ge=0, description="Budget amount in the project's currency.")
    is_services: bool | None = Field(
        None, description="Services (labour) module; tasks can only be added to services modules."
    )
    gl_code_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    is_active: bool | None = Field(None, description="Whether the module is active.")
    fee_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    external_reference: str | None = Field(None, max_length=200, description="Your own id for the module.")
    allow_unverified_ids: bool = ALLOW_UNVERIFIED

    def reference_ids(self) -> dict[str, tuple[str, int | None]]:
        """The ids with no lookup endpoint, checked against known_ids.py."""
        return {"gl_code_id": ("gl_code", self.gl_code_id), "fee_type_id": ("fee_type", self.fee_type_id)}


def module_body(args: ModuleFields) -> dict[str, Any]:
    """The camelCase body for POST and PATCH /Modules; None dropped, so a PATCH carries only what was given."""
    return without_none(
        projectID=args.project_id,
        moduleName=args.module_name,
        budget=args.budget,
        isServices=args.is_services,
        glCodeID=args.gl_code_id,
        isActive=args.is_active,
        feeTypeID=args.fee_type_id,
        externalReference=args.external_reference,
    )


class CreateModuleInput(ModuleFields):
    project_id: int = Field(gt=0, description="from projectworks_list_projects")
    module_name: str = Field(min_length=1, max_length=200, description="Module name.")
    # Required on purpose (optional upstream, default unknown): an agent must decide whether tasks will go here.
    is_services: bool = Field(description="labour (can hold tasks); false for costs")


@tool(
    name="projectworks_create_module",
    title="Create Module",
    toolset="projectworks.projects",
    kind="create",
    lookup="projectworks_list_modules",
    description="Add a module (budget line) to a Projectworks project; only services modules (is_services) hold tasks.",
)
async def create_module(args: CreateModuleInput, pw: ProjectworksClient, ctx: ToolContext) -> Module:
    await fetch_project(pw, args.project_id)
    async with vouched(pw, args.reference_ids(), args.allow_unverified_ids):
        data = await pw.post("/Modules", module_body(args))
    return to_module(created_record(data, "ModuleID", "/Modules", "projectworks_list_modules"))


class UpdateModuleInput(ModuleFields):
    module_id: int = Field(gt=0, description="from projectworks_list_modules")


@tool(
    name="projectworks_update_module",
    title="Update Module",
    toolset="projectworks.projects",
    kind="update",
    lookup="projectworks_get_module",
    description="Change some fields of a Projectworks module.",
)
async def update_module(args: UpdateModuleInput, pw: ProjectworksClient, ctx: ToolContext) -> Module:
    body = module_body(args)
    require_change(body, "module_id")
    if args.project_id is not None:
        await fetch_project(pw, args.project_id)
    path = f"/Modules/{args.module_id}"
    async with vouched(pw, args.reference_ids(), args.allow_unverified_ids):
        data = await pw.patch(path, body)
    return to_module(await updated_record(pw, data, path))


@tool(
    name="projectworks_delete_module",
    title="Delete Module",
    toolset="projectworks.projects",
    kind="delete",
    lookup="projectworks_list_modules",
    description="Delete a Projectworks module permanently (is_active=false keeps its history).",
)
async def delete_module(args: ModuleIdInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Modules/{args.module_id}")
    return Deleted(id=args.module_id)
