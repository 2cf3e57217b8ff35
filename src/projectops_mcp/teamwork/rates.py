"""Billable rates (v3, SDK rates.go): a user's site-wide ("installation") rate, a project's default rate, and a
user's rate on one project, each read and set; and the rate every person on a project gets (with its source).

Wire facts: rates are integer cents (`17500` = 175.00); the tool takes and shows currency units and converts. A
`null` rate clears it. Setting answers 201 for the two user rates and 204 for the project rate (the SDK checks
exactly these). Reads ask for `include=currencies` so the currency code can be shown. Every set is read back.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_person, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

MAX_RATE = 10_000_000


class Rate(OutputModel):
    rate: float | None = Field(None, description="hourly, in currency units; absent when none is set")
    currency_id: int | None = None
    currency_code: str | None = None


class SiteRate(Rate):
    user_id: int


class ProjectRate(Rate):
    project_id: int


class UserProjectRate(Rate):
    project_id: int
    user_id: int


def units(value: Any) -> float | None:
    """Integer cents (v3 money) as currency units."""
    cents = v1_int(value)
    return cents / 100 if cents is not None else None


def read_rate(data: dict[str, Any], cents_key: str) -> dict[str, Any]:
    """The rate fields of a rates answer: `<cents_key>` in cents, the currency from `rate.currency` (or the first of
    `userRates`) and its code from `included.currencies`."""
    detail = data.get("rate") if isinstance(data.get("rate"), dict) else None
    if detail is None and isinstance(data.get("userRates"), dict) and data["userRates"]:
        detail = next(iter(data["userRates"].values()))
    currency_id = rel_id(detail.get("currency")) if isinstance(detail, dict) else None
    currencies = (data.get("included") or {}).get("currencies") or {}
    currency = currencies.get(str(currency_id)) if currency_id is not None else None
    return {
        "rate": units(data.get(cents_key)),
        "currency_id": currency_id,
        "currency_code": currency.get("code") if isinstance(currency, dict) else None,
    }


class RateValue(InputModel):
    rate: float | None = Field(None, ge=0, le=MAX_RATE, description="hourly, in currency units, e.g. 175.5")
    clear: bool = Field(False, description="remove the rate instead")


class CurrencyInput(RateValue):
    currency_id: int | None = Field(
        None, gt=0, description="multi-currency sites only, as the get tools show it; omit for the site currency"
    )


def cents_of(args: RateValue) -> int | None:
    """The rate in cents, or None to clear; exactly one of `rate` and `clear` must be given."""
    if args.clear:
        if args.rate is not None:
            raise InputError("clear", "give either rate or clear, not both.")
        return None
    if args.rate is None:
        raise InputError("rate", "required (or clear: true to remove the rate).")
    return to_cents(args.rate, "rate")


def to_cents(amount: float, field: str) -> int:
    """A money amount in currency units as the integer cents Teamwork's v3 money fields take (SDK `Money`)."""
    cents = round(amount * 100)
    if abs(amount * 100 - cents) > 1e-6:
        raise InputError(field, "at most two decimal places.")
    return cents


def rate_body(key: str, args: CurrencyInput | RateValue) -> dict[str, Any]:
    body: dict[str, Any] = {key: cents_of(args)}
    if isinstance(args, CurrencyInput) and args.currency_id is not None:
        body["currencyId"] = args.currency_id
    return body


CURRENCIES = {"include": "currencies"}


# -- a user's site rate ---------------------------------------------------------------------------------------------


class UserIdInput(InputModel):
    user_id: int = Field(gt=0, description="from teamwork_list_people")


def site_rate_path(user_id: int) -> str:
    return f"{V3}/rates/installation/users/{user_id}.json"


@tool(
    name="teamwork_get_site_rate",
    title="Get Site Rate",
    toolset="teamwork.rates",
    kind="read",
    lookup="teamwork_list_people",
    description="Get a user's default billable rate for the whole site.",
)
async def get_site_rate(args: UserIdInput, tw: TeamworkClient, ctx: ToolContext) -> SiteRate:
    return await read_site_rate(tw, args.user_id)


async def read_site_rate(tw: TeamworkClient, user_id: int) -> SiteRate:
    data = await tw.get(site_rate_path(user_id), CURRENCIES)
    return SiteRate(user_id=user_id, **read_rate(data, "userRate"))


class SetSiteRateInput(UserIdInput, CurrencyInput):
    pass


@tool(
    name="teamwork_set_site_rate",
    title="Set Site Rate",
    toolset="teamwork.rates",
    kind="put",
    lookup="teamwork_list_people",
    description="Set or clear a user's default billable rate for the whole site.",
)
async def set_site_rate(args: SetSiteRateInput, tw: TeamworkClient, ctx: ToolContext) -> SiteRate:
    body = rate_body("userRate", args)
    await fetch_person(tw, args.user_id, "user_id")
    await tw.put(site_rate_path(args.user_id), body)
    return await read_site_rate(tw, args.user_id)


# -- a project's rate ---------------------------------------------------------------------------------------------


class ProjectIdInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")


def project_rate_path(project_id: int) -> str:
    return f"{V3}/rates/projects/{project_id}.json"


@tool(
    name="teamwork_get_project_rate",
    title="Get Project Rate",
    toolset="teamwork.rates",
    kind="read",
    lookup="teamwork_list_projects",
    description="Get a project's default billable rate.",
)
async def get_project_rate(args: ProjectIdInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectRate:
    return await read_project_rate(tw, args.project_id)


async def read_project_rate(tw: TeamworkClient, project_id: int) -> ProjectRate:
    data = await tw.get(project_rate_path(project_id), CURRENCIES)
    return ProjectRate(project_id=project_id, **read_rate(data, "projectRate"))


class SetProjectRateInput(ProjectIdInput, RateValue):
    pass


@tool(
    name="teamwork_set_project_rate",
    title="Set Project Rate",
    toolset="teamwork.rates",
    kind="put",
    lookup="teamwork_list_projects",
    description="Set or clear a project's default billable rate.",
)
async def set_project_rate(args: SetProjectRateInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectRate:
    body = rate_body("projectRate", args)
    await fetch_project(tw, args.project_id)
    await tw.put(project_rate_path(args.project_id), body)
    return await read_project_rate(tw, args.project_id)


# -- a user's rate on one project ---------------------------------------------------------------------------------


class ProjectUserInput(ProjectIdInput, UserIdInput):
    pass


def user_project_rate_path(project_id: int, user_id: int) -> str:
    return f"{V3}/rates/projects/{project_id}/users/{user_id}.json"


@tool(
    name="teamwork_get_user_project_rate",
    title="Get User Project Rate",
    toolset="teamwork.rates",
    kind="read",
    lookup="teamwork_list_projects",
    description="Get a user's billable rate on one project.",
)
async def get_user_project_rate(args: ProjectUserInput, tw: TeamworkClient, ctx: ToolContext) -> UserProjectRate:
    return await read_user_project_rate(tw, args.project_id, args.user_id)


async def read_user_project_rate(tw: TeamworkClient, project_id: int, user_id: int) -> UserProjectRate:
    data = await tw.get(user_project_rate_path(project_id, user_id), CURRENCIES)
    return UserProjectRate(project_id=project_id, user_id=user_id, **read_rate(data, "userRate"))


class SetUserProjectRateInput(ProjectUserInput, CurrencyInput):
    pass


@tool(
    name="teamwork_set_user_project_rate",
    title="Set User Project Rate",
    toolset="teamwork.rates",
    kind="put",
    lookup="teamwork_list_projects",
    description="Set or clear a user's billable rate on one project.",
)
async def set_user_project_rate(args: SetUserProjectRateInput, tw: TeamworkClient, ctx: ToolContext) -> UserProjectRate:
    body = rate_body("userRate", args)
    await fetch_project(tw, args.project_id)
    await fetch_person(tw, args.user_id, "user_id")
    await tw.put(user_project_rate_path(args.project_id, args.user_id), body)
    return await read_user_project_rate(tw, args.project_id, args.user_id)


# -- everyone's effective rate on a project ---------------------------------------------------------------------------


class EffectiveRate(OutputModel):
    user_id: int
    rate: float | None = Field(None, description="the rate that applies, in currency units")
    source: str | None = Field(None, description="userprojectrate, projectrate, installationrate, …")
    user_project_rate: float | None = None
    project_rate: float | None = None
    site_rate: float | None = None
    raw: RawRecord = None


def to_effective_rate(record: dict[str, Any], include_raw: bool = False) -> EffectiveRate:
    return EffectiveRate(
        user_id=rel_id(record.get("user")) or 0,
        rate=units(record.get("effectiveRate")),
        source=record.get("source") or None,
        user_project_rate=units(record.get("userProjectRate")),
        project_rate=units(record.get("projectRate")),
        site_rate=units(record.get("userInstallationRate")),
        raw=record if include_raw else None,
    )


class ListProjectRatesInput(PageInput):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="text in people's names")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_project_rates",
    title="List Project Rates",
    toolset="teamwork.rates",
    kind="read",
    lookup="teamwork_list_projects",
    description="List the billable rate each person on a project gets, and where it comes from.",
)
async def list_project_rates(args: ListProjectRatesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[EffectiveRate]:
    params = {"searchTerm": args.search, "orderBy": "name", "orderMode": "asc"}
    path = f"/rates/projects/{args.project_id}/users"  # no .json, as the SDK calls it
    return await fetch_v3_page(tw, path, "userRates", params, args, to_effective_rate)
