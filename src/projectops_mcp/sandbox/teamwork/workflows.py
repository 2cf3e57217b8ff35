"""Workflows and their stages (v3, reference §6.17): CRUD with `{"workflow"}`/`{"stage"}` bodies (201 create, 200
update, 204 delete), linking a workflow to a project, and moving tasks between stages (204).

A task's stage lives on the task as `workflowStages` ({workflowId: stageId}); deleting a stage requires
`mapTasksToStageId` (another stage of the same workflow) and moves its tasks there. Moving a task into a workflow's
stage requires the task's project to use that workflow, as on a live site.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork._common import live_project, v3_error, v3_not_found, v3_page

W = "/projects/api/v3/workflows"


def seed(store: Store) -> None:
    store.put("workflows", 1499, {"id": 1499, "name": "Delivery", "default": True})
    for order, (stage_id, name) in enumerate(((2101, "To do"), (2102, "Doing"), (2103, "Done"))):
        store.put("stages", stage_id, {"id": stage_id, "name": name, "workflowId": 1499, "order": order})


def v3_workflow(w: dict) -> dict:
    return {"id": w["id"], "name": w["name"], "defaultWorkflow": bool(w.get("default"))}


def v3_stage(s: dict) -> dict:
    return {
        "id": s["id"],
        "name": s["name"],
        "displayOrder": s["order"],
        "workflow": {"id": s["workflowId"], "type": "workflows"},
    }


def _name(body: Any, wrapper: str, required: bool) -> tuple[str | None, str | None]:
    """(name, problem) from `{wrapper: {"name": ...}}`."""
    if not isinstance(body, dict) or not isinstance(body.get(wrapper), dict):
        return None, f"expected a '{wrapper}' object"
    inner = body[wrapper]
    if unknown := sorted(set(inner) - {"name"}):
        return None, f"unknown field '{unknown[0]}'"
    name = inner.get("name")
    if name is None and not required:
        return None, None
    if not isinstance(name, str) or not name.strip():
        return None, "name is required"
    return name, None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    workflows, stages, tasks = store.table("workflows"), store.table("stages"), store.table("tasks")

    def stage_of(request: Request) -> dict | None:
        stage = stages.get(request.path_params["stage_id"])
        return stage if stage and stage["workflowId"] == request.path_params["workflow_id"] else None

    async def list_workflows(request: Request) -> Response:
        term = request.query_params.get("searchTerm", "").lower()
        rows = [v3_workflow(w) for w in workflows.values() if term in w["name"].lower()]
        return v3_page(request, "workflows", sorted(rows, key=lambda w: w["id"]))

    async def get_workflow(request: Request) -> Response:
        w = workflows.get(request.path_params["workflow_id"])
        return json_response({"workflow": v3_workflow(w)}) if w else v3_not_found()

    async def create_workflow(request: Request) -> Response:
        name, problem = _name(await read_json(request), "workflow", required=True)
        if problem:
            return v3_error(400, problem)
        workflow_id = store.new_id("workflows", 1500)
        w = store.put("workflows", workflow_id, {"id": workflow_id, "name": name, "default": False})
        return json_response({"workflow": v3_workflow(w)}, status=201)

    async def update_workflow(request: Request) -> Response:
        w = workflows.get(request.path_params["workflow_id"])
        if w is None:
            return v3_not_found()
        name, problem = _name(await read_json(request), "workflow", required=False)
        if problem:
            return v3_error(400, problem)
        if name:
            w["name"] = name
        return json_response({"workflow": v3_workflow(w)})

    async def delete_workflow(request: Request) -> Response:
        workflow_id = request.path_params["workflow_id"]
        if workflows.pop(workflow_id, None) is None:
            return v3_not_found()
        for stage_id in [s for s, st in stages.items() if st["workflowId"] == workflow_id]:
            del stages[stage_id]
        for record in [*tasks.values(), *store.table("projects").values()]:
            record.get("workflowStages", {}).pop(workflow_id, None)
            if workflow_id in record.get("workflowIds", []):
                record["workflowIds"].remove(workflow_id)
        return empty_response(204)

    async def link_project(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v3_not_found()
        body = await read_json(request)
        inner = body.get("workflow") if isinstance(body, dict) else None
        workflow_id = inner.get("id") if isinstance(inner, dict) else None
        if not isinstance(workflow_id, int) or workflow_id not in workflows:
            return v3_error(400, "workflow.id must be an existing workflow")
        project.setdefault("workflowIds", [])
        if workflow_id not in project["workflowIds"]:
            project["workflowIds"].append(workflow_id)
        own = [s for s in stages.values() if s["workflowId"] == workflow_id]
        first = min(own, key=lambda s: s["order"], default=None)
        for task in tasks.values():  # the project's tasks enter the workflow's first stage
            if task.get("projectId") == project["id"] and first is not None:
                task.setdefault("workflowStages", {}).setdefault(workflow_id, first["id"])
        return json_response({"workflow": v3_workflow(workflows[workflow_id])})

    async def list_stages(request: Request) -> Response:
        workflow_id = request.path_params["workflow_id"]
        if workflow_id not in workflows:
            return v3_not_found()
        order = request.query_params.get("orderBy", "displayorder")
        if order not in ("id", "name", "displayorder"):
            return v3_error(400, "orderBy must be id, name or displayorder")
        key = {"id": "id", "name": "name", "displayorder": "order"}[order]
        rows = sorted((s for s in stages.values() if s["workflowId"] == workflow_id), key=lambda s: s[key])
        if request.query_params.get("orderMode") == "desc":
            rows.reverse()
        return v3_page(request, "stages", [v3_stage(s) for s in rows])

    async def get_stage(request: Request) -> Response:
        stage = stage_of(request)
        return json_response({"stage": v3_stage(stage)}) if stage else v3_not_found()

    async def create_stage(request: Request) -> Response:
        workflow_id = request.path_params["workflow_id"]
        if workflow_id not in workflows:
            return v3_not_found()
        name, problem = _name(await read_json(request), "stage", required=True)
        if problem:
            return v3_error(400, problem)
        order = 1 + max((s["order"] for s in stages.values() if s["workflowId"] == workflow_id), default=-1)
        stage_id = store.new_id("stages", 2200)
        stage = store.put("stages", stage_id, {"id": stage_id, "name": name, "workflowId": workflow_id, "order": order})
        return json_response({"stage": v3_stage(stage)}, status=201)

    async def update_stage(request: Request) -> Response:
        stage = stage_of(request)
        if stage is None:
            return v3_not_found()
        name, problem = _name(await read_json(request), "stage", required=False)
        if problem:
            return v3_error(400, problem)
        if name:
            stage["name"] = name
        return json_response({"stage": v3_stage(stage)})

    async def delete_stage(request: Request) -> Response:
        stage = stage_of(request)
        if stage is None:
            return v3_not_found()
        body = await read_json(request)
        target_id = body.get("mapTasksToStageId") if isinstance(body, dict) else None
        target = stages.get(target_id) if isinstance(target_id, int) else None
        if target is None or target["workflowId"] != stage["workflowId"] or target is stage:
            return v3_error(400, "mapTasksToStageId must be another stage of the same workflow")
        for task in tasks.values():
            if task.get("workflowStages", {}).get(stage["workflowId"]) == stage["id"]:
                task["workflowStages"][stage["workflowId"]] = target["id"]
        del stages[stage["id"]]
        return empty_response(204)

    def move(task: dict, workflow_id: int, stage_id: int) -> str | None:
        if task.get("status") == "deleted":
            return f"task {task['id']} does not exist"
        project = store.table("projects").get(task.get("projectId"), {})
        if workflow_id not in project.get("workflowIds", []):
            return f"task {task['id']} is in a project that does not use workflow {workflow_id}"
        task.setdefault("workflowStages", {})[workflow_id] = stage_id
        return None

    async def move_task(request: Request) -> Response:
        task = tasks.get(request.path_params["task_id"])
        workflow_id = request.path_params["workflow_id"]
        if task is None or workflow_id not in workflows:
            return v3_not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) - {"stageId", "positionAfterTask", "workflowId"}:
            return v3_error(400, "expected {stageId, positionAfterTask}")
        stage = stages.get(body.get("stageId")) if isinstance(body.get("stageId"), int) else None
        if stage is None or stage["workflowId"] != workflow_id:
            return v3_error(400, f"stageId must be a stage of workflow {workflow_id}")
        if not isinstance(body.get("positionAfterTask", -1), int):
            return v3_error(400, "positionAfterTask must be a number")
        if problem := move(task, workflow_id, stage["id"]):
            return v3_error(400, problem)
        return empty_response(204)

    async def move_tasks(request: Request) -> Response:
        stage = stage_of(request)
        if stage is None:
            return v3_not_found()
        body = await read_json(request)
        ids = body.get("taskIds") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
            return v3_error(400, "taskIds must be a non-empty array of task ids")
        if missing := [i for i in ids if i not in tasks]:
            return v3_error(400, f"task {missing[0]} does not exist")
        for task_id in ids:  # all-or-nothing: check every task before moving any
            project = store.table("projects").get(tasks[task_id].get("projectId"), {})
            if stage["workflowId"] not in project.get("workflowIds", []):
                return v3_error(400, f"task {task_id} is in a project that does not use workflow {stage['workflowId']}")
        for task_id in ids:
            move(tasks[task_id], stage["workflowId"], stage["id"])
        return empty_response(204)

    return [
        Route(f"{W}.json", list_workflows, methods=["GET"]),
        Route(f"{W}.json", create_workflow, methods=["POST"]),
        Route(W + "/{workflow_id:int}.json", get_workflow, methods=["GET"]),
        Route(W + "/{workflow_id:int}.json", update_workflow, methods=["PATCH"]),
        Route(W + "/{workflow_id:int}.json", delete_workflow, methods=["DELETE"]),
        Route("/projects/api/v3/projects/{project_id:int}/workflows.json", link_project, methods=["POST"]),
        Route(W + "/{workflow_id:int}/stages.json", list_stages, methods=["GET"]),
        Route(W + "/{workflow_id:int}/stages.json", create_stage, methods=["POST"]),
        Route(W + "/{workflow_id:int}/stages/{stage_id:int}.json", get_stage, methods=["GET"]),
        Route(W + "/{workflow_id:int}/stages/{stage_id:int}.json", update_stage, methods=["PATCH"]),
        Route(W + "/{workflow_id:int}/stages/{stage_id:int}.json", delete_stage, methods=["DELETE"]),
        Route(W + "/{workflow_id:int}/stages/{stage_id:int}/tasks.json", move_tasks, methods=["POST"]),
        Route("/projects/api/v3/tasks/{task_id:int}/workflows/{workflow_id:int}.json", move_task, methods=["PATCH"]),
    ]
