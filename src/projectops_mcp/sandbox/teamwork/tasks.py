"""Tasks: v3 list/get (reads); writes are added alongside."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import ids_param, v3_error, v3_not_found, v3_page


def seed(store: Store) -> None:
    for task in _demo.TASKS:
        store.put("tasks", task["id"], copy.deepcopy(task))


def v3_task(t: dict) -> dict:
    return {
        "id": t["id"],
        "name": t["name"],
        "description": t.get("description", ""),
        "priority": t.get("priority"),
        "progress": t.get("progress", 0),
        "startDate": t.get("startDate"),
        "dueDate": t.get("dueDate"),
        "estimateMinutes": t.get("estimateMinutes", 0),
        "tasklist": {"id": t["tasklistId"], "type": "tasklists"},
        "tasklistId": t["tasklistId"],
        "parentTask": {"id": t["parentTaskId"], "type": "tasks"} if t.get("parentTaskId") else None,
        "parentTaskId": t.get("parentTaskId") or 0,
        "assignees": [{"id": u, "type": "users"} for u in t.get("assigneeUserIds", [])],
        "assigneeUserIds": list(t.get("assigneeUserIds", [])),
        "tags": [{"id": tag, "type": "tags"} for tag in t.get("tagIds", [])],
        "tagIds": list(t.get("tagIds", [])),
        "status": t.get("status", "new"),
        "createdBy": t.get("createdBy"),
        "createdAt": t.get("createdAt"),
        "updatedBy": t.get("updatedBy"),
        "updatedAt": t.get("updatedAt"),
        "completedAt": t.get("completedAt"),
        "completedBy": t.get("completedBy"),
    }


def filter_tasks(request: Request, tasks: list[dict]) -> list[dict] | None:
    q = request.query_params
    if ids := ids_param(request, "responsiblePartyIds"):
        tasks = [t for t in tasks if set(ids) & set(t.get("assigneeUserIds", []))]
    if ids := ids_param(request, "projectIds"):
        tasks = [t for t in tasks if t["projectId"] in ids]
    if ids := ids_param(request, "tasklistIds"):
        tasks = [t for t in tasks if t["tasklistId"] in ids]
    if ids := ids_param(request, "tagIds"):
        tasks = [t for t in tasks if set(ids) & set(t.get("tagIds", []))]
    if ids := ids_param(request, "ids"):
        tasks = [t for t in tasks if t["id"] in ids]
    if q.get("parentTaskId"):
        tasks = [t for t in tasks if str(t.get("parentTaskId") or 0) == q["parentTaskId"]]
    if q.get("searchTerm"):
        term = q["searchTerm"].lower()
        tasks = [t for t in tasks if term in (t["name"] + " " + (t.get("description") or "")).lower()]
    for param, op in (("dueAfter", "ge"), ("dueBefore", "le")):
        if q.get(param):
            bound = q[param][:10]
            if len(bound) != 10:
                return None
            tasks = [
                t
                for t in tasks
                if t.get("dueDate") and (t["dueDate"] >= bound if op == "ge" else t["dueDate"] <= bound)
            ]
    if q.get("updatedAfter"):
        tasks = [t for t in tasks if (t.get("updatedAt") or "") >= q["updatedAfter"][:20]]
    if not truthy(q.get("includeCompletedTasks")):
        tasks = [t for t in tasks if t.get("status") != "completed"]
    tasks = [t for t in tasks if t.get("status") != "deleted"]
    return tasks


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def listing(request: Request, tasks: list[dict]):
        selected = filter_tasks(request, tasks)
        if selected is None:
            return v3_error(400, "dueAfter/dueBefore must be YYYY-MM-DD")
        return v3_page(request, "tasks", [v3_task(t) for t in selected])

    async def list_tasks(request: Request):
        return listing(request, list(store.table("tasks").values()))

    async def list_project_tasks(request: Request):
        pid = int(request.path_params["project_id"])
        return listing(request, [t for t in store.table("tasks").values() if t["projectId"] == pid])

    async def list_tasklist_tasks(request: Request):
        lid = int(request.path_params["tasklist_id"])
        return listing(request, [t for t in store.table("tasks").values() if t["tasklistId"] == lid])

    async def get_task(request: Request):
        task = store.table("tasks").get(int(request.path_params["task_id"]))
        if task is None or task.get("status") == "deleted":
            return v3_not_found()
        return json_response({"task": v3_task(task), "included": {}})

    return [
        Route("/projects/api/v3/tasks.json", list_tasks, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/tasks.json", list_project_tasks, methods=["GET"]),
        Route("/projects/api/v3/tasklists/{tasklist_id:int}/tasks.json", list_tasklist_tasks, methods=["GET"]),
        Route("/projects/api/v3/tasks/{task_id:int}.json", get_task, methods=["GET"]),
    ]
