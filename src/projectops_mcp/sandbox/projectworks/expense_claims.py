"""Expense claims: the receipt arrives inline as `fileName` + `fileContent` (base64) in the JSON body.

Quirks kept from the real API: a claim without a file is refused with the plain JSON string
"Must include at least one file" (most accounts are set up that way; `store.extra["receipts_required"] = False`
models one that is not), and `GET /ExpenseClaims/{id}` answers a single-element ARRAY. Updates are full
replacements: optional fields left out are cleared. Only file names and sizes are kept, never the bytes.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    check_body,
    check_query,
    error,
    in_date_range,
    invalid_model,
    list_response,
    not_found,
    schema_of,
    shown,
    wants_custom_fields,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

FILTERS = {
    "userid": "UserID",
    "clientid": "ClientID",
    "projectid": "ProjectID",
    "moduleid": "ModuleID",
    "expenseclaimtypeid": "ExpenseClaimTypeID",
    "expenseclaimstatusid": "ExpenseClaimStatusID",
    "isreimbursable": "IsReimbursable",
    "isbillable": "IsBillable",
    "invoiceid": "InvoiceID",
}
INT_PARAMS = (
    "afterexpenseclaimid",
    "userid",
    "clientid",
    "projectid",
    "moduleid",
    "expenseclaimtypeid",
    "expenseclaimstatusid",
    "invoiceid",
    "page",
    "pagesize",
)
# body key -> (record key, JSON type)
REQUIRED = {
    "userID": ("UserID", "int"),
    "projectID": ("ProjectID", "int"),
    "moduleID": ("ModuleID", "int"),
    "expenseClaimTypeID": ("ExpenseClaimTypeID", "int"),
    "isReimbursable": ("IsReimbursable", "bool"),
    "isProcessed": ("IsProcessed", "bool"),
    "date": ("Date", "date"),
    "amount": ("Amount", "number"),
    "currencyID": ("CurrencyID", "int"),
    "taxTypeID": ("TaxTypeID", "int"),
}
OPTIONAL = {
    "expenseClaimStatusID": ("ExpenseClaimStatusID", "int"),
    "expenseClaimNumber": ("ExpenseClaimNumber", "str"),
    "isBillable": ("IsBillable", "bool"),
    "notes": ("Notes", "str"),
    "invoiceDescription": ("InvoiceDescription", "str"),
    "quantity": ("Quantity", "number"),
}
FILE_KEYS = {"fileName": "str", "fileContent": "str"}
NO_FILE = "Must include at least one file"


def seed(store: Store) -> None:
    for claim in _demo.EXPENSE_CLAIMS:
        store.put("expense_claims", claim["ExpenseClaimID"], copy.deepcopy(claim))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def refuse(body: Any) -> Any:
        """The error response for a claim body the API would refuse, or None."""
        refused = check_body(
            body,
            schema_of(
                {k: kind for k, (_, kind) in REQUIRED.items()},
                {**{k: kind for k, (_, kind) in OPTIONAL.items()}, **FILE_KEYS},
            ),
        )
        if refused is not None:
            return refused
        if ("fileName" in body) != ("fileContent" in body):
            return invalid_model({"fileContent": "fileName and fileContent go together."})
        if "fileContent" in body:
            try:
                base64.b64decode(body["fileContent"], validate=True)
            except (binascii.Error, ValueError):
                return invalid_model({"fileContent": "The file content is not valid base64."})
        user = store.table("users").get(body["userID"])
        project = store.table("projects").get(body["projectID"])
        module = store.table("modules").get(body["moduleID"])
        if user is None:
            return error(400, f"User {body['userID']} does not exist.")
        if project is None:
            return error(400, f"Project {body['projectID']} does not exist.")
        if module is None or module.get("ProjectID") != body["projectID"]:
            return error(400, f"Module {body['moduleID']} is not a module of project {body['projectID']}.")
        return None

    def fill(claim: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """Full replacement: every field from the body, optional ones absent cleared (the claim number and status
        fall back to the existing or default ones); files are added to, never dropped."""
        number = claim.get("ExpenseClaimNumber") or f"EC-{claim['ExpenseClaimID']:04d}"
        for key, (record_key, _) in {**REQUIRED, **OPTIONAL}.items():
            claim[record_key] = body.get(key)
        claim["Date"] = body["date"][:10]
        claim["ClientID"] = store.table("projects")[body["projectID"]].get("ClientID")
        claim["ExpenseClaimStatusID"] = claim["ExpenseClaimStatusID"] or 1
        claim["ExpenseClaimNumber"] = claim["ExpenseClaimNumber"] or number
        claim["IsBillable"] = bool(claim["IsBillable"])
        claim.setdefault("InvoiceID", None)
        claim.setdefault("CustomFields", [])
        files = claim.setdefault("Files", [])
        if "fileName" in body:
            files.append({"FileName": body["fileName"], "FileSize": len(base64.b64decode(body["fileContent"]))})
        claim["ModifiedDateUTC"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return claim

    def public(claim: dict[str, Any], request: Request) -> dict[str, Any]:
        return shown(claim, wants_custom_fields(request))

    async def list_claims(request: Request):
        refused = check_query(request, INT_PARAMS)
        if refused is not None:
            return refused
        claims = [
            public(c, request) for c in store.table("expense_claims").values() if in_date_range(c, request, "Date")
        ]
        return list_response(request, claims, FILTERS, after=("afterexpenseclaimid", "ExpenseClaimID"))

    async def get_claim(request: Request):
        claim = store.table("expense_claims").get(request.path_params["claim_id"])
        if claim is None:
            return not_found("ExpenseClaim", request.path_params["claim_id"])
        return json_response([public(claim, request)])  # a one-element array, as the real endpoint may answer

    async def create_claim(request: Request):
        body = await read_json(request)
        refused = refuse(body)
        if refused is not None:
            return refused
        if "fileName" not in body and store.extra.get("receipts_required", True):
            return json_response(NO_FILE, status=400)  # a bare JSON string, not {"Message": ...}
        claim = fill({"ExpenseClaimID": store.new_id("expense_claims", 9600)}, body)
        store.put("expense_claims", claim["ExpenseClaimID"], claim)
        return json_response(public(claim, request))

    async def replace_claim(request: Request):
        current = store.table("expense_claims").get(request.path_params["claim_id"])
        if current is None:
            return not_found("ExpenseClaim", request.path_params["claim_id"])
        body = await read_json(request)
        refused = refuse(body)
        if refused is not None:
            return refused
        claim = fill(copy.deepcopy(current), body)
        store.put("expense_claims", claim["ExpenseClaimID"], claim)
        return json_response(public(claim, request))

    async def delete_claim(request: Request):
        if store.table("expense_claims").pop(request.path_params["claim_id"], None) is None:
            return not_found("ExpenseClaim", request.path_params["claim_id"])
        return empty_response(204)

    return [
        Route("/ExpenseClaims", list_claims, methods=["GET"]),
        Route("/ExpenseClaims", create_claim, methods=["POST"]),
        Route("/ExpenseClaims/{claim_id:int}", get_claim, methods=["GET"]),
        Route("/ExpenseClaims/{claim_id:int}", replace_claim, methods=["PUT"]),
        Route("/ExpenseClaims/{claim_id:int}", delete_claim, methods=["DELETE"]),
    ]
