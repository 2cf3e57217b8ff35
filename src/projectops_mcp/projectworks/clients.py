"""Clients ("companies" in the app): the top of the chain client -> project -> module -> task."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import Deleted, IncludeRaw, Page, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import (
    Found,
    SearchInput,
    SyncFilters,
    created_record,
    fields_of,
    require_change,
    require_user,
    search_records,
    updated_record,
)
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.projectworks.reference import require_office
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

# ---------------------------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------------------------


class Client(OutputModel):
    client_id: int
    name: str | None = None
    account_manager_id: int | None = None
    account_manager_name: str | None = None
    office_id: int | None = None
    client_type_id: int | None = None
    currency_id: int | None = None
    default_rate_card_id: int | None = None
    default_tax_type_id: int | None = None
    finance_email: str | None = None
    finance_phone: str | None = None
    finance_notes: str | None = None
    company_tax_number: str | None = None
    is_active: bool | None = None
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: RawRecord = None


def to_client(record: dict[str, Any], include_raw: bool = False) -> Client:
    return Client(
        client_id=pick(record, "ClientID", "ID"),
        name=pick(record, "ClientName", "Name"),
        account_manager_id=pick(record, "AccountManagerID"),
        account_manager_name=pick(record, "AccountManagerName"),
        office_id=pick(record, "OfficeID"),
        client_type_id=pick(record, "ClientTypeID"),
        currency_id=pick(record, "CurrencyID", "DefaultCurrencyID"),
        default_rate_card_id=pick(record, "DefaultRateCardID"),
        default_tax_type_id=pick(record, "DefaultTaxTypeID"),
        finance_email=pick(record, "FinanceEmail"),
        finance_phone=pick(record, "FinancePhone"),
        finance_notes=pick(record, "FinanceNotes"),
        company_tax_number=pick(record, "CompanyTaxNumber"),
        is_active=pick(record, "IsActive"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


class ListClientsInput(SyncFilters):
    office_id: int | None = Field(None, gt=0, description="from projectworks_list_offices")
    client_id: int | None = Field(None, gt=0, description="from projectworks_list_clients")
    name: str | None = Field(
        None, min_length=1, description="Exact client name (projectworks_search_clients finds partial names)."
    )


@tool(
    name="projectworks_list_clients",
    title="List Clients",
    toolset="projectworks.clients",
    kind="read",
    description="List Projectworks clients (exact-match filters; partial names: projectworks_search_clients).",
)
async def list_clients(args: ListClientsInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Client]:
    params = {"OfficeID": args.office_id, "ClientID": args.client_id, "Name": args.name, **args.sync_params()}
    records, has_more = await pw.list("/Clients", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_client, args, has_more)


class ClientIdInput(InputModel):
    client_id: int = Field(gt=0, description="from projectworks_list_clients or projectworks_search_clients")


class GetClientInput(ClientIdInput):
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_client",
    title="Get Client",
    toolset="projectworks.clients",
    kind="read",
    lookup="projectworks_search_clients",
    description="Get one Projectworks client.",
)
async def get_client(args: GetClientInput, pw: ProjectworksClient, ctx: ToolContext) -> Client:
    return to_client(await pw.get_one(f"/Clients/{args.client_id}"), args.include_raw)


class Address(InputModel):
    """Sent as the `address` object of the client body. Its inner key names are not in the reference notes
    (Autohive passes a free-form object through); these are our deliberate choice."""

    line1: str | None = Field(None, max_length=200, description="Street address, first line.")
    line2: str | None = Field(None, max_length=200, description="Street address, second line.")
    city: str | None = Field(None, max_length=100, description="City or town.")
    region: str | None = Field(None, max_length=100, description="State, region or province.")
    postcode: str | None = Field(None, max_length=20, description="Postal code.")
    country: str | None = Field(None, max_length=100, description="Country name or ISO code, e.g. NZ.")


class ClientFields(InputModel):
    client_name: str | None = Field(None, min_length=1, max_length=200, description="Client name.")
    account_manager_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    office_id: int | None = Field(None, gt=0, description="from projectworks_list_offices")
    currency_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    client_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    default_rate_card_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    default_tax_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    finance_email: str | None = Field(None, max_length=200, description="Accounts-payable e-mail address.")
    finance_phone: str | None = Field(None, max_length=50, description="Accounts-payable phone number.")
    finance_notes: str | None = Field(None, max_length=2000, description="Notes for the finance team.")
    is_active: bool | None = Field(None, description="Whether the client is active.")
    company_tax_number: str | None = Field(None, max_length=50, description="Tax or GST number.")
    address: Address | None = Field(None, description="Postal address.")
    external_reference: str | None = Field(None, max_length=200, description="Your own id, e.g. a CRM id.")
    allow_unverified_ids: bool = ALLOW_UNVERIFIED


def client_body(args: ClientFields) -> dict[str, Any]:
    """The camelCase body for POST and PATCH /Clients; None dropped, so a PATCH carries only what was given."""
    return without_none(
        clientName=args.client_name,
        accountManagerID=args.account_manager_id,
        officeID=args.office_id,
        currencyID=args.currency_id,
        clientTypeID=args.client_type_id,
        defaultRateCardID=args.default_rate_card_id,
        defaultTaxTypeID=args.default_tax_type_id,
        financeEmail=args.finance_email,
        financePhone=args.finance_phone,
        financeNotes=args.finance_notes,
        isActive=args.is_active,
        companyTaxNumber=args.company_tax_number,
        address=args.address.model_dump(exclude_none=True) if args.address else None,
        externalReference=args.external_reference,
    )


async def check_client_refs(pw: ProjectworksClient, args: ClientFields) -> None:
    await require_user(pw, args.account_manager_id, "account_manager_id")
    await require_office(pw, args.office_id)


def client_reference_ids(args: ClientFields) -> dict[str, tuple[str, int | None]]:
    """The ids with no lookup endpoint, checked against known_ids.py."""
    return {
        "currency_id": ("currency", args.currency_id),
        "client_type_id": ("client_type", args.client_type_id),
        "default_rate_card_id": ("rate_card", args.default_rate_card_id),
        "default_tax_type_id": ("tax_type", args.default_tax_type_id),
    }


class CreateClientInput(ClientFields):
    client_name: str = Field(min_length=1, max_length=200, description="Client name.")
    account_manager_id: int = Field(gt=0, description="from projectworks_list_users")
    office_id: int = Field(gt=0, description="from projectworks_list_offices")


@tool(
    name="projectworks_create_client",
    title="Create Client",
    toolset="projectworks.clients",
    kind="create",
    lookup="projectworks_search_clients",
    description="Create a Projectworks client.",
)
async def create_client(args: CreateClientInput, pw: ProjectworksClient, ctx: ToolContext) -> Client:
    await check_client_refs(pw, args)
    async with vouched(pw, client_reference_ids(args), args.allow_unverified_ids):
        data = await pw.post("/Clients", client_body(args))
    return to_client(created_record(data, "ClientID", "/Clients", "projectworks_search_clients"))


class UpdateClientInput(ClientFields):
    client_id: int = Field(gt=0, description="from projectworks_list_clients or projectworks_search_clients")


@tool(
    name="projectworks_update_client",
    title="Update Client",
    toolset="projectworks.clients",
    kind="update",
    lookup="projectworks_get_client",
    description="Change some fields of a Projectworks client.",
)
async def update_client(args: UpdateClientInput, pw: ProjectworksClient, ctx: ToolContext) -> Client:
    body = client_body(args)
    require_change(body, "client_id")
    await check_client_refs(pw, args)
    path = f"/Clients/{args.client_id}"
    async with vouched(pw, client_reference_ids(args), args.allow_unverified_ids):
        data = await pw.patch(path, body)
    return to_client(await updated_record(pw, data, path))


@tool(
    name="projectworks_delete_client",
    title="Delete Client",
    toolset="projectworks.clients",
    kind="delete",
    lookup="projectworks_list_clients",
    description="Delete a Projectworks client permanently (is_active=false keeps its history).",
)
async def delete_client(args: ClientIdInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Clients/{args.client_id}")
    return Deleted(id=args.client_id)


@tool(
    name="projectworks_search_clients",
    title="Search Clients",
    toolset="projectworks.clients",
    kind="read",
    description="Find Projectworks clients whose name contains some text.",
)
async def search_clients(args: SearchInput, pw: ProjectworksClient, ctx: ToolContext) -> Found[Client]:
    return await search_records(pw, ctx, "/Clients", args, to_client, fields_of("ClientName", "Name"), "clients")
