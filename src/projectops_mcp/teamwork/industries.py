"""Industries: Teamwork's fixed list of company industries (v1 `GET /industries.json`, no paging), the ids a
company's `industry_id` takes."""

from __future__ import annotations

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.teamwork.client import TeamworkClient, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


class Industry(OutputModel):
    industry_id: int
    name: str


class Industries(OutputModel):
    items: list[Industry]


async def fetch_industries(tw: TeamworkClient) -> list[Industry]:
    records = tw.list_of(await tw.request("GET", "/industries.json"), "industries")
    return [Industry(industry_id=v1_int(r.get("id")) or 0, name=r.get("name") or "") for r in records]


async def check_industry(tw: TeamworkClient, industry_id: int | None) -> None:
    """A company's industry must be one of the site's; refused before anything is written."""
    if industry_id is not None and industry_id not in {i.industry_id for i in await fetch_industries(tw)}:
        raise PrerequisiteError(
            f"industry_id: {industry_id} is not one of Teamwork's industries.", fix_with="teamwork_list_industries"
        )


class ListIndustriesInput(InputModel):
    search: str | None = Field(None, min_length=1, description="Text in the name.")


@tool(
    name="teamwork_list_industries",
    title="List Industries",
    toolset="teamwork.companies",
    kind="read",
    description="List the industries a Teamwork company can be in.",
)
async def list_industries(args: ListIndustriesInput, tw: TeamworkClient, ctx: ToolContext) -> Industries:
    found = await fetch_industries(tw)
    if args.search:
        found = [i for i in found if args.search.lower() in i.name.lower()]
    return Industries(items=found)
