"""Industries (v1 `GET /industries.json`): Teamwork's fixed list, string ids, no paging (the SDK sends no page
parameters). Companies refer to them by `industryCatId`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store
from projectops_mcp.sandbox.teamwork._common import v1_ok, v1_str

INDUSTRIES = {1: "Accounting", 2: "Advertising", 5: "Banking", 9: "Construction", 12: "Education",
              15: "Financial Services", 18: "Healthcare", 24: "Marketing", 30: "Software", 33: "Tourism"}  # fmt: skip


def seed(store: Store) -> None:
    for industry_id, name in INDUSTRIES.items():
        store.put("industries", industry_id, {"id": industry_id, "name": name})


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_industries(request: Request):
        rows = sorted(store.table("industries").values(), key=lambda i: i["name"])
        return v1_ok(industries=[{"id": v1_str(i["id"]), "name": i["name"]} for i in rows])

    return [Route("/industries.json", list_industries, methods=["GET"])]
