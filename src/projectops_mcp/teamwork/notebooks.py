"""Notebooks: a project's documents (Markdown or HTML), read and written through v3 as the SDK does (notebook.go).

Wire: create `POST /projects/api/v3/projects/{id}/notebooks.json` `{"notebook": {"name", "contents", "type",
"description", "tagIds"}}` → 201 `{"notebook"}`; update `PATCH /projects/api/v3/notebooks/{id}.json` → 200
`{"notebook"}`; delete → 204; reads `/projects/api/v3/notebooks[/{id}].json`. Lists leave the contents out unless
asked (`includeContents`), since a notebook can be long.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, without_none
from projectops_mcp.teamwork._common import fetch_record, fetch_v3_page, rel_ids
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tags import check_tags
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

NOTEBOOKS = "from teamwork_list_notebooks"


class Notebook(OutputModel):
    notebook_id: int
    name: str | None = None
    description: str | None = None
    type: str | None = Field(None, description="MARKDOWN or HTML.")
    contents: str | None = None
    project_id: int | None = None
    tag_ids: list[int] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_notebook(record: dict[str, Any], include_raw: bool = False) -> Notebook:
    return Notebook(
        notebook_id=record["id"],
        name=record.get("name"),
        description=record.get("description") or None,
        type=record.get("type"),
        contents=record.get("contents"),
        project_id=rel_id(record.get("project")),
        tag_ids=rel_ids(record.get("tags")) or None,
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_notebook(tw: TeamworkClient, notebook_id: int, field: str = "notebook_id") -> dict[str, Any]:
    return await fetch_record(
        tw, "notebooks", notebook_id, "notebook", field=field, what="notebook", fix_with="teamwork_list_notebooks"
    )


class ListNotebooksInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="Text in the name or contents.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")
    include_contents: bool = Field(False, description="Also return each notebook's text.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_notebooks",
    title="List Notebooks",
    toolset="teamwork.content",
    kind="read",
    description="List notebooks (project documents), site-wide or of one project.",
)
async def list_notebooks(args: ListNotebooksInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Notebook]:
    params = {
        "projectIds": [args.project_id] if args.project_id else None,
        "searchTerm": args.search,
        "tagIds": args.tag_ids,
        "includeContents": args.include_contents,
    }
    return await fetch_v3_page(tw, "/notebooks.json", "notebooks", params, args, to_notebook)


class NotebookIdInput(InputModel):
    notebook_id: int = Field(gt=0, description=NOTEBOOKS)


class GetNotebookInput(NotebookIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_notebook",
    title="Get Notebook",
    toolset="teamwork.content",
    kind="read",
    lookup="teamwork_list_notebooks",
    description="Get one notebook with its full text.",
)
async def get_notebook(args: GetNotebookInput, tw: TeamworkClient, ctx: ToolContext) -> Notebook:
    data = await tw.one("GET", f"{V3}/notebooks/{args.notebook_id}.json", "notebook")
    return to_notebook(data, args.include_raw)


class CreateNotebookInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    name: str = Field(min_length=1, max_length=255, description="Title.")
    contents: str = Field(min_length=1, max_length=1_000_000, description="The text, in the given type.")
    type: Literal["MARKDOWN", "HTML"] = Field("MARKDOWN", description="How contents is written.")
    description: str | None = Field(None, max_length=1000, description="One-line summary.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")


@tool(
    name="teamwork_create_notebook",
    title="Create Notebook",
    toolset="teamwork.content",
    kind="create",
    lookup="teamwork_list_notebooks",
    description="Create a notebook (Markdown or HTML document) in a project.",
)
async def create_notebook(args: CreateNotebookInput, tw: TeamworkClient, ctx: ToolContext) -> Notebook:
    await fetch_project(tw, args.project_id)
    await check_tags(tw, args.tag_ids)
    notebook = without_none(
        name=args.name, description=args.description, contents=args.contents, type=args.type, tagIds=args.tag_ids
    )
    path = f"{V3}/projects/{args.project_id}/notebooks.json"
    return to_notebook(await tw.one("POST", path, "notebook", body={"notebook": notebook}))


class UpdateNotebookInput(NotebookIdInput):
    name: str | None = Field(None, min_length=1, max_length=255, description="New title.")
    contents: str | None = Field(None, min_length=1, max_length=1_000_000, description="New text, replacing it.")
    type: Literal["MARKDOWN", "HTML"] | None = Field(None, description="How contents is written.")
    description: str | None = Field(None, max_length=1000, description="New summary; empty clears it.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")


@tool(
    name="teamwork_update_notebook",
    title="Update Notebook",
    toolset="teamwork.content",
    kind="update",
    lookup="teamwork_list_notebooks",
    description="Change a notebook's title, text, type, summary or tags; only the given fields are sent.",
)
async def update_notebook(args: UpdateNotebookInput, tw: TeamworkClient, ctx: ToolContext) -> Notebook:
    notebook = without_none(
        name=args.name, description=args.description, contents=args.contents, type=args.type, tagIds=args.tag_ids
    )
    if not notebook:
        raise InputError("notebook_id", "nothing to change; give name, contents, type, description or tag_ids.")
    await fetch_notebook(tw, args.notebook_id)
    await check_tags(tw, args.tag_ids)
    path = f"{V3}/notebooks/{args.notebook_id}.json"
    return to_notebook(await tw.one("PATCH", path, "notebook", body={"notebook": notebook}))


@tool(
    name="teamwork_delete_notebook",
    title="Delete Notebook",
    toolset="teamwork.content",
    kind="delete",
    lookup="teamwork_list_notebooks",
    description="Delete a notebook.",
)
async def delete_notebook(args: NotebookIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/notebooks/{args.notebook_id}.json")
    return Deleted(id=args.notebook_id)
