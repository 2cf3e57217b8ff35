"""Tasks: v3 list/get/create/update (PATCH, and PUT as the SDK sends)/delete; v1 complete and uncomplete.

v3 bodies are `{"task": {...}, "taskOptions": {...}}`; problems answer 400 with Teamwork's `{"errors": [...]}`.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    ids_param,
    now_text,
    v1_error,
    v1_ok,
    v3_error,
    v3_not_found,
    v3_page,
)
from projectops_mcp.sandbox.teamwork.files import attach_pending

PRIORITIES = ("none", "low", "medium", "high")
TASK_KEYS = frozenset(
    {"name", "description", "priority", "progress", "startAt", "dueAt", "estimatedMinutes", "tasklistId",
     "parentTaskId", "assignees", "tagIds", "changeFollowers", "commentFollowers", "completeFollowers",
     "customFields", "isPrivate"}
)  # fmt: skip
ASSIGNEE_KINDS = frozenset({"userIds", "companyIds", "teamIds", "jobRoleIds"})
TOP_KEYS = frozenset({"task", "taskOptions", "predecessors", "attachments", "card", "workflows", "tags"})


def seed(store: Store) -> None:
    for task in _demo.TASKS:
        store.put("tasks", task["id"], copy.deepcopy(task))


def related(store: Store, t: dict, request: Request) -> dict:
    """`subTaskIds` and `predecessors`, filled only with includeRelatedTasks=true (SDK); completed subtasks only
    with includeCompletedPredecessors=true, which widens every related list."""
    q = request.query_params
    if not truthy(q.get("includeRelatedTasks")):
        return {"subTaskIds": [], "predecessors": []}
    wide = truthy(q.get("includeCompletedPredecessors"))
    shown = ("deleted",) if wide else ("deleted", "completed")
    children = [c["id"] for c in store.table("tasks").values() if c.get("parentTaskId") == t["id"]]
    children = [c for c in children if store.table("tasks")[c].get("status") not in shown]
    preds = [
        {"id": p["id"], "type": "tasks", "meta": {"type": p["type"]}}
        for p in t.get("predecessors", [])
        if wide or (store.table("tasks").get(p["id"]) or {}).get("status") != "completed"
    ]
    return {"subTaskIds": sorted(children), "predecessors": preds}


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
        "workflowStages": [{"workflowId": w, "stageId": s} for w, s in sorted(t.get("workflowStages", {}).items())],
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
    # `parentTaskId` is deliberately not a filter: the SDK models none, and a site that ignores it must not fool
    # the subtask tool (it reads `subTaskIds` instead).
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


class Rejected(Exception):
    """A v3 body problem (400)."""


def _int_list(value: Any, key: str) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise Rejected(f"{key} must be an array of integers")
    return list(value)


def _iso_day(value: Any, key: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value)
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise Rejected(f"{key} must be a date in YYYY-MM-DD format")


def apply_task(store: Store, task: dict, payload: Any, creating: bool) -> None:
    """Apply a v3 task body in place; raises Rejected."""
    if not isinstance(payload, dict) or not isinstance(payload.get("task"), dict):
        raise Rejected("expected a 'task' object")
    if unknown := sorted(set(payload) - TOP_KEYS) or sorted(set(payload["task"]) - TASK_KEYS):
        raise Rejected(f"unknown field '{unknown[0]}'")
    body, options = payload["task"], payload.get("taskOptions") or {}
    if "name" in body or creating:
        if not isinstance(body.get("name"), str) or not body["name"].strip():
            raise Rejected("name is required")
        task["name"] = body["name"]
    if "description" in body:
        task["description"] = str(body["description"] or "")
    if "priority" in body:
        if body["priority"] not in PRIORITIES:
            raise Rejected(f"priority must be one of {', '.join(PRIORITIES)}")
        task["priority"] = body["priority"]
    for key, field in (("progress", "progress"), ("estimatedMinutes", "estimateMinutes")):
        if key in body:
            value = body[key]
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or value < 0
                or (key == "progress" and value > 100)
            ):
                raise Rejected(f"{key} must be a whole number in range")
            task[field] = value
    for key, field in (("startAt", "startDate"), ("dueAt", "dueDate")):
        if key in body:
            task[field] = _iso_day(body[key], key)
    if "assignees" in body:
        assignees = body["assignees"]
        if not isinstance(assignees, dict) or set(assignees) - ASSIGNEE_KINDS:
            raise Rejected("assignees must be an object with userIds, companyIds, teamIds and jobRoleIds")
        for kind in ASSIGNEE_KINDS - {"userIds"}:
            task[f"assignee_{kind}"] = _int_list(assignees.get(kind) or [], f"assignees.{kind}")
        users = _int_list(assignees.get("userIds") or [], "assignees.userIds")
        unknown_users = [u for u in users if u not in store.table("people")]
        if unknown_users and options.get("checkInvalidusers"):
            raise Rejected(f"invalid assignee: user {unknown_users[0]} does not exist")
        task["assigneeUserIds"] = [u for u in users if u not in unknown_users]
    if "tagIds" in body:
        tags = _int_list(body["tagIds"], "tagIds")
        if missing := [t for t in tags if t not in store.table("tags")]:
            raise Rejected(f"tag {missing[0]} does not exist")
        task["tagIds"] = tags
    if "tasklistId" in body:
        target = store.table("tasklists").get(body["tasklistId"]) if isinstance(body["tasklistId"], int) else None
        if target is None:
            raise Rejected("tasklistId does not exist")
        if target["projectId"] != task["projectId"]:
            raise Rejected("tasks can only be moved to task lists in the same project")
        move_tree(store, task, target["id"])
    if "parentTaskId" in body:
        parent_id = body["parentTaskId"]
        if not isinstance(parent_id, int) or isinstance(parent_id, bool):
            raise Rejected("parentTaskId must be an integer")
        parent = store.table("tasks").get(parent_id) if parent_id else None
        if parent_id and (parent is None or parent.get("status") == "deleted" or parent_id == task.get("id")):
            raise Rejected(f"parent task {parent_id} does not exist")
        task["parentTaskId"] = parent_id or None
    if "predecessors" in payload:
        task["predecessors"] = _predecessors(store, task, payload["predecessors"])
    if "attachments" in payload:
        _attach(store, task, payload["attachments"])
    if task.get("startDate") and task.get("dueDate") and task["dueDate"] < task["startDate"]:
        raise Rejected("dueAt must not be before startAt")


def _attach(store: Store, task: dict, value: Any) -> None:
    """`{"pendingFiles": [{"reference", "categoryId"?}]}`: completed uploads become the task's files."""
    pending = value.get("pendingFiles") if isinstance(value, dict) else None
    if not isinstance(pending, list) or set(value) - {"files", "pendingFiles"}:
        raise Rejected("attachments must be {pendingFiles: [{reference}]}")
    for item in pending:
        ref = item.get("reference") if isinstance(item, dict) else None
        if not isinstance(ref, str) or attach_pending(store, ref, task["projectId"], task["id"]) is None:
            raise Rejected(f"pending file {ref!r} is unknown or was not uploaded")


def _predecessors(store: Store, task: dict, value: Any) -> list[dict]:
    """`[{"id", "type": "start"|"complete"}]`, replacing the task's predecessors."""
    if not isinstance(value, list):
        raise Rejected("predecessors must be an array")
    out = []
    for p in value:
        if not isinstance(p, dict) or set(p) != {"id", "type"} or p["type"] not in ("start", "complete"):
            raise Rejected("each predecessor is {id, type: start|complete}")
        other = store.table("tasks").get(p["id"]) if isinstance(p["id"], int) else None
        if other is None or other.get("status") == "deleted" or p["id"] == task.get("id"):
            raise Rejected(f"predecessor task {p['id']} does not exist")
        out.append({"id": p["id"], "type": p["type"]})
    return out


def new_task(tasklist: dict) -> dict:
    return {
        "id": 0,
        "name": "",
        "description": "",
        "priority": "none",
        "progress": 0,
        "startDate": None,
        "dueDate": None,
        "estimateMinutes": 0,
        "tasklistId": tasklist["id"],
        "projectId": tasklist["projectId"],
        "parentTaskId": None,
        "assigneeUserIds": [],
        "tagIds": [],
        "status": "new",
        "createdBy": _demo.ME_ID,
        "createdAt": now_text(),
        "completedAt": None,
        "completedBy": None,
    }


def move_tree(store: Store, task: dict, tasklist_id: int) -> None:
    """Moving a task carries its subtasks along."""
    task["tasklistId"] = tasklist_id
    for child in store.table("tasks").values():
        if child.get("parentTaskId") == task.get("id"):
            move_tree(store, child, tasklist_id)


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def live(task_id: int) -> dict | None:
        task = store.table("tasks").get(task_id)
        return task if task and task.get("status") != "deleted" else None

    async def create_task(request: Request) -> Response:
        tasklist = store.table("tasklists").get(request.path_params["tasklist_id"])
        if tasklist is None:
            return v3_not_found()
        task = new_task(tasklist)
        try:
            apply_task(store, task, await read_json(request), creating=True)
        except Rejected as exc:
            return v3_error(400, str(exc))
        task["tasklistId"] = tasklist["id"]
        task["id"] = store.new_id("tasks", 6000)
        task["updatedAt"] = task["createdAt"]
        store.put("tasks", task["id"], task)
        return json_response({"task": v3_task(task)}, status=201)

    async def update_task(request: Request) -> Response:
        task = live(request.path_params["task_id"])
        if task is None:
            return v3_not_found()
        updated = copy.deepcopy(task)
        try:
            apply_task(store, updated, await read_json(request), creating=False)
        except Rejected as exc:
            return v3_error(400, str(exc))
        task.update(updated, updatedAt=now_text())
        return json_response({"task": v3_task(task)})

    async def delete_task(request: Request) -> Response:
        task = live(request.path_params["task_id"])
        if task is None:
            return v3_not_found()
        doomed = [task]
        while doomed:
            current = doomed.pop()
            current["status"] = "deleted"
            doomed += [t for t in store.table("tasks").values() if t.get("parentTaskId") == current["id"]]
        return empty_response(204)

    def set_completed(done: bool):
        async def handler(request: Request) -> Response:
            task = live(request.path_params["task_id"])
            if task is None:
                return v1_error(404, "Task not found")
            task.update(status="completed" if done else "reopened", updatedAt=now_text())
            task.update(completedAt=now_text() if done else None, completedBy=_demo.ME_ID if done else None)
            return v1_ok()

        return handler

    def listing(request: Request, tasks: list[dict]):
        selected = filter_tasks(request, tasks)
        if selected is None:
            return v3_error(400, "dueAfter/dueBefore must be YYYY-MM-DD")
        return v3_page(request, "tasks", selected, render=v3_task)

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
        return json_response({"task": {**v3_task(task), **related(store, task, request)}, "included": {}})

    async def move_task(request: Request) -> Response:
        """v1 `PUT /tasks/{id}/move.json` (the SDK's body, no wrapper): any task list, any project; subtasks travel
        with their parent; without `parentTaskId` the task becomes top-level."""
        task = live(request.path_params["task_id"])
        if task is None:
            return v1_error(404, "Task not found")
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) - {"taskListId", "parentTaskId", "removeDependencies"}:
            return v1_error(400, "expected {taskListId, parentTaskId, removeDependencies}")
        target = (
            store.table("tasklists").get(body.get("taskListId")) if isinstance(body.get("taskListId"), int) else None
        )
        if target is None:
            return v1_error(400, "taskListId does not exist")
        tree, queue = [], [task]
        while queue:
            current = queue.pop()
            tree.append(current)
            queue += [t for t in store.table("tasks").values() if t.get("parentTaskId") == current["id"]]
        for t in tree:
            t.update(tasklistId=target["id"], projectId=target["projectId"], updatedAt=now_text())
        task["parentTaskId"] = body.get("parentTaskId") or None
        if body.get("removeDependencies"):
            task["predecessors"] = []
        return JSONResponse(
            {
                "affectedTaskIds": ",".join(str(t["id"]) for t in tree),
                "affectedTaskListIds": str(target["id"]),
                "affectedProjectIds": str(target["projectId"]),
            }
        )

    return [
        Route("/tasks/{task_id:int}/move.json", move_task, methods=["PUT"]),
        Route("/projects/api/v3/tasks.json", list_tasks, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/tasks.json", list_project_tasks, methods=["GET"]),
        Route("/projects/api/v3/tasklists/{tasklist_id:int}/tasks.json", list_tasklist_tasks, methods=["GET"]),
        Route("/projects/api/v3/tasks/{task_id:int}.json", get_task, methods=["GET"]),
        Route("/projects/api/v3/tasklists/{tasklist_id:int}/tasks.json", create_task, methods=["POST"]),
        Route("/projects/api/v3/tasks/{task_id:int}.json", update_task, methods=["PATCH", "PUT"]),
        Route("/projects/api/v3/tasks/{task_id:int}.json", delete_task, methods=["DELETE"]),
        Route("/tasks/{task_id:int}/complete.json", set_completed(True), methods=["PUT"]),
        Route("/tasks/{task_id:int}/uncomplete.json", set_completed(False), methods=["PUT"]),
    ]
