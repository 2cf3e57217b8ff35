"""`projectops-mcp journal [--since] [--tool] [--outcome] [--json]`: the write journal for the operator.

Opens the file read-only (never creates or changes it) and prints to stdout: a table, or one JSON array."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from typing import Any

from projectops_mcp.writes.journal import Journal, JournalError, journal_path

_AGE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(value: str, now: float | None = None) -> float:
    """'2h', '30m', '7d' (an age) or an ISO date/date-time (UTC unless it says otherwise) -> a Unix time."""
    now = time.time() if now is None else now
    age = _AGE_RE.match(value.strip().lower())
    if age:
        return now - float(age.group(1)) * _SECONDS[age.group(2)]
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since {value!r}: give an age like 30m, 2h, 7d or an ISO date/time") from None
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()


def _iso(at: float | None) -> str | None:
    return None if at is None else dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def print_journal(
    settings: Any, *, since: str, tool: str | None, outcome: str | None, limit: int, as_json: bool
) -> int:
    path = journal_path(settings.projectops_journal)
    if path is None:
        print("The write journal is off (PROJECTOPS_JOURNAL=off).", file=sys.stderr)
        return 1
    try:
        start = parse_since(since)
    except ValueError as exc:
        print(f"projectops-mcp journal: {exc}", file=sys.stderr)
        return 2
    if not path.exists():
        print(f"No write journal yet at {path}.", file=sys.stderr)
        entries = []
    else:
        journal = Journal(path, read_only=True)
        try:
            entries = journal.entries(since=start, tool=tool, outcome=outcome, limit=limit)
        except JournalError as exc:
            print(f"projectops-mcp journal: {exc}", file=sys.stderr)
            return 1
        finally:
            journal.close()
    if as_json:
        rows = [{**e.as_dict(), "at": _iso(e.at), "settled_at": _iso(e.settled_at)} for e in entries]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for e in entries:
        line = f"{_iso(e.at)}  {e.outcome:<9}  {e.tool:<42}  {e.method:<6} {e.path}"
        if e.upstream_id:
            line += f"  id={e.upstream_id}"
        line += f"  tenant={e.tenant}"
        if e.note:
            line += f"  ({e.note})"
        print(line)
    print(f"{len(entries)} writes since {_iso(start)} in {path}", file=sys.stderr)
    return 0
