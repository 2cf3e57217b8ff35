"""Workload (v3 `GET /projects/api/v3/workload.json`): how much of each person's working day is already planned,
date by date, from their assigned task estimates and their working hours.

Two wire details: `include` is sent repeated (`include=users&include=workingHours`), as Teamwork's SDK sends it,
not comma-joined; and `omitEmptyDateEntries=true` is always sent (the SDK does), so days with nothing planned and
no unavailability are left out of the answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.models import Page, PageInput
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.toolkit import OutputModel, ToolContext, tool
from projectops_mcp.wire import Repeated

MAX_DAYS = 366


class WorkloadDay(OutputModel):
    date: str
    planned_percent: float | None = Field(
        None, description="Planned load as a percentage of the person's working time that day; above 100 = overbooked."
    )
    planned_minutes: int | None = Field(None, description="Planned load in minutes (task estimates + time off).")
    unavailable: bool | None = Field(None, description="The whole working day is unavailable (time off).")
    holiday: bool | None = None


class PersonWorkload(OutputModel):
    user_id: int
    name: str | None = None
    working_hours: dict[str, float] | None = Field(
        None, description="Task hours per weekday, when include_working_hours was set."
    )
    days: list[WorkloadDay]


class GetWorkloadInput(PageInput):
    start_date: date = Field(description="First day, YYYY-MM-DD (included).")
    end_date: date = Field(description="Last day, YYYY-MM-DD (included); at most 366 days after start_date.")
    user_ids: list[int] | None = Field(None, max_length=200, description="from teamwork_list_people")
    company_ids: list[int] | None = Field(None, max_length=100, description="from teamwork_list_companies")
    team_ids: list[int] | None = Field(None, max_length=100, description="from teamwork_list_teams")
    project_ids: list[int] | None = Field(None, max_length=100, description="from teamwork_list_projects")
    include_working_hours: bool = Field(False, description="Also return each person's task hours per weekday.")

    @model_validator(mode="after")
    def _range(self) -> GetWorkloadInput:
        if self.end_date < self.start_date:
            raise ValueError("end_date must be on or after start_date")
        if (self.end_date - self.start_date).days >= MAX_DAYS:
            raise ValueError(f"the range may span at most {MAX_DAYS} days")
        return self


def _weekly_hours(included: dict[str, Any]) -> dict[int, dict[str, float]]:
    """user id -> {weekday: task hours}, from the workingHours and workingHourEntries sideloads."""
    owner = {str(wh.get("id")): rel_id(wh.get("object")) for wh in (included.get("workingHours") or {}).values()}
    out: dict[int, dict[str, float]] = {}
    for entry in (included.get("workingHourEntries") or {}).values():
        user_id = owner.get(str(rel_id(entry.get("workingHour"))))
        if user_id is not None and entry.get("weekday"):
            out.setdefault(user_id, {})[str(entry["weekday"]).lower()] = float(entry.get("taskHours") or 0)
    return out


def _name(person: dict[str, Any] | None) -> str | None:
    if not person:
        return None
    return f"{person.get('firstName', '')} {person.get('lastName', '')}".strip() or None


@tool(
    name="teamwork_get_workload",
    title="Get Workload",
    toolset="teamwork.reports",
    kind="read",
    description="Show who is overbooked or has room: each person's planned load per day, from task estimates.",
)
async def get_workload(args: GetWorkloadInput, tw: TeamworkClient, ctx: ToolContext) -> Page[PersonWorkload]:
    # The SDK repeats `include` (include=a&include=b) on this endpoint, unlike every other list parameter.
    include = Repeated(("users", "workingHours", "workingHourEntries") if args.include_working_hours else ("users",))
    params = {
        "startDate": args.start_date.isoformat(),
        "endDate": args.end_date.isoformat(),
        "userIds": args.user_ids,
        "companyIds": args.company_ids,
        "teamIds": args.team_ids,
        "projectIds": args.project_ids,
        "page": args.page,
        "pageSize": args.page_size,
        "include": include,
        "omitEmptyDateEntries": True,
    }
    data = await tw.get(f"{V3}/workload.json", params)
    included = data.get("included") or {}
    people = included.get("users") or {}
    hours = _weekly_hours(included) if args.include_working_hours else {}
    items = []
    for user in (data.get("workload") or {}).get("users") or []:
        user_id = v1_int(user.get("userId")) or 0
        days = [
            WorkloadDay(
                date=str(day)[:10],
                planned_percent=info.get("capacity"),
                planned_minutes=v1_int(info.get("capacityMinutes")),
                unavailable=info.get("unavailableDay"),
                holiday=info.get("isHoliday"),
            )
            for day, info in sorted((user.get("dates") or {}).items())
        ]
        items.append(
            PersonWorkload(
                user_id=user_id, name=_name(people.get(str(user_id))), working_hours=hours.get(user_id), days=days
            )
        )
    meta = (data.get("meta") or {}).get("page") or {}
    return Page(
        items=items,
        page=args.page,
        page_size=args.page_size,
        has_more=bool(meta.get("hasMore", len(items) >= args.page_size)),
        total=None if meta.get("hasMore") else meta.get("count"),
    )
