"""Activities (User Directory): Teamwork's latest activity (what people created, edited, completed, deleted).
Projectworks has no activity or audit log in its API. Teamwork has no read of one activity, so there is no get."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.teamwork import activity as tw_activity
from projectops_mcp.toolkit import ToolContext, tool
from projectops_mcp.unified._common import Clients, ListResult, Record, Stream, from_native, id_text, mapping, walk
from projectops_mcp.unified._teamwork_only import TeamworkListInput


class Activity(Record):
    type: str | None = Field(None, description="new, edited, completed, reopened, deleted, ...")
    item_type: str | None = Field(None, description="what changed (task, comment, ...)")
    item_id: str | None = None
    description: str | None = None
    user_id: str | None = Field(None, description="who did it, from unified_list_users")
    collection_id: str | None = Field(None, description="the Teamwork project")
    created_at: str | None = None
    url: str | None = None


TEAMWORK_ACTIVITY = mapping(
    "activities",
    "teamwork",
    "teamwork_list_latest_activity",
    Activity,
    "activity_id",
    type="action",
    item_type="item_type",
    item_id=id_text("item_id"),
    description="description",
    user_id=id_text("user_id"),
    collection_id=id_text("project_id"),
    created_at="at",
    url="link",
)


class ListActivitiesInput(TeamworkListInput, tw_activity.ActivityWindow):
    collection_id: int | None = Field(None, gt=0, description="a Teamwork project; from teamwork_list_projects")


@tool(
    name="unified_list_activities",
    title="List Activities (unified)",
    toolset="unified.directory",
    kind="read",
    description="List Teamwork's latest activity (newest first) as unified activities.",
)
async def list_activities(args: ListActivitiesInput, clients: Clients, ctx: ToolContext) -> ListResult[Activity]:
    async def teamwork_page(page: int, size: int) -> Any:
        query = tw_activity.ListActivityInput(
            page=page,
            page_size=size,
            project_id=args.collection_id,
            start=args.start,
            end=args.end,
            include_raw=True,
        )
        native = await tw_activity.list_latest_activity.handler(query, clients.require("teamwork"), ctx)
        return from_native(native, TEAMWORK_ACTIVITY)

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)
