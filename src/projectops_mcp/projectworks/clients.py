"""Clients ("companies" in the app), plus the small helpers the project-side modules (projects, modules, tasks,
resources) share: record lookups that turn a 404 into a refusal, reply handling, common filters and client-side
search. Clients are the bottom of the chain client -> project -> module -> task, so those helpers live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import aclosing
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, Page, PageInput
from projectops_mcp.projectworks.client import ProjectworksClient, body_of, pick
from projectops_mcp.projectworks.reference import all_offices, describe_offices, iso_datetime, page_of
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

T = TypeVar("T")

SEARCH_PAGE_SIZE = 200

# ---------------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------------


def echo(record: dict[str, Any], sent: dict[str, Any], key: str) -> Any:
    """A field of a write's reply, or what was sent when the reply carried no record (sub-resource PUTs may
    answer with an empty body). `key` is the PascalCase reply key; the body key is its camelCase twin."""
    if record:
        return pick(record, key)
    return sent.get(key[0].lower() + key[1:])


def created_record(data: Any, id_key: str, path: str, lookup: str) -> dict[str, Any]:
    """The record a POST answered with. Without one the write probably happened, so say so instead of inviting a
    retry that would create a duplicate."""
    if isinstance(data, dict) and pick(data, id_key) is not None:
        return data
    raise UpstreamError(
        f"Projectworks accepted POST {path} but answered without the new record, so its id is unknown. It was "
        f"probably created: look for it with {lookup} before trying again.",
        backend="Projectworks",
        method="POST",
        path=path,
        outcome_unknown=True,
    )


async def updated_record(pw: ProjectworksClient, data: Any, path: str) -> dict[str, Any]:
    """The record a PATCH answered with, or (empty reply) the record read back."""
    return data if isinstance(data, dict) and data else await pw.get_one(path)


async def fetch_required(pw: ProjectworksClient, path: str, *, field: str, what: str, fix_with: str) -> dict[str, Any]:
    """One record a write depends on. A 404 is the caller's wrong id: refuse before writing, naming the fix."""
    try:
        return await pw.get_one(path)
    except UpstreamError as exc:
        if exc.status == 404:
            record_id = path.rsplit("/", 1)[-1]
            raise PrerequisiteError(
                f"{field} {record_id}: no such {what} in Projectworks.", fix_with=fix_with
            ) from None
        raise


async def require_user(pw: ProjectworksClient, user_id: int | None, field: str) -> None:
    if user_id is not None:
        await fetch_required(pw, f"/Users/{user_id}", field=field, what="user", fix_with="projectworks_list_users")


async def require_office(pw: ProjectworksClient, office_id: int | None) -> None:
    """Offices have no GET-by-id in the reference; check against the (cached) office list."""
    if office_id is None:
        return
    offices = await all_offices(pw)
    if office_id not in {o.office_id for o in offices}:
        raise PrerequisiteError(
            f"office_id {office_id}: no such office in Projectworks (valid: {describe_offices(offices)}).",
            fix_with="projectworks_list_offices",
        )


def require_change(body: dict[str, Any], tool_name: str) -> None:
    """A PATCH with nothing in it would be a pointless write."""
    if not body:
        raise InputError("(arguments)", f"give at least one field to change; {tool_name} sends only the fields given.")


class DatedFields(InputModel):
    """Start and end dates of a project or task, checked for order before anything is sent."""

    start_date: date | None = Field(None, description="Start date, YYYY-MM-DD.")
    end_date: date | None = Field(None, description="End date, YYYY-MM-DD; not before start_date.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> DatedFields:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


class SyncFilters(PageInput):
    """The filters every entity list (users, clients, projects, modules, tasks) accepts."""

    external_reference: str | None = Field(None, min_length=1, description="Exact external reference.")
    modified_since_date: datetime | None = Field(
        None, description="Only records modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_custom_fields: bool | None = Field(None, description="Include custom field values.")
    include_raw: bool = Field(False, description="Also return each upstream record unchanged.")

    def sync_params(self) -> dict[str, Any]:
        return {
            "ExternalReference": self.external_reference,
            "ModifiedSinceDate": iso_datetime(self.modified_since_date),
            "IncludeCustomFields": self.include_custom_fields,
        }


class SearchInput(InputModel):
    query: str = Field(min_length=1, max_length=200, description="Text to look for (case-insensitive substring).")
    limit: int = Field(10, ge=1, le=100, description="Stop after this many matches.")
    max_pages: int = Field(5, ge=1, le=50, description="Scan at most this many pages of 200 records.")


class Found(OutputModel, Generic[T]):
    items: list[T]
    scanned: int = Field(description="Records examined.")
    cut_short: bool = Field(
        description="True when the scan stopped before the end (limit or max_pages reached): more matches may exist."
    )


async def search_records(
    pw: ProjectworksClient, ctx: ToolContext, path: str, args: SearchInput, keys: Sequence[str], noun: str
) -> tuple[list[dict[str, Any]], int, bool]:
    """Free-text search the API does not offer: scan pages, match `args.query` against `keys`.
    Returns (matches, records scanned, cut short)."""
    needle = args.query.casefold()
    matches: list[dict[str, Any]] = []
    scanned = pages = fetched = 0

    async def on_page(page: int, seen: int) -> None:
        nonlocal pages, fetched
        pages, fetched = page, seen
        await ctx.progress(page, args.max_pages, f"Scanned {seen} {noun}")

    records = pw.scan(path, page_size=SEARCH_PAGE_SIZE, max_pages=args.max_pages, on_page=on_page)
    async with aclosing(records) as stream:
        async for record in stream:
            scanned += 1
            if any(needle in str(record.get(k) or "").casefold() for k in keys):
                matches.append(record)
                if len(matches) >= args.limit:
                    return matches, scanned, True
    more_pages = pages == args.max_pages and fetched == pages * SEARCH_PAGE_SIZE
    return matches, scanned, more_pages


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
    raw: dict[str, Any] | None = Field(None, description="The upstream record, when include_raw was set.")


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
    office_id: int | None = Field(None, gt=0, description="Only clients of this office (projectworks_list_offices).")
    client_id: int | None = Field(None, gt=0, description="Only this client (projectworks_list_clients).")
    name: str | None = Field(
        None, min_length=1, description="Exact client name (projectworks_search_clients finds partial names)."
    )


@tool(
    name="projectworks_list_clients",
    title="List Clients",
    toolset="projectworks.clients",
    kind="read",
    description="List Projectworks clients (the app's companies), filtered by office, client, exact name, external "
    "reference or modification date. For partial names use projectworks_search_clients.",
)
async def list_clients(args: ListClientsInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Client]:
    params = {"OfficeID": args.office_id, "ClientID": args.client_id, "Name": args.name, **args.sync_params()}
    records, has_more = await pw.list("/Clients", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_client, args, has_more)


class ClientIdInput(InputModel):
    client_id: int = Field(gt=0, description="The client (projectworks_list_clients or projectworks_search_clients).")


class GetClientInput(ClientIdInput):
    include_raw: bool = Field(False, description="Also return the upstream record unchanged.")


@tool(
    name="projectworks_get_client",
    title="Get Client",
    toolset="projectworks.clients",
    kind="read",
    lookup="projectworks_search_clients",
    description="Get one Projectworks client by client_id, with its account manager, office, finance details and "
    "custom fields.",
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
    account_manager_id: int | None = Field(None, gt=0, description="Account manager (projectworks_list_users).")
    office_id: int | None = Field(None, gt=0, description="Owning office (projectworks_list_offices).")
    currency_id: int | None = Field(
        None, gt=0, description="Currency; copy a currency_id from an existing client (projectworks_get_client)."
    )
    client_type_id: int | None = Field(
        None, gt=0, description="Client type; copy from an existing client (projectworks_get_client)."
    )
    default_rate_card_id: int | None = Field(
        None, gt=0, description="Default rate card; copy from an existing client (projectworks_get_client)."
    )
    default_tax_type_id: int | None = Field(
        None, gt=0, description="Default tax type; copy from an existing client (projectworks_get_client)."
    )
    finance_email: str | None = Field(None, max_length=200, description="Accounts-payable e-mail address.")
    finance_phone: str | None = Field(None, max_length=50, description="Accounts-payable phone number.")
    finance_notes: str | None = Field(None, max_length=2000, description="Notes for the finance team.")
    is_active: bool | None = Field(None, description="Whether the client is active.")
    company_tax_number: str | None = Field(None, max_length=50, description="Tax or GST number.")
    address: Address | None = Field(None, description="Postal address.")
    external_reference: str | None = Field(None, max_length=200, description="Your own id, e.g. a CRM id.")


def client_body(args: ClientFields) -> dict[str, Any]:
    """The camelCase body for POST and PATCH /Clients; None dropped, so a PATCH carries only what was given."""
    return body_of(
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


class CreateClientInput(ClientFields):
    client_name: str = Field(min_length=1, max_length=200, description="Client name.")
    account_manager_id: int = Field(gt=0, description="Account manager (projectworks_list_users).")
    office_id: int = Field(gt=0, description="Owning office (projectworks_list_offices).")


@tool(
    name="projectworks_create_client",
    title="Create Client",
    toolset="projectworks.clients",
    kind="create",
    lookup="projectworks_search_clients",
    description="Create a Projectworks client. account_manager_id (projectworks_list_users) and office_id "
    "(projectworks_list_offices) are checked before anything is sent.",
)
async def create_client(args: CreateClientInput, pw: ProjectworksClient, ctx: ToolContext) -> Client:
    await check_client_refs(pw, args)
    data = await pw.post("/Clients", client_body(args))
    return to_client(created_record(data, "ClientID", "/Clients", "projectworks_search_clients"))


class UpdateClientInput(ClientFields):
    client_id: int = Field(gt=0, description="The client (projectworks_list_clients or projectworks_search_clients).")


@tool(
    name="projectworks_update_client",
    title="Update Client",
    toolset="projectworks.clients",
    kind="update",
    lookup="projectworks_get_client",
    description="Change some fields of a Projectworks client; only the fields given are sent (PATCH). A new "
    "account manager or office is checked first.",
)
async def update_client(args: UpdateClientInput, pw: ProjectworksClient, ctx: ToolContext) -> Client:
    body = client_body(args)
    require_change(body, "projectworks_update_client")
    await check_client_refs(pw, args)
    path = f"/Clients/{args.client_id}"
    return to_client(await updated_record(pw, await pw.patch(path, body), path))


@tool(
    name="projectworks_delete_client",
    title="Delete Client",
    toolset="projectworks.clients",
    kind="delete",
    lookup="projectworks_list_clients",
    description="Delete a Projectworks client permanently. To keep its history, set is_active=false with "
    "projectworks_update_client instead.",
)
async def delete_client(args: ClientIdInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Clients/{args.client_id}")
    return Deleted(id=args.client_id)


@tool(
    name="projectworks_search_clients",
    title="Search Clients",
    toolset="projectworks.clients",
    kind="read",
    description="Find Projectworks clients whose name contains some text (case-insensitive), scanning the client "
    "list page by page; says how many were scanned and whether the scan was cut short.",
)
async def search_clients(args: SearchInput, pw: ProjectworksClient, ctx: ToolContext) -> Found[Client]:
    records, scanned, cut_short = await search_records(pw, ctx, "/Clients", args, ("ClientName", "Name"), "clients")
    return Found(items=[to_client(r) for r in records], scanned=scanned, cut_short=cut_short)
