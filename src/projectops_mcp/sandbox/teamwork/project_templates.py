"""Project templates and cloning: v3 `GET /projects/api/v3/projects/templates.json` (the project list's envelope),
v1 `POST /projects/template.json` (the project create body, 201 `{"id"}`), and v1 `POST /projects/{id}/clone.json`
with its unwrapped body, answering 200 `{"projectId": "<string id>"}` (SDK project.go / project_template.go).

Templates live in their own table so that no other resource's listing sees them; `GET /projects/api/v3/projects/
{id}.json` serves both (projects.py). Cloning copies the project record and, when asked, its task lists and their
tasks, shifting dates by `daysOffset` or, from a template, to `targetDate`; the other copy flags are accepted and
checked for type only."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_int,
    as_v1_date,
    ids_param,
    live_project,
    now_text,
    v1_error,
    v1_ok,
    v3_page,
)
from projectops_mcp.sandbox.teamwork.projects import new_project, v3_project

TEMPLATE = {
    "id": 830001,
    "name": "Website build template",
    "description": "Discovery, design, build, launch",
    "companyId": 1,
    "ownerId": _demo.ME_ID,
    "status": "active",
    "type": "projects-template",
    "startDate": "2026-01-05",
    "endDate": "2026-03-27",
    "categoryId": None,
    "tagIds": [],
    "createdAt": _demo.CREATED,
    "updatedAt": _demo.CREATED,
}
COPY_FLAGS = frozenset(
    {"copyFiles", "copyMessages", "copyMilestones", "copyTasks", "copyTasklists", "copyNotebooks", "copyLinks",
     "copyComments", "copyFollowers", "copyInvoices", "copyTimelogs", "copyExpenses", "copyWebhooks",
     "copyProjectRoles", "copyCustomFields", "copyCustomItems", "copyProjectUpdates", "copyRisks", "copyForms",
     "copyAutomations", "copyPeople", "copyProjectPrivacy", "copyBudgets", "copyAllocations", "copyLogo",
     "copyProjectPrefs", "newFromTemplate", "toTemplate"}
)  # fmt: skip
CLONE_KEYS = COPY_FLAGS | {
    "cloneProjectName", "cloneProjectAction", "description", "companyId", "templateDateTarget", "targetDate",
    "daysOffset",
}  # fmt: skip


def seed(store: Store) -> None:
    store.put("project_templates", TEMPLATE["id"], copy.deepcopy(TEMPLATE))


def shifted(day: str | None, days: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None


def read_clone_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Invalid("expected a JSON object of clone options")
    unknown = sorted(set(body) - CLONE_KEYS)
    if unknown:
        raise Invalid(f"Unknown field '{unknown[0]}'")
    for flag in COPY_FLAGS & set(body):
        if not isinstance(body[flag], bool):
            raise Invalid(f"{flag} must be true or false")
    if body.get("cloneProjectAction", "COPY") not in ("COPY", "MOVE"):
        raise Invalid("cloneProjectAction must be COPY or MOVE")
    if body.get("templateDateTarget", "start") not in ("start", "end"):
        raise Invalid("templateDateTarget must be start or end")
    if "daysOffset" in body and (isinstance(body["daysOffset"], bool) or not isinstance(body["daysOffset"], int)):
        raise Invalid("daysOffset must be a whole number of days")
    return body


def copy_tasklists(store: Store, source_id: int, target_id: int, days: int, with_tasks: bool) -> None:
    lists = [t for t in store.table("tasklists").values() if t.get("projectId") == source_id]
    for tasklist in lists:
        new_list = copy.deepcopy(tasklist) | {"id": store.new_id("tasklists", 2000), "projectId": target_id}
        new_list["milestoneId"] = None
        store.put("tasklists", new_list["id"], new_list)
        if not with_tasks:
            continue
        tasks = [t for t in store.table("tasks").values() if t.get("tasklistId") == tasklist["id"]]
        parents: dict[int, int] = {}
        for task in sorted(tasks, key=lambda t: t.get("parentTaskId") or 0):
            new_task = copy.deepcopy(task) | {"id": store.new_id("tasks", 9000), "projectId": target_id}
            new_task |= {"tasklistId": new_list["id"], "status": "new", "completedAt": None, "completedBy": None}
            new_task["parentTaskId"] = parents.get(task.get("parentTaskId") or 0)
            new_task["startDate"] = shifted(task.get("startDate"), days)
            new_task["dueDate"] = shifted(task.get("dueDate"), days)
            parents[task["id"]] = new_task["id"]
            store.put("tasks", new_task["id"], new_task)


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_templates(request: Request) -> Response:
        rows = [t for t in store.table("project_templates").values() if t.get("status") != "deleted"]
        if term := request.query_params.get("searchTerm"):
            rows = [t for t in rows if term.lower() in t["name"].lower()]
        if ids := ids_param(request, "projectIds"):
            rows = [t for t in rows if t["id"] in ids]
        return v3_page(request, "projects", [v3_project(t) for t in rows])

    async def create_template(request: Request) -> Response:
        try:
            template = await new_project(store, request, "projects-template")
        except Invalid as exc:
            return exc.response
        store.put("project_templates", template["id"], template)
        return v1_ok(201, id=str(template["id"]))

    async def clone(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        source = live_project(store, project_id) or store.table("project_templates").get(project_id)
        if source is None:
            return v1_error(404, "Project not found")
        try:
            body = read_clone_body(await read_json(request))
            from_template = body.get("newFromTemplate", False)
            if from_template and source.get("type") != "projects-template":
                raise Invalid(f"newFromTemplate: project {project_id} is not a template")
            if "targetDate" in body and not from_template:
                raise Invalid("targetDate is only used with newFromTemplate")
            target = as_v1_date(body.get("targetDate"), "targetDate")
            company_id = as_int(body.get("companyId"), "companyId")
        except Invalid as exc:
            return exc.response
        if body.get("cloneProjectAction") == "MOVE":
            source["name"] = body.get("cloneProjectName") or source["name"]
            return json_response({"projectId": str(source["id"])})
        days = int(body.get("daysOffset") or 0)
        if target and source.get("startDate"):
            anchor = source["endDate"] if body.get("templateDateTarget") == "end" else source["startDate"]
            days = (date.fromisoformat(target) - date.fromisoformat(anchor or source["startDate"])).days
        to_template = body.get("toTemplate", False)
        project = copy.deepcopy(source) | {
            "id": store.new_id("projects", 800000),
            "name": body.get("cloneProjectName") or f"{source['name']} 2",
            "type": "projects-template" if to_template else "normal",
            "status": "active",
            "startDate": shifted(source.get("startDate"), days),
            "endDate": shifted(source.get("endDate"), days),
            "createdAt": now_text(),
            "updatedAt": now_text(),
            "clonedFrom": source["id"],
        }
        if "description" in body:
            project["description"] = str(body["description"])
        if company_id:
            project["companyId"] = company_id
        store.put("project_templates" if to_template else "projects", project["id"], project)
        if body.get("copyTasklists"):
            copy_tasklists(store, source["id"], project["id"], days, bool(body.get("copyTasks")))
        return json_response({"projectId": str(project["id"])})

    return [
        Route("/projects/api/v3/projects/templates.json", list_templates, methods=["GET"]),
        Route("/projects/template.json", create_template, methods=["POST"]),
        Route("/projects/{project_id:int}/clone.json", clone, methods=["POST"]),
    ]
