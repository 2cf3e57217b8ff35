"""Time reads beyond the list: one time entry, a count, and totals grouped by person, project, company, task list,
task or team (`GET /projects/api/v3/time/report/{type}.json`, the SDK's time_report.go; values in minutes)."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.teamwork._common import Count, v3_count
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.time_entries import TimeEntry, time_query, to_entry
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class GetTimeEntryInput(InputModel):
    time_entry_id: int = Field(gt=0, description="from teamwork_list_time_entries")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_time_entry",
    title="Get Time Entry",
    toolset="teamwork.time",
    kind="read",
    lookup="teamwork_list_time_entries",
    description="Get one Teamwork time entry.",
)
async def get_time_entry(args: GetTimeEntryInput, tw: TeamworkClient, ctx: ToolContext) -> TimeEntry:
    data = await tw.get(f"{V3}/time/{args.time_entry_id}.json")
    return to_entry(data.get("timelog") or {"id": args.time_entry_id}, args.include_raw)


class CountTimeEntriesInput(InputModel):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    task_id: int | None = Field(None, gt=0, description="from teamwork_list_tasks")
    user_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_people")
    start_date: Date | None = Field(None, description="On or after, YYYY-MM-DD.")
    end_date: Date | None = Field(None, description="On or before, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _one_scope(self) -> CountTimeEntriesInput:
        if self.project_id and self.task_id:
            raise ValueError("give project_id or task_id, not both")
        return self


@tool(
    name="teamwork_count_time_entries",
    title="Count Time Entries",
    toolset="teamwork.time",
    kind="read",
    description="Count Teamwork time entries.",
)
async def count_time_entries(args: CountTimeEntriesInput, tw: TeamworkClient, ctx: ToolContext) -> Count:
    path, params = time_query(args)
    return Count(count=await v3_count(tw, path, params))


GroupBy = Literal["user", "project", "company", "tasklist", "task", "team"]
# row key in the answer's `time` object, and the relationship naming the row's subject
_ROWS: dict[str, tuple[str, str]] = {
    "user": ("users", "user"),
    "project": ("projects", "project"),
    "company": ("companies", "company"),
    "tasklist": ("tasklists", "tasklist"),
    "task": ("tasks", "task"),
    "team": ("teams", "team"),
}


class TimeTotal(OutputModel):
    id: int = Field(description="The person, project, company, task list, task or team.")
    logged_minutes: int | None = None
    billable_minutes: int | None = None
    non_billable_minutes: int | None = None
    billed_minutes: int | None = None
    estimated_minutes: int | None = None
    raw: RawRecord = None


class SummarizeTimeInput(PageInput):
    group_by: GroupBy = Field(description="One row per this.")
    start_date: Date = Field(description="First day, YYYY-MM-DD.")
    end_date: Date = Field(description="Last day, YYYY-MM-DD.")
    project_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_projects")
    user_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_people")
    include_archived_projects: bool | None = Field(None, description="Count archived projects' time too.")
    include_raw: IncludeRaw = False

    @model_validator(mode="after")
    def _ordered(self) -> SummarizeTimeInput:
        if self.start_date > self.end_date:
            raise ValueError("start_date must not be after end_date")
        return self


@tool(
    name="teamwork_summarize_time",
    title="Summarize Time",
    toolset="teamwork.time",
    kind="read",
    description="Total logged, billable and estimated minutes per person, project, task or team over a date range.",
)
async def summarize_time(args: SummarizeTimeInput, tw: TeamworkClient, ctx: ToolContext) -> Page[TimeTotal]:
    params = {
        "type": args.group_by,
        "startDate": args.start_date.isoformat(),
        "endDate": args.end_date.isoformat(),
        "projectIds": args.project_ids,
        "userIds": args.user_ids,
        "includeArchivedProjects": args.include_archived_projects,
        "page": args.page,
        "pageSize": args.page_size,
    }
    data = await tw.get(f"{V3}/time/report/{args.group_by}.json", params)
    key, subject = _ROWS[args.group_by]
    rows = ((data.get("time") or {}).get(key)) or []
    meta = (data.get("meta") or {}).get("page") or {}

    def convert(row: dict[str, Any], include_raw: bool) -> TimeTotal:
        return TimeTotal(
            id=rel_id(row.get(subject)) or 0,
            logged_minutes=v1_int(row.get("loggedTime")),
            billable_minutes=v1_int(row.get("billableTime")),
            non_billable_minutes=v1_int(row.get("nonBillableTime")),
            billed_minutes=v1_int(row.get("billedTime")),
            estimated_minutes=v1_int(row.get("estimatedTime")),
            raw=row if include_raw else None,
        )

    return page_of(rows, convert, args, bool(meta.get("hasMore")), v1_int(meta.get("count")))
