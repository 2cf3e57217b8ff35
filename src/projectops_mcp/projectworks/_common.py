"""Helpers every Projectworks resource module shares: record conversion and paging, reply handling, lookups that
turn a 404 into a refusal, the sync filters entity lists accept, and client-side free-text search."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import aclosing
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import IncludeRaw, PageInput
from projectops_mcp.projectworks.client import ProjectworksClient, as_records, pick
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext

R = TypeVar("R", bound=OutputModel)
T = TypeVar("T")
SEARCH_PAGE_SIZE = 200


def iso_datetime(value: datetime | None) -> str | None:
    """A query-string date-time as the reference examples write it: 2026-01-01T00:00:00Z."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def date_part(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from whatever the API sent: '2026-12-21', '2026-12-21T00:00:00', None."""
    return str(value)[:10] if value else None


def describe_choices(choices: Sequence[tuple[Any, Any]], limit: int = 20) -> str:
    """'10 (DEV), 11 (DES) and 3 more': the valid ids an agent can pick from, for refusal messages."""
    shown = ", ".join(f"{key} ({label})" for key, label in choices[:limit])
    more = f" and {len(choices) - limit} more" if len(choices) > limit else ""
    return shown + more if choices else "none are configured"


def echo(record: dict[str, Any], sent: dict[str, Any], key: str) -> Any:
    """A field of a write's reply, or what was sent when the reply carried no record (sub-resource PUTs may
    answer with an empty body). `key` is the PascalCase reply key; the body key is its camelCase twin."""
    if record:
        return pick(record, key)
    return sent.get(key[0].lower() + key[1:])


def empty_answer(path: str) -> UpstreamError:
    """A GET by id that answered 200 with nothing in it: report it as the record not being there."""
    return UpstreamError(
        f"Projectworks returned no record for GET {path}.", backend="Projectworks", status=404, method="GET", path=path
    )


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


def require_change(body: dict[str, Any], id_field: str) -> None:
    """A PATCH with nothing in it would be a pointless write. `id_field` names the record, the only argument given."""
    if not body:
        raise InputError(
            id_field,
            "no field to change was given.",
            f"Pass at least one field besides {id_field}; only those are sent.",
        )


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

    external_reference: str | None = Field(None, min_length=1, description="exact match")
    modified_since_date: datetime | None = Field(
        None, description="Only records modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_custom_fields: bool | None = Field(None, description="with custom field values")
    include_raw: IncludeRaw = False

    def sync_params(self) -> dict[str, Any]:
        return {
            "ExternalReference": self.external_reference,
            "ModifiedSinceDate": iso_datetime(self.modified_since_date),
            "IncludeCustomFields": self.include_custom_fields,
        }


# The input of every projectworks_search_* tool (the API has only exact-match filters). A comment, not a
# docstring: a docstring would be sent to the model as the schema's description.
class SearchInput(InputModel):
    query: str = Field(min_length=1, max_length=200, description="part of the name, any case")
    limit: int = Field(10, ge=1, le=100, description="matches at most")
    page_size: int = Field(SEARCH_PAGE_SIZE, ge=1, le=500, description="records per scanned page")
    max_pages: int = Field(5, ge=1, le=50, description="pages to scan at most")
    include_raw: IncludeRaw = False


class Found(OutputModel, Generic[T]):
    items: list[T]
    scanned: int = Field(description="Records examined.")
    pages: int = Field(description="Pages fetched.")
    cut_short: bool = Field(
        description="True when the scan stopped before the end (limit or max_pages reached): more matches may exist."
    )


def fields_of(*keys: str) -> Callable[[dict[str, Any]], list[Any]]:
    """The texts a search matches in a record: these fields, each read with `pick` (either casing)."""
    return lambda record: [pick(record, key) for key in keys]


async def search_records(
    pw: ProjectworksClient,
    ctx: ToolContext,
    path: str,
    args: SearchInput,
    convert: Callable[[dict[str, Any], bool], R],
    texts: Callable[[dict[str, Any]], Iterable[Any]],
    noun: str,
) -> Found[R]:
    """Free-text search the API does not offer: scan pages of `path`, keep records where `args.query` occurs in
    one of `texts(record)`, and say how far the scan went."""
    needle = args.query.casefold()
    matches: list[R] = []
    scanned = pages = fetched = 0

    async def on_page(page: int, seen: int) -> None:
        nonlocal pages, fetched
        pages, fetched = page, seen
        await ctx.progress(page, args.max_pages, f"scanned {seen} {noun}")

    records = pw.scan(path, page_size=args.page_size, max_pages=args.max_pages, on_page=on_page)
    async with aclosing(records) as stream:
        async for record in stream:
            scanned += 1
            if any(needle in str(text or "").casefold() for text in texts(record)):
                matches.append(convert(record, args.include_raw))
                if len(matches) >= args.limit:
                    return Found(items=matches, scanned=scanned, pages=pages, cut_short=True)
    more_pages = pages == args.max_pages and fetched == pages * args.page_size
    return Found(items=matches, scanned=scanned, pages=pages, cut_short=more_pages)


async def sub_records(pw: ProjectworksClient, path: str) -> list[dict[str, Any]] | None:
    """A sub-resource list the reference does not document (GET /Users/{id}/Postings, /Tasks/{id}/Users): None when
    this account answers 404/405, so a read-back tool can say the API does not serve it instead of failing."""
    try:
        return as_records(await pw.get(path))
    except UpstreamError as exc:
        if exc.status in (404, 405):
            return None
        raise
