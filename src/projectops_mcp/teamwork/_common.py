"""Helpers the Teamwork resource modules share: a v3 list page fetched as a `Page`, lookups that turn a 404 into a
refusal naming the argument, and the small value converters v1/v3 records need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, Field

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.models import Page, PagedRequest, page_of
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id
from projectops_mcp.toolkit import OutputModel

T = TypeVar("T")


async def fetch_or_refuse(tw: TeamworkClient, path: str, key: str, *, what: str, fix_with: str) -> dict[str, Any]:
    """GET one v3 record that a write depends on. A 404 is the caller's mistake, so it becomes a refusal that names
    the argument (`what`, e.g. "tasklist_id: task list 12") and the tool that lists valid ids."""
    try:
        data = await tw.get(path)
    except UpstreamError as exc:
        if exc.status == 404:
            raise PrerequisiteError(f"{what} does not exist on this Teamwork site.", fix_with=fix_with) from None
        raise
    return data.get(key) or {}


async def fetch_record(
    tw: TeamworkClient, collection: str, record_id: int, key: str, *, field: str, what: str, fix_with: str
) -> dict[str, Any]:
    """One v3 record (`/projects/api/v3/{collection}/{id}.json`) a write depends on; a 404 names the argument."""
    return await fetch_or_refuse(
        tw, f"{V3}/{collection}/{record_id}.json", key, what=f"{field}: {what} {record_id}", fix_with=fix_with
    )


async def fetch_person(tw: TeamworkClient, person_id: int, field: str = "user_ids") -> dict[str, Any]:
    """One person (v3 record); a missing person is the caller's input error, not an upstream failure."""
    return await fetch_record(
        tw, "people", person_id, "person", field=field, what="person", fix_with="teamwork_list_people"
    )


def _distinct(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("list each person once")
    return ids


# People a write adds to or takes off something (a team, a role, a skill, a project): each once.
UserIds = Annotated[
    list[Annotated[int, Field(gt=0)]],
    Field(min_length=1, max_length=50, description="from teamwork_list_people"),
    AfterValidator(_distinct),
]


async def check_people(tw: TeamworkClient, user_ids: list[int] | None, field: str) -> None:
    for user_id in user_ids or []:
        await fetch_person(tw, user_id, field)


def date_part(value: Any) -> str | None:
    """`2026-11-30` from `2026-11-30`, `2026-11-30T00:00:00Z` or `20261130`; None for empty."""
    if not value:
        return None
    text = str(value)
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text[:10]


def rel_ids(values: Any) -> list[int]:
    """Ids from a v3 relationship list ([{"id": 1, "type": "tags"}]) or a plain id list."""
    if not isinstance(values, list):
        return []
    return [i for i in (rel_id(v) for v in values) if i is not None]


async def fetch_v3_page(
    tw: TeamworkClient,
    path: str,
    key: str,
    params: dict[str, Any] | None,
    args: PagedRequest,
    convert: Callable[[dict[str, Any], bool], T],
) -> Page[T]:
    """Fetch one page of a v3 list (`key` names the records in the answer) and convert it into a `Page`."""
    records, has_more, count, _ = await tw.v3_list(path, key, params, page=args.page, page_size=args.page_size)
    return page_of(records, convert, args, has_more, count)


@dataclass
class _Slice:
    """What `page_of` reads, for a cursor-paged v3 list (search, calendar events): no page numbers there."""

    page_size: int
    include_raw: bool
    page: int = 1


def convert_page(
    records: list[dict[str, Any]], convert: Callable[[dict[str, Any], bool], T], limit: int, include_raw: bool
) -> tuple[list[T], list[str] | None]:
    """The converted records of one cursor page (at most `limit`) and warnings naming any unreadable one."""
    page = page_of(records, convert, _Slice(limit, include_raw), has_more=False)
    return page.items, page.warnings


def next_cursor_of(data: dict[str, Any]) -> str | None:
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    cursor = meta.get("nextCursor")
    return cursor if isinstance(cursor, str) and cursor else None


def as_utc(value: datetime) -> datetime:
    """A date-time comparable with any other: one without an offset is taken as UTC (as rfc3339 sends it)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text.replace("+00:00", "Z") if value.tzinfo else text + "Z"


class Count(OutputModel):
    count: int


async def v3_count(tw: TeamworkClient, path: str, params: dict[str, Any] | None = None) -> int:
    """How many records a v3 list holds: one record per page, `skipCounts=false`, then `meta.page.count` (what the
    official server's count tools do)."""
    query = {**(params or {}), "skipCounts": False}
    _, _, count, _ = await tw.v3_list(path, "_", query, page=1, page_size=1)
    if count is None:
        raise UpstreamError(f"Teamwork did not report a count for {path}.", backend="Teamwork")
    return count
