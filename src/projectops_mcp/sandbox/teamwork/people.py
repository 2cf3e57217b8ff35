"""People: v3 list/get/me (reads); v1 create/update/delete (writes) are added alongside."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v3_not_found, v3_page


def seed(store: Store) -> None:
    for person in _demo.PEOPLE:
        store.put("people", person["id"], copy.deepcopy(person))


def v3_person(p: dict) -> dict:
    return {
        "id": p["id"],
        "firstName": p["firstName"],
        "lastName": p["lastName"],
        "title": p.get("title", ""),
        "email": p["email"],
        "isAdmin": p.get("isAdmin", False),
        "type": p.get("type", "account"),
        "company": {"id": p["companyId"], "type": "companies"},
        "companyId": p["companyId"],
        "deleted": p.get("deleted", False),
        "avatarUrl": "",
        "lengthOfDay": p.get("lengthOfDay", 8),
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_people(request: Request):
        q = request.query_params
        people = [p for p in store.table("people").values() if not p.get("deleted")]
        if q.get("searchTerm"):
            term = q["searchTerm"].lower()
            people = [p for p in people if term in f"{p['firstName']} {p['lastName']} {p['email']}".lower()]
        if q.get("userType"):
            people = [p for p in people if p.get("type") == q["userType"]]
        if q.get("ids"):
            wanted = {int(i) for i in q["ids"].split(",") if i.strip().isdigit()}
            people = [p for p in people if p["id"] in wanted]
        return v3_page(request, "people", [v3_person(p) for p in people])

    async def get_person(request: Request):
        person = store.table("people").get(int(request.path_params["person_id"]))
        if person is None or person.get("deleted"):
            return v3_not_found()
        return json_response({"person": v3_person(person)})

    async def me(request: Request):
        person = store.table("people")[_demo.ME_ID]
        body = v3_person(person) | {"siteOwner": True, "inOwnerCompany": True}
        return json_response({"person": body})

    return [
        Route("/projects/api/v3/people.json", list_people, methods=["GET"]),
        Route("/projects/api/v3/people/{person_id:int}.json", get_person, methods=["GET"]),
        Route("/projects/api/v3/me.json", me, methods=["GET"]),
    ]
