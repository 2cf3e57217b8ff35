"""Reference data every write needs: roles, offices, leave types and leave statuses.

The lookups used by prerequisite checks are cached per API account (`ProjectworksClient.cached`), so ten
placeholder updates in a row cost one roles request.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.models import Page, PageInput
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.toolkit import OutputModel, ToolContext, tool

ALL_PAGES = 500  # reference tables are small: one page of 500 holds them


class Role(OutputModel):
    role_id: int
    code: str | None = None
    description: str | None = None


class ListRolesInput(PageInput):
    role_code: str | None = Field(None, description="Only the role with this exact code, e.g. 'DEV'.")


def to_role(record: dict[str, Any]) -> Role:
    return Role(
        role_id=pick(record, "UserRoleID", "RoleID", "ID"),
        code=pick(record, "Code", "RoleCode"),
        description=pick(record, "Description", "Name"),
    )


@tool(
    name="projectworks_list_roles",
    title="List Roles",
    toolset="projectworks.reference",
    kind="read",
    description="List the roles configured in Projectworks. Their role_id values are what "
    "projectworks_update_user_roles and projectworks_update_task_placeholder accept.",
)
async def list_roles(args: ListRolesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[Role]:
    records, has_more = await pw.list(
        "/Users/Roles", {"roleCode": args.role_code}, page=args.page, page_size=args.page_size
    )
    return Page(items=[to_role(r) for r in records], page=args.page, page_size=args.page_size, has_more=has_more)


async def all_roles(pw: ProjectworksClient) -> list[Role]:
    """Every configured role (cached per account)."""

    async def load() -> list[Role]:
        records, _ = await pw.list("/Users/Roles", page=1, page_size=ALL_PAGES)
        return [to_role(r) for r in records]

    return await pw.cached("roles", load)


def describe_roles(roles: list[Role], limit: int = 20) -> str:
    shown = ", ".join(f"{r.role_id} ({r.code or r.description})" for r in roles[:limit])
    more = f" and {len(roles) - limit} more" if len(roles) > limit else ""
    return shown + more if roles else "none are configured"
