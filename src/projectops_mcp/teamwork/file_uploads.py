"""Upload a file to a task or a project, by Teamwork's pre-signed flow (reference §6.18, the SDK's pending_file.go):

1. `GET /projects/api/v1/pendingfiles/presignedurl.json?fileName=&fileSize=` → `{"ref", "url"}`;
2. `PUT` the bytes to `url` (object storage, no Teamwork credentials, exact Content-Length);
3. attach `ref`: to a task with a v3 task PATCH `{"task": {}, "attachments": {"pendingFiles": [{"reference"}]}}`,
   to a project with `POST /projects/{id}/files.json` `{"file": {"pendingFileRef", "description"}}` (201 `{"id"}`).

Name, size and base64 are checked, and the task or project looked up, before anything is sent. The bytes are held
only in memory for the upload: never logged, echoed in errors or returned.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from pathlib import PurePath
from typing import Any

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_int
from projectops_mcp.teamwork.files import files_in, to_file
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.tasks import fetch_task
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


class UploadFileInput(InputModel):
    file_name: str = Field(min_length=3, max_length=255, description="Plain name with extension, e.g. brief.pdf.")
    content_base64: str = Field(min_length=4, description="The file as standard base64 (no data: prefix).")
    task_id: int | None = Field(None, gt=0, description="Attach to this task; from teamwork_list_tasks")
    project_id: int | None = Field(
        None, gt=0, description="Or add to this project's files; from teamwork_list_projects"
    )
    description: str | None = Field(None, max_length=1000, description="Shown with the file (projects).")

    @model_validator(mode="after")
    def _one_target(self) -> UploadFileInput:
        if bool(self.task_id) == bool(self.project_id):
            raise ValueError("give exactly one of task_id or project_id")
        return self


class UploadedFile(OutputModel):
    file_id: int | None = Field(None, description="Unknown when Teamwork did not say; see teamwork_list_task_files.")
    name: str
    size_bytes: int
    task_id: int | None = None
    project_id: int | None = None


def _checked_name(name: str) -> str:
    if PurePath(name).name != name or name in (".", "..") or "\\" in name:
        raise InputError("file_name", "must be a plain file name without directories, e.g. 'brief.pdf'.")
    if not PurePath(name).suffix[1:] or not PurePath(name).stem:
        raise InputError("file_name", f"needs a file extension, e.g. '.pdf'; got {name!r}.")
    return name


def _decoded(text: str) -> bytes:
    compact = "".join(text.split())
    if compact.startswith("data:"):
        raise InputError("content_base64", "send only the base64 payload, without the 'data:...;base64,' prefix.")
    if len(compact) % 4 or not _BASE64.fullmatch(compact):
        raise InputError("content_base64", "is not valid standard base64 (A-Z, a-z, 0-9, +, / and = padding).")
    if len(compact) // 4 * 3 > MAX_UPLOAD_BYTES + 2:  # refused before decoding
        raise InputError("content_base64", f"the file is larger than the {MAX_UPLOAD_BYTES}-byte limit.")
    try:
        content = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("content_base64", "is not valid standard base64.") from None
    if not content or len(content) > MAX_UPLOAD_BYTES:
        raise InputError("content_base64", f"a file must be 1 to {MAX_UPLOAD_BYTES} bytes.")
    return content


@tool(
    name="teamwork_upload_file",
    title="Upload File",
    toolset="teamwork.files",
    kind="create",
    lookup="teamwork_list_task_files",
    description=f"Upload a file (base64, up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB) and attach it to a task or add "
    "it to a project.",
)
async def upload_file(args: UploadFileInput, tw: TeamworkClient, ctx: ToolContext) -> UploadedFile:
    name = _checked_name(args.file_name)
    content = _decoded(args.content_base64)
    project_id = args.project_id
    if args.task_id:
        await fetch_task(tw, args.task_id)
    else:
        project_id = (await fetch_project(tw, args.project_id or 0)).project_id
    presigned = await tw.get(
        "/projects/api/v1/pendingfiles/presignedurl.json", {"fileName": name, "fileSize": len(content)}
    )
    ref, url = presigned.get("ref"), presigned.get("url")
    if not isinstance(ref, str) or not isinstance(url, str) or not ref or not url:
        raise UpstreamError("Teamwork did not hand out an upload URL; nothing was uploaded.", backend="Teamwork")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    await tw.put_upload(url, content, content_type)
    size = len(content)
    del content
    if args.task_id:
        body: dict[str, Any] = {"task": {}, "attachments": {"pendingFiles": [{"reference": ref}]}}
        await tw.patch(f"/projects/api/v3/tasks/{args.task_id}.json", body)
        listing = await tw.get(f"/tasks/{args.task_id}/files.json")
        same_name = [f for f in map(to_file, files_in(listing)) if f.name == name]
        newest = max(same_name, key=lambda f: f.file_id, default=None)
        file_id = newest.file_id if newest else None
        return UploadedFile(file_id=file_id, name=name, size_bytes=size, task_id=args.task_id)
    file_body = {"pendingFileRef": ref, **({"description": args.description} if args.description else {})}
    data = await tw.post(f"/projects/{project_id}/files.json", {"file": file_body})
    return UploadedFile(file_id=v1_int(ikey(data, "fileId", "id")), name=name, size_bytes=size, project_id=project_id)
