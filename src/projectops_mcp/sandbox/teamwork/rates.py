"""Billable rates (v3, SDK rates.go): a user's installation rate, a project's rate, a user's rate on a project.

`GET .../rates/projects/{id}/users` (no `.json`, as the SDK calls it) lists each project member's effective rate.
Amounts are integer cents; a JSON `null` clears. PUT answers 201 for the user rates and 204 for the project rate, as
the SDK expects; a non-integer amount is the 400 Go's decoder gives ("cannot unmarshal number ... into int64"). Reads
answer `rate: {"amount", "currency"}` and, with `include=currencies`, the currency under `included`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json
from projectops_mcp.sandbox.teamwork._common import exists, live_project, v3_error, v3_not_found, v3_page
from projectops_mcp.sandbox.teamwork.people import project_members

SITE_CURRENCY = {"id": 1, "code": "NZD", "symbol": "$", "name": "New Zealand Dollar"}
CURRENCIES = {1: SITE_CURRENCY, 2: {"id": 2, "code": "AUD", "symbol": "$", "name": "Australian Dollar"}}
SEEDED_SITE_RATES = {238860: 18500, 369453: 16000}  # cents
SEEDED_PROJECT_RATES = {732893: {"rate": 17500, "users": {369453: 19500}}}


def seed(store: Store) -> None:
    for user_id, cents in SEEDED_SITE_RATES.items():
        store.put("site_rates", user_id, {"id": user_id, "rate": cents, "currencyId": 1})
    for project_id, rates in SEEDED_PROJECT_RATES.items():
        users = {uid: {"rate": cents, "currencyId": 1} for uid, cents in rates["users"].items()}
        store.put("project_rates", project_id, {"id": project_id, "rate": rates["rate"], "users": users})


def answer(request: Request, cents_key: str, entry: dict[str, Any] | None) -> Response:
    cents = entry.get("rate") if entry else None
    currency_id = (entry or {}).get("currencyId") or 1
    body: dict[str, Any] = {cents_key: cents}
    if cents is not None:
        body["rate"] = {"amount": cents, "currency": {"id": currency_id, "type": "currencies"}}
    wanted = request.query_params.getlist("include")
    if cents is not None and "currencies" in ",".join(wanted).split(","):
        body["included"] = {"currencies": {str(currency_id): CURRENCIES[currency_id]}}
    return json_response(body)


async def read_amount(request: Request, key: str, with_currency: bool) -> tuple[int | None, int | None]:
    """(cents or None to clear, currency id) from a PUT body; raises ValueError with Teamwork's wording."""
    body = await read_json(request)
    if not isinstance(body, dict) or key not in body:
        raise ValueError(f"{key} is required (null clears it)")
    allowed = {key, "currencyId"} if with_currency else {key}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValueError(f"unknown field '{unknown[0]}'")
    cents = body[key]
    if cents is not None and (isinstance(cents, bool) or not isinstance(cents, int)):
        raise ValueError(f"json: cannot unmarshal {type(cents).__name__} {cents!r} into Go value of type int64")
    if cents is not None and cents < 0:
        raise ValueError(f"{key} cannot be negative")
    currency_id = body.get("currencyId")
    if currency_id is not None and currency_id not in CURRENCIES:
        raise ValueError(f"currencyId: currency {currency_id} is not enabled on this site")
    return cents, currency_id


def effective(store: Store, entry: dict[str, Any], user_id: int) -> dict[str, Any]:
    """A user's rate on a project: their own project rate, else the project's, else their site rate (the sources the
    SDK names; the precedence is this simulator's reading of them)."""
    own = (entry["users"].get(user_id) or {}).get("rate")
    site = (store.table("site_rates").get(user_id) or {}).get("rate")
    candidates = (("userprojectrate", own), ("projectrate", entry.get("rate")), ("installationrate", site))
    source, cents = next(((name, value) for name, value in candidates if value is not None), (None, 0))
    return {
        "user": {"id": user_id, "type": "users"},
        "effectiveRate": cents,
        "userProjectRate": own,
        "userInstallationRate": site,
        "projectRate": entry.get("rate"),
        "source": source,
    }


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def person(request: Request) -> int | None:
        user_id = request.path_params["user_id"]
        return user_id if exists(store, "people", user_id) else None

    def project_entry(project_id: int) -> dict[str, Any]:
        table = store.table("project_rates")
        return table.get(project_id) or store.put(
            "project_rates", project_id, {"id": project_id, "rate": None, "users": {}}
        )

    async def get_site_rate(request: Request) -> Response:
        if person(request) is None:
            return v3_not_found()
        return answer(request, "userRate", store.table("site_rates").get(request.path_params["user_id"]))

    async def set_site_rate(request: Request) -> Response:
        user_id = person(request)
        if user_id is None:
            return v3_not_found()
        try:
            cents, currency_id = await read_amount(request, "userRate", with_currency=True)
        except ValueError as exc:
            return v3_error(400, str(exc))
        store.put("site_rates", user_id, {"id": user_id, "rate": cents, "currencyId": currency_id or 1})
        return empty_response(201)

    async def get_project_rate(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v3_not_found()
        return answer(request, "projectRate", store.table("project_rates").get(project_id))

    async def set_project_rate(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None:
            return v3_not_found()
        try:
            cents, _ = await read_amount(request, "projectRate", with_currency=False)
        except ValueError as exc:
            return v3_error(400, str(exc))
        project_entry(project_id)["rate"] = cents
        return empty_response(204)

    async def get_user_project_rate(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        if live_project(store, project_id) is None or person(request) is None:
            return v3_not_found()
        entry = (store.table("project_rates").get(project_id) or {}).get("users", {})
        return answer(request, "userRate", entry.get(request.path_params["user_id"]))

    async def set_user_project_rate(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        user_id = person(request)
        if live_project(store, project_id) is None or user_id is None:
            return v3_not_found()
        try:
            cents, currency_id = await read_amount(request, "userRate", with_currency=True)
        except ValueError as exc:
            return v3_error(400, str(exc))
        users = project_entry(project_id)["users"]
        if cents is None:
            users.pop(user_id, None)
        else:
            users[user_id] = {"rate": cents, "currencyId": currency_id or 1}
        return empty_response(201)

    async def list_project_rates(request: Request) -> Response:
        project_id = request.path_params["project_id"]
        members = project_members(store, project_id)
        if members is None:
            return v3_not_found()
        entry = store.table("project_rates").get(project_id) or {"rate": None, "users": {}}
        people = [store.table("people")[m] for m in members if m in store.table("people")]
        if term := request.query_params.get("searchTerm", "").lower():
            people = [p for p in people if term in f"{p['firstName']} {p['lastName']}".lower()]
        people.sort(
            key=lambda p: (p["firstName"], p["lastName"]), reverse=request.query_params.get("orderMode") == "desc"
        )
        return v3_page(request, "userRates", [effective(store, entry, p["id"]) for p in people])

    site = "/projects/api/v3/rates/installation/users/{user_id:int}.json"
    project = "/projects/api/v3/rates/projects/{project_id:int}.json"
    user_project = "/projects/api/v3/rates/projects/{project_id:int}/users/{user_id:int}.json"
    return [
        Route(site, get_site_rate, methods=["GET"]),
        Route(site, set_site_rate, methods=["PUT"]),
        Route(project, get_project_rate, methods=["GET"]),
        Route(project, set_project_rate, methods=["PUT"]),
        Route(user_project, get_user_project_rate, methods=["GET"]),
        Route(user_project, set_user_project_rate, methods=["PUT"]),
        Route("/projects/api/v3/rates/projects/{project_id:int}/users", list_project_rates, methods=["GET"]),
    ]
