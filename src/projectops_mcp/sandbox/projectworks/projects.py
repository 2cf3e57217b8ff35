"""Projects and their per-user rates (`PUT /Projects/{id}/Users`).

A project's `Users` (the ids the `UserID` filter matches) are shown as the people with a rate on it plus everyone
assigned to one of its tasks; the rates themselves are kept internally (no GET for them is known).
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    Schema,
    apply_body,
    json_body,
    list_response,
    missing_reference,
    not_found,
    query,
    shown,
    user_name,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response

PROJECT_FILTERS = {
    "clientid": "ClientID",
    "projectid": "ProjectID",
    "projectnumber": "ProjectNumber",
    "name": "ProjectName",
    "externalreference": "ExternalReference",
}
PROJECT_BODY: Schema = {
    "projectName": ("str", True),
    "officeID": ("int", True),
    "clientID": ("int", True),
    "projectTypeID": ("int", True),
    "projectStatusID": ("int", True),
    "currencyID": ("int", True),
    "projectManagerID": ("int", True),
    "accountManagerID": ("int", True),
    "taskSelfServiceModeID": ("int", True),
    "projectBudgetTypeID": ("int", False),
    "projectNumber": ("str", False),
    "defaultRateCardID": ("int", False),
    "startDate": ("date", False),
    "endDate": ("date", False),
    "isActive": ("bool", False),
    "externalReference": ("str", False),
}
PROJECT_REFS = {
    "officeID": ("offices", "Office"),
    "clientID": ("clients", "Client"),
    "projectManagerID": ("users", "User"),
    "accountManagerID": ("users", "User"),
}
PROJECT_USER_BODY: Schema = {
    "userID": ("int", True),
    "rateCardID": ("int", False),
    "rate": ("num", False),
    "costRateCardID": ("int", False),
}


def seed(store: Store) -> None:
    for project in _demo.PROJECTS:
        record = {k: copy.deepcopy(v) for k, v in project.items() if k != "Users"}
        record["UserRates"] = {}
        store.put("projects", project["ProjectID"], record)


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def projects() -> dict[int, dict[str, Any]]:
        return store.table("projects")  # looked up per request: a reset replaces the tables

    def shown_project(project: dict[str, Any], custom_fields: bool) -> dict[str, Any]:
        record = shown(project, custom_fields, hidden=("UserRates",))
        on_tasks = {
            u for t in store.table("tasks").values() if t.get("ProjectID") == project["ProjectID"] for u in t["Users"]
        }
        record["Users"] = sorted(on_tasks | set(project["UserRates"]))
        return record

    def project_or_404(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        project = projects().get(request.path_params["project_id"])
        return (project, None) if project else (None, not_found("Project", request.path_params["project_id"]))

    def save(project: dict[str, Any], body: dict[str, Any]) -> Response:
        apply_body(project, body)
        client = store.table("clients").get(project["ClientID"])
        project["ClientName"] = client["ClientName"] if client else None
        return json_response(shown_project(project, True))

    async def list_projects(request: Request):
        user = query(request).get("userid")
        records = [shown_project(p, wants_custom_fields(request)) for p in projects().values()]
        if user:
            records = [r for r in records if user in {str(u) for u in r["Users"]}]
        return list_response(request, records, PROJECT_FILTERS)

    async def get_project(request: Request):
        project, missing = project_or_404(request)
        return missing or json_response(shown_project(project, True))

    async def create_project(request: Request):
        body, refused = await json_body(request, PROJECT_BODY)
        refused = refused or missing_reference(store, body, PROJECT_REFS)
        if refused:
            return refused
        project_id = store.new_id("projects", 1000)
        projects()[project_id] = project = {
            "ProjectID": project_id,
            "ProjectNumber": f"P-{project_id}",
            "IsActive": True,
            "UserRates": {},
            "CustomFields": [],
        }
        return save(project, body)

    async def patch_project(request: Request):
        project, missing = project_or_404(request)
        if missing:
            return missing
        body, refused = await json_body(request, PROJECT_BODY, partial=True)
        refused = refused or missing_reference(store, body, PROJECT_REFS)
        return refused or save(project, body)

    async def delete_project(request: Request):
        project, missing = project_or_404(request)
        if missing:
            return missing
        del projects()[project["ProjectID"]]
        return empty_response()

    async def put_project_user(request: Request):
        project, missing = project_or_404(request)
        if missing:
            return missing
        body, refused = await json_body(request, PROJECT_USER_BODY)
        refused = refused or missing_reference(store, body, {"userID": ("users", "User")})
        if refused:
            return refused
        rate = {
            "ProjectID": project["ProjectID"],
            "UserID": body["userID"],
            "UserName": user_name(store, body["userID"]),
            "RateCardID": body.get("rateCardID"),
            "Rate": body.get("rate"),
            "CostRateCardID": body.get("costRateCardID"),
        }
        project["UserRates"][body["userID"]] = rate
        return json_response(rate)

    return [
        Route("/Projects", list_projects, methods=["GET"]),
        Route("/Projects", create_project, methods=["POST"]),
        Route("/Projects/{project_id:int}", get_project, methods=["GET"]),
        Route("/Projects/{project_id:int}", patch_project, methods=["PATCH"]),
        Route("/Projects/{project_id:int}", delete_project, methods=["DELETE"]),
        Route("/Projects/{project_id:int}/Users", put_project_user, methods=["PUT"]),
    ]
