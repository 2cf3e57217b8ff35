"""Clients, plus what the project-side simulator modules (projects, modules, tasks) share: writing a camelCase
body onto a PascalCase record, refusing ids that point at nothing, and showing custom fields.

Bodies are checked with the users module's `check_body` (types, required keys, and, stricter than the real API
so tests catch a misspelt key, no unknown keys). A reference to a missing record is a 400, as a model validator
would answer; an unknown id in the path is a 404. Deletes answer an empty 200.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    Schema,
    bad_body,
    check_body,
    list_response,
    not_found,
    now_utc,
    pascal,
    query,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

# ---------------------------------------------------------------------------------------------------------------
# Shared by the project-side simulator modules
# ---------------------------------------------------------------------------------------------------------------

INTERNAL = ("CustomFields",)  # shown only on GET by id, or on lists with IncludeCustomFields=true


def invalid(field: str, message: str) -> Response:
    return JSONResponse({"Message": f"The request is invalid. {message}", "ModelState": {field: [message]}}, 400)


def missing_reference(store: Store, body: Mapping[str, Any], refs: Mapping[str, tuple[str, str]]) -> Response | None:
    """refs maps a body key to (store table, noun): a 400 for the first id in the body that names no record."""
    for key, (table, noun) in refs.items():
        value = body.get(key)
        if value is not None and value not in store.table(table):
            return invalid(f"model.{key}", f"{noun} {value} does not exist.")
    return None


def apply_body(record: dict[str, Any], body: Mapping[str, Any], renames: Mapping[str, str] | None = None) -> None:
    """Write camelCase body keys onto the PascalCase record (PATCH merges only what was sent)."""
    for key, value in body.items():
        record[(renames or {}).get(key) or pascal(key)] = value
    record["ModifiedDateUTC"] = now_utc()


def wants_custom_fields(request: Request) -> bool:
    return query(request).get("includecustomfields", "").lower() == "true"


def shown(record: dict[str, Any], custom_fields: bool, hidden: Iterable[str] = ()) -> dict[str, Any]:
    """The record as the API shows it: internal bookkeeping keys removed, custom fields only when asked for."""
    out = {k: copy.deepcopy(v) for k, v in record.items() if k not in INTERNAL and k not in hidden}
    if custom_fields:
        out["CustomFields"] = copy.deepcopy(record.get("CustomFields", []))
    return out


async def json_body(request: Request, schema: Schema, *, partial: bool = False) -> tuple[Any, Response | None]:
    """The request's JSON object checked against `schema`, or the 400 to answer with."""
    body = await read_json(request)
    if not isinstance(body, dict):
        return None, bad_body()
    return body, check_body(body, schema, partial=partial)


def user_name(store: Store, user_id: Any) -> str | None:
    user = store.table("users").get(user_id)
    return f"{user['FirstName']} {user['LastName']}" if user else None


# ---------------------------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------------------------

CLIENT_FILTERS = {
    "officeid": "OfficeID",
    "clientid": "ClientID",
    "name": "ClientName",
    "externalreference": "ExternalReference",
}
CLIENT_BODY: Schema = {
    "clientName": ("str", True),
    "accountManagerID": ("int", True),
    "officeID": ("int", True),
    "currencyID": ("int", False),
    "clientTypeID": ("int", False),
    "defaultRateCardID": ("int", False),
    "defaultTaxTypeID": ("int", False),
    "financeEmail": ("str", False),
    "financePhone": ("str", False),
    "financeNotes": ("str", False),
    "isActive": ("bool", False),
    "companyTaxNumber": ("str", False),
    "externalReference": ("str", False),
}
CLIENT_REFS = {"accountManagerID": ("users", "User"), "officeID": ("offices", "Office")}
# The `address` object's inner keys are our choice (the reference only says "free-form"); stored as postal lines.
ADDRESS_BODY: Schema = {k: ("str", False) for k in ("line1", "line2", "city", "region", "postcode", "country")}
ADDRESS_KEYS = {
    "line1": "PostalAddress1",
    "line2": "PostalAddress2",
    "city": "City",
    "region": "Region",
    "postcode": "Postcode",
    "country": "Country",
}


def seed(store: Store) -> None:
    for client in _demo.CLIENTS:
        store.put("clients", client["ClientID"], copy.deepcopy(client))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def clients() -> dict[int, dict[str, Any]]:
        return store.table("clients")  # looked up per request: a reset replaces the tables

    async def checked_body(request: Request, *, partial: bool) -> tuple[Any, Response | None]:
        """The body with `address` checked on its own (check_body knows flat schemas) and flattened."""
        raw = await read_json(request)
        if not isinstance(raw, dict):
            return None, bad_body()
        address = raw.get("address")
        body = {k: v for k, v in raw.items() if k != "address"}
        refused = check_body(body, CLIENT_BODY, partial=partial)
        if refused is None and address is not None:
            if not isinstance(address, dict):
                return None, invalid("model.address", "address must be an object.")
            refused = check_body(address, ADDRESS_BODY, partial=True, where="model.address")
        if refused is None:
            refused = missing_reference(store, body, CLIENT_REFS)
        for key, value in (address or {}).items():
            body[ADDRESS_KEYS[key]] = value
        return body, refused

    def save(client: dict[str, Any], body: dict[str, Any]) -> Response:
        apply_body(client, body)  # address lines are already PascalCase record keys
        client["AccountManagerName"] = user_name(store, client.get("AccountManagerID"))
        return json_response(shown(client, True))

    async def list_clients(request: Request):
        records = [shown(c, wants_custom_fields(request)) for c in clients().values()]
        return list_response(request, records, CLIENT_FILTERS)

    async def get_client(request: Request):
        client = clients().get(request.path_params["client_id"])
        return json_response(shown(client, True)) if client else not_found("Client", request.path_params["client_id"])

    async def create_client(request: Request):
        body, refused = await checked_body(request, partial=False)
        if refused:
            return refused
        client_id = store.new_id("clients", 1000)
        clients()[client_id] = client = {"ClientID": client_id, "IsActive": True, "ExternalReference": None}
        return save(client, body)

    async def patch_client(request: Request):
        client = clients().get(request.path_params["client_id"])
        if client is None:
            return not_found("Client", request.path_params["client_id"])
        body, refused = await checked_body(request, partial=True)
        return refused or save(client, body)

    async def delete_client(request: Request):
        if clients().pop(request.path_params["client_id"], None) is None:
            return not_found("Client", request.path_params["client_id"])
        return empty_response()

    return [
        Route("/Clients", list_clients, methods=["GET"]),
        Route("/Clients", create_client, methods=["POST"]),
        Route("/Clients/{client_id:int}", get_client, methods=["GET"]),
        Route("/Clients/{client_id:int}", patch_client, methods=["PATCH"]),
        Route("/Clients/{client_id:int}", delete_client, methods=["DELETE"]),
    ]
