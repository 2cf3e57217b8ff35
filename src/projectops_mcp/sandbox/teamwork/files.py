"""Task files (v1): `GET /tasks/{id}/files.json`, answered in the shape the 2021 v1 spec gives it (an object under
`project` holding the `files`), with v1 string-typed records.

Uploads follow the SDK's pre-signed flow (reference §6.18): `GET /projects/api/v1/pendingfiles/presignedurl.json`
hands out a `ref` and a URL on a simulated object store (`/_uploads/...`, no Teamwork credentials, like S3); the
bytes are PUT there with the exact announced `Content-Length`; the ref is then attached to a task (v3 task
`attachments.pendingFiles`, see tasks.py) or added to a project (`POST /projects/{id}/files.json` → 201 `{"id"}`).
The store keeps only sizes and types, never the bytes.

The demo files live here rather than in `_demo.py`: no other simulator refers to them.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import person_name, v1_error, v1_ok, v1_str, v3_error

UPLOADS = "/_uploads/"
NOW = "2026-11-20T10:00:00Z"

FILES = [
    {
        "id": 812001,
        "taskId": 5001,
        "projectId": 732893,
        "name": "interview-guide.pdf",
        "description": "Questions for the stakeholder interviews",
        "size": 482133,
        "version": 2,
        "uploadedBy": 238860,
        "uploadedAt": "2026-11-03T09:12:00Z",
        "category": "Research",
        "private": False,
    },
    {
        "id": 812002,
        "taskId": 5001,
        "projectId": 732893,
        "name": "cfo-notes.docx",
        "description": "",
        "size": 20480,
        "version": 1,
        "uploadedBy": 369453,
        "uploadedAt": "2026-11-17T11:40:00Z",
        "category": "",
        "private": True,
    },
]


def seed(store: Store) -> None:
    for record in FILES:
        store.put("files", record["id"], copy.deepcopy(record))


def v1_file(store: Store, f: dict[str, Any]) -> dict[str, Any]:
    first, last = person_name(store, f["uploadedBy"])
    return {
        "id": v1_str(f["id"]),
        "name": f["name"],
        "originalName": f["name"],
        "description": f["description"],
        "size": v1_str(f["size"]),
        "version": v1_str(f["version"]),
        "version-id": v1_str(f["id"] * 10 + f["version"]),
        "uploaded-date": f["uploadedAt"],
        "uploaded-by-user-id": v1_str(f["uploadedBy"]),
        "uploaded-by-user-first-name": first,
        "uploaded-by-user-last-name": last,
        "category-name": f["category"],
        "project-id": v1_str(f["projectId"]),
        "download-URL": f"https://sandbox.teamwork.test/files/download/{f['id']}/{f['name']}",
        "private": v1_str(f["private"]),
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def task_files(request: Request) -> Response:
        task = store.table("tasks").get(request.path_params["task_id"])
        if task is None:
            return v1_error(404, "Task not found")
        files = [v1_file(store, f) for f in store.table("files").values() if f["taskId"] == task["id"]]
        project = {"id": v1_str(task["projectId"]), "files": files}
        return json_response({"STATUS": "OK", "project": project})

    async def presign(request: Request) -> Response:
        name, size = request.query_params.get("fileName", ""), request.query_params.get("fileSize", "")
        if not name or not size.isdigit() or int(size) <= 0:
            return v3_error(400, "fileName and a positive fileSize are required")
        uploads = store.extra.setdefault("uploads", {})
        # an upload announced but never sent is handed out again (keeps previews and real calls on one URL)
        waiting = [r for r, u in uploads.items() if (u["name"], u["size"], u["received"]) == (name, int(size), None)]
        ref = waiting[0] if waiting else f"tf_{store.new_id('pending_files', 1):08d}"
        uploads[ref] = {"name": name, "size": int(size), "received": None}
        url = f"{str(request.base_url).rstrip('/')}{UPLOADS}{ref}?X-Amz-SignedHeaders=host&X-Amz-Signature=sim"
        return json_response({"ref": ref, "url": url})

    async def upload(request: Request) -> Response:
        """The object store: the announced size exactly, and no Teamwork credentials (S3 refuses a second auth)."""
        pending = store.extra.get("uploads", {}).get(request.path_params["ref"])
        if pending is None:
            return Response(b"<Error><Code>NoSuchUpload</Code></Error>", status_code=404)
        if "authorization" in request.headers:
            return Response(b"<Error><Code>InvalidArgument</Code></Error>", status_code=400)
        body = await request.body()
        if len(body) != pending["size"]:
            return Response(b"<Error><Code>SignatureDoesNotMatch</Code></Error>", status_code=403)
        pending["received"] = request.headers.get("content-type", "")
        return empty_response(200)

    async def add_project_file(request: Request) -> Response:
        project = store.table("projects").get(request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        payload = await read_json(request)
        inner = payload.get("file") if isinstance(payload, dict) else None
        if not isinstance(inner, dict) or not isinstance(inner.get("pendingFileRef"), str):
            return v1_error(422, "Could not read the submitted JSON: expected a 'file' object with pendingFileRef")
        record = attach_pending(store, inner["pendingFileRef"], project["id"], None, inner.get("description", ""))
        if record is None:
            return v1_error(400, "pendingFileRef is unknown or was not uploaded")
        return v1_ok(201, id=str(record["id"]), fileId=str(record["id"]))

    async def delete_file(request: Request) -> Response:
        if store.table("files").pop(request.path_params["file_id"], None) is None:
            return v1_error(404, "File not found")
        return v1_ok()

    return [
        Route("/tasks/{task_id:int}/files.json", task_files, methods=["GET"]),
        Route("/projects/api/v1/pendingfiles/presignedurl.json", presign, methods=["GET"]),
        Route(UPLOADS + "{ref}", upload, methods=["PUT"]),
        Route("/projects/{project_id:int}/files.json", add_project_file, methods=["POST"]),
        Route("/files/{file_id:int}.json", delete_file, methods=["DELETE"]),
    ]


def attach_pending(
    store: Store, ref: str, project_id: int, task_id: int | None, description: str = ""
) -> dict[str, Any] | None:
    """The file record a completed upload becomes; None if the ref is unknown or its bytes never arrived."""
    pending = store.extra.get("uploads", {}).get(ref)
    if pending is None or pending["received"] is None:
        return None
    del store.extra["uploads"][ref]
    file_id = store.new_id("files", 813000)
    record = {"id": file_id, "taskId": task_id, "projectId": project_id, "name": pending["name"],
              "description": description, "size": pending["size"], "version": 1, "uploadedBy": _demo.ME_ID,
              "uploadedAt": NOW, "category": "Task Attachments" if task_id else "", "private": False}  # fmt: skip
    return store.put("files", file_id, record)
