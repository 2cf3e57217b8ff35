"""Accounts (Ticketing) and Organizations (User Directory): Teamwork companies and Projectworks clients. Accounts
are the clients the agency works for (the site owner's own Teamwork company is left out); organizations are every
company users belong to, the agency's own included (`is_owner`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.projectworks import clients as pw_clients
from projectops_mcp.teamwork import companies as tw_companies
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    Derived,
    GetResult,
    ListInput,
    ListResult,
    Record,
    Source,
    constant,
    mapping,
    native_stream,
    shown,
    walk,
)
from projectops_mcp.unified.users import owner_company_id


class Account(Record):
    name: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    is_active: bool | None = None
    is_owner: bool | None = Field(None, description="the agency's own company")
    external_reference: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


TEAMWORK_COMPANY = mapping(
    "accounts",
    "teamwork",
    "teamwork_list_companies",
    Account,
    "company_id",
    name="name",
    website="website",
    email=Derived("emails[0]", lambda d: (d.get("emails") or [None])[0]),
    phone="phone",
    is_active=Derived("status is not deleted", lambda d: d.get("status") != "deleted"),
    is_owner=Derived(
        "company_id is the site owner's company", lambda d: d.get("owner_company_id") == d.get("company_id")
    ),
    created_at="created_at",
    updated_at="updated_at",
)
PROJECTWORKS_CLIENT = mapping(
    "accounts",
    "projectworks",
    "projectworks_list_clients",
    Account,
    "client_id",
    name="name",
    email="finance_email",
    phone="finance_phone",
    is_active="is_active",
    is_owner=constant(False),
    external_reference="external_reference",
    updated_at="modified_at",
)


async def _list(args: ListInput, clients: Clients, ctx: ToolContext, *, with_owner: bool) -> ListResult[Account]:
    async def owner(tw: Any) -> dict[str, Any]:
        return {"owner_company_id": await owner_company_id(tw, ctx)}

    streams = [
        native_stream(clients, ctx, tw_companies.list_companies, TEAMWORK_COMPANY, context=owner,
                      keep=lambda account: with_owner or not account.is_owner),
        native_stream(clients, ctx, pw_clients.list_clients, PROJECTWORKS_CLIENT),
    ]  # fmt: skip
    return await walk(streams, args, ctx, clients=clients)


@tool(
    name="unified_list_accounts",
    title="List Accounts (both systems)",
    toolset="unified.ticketing",
    kind="read",
    description="List the client companies of Teamwork and the clients of Projectworks as accounts.",
)
async def list_accounts(args: ListInput, clients: Clients, ctx: ToolContext) -> ListResult[Account]:
    return await _list(args, clients, ctx, with_owner=False)


@tool(
    name="unified_list_organizations",
    title="List Organizations (both systems)",
    toolset="unified.directory",
    kind="read",
    description="List every Teamwork company (the agency's own too) and Projectworks client as organizations.",
)
async def list_organizations(args: ListInput, clients: Clients, ctx: ToolContext) -> ListResult[Account]:
    return await _list(args, clients, ctx, with_owner=True)


class GetAccountInput(InputModel):
    source: Source = Field(description="the account's system")
    id: int = Field(gt=0, description="from unified_list_accounts or unified_list_organizations")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")


async def _get(args: GetAccountInput, clients: Clients, ctx: ToolContext) -> GetResult[Account]:
    if args.source == "teamwork":
        tw = clients.require("teamwork")
        query = tw_companies.GetCompanyInput(company_id=args.id, include_raw=True)
        company = await tw_companies.get_company.handler(query, tw, ctx)
        owner = await owner_company_id(tw, ctx)
        record = TEAMWORK_COMPANY.build(company, company.raw, owner_company_id=owner)
    else:
        pw = clients.require("projectworks")
        client = await pw_clients.get_client.handler(
            pw_clients.GetClientInput(client_id=args.id, include_raw=True), pw, ctx
        )
        record = PROJECTWORKS_CLIENT.build(client, client.raw)
    return GetResult(result=shown(record, args))


@tool(
    name="unified_get_account",
    title="Get Account (either system)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_accounts",
    description="Get one Teamwork company or Projectworks client as an account.",
)
async def get_account(args: GetAccountInput, clients: Clients, ctx: ToolContext) -> GetResult[Account]:
    return await _get(args, clients, ctx)


@tool(
    name="unified_get_organization",
    title="Get Organization (either system)",
    toolset="unified.directory",
    kind="read",
    lookup="unified_list_organizations",
    description="Get one Teamwork company or Projectworks client as an organization.",
)
async def get_organization(args: GetAccountInput, clients: Clients, ctx: ToolContext) -> GetResult[Account]:
    return await _get(args, clients, ctx)
