"""Clients (the app's companies), with an `address` object flattened onto postal-line fields.

Bodies are checked with `_common.check_body` (types, required keys, and, stricter than the real API so tests catch a
misspelt key, no unknown keys). A reference to a missing record is a 400, as a model validator would answer; an
unknown id in the path is a 404. Deletes answer an empty 200.
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
    bad_body,
    check_body,
    invalid_field,
    list_response,
    missing_reference,
    not_found,
    shown,
    user_name,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

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
                return None, invalid_field("model.address", "address must be an object.")
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
