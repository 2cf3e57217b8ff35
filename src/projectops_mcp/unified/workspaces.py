"""Workspaces (Ticketing and User Directory): the Teamwork site and the Projectworks account this caller's
credentials reach, one each. Neither API has an account record, so the id is the host the credentials are for
and the Teamwork site is named after the site owner's company."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field

from projectops_mcp.teamwork import companies as tw_companies
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import TITLES, Clients, GetResult, ListResult, Record, Source
from projectops_mcp.unified.users import owner_company_id


class Workspace(Record):
    name: str | None = None
    url: str | None = Field(None, description="where the system is reached")
    organization_id: str | None = Field(None, description="the owner company, from unified_list_organizations")


async def workspace_of(source: Source, clients: Clients, ctx: ToolContext, include_remote_data: bool) -> Workspace:
    client = clients.require(source)
    host = urlsplit(client.base_url).netloc
    if source == "projectworks":
        return Workspace(id=host, source=source, name=f"{TITLES[source]} ({host})", url=client.base_url)
    owner = await owner_company_id(client, ctx)
    name, remote = host, None
    if owner is not None:
        query = tw_companies.GetCompanyInput(company_id=owner, include_raw=True)
        company = await tw_companies.get_company.handler(query, client, ctx)
        name, remote = company.name or host, company.raw
    return Workspace(
        id=host,
        source=source,
        name=name,
        url=client.base_url,
        organization_id=str(owner) if owner is not None else None,
        remote_data=remote if include_remote_data else None,
    )


class ListWorkspacesInput(InputModel):
    include_remote_data: bool = Field(False, description="add the owner company's native record")


@tool(
    name="unified_list_workspaces",
    title="List Workspaces (both systems)",
    toolset="unified.directory",
    kind="read",
    description="List the Teamwork site and the Projectworks account this server reaches.",
)
async def list_workspaces(args: ListWorkspacesInput, clients: Clients, ctx: ToolContext) -> ListResult[Workspace]:
    found = [await workspace_of(source, clients, ctx, args.include_remote_data) for source in clients.sources]
    return ListResult(result=found)


class GetWorkspaceInput(InputModel):
    source: Source = Field(description="the system")
    include_remote_data: bool = Field(False, description="add the owner company's native record")


@tool(
    name="unified_get_workspace",
    title="Get Workspace",
    toolset="unified.directory",
    kind="read",
    lookup="unified_list_workspaces",
    description="Get the Teamwork site or the Projectworks account as a workspace.",
)
async def get_workspace(args: GetWorkspaceInput, clients: Clients, ctx: ToolContext) -> GetResult[Workspace]:
    return GetResult(result=await workspace_of(args.source, clients, ctx, args.include_remote_data))
