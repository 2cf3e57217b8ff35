"""Time-tracking reminders (v3): "remind me at 18:00 on weekdays when I have logged less than 80% of my day".

One path for both verbs, no id: `POST /projects/api/v3/time/reminder.json` creates and `PATCH` the same path edits,
body `{"reminder": {"threshold", "time", "frequencyRRule", "isActive"}}` (Teamwork's own samples). Whether the
reminder is per user or per site, and what the response looks like, are unverified: the adapter accepts an empty
body or an object (wrapped in `reminder` or bare) and otherwise reports what it sent. There is no list or delete
tool: no source (SDK, official MCP server, Teamwork's request samples) shows a GET or DELETE for this path, and
switching the reminder off is `is_active=false`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from projectops_mcp.models import without_none
from projectops_mcp.teamwork.client import V3, TeamworkClient, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

PATH = f"{V3}/time/reminder.json"

# RFC 5545 RRULE parts and the form of their values.
_WEEKDAY = r"[+-]?(?:[1-9]|[1-4][0-9]|5[0-3])?(?:MO|TU|WE|TH|FR|SA|SU)"
_INT_LIST = r"[+-]?\d{1,3}(?:,[+-]?\d{1,3})*"
RRULE_PARTS: dict[str, str] = {
    "FREQ": r"SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY",
    "INTERVAL": r"[1-9]\d{0,3}",
    "COUNT": r"[1-9]\d{0,4}",
    "UNTIL": r"\d{8}(?:T\d{6}Z?)?",
    "BYDAY": rf"{_WEEKDAY}(?:,{_WEEKDAY})*",
    "BYMONTHDAY": _INT_LIST,
    "BYMONTH": _INT_LIST,
    "BYYEARDAY": _INT_LIST,
    "BYWEEKNO": _INT_LIST,
    "BYSETPOS": _INT_LIST,
    "BYHOUR": _INT_LIST,
    "BYMINUTE": _INT_LIST,
    "BYSECOND": _INT_LIST,
    "WKST": r"MO|TU|WE|TH|FR|SA|SU",
}


def check_rrule(text: str) -> str:
    """A recurrence rule such as FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR, normalised to upper case without an 'RRULE:'
    prefix (the form Teamwork's sample sends). Raises ValueError naming the bad part."""
    rule = text.strip().upper().removeprefix("RRULE:")
    seen: dict[str, str] = {}
    for part in rule.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise ValueError(f"'{part}' is not KEY=VALUE")
        if name not in RRULE_PARTS:
            raise ValueError(f"unknown RRULE part {name}; known parts: {', '.join(RRULE_PARTS)}")
        if name in seen:
            raise ValueError(f"{name} is given twice")
        if not re.fullmatch(RRULE_PARTS[name], value):
            raise ValueError(f"{name}={value} is not a valid value")
        seen[name] = value
    if "FREQ" not in seen:
        raise ValueError("FREQ is required, e.g. FREQ=DAILY")
    if "COUNT" in seen and "UNTIL" in seen:
        raise ValueError("COUNT and UNTIL cannot both be given")
    return rule


THRESHOLD = "Remind when less than this percentage of the day's capacity has been logged (0-100)."
TIME = "Time of day to check and remind, HH:MM:SS (24-hour), e.g. 18:00:00."
RRULE = "When to check, as an iCalendar RRULE: FREQ=DAILY, or FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR, ..."
HHMMSS = r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$"


class ReminderFields(InputModel):
    @field_validator("frequency_rrule", check_fields=False)
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return None if value is None else check_rrule(value)


class CreateTimeReminderInput(ReminderFields):
    threshold: int = Field(ge=0, le=100, description=THRESHOLD)
    time: str = Field(pattern=HHMMSS, description=TIME)
    frequency_rrule: str = Field(min_length=6, max_length=500, description=RRULE)
    is_active: bool = Field(True, description="Whether the reminder is switched on.")


class UpdateTimeReminderInput(ReminderFields):
    threshold: int | None = Field(None, ge=0, le=100, description=THRESHOLD)
    time: str | None = Field(None, pattern=HHMMSS, description=TIME)
    frequency_rrule: str | None = Field(None, min_length=6, max_length=500, description=RRULE)
    is_active: bool | None = Field(None, description="false switches the reminder off, true back on.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateTimeReminderInput:
        if all(v is None for v in (self.threshold, self.time, self.frequency_rrule, self.is_active)):
            raise ValueError("give at least one of threshold, time, frequency_rrule, is_active")
        return self


class TimeReminder(OutputModel):
    reminder_id: int | None = Field(None, description="Teamwork's id for the reminder, when it returns one.")
    threshold: int | None = None
    time: str | None = None
    frequency_rrule: str | None = None
    is_active: bool | None = None
    confirmed: bool = Field(
        description="True when Teamwork echoed the reminder back; false = built from what was sent."
    )
    sent: dict[str, Any] = Field(description="The `reminder` body Teamwork accepted.")


def reminder_body(args: CreateTimeReminderInput | UpdateTimeReminderInput) -> dict[str, Any]:
    pairs = {
        "threshold": args.threshold,
        "time": args.time,
        "frequencyRRule": args.frequency_rrule,
        "isActive": args.is_active,
    }
    return without_none(**pairs)


def to_time_reminder(data: Any, sent: dict[str, Any]) -> TimeReminder:
    """The reminder from the response when there is one (under `reminder`, or the bare object), else what was sent."""
    record = data.get("reminder", data) if isinstance(data, dict) else {}
    confirmed = isinstance(record, dict) and any(k in record for k in ("id", *sent))
    merged = {**sent, **(record if confirmed else {})}
    return TimeReminder(
        reminder_id=v1_int(merged.get("id")),
        threshold=v1_int(merged.get("threshold")),
        time=merged.get("time"),
        frequency_rrule=merged.get("frequencyRRule"),
        is_active=merged.get("isActive"),
        confirmed=confirmed,
        sent=sent,
    )


@tool(
    name="teamwork_create_time_reminder",
    title="Create Time Reminder",
    toolset="teamwork.time_reminders",
    kind="create",
    description="Set up the time-tracking reminder: remind people who logged less than threshold% of their day.",
)
async def create_time_reminder(args: CreateTimeReminderInput, tw: TeamworkClient, ctx: ToolContext) -> TimeReminder:
    body = reminder_body(args)
    return to_time_reminder(await tw.post(PATH, {"reminder": body}), body)


@tool(
    name="teamwork_update_time_reminder",
    title="Update Time Reminder",
    toolset="teamwork.time_reminders",
    kind="update",
    description="Change the time-tracking reminder, or switch it off with is_active=false.",
)
async def update_time_reminder(args: UpdateTimeReminderInput, tw: TeamworkClient, ctx: ToolContext) -> TimeReminder:
    body = reminder_body(args)
    return to_time_reminder(await tw.patch(PATH, {"reminder": body}), body)
