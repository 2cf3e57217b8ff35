"""Task files: the attachments of a task, from v1 `GET /tasks/{id}/files.json` ("List Files on a Task").

That endpoint is chosen over the task record's `attachments` array because it is the documented listing of a task's
files. Its response shape is not pinned down by any source (the 2021 v1 spec types it as an object under
`project`), so the files are taken from `files` at the top level or inside `project`, `task` or `todo-item`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import IncludeRaw, RawRecord
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_bool, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class TaskFile(OutputModel):
    file_id: int
    name: str
    description: str | None = None
    size_bytes: int | None = None
    version: int | None = None
    version_id: int | None = Field(None, description="For teamwork_create_comment on a file_version.")
    uploaded_at: str | None = None
    uploaded_by_user_id: int | None = None
    category: str | None = None
    download_url: str | None = None
    private: bool | None = None
    raw: RawRecord = None


class TaskFileList(OutputModel):
    task_id: int
    items: list[TaskFile]


def to_file(record: dict[str, Any], include_raw: bool = False) -> TaskFile:
    return TaskFile(
        file_id=v1_int(ikey(record, "id")) or 0,
        name=ikey(record, "name", "displayName", "originalName") or "",
        description=ikey(record, "description") or None,
        size_bytes=v1_int(ikey(record, "size")),
        version=v1_int(ikey(record, "version")),
        version_id=v1_int(ikey(record, "version-id", "versionId")),
        uploaded_at=ikey(record, "uploaded-date", "uploadedDate", "lastChangedOn") or None,
        uploaded_by_user_id=v1_int(ikey(record, "uploaded-by-user-id", "uploadedByUserId")),
        category=ikey(record, "category-name", "categoryName") or None,
        download_url=ikey(record, "download-URL", "downloadURL", "previewUrl") or None,
        private=v1_bool(ikey(record, "private")),
        raw=record if include_raw else None,
    )


def files_in(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The file records wherever this response put them."""
    for holder in (data, ikey(data, "project"), ikey(data, "task"), ikey(data, "todo-item")):
        if isinstance(holder, dict) and isinstance(ikey(holder, "files"), list):
            return [f for f in ikey(holder, "files") if isinstance(f, dict)]
    return []


class ListTaskFilesInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_task_files",
    title="List Task Files",
    toolset="teamwork.files",
    kind="read",
    lookup="teamwork_list_tasks",
    description="List the files attached to a task, with download links.",
)
async def list_task_files(args: ListTaskFilesInput, tw: TeamworkClient, ctx: ToolContext) -> TaskFileList:
    data = await tw.get(f"/tasks/{args.task_id}/files.json")
    return TaskFileList(task_id=args.task_id, items=[to_file(f, args.include_raw) for f in files_in(data)])
