"""Timesheet entries: time a user logged against a task, in whole minutes.

Timesheets break the REST pattern (reference §7.2 #6): there is no GET by id (filter the list by `ID`), an update
is `PUT /Timesheets` with a lowercase `id` IN THE BODY, and a delete is `DELETE /Timesheets?id=<id>`.

The API filters by user, task and single day but not by project or date range. `project_id` is resolved to the
project's tasks (one /Tasks request) and matched here; a date range of up to MAX_RANGE_DAYS days is asked day by
day (the API's Date filter), a longer or open range is a scan of at most SCAN_PAGES pages of 500 entries. The answer
says what was read and whether it was cut short.

Assignment (the API only accepts time from a user assigned to the task) is NOT checked here: the task's `Users`
array does not reliably reflect assignments (reference §2.3 #47), so a client-side check would refuse legitimate
entries. The API enforces it; when it refuses, the error says how to fix it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import date_part, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.custom_fields import CustomFieldValue, to_custom_fields
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

MINUTES_PER_DAY = 24 * 60
ASSIGNMENT_HINT = (
    "If the user is not assigned to the task (Projectworks only accepts time from assigned users), assign them with "
    "projectworks_update_task_user, or use a task they already log time on (projectworks_list_timesheets)."
)


class Timesheet(OutputModel):
    timesheet_id: int | None = Field(None, description="Absent only if the API's answer to a create had no id.")
    user_id: int | None = None
    user_name: str | None = None
    task_id: int | None = None
    task_name: str | None = None
    date: str | None = None
    minutes: int | None = None
    comment: str | None = None
    is_reviewed: bool | None = None
    modified_at: str | None = None
    custom_fields: list[CustomFieldValue] | None = None
    raw: RawRecord = None


def to_timesheet(record: dict[str, Any], include_raw: bool = False) -> Timesheet:
    name = " ".join(part for part in (pick(record, "FirstName"), pick(record, "LastName")) if part)
    return Timesheet(
        timesheet_id=pick(record, "ID", "TimesheetID"),
        user_id=pick(record, "UserID"),
        user_name=name or None,
        task_id=pick(record, "TaskID"),
        task_name=pick(record, "TaskName"),
        date=date_part(pick(record, "Date")),
        minutes=pick(record, "Minutes"),
        comment=pick(record, "Comment"),
        is_reviewed=pick(record, "IsReviewed"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=to_custom_fields(record),
        raw=record if include_raw else None,
    )


MAX_RANGE_DAYS = 31
SCAN_PAGES = 10
SCAN_PAGE_SIZE = 500


class ListTimesheetsInput(PageInput):
    timesheet_id: int | None = Field(None, gt=0, description="from projectworks_list_timesheets")
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    task_id: int | None = Field(None, gt=0, description="from projectworks_list_tasks")
    date: dt.date | None = Field(None, description="Only entries on this day, e.g. 2026-11-16.")
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    start_date: dt.date | None = Field(None, description="Only entries on or after this day.")
    end_date: dt.date | None = Field(None, description="Only entries on or before this day.")
    comment: str | None = Field(None, min_length=1, description="Exact comment text.")
    user_external_reference: str | None = Field(None, min_length=1, description="The user's external reference.")
    task_external_reference: str | None = Field(None, min_length=1, description="The task's external reference.")
    modified_since_date: dt.datetime | None = Field(
        None, description="Only entries modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_custom_fields: bool | None = Field(None, description="with custom field values")
    include_raw: IncludeRaw = False


async def rejection_hint(pw: ProjectworksClient, user_id: int, task_id: int) -> str:
    """The real cause of a refused entry: an id that is not a Projectworks user or task (often a Teamwork id: ids
    are per backend) before the assignment rule, which only applies when both exist. Reads only."""
    missing = []
    for path, field, finder in (
        (f"/Users/{user_id}", "user_id", "projectworks_search_users"),
        (f"/Tasks/{task_id}", "task_id", "projectworks_list_tasks"),
    ):
        try:
            await pw.get_one(path)
        except UpstreamError as exc:
            if exc.status != 404:
                raise
            missing.append(
                f"{field} {path.rsplit('/', 1)[-1]} is not a Projectworks {field[:-3]} (find it with {finder})"
            )
    if missing:
        return "; ".join(missing) + ". Ids are per backend: a Teamwork id means nothing to Projectworks."
    return ASSIGNMENT_HINT


class TimesheetPage(Page[Timesheet]):
    total_minutes: int | None = Field(None, description="Sum over every matching entry (filtered reads only).")
    scanned: int | None = Field(None, description="Entries read to answer a project or date-range filter.")


@tool(
    name="projectworks_list_timesheets",
    title="List Timesheets",
    toolset="projectworks.time",
    kind="read",
    description="List Projectworks timesheet entries (time logged by users on tasks).",
)
async def list_timesheets(args: ListTimesheetsInput, pw: ProjectworksClient, ctx: ToolContext) -> TimesheetPage:
    if args.start_date and args.end_date and args.end_date < args.start_date:
        raise InputError("end_date", "is before start_date.")
    params = {
        "ID": args.timesheet_id,
        "UserID": args.user_id,
        "TaskID": args.task_id,
        "Date": args.date.isoformat() if args.date else None,
        "Comment": args.comment,
        "UserExternalReference": args.user_external_reference,
        "TaskExternalReference": args.task_external_reference,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
        "IncludeCustomFields": args.include_custom_fields,
    }
    if args.project_id is None and args.start_date is None and args.end_date is None:
        records, has_more = await pw.list("/Timesheets", params, page=args.page, page_size=args.page_size)
        return TimesheetPage(**dict(page_of(records, to_timesheet, args, has_more)))
    matches, scanned, cut_short = await filtered_timesheets(pw, args, params)
    offset = (args.page - 1) * args.page_size
    page = page_of(
        matches[offset : offset + args.page_size], to_timesheet, args, len(matches) > offset + args.page_size
    )
    result = TimesheetPage(**dict(page), scanned=scanned)
    if cut_short:
        result.has_more = True
        result.more = (
            f"Only {scanned} entries were read (the scan limit); narrow by user_id, task_id or a shorter range."
        )
    else:
        result.total = len(matches)
        result.total_minutes = sum(pick(r, "Minutes") or 0 for r in matches)
    return result


async def filtered_timesheets(
    pw: ProjectworksClient, args: ListTimesheetsInput, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], int, bool]:
    """Entries matching project_id and the date range (see the module docstring). Returns (matches, read, cut)."""
    tasks: set[int] | None = None
    if args.project_id is not None:
        records, _ = await pw.list("/Tasks", {"ProjectID": args.project_id}, page=1, page_size=SCAN_PAGE_SIZE)
        tasks = {pick(r, "TaskID", "ID") for r in records}
    first = args.start_date.isoformat() if args.start_date else "0001-01-01"
    last = args.end_date.isoformat() if args.end_date else "9999-12-31"
    days: list[str | None] = [None]
    if args.start_date and args.end_date and (args.end_date - args.start_date).days < MAX_RANGE_DAYS and not args.date:
        count = (args.end_date - args.start_date).days + 1
        days = [(args.start_date + dt.timedelta(days=n)).isoformat() for n in range(count)]
    matches: list[dict[str, Any]] = []
    scanned, cut_short = 0, False
    for day in days:
        query = {**params, "Date": day or params["Date"]}
        for page in range(1, SCAN_PAGES + 1):
            records, more = await pw.list("/Timesheets", query, page=page, page_size=SCAN_PAGE_SIZE)
            scanned += len(records)
            for record in records:
                on = date_part(pick(record, "Date")) or ""
                if first <= on <= last and (tasks is None or pick(record, "TaskID") in tasks):
                    matches.append(record)
            if not more:
                break
            cut_short = cut_short or page == SCAN_PAGES
    return matches, scanned, cut_short


class DurationInput(InputModel):
    """Time logged: `hours` (decimal, e.g. 1.5) and/or `minutes`; they add up and are sent as whole minutes."""

    hours: float | None = Field(None, ge=0, le=24, description="added to minutes")
    minutes: int | None = Field(None, ge=0, le=MINUTES_PER_DAY, description="added to hours")

    def total_minutes(self) -> int | None:
        """The duration in whole minutes, or None when neither hours nor minutes was given."""
        if self.hours is None and self.minutes is None:
            return None
        from_hours = (self.hours or 0) * 60
        if abs(from_hours - round(from_hours)) > 1e-6:
            raise InputError("hours", f"{self.hours} hours is not a whole number of minutes; use minutes instead.")
        total = round(from_hours) + (self.minutes or 0)
        if not 0 < total <= MINUTES_PER_DAY:
            raise InputError("minutes", f"the entry must be between 1 and {MINUTES_PER_DAY} minutes (got {total}).")
        return total


class CreateTimesheetInput(DurationInput):
    user_id: int = Field(gt=0, description="Whose time it is (projectworks_list_users); must be assigned to the task.")
    task_id: int = Field(gt=0, description="from projectworks_list_tasks")
    date: dt.date = Field(description="The day worked, e.g. 2026-11-16.")
    comment: str | None = Field(None, max_length=2000, description="what the time was for")
    is_reviewed: bool | None = Field(None, description="Mark the entry as reviewed.")


@tool(
    name="projectworks_create_timesheet",
    title="Create Timesheet Entry",
    toolset="projectworks.time",
    kind="create",
    lookup="projectworks_list_timesheets",
    description="Log time for a user on a task and day; the user must be on the task (projectworks_update_task_user).",
)
async def create_timesheet(args: CreateTimesheetInput, pw: ProjectworksClient, ctx: ToolContext) -> Timesheet:
    minutes = args.total_minutes()
    if minutes is None:
        raise InputError("minutes", "give minutes and/or hours.")
    body = without_none(
        userID=args.user_id,
        taskID=args.task_id,
        date=args.date.isoformat(),
        minutes=minutes,
        comment=args.comment,
        isReviewed=args.is_reviewed,
    )
    try:
        data = await pw.post("/Timesheets", body)
    except UpstreamError as exc:
        if exc.status in (400, 409, 422):
            raise exc.with_hint(await rejection_hint(pw, args.user_id, args.task_id)) from None
        raise
    if not (isinstance(data, dict) and pick(data, "ID", "TimesheetID") is not None):
        raise pw.missing_record("POST", "/Timesheets", "the new timesheet entry (its ID)")
    return to_timesheet(data)


class UpdateTimesheetInput(DurationInput):
    timesheet_id: int = Field(gt=0, description="from projectworks_list_timesheets")
    user_id: int | None = Field(None, gt=0, description="Move the entry to this user; from projectworks_list_users")
    task_id: int | None = Field(None, gt=0, description="Move the entry to this task; from projectworks_list_tasks")
    date: dt.date | None = Field(None, description="Move the entry to this day.")
    comment: str | None = Field(None, max_length=2000, description="New comment; '' clears it.")
    is_reviewed: bool | None = Field(None, description="Mark the entry reviewed or not.")


@tool(
    name="projectworks_update_timesheet",
    title="Update Timesheet Entry",
    toolset="projectworks.time",
    kind="put",
    lookup="projectworks_list_timesheets",
    description="Change some fields of a timesheet entry (hours/minutes replace the duration).",
)
async def update_timesheet(args: UpdateTimesheetInput, pw: ProjectworksClient, ctx: ToolContext) -> Timesheet:
    minutes = args.total_minutes()
    changes = args.model_dump(exclude={"timesheet_id", "hours", "minutes"}, exclude_none=True)
    if minutes is None and not changes:
        raise InputError(
            "timesheet_id", "nothing to change: give minutes, hours, date, comment, user_id, task_id or is_reviewed."
        )
    # PUT /Timesheets is described as "replace" but the live test sends only {id, minutes}. Sending the current
    # entry with the changes merged in is correct under either reading, and proves the entry exists first.
    current = await fetch_timesheet(pw, args.timesheet_id)
    body = without_none(
        id=args.timesheet_id,
        userID=args.user_id or current.user_id,
        taskID=args.task_id or current.task_id,
        date=args.date.isoformat() if args.date else current.date,
        minutes=minutes if minutes is not None else current.minutes,
        comment=args.comment if args.comment is not None else current.comment,
        isReviewed=args.is_reviewed if args.is_reviewed is not None else current.is_reviewed,
    )
    try:
        data = await pw.put("/Timesheets", body)
    except UpstreamError as exc:
        if exc.status in (400, 409, 422) and (args.user_id or args.task_id):
            raise exc.with_hint(await rejection_hint(pw, body["userID"], body["taskID"])) from None
        raise
    return _written(data, body)


class DeleteTimesheetInput(InputModel):
    timesheet_id: int = Field(gt=0, description="from projectworks_list_timesheets")


@tool(
    name="projectworks_delete_timesheet",
    title="Delete Timesheet Entry",
    toolset="projectworks.time",
    kind="delete",
    lookup="projectworks_list_timesheets",
    description="Delete a Projectworks timesheet entry.",
)
async def delete_timesheet(args: DeleteTimesheetInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete("/Timesheets", {"id": args.timesheet_id})  # lowercase `id` query parameter, no id in the path
    return Deleted(id=args.timesheet_id)


async def fetch_timesheet(pw: ProjectworksClient, timesheet_id: int) -> Timesheet:
    """One entry, via the list filtered by `ID` (there is no GET /Timesheets/{id}); refuses when it is absent."""
    records, _ = await pw.list("/Timesheets", {"ID": timesheet_id}, page=1, page_size=1)
    for record in records:
        if pick(record, "ID", "TimesheetID") == timesheet_id:
            return to_timesheet(record)
    raise PrerequisiteError(f"Timesheet entry {timesheet_id} does not exist.", fix_with="projectworks_list_timesheets")


def _written(data: Any, body: dict[str, Any]) -> Timesheet:
    """The entry as the API answered; from what was sent when the answer carries no record."""
    if isinstance(data, dict) and pick(data, "ID", "TimesheetID") is not None:
        return to_timesheet(data)
    return Timesheet(
        timesheet_id=body.get("id"),
        user_id=body["userID"],
        task_id=body["taskID"],
        date=body["date"],
        minutes=body["minutes"],
        comment=body.get("comment"),
        is_reviewed=body.get("isReviewed"),
    )
