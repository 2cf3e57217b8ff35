"""Latest activity (v3): the feed of what changed across the site or in one project, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import as_utc, fetch_v3_page, rfc3339
from projectops_mcp.teamwork.client import TeamworkClient, rel_id
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

# The item types Teamwork's `activityTypes` filter accepts (its SDK's list).
ItemType = Literal[
    "message",
    "comment",
    "task",
    "tasklist",
    "taskgroup",
    "milestone",
    "file",
    "form",
    "notebook",
    "timelog",
    "task_comment",
    "notebook_comment",
    "file_comment",
    "link_comment",
    "milestone_comment",
    "project",
    "link",
    "billingInvoice",
    "risk",
    "projectUpdate",
    "reacted",
    "budget",
]


class Activity(OutputModel):
    activity_id: int
    action: str | None = Field(None, description="new, edited, completed, reopened, deleted, undeleted, liked, ...")
    item_type: str | None = Field(None, description="What changed, as Teamwork's relationship type (tasks, ...).")
    item_id: int | None = None
    description: str | None = None
    extra_description: str | None = None
    at: str | None = Field(None, description="When it happened (ISO 8601, UTC).")
    user_id: int | None = Field(None, description="Who did it.")
    for_user_id: int | None = None
    project_id: int | None = None
    company_id: int | None = None
    link: str | None = None
    raw: RawRecord = None


def to_activity(record: dict[str, Any], include_raw: bool = False) -> Activity:
    item = record.get("item")
    return Activity(
        activity_id=record["id"],
        action=record.get("activityType"),
        item_type=item.get("type") if isinstance(item, dict) else None,
        item_id=rel_id(item),
        description=record.get("description") or None,
        extra_description=record.get("extraDescription") or None,
        at=record.get("dateTime"),
        user_id=rel_id(record.get("user")),
        for_user_id=rel_id(record.get("forUser")),
        project_id=rel_id(record.get("project")),
        company_id=rel_id(record.get("company")),
        link=record.get("itemLink") or record.get("link") or None,
        raw=record if include_raw else None,
    )


class ActivityWindow(InputModel):
    """The time window of an activity list (also unified_list_activities'); a time without an offset is UTC, as
    it is sent."""

    start: datetime | None = Field(None, description="Only activity at or after this ISO 8601 date-time.")
    end: datetime | None = Field(None, description="Only activity at or before this ISO 8601 date-time.")

    @model_validator(mode="after")
    def _range(self) -> ActivityWindow:
        if self.start and self.end and as_utc(self.end) < as_utc(self.start):
            raise ValueError("end must be after start")
        return self


class ListActivityInput(PageInput, ActivityWindow):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    activity_types: list[ItemType] | None = Field(
        None, min_length=1, description="Only changes to these kinds of item, e.g. ['task', 'comment']."
    )
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_latest_activity",
    title="List Latest Activity",
    toolset="teamwork.reports",
    kind="read",
    description="List recent activity (created, edited, completed, deleted items), newest first.",
)
async def list_latest_activity(args: ListActivityInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Activity]:
    path = f"/projects/{args.project_id}/latestactivity.json" if args.project_id else "/latestactivity.json"
    params = {"startDate": rfc3339(args.start), "endDate": rfc3339(args.end), "activityTypes": args.activity_types}
    return await fetch_v3_page(tw, path, "activities", params, args, to_activity)
