"""Task reminders (v1 only): a nudge by e-mail, SMS or push to one person, several, or everyone assigned, at a
fixed time or relative to the task's due date.

The request body follows Teamwork's own samples key for key: `user-id` and `assigneeDetails` name the recipients
(looked up for their names; `user-id` is always an array of id strings, the sample's form), and "all assignees"
is the special assignee `-3` with `peopleAssigned: true`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Deleted, Page
from projectops_mcp.teamwork._common import fetch_person
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_bool, v1_ids, v1_int
from projectops_mcp.teamwork.tasks import Task, fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

ALL_ASSIGNEES_ID = "-3"
ALL_ASSIGNEES_LABEL = "All people assigned to the task"
DEFAULT_TIME = time(9, 0)


class Reminder(OutputModel):
    reminder_id: int
    task_id: int | None = None
    type: str | None = None
    note: str | None = None
    date_time_utc: str | None = None
    user_ids: list[int] | None = None
    all_assignees: bool | None = None
    is_relative: bool | None = None
    relative_days: int | None = None
    was_sent: bool | None = None


def to_reminder(record: dict[str, Any]) -> Reminder:
    return Reminder(
        reminder_id=v1_int(record.get("id")) or 0,
        task_id=v1_int(record.get("task-id")),
        type=record.get("type"),
        note=record.get("note"),
        date_time_utc=record.get("date-time-utc") or None,
        user_ids=v1_ids(record.get("user-id")),
        all_assignees=v1_bool(record.get("peopleAssigned")),
        is_relative=v1_bool(record.get("isRelative")),
        relative_days=v1_int(record.get("relative-number-days")),
        was_sent=v1_bool(record.get("was-sent")),
    )


class ReminderFields(InputModel):
    note: str = Field("", max_length=2000, description="Text of the reminder.")
    type: Literal["EMAIL", "SMS", "PUSH"] = Field("EMAIL", description="How the reminder is delivered.")
    date_time_utc: datetime | None = Field(
        None,
        description="When to send it, ISO 8601 in UTC (e.g. 2026-12-01T09:00:00Z). Required unless is_relative; "
        "with is_relative only its time of day is used (default 09:00).",
    )
    user_ids: list[int] | None = Field(
        None, min_length=1, max_length=50, description="People to remind; from teamwork_list_people"
    )
    all_assignees: bool = Field(False, description="instead of user_ids")
    is_relative: bool = Field(False, description="relative to the due date")
    relative_days: int | None = Field(
        None,
        ge=-365,
        le=365,
        description="with is_relative: days before due (negative: after)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> ReminderFields:
        if self.all_assignees and self.user_ids:
            raise ValueError("give either user_ids or all_assignees=true, not both")
        if not self.all_assignees and not self.user_ids:
            raise ValueError("user_ids is required (or set all_assignees=true)")
        if self.is_relative and self.relative_days is None:
            raise ValueError("relative_days is required when is_relative is true")
        if not self.is_relative and self.relative_days is not None:
            raise ValueError("relative_days only applies when is_relative is true")
        if not self.is_relative and self.date_time_utc is None:
            raise ValueError("date_time_utc is required unless is_relative is true")
        return self


class CreateTaskReminderInput(ReminderFields):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")


class UpdateTaskReminderInput(ReminderFields):
    reminder_id: int = Field(gt=0, description="from teamwork_list_task_reminders")
    task_id: int | None = Field(
        None,
        gt=0,
        description="The reminder's task (teamwork_list_tasks); required with is_relative or all_assignees (its due "
        "date and assignees are read from it).",
    )

    @model_validator(mode="after")
    def _task_when_needed(self) -> UpdateTaskReminderInput:
        if (self.is_relative or self.all_assignees) and self.task_id is None:
            raise ValueError("task_id is required when is_relative or all_assignees is true")
        return self


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fire_time(args: ReminderFields, task: Task | None) -> str:
    """The fixed time, or (relative) the due date minus relative_days at the given time of day."""
    if not args.is_relative:
        assert args.date_time_utc is not None
        return _utc_text(args.date_time_utc)
    assert task is not None and task.due_date and args.relative_days is not None
    due = date.fromisoformat(task.due_date)
    at = args.date_time_utc.astimezone(UTC).time() if args.date_time_utc and args.date_time_utc.tzinfo else None
    at = at or (args.date_time_utc.time() if args.date_time_utc else DEFAULT_TIME)
    return _utc_text(datetime.combine(due - timedelta(days=args.relative_days), at))


async def build_reminder_body(
    tw: TeamworkClient, args: ReminderFields, task_id: int | None, reminder_id: int | None
) -> dict[str, Any]:
    """The `reminder` object exactly as Teamwork's samples send it; prerequisites checked first."""
    task: Task | None = None
    if task_id is not None and (args.is_relative or args.all_assignees):
        task = await fetch_task(tw, task_id)
    if args.is_relative and task is not None and not task.due_date:
        raise PrerequisiteError(
            f"task {task_id} has no due date, so a reminder relative to it cannot be set. Give the task a due "
            "date first, or send a fixed date_time_utc with is_relative=false.",
            fix_with="teamwork_update_task",
        )
    body: dict[str, Any] = {"note": args.note, "type": args.type, "date-time-utc": _fire_time(args, task)}
    if args.all_assignees:
        assert task is not None
        if not task.assignee_user_ids:
            raise PrerequisiteError(
                f"task {task_id} has nobody assigned, so 'all assignees' would remind no one. Assign people first, "
                "or name user_ids.",
                fix_with="teamwork_update_task",
            )
        body["user-id"] = [str(u) for u in task.assignee_user_ids]
    else:
        body["user-id"] = [str(u) for u in args.user_ids or []]  # id strings in every form, as the sample sends
    body["isRelative"] = args.is_relative
    if args.is_relative:
        body["relative-number-days"] = str(args.relative_days)
    if reminder_id is not None and not args.all_assignees:
        body["id"] = str(reminder_id)
    body["peopleAssigned"] = args.all_assignees
    body["assignToMultiple"] = False
    if args.all_assignees:
        body["assigneeDetails"] = [
            {"id": ALL_ASSIGNEES_ID, "label": ALL_ASSIGNEES_LABEL, "firstName": ALL_ASSIGNEES_LABEL, "lastName": ""}
        ]
    else:
        details = []
        for user_id in args.user_ids or []:
            person = await fetch_person(tw, user_id)
            first, last = person.get("firstName", ""), person.get("lastName", "")
            details.append({"id": user_id, "label": f"{first} {last}".strip(), "firstName": first, "lastName": last})
        body["assigneeDetails"] = details
    body["usingOffSetDueDate"] = False
    return body


def _sent_reminder(reminder_id: int, task_id: int | None, body: dict[str, Any]) -> Reminder:
    return Reminder(
        reminder_id=reminder_id,
        task_id=task_id,
        type=body["type"],
        note=body["note"],
        date_time_utc=body["date-time-utc"],
        user_ids=[int(u) for u in body["user-id"]],
        all_assignees=body["peopleAssigned"],
        is_relative=body["isRelative"],
        relative_days=int(body["relative-number-days"]) if "relative-number-days" in body else None,
    )


@tool(
    name="teamwork_update_task_reminder",
    title="Update Task Reminder",
    toolset="teamwork.reminders",
    kind="put",
    lookup="teamwork_list_task_reminders",
    description="Change a task reminder: who, how (EMAIL/SMS/PUSH) and when.",
)
async def update_task_reminder(args: UpdateTaskReminderInput, tw: TeamworkClient, ctx: ToolContext) -> Reminder:
    body = await build_reminder_body(tw, args, args.task_id, args.reminder_id)
    await tw.put(f"/taskreminders/{args.reminder_id}.json", {"reminder": body})
    return _sent_reminder(args.reminder_id, args.task_id, body)


@tool(
    name="teamwork_create_task_reminder",
    title="Create Task Reminder",
    toolset="teamwork.reminders",
    kind="create",
    lookup="teamwork_list_task_reminders",
    description="Add a reminder to a task, for some people or all assignees, at a time or days before it is due.",
)
async def create_task_reminder(args: CreateTaskReminderInput, tw: TeamworkClient, ctx: ToolContext) -> Reminder:
    await fetch_task(tw, args.task_id)
    body = await build_reminder_body(tw, args, args.task_id, None)
    path = f"/tasks/{args.task_id}/reminders.json"
    reminder_id = v1_int(ikey(await tw.post(path, {"reminder": body}), "id"))
    if not reminder_id:
        raise tw.missing_record("POST", path, "the new reminder's id")
    return _sent_reminder(reminder_id, args.task_id, body)


class TaskIdInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")


@tool(
    name="teamwork_list_task_reminders",
    title="List Task Reminders",
    toolset="teamwork.reminders",
    kind="read",
    description="List the reminders set on a task.",
)
async def list_task_reminders(args: TaskIdInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Reminder]:
    # Teamwork answers every reminder of the task at once: one page, with the same envelope as every other list.
    data = await tw.get(f"/tasks/{args.task_id}/reminders.json")
    items = [to_reminder(r) for r in data.get("reminders") or []]
    return Page(items=items, page=1, page_size=max(len(items), 1), has_more=False, total=len(items))


class ReminderIdInput(InputModel):
    reminder_id: int = Field(gt=0, description="from teamwork_list_task_reminders")


@tool(
    name="teamwork_delete_task_reminder",
    title="Delete Task Reminder",
    toolset="teamwork.reminders",
    kind="delete",
    lookup="teamwork_list_task_reminders",
    description="Delete a task reminder so it is never sent.",
)
async def delete_task_reminder(args: ReminderIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/taskreminders/{args.reminder_id}.json")
    return Deleted(id=args.reminder_id)
