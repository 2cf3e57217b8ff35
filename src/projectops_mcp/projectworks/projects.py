"""Projects: one client's engagement, split into modules (budget lines) that hold tasks (timecodes).

Creating a project needs nine ids. Office, client and the two managers can be checked before the write; the
project type, status, currency and task self-service mode have no lookup endpoint in the reference notes, so
their descriptions point at an existing project to copy them from.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import Deleted, IncludeRaw, Page, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import (
    DatedFields,
    Found,
    SearchInput,
    SyncFilters,
    created_record,
    date_part,
    echo,
    fetch_required,
    fields_of,
    iso_date,
    require_change,
    require_user,
    search_records,
    updated_record,
)
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.projectworks.reference import require_office
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Project(OutputModel):
    project_id: int
    project_number: str | None = None
    name: str | None = None
    client_id: int | None = None
    client_name: str | None = None
    office_id: int | None = None
    project_type_id: int | None = None
    project_status_id: int | None = None
    project_budget_type_id: int | None = None
    currency_id: int | None = None
    project_manager_id: int | None = None
    account_manager_id: int | None = None
    task_self_service_mode_id: int | None = None
    default_rate_card_id: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    is_active: bool | None = None
    user_ids: list[int] | None = Field(None, description="Users assigned to the project.")
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: RawRecord = None


def to_project(record: dict[str, Any], include_raw: bool = False) -> Project:
    users = pick(record, "Users")
    return Project(
        project_id=pick(record, "ProjectID", "ID"),
        project_number=pick(record, "ProjectNumber"),
        name=pick(record, "ProjectName", "Name"),
        client_id=pick(record, "ClientID"),
        client_name=pick(record, "ClientName"),
        office_id=pick(record, "OfficeID"),
        project_type_id=pick(record, "ProjectTypeID"),
        project_status_id=pick(record, "ProjectStatusID"),
        project_budget_type_id=pick(record, "ProjectBudgetTypeID"),
        currency_id=pick(record, "CurrencyID"),
        project_manager_id=pick(record, "ProjectManagerID"),
        account_manager_id=pick(record, "AccountManagerID"),
        task_self_service_mode_id=pick(record, "TaskSelfServiceModeID"),
        default_rate_card_id=pick(record, "DefaultRateCardID"),
        start_date=date_part(pick(record, "StartDate")),
        end_date=date_part(pick(record, "EndDate")),
        is_active=pick(record, "IsActive"),
        user_ids=[u for u in users if isinstance(u, int)] if isinstance(users, list) else None,
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


class ListProjectsInput(SyncFilters):
    client_id: int | None = Field(None, gt=0, description="from projectworks_list_clients")
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    project_number: str | None = Field(None, min_length=1, description="Exact project number, e.g. 'KB-001'.")
    name: str | None = Field(
        None, min_length=1, description="Exact project name (projectworks_search_projects finds partial names)."
    )


@tool(
    name="projectworks_list_projects",
    title="List Projects",
    toolset="projectworks.projects",
    kind="read",
    description="List Projectworks projects (exact-match filters; partial names: projectworks_search_projects).",
)
async def list_projects(args: ListProjectsInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Project]:
    params = {
        "ClientID": args.client_id,
        "ProjectID": args.project_id,
        "UserID": args.user_id,
        "ProjectNumber": args.project_number,
        "Name": args.name,
        **args.sync_params(),
    }
    records, has_more = await pw.list("/Projects", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_project, args, has_more)


class ProjectIdInput(InputModel):
    project_id: int = Field(gt=0, description="from projectworks_list_projects or projectworks_search_projects")


class GetProjectInput(ProjectIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_project",
    title="Get Project",
    toolset="projectworks.projects",
    kind="read",
    lookup="projectworks_search_projects",
    description="Get one Projectworks project.",
)
async def get_project(args: GetProjectInput, pw: ProjectworksClient, ctx: ToolContext) -> Project:
    return to_project(await pw.get_one(f"/Projects/{args.project_id}"), args.include_raw)


FROM_REFERENCE_IDS = "from projectworks_list_reference_ids"


class ProjectFields(DatedFields):
    project_name: str | None = Field(None, min_length=1, max_length=200, description="Project name.")
    office_id: int | None = Field(None, gt=0, description="from projectworks_list_offices")
    client_id: int | None = Field(None, gt=0, description="from projectworks_list_clients")
    project_type_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    project_status_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    currency_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    project_manager_id: int | None = Field(None, gt=0, description="Project manager; from projectworks_list_users")
    account_manager_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    task_self_service_mode_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    project_budget_type_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    project_number: str | None = Field(None, min_length=1, max_length=50, description="e.g. KB-002")
    default_rate_card_id: int | None = Field(None, gt=0, description=FROM_REFERENCE_IDS)
    is_active: bool | None = Field(None, description="Whether the project is active.")
    external_reference: str | None = Field(None, max_length=200, description="your own id, e.g. a CRM id")
    allow_unverified_ids: bool = ALLOW_UNVERIFIED


def project_body(args: ProjectFields) -> dict[str, Any]:
    """The camelCase body for POST and PATCH /Projects; None dropped, so a PATCH carries only what was given."""
    return without_none(
        projectName=args.project_name,
        officeID=args.office_id,
        clientID=args.client_id,
        projectTypeID=args.project_type_id,
        projectStatusID=args.project_status_id,
        currencyID=args.currency_id,
        projectManagerID=args.project_manager_id,
        accountManagerID=args.account_manager_id,
        taskSelfServiceModeID=args.task_self_service_mode_id,
        projectBudgetTypeID=args.project_budget_type_id,
        projectNumber=args.project_number,
        defaultRateCardID=args.default_rate_card_id,
        startDate=iso_date(args.start_date),
        endDate=iso_date(args.end_date),
        isActive=args.is_active,
        externalReference=args.external_reference,
    )


async def check_project_refs(pw: ProjectworksClient, args: ProjectFields) -> None:
    """Every id given that has a lookup must exist before the project is written."""
    await require_office(pw, args.office_id)
    if args.client_id is not None:
        await fetch_required(
            pw, f"/Clients/{args.client_id}", field="client_id", what="client", fix_with="projectworks_list_clients"
        )
    await require_user(pw, args.project_manager_id, "project_manager_id")
    await require_user(pw, args.account_manager_id, "account_manager_id")


def project_reference_ids(args: ProjectFields) -> dict[str, tuple[str, int | None]]:
    """The ids with no lookup endpoint, checked against known_ids.py."""
    return {
        "project_type_id": ("project_type", args.project_type_id),
        "project_status_id": ("project_status", args.project_status_id),
        "currency_id": ("currency", args.currency_id),
        "task_self_service_mode_id": ("task_self_service_mode", args.task_self_service_mode_id),
        "project_budget_type_id": ("project_budget_type", args.project_budget_type_id),
        "default_rate_card_id": ("rate_card", args.default_rate_card_id),
    }


async def fetch_project(pw: ProjectworksClient, project_id: int, field: str = "project_id") -> dict[str, Any]:
    """The project a write depends on; a missing one refuses the write."""
    return await fetch_required(
        pw, f"/Projects/{project_id}", field=field, what="project", fix_with="projectworks_list_projects"
    )


class CreateProjectInput(ProjectFields):
    project_name: str = Field(min_length=1, max_length=200, description="Project name.")
    office_id: int = Field(gt=0, description="from projectworks_list_offices")
    client_id: int = Field(gt=0, description="from projectworks_list_clients")
    project_type_id: int = Field(gt=0, description=FROM_REFERENCE_IDS)
    project_status_id: int = Field(gt=0, description=FROM_REFERENCE_IDS)
    currency_id: int = Field(gt=0, description=FROM_REFERENCE_IDS)
    project_manager_id: int = Field(gt=0, description="Project manager; from projectworks_list_users")
    account_manager_id: int = Field(gt=0, description="from projectworks_list_users")
    task_self_service_mode_id: int = Field(gt=0, description=FROM_REFERENCE_IDS)


@tool(
    name="projectworks_create_project",
    title="Create Project",
    toolset="projectworks.projects",
    kind="create",
    lookup="projectworks_search_projects",
    description="Create a Projectworks project for a client.",
)
async def create_project(args: CreateProjectInput, pw: ProjectworksClient, ctx: ToolContext) -> Project:
    await check_project_refs(pw, args)
    async with vouched(pw, project_reference_ids(args), args.allow_unverified_ids):
        data = await pw.post("/Projects", project_body(args))
    return to_project(created_record(data, "ProjectID", "/Projects", "projectworks_search_projects"))


class UpdateProjectInput(ProjectFields):
    project_id: int = Field(gt=0, description="from projectworks_list_projects or projectworks_search_projects")


@tool(
    name="projectworks_update_project",
    title="Update Project",
    toolset="projectworks.projects",
    kind="update",
    lookup="projectworks_get_project",
    description="Change some fields of a Projectworks project (is_active=false closes it).",
)
async def update_project(args: UpdateProjectInput, pw: ProjectworksClient, ctx: ToolContext) -> Project:
    body = project_body(args)
    require_change(body, "project_id")
    await check_project_refs(pw, args)
    path = f"/Projects/{args.project_id}"
    async with vouched(pw, project_reference_ids(args), args.allow_unverified_ids):
        data = await pw.patch(path, body)
    return to_project(await updated_record(pw, data, path))


@tool(
    name="projectworks_delete_project",
    title="Delete Project",
    toolset="projectworks.projects",
    kind="delete",
    lookup="projectworks_list_projects",
    description="Delete a Projectworks project permanently (is_active=false keeps its history).",
)
async def delete_project(args: ProjectIdInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Projects/{args.project_id}")
    return Deleted(id=args.project_id)


class UpdateProjectUserRateInput(ProjectIdInput):
    user_id: int = Field(gt=0, description="from projectworks_list_users")
    rate_card_id: int | None = Field(
        None,
        gt=0,
        description="from projectworks_list_reference_ids",
    )
    rate: float | None = Field(None, ge=0, description="Override hourly (revenue) rate.")
    cost_rate_card_id: int | None = Field(
        None, gt=0, description="no lookup tool: copy it from the Projectworks app (not checked); omit for none"
    )
    allow_unverified_ids: bool = ALLOW_UNVERIFIED


class ProjectUserRate(OutputModel):
    project_id: int
    user_id: int
    rate_card_id: int | None = None
    rate: float | None = None
    cost_rate_card_id: int | None = None


@tool(
    name="projectworks_update_project_user_rate",
    title="Update Project User Rate",
    toolset="projectworks.projects",
    kind="put",
    lookup="projectworks_get_project",
    description="Set a user's rate card and/or override rate on a project.",
)
async def update_project_user_rate(
    args: UpdateProjectUserRateInput, pw: ProjectworksClient, ctx: ToolContext
) -> ProjectUserRate:
    await require_user(pw, args.user_id, "user_id")
    body = without_none(
        userID=args.user_id, rateCardID=args.rate_card_id, rate=args.rate, costRateCardID=args.cost_rate_card_id
    )
    async with vouched(pw, {"rate_card_id": ("rate_card", args.rate_card_id)}, args.allow_unverified_ids):
        data = await pw.put(f"/Projects/{args.project_id}/Users", body)
    record = data if isinstance(data, dict) else {}  # the reply body is unverified (reference §12)
    return ProjectUserRate(
        project_id=args.project_id,
        user_id=args.user_id,
        rate_card_id=echo(record, body, "RateCardID"),
        rate=echo(record, body, "Rate"),
        cost_rate_card_id=echo(record, body, "CostRateCardID"),
    )


@tool(
    name="projectworks_search_projects",
    title="Search Projects",
    toolset="projectworks.projects",
    kind="read",
    description="Find Projectworks projects whose name or number contains some text.",
)
async def search_projects(args: SearchInput, pw: ProjectworksClient, ctx: ToolContext) -> Found[Project]:
    texts = fields_of("ProjectName", "Name", "ProjectNumber")
    return await search_records(pw, ctx, "/Projects", args, to_project, texts, "projects")
