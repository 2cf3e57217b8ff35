"""Collections (Ticketing): Teamwork projects and task lists, Projectworks projects and modules (`type`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.projectworks import modules as pw_modules
from projectops_mcp.projectworks import projects as pw_projects
from projectops_mcp.teamwork import projects as tw_projects
from projectops_mcp.teamwork import tasklists as tw_tasklists
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    Derived,
    GetResult,
    ListInput,
    ListResult,
    Record,
    Source,
    constant,
    id_text,
    mapping,
    native_stream,
    shown,
    walk,
)

CollectionType = Literal["project", "tasklist", "module"]
KINDS: dict[Source, tuple[str, ...]] = {"teamwork": ("project", "tasklist"), "projectworks": ("project", "module")}


class Collection(Record):
    type: CollectionType
    name: str | None = None
    description: str | None = None
    status: str | None = Field(None, description="as the source system words it")
    parent_id: str | None = Field(None, description="the project of a task list or module")
    account_id: str | None = Field(None, description="from unified_list_accounts")
    start_date: str | None = None
    end_date: str | None = None
    external_reference: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def _active(data: dict[str, Any]) -> str | None:
    return None if data.get("is_active") is None else ("active" if data["is_active"] else "inactive")


ACTIVE = Derived("`active` / `inactive` from is_active", _active)

TEAMWORK_PROJECT = mapping(
    "collections",
    "teamwork",
    "teamwork_list_projects",
    Collection,
    "project_id",
    type=constant("project"),
    name="name",
    description="description",
    status="status",
    account_id=id_text("company_id"),
    start_date="start_date",
    end_date="end_date",
    created_at="created_at",
    updated_at="updated_at",
)
TEAMWORK_TASKLIST = mapping(
    "collections",
    "teamwork",
    "teamwork_list_tasklists",
    Collection,
    "tasklist_id",
    type=constant("tasklist"),
    name="name",
    description="description",
    status="status",
    parent_id=id_text("project_id"),
    created_at="created_at",
    updated_at="updated_at",
)
PROJECTWORKS_PROJECT = mapping(
    "collections",
    "projectworks",
    "projectworks_list_projects",
    Collection,
    "project_id",
    type=constant("project"),
    name="name",
    status=ACTIVE,
    account_id=id_text("client_id"),
    start_date="start_date",
    end_date="end_date",
    external_reference="external_reference",
    updated_at="modified_at",
)
PROJECTWORKS_MODULE = mapping(
    "collections",
    "projectworks",
    "projectworks_list_modules",
    Collection,
    "module_id",
    type=constant("module"),
    name="name",
    status=ACTIVE,
    parent_id=id_text("project_id"),
    external_reference="external_reference",
    updated_at="modified_at",
)


class ListCollectionsInput(ListInput):
    type: CollectionType | None = Field(None, description="only this kind")
    project_id: int | None = Field(
        None, gt=0, description="with source: its task lists or modules; from unified_list_collections"
    )

    @model_validator(mode="after")
    def _project_needs_source(self) -> ListCollectionsInput:
        if self.project_id is not None and self.source is None:
            raise ValueError("project_id is an id of one system: give source as well")
        return self


@tool(
    name="unified_list_collections",
    title="List Collections (both systems)",
    toolset="unified.ticketing",
    kind="read",
    description="List Teamwork projects and task lists and Projectworks projects and modules as collections.",
)
async def list_collections(args: ListCollectionsInput, clients: Clients, ctx: ToolContext) -> ListResult[Collection]:
    streams = [
        native_stream(clients, ctx, tw_projects.list_projects, TEAMWORK_PROJECT, kind="project"),
        native_stream(clients, ctx, tw_tasklists.list_tasklists, TEAMWORK_TASKLIST, kind="tasklist",
                      project_id=args.project_id),
        native_stream(clients, ctx, pw_projects.list_projects, PROJECTWORKS_PROJECT, kind="project"),
        native_stream(clients, ctx, pw_modules.list_modules, PROJECTWORKS_MODULE, kind="module",
                      project_id=args.project_id),
    ]  # fmt: skip
    if args.project_id is not None:  # a project's children: its task lists or modules
        streams = [s for s in streams if s.kind != "project"]
    return await walk([s for s in streams if args.type in (None, s.kind)], args, ctx, clients=clients)


class GetCollectionInput(InputModel):
    source: Source = Field(description="the collection's system")
    type: CollectionType = Field(description="as listed")
    id: int = Field(gt=0, description="from unified_list_collections")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")

    @model_validator(mode="after")
    def _type_of_source(self) -> GetCollectionInput:
        if self.type not in KINDS[self.source]:
            raise ValueError(f"{self.source} collections are {' or '.join(KINDS[self.source])}")
        return self


@tool(
    name="unified_get_collection",
    title="Get Collection (either system)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_collections",
    description="Get one project, task list or module as a collection.",
)
async def get_collection(args: GetCollectionInput, clients: Clients, ctx: ToolContext) -> GetResult[Collection]:
    if args.source == "teamwork":
        tw = clients.require("teamwork")
        if args.type == "project":
            found: Any = await tw_projects.get_project.handler(
                tw_projects.GetProjectInput(project_id=args.id, include_raw=True), tw, ctx
            )
            record = TEAMWORK_PROJECT.build(found, found.raw)
        else:
            found = await tw_tasklists.get_tasklist.handler(
                tw_tasklists.GetTasklistInput(tasklist_id=args.id, include_raw=True), tw, ctx
            )
            record = TEAMWORK_TASKLIST.build(found, found.raw)
    else:
        pw = clients.require("projectworks")
        if args.type == "project":
            found = await pw_projects.get_project.handler(
                pw_projects.GetProjectInput(project_id=args.id, include_raw=True), pw, ctx
            )
            record = PROJECTWORKS_PROJECT.build(found, found.raw)
        else:
            found = await pw_modules.get_module.handler(
                pw_modules.GetModuleInput(module_id=args.id, include_raw=True), pw, ctx
            )
            record = PROJECTWORKS_MODULE.build(found, found.raw)
    return GetResult(result=shown(record, args))
