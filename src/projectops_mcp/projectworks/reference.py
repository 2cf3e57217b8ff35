"""Reference data every write needs: roles, offices, leave types and leave statuses, and the checks that refuse a
write naming an id that is not among them (`require_roles`, `require_office`, `require_leave_types`,
`require_leave_status`): every tool that takes such an id calls the same check, so one fact has one rule.

The lookups used by prerequisite checks are cached per API account (`ProjectworksClient.cached`), so ten
placeholder updates in a row cost one roles request. Casing of these records is unverified (Autohive documents
camelCase, live entities are PascalCase), so every read goes through `pick`, which accepts both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, page_of
from projectops_mcp.projectworks._common import R, describe_choices, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.toolkit import OutputModel, ToolContext, tool

ALL_PAGES = 500  # reference tables are small: one page of 500 holds them


async def cached_table(pw: ProjectworksClient, key: str, path: str, convert: Callable[[dict[str, Any]], R]) -> list[R]:
    """A whole reference table, converted and cached per account: prerequisite checks consult it on every write,
    the API only when the cache has expired."""

    async def load() -> list[dict[str, Any]]:  # the records, not the models: a shared cache keeps JSON
        records, _ = await pw.list(path, page=1, page_size=ALL_PAGES)
        return records

    return [convert(r) for r in await pw.cached(key, load)]


def require_known(
    field: str, given: int | list[int], choices: Sequence[tuple[int, Any]], what: str, fix_with: str
) -> None:
    """Refuse before anything is sent when an id the agent gave is not among `choices` (id, label). The refusal
    names the field, repeats the unknown id(s) the way the field holds them, lists the valid ones and the tool that
    lists them."""
    valid = {key for key, _ in choices}
    unknown = sorted({i for i in ([given] if isinstance(given, int) else given) if i not in valid})
    if unknown:
        shown = given if isinstance(given, int) else unknown
        raise PrerequisiteError(
            f"{field} {shown}: no such {what} in Projectworks (valid: {describe_choices(choices)}).",
            fix_with=fix_with,
        )


# ---------------------------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------------------------


class Role(OutputModel):
    role_id: int
    code: str | None = None
    description: str | None = None
    raw: RawRecord = None


class ListRolesInput(PageInput):
    role_code: str | None = Field(None, description="Only the role with this exact code, e.g. 'DEV'.")
    include_raw: IncludeRaw = False


def to_role(record: dict[str, Any], include_raw: bool = False) -> Role:
    return Role(
        role_id=pick(record, "UserRoleID", "RoleID", "ID"),
        code=pick(record, "Code", "RoleCode"),
        description=pick(record, "Description", "Name"),
        raw=record if include_raw else None,
    )


@tool(
    name="projectworks_list_roles",
    title="List Roles",
    toolset="projectworks.reference",
    kind="read",
    description="List the roles configured in Projectworks.",
)
async def list_roles(args: ListRolesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Role]:
    # roleCode is camelCase on the wire, unlike every other filter (reference §7.2 #5).
    records, has_more = await pw.list(
        "/Users/Roles", {"roleCode": args.role_code}, page=args.page, page_size=args.page_size
    )
    return page_of(records, to_role, args, has_more)


async def all_roles(pw: ProjectworksClient) -> list[Role]:
    """Every configured role (cached per account)."""
    return await cached_table(pw, "roles", "/Users/Roles", to_role)


async def require_roles(pw: ProjectworksClient, role_ids: int | list[int], field: str) -> None:
    """Every role id given is a configured role (a user's roles, a task placeholder's role)."""
    choices = [(r.role_id, r.code or r.description) for r in await all_roles(pw)]
    require_known(field, role_ids, choices, "role", "projectworks_list_roles")


# ---------------------------------------------------------------------------------------------------------------
# Offices (the app's "Organisations")
# ---------------------------------------------------------------------------------------------------------------


class Office(OutputModel):
    office_id: int
    name: str | None = None
    external_reference: str | None = None
    modified_at: str | None = None
    raw: RawRecord = None


class ListOfficesInput(PageInput):
    office_id: int | None = Field(None, gt=0, description="from projectworks_list_offices")
    name: str | None = Field(None, min_length=1, description="Exact office name, e.g. 'Wellington'.")
    external_reference: str | None = Field(None, min_length=1, description="exact match")
    modified_since_date: datetime | None = Field(
        None, description="Only offices modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_raw: IncludeRaw = False


def to_office(record: dict[str, Any], include_raw: bool = False) -> Office:
    return Office(
        office_id=pick(record, "OfficeID", "ID"),
        name=pick(record, "Name", "OfficeName"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        raw=record if include_raw else None,
    )


@tool(
    name="projectworks_list_offices",
    title="List Offices",
    toolset="projectworks.reference",
    kind="read",
    description="List Projectworks offices (the app's Organisations).",
)
async def list_offices(args: ListOfficesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Office]:
    params = {
        "OfficeID": args.office_id,
        "Name": args.name,
        "ExternalReference": args.external_reference,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
    }
    records, has_more = await pw.list("/Offices", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_office, args, has_more)


async def all_offices(pw: ProjectworksClient) -> list[Office]:
    """Every office (cached per account)."""
    return await cached_table(pw, "offices", "/Offices", to_office)


async def require_office(pw: ProjectworksClient, office_id: int | None) -> None:
    """Offices have no GET-by-id in the reference; check against the (cached) office list. None: nothing given."""
    if office_id is not None:
        choices = [(o.office_id, o.name) for o in await all_offices(pw)]
        require_known("office_id", office_id, choices, "office", "projectworks_list_offices")


# ---------------------------------------------------------------------------------------------------------------
# Leave types and leave statuses
# ---------------------------------------------------------------------------------------------------------------


class LeaveType(OutputModel):
    type_id: int
    name: str | None = None
    code: str | None = None
    is_active: bool | None = None
    is_paid: bool | None = None
    raw: RawRecord = None


class ListLeaveTypesInput(PageInput):
    type_id: int | None = Field(None, gt=0, description="from projectworks_list_leave_types")
    name: str | None = Field(None, min_length=1, description="exact name")
    is_active: bool | None = Field(None, description="only active (bookable) types")
    include_raw: IncludeRaw = False


def to_leave_type(record: dict[str, Any], include_raw: bool = False) -> LeaveType:
    return LeaveType(
        type_id=pick(record, "TypeID", "LeaveTypeID", "ID"),
        name=pick(record, "Name"),
        code=pick(record, "Code"),
        is_active=pick(record, "IsActive"),
        is_paid=pick(record, "IsPaid"),
        raw=record if include_raw else None,
    )


@tool(
    name="projectworks_list_leave_types",
    title="List Leave Types",
    toolset="projectworks.reference",
    kind="read",
    description="List the leave types configured in Projectworks.",
)
async def list_leave_types(args: ListLeaveTypesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[LeaveType]:
    params = {"TypeID": args.type_id, "Name": args.name, "IsActive": args.is_active}
    records, has_more = await pw.list("/Leaves/Types", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_leave_type, args, has_more)


async def all_leave_types(pw: ProjectworksClient) -> list[LeaveType]:
    """Every leave type, active or not (cached per account)."""
    return await cached_table(pw, "leave_types", "/Leaves/Types", to_leave_type)


async def require_leave_types(pw: ProjectworksClient, type_ids: list[int], field: str) -> None:
    """Every leave type given is an ACTIVE one, for leave days and for leave balances alike.

    A retired type (IsActive false) is refused for balances too: projectworks_list_leave_types tells the agent that
    only active types are accepted, leave can no longer be booked on a retired type, so a balance on it could never
    be spent, and a type that exists but is retired is far more likely a stale id than an intent. Only active types
    are offered as valid. A type whose IsActive is absent counts as active (the field is not documented as always
    present)."""
    active = [(t.type_id, t.name) for t in await all_leave_types(pw) if t.is_active is not False]
    require_known(field, type_ids, active, "active leave type", "projectworks_list_leave_types")


class LeaveStatus(OutputModel):
    status_id: int
    name: str | None = None
    raw: RawRecord = None


class ListLeaveStatusesInput(PageInput):
    include_raw: IncludeRaw = False


def to_leave_status(record: dict[str, Any], include_raw: bool = False) -> LeaveStatus:
    return LeaveStatus(
        status_id=pick(record, "StatusID", "LeaveStatusID", "ID"),
        name=pick(record, "Name", "StatusName", "Description"),
        raw=record if include_raw else None,
    )


@tool(
    name="projectworks_list_leave_statuses",
    title="List Leave Statuses",
    toolset="projectworks.reference",
    kind="read",
    description="List the leave statuses of this Projectworks account (e.g. Requested, Approved).",
)
async def list_leave_statuses(
    args: ListLeaveStatusesInput, pw: ProjectworksClient, ctx: ToolContext
) -> Page[LeaveStatus]:
    # GET /Leaves/Statuses is known only from third-party code, called without filters (reference §6); we send
    # just the usual page/pageSize, which ASP.NET ignores if the action does not bind them.
    records, has_more = await pw.list("/Leaves/Statuses", page=args.page, page_size=args.page_size)
    return page_of(records, to_leave_status, args, has_more)


async def all_leave_statuses(pw: ProjectworksClient) -> list[LeaveStatus]:
    """Every leave status (cached per account)."""
    return await cached_table(pw, "leave_statuses", "/Leaves/Statuses", to_leave_status)


async def require_leave_status(pw: ProjectworksClient, status_id: int) -> None:
    """The status is one of this account's leave statuses (their ids differ between accounts)."""
    choices = [(s.status_id, s.name) for s in await all_leave_statuses(pw)]
    require_known("status_id", status_id, choices, "leave status", "projectworks_list_leave_statuses")
