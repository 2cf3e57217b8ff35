"""Reference ids the server can vouch for, learned from the records the account already has.

Projectworks has no lookup endpoint for currencies, tax types, expense-claim types, project and task types and
statuses, rate cards, posting dimensions and the like (reference §6: only roles, leave types, leave statuses and
offices have one, and those have their own tools in reference.py). Agents used to guess such ids, and the API
accepted made-up ones (a claim was filed with expense_claim_type_id 77 and currency_id 99).

So every id kind below is learned from the records that carry it: each source list is scanned once (bounded by
MAX_PAGES x PAGE_SIZE records) and the result cached per account (`ProjectworksClient.cached`). Writes check their
ids with `require_known`, which refuses an id no record uses, with the known values, before anything is sent;
`allow_unverified_ids: true` sends it anyway, for an id the agent knows from the app's settings (the API may then
store a record pointing at nothing, which only shows in the app and must be fixed by hand).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.projectworks._common import describe_choices
from projectops_mcp.projectworks.client import ProjectworksClient, as_records, pick
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

PAGE_SIZE = 500
MAX_PAGES = 4  # at most 2,000 records per source list
MAX_POSTING_USERS = 25  # postings are per user: one GET each, for the first users listed
LOOKUP = "projectworks_list_reference_ids"

IdKind = Literal[
    "expense_claim_type",
    "expense_claim_status",
    "currency",
    "tax_type",
    "client_type",
    "rate_card",
    "project_type",
    "project_status",
    "project_budget_type",
    "task_self_service_mode",
    "task_type",
    "task_status",
    "fee_type",
    "gl_code",
    "recoverable",
    "location",
    "team",
    "position",
    "agreement_type",
    "rank",
    "holiday_calendar",
    "resource_type",
    "resource_mode",
    "resource_level",
    "invoice_status",
    "billing_contact",
]


@dataclass(frozen=True)
class Carrier:
    """One place a kind of id appears: the record key holding it, and keys that may hold its name."""

    kind: str
    id_key: str
    name_keys: tuple[str, ...] = ()


POSTINGS = "/Users/{id}/Postings"
# Source list -> the ids its records carry. Each source is scanned once for all the kinds it carries.
SOURCES: dict[str, tuple[Carrier, ...]] = {
    "/ExpenseClaims": (
        Carrier("expense_claim_type", "ExpenseClaimTypeID", ("ExpenseClaimTypeName", "ExpenseClaimType")),
        Carrier("expense_claim_status", "ExpenseClaimStatusID", ("ExpenseClaimStatusName", "ExpenseClaimStatus")),
        Carrier("currency", "CurrencyID", ("CurrencyCode", "CurrencyName")),
        Carrier("tax_type", "TaxTypeID", ("TaxTypeName", "TaxType")),
    ),
    "/Clients": (
        Carrier("client_type", "ClientTypeID", ("ClientTypeName",)),
        Carrier("currency", "CurrencyID", ("CurrencyCode", "CurrencyName")),
        Carrier("currency", "DefaultCurrencyID", ("DefaultCurrencyCode",)),
        Carrier("rate_card", "DefaultRateCardID", ("DefaultRateCardName",)),
        Carrier("tax_type", "DefaultTaxTypeID", ("DefaultTaxTypeName",)),
    ),
    "/Projects": (
        Carrier("project_type", "ProjectTypeID", ("ProjectTypeName",)),
        Carrier("project_status", "ProjectStatusID", ("ProjectStatusName",)),
        Carrier("project_budget_type", "ProjectBudgetTypeID", ("ProjectBudgetTypeName",)),
        Carrier("task_self_service_mode", "TaskSelfServiceModeID", ("TaskSelfServiceModeName",)),
        Carrier("currency", "CurrencyID", ("CurrencyCode", "CurrencyName")),
        Carrier("rate_card", "DefaultRateCardID", ("DefaultRateCardName",)),
    ),
    "/Modules": (
        Carrier("fee_type", "FeeTypeID", ("FeeTypeName",)),
        Carrier("gl_code", "GLCodeID", ("GLCodeName", "GLCode")),
    ),
    "/Tasks": (
        Carrier("task_type", "TaskTypeID", ("TaskTypeName",)),
        Carrier("task_status", "TaskStatusID", ("TaskStatusName",)),
        Carrier("fee_type", "FeeTypeID", ("FeeTypeName",)),
    ),
    "/Resources": (
        Carrier("resource_type", "ResourceTypeID", ("ResourceTypeName",)),
        Carrier("resource_mode", "ModeID", ("ModeName",)),
        Carrier("resource_level", "LevelID", ("LevelName",)),
    ),
    "/Invoices": (
        Carrier("invoice_status", "StatusID", ("StatusName",)),
        Carrier("billing_contact", "BillingContactID", ("BillingContactName", "ContactName")),
    ),
    POSTINGS: (
        Carrier("recoverable", "Recoverable", ("RecoverableName",)),
        Carrier("location", "LocationID", ("LocationName",)),
        Carrier("team", "TeamID", ("TeamName",)),
        Carrier("position", "PositionID", ("PositionName",)),
        Carrier("agreement_type", "AgreementTypeID", ("AgreementTypeName",)),
        Carrier("currency", "CurrencyID", ("CurrencyCode", "CurrencyName")),
        Carrier("rank", "RankID", ("RankName",)),
        Carrier("holiday_calendar", "HolidayCalendarID", ("HolidayCalendarName",)),
    ),
}
SOURCE_NOUNS = {
    "/ExpenseClaims": "expense claim",
    "/Clients": "client",
    "/Projects": "project",
    "/Modules": "module",
    "/Tasks": "task",
    "/Resources": "resource booking",
    "/Invoices": "invoice",
    POSTINGS: "user posting",
}
ID_KEYS = {
    "/ExpenseClaims": "ExpenseClaimID",
    "/Clients": "ClientID",
    "/Projects": "ProjectID",
    "/Modules": "ModuleID",
    "/Tasks": "TaskID",
    "/Resources": "ResourceID",
    "/Invoices": "InvoiceID",
    POSTINGS: "PostingID",
}

ALLOW_UNVERIFIED = Field(
    False,
    description="send ids this account has not used yet (risky)",
)


def sources_of(kind: str) -> list[str]:
    return [path for path, carriers in SOURCES.items() if any(c.kind == kind for c in carriers)]


# A learned table is JSON-friendly (a per-account cache may live outside the process):
# {"scanned": n, "cut_short": bool, "values": [[kind, id, name|None, example record id|None], ...]}
Learned = dict[str, Any]


def extract(path: str, records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """[kind, id, name, example] for every id the records carry (ids of 0 or null mean 'none' and are skipped)."""
    values: list[list[Any]] = []
    for record in records:
        example = pick(record, ID_KEYS[path])
        for carrier in SOURCES[path]:
            value = pick(record, carrier.id_key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values.append([carrier.kind, value, pick(record, *carrier.name_keys), example])
    return values


async def _scan(pw: ProjectworksClient, path: str) -> Learned:
    records: list[dict[str, Any]] = []
    cut_short = False
    for page in range(1, MAX_PAGES + 1):
        batch, has_more = await pw.list(path, page=page, page_size=PAGE_SIZE)
        records.extend(batch)
        if not has_more:
            break
    else:
        cut_short = True
    return {"scanned": len(records), "cut_short": cut_short, "values": extract(path, records)}


async def _scan_postings(pw: ProjectworksClient) -> Learned:
    """Postings are per user (no list of all postings): read those of the first MAX_POSTING_USERS users."""
    users, more_users = await pw.list("/Users", page=1, page_size=PAGE_SIZE)
    user_ids = [uid for uid in (pick(u, "UserID", "ID") for u in users) if isinstance(uid, int)]
    records: list[dict[str, Any]] = []
    for user_id in user_ids[:MAX_POSTING_USERS]:
        try:
            records.extend(as_records(await pw.get(f"/Users/{user_id}/Postings")))
        except UpstreamError as exc:
            if exc.status in (404, 405):  # postings cannot be read on this account: nothing to learn from
                return {"scanned": 0, "cut_short": False, "values": [], "unavailable": True}
            raise
    cut_short = more_users or len(user_ids) > MAX_POSTING_USERS
    return {"scanned": len(records), "cut_short": cut_short, "values": extract(POSTINGS, records)}


async def learned(pw: ProjectworksClient, path: str) -> Learned:
    """What one source list teaches, cached per account."""
    loader = (lambda: _scan_postings(pw)) if path == POSTINGS else (lambda: _scan(pw, path))
    return await pw.cached(f"known_ids:{path}", loader)


def forget(pw: ProjectworksClient, kinds: Iterable[str]) -> None:
    """After a write that used an unverified id, drop what was learned so the next check sees the new record."""
    invalidate = getattr(pw.account.cache, "invalidate", None)
    if invalidate is None:
        return
    for path in {p for kind in kinds for p in sources_of(kind)}:
        invalidate(f"known_ids:{path}")


@dataclass
class Known:
    """The ids of one kind seen in the account, with a name when a record carried one."""

    kind: str
    ids: dict[int, tuple[str | None, int, str | None]]  # id -> (name, records using it, example "expense claim 9501")
    scanned: int
    cut_short: bool
    unavailable: list[str]

    def describe(self, limit: int = 15) -> str:
        return describe_choices([(i, n or f"seen on {s}") for i, (n, _, s) in sorted(self.ids.items())], limit)

    def where(self) -> str:
        nouns = " and ".join(f"{SOURCE_NOUNS[p]}s" for p in sources_of(self.kind))
        bound = f" (first {PAGE_SIZE * MAX_PAGES} of each)" if self.cut_short else ""
        return f"the {self.scanned} {nouns} read{bound}"


async def known(pw: ProjectworksClient, kind: str) -> Known:
    ids: dict[int, tuple[str | None, int, str | None]] = {}
    scanned, cut_short, unavailable = 0, False, []
    for path in sources_of(kind):
        table = await learned(pw, path)
        scanned += table["scanned"]
        cut_short = cut_short or table["cut_short"]
        if table.get("unavailable"):
            unavailable.append(path)
        for value_kind, value, name, example in table["values"]:
            if value_kind != kind:
                continue
            old_name, count, old_example = ids.get(value, (None, 0, None))
            seen = f"{SOURCE_NOUNS[path]} {example}" if example is not None else SOURCE_NOUNS[path]
            ids[value] = (old_name or name, count + 1, old_example or seen)
    return Known(kind, ids, scanned, cut_short, unavailable)


async def seen(pw: ProjectworksClient, kind: str, value: int) -> bool:
    """Whether a record uses this id; sources are read one by one, stopping at the first that has it."""
    for path in sources_of(kind):
        if any(k == kind and v == value for k, v, _, _ in (await learned(pw, path))["values"]):
            return True
    return False


async def require_known(pw: ProjectworksClient, ids: Mapping[str, tuple[str, int | None]], allow: bool) -> None:
    """Refuse, before anything is sent, ids that no record of the account uses. `ids` maps each argument name to
    (kind, value); None values are skipped. With `allow` (allow_unverified_ids) nothing is checked."""
    given = {field: (kind, value) for field, (kind, value) in ids.items() if value is not None}
    if allow or not given:
        return
    problems = []
    for field, (kind, value) in given.items():
        if await seen(pw, kind, value):
            continue
        table = await known(pw, kind)
        choices = table.describe() if table.ids else f"none: no record uses a {kind.replace('_', ' ')} yet"
        problems.append(f"{field} {value} is not used by any of {table.where()} (known: {choices}).")
    if problems:
        raise PrerequisiteError(
            " ".join(problems)
            + " Pick a known id (projectworks_list_reference_ids lists them), or if you know the id from the "
            "Projectworks app's settings, send allow_unverified_ids: true (a wrong id may then be stored as is).",
            fix_with=LOOKUP,
        )


@asynccontextmanager
async def vouched(
    pw: ProjectworksClient, ids: Mapping[str, tuple[str, int | None]], allow: bool
) -> AsyncIterator[None]:
    """`async with vouched(...): write`: the ids are checked before the write; after a write that sent unverified
    ids, the learned tables are dropped so the new record teaches them."""
    await require_known(pw, ids, allow)
    yield
    if allow:
        forget(pw, [kind for kind, value in ids.values() if value is not None])


# ---------------------------------------------------------------------------------------------------------------
# The read tool
# ---------------------------------------------------------------------------------------------------------------


class ListReferenceIdsInput(InputModel):
    kinds: list[IdKind] | None = Field(None, min_length=1, description="Which kinds; omit for all.")
    refresh: bool = Field(False, description="Re-read the records instead of the cached result.")


class ReferenceId(OutputModel):
    kind: str
    id: int
    name: str | None = Field(None, description="When a record carried one.")
    used_by: int = Field(description="Records using it.")
    example: str | None = Field(None, description="A record using it, e.g. 'expense claim 9501'.")


class ReferenceIds(OutputModel):
    items: list[ReferenceId]
    page: int = 1
    page_size: int
    has_more: bool = False
    learned_from: dict[str, str] = Field(description="Per kind: the records read.")
    unavailable: list[str] | None = Field(None, description="Sources this account does not let us read.")


@tool(
    name=LOOKUP,
    title="List Reference IDs",
    toolset="projectworks.reference",
    kind="read",
    description="Ids with no lookup endpoint (currencies, tax types, expense claim types, project/task types and "
    "statuses, rate cards, posting location/team/position, ...), learned from the account's records.",
)
async def list_reference_ids(args: ListReferenceIdsInput, pw: ProjectworksClient, ctx: ToolContext) -> ReferenceIds:
    kinds = args.kinds or list(IdKind.__args__)  # type: ignore[attr-defined]
    if args.refresh:
        forget(pw, kinds)
    items: list[ReferenceId] = []
    learned_from: dict[str, str] = {}
    unavailable: set[str] = set()
    for kind in dict.fromkeys(kinds):
        table = await known(pw, kind)
        learned_from[kind] = table.where()
        unavailable.update(table.unavailable)
        for value, (name, count, example) in sorted(table.ids.items()):
            items.append(ReferenceId(kind=kind, id=value, name=name, used_by=count, example=example))
    return ReferenceIds(
        items=items,
        page_size=max(len(items), 1),
        learned_from=learned_from,
        unavailable=sorted(f"GET {p}" for p in unavailable) or None,
    )
