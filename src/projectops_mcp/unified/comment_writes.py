"""`unified_create_comment`: a comment on a ticket, routed to teamwork_create_comment (Projectworks tasks take no
comments), validated by that tool's own validation first so its checks and refusals apply."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.teamwork import comments as tw_comments
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import Clients, GetResult, native_input, native_names
from projectops_mcp.unified.comments import TEAMWORK_COMMENT, Comment, TicketType


class CreateCommentInput(InputModel):
    ticket_id: int = Field(gt=0, description="a Teamwork ticket, from unified_list_tickets")
    ticket_type: TicketType = Field("task", description="the ticket's type")
    body: str = Field(min_length=1, max_length=50_000, description="the comment text")
    native: dict[str, Any] | None = Field(None, description="more arguments of teamwork_create_comment")


@tool(
    name="unified_create_comment",
    title="Create Comment",
    toolset="unified.ticketing",
    kind="create",
    lookup="unified_list_comments",
    description="Comment on a Teamwork task or milestone (Projectworks tasks take no comments).",
)
async def create_comment(args: CreateCommentInput, clients: Clients, ctx: ToolContext) -> GetResult[Comment]:
    tw = clients.require("teamwork", "only Teamwork has comments")
    values = {"object_type": args.ticket_type, "object_id": args.ticket_id, "body": args.body}
    renamed = {"object_type": "ticket_type", "object_id": "ticket_id"}
    native_args = native_input(tw_comments.create_comment, values, args.native, renamed)
    with native_names(tw_comments.create_comment, renamed):
        comment = await tw_comments.create_comment.handler(native_args, tw, ctx)
    return GetResult(result=TEAMWORK_COMMENT.build(comment))
