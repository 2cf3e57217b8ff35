"""Timers (v3): start a clock on a task or project, pause, resume, and complete it into a time entry.

Wire (the SDK's timer.go): the caller's timers are written under `/projects/api/v3/me/timers` (POST 201
`{"timer": {...}}`; PUT for update, `/pause`, `/resume`, `/complete`, each 200 with the timer; DELETE 204), and
anyone's are read under `/projects/api/v3/timers`. `projectId` is required on start, so a task's project is looked
up from its task list.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, without_none
from projectops_mcp.teamwork._common import fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tasklists import fetch_tasklist
from projectops_mcp.teamwork.tasks import fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

ME = f"{V3}/me/timers"


class Timer(OutputModel):
    timer_id: int
    running: bool | None = None
    description: str | None = None
    billable: bool | None = None
    seconds: int | None = Field(None, description="Time on the clock.")
    user_id: int | None = None
    project_id: int | None = None
    task_id: int | None = None
    time_entry_id: int | None = Field(None, description="Set once completed; see teamwork_get_time_entry.")
    last_started_at: str | None = None
    raw: RawRecord = None


def to_timer(record: dict[str, Any], include_raw: bool = False) -> Timer:
    return Timer(
        timer_id=v1_int(record.get("id")) or 0,
        running=record.get("running"),
        description=record.get("description") or None,
        billable=record.get("billable"),
        seconds=v1_int(record.get("duration")),
        user_id=rel_id(record.get("user")),
        project_id=rel_id(record.get("project")),
        task_id=rel_id(record.get("task")),
        time_entry_id=rel_id(record.get("timelog")),
        last_started_at=record.get("lastStartedAt"),
        raw=record if include_raw else None,
    )


class ListTimersInput(PageInput):
    user_id: int | None = Field(None, gt=0, description="from teamwork_list_people")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks")
    running_only: bool = Field(False, description="running only")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_timers",
    title="List Timers",
    toolset="teamwork.timers",
    kind="read",
    description="List Teamwork timers.",
)
async def list_timers(args: ListTimersInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Timer]:
    params = {
        "userId": args.user_id,
        "projectId": args.project_id,
        "taskId": args.task_id,
        "runningTimersOnly": True if args.running_only else None,
    }
    return await fetch_v3_page(tw, "/timers.json", "timers", params, args, to_timer)


class TimerIdInput(InputModel):
    timer_id: int = Field(gt=0, description="from teamwork_list_timers")


class GetTimerInput(TimerIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_timer",
    title="Get Timer",
    toolset="teamwork.timers",
    kind="read",
    lookup="teamwork_list_timers",
    description="Get one Teamwork timer.",
)
async def get_timer(args: GetTimerInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    data = await tw.get(f"{V3}/timers/{args.timer_id}.json")
    return to_timer(data.get("timer") or {"id": args.timer_id}, args.include_raw)


class TimerFields(InputModel):
    description: str | None = Field(None, max_length=10_000, description="what the time is for")
    billable: bool | None = Field(None, description="default: the project's")
    stop_running_timers: bool | None = Field(None, description="pause your other timers")


class StartTimerInput(TimerFields):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects; implied by task_id")
    task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks")
    seconds: int | None = Field(None, ge=0, le=86_400 * 7, description="Start with this much time on the clock.")

    @model_validator(mode="after")
    def _needs_target(self) -> StartTimerInput:
        if not self.project_id and not self.task_id:
            raise ValueError("give task_id or project_id")
        return self


async def _project_of_task(tw: TeamworkClient, task_id: int, project_id: int | None) -> int:
    task = await fetch_task(tw, task_id)
    tasklist = await fetch_tasklist(tw, task.tasklist_id or 0, "task_id")
    if project_id and tasklist.project_id != project_id:
        raise InputError("project_id", f"task {task_id} is in project {tasklist.project_id}; omit project_id.")
    return tasklist.project_id or 0


@tool(
    name="teamwork_start_timer",
    title="Start Timer",
    toolset="teamwork.timers",
    kind="create",
    lookup="teamwork_list_timers",
    description="Start your timer on a task or project; teamwork_complete_timer logs the time.",
)
async def start_timer(args: StartTimerInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    if args.task_id:
        project_id = await _project_of_task(tw, args.task_id, args.project_id)
    else:
        project_id = (await fetch_project(tw, args.project_id or 0)).project_id
    body = without_none(
        projectId=project_id,
        taskId=args.task_id,
        description=args.description,
        isBillable=args.billable,
        isRunning=True,
        seconds=args.seconds,
        stopRunningTimers=args.stop_running_timers,
    )
    return to_timer(await tw.one("POST", f"{ME}.json", "timer", body={"timer": body}))


class UpdateTimerInput(TimerIdInput, TimerFields):
    task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks")


@tool(
    name="teamwork_update_timer",
    title="Update Timer",
    toolset="teamwork.timers",
    kind="update",
    lookup="teamwork_list_timers",
    description="Change your Teamwork timer.",
)
async def update_timer(args: UpdateTimerInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    body = without_none(
        description=args.description, isBillable=args.billable, stopRunningTimers=args.stop_running_timers
    )
    if args.task_id:
        body |= {"projectId": await _project_of_task(tw, args.task_id, None), "taskId": args.task_id}
    if not body:
        raise InputError("timer_id", "nothing to change; give description, billable or task_id.")
    data = await tw.put(f"{ME}/{args.timer_id}.json", {"timer": body})
    return to_timer(data.get("timer") or {"id": args.timer_id})


async def _timer_action(tw: TeamworkClient, timer_id: int, verb: str) -> Timer:
    # complete creates a time entry: never re-sent after an unclear failure, unlike pause/resume
    answer = await tw.request("PUT", f"{ME}/{timer_id}/{verb}.json", idempotent=verb != "complete")
    return to_timer((answer.data or {}).get("timer") or {"id": timer_id})


@tool(
    name="teamwork_pause_timer",
    title="Pause Timer",
    toolset="teamwork.timers",
    kind="action",
    lookup="teamwork_list_timers",
    description="Pause your running timer; resume it with teamwork_resume_timer.",
)
async def pause_timer(args: TimerIdInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    return await _timer_action(tw, args.timer_id, "pause")


@tool(
    name="teamwork_resume_timer",
    title="Resume Timer",
    toolset="teamwork.timers",
    kind="action",
    lookup="teamwork_list_timers",
    description="Resume your paused timer (one running timer per task).",
)
async def resume_timer(args: TimerIdInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    return await _timer_action(tw, args.timer_id, "resume")


@tool(
    name="teamwork_complete_timer",
    title="Complete Timer",
    toolset="teamwork.timers",
    kind="action",
    lookup="teamwork_list_timers",
    description="Stop your timer and log its time as a time entry.",
)
async def complete_timer(args: TimerIdInput, tw: TeamworkClient, ctx: ToolContext) -> Timer:
    return await _timer_action(tw, args.timer_id, "complete")


@tool(
    name="teamwork_delete_timer",
    title="Delete Timer",
    toolset="teamwork.timers",
    kind="delete",
    lookup="teamwork_list_timers",
    description="Discard your timer without logging time.",
)
async def delete_timer(args: TimerIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{ME}/{args.timer_id}.json")
    return Deleted(id=args.timer_id)
