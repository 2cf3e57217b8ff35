"""Tags: site-wide or project-scoped labels for projects, tasks, milestones and more (v3 only).

Setting the tags of a task is `teamwork_set_task_tags` in tasks.py (it is a task write).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, without_none
from projectops_mcp.teamwork._common import fetch_or_refuse, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Tag(OutputModel):
    tag_id: int
    name: str
    color: str | None = None
    project_id: int | None = Field(None, description="Set for a project-scoped tag; absent for a site-wide tag.")
    raw: RawRecord = None


def to_tag(record: dict[str, Any], include_raw: bool = False) -> Tag:
    return Tag(
        tag_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        color=record.get("color") or None,
        project_id=rel_id(record.get("project")) or v1_int(record.get("projectId")) or None,
        raw=record if include_raw else None,
    )


async def check_tags(tw: TeamworkClient, tag_ids: list[int] | None, field: str = "tag_ids") -> None:
    """Refuse a write naming a tag that does not exist (Teamwork would drop or reject it)."""
    for tag_id in tag_ids or []:
        await fetch_or_refuse(
            tw, f"{V3}/tags/{tag_id}.json", "tag", what=f"{field}: tag {tag_id}", fix_with="teamwork_list_tags"
        )


ItemType = Literal[
    "PROJECT", "TASK", "TASKLIST", "MILESTONE", "MESSAGE", "TIMELOG", "NOTEBOOK", "FILE", "COMPANY", "LINK"
]


class ListTagsInput(PageInput):
    search: str | None = Field(None, min_length=1, description="Text to find in tag names.")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    item_type: ItemType | None = Field(None, description="Only tags used on this kind of item, e.g. TASK.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_tags",
    title="List Tags",
    toolset="teamwork.tags",
    kind="read",
    description="List Teamwork tags.",
)
async def list_tags(args: ListTagsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Tag]:
    params = {
        "searchTerm": args.search,
        "projectIds": [args.project_id] if args.project_id else None,
        "itemType": args.item_type,
    }
    return await fetch_v3_page(tw, "/tags.json", "tags", params, args, to_tag)


class CreateTagInput(InputModel):
    name: str = Field(min_length=1, max_length=49, description="under 50 characters")
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects; omit for site-wide")


@tool(
    name="teamwork_create_tag",
    title="Create Tag",
    toolset="teamwork.tags",
    kind="create",
    lookup="teamwork_list_tags",
    description="Create a Teamwork tag, site-wide or for one project (names are unique).",
)
async def create_tag(args: CreateTagInput, tw: TeamworkClient, ctx: ToolContext) -> Tag:
    if args.project_id is not None:
        await fetch_project(tw, args.project_id)
    body: dict[str, Any] = {"name": args.name}
    if args.color is not None:
        body["color"] = args.color
    if args.project_id is not None:
        body["projectId"] = args.project_id
    return to_tag(await tw.one("POST", f"{V3}/tags.json", "tag", body={"tag": body}))


class TagIdInput(InputModel):
    tag_id: int = Field(gt=0, description="from teamwork_list_tags")


class GetTagInput(TagIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_tag",
    title="Get Tag",
    toolset="teamwork.tags",
    kind="read",
    lookup="teamwork_list_tags",
    description="Get one Teamwork tag.",
)
async def get_tag(args: GetTagInput, tw: TeamworkClient, ctx: ToolContext) -> Tag:
    return to_tag(await tw.one("GET", f"{V3}/tags/{args.tag_id}.json", "tag"), args.include_raw)


class UpdateTagInput(TagIdInput):
    name: str | None = Field(None, min_length=1, max_length=49, description="New name, under 50 characters.")
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")


@tool(
    name="teamwork_update_tag",
    title="Update Tag",
    toolset="teamwork.tags",
    kind="update",
    lookup="teamwork_list_tags",
    description="Rename or recolour a Teamwork tag.",
)
async def update_tag(args: UpdateTagInput, tw: TeamworkClient, ctx: ToolContext) -> Tag:
    body = without_none(name=args.name, color=args.color)
    if not body:
        raise InputError("tag_id", "nothing to change; give name or color.")
    data = await tw.patch(f"{V3}/tags/{args.tag_id}.json", {"tag": body})
    return to_tag(data.get("tag") or {"id": args.tag_id})


@tool(
    name="teamwork_delete_tag",
    title="Delete Tag",
    toolset="teamwork.tags",
    kind="delete",
    lookup="teamwork_list_tags",
    description="Delete a Teamwork tag; it disappears from every item.",
)
async def delete_tag(args: TagIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/tags/{args.tag_id}.json")
    return Deleted(id=args.tag_id)
