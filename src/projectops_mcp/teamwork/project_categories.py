"""Project categories: read through v3 (`projectCategories` / `projectCategory`), written through v1 with the
SDK's `{"category": {...}}` wrapper and its kebab-case `parent-id` (reference §6.19, SDK project_category.go).

Create answers 201 `{"categoryId": "..."}` (a string id); update and delete answer 200. Every write is read back
through v3 so the agent sees the stored category, not an echo of its input.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_record, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LIST = "teamwork_list_project_categories"
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


class ProjectCategory(OutputModel):
    category_id: int
    name: str
    color: str | None = None
    parent_id: int | None = None
    project_count: int | None = None
    raw: RawRecord = None


def to_category(record: dict[str, Any], include_raw: bool = False) -> ProjectCategory:
    return ProjectCategory(
        category_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        color=record.get("color") or None,
        parent_id=rel_id(record.get("parent")) or v1_int(record.get("parentId")),
        project_count=v1_int(record.get("count")),
        raw=record if include_raw else None,
    )


async def fetch_category(tw: TeamworkClient, category_id: int, field: str = "category_id") -> ProjectCategory:
    record = await fetch_record(
        tw, "projectcategories", category_id, "projectCategory", field=field, what="category", fix_with=LIST
    )
    return to_category(record or {"id": category_id})


class ListCategoriesInput(PageInput):
    search: str | None = Field(None, min_length=1, description="text in the name")
    include_raw: IncludeRaw = False


@tool(
    name=LIST,
    title="List Project Categories",
    toolset="teamwork.projects",
    kind="read",
    description="List the site's project categories.",
)
async def list_project_categories(
    args: ListCategoriesInput, tw: TeamworkClient, ctx: ToolContext
) -> Page[ProjectCategory]:
    params = {"searchTerm": args.search}
    return await fetch_v3_page(tw, "/projectcategories.json", "projectCategories", params, args, to_category)


class CategoryIdInput(InputModel):
    category_id: int = Field(gt=0, description=f"from {LIST}")


class GetCategoryInput(CategoryIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_project_category",
    title="Get Project Category",
    toolset="teamwork.projects",
    kind="read",
    lookup=LIST,
    description="Get one project category.",
)
async def get_project_category(args: GetCategoryInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectCategory:
    record = await tw.one("GET", f"{V3}/projectcategories/{args.category_id}.json", "projectCategory")
    return to_category(record, args.include_raw)


class CategoryFields(InputModel):
    name: str | None = Field(None, min_length=1, max_length=255, description="category name")
    color: str | None = Field(None, pattern=HEX_COLOR, description="#rrggbb")
    parent_id: int | None = Field(None, gt=0, description=f"parent category, from {LIST}")


class CreateCategoryInput(CategoryFields):
    name: str = Field(min_length=1, max_length=255, description="category name")


class UpdateCategoryInput(CategoryFields):
    category_id: int = Field(gt=0, description=f"from {LIST}")


async def category_body(tw: TeamworkClient, args: CategoryFields, category_id: int | None = None) -> dict[str, Any]:
    """The v1 `category` object with only the given fields; a parent is checked to exist (and not to be the
    category itself) before anything is written."""
    if args.parent_id is not None:
        if args.parent_id == category_id:
            raise InputError("parent_id", "a category cannot be its own parent.")
        await fetch_category(tw, args.parent_id, "parent_id")
    body: dict[str, Any] = {}
    if args.name is not None:
        body["name"] = args.name
    if args.color is not None:
        body["color"] = args.color
    if args.parent_id is not None:
        body["parent-id"] = args.parent_id
    return body


@tool(
    name="teamwork_create_project_category",
    title="Create Project Category",
    toolset="teamwork.projects",
    kind="create",
    lookup=LIST,
    description="Create a project category, optionally under a parent.",
)
async def create_project_category(args: CreateCategoryInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectCategory:
    body = await category_body(tw, args)
    data = await tw.post("/projectcategories.json", {"category": body})
    category_id = v1_int(ikey(data, "categoryId", "id"))
    if not category_id:
        raise UpstreamError(
            f"Teamwork accepted the category but did not say its id; find it with {LIST}.", backend="Teamwork"
        )
    return await fetch_category(tw, category_id)


@tool(
    name="teamwork_update_project_category",
    title="Update Project Category",
    toolset="teamwork.projects",
    kind="put",
    lookup=LIST,
    description="Rename, recolour or move a project category.",
)
async def update_project_category(args: UpdateCategoryInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectCategory:
    body = await category_body(tw, args, args.category_id)
    if not body:
        raise InputError("category_id", "nothing to change; give name, color or parent_id.")
    await tw.put(f"/projectcategories/{args.category_id}.json", {"category": body})
    return await fetch_category(tw, args.category_id)


@tool(
    name="teamwork_delete_project_category",
    title="Delete Project Category",
    toolset="teamwork.projects",
    kind="delete",
    lookup=LIST,
    description="Delete a project category.",
)
async def delete_project_category(args: CategoryIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/projectcategories/{args.category_id}.json")
    return Deleted(id=args.category_id)
