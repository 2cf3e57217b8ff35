"""Projects: read through v3 (typed records, rich filters), written through v1 (`{"project": {...}}`), as Teamwork's
own SDK does.

Also home of two helpers every Teamwork resource module uses: `fetch_or_refuse` (a prerequisite lookup whose 404
becomes a refusal naming the tool that lists valid ids) and `fetch_v3_page` (one v3 list page as a `Page`).

Wire choices (reference §6.1 and seed 003):
- Update is `PUT /projects/{id}.json`; the seed labels its bodies "POST" but links the PUT page, and POST on an item
  URL is not a documented alias (on tasks it creates a subtask).
- `projectOwnerId` and `companyId` are sent as integers, the SDK's type (v1 accepts strings too).
- `chatChannelEnabled` (1/0, the seed's form) only when asked; `tagIds` as a JSON array of ints (the SDK's form).
- Archive sends `status: "archived"`: the SDK allows only `active` and `archived` on update. Reads still accept
  `inactive`, and so does this tool's input (sent as `archived`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import (
    Count,
    date_part,
    fetch_or_refuse,
    fetch_person,
    fetch_v3_page,
    rel_ids,
    rfc3339,
    v3_count,
)
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, to_v1_date, v1_int
from projectops_mcp.teamwork.project_categories import fetch_category
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

# -- helpers shared by the Teamwork resource modules ----------------------------------------------------------------


# -- records --------------------------------------------------------------------------------------------------------


class Project(OutputModel):
    project_id: int
    name: str
    description: str | None = None
    status: str | None = Field(None, description="active, archived (or inactive), or deleted.")
    sub_status: str | None = Field(None, description="current, late, upcoming or completed.")
    type: str | None = Field(None, description="normal, projects-template, personal, tentative…")
    company_id: int | None = None
    owner_id: int | None = None
    category_id: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    tag_ids: list[int] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_project(record: dict[str, Any], include_raw: bool = False) -> Project:
    """A v3 project; the 2021-era flat keys (companyId, startDate…) are read when the relationships are absent."""
    return Project(
        project_id=v1_int(record.get("id")) or 0,
        name=record.get("name") or "",
        description=record.get("description") or None,
        status=record.get("status"),
        sub_status=record.get("subStatus") or None,
        type=record.get("type") or None,
        company_id=rel_id(record.get("company")) or v1_int(record.get("companyId")),
        owner_id=rel_id(record.get("projectOwner")) or v1_int(ikey(record, "projectOwnerId", "ownerId")),
        category_id=rel_id(record.get("category")) or v1_int(record.get("categoryId")),
        start_date=date_part(record.get("startAt") or record.get("startDate")),
        end_date=date_part(record.get("endAt") or record.get("endDate")),
        tag_ids=rel_ids(record.get("tags")) or list(record.get("tagIds") or []),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_project(tw: TeamworkClient, project_id: int, field: str = "project_id") -> Project:
    record = await fetch_or_refuse(
        tw,
        f"{V3}/projects/{project_id}.json",
        "project",
        what=f"{field}: project {project_id}",
        fix_with="teamwork_list_projects",
    )
    return to_project(record or {"id": project_id})


# -- tools ----------------------------------------------------------------------------------------------------------

ProjectStatus = Literal["active", "current", "late", "upcoming", "completed", "deleted"]


class ProjectFilters(InputModel):
    status: ProjectStatus | None = Field(
        None, description="Only projects in this state: active, current, late, upcoming, completed or deleted."
    )
    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    category_id: int | None = Field(None, gt=0, description="from teamwork_list_project_categories")
    search: str | None = Field(None, min_length=1, description="Text to find in project names.")
    updated_after: datetime | None = Field(None, description="Only projects changed after this ISO 8601 date-time.")
    tag_ids: list[int] | None = Field(None, description="from teamwork_list_tags")
    include_archived: bool = Field(False, description="Also return archived projects.")


def project_filters(args: ProjectFilters) -> dict[str, Any]:
    """The v3 query for a project list or count."""
    return {
        "projectStatuses": args.status,
        "projectCompanyIds": [args.company_id] if args.company_id else None,
        "projectCategoryIds": [args.category_id] if args.category_id else None,
        "searchTerm": args.search,
        "updatedAfter": rfc3339(args.updated_after),
        "projectTagIds": args.tag_ids,
        "includeArchivedProjects": True if args.include_archived else None,
    }


class ListProjectsInput(ProjectFilters, PageInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_projects",
    title="List Projects",
    toolset="teamwork.projects",
    kind="read",
    description="List Teamwork projects (archived ones only with include_archived).",
)
async def list_projects(args: ListProjectsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Project]:
    return await fetch_v3_page(tw, "/projects.json", "projects", project_filters(args), args, to_project)


@tool(
    name="teamwork_count_projects",
    title="Count Projects",
    toolset="teamwork.projects",
    kind="read",
    description="Count Teamwork projects matching the filters.",
)
async def count_projects(args: ProjectFilters, tw: TeamworkClient, ctx: ToolContext) -> Count:
    return Count(count=await v3_count(tw, "/projects.json", project_filters(args)))


class ProjectIdInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")


class GetProjectInput(ProjectIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_project",
    title="Get Project",
    toolset="teamwork.projects",
    kind="read",
    lookup="teamwork_list_projects",
    description="Get one Teamwork project.",
)
async def get_project(args: GetProjectInput, tw: TeamworkClient, ctx: ToolContext) -> Project:
    return to_project(await tw.one("GET", f"{V3}/projects/{args.project_id}.json", "project"), args.include_raw)


class ProjectFields(InputModel):
    name: str | None = Field(None, min_length=1, max_length=255, description="Project name.")
    description: str | None = Field(None, max_length=10_000, description="What the project is about.")
    start_date: date | None = Field(None, description="Start date (YYYY-MM-DD).")
    end_date: date | None = Field(None, description="End date (YYYY-MM-DD).")
    category_id: int | None = Field(None, gt=0, description="from teamwork_list_project_categories")
    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    owner_id: int | None = Field(None, gt=0, description="from teamwork_list_people")
    tag_ids: list[int] | None = Field(
        None, max_length=100, description="Tags for the project, replacing its tags; from teamwork_list_tags"
    )


class CreateProjectInput(ProjectFields):
    name: str = Field(min_length=1, max_length=255, description="Project name.")


class UpdateProjectInput(ProjectFields):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    status: Literal["active", "archived", "inactive"] | None = Field(
        None, description="'archived' (alias 'inactive') archives; 'active' reactivates."
    )
    chat_channel_enabled: bool | None = Field(None, description="Turn the project's chat channel on or off.")


async def project_body(tw: TeamworkClient, args: ProjectFields) -> dict[str, Any]:
    """The `project` object with only the given fields, in v1's spellings; the owner is checked to exist first."""
    if args.start_date and args.end_date and args.end_date < args.start_date:
        raise InputError("end_date", "is before start_date.")
    if args.owner_id is not None:
        await fetch_person(tw, args.owner_id, "owner_id")
    if args.category_id is not None:
        await fetch_category(tw, args.category_id)
    body: dict[str, Any] = {}
    if args.name is not None:
        body["name"] = args.name
    if args.description is not None:
        body["description"] = args.description
    if args.start_date is not None:
        body["start-date"] = to_v1_date(args.start_date)
    if args.end_date is not None:
        body["end-date"] = to_v1_date(args.end_date)
    if args.category_id is not None:
        body["category-id"] = args.category_id
    if args.company_id is not None:
        body["companyId"] = args.company_id
    if args.owner_id is not None:
        body["projectOwnerId"] = args.owner_id
    if args.tag_ids is not None:
        body["tagIds"] = list(args.tag_ids)
    return body


@tool(
    name="teamwork_create_project",
    title="Create Project",
    toolset="teamwork.projects",
    kind="create",
    lookup="teamwork_list_projects",
    description="Create a Teamwork project, for a client company or your own.",
)
async def create_project(args: CreateProjectInput, tw: TeamworkClient, ctx: ToolContext) -> Project:
    body = await project_body(tw, args)
    data = await tw.post("/projects.json", {"project": body})
    project_id = v1_int(ikey(data, "id", "projectId"))
    if not project_id:
        raise UpstreamError(
            "Teamwork accepted the project but did not say its id; find it with teamwork_list_projects.",
            backend="Teamwork",
        )
    return await fetch_project(tw, project_id)


@tool(
    name="teamwork_update_project",
    title="Update Project",
    toolset="teamwork.projects",
    kind="put",
    lookup="teamwork_list_projects",
    description="Change a Teamwork project: fields, status (archive/reactivate), company, owner, chat.",
)
async def update_project(args: UpdateProjectInput, tw: TeamworkClient, ctx: ToolContext) -> Project:
    body = await project_body(tw, args)
    if args.status is not None:
        body["status"] = "active" if args.status == "active" else "archived"
    if args.chat_channel_enabled is not None:
        body["chatChannelEnabled"] = 1 if args.chat_channel_enabled else 0
    if not body:
        raise InputError("project_id", "nothing to change; give at least one other field.")
    await tw.put(f"/projects/{args.project_id}.json", {"project": body})
    return await fetch_project(tw, args.project_id)


@tool(
    name="teamwork_delete_project",
    title="Delete Project",
    toolset="teamwork.projects",
    kind="delete",
    lookup="teamwork_list_projects",
    description="Delete a Teamwork project with everything in it; archiving (teamwork_update_project) keeps history.",
)
async def delete_project(args: ProjectIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/projects/{args.project_id}.json")
    return Deleted(id=args.project_id)
