"""Messages (a project's message board) and their replies: written through v1, read through v3, as the SDK does.

Wire: create `POST /projects/{id}/messages.json` `{"post": {"title", "body", "notify"}}` → 201 `{"messageId"}`;
update/delete `/messages/{id}.json` (200); replies `POST /messages/{id}/replies.json` `{"messagereply": {...}}`
→ 201 `{"postId"}`, update/delete `/messageReplies/{id}.json`. Reads: `/projects/api/v3/messages[/{id}].json` and
`/projects/api/v3/messagereplies[/{id}].json` (single reply under `messageReply`). v1 writes answer without the
record, so each write is read back.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, without_none
from projectops_mcp.teamwork._common import fetch_record, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.teamwork.comments import notify_value
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

MESSAGES = "from teamwork_list_messages"


class Message(OutputModel):
    message_id: int
    title: str | None = None
    body: str | None = None
    project_id: int | None = None
    author_id: int | None = None
    last_reply_id: int | None = None
    status: str | None = None
    created_at: str | None = None
    raw: RawRecord = None


def to_message(record: dict[str, Any], include_raw: bool = False) -> Message:
    return Message(
        message_id=v1_int(record.get("id")) or 0,
        title=record.get("title"),
        body=record.get("body"),
        project_id=rel_id(record.get("project")),
        author_id=rel_id(record.get("author")),
        last_reply_id=rel_id(record.get("lastReply")),
        status=record.get("status") or None,
        created_at=record.get("createdAt"),
        raw=record if include_raw else None,
    )


class Reply(OutputModel):
    reply_id: int
    message_id: int | None = None
    body: str | None = None
    author_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_reply(record: dict[str, Any], include_raw: bool = False) -> Reply:
    return Reply(
        reply_id=v1_int(record.get("id")) or 0,
        message_id=rel_id(record.get("message")),
        body=record.get("body"),
        author_id=rel_id(record.get("author")),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


async def fetch_message(tw: TeamworkClient, message_id: int, field: str = "message_id") -> Message:
    record = await fetch_record(
        tw, "messages", message_id, "message", field=field, what="message", fix_with="teamwork_list_messages"
    )
    return to_message(record)


async def fetch_reply(tw: TeamworkClient, reply_id: int) -> Reply:
    record = await fetch_record(
        tw,
        "messagereplies",
        reply_id,
        "messageReply",
        field="reply_id",
        what="message reply",
        fix_with="teamwork_list_message_replies",
    )
    return to_reply(record)


def _new_id(data: dict[str, Any], key: str, what: str, lookup: str) -> int:
    new_id = v1_int(ikey(data, key, "id"))
    if not new_id:
        raise UpstreamError(
            f"Teamwork accepted the {what} but did not say its id; find it with {lookup}.", backend="Teamwork"
        )
    return new_id


class Audience(InputModel):
    notify: Literal["none", "all"] = Field("none", description="E-mail nobody or everyone on the project.")
    notify_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=100, description="E-mail exactly these; from teamwork_list_people"
    )

    @model_validator(mode="after")
    def _one_audience(self) -> Audience:
        if self.notify_user_ids and self.notify != "none":
            raise ValueError("give either notify or notify_user_ids, not both")
        return self


class ListMessagesInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="Text in title or body.")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_messages",
    title="List Messages",
    toolset="teamwork.messages",
    kind="read",
    description="List message-board posts, site-wide or of one project, optionally by text.",
)
async def list_messages(args: ListMessagesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Message]:
    params = {"projectIds": [args.project_id] if args.project_id else None, "searchTerm": args.search}
    return await fetch_v3_page(tw, "/messages.json", "messages", params, args, to_message)


class MessageIdInput(InputModel):
    message_id: int = Field(gt=0, description=MESSAGES)


class GetMessageInput(MessageIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_message",
    title="Get Message",
    toolset="teamwork.messages",
    kind="read",
    lookup="teamwork_list_messages",
    description="Get one message: title, body, author and its latest reply id.",
)
async def get_message(args: GetMessageInput, tw: TeamworkClient, ctx: ToolContext) -> Message:
    data = await tw.get(f"{V3}/messages/{args.message_id}.json")
    return to_message(data.get("message") or {"id": args.message_id}, args.include_raw)


class CreateMessageInput(Audience):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    title: str = Field(min_length=1, max_length=255, description="Subject line.")
    body: str = Field(min_length=1, max_length=100_000, description="Message text.")


@tool(
    name="teamwork_create_message",
    title="Post Message",
    toolset="teamwork.messages",
    kind="create",
    lookup="teamwork_list_messages",
    description="Post a message on a project's message board, optionally e-mailing people.",
)
async def create_message(args: CreateMessageInput, tw: TeamworkClient, ctx: ToolContext) -> Message:
    await fetch_project(tw, args.project_id)
    post = without_none(
        title=args.title, body=args.body, notify=await notify_value(tw, args.notify, args.notify_user_ids)
    )
    data = await tw.post(f"/projects/{args.project_id}/messages.json", {"post": post})
    return await fetch_message(tw, _new_id(data, "messageId", "message", "teamwork_list_messages"))


class UpdateMessageInput(MessageIdInput, Audience):
    title: str | None = Field(None, min_length=1, max_length=255, description="New subject line.")
    body: str | None = Field(None, min_length=1, max_length=100_000, description="New text.")


@tool(
    name="teamwork_update_message",
    title="Update Message",
    toolset="teamwork.messages",
    kind="update",
    lookup="teamwork_list_messages",
    description="Change a message's title or body; only the given fields are sent.",
)
async def update_message(args: UpdateMessageInput, tw: TeamworkClient, ctx: ToolContext) -> Message:
    post = without_none(title=args.title, body=args.body)
    if not post:
        raise InputError("message_id", "nothing to change; give title or body.")
    post = without_none(**post, notify=await notify_value(tw, args.notify, args.notify_user_ids))
    await tw.put(f"/messages/{args.message_id}.json", {"post": post})
    return await fetch_message(tw, args.message_id)


@tool(
    name="teamwork_delete_message",
    title="Delete Message",
    toolset="teamwork.messages",
    kind="delete",
    lookup="teamwork_list_messages",
    description="Delete a message and its replies.",
)
async def delete_message(args: MessageIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/messages/{args.message_id}.json")
    return Deleted(id=args.message_id)


class ListRepliesInput(PageInput):
    message_id: int | None = Field(None, gt=0, description="Only this message's; " + MESSAGES)
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_message_replies",
    title="List Message Replies",
    toolset="teamwork.messages",
    kind="read",
    description="List replies to messages, oldest first, optionally of one message.",
)
async def list_message_replies(args: ListRepliesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Reply]:
    params = {"messageIds": [args.message_id] if args.message_id else None}
    return await fetch_v3_page(tw, "/messagereplies.json", "messageReplies", params, args, to_reply)


class ReplyIdInput(InputModel):
    reply_id: int = Field(gt=0, description="from teamwork_list_message_replies")


class GetReplyInput(ReplyIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_message_reply",
    title="Get Message Reply",
    toolset="teamwork.messages",
    kind="read",
    lookup="teamwork_list_message_replies",
    description="Get one reply to a message: body, author and times.",
)
async def get_message_reply(args: GetReplyInput, tw: TeamworkClient, ctx: ToolContext) -> Reply:
    data = await tw.get(f"{V3}/messagereplies/{args.reply_id}.json")
    return to_reply(data.get("messageReply") or {"id": args.reply_id}, args.include_raw)


class CreateReplyInput(MessageIdInput, Audience):
    body: str = Field(min_length=1, max_length=100_000, description="Reply text.")


@tool(
    name="teamwork_create_message_reply",
    title="Reply to Message",
    toolset="teamwork.messages",
    kind="create",
    lookup="teamwork_list_message_replies",
    description="Reply to a message, optionally e-mailing people.",
)
async def create_message_reply(args: CreateReplyInput, tw: TeamworkClient, ctx: ToolContext) -> Reply:
    await fetch_message(tw, args.message_id)
    reply = without_none(body=args.body, notify=await notify_value(tw, args.notify, args.notify_user_ids))
    data = await tw.post(f"/messages/{args.message_id}/replies.json", {"messagereply": reply})
    return await fetch_reply(tw, _new_id(data, "postId", "reply", "teamwork_list_message_replies"))


class UpdateReplyInput(ReplyIdInput):
    body: str = Field(min_length=1, max_length=100_000, description="New text.")


@tool(
    name="teamwork_update_message_reply",
    title="Update Message Reply",
    toolset="teamwork.messages",
    kind="update",
    lookup="teamwork_list_message_replies",
    description="Change the text of a reply to a message.",
)
async def update_message_reply(args: UpdateReplyInput, tw: TeamworkClient, ctx: ToolContext) -> Reply:
    await tw.put(f"/messageReplies/{args.reply_id}.json", {"messagereply": {"body": args.body}})
    return await fetch_reply(tw, args.reply_id)


@tool(
    name="teamwork_delete_message_reply",
    title="Delete Message Reply",
    toolset="teamwork.messages",
    kind="delete",
    lookup="teamwork_list_message_replies",
    description="Delete one reply to a message; the message stays.",
)
async def delete_message_reply(args: ReplyIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/messageReplies/{args.reply_id}.json")
    return Deleted(id=args.reply_id)
