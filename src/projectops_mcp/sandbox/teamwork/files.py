"""Task files (v1): `GET /tasks/{id}/files.json`, answered in the shape the 2021 v1 spec gives it (an object under
`project` holding the `files`), with v1 string-typed records.

The demo files live here rather than in `_demo.py`: no other simulator refers to them.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork._common import person_name, v1_error, v1_str

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

    return [Route("/tasks/{task_id:int}/files.json", task_files, methods=["GET"])]
