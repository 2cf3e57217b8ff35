"""Calendars and their events (v3), read as the SDK does (calendar.go, calendar_event.go).

Wire: `GET /projects/api/v3/calendars.json` (page/pageSize, `meta.page`); `GET /projects/api/v3/calendars/{id}/
events.json` with `startedAfterDate`/`endedBeforeDate` (YYYY-MM-DD), cursor paging (`cursor`, `limit`,
`meta.nextCursor`) and the instance flags the SDK always sends, so a recurring event comes back as its occurrences
in the window (never the master record, never deleted ones) and an event already under way is included.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import convert_page, fetch_v3_page, next_cursor_of
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

# The SDK's fixed event-list flags (calendar_event.go: "hardcoded filters to simplify API usage").
INSTANCE_FLAGS = {
    "includeMasterInstances": False,
    "showDeletedInstances": False,
    "includeInstances": True,
    "includeOngoingEvents": True,
    "includeDeletedInstances": False,
    "includeModifiedInstances": True,
    "includeTimelogs": False,
}
MAX_WINDOW_DAYS = 366


class Calendar(OutputModel):
    calendar_id: int
    name: str | None = None
    type: str | None = Field(None, description="event, blocked_time, google, outlook or holiday.")
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_calendar(record: dict[str, Any], include_raw: bool = False) -> Calendar:
    return Calendar(
        calendar_id=record["id"],
        name=record.get("name"),
        type=record.get("type"),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


class ListCalendarsInput(PageInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_calendars",
    title="List Calendars",
    toolset="teamwork.calendars",
    kind="read",
    description="List the calendars you can see (event, blocked time, holiday, synced Google/Outlook).",
)
async def list_calendars(args: ListCalendarsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Calendar]:
    return await fetch_v3_page(tw, "/calendars.json", "calendars", None, args, to_calendar)


class Person(OutputModel):
    user_id: int | None = None
    name: str | None = None
    email: str | None = None


def to_person(value: Any) -> Person | None:
    if not isinstance(value, dict):
        return None
    person = Person(user_id=rel_id(value.get("user")), name=value.get("fullName"), email=value.get("email"))
    return person if person.user_id or person.name or person.email else None


class Event(OutputModel):
    event_id: str
    summary: str | None = None
    description: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    time_zone: str | None = None
    all_day: bool | None = None
    type: str | None = Field(None, description="default, outOfOffice, focusTime or holiday.")
    status: str | None = None
    location: str | None = None
    video_call_link: str | None = None
    organizer: Person | None = None
    attendees: list[Person] | None = None
    project_id: int | None = Field(None, description="Set for a time block.")
    task_id: int | None = None
    raw: RawRecord = None


def to_event(record: dict[str, Any], include_raw: bool = False) -> Event:
    start = record.get("start") if isinstance(record.get("start"), dict) else {}
    end = record.get("end") if isinstance(record.get("end"), dict) else {}
    block = record.get("timeblock") if isinstance(record.get("timeblock"), dict) else {}
    attendees = [to_person(a.get("user")) for a in record.get("attendees") or [] if isinstance(a, dict)]
    return Event(
        event_id=str(record["id"]),
        summary=record.get("summary"),
        description=record.get("description") or None,
        starts_at=start.get("dateTime"),
        ends_at=end.get("dateTime"),
        time_zone=start.get("timeZone") or None,
        all_day=record.get("allDay"),
        type=record.get("type"),
        status=record.get("status"),
        location=record.get("location") or None,
        video_call_link=record.get("videoCallLink") or None,
        organizer=to_person(record.get("organizer")),
        attendees=[a for a in attendees if a] or None,
        project_id=rel_id(block.get("project")),
        task_id=rel_id(block.get("task")),
        raw=record if include_raw else None,
    )


class EventPage(OutputModel):
    calendar_id: int
    items: list[Event]
    has_more: bool
    next_cursor: str | None = Field(None, description="Pass as cursor for the next page.")
    warnings: list[str] | None = Field(None, description="Records that could not be read, left out.")


class ListEventsInput(InputModel):
    calendar_id: int = Field(gt=0, description="from teamwork_list_calendars")
    start_date: date = Field(description="Events starting on or after this day.")
    end_date: date = Field(description="Events ending on or before this day.")
    limit: int = Field(50, ge=1, le=500, description="Events per page.")
    cursor: str | None = Field(None, min_length=1, max_length=2000, description="next_cursor of the previous page.")
    include_raw: IncludeRaw = False

    @model_validator(mode="after")
    def _window(self) -> ListEventsInput:
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        if self.end_date - self.start_date > timedelta(days=MAX_WINDOW_DAYS):
            raise ValueError(f"the window may span at most {MAX_WINDOW_DAYS} days; split it into several calls")
        return self


@tool(
    name="teamwork_list_calendar_events",
    title="List Calendar Events",
    toolset="teamwork.calendars",
    kind="read",
    lookup="teamwork_list_calendars",
    description="List a calendar's events between two dates, recurring events as their occurrences.",
)
async def list_calendar_events(args: ListEventsInput, tw: TeamworkClient, ctx: ToolContext) -> EventPage:
    params = {
        "startedAfterDate": args.start_date.isoformat(),
        "endedBeforeDate": args.end_date.isoformat(),
        "cursor": args.cursor,
        "limit": args.limit,
        **INSTANCE_FLAGS,
    }
    answer = await tw.request("GET", f"{V3}/calendars/{args.calendar_id}/events.json", params=params)
    items, warnings = convert_page(tw.list_of(answer, "events"), to_event, args.limit, args.include_raw)
    next_cursor = next_cursor_of(tw.object_of(answer))
    return EventPage(
        calendar_id=args.calendar_id,
        items=items,
        has_more=next_cursor is not None,
        next_cursor=next_cursor,
        warnings=warnings,
    )
