"""The vocabulary every tool module of both backends speaks: paging in and out, the `include_raw`/`raw` pair,
and the small body and list rules (drop None before sending, each list value once). Declared once here so a new
tool copies nothing and every schema says the same thing the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Generic, Protocol, TypeVar

from pydantic import Field

from projectops_mcp.calls import current_call
from projectops_mcp.toolkit import InputModel, OutputModel
from projectops_mcp.wire import UNREADABLE, unreadable_reason

logger = logging.getLogger("projectops_mcp.models")
T = TypeVar("T")

IncludeRaw = Annotated[bool, Field(description="Also return each upstream record unchanged.")]
"""The input flag: `include_raw: IncludeRaw = False`. Converters take it as their second argument."""

RawRecord = Annotated[dict[str, Any] | None, Field(description="The upstream record, when include_raw was set.")]
"""The output field the flag fills: `raw: RawRecord = None`."""


class PageInput(InputModel):
    page: int = Field(1, ge=1, description="Page, from 1.")
    page_size: int = Field(50, ge=1, le=500, description="Records per page.")
    fields: list[str] | None = Field(
        None, min_length=1, description="Only these record fields (ids are always returned); default all."
    )


class Page(OutputModel, Generic[T]):
    """A page of records. `has_more` is true when another page may exist."""

    items: list[T]
    page: int
    page_size: int
    has_more: bool
    total: int | None = Field(None, description="Total matching records, when the backend reports it.")
    more: str | None = Field(
        None, description="Set when records were left out to keep the answer short: how to get them."
    )
    warnings: list[str] | None = Field(None, description="Records that could not be read, left out.")


class PagedRequest(Protocol):
    """What `page_of` reads from a list tool's input (a `PageInput` with an `include_raw` field)."""

    page: int
    page_size: int
    include_raw: bool


def page_of(
    records: list[dict[str, Any]],
    convert: Callable[[dict[str, Any], bool], T],
    args: PagedRequest,
    has_more: bool,
    total: int | None = None,
) -> Page[T]:
    """The `Page` a list tool returns: upstream records converted (with their raw copy when asked for) and the
    page position echoed from the input. At most `page_size` items, whatever the upstream sent; a record that
    cannot be read is left out and named in `warnings` (one odd record never hides the other 49)."""
    if len(records) > args.page_size:
        records, has_more = records[: args.page_size], True
    items: list[T] = []
    warnings = drain_warnings()
    for position, record in enumerate(records, 1):
        try:
            items.append(convert(record, args.include_raw))
        except UNREADABLE as exc:
            warnings.append(f"Record {position} could not be read ({unreadable_reason(exc)}); it is left out.")
    if warnings:
        logger.warning("list with unreadable records: %s", "; ".join(warnings)[:500])
    return Page(
        items=items,
        page=args.page,
        page_size=args.page_size,
        has_more=has_more,
        total=total,
        warnings=warnings or None,
    )


def drain_warnings() -> list[str]:
    """The warnings the current call's client helpers recorded (wire.warn), taken."""
    call = current_call.get()
    if call is None:
        return []
    taken, call.warnings = call.warnings, []
    return taken


class Deleted(OutputModel):
    id: int
    deleted: bool = True


class WriteResult(OutputModel):
    """For writes whose upstream answer carries no record: what was sent, and that it was accepted."""

    id: int | None = None
    updated: bool = True
    sent: dict[str, Any] | None = Field(None, description="The body that was accepted by the backend.")


def without_none(**fields: Any) -> dict[str, Any]:
    """A request body of only the fields given: None means "not given" and is dropped (False, 0 and '' are kept),
    so a PATCH never clears what the agent did not mention. Keys that are not identifiers pass with `**{...}`."""
    return {key: value for key, value in fields.items() if value is not None}


def no_duplicates(values: list[Any], what: str) -> list[Any]:
    """For list validators: each value once (a repeated role, date or field would be ambiguous upstream)."""
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"each {what} may appear only once; given more than once: {', '.join(repeated)}")
    return values
