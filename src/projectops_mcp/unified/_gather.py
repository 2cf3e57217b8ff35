"""How the cross-system answers read: through the native tools' handlers (no URL is built here), many reads at
once (the per-account limiter still paces them), every list in pages of the largest size its API takes, progress
reported as reads finish, and the call's request budget (`PROJECTOPS_UNIFIED_REQUEST_BUDGET`) turned into a partial
answer instead of a failure: whatever could not be read before it ran out is named in `cut_short.missing`.

    gather = Gather(ctx)
    people, users = await gather.all(
        lambda: gather.pages("Teamwork people", lambda page: list_people(ListPeopleInput(page=page, ...), tw, ctx)),
        lambda: gather.pages("Projectworks users", ...),
    )
    answer.cut_short = gather.cut_short()
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import anyio
from pydantic import Field

from projectops_mcp.errors import RequestBudgetSpent
from projectops_mcp.models import Page
from projectops_mcp.toolkit import OutputModel, ToolContext

T = TypeVar("T")
DEFAULT_BUDGET = 400
MISSING_SHOWN = 20  # what cut_short.missing names before "... and N more"
# Teamwork v3 refuses pageSize > 500; Projectworks documents no maximum, and its adapters scan in pages of 500.
LARGEST_PAGE = 500
MAX_PAGES = 200  # a list still "having more" after this many pages is cut, and says so


class CutShort(OutputModel):
    reason: str
    upstream_requests: int = Field(description="sent by this call")
    missing: list[str] = Field(description="not read; the figures that depend on them are incomplete")


def counted(summary: OutputModel) -> OutputModel | None:
    """A summary of counts, or None when every count is 0: nothing was found, and an answer says so by its empty
    result rather than by figures no record gave."""
    return summary if any(summary.model_dump().values()) else None


def start_budget(ctx: ToolContext) -> None:
    """Put the cross-system request budget on this call: the HTTP client refuses to send past it."""
    budget = getattr(ctx.settings, "projectops_unified_request_budget", DEFAULT_BUDGET)
    if budget and (ctx.max_upstream_requests is None or budget < ctx.max_upstream_requests):
        ctx.max_upstream_requests = budget


class BudgetSpent(Exception):
    """A read not started: the budget is used by the requests already sent or under way."""


class Gather:
    """One answer's reads: concurrency, progress, warnings and the budget (see the module docstring)."""

    def __init__(self, ctx: ToolContext):
        self.ctx = ctx
        self.missing: list[str] = []
        self.warnings: list[str] = []
        self.reasons: set[str] = set()
        self.done = 0
        self.expected = 0  # reads known to be coming, for progress; grows as work is discovered
        self._in_flight = 0
        settings = ctx.settings
        self._limit = anyio.CapacityLimiter(settings.projectops_max_concurrency if settings else 8)

    def _spent(self) -> bool:
        """Whether the requests sent and those under way (the client counts a request when it is answered) use the
        whole budget: concurrent reads must not all pass the client's check at once."""
        budget = self.ctx.max_upstream_requests
        return budget is not None and self.ctx.upstream_requests + self._in_flight >= budget

    async def one(self, label: str, read: Callable[[], Awaitable[T]]) -> T | None:
        """One read; None when the budget ran out before it (it is then named in cut_short)."""
        try:
            async with self._limit:
                if self._spent():
                    raise BudgetSpent
                self._in_flight += 1
                try:
                    result = await read()
                finally:
                    self._in_flight -= 1
        except (BudgetSpent, RequestBudgetSpent):  # not started, or refused by the client past the budget
            self.missing.append(label)
            self.reasons.add("budget")
            return None
        self.done += 1
        await self.ctx.progress(self.done, max(self.expected, self.done), f"read {label}")
        return result

    async def pages(self, label: str, read_page: Callable[[int], Awaitable[Page[T]]], first: int = 1) -> list[T]:
        """Every record of one native list (`read_page(page)` is the native tool's page), in order. When the first
        page gives the total (Teamwork), the other pages are read at once; else one after the other. Records it
        could not read are kept as warnings; when the budget runs out part-way, the pages read are kept."""
        items: list[T] = []
        for page in range(first, MAX_PAGES + 1):
            self.expected += 1
            got = await self.one(label if page == 1 else f"{label}, page {page} on", lambda p=page: read_page(p))
            if got is None:
                return items
            items.extend(got.items)
            self.warnings += [f"{label}: {w}" for w in got.warnings or []]
            if not got.has_more:
                return items
            if page == 1 and got.total is not None and got.page_size:
                return items + await self._rest(label, read_page, -(-got.total // got.page_size))
        self.missing.append(f"{label}, beyond page {MAX_PAGES}")
        self.reasons.add("pages")
        return items

    async def _rest(self, label: str, read_page: Callable[[int], Awaitable[Page[T]]], pages: int) -> list[T]:
        """Pages 2..`pages` of a list whose first page gave its total: read at once, kept in order. A list that grew
        meanwhile is read on from there one page at a time."""
        last = min(pages, MAX_PAGES)
        numbers = list(range(2, last + 1))
        self.expected += len(numbers)
        got = await self.all(*(lambda p=p: self.one(f"{label}, page {p}", lambda: read_page(p)) for p in numbers))
        items: list[T] = []
        for page in got:
            if page is None:
                continue
            items.extend(page.items)
            self.warnings += [f"{label}: {w}" for w in page.warnings or []]
        if pages > MAX_PAGES:
            self.missing.append(f"{label}, beyond page {MAX_PAGES}")
            self.reasons.add("pages")
        elif got and got[-1] is not None and got[-1].has_more:
            items.extend(await self.pages(label, read_page, first=last + 1))
        return items

    async def all(self, *reads: Callable[[], Awaitable[Any]]) -> list[Any]:
        """Run reads concurrently; results in order. A failure other than the budget cancels the rest and is
        raised as itself (never as an exception group, which the server could not explain to the agent)."""
        results: list[Any] = [None] * len(reads)
        failures: list[Exception] = []

        async def run(index: int, read: Callable[[], Awaitable[Any]]) -> None:
            try:
                results[index] = await read()
            except Exception as exc:  # noqa: BLE001 - raised below, outside the task group
                failures.append(exc)
                group.cancel_scope.cancel()

        async with anyio.create_task_group() as group:
            for index, read in enumerate(reads):
                group.start_soon(run, index, read)
        if failures:
            raise failures[0]
        return results

    async def each(self, items: Sequence[T], label: Callable[[T], str], read: Callable[[T], Awaitable[Any]]) -> list:
        """`read(item)` for every item, concurrently, each one budgeted read; results in item order."""
        self.expected += len(items)
        return await self.all(*(lambda i=item: self.one(label(i), lambda: read(i)) for item in items))

    def cut_short(self) -> CutShort | None:
        if not self.missing:
            return None
        shown = self.missing[:MISSING_SHOWN]
        if len(self.missing) > MISSING_SHOWN:
            shown.append(f"... and {len(self.missing) - MISSING_SHOWN} more")
        reasons = []
        if "budget" in self.reasons:
            reasons.append(
                f"the budget of {self.ctx.max_upstream_requests} upstream requests ran out "
                "(PROJECTOPS_UNIFIED_REQUEST_BUDGET)"
            )
        if "pages" in self.reasons:
            reasons.append(f"a list had more than {MAX_PAGES} pages")
        return CutShort(
            reason=" and ".join(reasons) + "; ask about fewer people or a shorter range for a full answer",
            upstream_requests=self.ctx.upstream_requests,
            missing=shown,
        )
