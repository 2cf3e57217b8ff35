"""Previews (`dry_run: true` on every write tool): the call runs for real up to its first write - validation,
prerequisite reads, the duplicate check - and that write is captured instead of sent.

The result is `{"preview": {...}}`: the exact request (method, url, path, query, body, with secrets and receipt
bytes elided), what was checked, and what to confirm with the person before calling again without `dry_run`.
The published outputSchema of every write tool admits that shape (see `with_preview`), so clients that validate
structured results accept it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from projectops_mcp.http import OutgoingRequest

ELIDE_MIN = 64  # base64 runs at least this long are file contents (receipts), never shown
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/\r\n]+={0,2}$")

# Published as a bare object: it only has to let the preview through clients' outputSchema checks, and every
# write tool carries it in tools/list (the shape is {tool, request: {method, url, path, query, body}, checked,
# confirm}, tested in tests/writes/test_preview.py).
PREVIEW_SCHEMA: dict[str, Any] = {"type": "object"}


class PreviewCaptured(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised at the first write of a dry run: unwinds the handler; the gate turns it into the preview."""

    def __init__(self, request: dict[str, Any]):
        super().__init__("preview captured")
        self.request = request


def elide(value: Any, redact: Callable[[str], str] = lambda s: s) -> Any:
    """A copy with secrets scrubbed from every string and file contents (long base64 runs) replaced by a note."""
    if isinstance(value, dict):
        return {k: elide(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [elide(v, redact) for v in value]
    if isinstance(value, str):
        if len(value) >= ELIDE_MIN and _BASE64_RE.match(value):
            return f"<{len(value) * 3 // 4} bytes elided>"
        return redact(value)
    return copy.copy(value)


def render(request: OutgoingRequest, redact: Callable[[str], str]) -> dict[str, Any]:
    """The request as a preview and the journal show it."""
    shown: dict[str, Any] = {
        "method": request.method,
        "url": redact(request.url),
        "path": redact(request.path),
        "query": [[k, redact(v)] for k, v in request.query],
    }
    if request.body is not None:
        shown["body"] = elide(request.body, redact)
    return shown


def with_preview(schema: dict[str, Any]) -> dict[str, Any]:
    """A write tool's published outputSchema: its result, or `{"preview": ...}` for a dry run."""
    out = copy.deepcopy(schema)
    out.setdefault("properties", {})["preview"] = PREVIEW_SCHEMA
    required = out.pop("required", None)
    if required:
        out["anyOf"] = [{"required": required}, {"required": ["preview"]}]
    return out


CONFIRM_BY_KIND = {
    "create": "It creates a new record; an identical create within the duplicate window is refused.",
    "update": "It changes only the fields given.",
    "put": "It sets the values given on the record (repeating it changes nothing more).",
    "replace": "It replaces the whole record: fields not given are cleared.",
    "delete": "It deletes the record permanently; this cannot be undone.",
    "action": "It performs the action on the record named in the path.",
}


def confirm_lines(kind: str, request: dict[str, Any] | None) -> list[str]:
    if request is None:
        return ["Nothing needs to be written for these arguments."]
    return [
        f"{request['method']} {request['path']}: the target is right.",
        CONFIRM_BY_KIND.get(kind, "It writes to the backend."),
        "If the person agrees, call again with the same arguments without dry_run.",
    ]
