"""Leave requests: a user's days off, each day with a leave type and hours, in one status (requested, approved...).

Creating or replacing a request is refused before sending when a day uses an unknown or retired leave type, when the
status is not one of the account's leave statuses, or when a date repeats. Both lookups are cached per account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from projectops_mcp.errors import UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, no_duplicates, page_of, without_none
from projectops_mcp.projectworks._common import date_part, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.reference import require_leave_status, require_leave_types
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class LeaveDayOut(OutputModel):
    date: str | None = None
    type_id: int | None = None
    hours: float | None = None


class Leave(OutputModel):
    leave_id: int
    user_id: int | None = None
    status_id: int | None = None
    start_date: str | None = Field(None, description="The first day of leave.")
    end_date: str | None = Field(None, description="The last day of leave.")
    total_hours: float | None = None
    days: list[LeaveDayOut] | None = None
    request_comment: str | None = None
    response_comment: str | None = None
    is_review_required: bool | None = None
    external_reference: str | None = None
    modified_at: str | None = None
    raw: RawRecord = None


def to_leave(record: dict[str, Any], include_raw: bool = False) -> Leave:
    raw_days = pick(record, "Days") or []
    days = [
        LeaveDayOut(
            date=date_part(pick(d, "Date")),
            type_id=pick(d, "TypeID", "LeaveTypeID"),
            hours=pick(d, "Hours"),
        )
        for d in raw_days
        if isinstance(d, dict)
    ]
    dates = sorted(d.date for d in days if d.date)
    return Leave(
        leave_id=pick(record, "LeaveID", "ID"),
        user_id=pick(record, "UserID"),
        status_id=pick(record, "StatusID", "LeaveStatusID"),
        start_date=dates[0] if dates else None,
        end_date=dates[-1] if dates else None,
        total_hours=sum(d.hours or 0 for d in days) if days else None,
        days=days,
        request_comment=pick(record, "RequestComment"),
        response_comment=pick(record, "ResponseComment"),
        is_review_required=pick(record, "IsReviewRequired"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        raw=record if include_raw else None,
    )


# ---------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------


class ListLeavesInput(PageInput):
    leave_id: int | None = Field(None, gt=0, description="from projectworks_list_leaves")
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    type_id: int | None = Field(None, gt=0, description="from projectworks_list_leave_types")
    status_id: int | None = Field(None, gt=0, description="from projectworks_list_leave_statuses")
    start_date: dt.date | None = Field(None, description="Only leave on or after this date, YYYY-MM-DD.")
    end_date: dt.date | None = Field(None, description="Only leave on or before this date, YYYY-MM-DD.")
    external_reference: str | None = Field(None, min_length=1, description="exact match")
    modified_since_date: dt.datetime | None = Field(
        None, description="Only leave modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_list_leaves",
    title="List Leave",
    toolset="projectworks.leave",
    kind="read",
    description="List Projectworks leave requests.",
)
async def list_leaves(args: ListLeavesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Leave]:
    params = {
        "LeaveID": args.leave_id,
        "UserID": args.user_id,
        "TypeID": args.type_id,
        "StatusID": args.status_id,
        "StartDate": args.start_date.isoformat() if args.start_date else None,
        "EndDate": args.end_date.isoformat() if args.end_date else None,
        "ExternalReference": args.external_reference,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
    }
    records, has_more = await pw.list("/Leaves", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_leave, args, has_more)


class GetLeaveInput(InputModel):
    leave_id: int = Field(gt=0, description="from projectworks_list_leaves")
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_leave",
    title="Get Leave",
    toolset="projectworks.leave",
    kind="read",
    lookup="projectworks_list_leaves",
    description="Get one Projectworks leave request with its days.",
)
async def get_leave(args: GetLeaveInput, pw: ProjectworksClient, ctx: ToolContext) -> Leave:
    return to_leave(await pw.get_one(f"/Leaves/{args.leave_id}"), args.include_raw)


# ---------------------------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------------------------


class LeaveDay(InputModel):
    date: dt.date = Field(description="The day of leave, YYYY-MM-DD.")
    type_id: int = Field(gt=0, description="from projectworks_list_leave_types")
    hours: float = Field(gt=0, le=24, description="Hours of leave on that day.")


class LeaveFields(InputModel):
    """A whole leave request: create sends it as new, update replaces the stored one with it."""

    user_id: int = Field(gt=0, description="from projectworks_list_users")
    status_id: int = Field(
        gt=0,
        description="from projectworks_list_leave_statuses",
    )
    days: list[LeaveDay] = Field(min_length=1, description="every day of the request")
    request_comment: str | None = Field(None, description="The requester's comment.")
    response_comment: str | None = Field(None, description="The approver's comment.")
    is_review_required: bool | None = Field(None, description="Whether an approver must review it.")
    external_reference: str | None = Field(None, min_length=1, description="Your own id for the request.")

    @field_validator("days")
    @classmethod
    def _one_entry_per_date(cls, value: list[LeaveDay]) -> list[LeaveDay]:
        no_duplicates([d.date.isoformat() for d in value], "date")
        return value


class CreateLeaveInput(LeaveFields):
    pass


class UpdateLeaveInput(LeaveFields):
    leave_id: int = Field(gt=0, description="from projectworks_list_leaves")


async def check_leave_references(pw: ProjectworksClient, args: LeaveFields) -> None:
    """Refuse before sending: every day's type must be an active leave type, the status a configured status."""
    await require_leave_types(pw, [d.type_id for d in args.days], "days[].type_id")
    await require_leave_status(pw, args.status_id)


def leave_body(args: LeaveFields) -> dict[str, Any]:
    """camelCase body of reference §2.3 #41: days as [{date, typeID, hours}], dates sent as plain YYYY-MM-DD
    (as Autohive's tests do), None dropped. The leave id is path-only on update."""
    days = [{"date": d.date.isoformat(), "typeID": d.type_id, "hours": d.hours} for d in args.days]
    return without_none(
        userID=args.user_id,
        statusID=args.status_id,
        days=days,
        requestComment=args.request_comment,
        responseComment=args.response_comment,
        isReviewRequired=args.is_review_required,
        externalReference=args.external_reference,
    )


def returned_leave(data: Any) -> Leave | None:
    if isinstance(data, dict) and pick(data, "LeaveID", "ID") is not None:
        return to_leave(data)
    return None


@tool(
    name="projectworks_create_leave",
    title="Create Leave",
    toolset="projectworks.leave",
    kind="create",
    lookup="projectworks_list_leaves",
    description="Submit a leave request for a user: one entry per day with its leave type and hours.",
)
async def create_leave(args: CreateLeaveInput, pw: ProjectworksClient, ctx: ToolContext) -> Leave:
    await check_leave_references(pw, args)
    data = await pw.post("/Leaves", leave_body(args))
    return returned_leave(data) or await find_created_leave(pw, args)


async def find_created_leave(pw: ProjectworksClient, args: LeaveFields) -> Leave:
    """POST /Leaves was never exercised live: if it answers without the record, read the new one back by user and
    dates (the newest match wins) rather than report a success without an id."""
    dates = sorted(d.date.isoformat() for d in args.days)
    params = {"UserID": args.user_id, "StartDate": dates[0], "EndDate": dates[-1]}
    records, _ = await pw.list("/Leaves", params, page=1, page_size=100)
    leaves = sorted((to_leave(r) for r in records), key=lambda leave: leave.leave_id)
    if leaves:
        return leaves[-1]
    raise UpstreamError(
        f"Projectworks accepted the leave request but returned no record, and none was found for user "
        f"{args.user_id} on {dates[0]}..{dates[-1]}. Check with projectworks_list_leaves before submitting it again.",
        backend="Projectworks",
        method="POST",
        path="/Leaves",
    )


@tool(
    name="projectworks_update_leave",
    title="Update Leave",
    toolset="projectworks.leave",
    kind="replace",
    lookup="projectworks_get_leave",
    description="Replace a leave request in full: user, status and every day again; days left out are dropped.",
)
async def update_leave(args: UpdateLeaveInput, pw: ProjectworksClient, ctx: ToolContext) -> Leave:
    await check_leave_references(pw, args)
    data = await pw.put(f"/Leaves/{args.leave_id}", leave_body(args))
    return returned_leave(data) or to_leave(await pw.get_one(f"/Leaves/{args.leave_id}"))


class DeleteLeaveInput(InputModel):
    leave_id: int = Field(gt=0, description="from projectworks_list_leaves")


@tool(
    name="projectworks_delete_leave",
    title="Delete Leave",
    toolset="projectworks.leave",
    kind="delete",
    lookup="projectworks_list_leaves",
    description="Delete a Projectworks leave request.",
)
async def delete_leave(args: DeleteLeaveInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Leaves/{args.leave_id}")
    return Deleted(id=args.leave_id)
