"""Resourcing bookings (read-only). Capacity and pencilled bookings have `ResourceID: null`: they are listed but
cannot be fetched by id, and an `AfterResourceID` cursor skips them. StartDate/EndDate select bookings that start
on or after / end on or before the given dates (the reference's "on or after" / "on or before")."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import list_response, not_found, query
from projectops_mcp.sandbox.simulator import Simulator, Store, json_response

RESOURCE_FILTERS = {
    "projectid": "ProjectID",
    "moduleid": "ModuleID",
    "resourcetypeid": "ResourceTypeID",
    "userid": "UserID",
    "modeid": "ModeID",
    "levelid": "LevelID",
}


def seed(store: Store) -> None:
    """Bookings without an id are stored under negative keys, so they can never be fetched by id."""
    for index, booking in enumerate(_demo.RESOURCES, start=1):
        store.put("resources", booking["ResourceID"] or -index, copy.deepcopy(booking))


def routes(sim: Simulator) -> list[Route]:

    def resources() -> dict[int, dict[str, Any]]:
        return sim.store.table("resources")  # looked up per request: a reset replaces the tables

    async def list_resources(request: Request):
        q = query(request)
        start, end = q.get("startdate", "")[:10], q.get("enddate", "")[:10]
        records = [
            r
            for r in resources().values()
            if (not start or str(r["StartDate"])[:10] >= start) and (not end or str(r["EndDate"])[:10] <= end)
        ]
        return list_response(request, records, RESOURCE_FILTERS, after=("afterresourceid", "ResourceID"))

    async def get_resource(request: Request):
        resource_id = request.path_params["resource_id"]
        booking = resources().get(resource_id) if resource_id > 0 else None
        return json_response(booking) if booking else not_found("Resource", resource_id)

    return [
        Route("/Resources", list_resources, methods=["GET"]),
        Route("/Resources/{resource_id:int}", get_resource, methods=["GET"]),
    ]
