"""The arguments every write tool gets from the toolkit rather than from its input model: `dry_run` (every
non-read tool) and `allow_duplicate` (every guarded create). They are published in the inputSchema, split off
before the input model validates the rest, and never reach a handler."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from projectops_mcp.writes.preview import with_preview

# Worded as briefly as the shared paging parameters (listing.py): every write tool carries them in tools/list, and
# the server instructions say what they do.
DRY_RUN = {"type": "boolean", "description": "preview; sends nothing"}
ALLOW_DUPLICATE = {"type": "boolean", "description": "repeat a recent identical create"}
_BOOL = TypeAdapter(bool)


@dataclass(frozen=True)
class Controls:
    dry_run: bool = False
    allow_duplicate: bool = False


NO_CONTROLS = Controls()


def control_schemas(kind: str) -> dict[str, dict[str, Any]]:
    if kind == "read":
        return {}
    if kind == "create":
        return {"dry_run": DRY_RUN, "allow_duplicate": ALLOW_DUPLICATE}
    return {"dry_run": DRY_RUN}


def with_controls(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A tool's published inputSchema with its control arguments added."""
    extra = control_schemas(kind)
    if not extra:
        return schema
    out = copy.deepcopy(schema)
    out.setdefault("properties", {}).update(copy.deepcopy(extra))
    return out


def output_schema(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    return schema if kind == "read" else with_preview(schema)


class ControlError(ValueError):
    def __init__(self, field: str, problem: str):
        super().__init__(f"- {field}: {problem}.")
        self.field = field


def split_controls(kind: str, arguments: dict[str, Any] | None) -> tuple[dict[str, Any], Controls]:
    """(the tool's own arguments, the controls). Raises ControlError for a control that is not a boolean."""
    names = control_schemas(kind)
    if not arguments or not names or not any(name in arguments for name in names):
        return arguments or {}, NO_CONTROLS
    rest = dict(arguments)
    values: dict[str, bool] = {}
    for name in names:
        if name in rest:
            raw = rest.pop(name)
            if raw is None:
                continue
            try:
                values[name] = _BOOL.validate_python(raw)
            except ValidationError:
                shown = repr(raw) if isinstance(raw, str) else str(raw)[:40]
                raise ControlError(name, f"input should be true or false (got {shown})") from None
    return rest, Controls(**values)
