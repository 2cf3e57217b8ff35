"""Invoices: read-only (the API has no invoice writes; other methods answer 405)."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import check_query, in_date_range, list_response, not_found
from projectops_mcp.sandbox.simulator import Simulator, Store, json_response

FILTERS = {
    "invoiceid": "InvoiceID",
    "invoicenumber": "InvoiceNumber",
    "clientid": "ClientID",
    "projectid": "ProjectID",
    "billingcontactid": "BillingContactID",
    "statusid": "StatusID",
}
INT_PARAMS = ("invoiceid", "clientid", "projectid", "billingcontactid", "statusid", "page", "pagesize")


def seed(store: Store) -> None:
    for invoice in _demo.INVOICES:
        store.put("invoices", invoice["InvoiceID"], copy.deepcopy(invoice))


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_invoices(request: Request):
        refused = check_query(request, INT_PARAMS)
        if refused is not None:
            return refused
        selected = [i for i in store.table("invoices").values() if in_date_range(i, request, "InvoiceDate")]
        return list_response(request, selected, FILTERS)

    async def get_invoice(request: Request):
        invoice = store.table("invoices").get(request.path_params["invoice_id"])
        return json_response(invoice) if invoice else not_found("Invoice", request.path_params["invoice_id"])

    return [
        Route("/Invoices", list_invoices, methods=["GET"]),
        Route("/Invoices/{invoice_id:int}", get_invoice, methods=["GET"]),
    ]
