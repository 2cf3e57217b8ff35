"""Links: bookmarked URLs (or embed codes) of a project, all through v1 as the SDK does (link.go).

Wire: create `POST /projects/{id}/links.json` `{"link": {"name", "description", "code", "tagIds": "1,2",
"notify"}}` → 201 `{"id"}`; `GET/PUT/DELETE /links/{id}.json` (200, the record under `link`); list `GET /links.json`
(`filterText`, `projectId`, `filterTagIds`, X-Page headers) answers the links grouped by project, under
`project.links` or `projects[].links`. v1 records carry string ids; writes answer without the record, so each is
read back. `notify` is left out for nobody, `"ALL"` for the project or a comma list of user ids.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of, without_none
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_ids, v1_int
from projectops_mcp.teamwork.comments import notify_value
from projectops_mcp.teamwork.messages import Audience
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tags import check_tags
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LINKS = "from teamwork_list_links"


class Link(OutputModel):
    link_id: int
    name: str | None = None
    url: str | None = Field(None, description="The address or embed code.")
    description: str | None = None
    project_id: int | None = None
    tag_ids: list[int] | None = None
    created_by_user_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_link(record: dict[str, Any], include_raw: bool = False) -> Link:
    tags = ikey(record, "tags") if isinstance(ikey(record, "tags"), list) else []
    return Link(
        link_id=v1_int(ikey(record, "id")) or 0,
        name=ikey(record, "name") or None,
        url=ikey(record, "code") or None,
        description=ikey(record, "description") or None,
        project_id=v1_int(ikey(record, "project-id", "projectId")),
        tag_ids=v1_ids([ikey(t, "id") for t in tags if isinstance(t, dict)]) or None,
        created_by_user_id=v1_int(ikey(record, "created-by-userId", "createdByUserId")),
        created_at=ikey(record, "created-date", "createdDate") or None,
        updated_at=ikey(record, "updated-date", "updatedDate") or None,
        raw=record if include_raw else None,
    )


def links_in(data: dict[str, Any]) -> list[Any]:
    """The links of a list answer: under `project.links`, or each of `projects[].links` (the SDK reads both)."""
    found: list[Any] = []
    project = ikey(data, "project")
    if isinstance(project, dict) and isinstance(ikey(project, "links"), list):
        found.extend(ikey(project, "links"))
    for holder in ikey(data, "projects") or []:
        if isinstance(holder, dict) and isinstance(ikey(holder, "links"), list):
            found.extend(ikey(holder, "links"))
    if isinstance(ikey(data, "links"), list):  # a flat answer, should a site send one
        found.extend(ikey(data, "links"))
    return found


async def fetch_link(tw: TeamworkClient, link_id: int, field: str = "link_id") -> dict[str, Any]:
    """One link (v1 record); a 404 is a refusal naming the argument."""
    try:
        data = await tw.get(f"/links/{link_id}.json")
    except UpstreamError as exc:
        if exc.status == 404:
            raise PrerequisiteError(
                f"{field}: link {link_id} does not exist on this Teamwork site.", fix_with="teamwork_list_links"
            ) from None
        raise
    record = ikey(data, "link")
    if not isinstance(record, dict) or v1_int(ikey(record, "id")) is None:
        raise tw.missing_record("GET", f"/links/{link_id}.json", "the link record")
    return record


class ListLinksInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="Text in the name, description or address.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_links",
    title="List Links",
    toolset="teamwork.content",
    kind="read",
    description="List bookmarked links, site-wide or of one project.",
)
async def list_links(args: ListLinksInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Link]:
    params = {"filterText": args.search, "projectId": args.project_id, "filterTagIds": args.tag_ids}
    query = {**params, "page": args.page, "pageSize": args.page_size}
    response = await tw.request("GET", "/links.json", params=query)
    records = links_in(tw.object_of(response))
    pages = v1_int(response.headers.get("X-Pages"))
    current = v1_int(response.headers.get("X-Page")) or args.page
    has_more = current < pages if pages is not None else len(records) >= args.page_size
    return page_of(records, to_link, args, has_more, v1_int(response.headers.get("X-Records")))


class LinkIdInput(InputModel):
    link_id: int = Field(gt=0, description=LINKS)


class GetLinkInput(LinkIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_link",
    title="Get Link",
    toolset="teamwork.content",
    kind="read",
    lookup="teamwork_list_links",
    description="Get one bookmarked link.",
)
async def get_link(args: GetLinkInput, tw: TeamworkClient, ctx: ToolContext) -> Link:
    data = await tw.get(f"/links/{args.link_id}.json")
    record = ikey(data, "link")
    if not isinstance(record, dict):
        raise tw.missing_record("GET", f"/links/{args.link_id}.json", "the link record")
    return to_link(record, args.include_raw)


class CreateLinkInput(Audience):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    url: str = Field(min_length=1, max_length=10_000, description="The address, or an embed code.")
    name: str | None = Field(None, min_length=1, max_length=255, description="Title; default the address.")
    description: str | None = Field(None, max_length=1000, description="What it is.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")


def link_body(args: CreateLinkInput | UpdateLinkInput, notify: Any) -> dict[str, Any]:
    tags = ",".join(str(t) for t in args.tag_ids) if args.tag_ids else None
    return without_none(name=args.name, description=args.description, code=args.url, tagIds=tags, notify=notify)


@tool(
    name="teamwork_create_link",
    title="Create Link",
    toolset="teamwork.content",
    kind="create",
    lookup="teamwork_list_links",
    description="Bookmark a URL (or embed code) in a project, optionally e-mailing people.",
)
async def create_link(args: CreateLinkInput, tw: TeamworkClient, ctx: ToolContext) -> Link:
    await fetch_project(tw, args.project_id)
    await check_tags(tw, args.tag_ids)
    body = link_body(args, await notify_value(tw, args.notify, args.notify_user_ids))
    path = f"/projects/{args.project_id}/links.json"
    data = await tw.post(path, {"link": body})
    link_id = v1_int(ikey(data, "id"))
    if link_id is None:
        raise tw.missing_record("POST", path, "the new link's id", status=201)
    return to_link(await fetch_link(tw, link_id))


class UpdateLinkInput(LinkIdInput, Audience):
    url: str | None = Field(None, min_length=1, max_length=10_000, description="New address or embed code.")
    name: str | None = Field(None, min_length=1, max_length=255, description="New title.")
    description: str | None = Field(None, max_length=1000, description="New description; empty clears it.")
    tag_ids: list[int] | None = Field(None, min_length=1, max_length=50, description="from teamwork_list_tags")


@tool(
    name="teamwork_update_link",
    title="Update Link",
    toolset="teamwork.content",
    kind="update",
    lookup="teamwork_list_links",
    description="Change a link's address, title, description or tags; only the given fields are sent.",
)
async def update_link(args: UpdateLinkInput, tw: TeamworkClient, ctx: ToolContext) -> Link:
    if not link_body(args, None):
        raise InputError("link_id", "nothing to change; give url, name, description or tag_ids.")
    await fetch_link(tw, args.link_id)
    await check_tags(tw, args.tag_ids)
    body = link_body(args, await notify_value(tw, args.notify, args.notify_user_ids))
    await tw.put(f"/links/{args.link_id}.json", {"link": body})
    return to_link(await fetch_link(tw, args.link_id))


@tool(
    name="teamwork_delete_link",
    title="Delete Link",
    toolset="teamwork.content",
    kind="delete",
    lookup="teamwork_list_links",
    description="Delete a bookmarked link.",
)
async def delete_link(args: LinkIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/links/{args.link_id}.json")
    return Deleted(id=args.link_id)
