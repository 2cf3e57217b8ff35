"""Resourcing bookings: who is planned on which project, module or task, when, and for how many hours.

Read-only in the API. Capacity and pencilled bookings come back with `ResourceID: null` and cannot be fetched on
their own, so `resource_id` is optional in the output. The API's `AfterResourceID` cursor is not offered: it skips
every booking without an id; pages do not.

The API's StartDate/EndDate filters keep only bookings wholly inside the range, so a booking running across its
edge is missed. By default (dates="overlap") the tool asks without them and keeps every booking that shares a day
with the range, reading at most OVERLAP_SCAN_PAGES pages of 500; dates="within" passes them through.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.projectworks._common import DatedFields, date_part, iso_date, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Resource(OutputModel):
    resource_id: int | None = Field(
        None, description="Absent for capacity or pencilled bookings, which cannot be fetched individually."
    )
    project_id: int | None = None
    module_id: int | None = None
    task_id: int | None = None
    user_id: int | None = None
    resource_type_id: int | None = None
    mode_id: int | None = None
    level_id: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    hours: float | None = None
    modified_at: str | None = None
    raw: RawRecord = None


def to_resource(record: dict[str, Any], include_raw: bool = False) -> Resource:
    return Resource(
        resource_id=pick(record, "ResourceID"),
        project_id=pick(record, "ProjectID"),
        module_id=pick(record, "ModuleID"),
        task_id=pick(record, "TaskID"),
        user_id=pick(record, "UserID"),
        resource_type_id=pick(record, "ResourceTypeID"),
        mode_id=pick(record, "ModeID"),
        level_id=pick(record, "LevelID"),
        start_date=date_part(pick(record, "StartDate")),
        end_date=date_part(pick(record, "EndDate")),
        hours=pick(record, "Hours"),
        modified_at=pick(record, "ModifiedDateUTC"),
        raw=record if include_raw else None,
    )


def _copy_from_booking(what: str) -> str:
    return f"Only bookings of this {what}; no lookup exists, copy the id from a booking (projectworks_list_resources)."


OVERLAP_SCAN_PAGES = 10
SCAN_PAGE_SIZE = 500


class ListResourcesInput(PageInput, DatedFields):
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    module_id: int | None = Field(None, gt=0, description="from projectworks_list_modules")
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    resource_type_id: int | None = Field(None, gt=0, description=_copy_from_booking("resource type"))
    mode_id: int | None = Field(None, gt=0, description=_copy_from_booking("mode"))
    level_id: int | None = Field(None, gt=0, description=_copy_from_booking("level"))
    start_date: date | None = Field(None, description="Range start, YYYY-MM-DD.")
    end_date: date | None = Field(None, description="Range end, YYYY-MM-DD.")
    dates: Literal["overlap", "within"] = Field(
        "overlap", description="overlap: bookings sharing a day with the range; within: wholly inside it."
    )
    modified_since_date: datetime | None = Field(
        None, description="Only bookings modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_list_resources",
    title="List Resource Bookings",
    toolset="projectworks.resourcing",
    kind="read",
    description="List Projectworks resourcing bookings (planned hours per user on projects, modules, tasks).",
)
async def list_resources(args: ListResourcesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Resource]:
    overlap = args.dates == "overlap" and (args.start_date or args.end_date)
    params = {
        "ProjectID": args.project_id,
        "ModuleID": args.module_id,
        "ResourceTypeID": args.resource_type_id,
        "UserID": args.user_id,
        "StartDate": None if overlap else iso_date(args.start_date),
        "EndDate": None if overlap else iso_date(args.end_date),
        "ModeID": args.mode_id,
        "LevelID": args.level_id,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
    }
    if not overlap:
        records, has_more = await pw.list("/Resources", params, page=args.page, page_size=args.page_size)
        return page_of(records, to_resource, args, has_more)
    first, last = iso_date(args.start_date) or "0001-01-01", iso_date(args.end_date) or "9999-12-31"
    matches: list[dict[str, Any]] = []
    cut_short = False
    for page in range(1, OVERLAP_SCAN_PAGES + 1):
        records, more = await pw.list("/Resources", params, page=page, page_size=SCAN_PAGE_SIZE)
        for record in records:
            start, end = date_part(pick(record, "StartDate")), date_part(pick(record, "EndDate"))
            if (not start or start <= last) and (not end or end >= first):
                matches.append(record)
        if not more:
            break
        cut_short = page == OVERLAP_SCAN_PAGES
    offset = (args.page - 1) * args.page_size
    shown = matches[offset : offset + args.page_size]
    has_more = cut_short or len(matches) > offset + args.page_size
    result = page_of(shown, to_resource, args, has_more, total=None if cut_short else len(matches))
    if cut_short:
        result.more = (
            f"Only the first {OVERLAP_SCAN_PAGES * SCAN_PAGE_SIZE} bookings were read; narrow by user_id or "
            "project_id to see the rest."
        )
    return result


class GetResourceInput(InputModel):
    resource_id: int = Field(
        gt=0, description="The booking (projectworks_list_resources; bookings without a resource_id cannot be fetched)."
    )
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_resource",
    title="Get Resource Booking",
    toolset="projectworks.resourcing",
    kind="read",
    lookup="projectworks_list_resources",
    description="Get one Projectworks resourcing booking.",
)
async def get_resource(args: GetResourceInput, pw: ProjectworksClient, ctx: ToolContext) -> Resource:
    return to_resource(await pw.get_one(f"/Resources/{args.resource_id}"), args.include_raw)
