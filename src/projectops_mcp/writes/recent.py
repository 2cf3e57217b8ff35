"""The journal as agents read it: `<backend>_list_recent_writes` ("what did I change today"), one per backend so
that each lists only what was written with the caller's own account on that backend (its tenant fingerprint)."""

from __future__ import annotations

import datetime as dt
import functools
import time
from typing import Any, Literal

import anyio.to_thread
from pydantic import Field

from projectops_mcp.errors import ConfigError
from projectops_mcp.models import Page, PageInput
from projectops_mcp.toolkit import OutputModel
from projectops_mcp.writes.gate import current_gate
from projectops_mcp.writes.journal import JournalError

DEFAULT_HOURS = 24


class RecentWritesInput(PageInput):
    since: dt.datetime | None = Field(None, description="default 24 hours ago")
    tool: str | None = Field(None, max_length=128, description="only this tool")
    outcome: Literal["sent", "succeeded", "failed", "unknown"] | None = Field(None, description="only this outcome")


class RecentWrite(OutputModel):
    at: str = Field(description="When it was sent (UTC).")
    tool: str
    outcome: str = Field(description="unknown/sent: check the record before retrying.")
    method: str
    path: str
    upstream_id: str | None = None
    note: str | None = None


def _utc(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def recent_writes(args: RecentWritesInput, client: Any) -> Page[RecentWrite]:
    gate = current_gate.get()
    if gate is None or gate.journal is None:
        raise ConfigError("The write journal is off on this server (PROJECTOPS_JOURNAL=off): no writes are recorded.")
    if args.since is None:
        since = time.time() - DEFAULT_HOURS * 3600
    else:
        since = (args.since if args.since.tzinfo else args.since.replace(tzinfo=dt.UTC)).timestamp()
    tenant = await gate.tenant(client)
    query = functools.partial(
        gate.journal.entries,
        since=since,
        tool=args.tool,
        outcome=args.outcome,
        tenants=[tenant],
        limit=args.page_size + 1,
        offset=(args.page - 1) * args.page_size,
    )
    try:
        entries = await anyio.to_thread.run_sync(query)
    except JournalError as exc:
        raise ConfigError(f"{exc}. The operator can check the file; writes are not affected.") from None
    items = [
        RecentWrite(
            at=_utc(e.at),
            tool=e.tool,
            outcome=e.outcome,
            method=e.method,
            path=e.path,
            upstream_id=e.upstream_id,
            note=e.note,
        )
        for e in entries[: args.page_size]
    ]
    return Page[RecentWrite](
        items=items, page=args.page, page_size=args.page_size, has_more=len(entries) > args.page_size
    )
