"""Time entries (v3 timelogs): list, log against a task, update, delete.

Write keys and read keys differ upstream: a timelog is written with `hours` + `minutes` (summed) and `isBillable`,
and read back with a total `minutes` and `billable`. List date filters go out as RFC 3339, as the SDK sends them:
`start_date` from 00:00:00Z, `end_date` to 23:59:59Z.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import time as TimeOfDay
from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_person, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.teamwork.tasks import fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

DEFAULT_START = TimeOfDay(9, 0)
DAY_MINUTES = 24 * 60


class TimeEntry(OutputModel):
    time_entry_id: int
    date: str | None = None
    logged_at: str | None = Field(None, description="Start of the entry, ISO 8601 UTC.")
    minutes: int | None = Field(None, description="Total duration in minutes.")
    hours: float | None = Field(None, description="Total duration in hours, rounded to 2 decimals.")
    description: str | None = None
    billable: bool | None = None
    user_id: int | None = None
    task_id: int | None = None
    project_id: int | None = None
    tag_ids: list[int] | None = None
    raw: RawRecord = None


def to_entry(record: dict[str, Any], include_raw: bool = False) -> TimeEntry:
    minutes = record.get("minutes")
    logged = record.get("timeLogged")
    tags = record.get("tags")
    tag_ids = [rel_id(t) for t in tags] if isinstance(tags, list) else record.get("tagIds")
    return TimeEntry(
        time_entry_id=record["id"],
        date=str(logged)[:10] if logged else None,
        logged_at=logged,
        minutes=minutes,
        hours=round(minutes / 60, 2) if isinstance(minutes, int | float) else None,
        description=record.get("description") or None,
        billable=record.get("billable"),
        user_id=rel_id(record.get("user")) or record.get("userId"),
        task_id=rel_id(record.get("task")) or record.get("taskId") or None,
        project_id=rel_id(record.get("project")) or record.get("projectId"),
        tag_ids=[t for t in tag_ids or [] if t is not None],
        raw=record if include_raw else None,
    )


class ListTimeEntriesInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks")
    user_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_people")
    start_date: Date | None = Field(None, description="Only entries on or after this date (YYYY-MM-DD).")
    end_date: Date | None = Field(None, description="Only entries on or before this date (YYYY-MM-DD).")
    include_raw: IncludeRaw = False

    @model_validator(mode="after")
    def _consistent(self) -> ListTimeEntriesInput:
        if self.project_id and self.task_id:
            raise ValueError("give project_id or task_id, not both (a task belongs to one project)")
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValueError("start_date must not be after end_date")
        return self


@tool(
    name="teamwork_list_time_entries",
    title="List Time Entries",
    toolset="teamwork.time",
    kind="read",
    description="List time logged in Teamwork.",
)
async def list_time_entries(args: ListTimeEntriesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[TimeEntry]:
    path, params = time_query(args)
    return await fetch_v3_page(tw, path, "timelogs", params, args, to_entry)


def time_query(args: Any) -> tuple[str, dict[str, Any]]:
    """The v3 timelog list path (site, project or task) and query for list and count: project_id, task_id,
    user_ids, start_date, end_date."""
    if args.task_id:
        path = f"/tasks/{args.task_id}/time.json"
    elif args.project_id:
        path = f"/projects/{args.project_id}/time.json"
    else:
        path = "/time.json"
    params = {
        "assignedToUserIds": args.user_ids,
        "startDate": f"{args.start_date.isoformat()}T00:00:00Z" if args.start_date else None,
        "endDate": f"{args.end_date.isoformat()}T23:59:59Z" if args.end_date else None,
    }
    return path, params


class TimeFields(InputModel):
    """What a timelog says; shared by log (most required) and update (all optional)."""

    time: TimeOfDay | None = Field(None, description="HH:MM, default 09:00")
    is_utc: bool | None = Field(None, description="else the person's time zone")
    hours: int | None = Field(None, ge=0, le=24, description="Whole hours; added to minutes.")
    minutes: int | None = Field(None, ge=0, le=DAY_MINUTES, description="added to hours")
    description: str | None = Field(None, max_length=10_000, description="what the time was for")
    billable: bool | None = Field(None, description="default: the project's")
    user_id: int | None = Field(None, gt=0, description="from teamwork_list_people; omit for yourself")
    tag_ids: list[int] | None = Field(None, max_length=50, description="Tags to attach; from teamwork_list_tags")

    @model_validator(mode="after")
    def _sensible_duration(self) -> TimeFields:
        if self.hours is None and self.minutes is None:
            return self
        total = (self.hours or 0) * 60 + (self.minutes or 0)
        if not 0 < total <= DAY_MINUTES:
            raise ValueError("hours and minutes must add up to more than 0 and at most 24 hours")
        return self


def timelog_body(args: TimeFields, day: Date | None) -> dict[str, Any]:
    """The `timelog` object with only what was given; hours and minutes always travel together."""
    body: dict[str, Any] = {}
    if day is not None:
        body["date"] = day.isoformat()
    if args.time is not None:
        body["time"] = args.time.strftime("%H:%M:%S")
    if args.is_utc is not None:
        body["isUTC"] = args.is_utc
    if args.description is not None:
        body["description"] = args.description
    if args.hours is not None or args.minutes is not None:
        body["hours"] = args.hours or 0
        body["minutes"] = args.minutes or 0
    if args.billable is not None:
        body["isBillable"] = args.billable
    if args.user_id is not None:
        body["userId"] = args.user_id
    if args.tag_ids is not None:
        body["tagIds"] = args.tag_ids
    return body


class LogTimeInput(TimeFields):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    date: Date = Field(description="The day worked, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _has_duration(self) -> LogTimeInput:
        if self.hours is None and self.minutes is None:
            raise ValueError("give minutes, or hours and minutes")
        return self


@tool(
    name="teamwork_log_time",
    title="Log Time",
    toolset="teamwork.time",
    kind="create",
    lookup="teamwork_list_time_entries",
    description="Log time on a Teamwork task.",
)
async def log_time(args: LogTimeInput, tw: TeamworkClient, ctx: ToolContext) -> TimeEntry:
    await fetch_task(tw, args.task_id)
    if args.user_id is not None:
        await fetch_person(tw, args.user_id, field="user_id")
    defaults = {"time": args.time or DEFAULT_START, "is_utc": bool(args.is_utc)}
    body = timelog_body(args.model_copy(update=defaults), args.date)
    return to_entry(await tw.one("POST", f"{V3}/tasks/{args.task_id}/time.json", "timelog", body={"timelog": body}))


class UpdateTimeEntryInput(TimeFields):
    time_entry_id: int = Field(gt=0, description="from teamwork_list_time_entries")
    date: Date | None = Field(None, description="Move it to this day, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateTimeEntryInput:
        if not self.model_fields_set - {"time_entry_id"}:
            raise ValueError("give at least one field to change")
        return self


@tool(
    name="teamwork_update_time_entry",
    title="Update Time Entry",
    toolset="teamwork.time",
    kind="update",
    lookup="teamwork_list_time_entries",
    description="Change some fields of a Teamwork time entry.",
)
async def update_time_entry(args: UpdateTimeEntryInput, tw: TeamworkClient, ctx: ToolContext) -> TimeEntry:
    if args.user_id is not None:
        await fetch_person(tw, args.user_id, field="user_id")
    data = await tw.patch(f"{V3}/time/{args.time_entry_id}.json", {"timelog": timelog_body(args, args.date)})
    record = data.get("timelog") or (await tw.get(f"{V3}/time/{args.time_entry_id}.json")).get("timelog")
    return to_entry(record or {"id": args.time_entry_id})


class TimeEntryIdInput(InputModel):
    time_entry_id: int = Field(gt=0, description="from teamwork_list_time_entries")


@tool(
    name="teamwork_delete_time_entry",
    title="Delete Time Entry",
    toolset="teamwork.time",
    kind="delete",
    lookup="teamwork_list_time_entries",
    description="Delete a Teamwork time entry.",
)
async def delete_time_entry(args: TimeEntryIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/time/{args.time_entry_id}.json")
    return Deleted(id=args.time_entry_id)
