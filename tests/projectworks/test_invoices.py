"""Invoices against the reference notes (§2.2 #18-19): read-only, PascalCase filters, InvoiceNumber as a string."""

from __future__ import annotations

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_sends_every_filter_as_the_reference_names_it(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_invoices",
        {
            "invoice_id": 6001,
            "invoice_number": "INV-1001",
            "client_id": 201,
            "project_id": 301,
            "billing_contact_id": 1,
            "status_id": 2,
            "start_date": "2026-10-01",
            "end_date": "2026-10-31",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "page": 1,
            "page_size": 20,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Invoices")
    assert req.query == [
        ("InvoiceID", "6001"),
        ("InvoiceNumber", "INV-1001"),
        ("ClientID", "201"),
        ("ProjectID", "301"),
        ("BillingContactID", "1"),
        ("StatusID", "2"),
        ("StartDate", "2026-10-01"),
        ("EndDate", "2026-10-31"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("page", "1"),
        ("pageSize", "20"),
    ]
    assert out["items"] == [
        {
            "invoice_id": 6001,
            "invoice_number": "INV-1001",
            "client_id": 201,
            "project_id": 301,
            "billing_contact_id": 1,
            "status_id": 2,
            "status": "Sent",
            "invoice_date": "2026-10-31",
            "due_date": "2026-11-20",
            "total": 23000.0,
            "total_tax": 3000.0,
            "currency": "NZD",
            "modified_at": "2026-10-01T09:00:00",
        }
    ]


async def test_list_date_range_and_paging(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_invoices", {"start_date": "2026-11-01"})
    assert [i["invoice_number"] for i in out["items"]] == ["INV-1002"]
    out = await call_ok(client, "projectworks_list_invoices", {"page_size": 1})
    assert len(out["items"]) == 1 and out["has_more"] is True
    out = await call_ok(client, "projectworks_list_invoices", {"page": 2, "page_size": 2})
    assert out["items"] == [] and out["has_more"] is False


async def test_list_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_invoices", {"client_id": "Kiwi", "start_date": "last month"})
    assert "client_id" in text and "start_date" in text
    text = await call_err(client, "projectworks_list_invoices", {"invoice_number": ""})
    assert "invoice_number" in text
    assert sandbox.projectworks.requests == []


async def test_get_invoice_reads_one_record(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_invoice", {"invoice_id": 6002, "include_raw": True})
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path, req.query) == ("GET", "/Invoices/6002", [])
    assert out["invoice_number"] == "INV-1002" and out["status"] == "Draft" and out["total"] == 11500.0
    assert out["raw"]["InvoiceID"] == 6002


async def test_get_invoice_bad_input_and_not_found(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_get_invoice", {})
    assert "invoice_id" in text and "required" in text
    assert sandbox.projectworks.requests == []
    text = await call_err(client, "projectworks_get_invoice", {"invoice_id": 999999})
    assert "404" in text and "projectworks_list_invoices" in text


async def test_get_invoice_empty_answer_is_reported_as_missing(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Invoices/6001", Fault(status=200, body=[]))
    text = await call_err(client, "projectworks_get_invoice", {"invoice_id": 6001})
    assert "without a record for GET /Invoices/6001" in text and "projectworks_list_invoices" in text


async def test_forbidden_says_the_account_lacks_permission(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add(
        "GET", "/Invoices", Fault(status=403, body={"Message": "Authorization has been denied for this request."})
    )
    text = await call_err(client, "projectworks_list_invoices", {})
    assert "403" in text and "permission" in text and "Authorization has been denied" in text
    assert len(sandbox.projectworks.requests) == 1  # a 403 is not retried


async def test_invoices_have_no_write_endpoints(sandbox) -> None:
    """The simulator refuses writes on invoices like the read-only API (no tool sends them)."""
    async with httpx2.AsyncClient(base_url=sandbox.pw_url, auth=("k", "s")) as http:
        response = await http.post("/Invoices", json={"invoiceNumber": "X"})
    assert response.status_code == 405
