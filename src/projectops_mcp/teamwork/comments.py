"""Comments on tasks, milestones, notebooks, links and file versions: read through v3 (typed records, `meta.page`),
written through v1, as Teamwork's own SDK does (projects/comment.go).

Wire quirks (reference §6.11, §8 quirks 3-4): create sends camelCase `contentType`, update the hyphenated
`content-type` (v1 ignores the camelCase key on update and stores HTML escaped); `notify` is left out for nobody,
`true` for the item's followers, `"ALL"` for the project, or a comma list of user ids. The v3 single-comment answer
is wrapped in `comments` (plural), a known API quirk; both spellings are accepted. The notebook and link comment
lists take no query parameters, so their filters are refused and their one answer is paged here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.teamwork._common import fetch_or_refuse, fetch_person, fetch_v3_page, rfc3339
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

ObjectType = Literal["task", "milestone", "notebook", "link", "file_version"]

# object_type -> (path segment on v1 and v3, the tool that lists the ids, the read that proves it exists: path and
# answer key; file versions have no documented read, so a 404 on the create itself names the argument).
OBJECTS: dict[str, tuple[str, str, str | None, str | None]] = {
    "task": ("tasks", "teamwork_list_tasks", f"{V3}/tasks/{{}}.json", "task"),
    "milestone": ("milestones", "teamwork_list_milestones", f"{V3}/milestones/{{}}.json", "milestone"),
    "notebook": ("notebooks", "teamwork_list_notebooks", f"{V3}/notebooks/{{}}.json", "notebook"),
    "link": ("links", "teamwork_list_links", "/links/{}.json", "link"),
    "file_version": ("fileversions", "teamwork_list_task_files", None, None),
}
UNFILTERED = ("notebook", "link")  # their comment routes take no query parameters
_BY_SEGMENT = {segment: name for name, (segment, *_) in OBJECTS.items()}
COMMENTS = "from teamwork_list_comments"
OBJECT_IDS = "from teamwork_list_tasks/_milestones/_notebooks/_links, or version_id of teamwork_list_task_files"


class Comment(OutputModel):
    comment_id: int
    body: str | None = None
    content_type: str | None = Field(None, description="TEXT or HTML.")
    object_type: str | None = None
    object_id: int | None = None
    task_id: int | None = None
    project_id: int | None = None
    posted_by_user_id: int | None = None
    posted_at: str | None = None
    edited_at: str | None = None
    raw: RawRecord = None


def to_comment(record: dict[str, Any], include_raw: bool = False) -> Comment:
    target = record.get("object") if isinstance(record.get("object"), dict) else {}
    object_type = _BY_SEGMENT.get(str(target.get("type") or "").lower(), target.get("type") or None)
    object_id = rel_id(target)
    return Comment(
        comment_id=record["id"],
        body=record.get("body"),
        content_type=record.get("contentType"),
        object_type=object_type,
        object_id=object_id,
        task_id=object_id if object_type == "task" else None,
        project_id=rel_id(record.get("project")),
        posted_by_user_id=rel_id(record.get("postedBy")),
        posted_at=record.get("postedDateTime"),
        edited_at=record.get("dateLastEdited") or None,
        raw=record if include_raw else None,
    )


# v1 `notify` as the SDK sends it: omitted for nobody, true the item's followers, "ALL" everyone on the project,
# "12,34" these people.
_NOTIFY: dict[str, Any] = {"none": None, "followers": True, "all": "ALL"}


async def notify_value(tw: TeamworkClient, notify: str, user_ids: list[int] | None) -> Any:
    """The v1 `notify` value for a comment, message, reply or link (None = leave the key out); the people named
    are checked to exist first."""
    for user_id in user_ids or []:
        await fetch_person(tw, user_id, field="notify_user_ids")
    return ",".join(str(u) for u in user_ids) if user_ids else _NOTIFY[notify]


async def fetch_comment(tw: TeamworkClient, comment_id: int, required: bool = False) -> dict[str, Any]:
    """The comment; after a write (not `required`) an answer without it stands for the comment just written."""
    path = f"{V3}/comments/{comment_id}.json"
    data = await tw.get(path)
    record = data.get("comments") or data.get("comment") if isinstance(data, dict) else None
    if isinstance(record, dict):
        return record
    if required:
        raise tw.missing_record("GET", path, "the comment")
    return {"id": comment_id}


async def check_object(tw: TeamworkClient, object_type: str, object_id: int, field: str) -> None:
    """Refuse a comment on an object that does not exist, before anything is written."""
    _, lister, path, key = OBJECTS[object_type]
    if path and key:
        label = object_type.replace("_", " ")
        await fetch_or_refuse(tw, path.format(object_id), key, what=f"{field}: {label} {object_id}", fix_with=lister)


class Audience(InputModel):
    notify: Literal["none", "followers", "all"] = Field("none", description="who is e-mailed, unless notify_user_ids")
    notify_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=100, description="Notify exactly these people; from teamwork_list_people"
    )

    @model_validator(mode="after")
    def _one_audience(self) -> Audience:
        if self.notify_user_ids and "notify" in self.model_fields_set and self.notify != "none":
            raise ValueError("give either notify or notify_user_ids, not both")
        return self


class CommentText(Audience):
    body: str = Field(min_length=1, max_length=50_000, description="Text; HTML if content_type=HTML.")
    content_type: Literal["TEXT", "HTML"] = Field("TEXT", description="How body is written.")


async def post_comment(
    tw: TeamworkClient, object_type: str, object_id: int, args: CommentText, field: str = "object_id"
) -> Comment:
    """Check the object and the people, POST the v1 comment, and read it back (the posted text if the read fails)."""
    segment, lister, _, _ = OBJECTS[object_type]
    await check_object(tw, object_type, object_id, field)
    notify = await notify_value(tw, args.notify, args.notify_user_ids)
    body: dict[str, Any] = {"body": args.body, "contentType": args.content_type}
    if notify is not None:
        body["notify"] = notify
    path = f"/{segment}/{object_id}/comments.json"
    try:
        data = await tw.post(path, {"comment": body})
    except UpstreamError as exc:
        if exc.status == 404:  # only file versions get here unchecked; a 404 means nothing was created
            label = object_type.replace("_", " ")
            raise PrerequisiteError(f"{field}: {label} {object_id} does not exist.", fix_with=lister) from None
        raise
    comment_id = v1_int(ikey(data, "id"))
    if comment_id is None:
        raise tw.missing_record("POST", path, "the new comment's id")
    sent = Comment(
        comment_id=comment_id,
        body=args.body,
        content_type=args.content_type,
        object_type=object_type,
        object_id=object_id,
        task_id=object_id if object_type == "task" else None,
    )
    try:
        return to_comment(await fetch_comment(tw, comment_id))
    except UpstreamError:  # the comment was posted; only the read-back failed
        return sent


class ListTaskCommentsInput(PageInput):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_task_comments",
    title="List Task Comments",
    toolset="teamwork.comments",
    kind="read",
    lookup="teamwork_list_tasks",
    description="List the comments on a task, oldest first.",
)
async def list_task_comments(args: ListTaskCommentsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Comment]:
    return await fetch_v3_page(tw, f"/tasks/{args.task_id}/comments.json", "comments", None, args, to_comment)


class CreateTaskCommentInput(CommentText):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")


@tool(
    name="teamwork_create_task_comment",
    title="Create Task Comment",
    toolset="teamwork.comments",
    kind="create",
    lookup="teamwork_list_task_comments",
    description="Comment on a task, optionally e-mailing followers, the project or chosen people.",
)
async def create_task_comment(args: CreateTaskCommentInput, tw: TeamworkClient, ctx: ToolContext) -> Comment:
    return await post_comment(tw, "task", args.task_id, args, field="task_id")


class ObjectRef(InputModel):
    object_type: ObjectType = Field(description="What the comment is on.")
    object_id: int = Field(gt=0, description=OBJECT_IDS)


class ListCommentsInput(PageInput):
    object_type: ObjectType | None = Field(None, description="With object_id: only that item's.")
    object_id: int | None = Field(None, gt=0, description=OBJECT_IDS)
    search: str | None = Field(None, min_length=1, description="Text in the comment.")
    user_ids: list[int] | None = Field(None, min_length=1, max_length=100, description="from teamwork_list_people")
    updated_after: datetime | None = Field(None, description="ISO 8601 date-time.")
    include_raw: IncludeRaw = False

    @model_validator(mode="after")
    def _both_or_neither(self) -> ListCommentsInput:
        if (self.object_type is None) != (self.object_id is None):
            raise ValueError("give object_type and object_id together, or neither for the whole site")
        return self


@tool(
    name="teamwork_list_comments",
    title="List Comments",
    toolset="teamwork.comments",
    kind="read",
    description="List comments site-wide or on one task, milestone, notebook, link or file version.",
)
async def list_comments(args: ListCommentsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Comment]:
    params = {"searchTerm": args.search, "userIds": args.user_ids, "updatedAfter": rfc3339(args.updated_after)}
    if args.object_type in UNFILTERED and args.object_id:
        return await _list_unfiltered(tw, args, params)
    path = "/comments.json"
    if args.object_type and args.object_id:
        path = f"/{OBJECTS[args.object_type][0]}/{args.object_id}/comments.json"
    return await fetch_v3_page(tw, path, "comments", params, args, to_comment)


async def _list_unfiltered(tw: TeamworkClient, args: ListCommentsInput, params: dict[str, Any]) -> Page[Comment]:
    """Notebook and link comment routes take no query parameters (SDK comment.go): filters are refused rather than
    silently ignored, and the one answer is paged here."""
    given = [name for name, key in (("search", "searchTerm"), ("user_ids", "userIds"), ("updated_after",
             "updatedAfter")) if params[key] is not None]  # fmt: skip
    if given:
        raise InputError(given[0], f"cannot filter {args.object_type} comments; list them all, or search site-wide.")
    path = f"{V3}/{OBJECTS[str(args.object_type)][0]}/{args.object_id}/comments.json"
    records = tw.list_of(await tw.request("GET", path), "comments")
    start = (args.page - 1) * args.page_size
    chunk = records[start : start + args.page_size]
    return page_of(chunk, to_comment, args, has_more=len(records) > start + args.page_size, total=len(records))


class CommentIdInput(InputModel):
    comment_id: int = Field(gt=0, description=COMMENTS)


class GetCommentInput(CommentIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_comment",
    title="Get Comment",
    toolset="teamwork.comments",
    kind="read",
    lookup="teamwork_list_comments",
    description="Get one comment: text, what it is on, author and times.",
)
async def get_comment(args: GetCommentInput, tw: TeamworkClient, ctx: ToolContext) -> Comment:
    return to_comment(await fetch_comment(tw, args.comment_id, required=True), args.include_raw)


class CreateCommentInput(CommentText, ObjectRef):
    pass


@tool(
    name="teamwork_create_comment",
    title="Create Comment",
    toolset="teamwork.comments",
    kind="create",
    lookup="teamwork_list_comments",
    description="Comment on a task, milestone, notebook, link or file version, optionally e-mailing people.",
)
async def create_comment(args: CreateCommentInput, tw: TeamworkClient, ctx: ToolContext) -> Comment:
    return await post_comment(tw, args.object_type, args.object_id, args)


class UpdateCommentInput(CommentIdInput, Audience):
    body: str = Field(min_length=1, max_length=50_000, description="New text; HTML if content_type=HTML.")
    content_type: Literal["TEXT", "HTML"] | None = Field(None, description="Default unchanged.")


@tool(
    name="teamwork_update_comment",
    title="Update Comment",
    toolset="teamwork.comments",
    kind="update",
    lookup="teamwork_list_comments",
    description="Replace a comment's text, optionally e-mailing people about the change.",
)
async def update_comment(args: UpdateCommentInput, tw: TeamworkClient, ctx: ToolContext) -> Comment:
    await fetch_or_refuse(
        tw, f"{V3}/comments/{args.comment_id}.json", "comments",
        what=f"comment_id: comment {args.comment_id}", fix_with="teamwork_list_comments",
    )  # fmt: skip
    notify = await notify_value(tw, args.notify, args.notify_user_ids)
    body: dict[str, Any] = {"body": args.body}
    if args.content_type:
        body["content-type"] = args.content_type  # hyphenated on update (SDK; camelCase is ignored here)
    if notify is not None:
        body["notify"] = notify
    await tw.put(f"/comments/{args.comment_id}.json", {"comment": body})
    return to_comment(await fetch_comment(tw, args.comment_id))


@tool(
    name="teamwork_delete_comment",
    title="Delete Comment",
    toolset="teamwork.comments",
    kind="delete",
    lookup="teamwork_list_comments",
    description="Delete one comment.",
)
async def delete_comment(args: CommentIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/comments/{args.comment_id}.json")
    return Deleted(id=args.comment_id)
