"""Task comments: read through v3 (typed records, `meta.page`), written through v1, as Teamwork's own SDK does.

Create uses the camelCase `contentType` key: on v1 comment *create* that is what the SDK sends, while the hyphenated
`content-type` is only honoured on update. The new comment is read back from v3, whose single-comment answer is
wrapped in `comments` (plural), a known API quirk; both spellings are accepted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import UpstreamError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_person, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.teamwork.tasks import fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Comment(OutputModel):
    comment_id: int
    body: str | None = None
    content_type: str | None = Field(None, description="TEXT or HTML.")
    task_id: int | None = None
    project_id: int | None = None
    posted_by_user_id: int | None = None
    posted_at: str | None = None
    edited_at: str | None = None
    raw: RawRecord = None


def to_comment(record: dict[str, Any], include_raw: bool = False) -> Comment:
    target = record.get("object") or {}
    return Comment(
        comment_id=record["id"],
        body=record.get("body"),
        content_type=record.get("contentType"),
        task_id=rel_id(target) if isinstance(target, dict) and target.get("type") == "tasks" else None,
        project_id=rel_id(record.get("project")),
        posted_by_user_id=rel_id(record.get("postedBy")),
        posted_at=record.get("postedDateTime"),
        edited_at=record.get("dateLastEdited") or None,
        raw=record if include_raw else None,
    )


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


class CreateTaskCommentInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    body: str = Field(min_length=1, max_length=50_000, description="The comment text (HTML when content_type=HTML).")
    content_type: Literal["TEXT", "HTML"] = Field("TEXT", description="How body is written.")
    notify: Literal["none", "followers", "all"] = Field(
        "none",
        description="who is e-mailed, unless notify_user_ids",
    )
    notify_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=100, description="Notify exactly these people; from teamwork_list_people"
    )

    @model_validator(mode="after")
    def _one_audience(self) -> CreateTaskCommentInput:
        if self.notify_user_ids and "notify" in self.model_fields_set and self.notify != "none":
            raise ValueError("give either notify or notify_user_ids, not both")
        return self


# v1 `notify` as the SDK sends it: omitted for nobody, true the item's followers, "ALL" everyone on the project,
# "12,34" these people.
_NOTIFY: dict[str, Any] = {"none": None, "followers": True, "all": "ALL"}


async def notify_value(tw: TeamworkClient, notify: str, user_ids: list[int] | None) -> Any:
    """The v1 `notify` value for a comment, message, reply or link (None = leave the key out); the people named
    are checked to exist first."""
    for user_id in user_ids or []:
        await fetch_person(tw, user_id, field="notify_user_ids")
    return ",".join(str(u) for u in user_ids) if user_ids else _NOTIFY[notify]


async def fetch_comment(tw: TeamworkClient, comment_id: int) -> dict[str, Any]:
    data = await tw.get(f"{V3}/comments/{comment_id}.json")
    record = data.get("comments") or data.get("comment")
    return record if isinstance(record, dict) else {"id": comment_id}


@tool(
    name="teamwork_create_task_comment",
    title="Create Task Comment",
    toolset="teamwork.comments",
    kind="create",
    lookup="teamwork_list_task_comments",
    description="Comment on a task, optionally e-mailing followers, the project or chosen people.",
)
async def create_task_comment(args: CreateTaskCommentInput, tw: TeamworkClient, ctx: ToolContext) -> Comment:
    await fetch_task(tw, args.task_id)
    notify = await notify_value(tw, args.notify, args.notify_user_ids)
    body = {"body": args.body, "contentType": args.content_type}
    if notify is not None:
        body["notify"] = notify
    data = await tw.post(f"/tasks/{args.task_id}/comments.json", {"comment": body})
    comment_id = v1_int(ikey(data, "id"))
    if comment_id is None:
        raise tw.missing_record("POST", f"/tasks/{args.task_id}/comments.json", "the new comment's id")
    sent = Comment(comment_id=comment_id, body=args.body, content_type=args.content_type, task_id=args.task_id)
    try:
        return to_comment(await fetch_comment(tw, comment_id))
    except UpstreamError:  # the comment was posted; only the read-back failed
        return sent
