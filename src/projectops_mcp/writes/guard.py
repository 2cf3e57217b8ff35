"""The duplicate guard: an agent that retries a create on its own (after a timeout, a lost answer, a restart) must not
file the claim twice.

Every `create` tool (kind "create": expense claims, timesheets, leave, time entries, tasks, comments, users,
people, clients, companies, projects, and the other creates) is guarded. Before its first write is sent, the
call's *normalised arguments* are claimed for this tenant; a create whose key was claimed within the window
(PROJECTOPS_DUPLICATE_WINDOW seconds, default 600; 0 turns the guard off) and that succeeded, is still in
flight, or whose outcome is unknown is refused with the earlier outcome, id and time. A failed create releases
its claim. `allow_duplicate: true` sends anyway (and becomes the new claim).

Normalisation (what counts as "the same arguments"):
- the validated arguments, so aliases, whitespace around strings and type coercions ("42.50" -> 42.5) are
  already settled; fields left at their default or null are dropped (sending `notify: false` explicitly is the
  same as leaving it out);
- key order never matters (canonical JSON with sorted keys);
- numbers compare by value: 8, 8.0 and 8.00 are equal;
- date-times compare as instants in UTC (`...T08:00:00Z` = `...T20:00:00+12:00`); dates as ISO dates;
- lists keep their order (leave days, capacity days), except lists of ids (`*_ids`), which are sets;
- receipt bytes count (the same receipt twice is a duplicate; another file is not).
The key is a SHA-256 of the tool name, the tenant fingerprint and that canonical JSON; arguments are never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from projectops_mcp.errors import ProjectOpsError
from projectops_mcp.writes.journal import Earlier

CONTROL_FIELDS = ("dry_run", "allow_duplicate")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


class DuplicateWrite(ProjectOpsError):
    """A create refused because an identical one was just made (or may have been)."""

    kind = "duplicate"


def normalise(value: Any, name: str = "") -> Any:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", exclude_defaults=True, exclude_none=True)
    if isinstance(value, dict):
        return {str(k): normalise(v, str(k)) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set):
        items = [normalise(v) for v in value]
        if name.endswith("_ids") and all(isinstance(i, int | str) for i in items):
            return sorted(set(items), key=lambda i: (isinstance(i, str), i))
        return items
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)).normalize()
        return int(number) if number == number.to_integral_value() else str(number)
    if isinstance(value, dt.datetime):
        return _instant(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if _DATETIME_RE.match(text):
            try:
                return _instant(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
            except ValueError:
                return text
        return text
    return value


def _instant(value: dt.datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat()  # a naive date-time is taken as written
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def duplicate_key(tool: str, tenant: str, args: BaseModel) -> str:
    data = normalise(args)
    for control in CONTROL_FIELDS:
        data.pop(control, None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{tool}\0{tenant}\0{canonical}".encode()).hexdigest()


def when(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe_earlier(earlier: Earlier, now: float) -> str:
    ago = max(0, round((now - earlier.at) / 60))
    age = "less than a minute ago" if ago == 0 else f"{ago} min ago"
    outcome = {
        "succeeded": "it succeeded" + (f" (id {earlier.upstream_id})" if earlier.upstream_id else ""),
        "unknown": "its outcome is unknown (the upstream's answer was lost)",
        "sent": "it is still in flight (or the server stopped before the answer)",
    }.get(earlier.outcome, f"its outcome is {earlier.outcome}")
    return f"an identical {earlier.tool} for this account was sent at {when(earlier.at)} ({age}); {outcome}"


def refusal(earlier: Earlier, lookup: str | None, now: float) -> DuplicateWrite:
    check = f" Check with {lookup} whether it is there." if lookup else ""
    return DuplicateWrite(
        f"Refused as a duplicate: {describe_earlier(earlier, now)}. Nothing was sent.{check} If a second one is "
        "really meant, call again with allow_duplicate: true."
    )
