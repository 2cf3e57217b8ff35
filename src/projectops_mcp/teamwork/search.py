"""Site search (v3 `GET /projects/api/v3/search.json`), as the SDK's search.go sends it: `searchTerm`, optional
`type`, `projectId`, `includeCompletedItems`, `updatedAfter`, `includeHighlights`, cursor paging (`cursor`, `limit`
→ `meta.nextCursor`) and `orderBy=relevance`. Each hit is only `{id, type, meta.highlights}`; its name and project
come from the sideloads, which are all requested (`include=comments,companies,...`) as Teamwork's MCP server does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.models import IncludeRaw, RawRecord
from projectops_mcp.teamwork._common import convert_page, next_cursor_of, rfc3339
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

SearchType = Literal[
    "projects", "tasks", "tasklists", "milestones", "messages", "notebooks", "links", "comments", "taskcomments",
    "milestonecomments", "filecomments", "linkcomments", "notebookcomments", "companies", "teams", "timelogs", "users",
]  # fmt: skip
SIDELOADS = ("comments", "companies", "links", "messages", "milestones", "notebooks", "projects", "tasklists",
             "tasks", "teams", "timelogs", "users")  # fmt: skip
NAME_LIMIT = 200


class SearchHit(OutputModel):
    type: str = Field(description="e.g. tasks, projects, taskcomments.")
    id: int
    name: str | None = Field(None, description="Name, title or start of the text.")
    project_id: int | None = None
    highlights: dict[str, list[str]] | None = Field(None, description="Matched fragments per field, in <em>.")
    raw: RawRecord = None


class SearchResults(OutputModel):
    items: list[SearchHit]
    has_more: bool
    next_cursor: str | None = Field(None, description="Pass as cursor for the next page.")
    warnings: list[str] | None = Field(None, description="Records that could not be read, left out.")


def name_of(record: dict[str, Any]) -> str | None:
    first, last = record.get("firstName"), record.get("lastName")
    if first or last:
        return " ".join(p for p in (first, last) if p)
    for key in ("name", "title", "description", "body"):
        if isinstance(record.get(key), str) and record[key].strip():
            text = " ".join(record[key].split())
            return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"
    return None


def highlights_of(item: dict[str, Any]) -> dict[str, list[str]] | None:
    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
    fields = meta.get("highlights")
    if not isinstance(fields, dict):
        return None
    found = {k: [f for f in v if isinstance(f, str)] for k, v in fields.items() if isinstance(v, list)}
    return {k: v for k, v in found.items() if v} or None


def hit_converter(included: dict[str, Any]):
    """A converter from a search item to a typed hit, named from the answer's sideloads."""

    def convert(item: dict[str, Any], include_raw: bool) -> SearchHit:
        kind = str(item["type"])
        collection = "comments" if kind.endswith("comments") else kind
        records = included.get(collection) if isinstance(included.get(collection), dict) else {}
        record = records.get(str(item["id"])) if isinstance(records.get(str(item["id"])), dict) else {}
        project_id = int(item["id"]) if kind == "projects" else None
        return SearchHit(
            type=kind,
            id=int(item["id"]),
            name=name_of(record),
            project_id=project_id or rel_id(record.get("project")) or v1_int(record.get("projectId")),
            highlights=highlights_of(item),
            raw={"item": item, "record": record} if include_raw else None,
        )

    return convert


class SearchInput(InputModel):
    query: str = Field(min_length=1, max_length=255, description="Words to find.")
    type: SearchType | None = Field(None, description="Only this kind of item.")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    include_completed: bool | None = Field(None, description="Also completed items.")
    updated_after: datetime | None = Field(None, description="ISO 8601 date-time.")
    highlights: bool = Field(False, description="Return the matched fragments.")
    limit: int = Field(50, ge=1, le=500, description="Results per page.")
    cursor: str | None = Field(None, min_length=1, max_length=2000, description="next_cursor of the previous page.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_search",
    title="Search Teamwork",
    toolset="teamwork.search",
    kind="read",
    description="Search the whole site by words; each hit typed (tasks, projects, comments...) and named.",
)
async def search(args: SearchInput, tw: TeamworkClient, ctx: ToolContext) -> SearchResults:
    params = {
        "searchTerm": args.query,
        "type": args.type,
        "projectId": args.project_id,
        "includeCompletedItems": args.include_completed,
        "updatedAfter": rfc3339(args.updated_after),
        "includeHighlights": True if args.highlights else None,
        "cursor": args.cursor,
        "limit": args.limit,
        "include": list(SIDELOADS),
        "orderBy": "relevance",
    }
    answer = await tw.request("GET", f"{V3}/search.json", params=params)
    data = tw.object_of(answer)
    included = data.get("included") if isinstance(data.get("included"), dict) else {}
    items, warnings = convert_page(tw.list_of(answer, "search"), hit_converter(included), args.limit, args.include_raw)
    next_cursor = next_cursor_of(data)
    return SearchResults(items=items, has_more=next_cursor is not None, next_cursor=next_cursor, warnings=warnings)
