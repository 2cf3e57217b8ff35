"""Tasks ("timecodes" in the app), their user assignments, and their placeholders: unassigned role slots that
resourcing fills later.

A task lives in a services module and needs a task type. Neither rule is in Autohive's schema, but the live
tests say the API enforces both, so create_task checks the module first and requires task_type_id. There is no
task-type endpoint: type ids are copied from existing tasks.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import Deleted, IncludeRaw, Page, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import (
    DatedFields,
    SyncFilters,
    created_record,
    date_part,
    echo,
    fetch_required,
    iso_date,
    require_change,
    require_user,
    sub_records,
    updated_record,
)
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.projectworks.modules import fetch_services_module
from projectops_mcp.projectworks.reference import require_roles
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Task(OutputModel):
    task_id: int
    name: str | None = None
    module_id: int | None = None
    module_name: str | None = None
    project_id: int | None = None
    task_type_id: int | None = None
    task_type_name: str | None = None
    task_status_id: int | None = None
    status: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    percent_complete: float | None = None
    is_billable: bool | None = None
    is_on_timesheet: bool | None = None
    user_ids: list[int] | None = Field(None, description="Users assigned to the task.")
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: RawRecord = None


def to_task(record: dict[str, Any], include_raw: bool = False) -> Task:
    return Task(
        task_id=pick(record, "TaskID", "ID"),
        name=pick(record, "TaskName", "Name"),
        module_id=pick(record, "ModuleID"),
        module_name=pick(record, "ModuleName"),
        project_id=pick(record, "ProjectID"),
        task_type_id=pick(record, "TaskTypeID"),
        task_type_name=pick(record, "TaskTypeName"),
        task_status_id=pick(record, "TaskStatusID", "StatusID"),
        status=pick(record, "TaskStatusName", "Status"),
        start_date=date_part(pick(record, "StartDate")),
        end_date=date_part(pick(record, "EndDate")),
        percent_complete=pick(record, "PercentComplete"),
        is_billable=pick(record, "IsBillable"),
        is_on_timesheet=pick(record, "IsOnTimesheet"),
        user_ids=pick(record, "Users"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


class ListTasksInput(SyncFilters):
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    module_id: int | None = Field(None, gt=0, description="from projectworks_list_modules")
    task_id: int | None = Field(None, gt=0, description="from projectworks_list_tasks")
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    name: str | None = Field(None, min_length=1, description="Exact task name.")


@tool(
    name="projectworks_list_tasks",
    title="List Tasks",
    toolset="projectworks.projects",
    kind="read",
    description="List Projectworks tasks (timecodes).",
)
async def list_tasks(args: ListTasksInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Task]:
    params = {
        "ProjectID": args.project_id,
        "ModuleID": args.module_id,
        "TaskID": args.task_id,
        "UserID": args.user_id,
        "Name": args.name,
        **args.sync_params(),
    }
    records, has_more = await pw.list("/Tasks", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_task, args, has_more)


class TaskIdInput(InputModel):
    task_id: int = Field(gt=0, description="from projectworks_list_tasks")


class GetTaskInput(TaskIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_task",
    title="Get Task",
    toolset="projectworks.projects",
    kind="read",
    lookup="projectworks_list_tasks",
    description="Get one Projectworks task (timecode).",
)
async def get_task(args: GetTaskInput, pw: ProjectworksClient, ctx: ToolContext) -> Task:
    return to_task(await pw.get_one(f"/Tasks/{args.task_id}"), args.include_raw)


class TaskFields(DatedFields):
    module_id: int | None = Field(
        None, gt=0, description="A services module (projectworks_list_modules, is_services=true)."
    )
    task_name: str | None = Field(None, min_length=1, max_length=200, description="Task name.")
    task_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    is_on_timesheet: bool | None = Field(None, description="Whether staff can log time to it.")
    is_billable: bool | None = Field(None, description="Whether time on it is billable.")
    status_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    percent_complete: float | None = Field(None, ge=0, le=100, description="Progress, 0-100.")
    fee_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    fee: float | None = Field(None, ge=0, description="Fixed fee amount.")
    default_rate: float | None = Field(None, ge=0, description="Default hourly rate.")
    use_default_rate: bool | None = Field(None, description="Charge default_rate instead of rate cards.")
    external_reference: str | None = Field(None, max_length=200, description="Your own id for the task.")
    allow_unverified_ids: bool = ALLOW_UNVERIFIED

    def reference_ids(self) -> dict[str, tuple[str, int | None]]:
        """The ids with no lookup endpoint, checked against known_ids.py."""
        return {
            "task_type_id": ("task_type", self.task_type_id),
            "status_id": ("task_status", self.status_id),
            "fee_type_id": ("fee_type", self.fee_type_id),
        }


def task_body(args: TaskFields) -> dict[str, Any]:
    """The camelCase body for POST and PATCH /Tasks; None dropped, so a PATCH carries only what was given."""
    return without_none(
        moduleID=args.module_id,
        taskName=args.task_name,
        taskTypeID=args.task_type_id,
        startDate=iso_date(args.start_date),
        endDate=iso_date(args.end_date),
        isOnTimesheet=args.is_on_timesheet,
        isBillable=args.is_billable,
        statusID=args.status_id,
        percentComplete=args.percent_complete,
        feeTypeID=args.fee_type_id,
        fee=args.fee,
        defaultRate=args.default_rate,
        useDefaultRate=args.use_default_rate,
        externalReference=args.external_reference,
    )


class CreateTaskInput(TaskFields):
    module_id: int = Field(gt=0, description="A services module (projectworks_list_modules, is_services=true).")
    task_name: str = Field(min_length=1, max_length=200, description="Task name.")
    # Optional in Autohive's schema, but its live test says the API requires a task type.
    task_type_id: int = Field(gt=0, description="Task type (required upstream), from projectworks_list_reference_ids.")


@tool(
    name="projectworks_create_task",
    title="Create Task",
    toolset="projectworks.projects",
    kind="create",
    lookup="projectworks_list_tasks",
    description="Add a task (timecode) to a services module.",
)
async def create_task(args: CreateTaskInput, pw: ProjectworksClient, ctx: ToolContext) -> Task:
    await fetch_services_module(pw, args.module_id)
    async with vouched(pw, args.reference_ids(), args.allow_unverified_ids):
        data = await pw.post("/Tasks", task_body(args))
    return to_task(created_record(data, "TaskID", "/Tasks", "projectworks_list_tasks"))


class UpdateTaskInput(TaskFields):
    task_id: int = Field(gt=0, description="from projectworks_list_tasks")


@tool(
    name="projectworks_update_task",
    title="Update Task",
    toolset="projectworks.projects",
    kind="update",
    lookup="projectworks_get_task",
    description="Change some fields of a Projectworks task.",
)
async def update_task(args: UpdateTaskInput, pw: ProjectworksClient, ctx: ToolContext) -> Task:
    body = task_body(args)
    require_change(body, "task_id")
    if args.module_id is not None:
        await fetch_services_module(pw, args.module_id)
    path = f"/Tasks/{args.task_id}"
    async with vouched(pw, args.reference_ids(), args.allow_unverified_ids):
        data = await pw.patch(path, body)
    return to_task(await updated_record(pw, data, path))


@tool(
    name="projectworks_delete_task",
    title="Delete Task",
    toolset="projectworks.projects",
    kind="delete",
    lookup="projectworks_list_tasks",
    description="Delete a Projectworks task permanently (is_on_timesheet=false keeps its history).",
)
async def delete_task(args: TaskIdInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Tasks/{args.task_id}")
    return Deleted(id=args.task_id)


class AssignmentFields(InputModel):
    """What task users and placeholders share: allocated hours, rate and flags."""

    hours: float | None = Field(None, ge=0, description="Hours allocated.")
    rate_card_id: int | None = Field(
        None,
        gt=0,
        description="from projectworks_list_reference_ids",
    )
    rate: float | None = Field(None, ge=0, description="Override hourly rate.")
    is_active: bool | None = Field(None, description="Whether the assignment is active.")
    is_pinned: bool | None = Field(None, description="Pin it in resourcing views.")
    allow_unverified_ids: bool = ALLOW_UNVERIFIED


class UpdateTaskUserInput(AssignmentFields, TaskIdInput):
    user_id: int = Field(gt=0, description="from projectworks_list_users")
    cost_rate_card_id: int | None = Field(
        None, gt=0, description="no lookup tool: copy it from the Projectworks app (not checked); omit for none"
    )


class TaskUser(OutputModel):
    task_id: int
    user_id: int
    hours: float | None = None
    rate_card_id: int | None = None
    rate: float | None = None
    cost_rate_card_id: int | None = None
    is_active: bool | None = None
    is_pinned: bool | None = None


@tool(
    name="projectworks_update_task_user",
    title="Update Task User",
    toolset="projectworks.projects",
    kind="put",
    lookup="projectworks_list_task_assignments",
    description="Assign a user to a task, or change their allocated hours, rate and flags.",
)
async def update_task_user(args: UpdateTaskUserInput, pw: ProjectworksClient, ctx: ToolContext) -> TaskUser:
    await require_user(pw, args.user_id, "user_id")
    body = without_none(
        userID=args.user_id,
        hours=args.hours,
        rateCardID=args.rate_card_id,
        rate=args.rate,
        costRateCardID=args.cost_rate_card_id,
        isActive=args.is_active,
        isPinned=args.is_pinned,
    )
    async with vouched(pw, {"rate_card_id": ("rate_card", args.rate_card_id)}, args.allow_unverified_ids):
        data = await pw.put(f"/Tasks/{args.task_id}/Users", body)
    record = data if isinstance(data, dict) else {}  # the reply body is unverified (reference §12)
    return TaskUser(
        task_id=args.task_id,
        user_id=args.user_id,
        hours=echo(record, body, "Hours"),
        rate_card_id=echo(record, body, "RateCardID"),
        rate=echo(record, body, "Rate"),
        cost_rate_card_id=echo(record, body, "CostRateCardID"),
        is_active=echo(record, body, "IsActive"),
        is_pinned=echo(record, body, "IsPinned"),
    )


class UpdateTaskPlaceholderInput(AssignmentFields, TaskIdInput):
    role_id: int = Field(gt=0, description="from projectworks_list_roles")
    placeholder_id: int | None = Field(
        None, gt=0, description="The placeholder to replace; omit to create a new placeholder."
    )


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
    kind="create",
    lookup="projectworks_list_task_assignments",
    description="Create (omit placeholder_id) or replace a task placeholder: an unassigned role slot with hours and "
    "rate.",
)
async def update_task_placeholder(
    args: UpdateTaskPlaceholderInput, pw: ProjectworksClient, ctx: ToolContext
) -> Placeholder:
    await require_roles(pw, args.role_id, "role_id")
    body = without_none(
        roleID=args.role_id,
        placeholderID=args.placeholder_id,
        hours=args.hours,
        rateCardID=args.rate_card_id,
        rate=args.rate,
        isActive=args.is_active,
        isPinned=args.is_pinned,
    )
    async with vouched(pw, {"rate_card_id": ("rate_card", args.rate_card_id)}, args.allow_unverified_ids):
        # Without placeholder_id each PUT adds a placeholder: never re-send it after it may have landed.
        data = await pw.put(f"/Tasks/{args.task_id}/Placeholders", body, idempotent=args.placeholder_id is not None)
    record = data if isinstance(data, dict) else {}
    return Placeholder(
        task_id=args.task_id,
        placeholder_id=echo(record, body, "PlaceholderID"),
        role_id=echo(record, body, "RoleID"),
        hours=echo(record, body, "Hours"),
        rate_card_id=echo(record, body, "RateCardID"),
        rate=echo(record, body, "Rate"),
        is_active=echo(record, body, "IsActive"),
        is_pinned=echo(record, body, "IsPinned"),
    )


class TaskAssignments(OutputModel):
    task_id: int
    users: list[TaskUser] | None = Field(None, description="Absent when this account does not serve the read.")
    placeholders: list[Placeholder] | None = Field(
        None, description="Absent when this account does not serve the read."
    )
    note: str | None = None


def to_task_user(task_id: int, record: dict[str, Any]) -> TaskUser:
    return TaskUser(
        task_id=task_id,
        user_id=pick(record, "UserID"),
        hours=pick(record, "Hours"),
        rate_card_id=pick(record, "RateCardID"),
        rate=pick(record, "Rate"),
        cost_rate_card_id=pick(record, "CostRateCardID"),
        is_active=pick(record, "IsActive"),
        is_pinned=pick(record, "IsPinned"),
    )


def to_placeholder(task_id: int, record: dict[str, Any]) -> Placeholder:
    return Placeholder(
        task_id=task_id,
        placeholder_id=pick(record, "PlaceholderID", "ID"),
        role_id=pick(record, "RoleID"),
        hours=pick(record, "Hours"),
        rate_card_id=pick(record, "RateCardID"),
        rate=pick(record, "Rate"),
        is_active=pick(record, "IsActive"),
        is_pinned=pick(record, "IsPinned"),
    )


async def task_users(pw: ProjectworksClient, task_id: int) -> list[TaskUser] | None:
    """A task's user assignments (hours allocated per user); None when this account does not serve the read."""
    records = await sub_records(pw, f"/Tasks/{task_id}/Users")
    return None if records is None else [to_task_user(task_id, r) for r in records]


@tool(
    name="projectworks_list_task_assignments",
    title="List Task Assignments",
    toolset="projectworks.projects",
    kind="read",
    description="A task's user assignments and role placeholders (hours, rates, flags): read back what "
    "projectworks_update_task_user and projectworks_update_task_placeholder wrote.",
)
async def list_task_assignments(args: TaskIdInput, pw: ProjectworksClient, ctx: ToolContext) -> TaskAssignments:
    await fetch_required(pw, f"/Tasks/{args.task_id}", field="task_id", what="task", fix_with="projectworks_list_tasks")
    users = await task_users(pw, args.task_id)
    placeholders = await sub_records(pw, f"/Tasks/{args.task_id}/Placeholders")
    missing = [what for what, got in (("Users", users), ("Placeholders", placeholders)) if got is None]
    return TaskAssignments(
        task_id=args.task_id,
        users=users,
        placeholders=None if placeholders is None else [to_placeholder(args.task_id, r) for r in placeholders],
        note=f"This account answered 404/405 to GET /Tasks/{args.task_id}/{' and .../'.join(missing)}; "
        "projectworks_get_task lists assigned user_ids only."
        if missing
        else None,
    )
