"""Planner allocations (v3, the SDK's allocation.go): a person booked on a project for a date range at so many
minutes per working day, optionally linked to tasks.

Wire: `{"allocation": {...}}` with `assignedUserID` (that casing), `startedAt`/`endedAt` (YYYY-MM-DD) and the
per-day rate as `secondsPerDay` (the SDK's preferred, exact form); POST 201, PATCH 200, DELETE 204 with
`{"hardDelete"}` (soft by default, undone by `PUT /restore`), task link/unlink POST 204. `color` is required on
create, so a default is sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, field_validator, model_validator

from projectops_mcp.errors import InputError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, no_duplicates, without_none
from projectops_mcp.teamwork._common import date_part, fetch_person, fetch_record, fetch_v3_page, rel_ids
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tasks import fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

DEFAULT_COLOR = "#4461d7"
FROM_LIST = "from teamwork_list_allocations"


class Allocation(OutputModel):
    allocation_id: int
    project_id: int | None = None
    user_id: int | None = None
    title: str | None = None
    description: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    minutes_per_day: int | None = None
    total_minutes: int | None = Field(None, description="Committed time over the range.")
    color: str | None = None
    billable: bool | None = None
    status: str | None = Field(None, description="active or deleted.")
    task_ids: list[int] | None = None
    raw: RawRecord = None


def to_allocation(record: dict[str, Any], include_raw: bool = False) -> Allocation:
    seconds = v1_int(record.get("secondsPerDay"))
    return Allocation(
        allocation_id=v1_int(record.get("id")) or 0,
        project_id=rel_id(record.get("project")),
        user_id=rel_id(record.get("assignedUser")),
        title=record.get("title") or None,
        description=record.get("description") or None,
        start_date=date_part(record.get("startedAt")),
        end_date=date_part(record.get("endedAt")),
        minutes_per_day=seconds // 60 if seconds is not None else None,
        total_minutes=v1_int(record.get("duration")),
        color=record.get("color") or None,
        billable=record.get("isBillable"),
        status=record.get("status"),
        task_ids=rel_ids(record.get("linkedTaskIDs")),
        raw=record if include_raw else None,
    )


async def fetch_allocation(tw: TeamworkClient, allocation_id: int) -> Allocation:
    record = await fetch_record(
        tw,
        "allocations",
        allocation_id,
        "allocation",
        field="allocation_id",
        what="allocation",
        fix_with="teamwork_list_allocations",
    )
    return to_allocation(record)


class ListAllocationsInput(PageInput):
    start_date: date | None = Field(None, description="Only allocations ending on or after this day.")
    end_date: date | None = Field(None, description="Only allocations starting on or before this day.")
    user_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_people")
    project_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="Text in the title.")
    include_deleted: bool = Field(False, description="Also deleted ones (restorable).")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_allocations",
    title="List Allocations",
    toolset="teamwork.planning",
    kind="read",
    description="List planner allocations (people booked on projects), by dates, people or projects.",
)
async def list_allocations(args: ListAllocationsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Allocation]:
    params = {
        "startDate": args.start_date.isoformat() if args.start_date else None,
        "endDate": args.end_date.isoformat() if args.end_date else None,
        "assignedUserIds": args.user_ids,
        "projectIds": args.project_ids,
        "searchTerm": args.search,
        "showDeleted": True if args.include_deleted else None,
    }
    return await fetch_v3_page(tw, "/allocations.json", "allocations", params, args, to_allocation)


class AllocationIdInput(InputModel):
    allocation_id: int = Field(gt=0, description=FROM_LIST)


class GetAllocationInput(AllocationIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_allocation",
    title="Get Allocation",
    toolset="teamwork.planning",
    kind="read",
    lookup="teamwork_list_allocations",
    description="Get one allocation: person, project, dates, minutes per day, linked tasks.",
)
async def get_allocation(args: GetAllocationInput, tw: TeamworkClient, ctx: ToolContext) -> Allocation:
    data = await tw.get(f"{V3}/allocations/{args.allocation_id}.json")
    return to_allocation(data.get("allocation") or {"id": args.allocation_id}, args.include_raw)


class AllocationFields(InputModel):
    title: str | None = Field(None, max_length=255, description="Short label.")
    description: str | None = Field(None, max_length=10_000, description="Notes.")
    start_date: date | None = Field(None, description="First day, YYYY-MM-DD.")
    end_date: date | None = Field(None, description="Last day, YYYY-MM-DD.")
    minutes_per_day: int | None = Field(None, ge=1, le=1440, description="Booked on each working day.")
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb.")
    billable: bool | None = Field(None, description="Billable time.")

    @model_validator(mode="after")
    def _ordered(self) -> AllocationFields:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


def allocation_body(args: AllocationFields) -> dict[str, Any]:
    return without_none(
        title=args.title,
        description=args.description,
        startedAt=args.start_date.isoformat() if args.start_date else None,
        endedAt=args.end_date.isoformat() if args.end_date else None,
        secondsPerDay=args.minutes_per_day * 60 if args.minutes_per_day else None,
        color=args.color,
        isBillable=args.billable,
    )


class CreateAllocationInput(AllocationFields):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    user_id: int = Field(gt=0, description="from teamwork_list_people")
    start_date: date = Field(description="First day, YYYY-MM-DD.")
    end_date: date = Field(description="Last day, YYYY-MM-DD.")
    minutes_per_day: int = Field(ge=1, le=1440, description="Booked on each working day, e.g. 480 = 8 h.")
    task_ids: list[int] | None = Field(None, max_length=100, description="Link tasks; from teamwork_list_tasks")

    @field_validator("task_ids")
    @classmethod
    def _once(cls, value: list[int] | None) -> list[int] | None:
        return no_duplicates(value, "task id") if value else value


@tool(
    name="teamwork_create_allocation",
    title="Create Allocation",
    toolset="teamwork.planning",
    kind="create",
    lookup="teamwork_list_allocations",
    description="Book a person on a project for a date range at so many minutes per working day.",
)
async def create_allocation(args: CreateAllocationInput, tw: TeamworkClient, ctx: ToolContext) -> Allocation:
    await fetch_project(tw, args.project_id)
    await fetch_person(tw, args.user_id, "user_id")
    for task_id in args.task_ids or []:
        await fetch_task(tw, task_id, "task_ids")
    body = {
        "projectId": args.project_id,
        "assignedUserID": args.user_id,
        **allocation_body(args),
        "color": args.color or DEFAULT_COLOR,
    }
    if args.task_ids:
        body["linkedTaskIDs"] = list(args.task_ids)
    return to_allocation(await tw.one("POST", f"{V3}/allocations.json", "allocation", body={"allocation": body}))


class UpdateAllocationInput(AllocationIdInput, AllocationFields):
    user_id: int | None = Field(None, gt=0, description="Reassign; from teamwork_list_people")


@tool(
    name="teamwork_update_allocation",
    title="Update Allocation",
    toolset="teamwork.planning",
    kind="update",
    lookup="teamwork_list_allocations",
    description="Change an allocation's dates, minutes per day, person, title or colour; only given fields are sent.",
)
async def update_allocation(args: UpdateAllocationInput, tw: TeamworkClient, ctx: ToolContext) -> Allocation:
    body = allocation_body(args)
    if args.user_id:
        await fetch_person(tw, args.user_id, "user_id")
        body["assignedUserID"] = args.user_id
    if not body:
        raise InputError("allocation_id", "nothing to change; give at least one other field.")
    if (args.start_date is None) != (args.end_date is None):
        current = await fetch_allocation(tw, args.allocation_id)
        start = args.start_date.isoformat() if args.start_date else current.start_date
        end = args.end_date.isoformat() if args.end_date else current.end_date
        if start and end and end < start:
            raise InputError("end_date", f"the range would end ({end}) before it starts ({start}).")
    data = await tw.patch(f"{V3}/allocations/{args.allocation_id}.json", {"allocation": body})
    return to_allocation(data.get("allocation") or {"id": args.allocation_id})


class DeleteAllocationInput(AllocationIdInput):
    permanent: bool = Field(False, description="Cannot be restored.")


@tool(
    name="teamwork_delete_allocation",
    title="Delete Allocation",
    toolset="teamwork.planning",
    kind="delete",
    lookup="teamwork_list_allocations",
    description="Delete an allocation; unless permanent, teamwork_restore_allocation brings it back.",
)
async def delete_allocation(args: DeleteAllocationInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    path = f"{V3}/allocations/{args.allocation_id}.json"
    await tw.request("DELETE", path, json_body={"hardDelete": args.permanent})
    return Deleted(id=args.allocation_id)


@tool(
    name="teamwork_restore_allocation",
    title="Restore Allocation",
    toolset="teamwork.planning",
    kind="action",
    lookup="teamwork_list_allocations",
    description="Restore a deleted (not permanently) allocation.",
)
async def restore_allocation(args: AllocationIdInput, tw: TeamworkClient, ctx: ToolContext) -> Allocation:
    data = await tw.put(f"{V3}/allocations/{args.allocation_id}/restore.json")
    return to_allocation(data.get("allocation") or {"id": args.allocation_id})


class AllocationTaskInput(AllocationIdInput):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    link: bool = Field(True, description="False unlinks.")


@tool(
    name="teamwork_link_allocation_task",
    title="Link Task to Allocation",
    toolset="teamwork.planning",
    kind="put",
    lookup="teamwork_list_allocations",
    description="Link a task to an allocation, or unlink it (link=false).",
)
async def link_allocation_task(args: AllocationTaskInput, tw: TeamworkClient, ctx: ToolContext) -> Allocation:
    await fetch_allocation(tw, args.allocation_id)
    await fetch_task(tw, args.task_id)
    verb = "link" if args.link else "unlink"
    await tw.post(f"{V3}/allocations/{args.allocation_id}/{verb}/{args.task_id}.json")
    return await fetch_allocation(tw, args.allocation_id)
