"""Users ("People" in the app): the directory and their roles. Postings and leave balances are in postings.py.

Writes are refused before anything is sent when a reference id is unknown (roles); each refusal names the tool
that fixes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, field_validator

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, RawRecord, no_duplicates, page_of, without_none
from projectops_mcp.projectworks._common import (
    Found,
    SearchInput,
    SyncFilters,
    date_part,
    require_change,
    search_records,
)
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.reference import require_roles
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


# ---------------------------------------------------------------------------------------------------------------
# The user record
# ---------------------------------------------------------------------------------------------------------------


class User(OutputModel):
    user_id: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    alternate_email: str | None = None
    job_title: str | None = None
    birth_date: str | None = None
    gender: str | None = None
    employee_start_date: str | None = None
    employee_end_date: str | None = None
    is_active: bool | None = None
    external_reference: str | None = None
    modified_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None
    raw: RawRecord = None


def to_user(record: dict[str, Any], include_raw: bool = False) -> User:
    return User(
        user_id=pick(record, "UserID", "ID"),
        first_name=pick(record, "FirstName"),
        last_name=pick(record, "LastName"),
        email=pick(record, "Email"),
        alternate_email=pick(record, "AlternateEmail"),
        job_title=pick(record, "JobTitle"),
        birth_date=date_part(pick(record, "BirthDate")),
        gender=pick(record, "Gender"),
        employee_start_date=date_part(pick(record, "EmployeeStartDate")),
        employee_end_date=date_part(pick(record, "EmployeeEndDate")),
        is_active=pick(record, "IsActive"),
        external_reference=pick(record, "ExternalReference"),
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=pick(record, "CustomFields"),
        raw=record if include_raw else None,
    )


class ListUsersInput(SyncFilters):
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    email: str | None = Field(None, min_length=1, description="Exact email address.")
    name: str | None = Field(
        None, min_length=1, description="Exact name; for partial names use projectworks_search_users."
    )


@tool(
    name="projectworks_list_users",
    title="List Users",
    toolset="projectworks.people",
    kind="read",
    description="List Projectworks users (exact-match filters; free text: projectworks_search_users).",
)
async def list_users(args: ListUsersInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[User]:
    params = {"UserID": args.user_id, "Email": args.email, "Name": args.name, **args.sync_params()}
    records, has_more = await pw.list("/Users", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_user, args, has_more)


class GetUserInput(InputModel):
    user_id: int = Field(gt=0, description="from projectworks_list_users or projectworks_search_users")
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_user",
    title="Get User",
    toolset="projectworks.people",
    kind="read",
    lookup="projectworks_search_users",
    description="Get one Projectworks user.",
)
async def get_user(args: GetUserInput, pw: ProjectworksClient, ctx: ToolContext) -> User:
    return to_user(await pw.get_one(f"/Users/{args.user_id}"), args.include_raw)


# ---------------------------------------------------------------------------------------------------------------
# Create, update, delete
# ---------------------------------------------------------------------------------------------------------------


class UserFields(InputModel):
    """The writable user fields, shared by update (all optional) and create (which requires the first three)."""

    email: str | None = Field(None, pattern=EMAIL_PATTERN, description="New login email address.")
    first_name: str | None = Field(None, min_length=1, description="New first name.")
    last_name: str | None = Field(None, min_length=1, description="New last name.")
    alternate_email: str | None = Field(None, pattern=EMAIL_PATTERN, description="Secondary email address.")
    birth_date: date | None = Field(None, description="Date of birth, YYYY-MM-DD.")
    gender: str | None = Field(None, min_length=1, description="Gender as configured in Projectworks.")
    employee_start_date: date | None = Field(None, description="Employment start date, YYYY-MM-DD.")
    employee_end_date: date | None = Field(None, description="Employment end date, YYYY-MM-DD.")
    is_active: bool | None = Field(None, description="Whether the user is active.")
    external_reference: str | None = Field(None, min_length=1, description="your own id (HR system)")


class CreateUserInput(UserFields):
    email: str = Field(pattern=EMAIL_PATTERN, description="Login email address; must be unique.")
    first_name: str = Field(min_length=1, description="First name.")
    last_name: str = Field(min_length=1, description="Last name.")


class UpdateUserInput(UserFields):
    user_id: int = Field(gt=0, description="from projectworks_list_users")


def user_body(args: UserFields) -> dict[str, Any]:
    """camelCase body (reference §2.3 #38) with only the fields given; dates as YYYY-MM-DD."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return without_none(
        email=args.email,
        firstName=args.first_name,
        lastName=args.last_name,
        alternateEmail=args.alternate_email,
        birthDate=day(args.birth_date),
        gender=args.gender,
        employeeStartDate=day(args.employee_start_date),
        employeeEndDate=day(args.employee_end_date),
        isActive=args.is_active,
        externalReference=args.external_reference,
    )


def check_employment_dates(args: UserFields) -> None:
    if args.employee_start_date and args.employee_end_date and args.employee_end_date < args.employee_start_date:
        raise InputError("employee_end_date", "is before employee_start_date.")


def returned_user(data: Any) -> User | None:
    """The record a write answered with, if it carried one (PascalCase per the live tests; never seen for users)."""
    if isinstance(data, dict) and pick(data, "UserID", "ID") is not None:
        return to_user(data)
    return None


@tool(
    name="projectworks_create_user",
    title="Create User",
    toolset="projectworks.people",
    kind="create",
    lookup="projectworks_search_users",
    description="Create a Projectworks user; then give roles, a posting and leave balances "
    "(projectworks_update_user_*).",
)
async def create_user(args: CreateUserInput, pw: ProjectworksClient, ctx: ToolContext) -> User:
    check_employment_dates(args)
    data = await pw.post("/Users", user_body(args))
    created = returned_user(data)
    if created is not None:
        return created
    # POST /Users was never exercised live; if it answers without the record, find the new user by its email.
    records, _ = await pw.list("/Users", {"Email": args.email}, page=1, page_size=2)
    if records:
        return to_user(records[0])
    raise UpstreamError(
        f"Projectworks accepted the new user but returned no record, and no user with email {args.email} was found "
        "yet. Check with projectworks_search_users before creating it again.",
        backend="Projectworks",
        method="POST",
        path="/Users",
    )


@tool(
    name="projectworks_update_user",
    title="Update User",
    toolset="projectworks.people",
    kind="update",
    lookup="projectworks_get_user",
    description="Change some fields of a Projectworks user (fields cannot be cleared).",
)
async def update_user(args: UpdateUserInput, pw: ProjectworksClient, ctx: ToolContext) -> User:
    body = user_body(args)
    require_change(body, "user_id")
    check_employment_dates(args)
    data = await pw.patch(f"/Users/{args.user_id}", body)
    return returned_user(data) or to_user(await pw.get_one(f"/Users/{args.user_id}"))


class DeleteUserInput(InputModel):
    user_id: int = Field(gt=0, description="from projectworks_list_users")


@tool(
    name="projectworks_delete_user",
    title="Delete User",
    toolset="projectworks.people",
    kind="delete",
    lookup="projectworks_get_user",
    description="Delete a Projectworks user; for leavers prefer projectworks_update_user with is_active=false.",
)
async def delete_user(args: DeleteUserInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/Users/{args.user_id}")
    return Deleted(id=args.user_id)


# ---------------------------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------------------------


class UpdateUserRolesInput(InputModel):
    user_id: int = Field(gt=0, description="from projectworks_list_users")
    role_ids: list[int] = Field(
        description="The user's complete set of roles (projectworks_list_roles); roles not listed are removed, "
        "[] removes all."
    )

    @field_validator("role_ids")
    @classmethod
    def _unique(cls, value: list[int]) -> list[int]:
        return no_duplicates(value, "role id")


class UserRoles(OutputModel):
    user_id: int
    role_ids: list[int]
    updated: bool = True


@tool(
    name="projectworks_update_user_roles",
    title="Update User Roles",
    toolset="projectworks.people",
    kind="replace",
    lookup="projectworks_get_user",
    description="Replace a user's roles with exactly role_ids.",
)
async def update_user_roles(args: UpdateUserRolesInput, pw: ProjectworksClient, ctx: ToolContext) -> UserRoles:
    await require_roles(pw, args.role_ids, "role_ids")
    # The API answers an empty 200 (reference §2.4 #53), so the result echoes what was set.
    await pw.put(f"/Users/{args.user_id}/Roles", {"userRoleIDs": args.role_ids})
    return UserRoles(user_id=args.user_id, role_ids=args.role_ids)


# ---------------------------------------------------------------------------------------------------------------
# Free-text search (client-side: the API only has exact-match filters)
# ---------------------------------------------------------------------------------------------------------------


def user_texts(record: dict[str, Any]) -> list[Any]:
    """What a user search matches: first, last and full name, the display name and the email."""
    first, last = pick(record, "FirstName") or "", pick(record, "LastName") or ""
    return [first, last, f"{first} {last}", pick(record, "Name"), pick(record, "Email")]


@tool(
    name="projectworks_search_users",
    title="Search Users",
    toolset="projectworks.people",
    kind="read",
    description="Find Projectworks users whose name or email contains some text.",
)
async def search_users(args: SearchInput, pw: ProjectworksClient, ctx: ToolContext) -> Found[User]:
    return await search_records(pw, ctx, "/Users", args, to_user, user_texts, "users")
