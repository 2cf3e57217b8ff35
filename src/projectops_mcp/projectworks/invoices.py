"""Invoices: read-only through the API (there are no invoice writes, and no cost invoices at all)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.projectworks._common import date_part, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Invoice(OutputModel):
    invoice_id: int
    invoice_number: str | None = None
    client_id: int | None = None
    project_id: int | None = None
    billing_contact_id: int | None = None
    status_id: int | None = None
    status: str | None = None
    invoice_date: str | None = None
    due_date: str | None = None
    total: float | None = None
    total_tax: float | None = None
    currency: str | None = None
    modified_at: str | None = None
    raw: RawRecord = None


def to_invoice(record: dict[str, Any], include_raw: bool = False) -> Invoice:
    return Invoice(
        invoice_id=pick(record, "InvoiceID", "ID"),
        invoice_number=pick(record, "InvoiceNumber"),
        client_id=pick(record, "ClientID"),
        project_id=pick(record, "ProjectID"),
        billing_contact_id=pick(record, "BillingContactID"),
        status_id=pick(record, "StatusID", "InvoiceStatusID"),
        status=pick(record, "StatusName", "InvoiceStatusName", "Status"),
        invoice_date=date_part(pick(record, "InvoiceDate", "Date")),
        due_date=date_part(pick(record, "DueDate")),
        total=pick(record, "Total", "TotalAmount"),
        total_tax=pick(record, "TotalTax", "TaxAmount"),
        currency=pick(record, "CurrencyCode", "Currency"),
        modified_at=pick(record, "ModifiedDateUTC"),
        raw=record if include_raw else None,
    )


class ListInvoicesInput(PageInput):
    invoice_id: int | None = Field(None, gt=0, description="from projectworks_list_invoices")
    invoice_number: str | None = Field(None, min_length=1, description="Exact invoice number, e.g. 'INV-1001'.")
    client_id: int | None = Field(None, gt=0, description="from projectworks_list_clients")
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    billing_contact_id: int | None = Field(
        None,
        gt=0,
        description="Only invoices to this billing contact (billing_contact_id of projectworks_list_invoices).",
    )
    status_id: int | None = Field(None, gt=0, description="from projectworks_list_invoices")
    start_date: dt.date | None = Field(None, description="Only invoices dated on or after this day.")
    end_date: dt.date | None = Field(None, description="Only invoices dated on or before this day.")
    modified_since_date: dt.datetime | None = Field(
        None, description="Only invoices modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_list_invoices",
    title="List Invoices",
    toolset="projectworks.finance",
    kind="read",
    description="List Projectworks invoices (read-only).",
)
async def list_invoices(args: ListInvoicesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Invoice]:
    params = {
        "InvoiceID": args.invoice_id,
        "InvoiceNumber": args.invoice_number,
        "ClientID": args.client_id,
        "ProjectID": args.project_id,
        "BillingContactID": args.billing_contact_id,
        "StatusID": args.status_id,
        "StartDate": args.start_date.isoformat() if args.start_date else None,
        "EndDate": args.end_date.isoformat() if args.end_date else None,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
    }
    records, has_more = await pw.list("/Invoices", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_invoice, args, has_more)


class GetInvoiceInput(InputModel):
    invoice_id: int = Field(gt=0, description="from projectworks_list_invoices")
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_invoice",
    title="Get Invoice",
    toolset="projectworks.finance",
    kind="read",
    lookup="projectworks_list_invoices",
    description="Get one Projectworks invoice.",
)
async def get_invoice(args: GetInvoiceInput, pw: ProjectworksClient, ctx: ToolContext) -> Invoice:
    path = f"/Invoices/{args.invoice_id}"
    return to_invoice(await pw.get_one(path, what="a record"), args.include_raw)
