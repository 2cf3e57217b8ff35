"""Reference data: roles, offices, leave types, leave statuses."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import list_response
from projectops_mcp.sandbox.simulator import Simulator, Store


def seed(store: Store) -> None:
    for name, rows, key in (
        ("roles", _demo.ROLES, "UserRoleID"),
        ("offices", _demo.OFFICES, "OfficeID"),
        ("leave_types", _demo.LEAVE_TYPES, "TypeID"),
        ("leave_statuses", _demo.LEAVE_STATUSES, "StatusID"),
    ):
        for row in rows:
            store.put(name, row[key], dict(row))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def roles(request: Request):
        return list_response(request, store.table("roles").values(), {"rolecode": "Code"})

    async def offices(request: Request):
        filters = {"officeid": "OfficeID", "name": "Name", "externalreference": "ExternalReference"}
        return list_response(request, store.table("offices").values(), filters)

    async def leave_types(request: Request):
        filters = {"typeid": "TypeID", "name": "Name", "isactive": "IsActive"}
        return list_response(request, store.table("leave_types").values(), filters)

    async def leave_statuses(request: Request):
        return list_response(request, store.table("leave_statuses").values(), {"statusid": "StatusID"})

    return [
        Route("/Users/Roles", roles, methods=["GET"]),
        Route("/Offices", offices, methods=["GET"]),
        Route("/Leaves/Types", leave_types, methods=["GET"]),
        Route("/Leaves/Statuses", leave_statuses, methods=["GET"]),
    ]
