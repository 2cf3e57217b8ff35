"""Companies (v3): list, get, create (201 `{"company"}`), update (PATCH, 200), delete (204).

Write bodies are checked key by key against the SDK's spelling, so `countryCode` or `profileText` (the read-side
names) are refused on write just as a typo would be; a duplicate name is a 409 Conflict.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v3_error, v3_not_found, v3_page

# write key -> internal (read-side) key
TEXT_KEYS = {
    "name": "name",
    "addressOne": "addressOne",
    "addressTwo": "addressTwo",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "countrycode": "countryCode",
    "emailOne": "emailOne",
    "emailTwo": "emailTwo",
    "emailThree": "emailThree",
    "phone": "phone",
    "fax": "fax",
    "website": "website",
    "profile": "profileText",
}
OTHER_KEYS = {"clientManagedBy", "industryCatId", "tagIds"}
ORDER = {"name": lambda c: c["name"].lower(), "id": lambda c: c["id"], "dateadded": lambda c: c.get("createdAt", "")}


def seed(store: Store) -> None:
    for company in _demo.COMPANIES:
        record = {"createdAt": _demo.CREATED, "updatedAt": _demo.CREATED, **copy.deepcopy(company)}
        store.put("companies", company["id"], record)


def v3_company(c: dict) -> dict:
    def rel(value: int | None, kind: str) -> dict | None:
        return {"id": value, "type": kind} if value else None

    return {
        "id": c["id"],
        "name": c["name"],
        **{key: c.get(key, "") for key in TEXT_KEYS.values() if key != "name"},
        "clientManagedBy": rel(c.get("clientManagedBy"), "users"),
        "industry": rel(c.get("industryId"), "industries"),
        "tags": [{"id": t, "type": "tags"} for t in c.get("tags") or []],
        "createdAt": c.get("createdAt"),
        "updatedAt": c.get("updatedAt"),
        "status": "active",
    }


def apply_company(store: Store, company: dict, body: dict[str, Any]) -> str | None:
    """Apply a `company` body; returns the problem Teamwork would report, or None."""
    unknown = sorted(set(body) - set(TEXT_KEYS) - OTHER_KEYS)
    if unknown:
        return f"unknown field(s) in company: {', '.join(unknown)}"
    for key, field in TEXT_KEYS.items():
        if key in body:
            if not isinstance(body[key], str):
                return f"{key} must be a string"
            company[field] = body[key]
    if "countrycode" in body and body["countrycode"] and len(body["countrycode"]) != 2:
        return "countrycode must be an ISO 3166-1 alpha-2 code"
    manager = body.get("clientManagedBy")
    if manager is not None:
        if not isinstance(manager, int) or manager not in store.table("people"):
            return f"clientManagedBy: user {manager} not found"
    if "clientManagedBy" in body:
        company["clientManagedBy"] = manager
    if "industryCatId" in body:
        if body["industryCatId"] is not None and not isinstance(body["industryCatId"], int):
            return "industryCatId must be an integer"
        if body["industryCatId"] is not None and body["industryCatId"] not in store.table("industries"):
            return f"industryCatId: industry {body['industryCatId']} not found"
        company["industryId"] = body["industryCatId"]
    if "tagIds" in body:
        tags = body["tagIds"]
        if not isinstance(tags, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in tags):
            return "tagIds must be an array of integers"
        company["tags"] = tags
    if not str(company.get("name", "")).strip():
        return "name is required"
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store
    table = store.table

    def name_taken(name: str, except_id: int | None = None) -> bool:
        return any(
            c["name"].lower() == name.strip().lower() and c["id"] != except_id for c in table("companies").values()
        )

    async def company_body(request: Request) -> dict | None:
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("company"), dict):
            return None
        return body["company"]

    async def list_companies(request: Request):
        q = request.query_params
        companies = list(table("companies").values())
        if q.get("searchTerm"):
            companies = [c for c in companies if q["searchTerm"].lower() in c["name"].lower()]
        order = q.get("orderBy", "name")
        if order not in ORDER and order != "projects":
            return v3_error(400, f"unknown orderBy {order}")
        if order == "projects":
            count = {c["id"]: sum(p.get("companyId") == c["id"] for p in table("projects").values()) for c in companies}
            companies.sort(key=lambda c: count[c["id"]])
        else:
            companies.sort(key=ORDER[order])
        if q.get("orderMode", "asc") not in ("asc", "desc"):
            return v3_error(400, "orderMode must be asc or desc")
        if q.get("orderMode") == "desc":
            companies.reverse()
        return v3_page(request, "companies", [v3_company(c) for c in companies], {"customfields": {}})

    async def get_company(request: Request):
        company = table("companies").get(int(request.path_params["company_id"]))
        return json_response({"company": v3_company(company), "included": {}}) if company else v3_not_found()

    async def create_company(request: Request):
        body = await company_body(request)
        if body is None:
            return v3_error(400, "expected a 'company' object")
        company = {"id": store.new_id("companies", 100), "isOwner": False, "createdAt": _demo.CREATED}
        problem = apply_company(store, company, body)
        if problem:
            return v3_error(400, problem)
        if name_taken(company["name"]):
            return v3_error(409, f"a company called {company['name']!r} already exists", title="Conflict")
        company["updatedAt"] = company["createdAt"]
        store.put("companies", company["id"], company)
        return json_response({"company": v3_company(company)}, status=201)

    async def update_company(request: Request):
        company = table("companies").get(int(request.path_params["company_id"]))
        if company is None:
            return v3_not_found()
        body = await company_body(request)
        if body is None:
            return v3_error(400, "expected a 'company' object")
        updated = copy.deepcopy(company)
        problem = apply_company(store, updated, body)
        if problem:
            return v3_error(400, problem)
        if "name" in body and name_taken(updated["name"], company["id"]):
            return v3_error(409, f"a company called {updated['name']!r} already exists", title="Conflict")
        company.update(updated)
        return json_response({"company": v3_company(company)})

    async def delete_company(request: Request):
        company_id = int(request.path_params["company_id"])
        if table("companies").get(company_id, {}).get("isOwner"):
            return v3_error(403, "the site owner's company cannot be deleted", title="Forbidden")
        return empty_response(204) if table("companies").pop(company_id, None) else v3_not_found()

    return [
        Route("/projects/api/v3/companies.json", list_companies, methods=["GET"]),
        Route("/projects/api/v3/companies.json", create_company, methods=["POST"]),
        Route("/projects/api/v3/companies/{company_id:int}.json", get_company, methods=["GET"]),
        Route("/projects/api/v3/companies/{company_id:int}.json", update_company, methods=["PATCH"]),
        Route("/projects/api/v3/companies/{company_id:int}.json", delete_company, methods=["DELETE"]),
    ]
