"""Tasks ("timecodes" in the app), and their placeholders: unassigned role slots that resourcing fills later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Page, PageInput
from projectops_mcp.projectworks.client import ProjectworksClient, body_of, pick
from projectops_mcp.projectworks.reference import all_roles, describe_roles
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Task(OutputModel):
    task_id: int
    name: str | None = None
    module_id: int | None = None
    module_name: str | None = None
    project_id: int | None = None
    task_type_id: int | None = None
    status: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    percent_complete: float | None = None
    is_billable: bool | None = None
    user_ids: list[int] | None = Field(None, description="Users assigned to the task.")
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: dict[str, Any] | None = Field(None, description="The upstream record, when include_raw was set.")


def to_task(record: dict[str, Any], include_raw: bool = False) -> Task:
    return Task(
        task_id=pick(record, "TaskID", "ID"),
        name=pick(record, "TaskName", "Name"),
        module_id=pick(record, "ModuleID"),
        module_name=pick(record, "ModuleName"),
        project_id=pick(record, "ProjectID"),
        task_type_id=pick(record, "TaskTypeID"),
        status=pick(record, "TaskStatusName", "Status"),
        start_date=pick(record, "StartDate"),
        end_date=pick(record, "EndDate"),
        percent_complete=pick(record, "PercentComplete"),
        is_billable=pick(record, "IsBillable"),
        user_ids=pick(record, "Users"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


class ListTasksInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="Only tasks of this project (projectworks_list_projects).")
    module_id: int | None = Field(None, gt=0, description="Only tasks of this module (projectworks_list_modules).")
    task_id: int | None = Field(None, gt=0, description="Only this task (projectworks_list_tasks).")
    user_id: int | None = Field(
        None, gt=0, description="Only tasks this user is assigned to (projectworks_list_users)."
    )
    name: str | None = Field(None, min_length=1, description="Exact task name.")
    external_reference: str | None = Field(None, min_length=1, description="Exact external reference.")
    modified_since_date: datetime | None = Field(
        None, description="Only tasks modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_custom_fields: bool | None = Field(None, description="Include custom field values.")
    include_raw: bool = Field(False, description="Also return each upstream record unchanged.")


def iso_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text.replace("+00:00", "Z")


@tool(
    name="projectworks_list_tasks",
    title="List Tasks",
    toolset="projectworks.projects",
    kind="read",
    description="List Projectworks tasks (timecodes), filtered by project, module, task, assigned user, name, "
    "external reference or modification date. Exact-match filters; page through with page/page_size.",
)
async def list_tasks(args: ListTasksInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Task]:
    params = {
        "ProjectID": args.project_id,
        "ModuleID": args.module_id,
        "TaskID": args.task_id,
        "UserID": args.user_id,
        "Name": args.name,
        "ExternalReference": args.external_reference,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
        "IncludeCustomFields": args.include_custom_fields,
    }
    records, has_more = await pw.list("/Tasks", params, page=args.page, page_size=args.page_size)
    return Page(
        items=[to_task(r, args.include_raw) for r in records],
        page=args.page,
        page_size=args.page_size,
        has_more=has_more,
    )


class UpdateTaskPlaceholderInput(InputModel):
    task_id: int = Field(gt=0, description="The task (projectworks_list_tasks).")
    role_id: int = Field(gt=0, description="The role the placeholder stands for (projectworks_list_roles).")
    placeholder_id: int | None = Field(
        None, gt=0, description="The placeholder to replace; omit to create a new placeholder."
    )
    hours: float | None = Field(None, ge=0, description="Hours allocated to the placeholder.")
    rate_card_id: int | None = Field(None, gt=0, description="Revenue rate card.")
    rate: float | None = Field(None, ge=0, description="Override hourly rate.")
    is_active: bool | None = Field(None, description="Whether the placeholder is active.")
    is_pinned: bool | None = Field(None, description="Pin the placeholder in resourcing views.")


class Placeholder(OutputModel):
    task_id: int
    placeholder_id: int | None = None
    role_id: int | None = None
    hours: float | None = None
    rate_card_id: int | None = None
    rate: float | None = None
    is_active: bool | None = None
    is_pinned: bool | None = None


@tool(
    name="projectworks_update_task_placeholder",
    title="Update Task Placeholder",
    toolset="projectworks.projects",
    kind="put",
    lookup="projectworks_get_task",
    description="Create (omit placeholder_id) or replace a placeholder on a task: an unassigned role slot with "
    "hours and rate. role_id is checked against projectworks_list_roles before anything is sent.",
)
async def update_task_placeholder(
    args: UpdateTaskPlaceholderInput, pw: ProjectworksClient, ctx: ToolContext
) -> Placeholder:
    roles = await all_roles(pw)
    if args.role_id not in {r.role_id for r in roles}:
        raise PrerequisiteError(
            f"role_id {args.role_id} is not a configured Projectworks role (valid: {describe_roles(roles)}). "
            "Pick a role_id from projectworks_list_roles.",
            fix_with="projectworks_list_roles",
        )
    body = body_of(
        roleID=args.role_id,
        placeholderID=args.placeholder_id,
        hours=args.hours,
        rateCardID=args.rate_card_id,
        rate=args.rate,
        isActive=args.is_active,
        isPinned=args.is_pinned,
    )
    data = await pw.put(f"/Tasks/{args.task_id}/Placeholders", body)
    record = data if isinstance(data, dict) else {}
    return Placeholder(
        task_id=args.task_id,
        placeholder_id=pick(record, "PlaceholderID") or args.placeholder_id,
        role_id=pick(record, "RoleID") or args.role_id,
        hours=pick(record, "Hours") if record else args.hours,
        rate_card_id=pick(record, "RateCardID") if record else args.rate_card_id,
        rate=pick(record, "Rate") if record else args.rate,
        is_active=pick(record, "IsActive") if record else args.is_active,
        is_pinned=pick(record, "IsPinned") if record else args.is_pinned,
    )
