"""Comments and attachments (Ticketing): Teamwork comments (on tasks, milestones, notebooks, links and file
versions) and the files of a Teamwork task. Projectworks has neither."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError
from projectops_mcp.teamwork import comments as tw_comments
from projectops_mcp.teamwork import files as tw_files
from projectops_mcp.toolkit import ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    Derived,
    GetResult,
    ListResult,
    Record,
    Stream,
    from_native,
    id_text,
    mapping,
    shown,
    walk,
)
from projectops_mcp.unified._teamwork_only import TeamworkGetInput, TeamworkListInput, slice_page

TICKET_TYPES = ("task", "milestone")  # the Teamwork objects unified tickets are made of
TicketType = Literal["task", "milestone"]


class Comment(Record):
    body: str | None = None
    content_type: str | None = Field(None, description="TEXT or HTML")
    ticket_id: str | None = Field(None, description="set on a task's or milestone's comment")
    object_type: str | None = Field(None, description="task, milestone, notebook, link or file_version")
    object_id: str | None = None
    user_id: str | None = Field(None, description="the author, from unified_list_users")
    collection_id: str | None = Field(None, description="the Teamwork project")
    created_at: str | None = None
    updated_at: str | None = None


TEAMWORK_COMMENT = mapping(
    "comments",
    "teamwork",
    "teamwork_list_comments",
    Comment,
    "comment_id",
    body="body",
    content_type="content_type",
    ticket_id=Derived(
        "object_id when object_type is task or milestone",
        lambda d: str(d["object_id"]) if d.get("object_type") in TICKET_TYPES and d.get("object_id") else None,
    ),
    object_type="object_type",
    object_id=id_text("object_id"),
    user_id=id_text("posted_by_user_id"),
    collection_id=id_text("project_id"),
    created_at="posted_at",
    updated_at="edited_at",
)


class ListCommentsInput(TeamworkListInput):
    ticket_id: int | None = Field(None, gt=0, description="only this ticket's comments; from unified_list_tickets")
    ticket_type: TicketType = Field("task", description="the ticket's type")
    updated_after: datetime | None = Field(None, description="ISO 8601 date-time")


@tool(
    name="unified_list_comments",
    title="List Comments (unified)",
    toolset="unified.ticketing",
    kind="read",
    description="List Teamwork comments (all, or one ticket's) as unified comments.",
)
async def list_comments(args: ListCommentsInput, clients: Clients, ctx: ToolContext) -> ListResult[Comment]:
    async def teamwork_page(page: int, size: int) -> Any:
        on_ticket = {"object_type": args.ticket_type, "object_id": args.ticket_id} if args.ticket_id else {}
        query = tw_comments.ListCommentsInput(
            page=page, page_size=size, updated_after=args.updated_after, include_raw=True, **on_ticket
        )
        page_ = await tw_comments.list_comments.handler(query, clients.require("teamwork"), ctx)
        return from_native(page_, TEAMWORK_COMMENT)

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)


class GetCommentInput(TeamworkGetInput):
    id: int = Field(gt=0, description="from unified_list_comments")


@tool(
    name="unified_get_comment",
    title="Get Comment (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_comments",
    description="Get one Teamwork comment as a unified comment.",
)
async def get_comment(args: GetCommentInput, clients: Clients, ctx: ToolContext) -> GetResult[Comment]:
    query = tw_comments.GetCommentInput(comment_id=args.id, include_raw=True)
    found = await tw_comments.get_comment.handler(query, clients.require("teamwork"), ctx)
    return GetResult(result=shown(TEAMWORK_COMMENT.build(found, found.raw), args))


# ---------------------------------------------------------------------------------------------------------------
# Attachments: a Teamwork task's files (Teamwork lists them per task, all at once)
# ---------------------------------------------------------------------------------------------------------------


class Attachment(Record):
    file_name: str | None = None
    file_url: str | None = Field(None, description="download link")
    size: int | None = Field(None, description="bytes")
    description: str | None = None
    version: int | None = None
    ticket_id: str | None = None
    user_id: str | None = Field(None, description="who uploaded it, from unified_list_users")
    created_at: str | None = None


TEAMWORK_ATTACHMENT = mapping(
    "attachments",
    "teamwork",
    "teamwork_list_task_files",
    Attachment,
    "file_id",
    file_name="name",
    file_url="download_url",
    size="size_bytes",
    description="description",
    version="version",
    ticket_id=Derived("the task_id listed", lambda d: str(d["task_id"])),
    user_id=id_text("uploaded_by_user_id"),
    created_at="uploaded_at",
)


class ListAttachmentsInput(TeamworkListInput):
    ticket_id: int = Field(gt=0, description="a task; from unified_list_tickets")


async def _task_files(ticket_id: int, clients: Clients, ctx: ToolContext) -> list[Attachment]:
    query = tw_files.ListTaskFilesInput(task_id=ticket_id, include_raw=True)
    found = await tw_files.list_task_files.handler(query, clients.require("teamwork"), ctx)
    return [TEAMWORK_ATTACHMENT.build(f, f.raw, task_id=found.task_id) for f in found.items]


@tool(
    name="unified_list_attachments",
    title="List Attachments (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_tickets",
    description="List the files attached to a Teamwork task as unified attachments.",
)
async def list_attachments(args: ListAttachmentsInput, clients: Clients, ctx: ToolContext) -> ListResult[Attachment]:
    async def teamwork_page(page: int, size: int) -> Any:
        records, has_more = slice_page(await _task_files(args.ticket_id, clients, ctx), page, size)
        return records, has_more, []

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)


class GetAttachmentInput(TeamworkGetInput):
    ticket_id: int = Field(gt=0, description="the task; from unified_list_tickets")
    id: int = Field(gt=0, description="from unified_list_attachments")


@tool(
    name="unified_get_attachment",
    title="Get Attachment (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_attachments",
    description="Get one file of a Teamwork task as a unified attachment.",
)
async def get_attachment(args: GetAttachmentInput, clients: Clients, ctx: ToolContext) -> GetResult[Attachment]:
    for attachment in await _task_files(args.ticket_id, clients, ctx):
        if attachment.id == str(args.id):
            return GetResult(result=shown(attachment, args))
    raise InputError("id", f"task {args.ticket_id} has no file {args.id}.", "Its files: unified_list_attachments.")
