"""Projects: v3 list/get (typed, `meta.page`), v1 create/update/delete (`{"project": {...}}`, string ids, YYYYMMDD)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import (
    Invalid,
    as_flag,
    as_ids,
    as_int,
    as_v1_date,
    ids_param,
    live_project,
    now_text,
    require_people,
    require_tags,
    v1_body,
    v1_error,
    v1_ok,
    v3_error,
    v3_not_found,
    v3_page,
)
from projectops_mcp.sandbox.teamwork.project_categories import live_category

V3_STATUSES = ("active", "current", "late", "upcoming", "completed", "deleted")
UPDATE_STATUSES = ("active", "inactive", "archived")

# Keys documented for POST /projects.json and PUT /projects/{id}.json that the simulator accepts without modelling.
PROJECT_EXTRA_KEYS = frozenset(
    {"startDate", "endDate", "tags", "newCompany", "harvest-timers-enabled", "privacyEnabled", "replyByEmailEnabled",
     "defaultPrivacy", "grant-access-to", "private", "people", "customFields", "isBillable", "projectType",
     "workflowId", "markComplete", "markNotComplete", "logoPendingFileRef"}
)  # fmt: skip
PROJECT_KEYS = frozenset(
    {"name", "description", "start-date", "end-date", "category-id", "companyId", "projectOwnerId", "tagIds",
     "status", "chatChannelEnabled"}
) | PROJECT_EXTRA_KEYS  # fmt: skip


def company_exists(store: Store, company_id: int) -> bool:
    companies = store.table("companies") or {c["id"]: c for c in _demo.COMPANIES}
    return company_id in companies


# -- projects -------------------------------------------------------------------------------------------------------


def seed(store: Store) -> None:
    for project in _demo.PROJECTS:
        store.put("projects", project["id"], copy.deepcopy(project) | {"updatedAt": project["createdAt"]})


def sub_status(p: dict) -> str:
    today = date.today().isoformat()
    if p.get("completed"):
        return "completed"
    if p.get("startDate") and p["startDate"] > today:
        return "upcoming"
    if p.get("endDate") and p["endDate"] < today:
        return "late"
    return "current"


def v3_project(p: dict) -> dict:
    def at(day: str | None) -> str | None:
        return f"{day}T00:00:00Z" if day else None

    return {
        "id": p["id"],
        "name": p["name"],
        "description": p.get("description", ""),
        "status": p.get("status", "active"),
        "subStatus": sub_status(p),
        "type": p.get("type", "normal"),
        "startAt": at(p.get("startDate")),
        "endAt": at(p.get("endDate")),
        "company": {"id": p["companyId"], "type": "companies"},
        "companyId": p["companyId"],
        "projectOwner": {"id": p["ownerId"], "type": "users"} if p.get("ownerId") else None,
        "projectOwnerId": p.get("ownerId"),
        "category": {"id": p["categoryId"], "type": "projectCategories"} if p.get("categoryId") else None,
        "categoryId": p.get("categoryId"),
        "tags": [{"id": t, "type": "tags"} for t in p.get("tagIds", [])],
        "tagIds": list(p.get("tagIds", [])),
        "chatChannelEnabled": p.get("chatChannelEnabled", False),
        "createdAt": p.get("createdAt"),
        "updatedAt": p.get("updatedAt"),
    }


def apply_project(store: Store, project: dict, body: dict[str, Any]) -> None:
    """Apply a v1 `project` body in place; raises Invalid."""
    if "name" in body:
        if not str(body["name"]).strip():
            raise Invalid("name cannot be empty")
        project["name"] = str(body["name"])
    if "description" in body:
        project["description"] = str(body["description"])
    for key, field in (("start-date", "startDate"), ("end-date", "endDate")):
        if key in body:
            project[field] = as_v1_date(body[key], key)
    if "category-id" in body:
        category_id = as_int(body["category-id"], "category-id")
        if category_id and live_category(store, category_id) is None:
            raise Invalid(f"category-id: category {category_id} does not exist")
        project["categoryId"] = category_id or None
    if "companyId" in body:
        company_id = as_int(body["companyId"], "companyId")
        if company_id and not company_exists(store, company_id):
            raise Invalid(f"companyId: company {company_id} does not exist")
        project["companyId"] = company_id or 1
    if "projectOwnerId" in body:
        owner = as_int(body["projectOwnerId"], "projectOwnerId")
        require_people(store, [owner] if owner else [], "projectOwnerId")
        project["ownerId"] = owner
    if "tagIds" in body:
        project["tagIds"] = as_ids(body["tagIds"], "tagIds")
        require_tags(store, project["tagIds"], "tagIds")
    if "status" in body:
        status = str(body["status"]).lower()
        if status not in UPDATE_STATUSES:
            raise Invalid(f"status must be one of {', '.join(UPDATE_STATUSES)}")
        project["status"] = "active" if status == "active" else "archived"
    if "chatChannelEnabled" in body:
        project["chatChannelEnabled"] = as_flag(body["chatChannelEnabled"], "chatChannelEnabled")
    if "markComplete" in body:
        project["completed"] = as_flag(body["markComplete"], "markComplete")
    if project.get("startDate") and project.get("endDate") and project["endDate"] < project["startDate"]:
        raise Invalid("end-date must be after start-date")


async def new_project(store: Store, request: Request, kind: str = "normal") -> dict[str, Any]:
    """A project (or template) made from a v1 `project` create body; raises Invalid. Not stored yet."""
    body = await v1_body(request, "project", PROJECT_KEYS)
    if not str(body.get("name") or "").strip():
        raise Invalid("name is required")
    if "status" in body:
        raise Invalid("status cannot be set when creating a project")
    project = {
        "id": store.new_id("projects", 800000),
        "name": "",
        "description": "",
        "companyId": 1,
        "ownerId": _demo.ME_ID,
        "status": "active",
        "type": kind,
        "startDate": None,
        "endDate": None,
        "categoryId": None,
        "tagIds": [],
        "chatChannelEnabled": False,
        "createdAt": _demo.CREATED,
        "updatedAt": _demo.CREATED,
    }
    apply_project(store, project, body)
    return project


def filter_projects(request: Request, projects: list[dict]) -> list[dict]:
    """v3 list filters; raises Invalid-like ValueError for malformed values."""
    q = request.query_params
    statuses = [s for s in q.get("projectStatuses", "").split(",") if s]
    if any(s not in V3_STATUSES for s in statuses):
        raise ValueError(f"projectStatuses must be among {', '.join(V3_STATUSES)}")
    if "deleted" not in statuses:
        projects = [p for p in projects if p.get("status") != "deleted"]
    if truthy(q.get("onlyArchivedProjects")):
        projects = [p for p in projects if p.get("status") == "archived"]
    elif not truthy(q.get("includeArchivedProjects")):
        projects = [p for p in projects if p.get("status") != "archived"]
    wanted = set(statuses) - {"active"}
    if wanted:
        projects = [p for p in projects if sub_status(p) in wanted or p.get("status") in wanted]
    if ids := ids_param(request, "projectCompanyIds"):
        projects = [p for p in projects if p["companyId"] in ids]
    if ids := ids_param(request, "projectTagIds"):
        projects = [p for p in projects if set(ids) & set(p.get("tagIds", []))]
    if ids := ids_param(request, "projectCategoryIds"):
        projects = [p for p in projects if p.get("categoryId") in ids]
    if ids := ids_param(request, "projectIds"):
        projects = [p for p in projects if p["id"] in ids]
    if q.get("searchTerm"):
        projects = [p for p in projects if q["searchTerm"].lower() in p["name"].lower()]
    if q.get("updatedAfter"):
        bound = datetime.fromisoformat(q["updatedAfter"].replace("Z", "+00:00"))
        projects = [p for p in projects if datetime.fromisoformat(p["updatedAt"].replace("Z", "+00:00")) > bound]
    return projects


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_projects(request: Request) -> Response:
        try:
            selected = filter_projects(request, list(store.table("projects").values()))
        except ValueError as exc:
            return v3_error(400, str(exc))
        return v3_page(request, "projects", [v3_project(p) for p in selected])

    async def get_project(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        project = live_project(store, project_id) or store.table("project_templates").get(project_id)
        if project is None:
            return v3_not_found()
        return json_response({"project": v3_project(project), "included": {}})

    async def create_project(request: Request) -> Response:
        try:
            project = await new_project(store, request)
        except Invalid as exc:
            return exc.response
        store.put("projects", project["id"], project)
        return v1_ok(201, id=str(project["id"]))

    async def update_project(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        try:
            body = await v1_body(request, "project", PROJECT_KEYS)
            updated = copy.deepcopy(project)
            apply_project(store, updated, body)
        except Invalid as exc:
            return exc.response
        updated["updatedAt"] = now_text()
        project.clear()
        project.update(updated)
        return v1_ok()

    async def delete_project(request: Request) -> Response:
        project = live_project(store, request.path_params["project_id"])
        if project is None:
            return v1_error(404, "Project not found")
        project["status"] = "deleted"
        return v1_ok()

    return [
        Route("/projects/api/v3/projects.json", list_projects, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}.json", get_project, methods=["GET"]),
        Route("/projects.json", create_project, methods=["POST"]),
        Route("/projects/{project_id:int}.json", update_project, methods=["PUT"]),
        Route("/projects/{project_id:int}.json", delete_project, methods=["DELETE"]),
    ]
