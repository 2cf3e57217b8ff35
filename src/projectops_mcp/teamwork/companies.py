"""Companies (clients): the site owner's own company and every client company, v3 reads and writes.

Write keys follow Teamwork's SDK exactly, including two that differ from the read side: the country is written as
lower-case `countrycode` (read back as `countryCode`) and the profile as `profile` (read back as `profileText`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_record, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.teamwork.industries import check_industry
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool


async def fetch_company(tw: TeamworkClient, company_id: int, field: str = "company_id") -> dict[str, Any]:
    return await fetch_record(
        tw, "companies", company_id, "company", field=field, what="company", fix_with="teamwork_list_companies"
    )


class Company(OutputModel):
    company_id: int
    name: str
    website: str | None = None
    emails: list[str] | None = None
    phone: str | None = None
    fax: str | None = None
    address_one: str | None = None
    address_two: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country_code: str | None = None
    profile: str | None = None
    managed_by_user_id: int | None = None
    industry_id: int | None = None
    tag_ids: list[int] | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    raw: RawRecord = None


def to_company(record: dict[str, Any], include_raw: bool = False) -> Company:
    emails = [record.get(k) for k in ("emailOne", "emailTwo", "emailThree")]
    return Company(
        company_id=record["id"],
        name=record.get("name") or "",
        website=record.get("website") or None,
        emails=[e for e in emails if e],
        phone=record.get("phone") or None,
        fax=record.get("fax") or None,
        address_one=record.get("addressOne") or None,
        address_two=record.get("addressTwo") or None,
        city=record.get("city") or None,
        state=record.get("state") or None,
        zip=record.get("zip") or None,
        country_code=record.get("countryCode") or None,
        profile=record.get("profileText") or None,
        managed_by_user_id=rel_id(record.get("clientManagedBy")),
        industry_id=rel_id(record.get("industry")),
        tag_ids=[t for t in (rel_id(x) for x in record.get("tags") or []) if t is not None],
        status=record.get("status"),
        created_at=record.get("createdAt"),
        updated_at=record.get("updatedAt"),
        raw=record if include_raw else None,
    )


class ListCompaniesInput(PageInput):
    search: str | None = Field(None, min_length=1, description="text in the name")
    order_by: Literal["name", "projects", "dateadded", "id"] | None = Field(None, description="sort by")
    order_mode: Literal["asc", "desc"] | None = Field(None, description="direction")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_companies",
    title="List Companies",
    toolset="teamwork.companies",
    kind="read",
    description="List Teamwork companies (clients and your own).",
)
async def list_companies(args: ListCompaniesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Company]:
    params = {"searchTerm": args.search, "orderBy": args.order_by, "orderMode": args.order_mode}
    return await fetch_v3_page(tw, "/companies.json", "companies", params, args, to_company)


class GetCompanyInput(InputModel):
    company_id: int = Field(gt=0, description="from teamwork_list_companies")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_company",
    title="Get Company",
    toolset="teamwork.companies",
    kind="read",
    lookup="teamwork_list_companies",
    description="Get one Teamwork company.",
)
async def get_company(args: GetCompanyInput, tw: TeamworkClient, ctx: ToolContext) -> Company:
    return to_company(await tw.one("GET", f"{V3}/companies/{args.company_id}.json", "company"), args.include_raw)


# Our argument -> the key inside Teamwork's "company" body (one table for create and update).
COMPANY_KEYS = {
    "name": "name",
    "address_one": "addressOne",
    "address_two": "addressTwo",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "country_code": "countrycode",
    "email_one": "emailOne",
    "email_two": "emailTwo",
    "email_three": "emailThree",
    "phone": "phone",
    "fax": "fax",
    "website": "website",
    "profile": "profile",
    "managed_by_user_id": "clientManagedBy",
    "industry_id": "industryCatId",
    "tag_ids": "tagIds",
}


class CompanyFields(InputModel):
    address_one: str | None = Field(None, max_length=255, description="Address line 1.")
    address_two: str | None = Field(None, max_length=255, description="Address line 2.")
    city: str | None = Field(None, max_length=255, description="City.")
    state: str | None = Field(None, max_length=255, description="State or region.")
    zip: str | None = Field(None, max_length=50, description="ZIP or postal code.")
    country_code: str | None = Field(None, pattern=r"^([A-Za-z]{2})?$", description="ISO code, e.g. NZ ('' clears)")
    email_one: str | None = Field(None, max_length=255, description="Main e-mail address.")
    email_two: str | None = Field(None, max_length=255, description="Second e-mail address.")
    email_three: str | None = Field(None, max_length=255, description="Third e-mail address.")
    phone: str | None = Field(None, max_length=100, description="Phone number.")
    fax: str | None = Field(None, max_length=100, description="Fax number.")
    website: str | None = Field(None, max_length=500, description="Website URL.")
    profile: str | None = Field(None, max_length=10_000, description="Profile text about the company.")
    managed_by_user_id: int | None = Field(None, gt=0, description="from teamwork_list_people")
    industry_id: int | None = Field(None, gt=0, description="from teamwork_list_industries")
    tag_ids: list[int] | None = Field(None, max_length=100, description="Tags to set; from teamwork_list_tags")


def company_body(args: CompanyFields) -> dict[str, Any]:
    """The `company` object: only the given fields, keys as Teamwork's SDK writes them."""
    body: dict[str, Any] = {}
    for name, key in COMPANY_KEYS.items():
        value = getattr(args, name, None)
        if value is not None:
            body[key] = value.upper() if name == "country_code" else value
    return body


async def check_company_refs(tw: TeamworkClient, args: CompanyFields) -> None:
    """The manager must be a person on the site, the industry one of Teamwork's; refused before anything is
    written."""
    await check_industry(tw, args.industry_id)
    if args.managed_by_user_id is not None:
        await fetch_record(
            tw,
            "people",
            args.managed_by_user_id,
            "person",
            field="managed_by_user_id",
            what="person",
            fix_with="teamwork_list_people",
        )


class CreateCompanyInput(CompanyFields):
    name: str = Field(min_length=1, max_length=255, description="Company name; must not already exist.")


@tool(
    name="teamwork_create_company",
    title="Create Company",
    toolset="teamwork.companies",
    kind="create",
    lookup="teamwork_list_companies",
    description="Create a Teamwork client company (names are unique).",
)
async def create_company(args: CreateCompanyInput, tw: TeamworkClient, ctx: ToolContext) -> Company:
    same_name, _, _, _ = await tw.v3_list("/companies.json", "companies", {"searchTerm": args.name}, page_size=100)
    for existing in same_name:
        if str(existing.get("name", "")).strip().lower() == args.name.lower():
            raise PrerequisiteError(
                f"name: a company called {existing.get('name')!r} already exists (company_id {existing.get('id')}).",
                fix_with="teamwork_update_company",
            )
    await check_company_refs(tw, args)
    return to_company(await tw.one("POST", f"{V3}/companies.json", "company", body={"company": company_body(args)}))


class UpdateCompanyInput(CompanyFields):
    company_id: int = Field(gt=0, description="from teamwork_list_companies")
    name: str | None = Field(None, min_length=1, max_length=255, description="New company name.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateCompanyInput:
        if not company_body(self):
            raise ValueError("give at least one field to change besides company_id")
        return self


@tool(
    name="teamwork_update_company",
    title="Update Company",
    toolset="teamwork.companies",
    kind="update",
    lookup="teamwork_list_companies",
    description="Change some fields of a Teamwork company (an empty string clears a text field).",
)
async def update_company(args: UpdateCompanyInput, tw: TeamworkClient, ctx: ToolContext) -> Company:
    await check_company_refs(tw, args)
    data = await tw.patch(f"{V3}/companies/{args.company_id}.json", {"company": company_body(args)})
    return to_company(data.get("company") or {"id": args.company_id})


class DeleteCompanyInput(InputModel):
    company_id: int = Field(gt=0, description="from teamwork_list_companies")


@tool(
    name="teamwork_delete_company",
    title="Delete Company",
    toolset="teamwork.companies",
    kind="delete",
    lookup="teamwork_list_companies",
    description="Delete a Teamwork client company (never the site owner's).",
)
async def delete_company(args: DeleteCompanyInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    company = await fetch_company(tw, args.company_id)
    me = (await tw.get(f"{V3}/me.json")).get("person") or {}
    if me.get("inOwnerCompany") and rel_id(me.get("company")) == args.company_id:
        raise PrerequisiteError(
            f"company_id: {args.company_id} ({company.get('name')}) is the site owner's company, which Teamwork "
            "cannot delete.",
            fix_with="teamwork_list_companies",
        )
    await tw.delete(f"{V3}/companies/{args.company_id}.json")
    return Deleted(id=args.company_id)
