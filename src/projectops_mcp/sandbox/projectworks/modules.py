"""Modules (budget lines). A new module is not a services module unless `isServices: true` is sent, so a
forgotten flag shows up as a refused task later, as it would on a real account."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    Schema,
    apply_body,
    json_body,
    list_response,
    missing_reference,
    not_found,
    shown,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response

MODULE_FILTERS = {
    "projectid": "ProjectID",
    "moduleid": "ModuleID",
    "name": "ModuleName",
    "externalreference": "ExternalReference",
}
MODULE_BODY: Schema = {
    "projectID": ("int", True),
    "moduleName": ("str", True),
    "budget": ("num", False),
    "isServices": ("bool", False),
    "glCodeID": ("int", False),
    "isActive": ("bool", False),
    "feeTypeID": ("int", False),
    "externalReference": ("str", False),
}
MODULE_REFS = {"projectID": ("projects", "Project")}
RENAMES = {"glCodeID": "GLCodeID"}


def seed(store: Store) -> None:
    for module in _demo.MODULES:
        store.put("modules", module["ModuleID"], copy.deepcopy(module))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def modules() -> dict[int, dict[str, Any]]:
        return store.table("modules")  # looked up per request: a reset replaces the tables

    async def list_modules(request: Request):
        records = [shown(m, wants_custom_fields(request)) for m in modules().values()]
        return list_response(request, records, MODULE_FILTERS)

    async def get_module(request: Request):
        module = modules().get(request.path_params["module_id"])
        return json_response(shown(module, True)) if module else not_found("Module", request.path_params["module_id"])

    async def create_module(request: Request):
        body, refused = await json_body(request, MODULE_BODY)
        refused = refused or missing_reference(store, body, MODULE_REFS)
        if refused:
            return refused
        module_id = store.new_id("modules", 1000)
        modules()[module_id] = module = {
            "ModuleID": module_id,
            "Budget": None,
            "IsServices": False,
            "GLCodeID": None,
            "IsActive": True,
            "FeeTypeID": None,
            "ExternalReference": None,
            "CustomFields": [],
        }
        apply_body(module, body, RENAMES)
        return json_response(shown(module, True))

    async def patch_module(request: Request):
        module = modules().get(request.path_params["module_id"])
        if module is None:
            return not_found("Module", request.path_params["module_id"])
        body, refused = await json_body(request, MODULE_BODY, partial=True)
        refused = refused or missing_reference(store, body, MODULE_REFS)
        if refused:
            return refused
        apply_body(module, body, RENAMES)
        return json_response(shown(module, True))

    async def delete_module(request: Request):
        if modules().pop(request.path_params["module_id"], None) is None:
            return not_found("Module", request.path_params["module_id"])
        return empty_response()

    return [
        Route("/Modules", list_modules, methods=["GET"]),
        Route("/Modules", create_module, methods=["POST"]),
        Route("/Modules/{module_id:int}", get_module, methods=["GET"]),
        Route("/Modules/{module_id:int}", patch_module, methods=["PATCH"]),
        Route("/Modules/{module_id:int}", delete_module, methods=["DELETE"]),
    ]
