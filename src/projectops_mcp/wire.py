"""What goes on and comes off the wire, for both backends: query encoding, body parsing, the upstream's own words
in an error answer, `Retry-After`, the record inside an answer, and what an unreadable record becomes (an
upstream-contract error or a warning, never an internal error). `http.BackendClient` sends and receives; this
module holds the rules it reads answers by, so tools and models can use them without the request loop.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
from pydantic import ValidationError

from projectops_mcp.calls import current_call
from projectops_mcp.errors import NOT_RETRIED, InputError, UpstreamError

logger = logging.getLogger("projectops_mcp.http")  # the log name operators filter on for upstream traffic
MAX_URL_CHARS = 8000  # beyond this most servers answer 414; we refuse before sending

WRAPPER_KEYS = ("data", "item", "result", "record", "Data", "Item", "Result")


def has_id(record: Mapping[str, Any]) -> bool:
    """Whether a record carries an id: `id`, or any `...Id`/`...ID` key, with a value."""
    return any(
        value not in (None, "", 0, "0") and (str(key).lower() == "id" or str(key).lower().endswith("id"))
        for key, value in record.items()
    )


def unwrap_record(data: Any, keys: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The record in an answer, or None: through the named wrapper keys, generic wrappers and one-element lists."""
    for _ in range(4):  # a few wrapper levels at most
        if isinstance(data, list):
            data = data[0] if len(data) == 1 else None
            continue
        if not isinstance(data, dict):
            return None
        inner = next((data[k] for k in keys if isinstance(data.get(k), dict | list)), None)
        if inner is None and not has_id(data) and len(data) == 1:
            only = next(iter(data.values()))
            inner = only if isinstance(only, dict) and next(iter(data)) in WRAPPER_KEYS else None
        if inner is None:
            break
        data = inner
    return data if isinstance(data, dict) and has_id(data) else None


# What reading a malformed upstream record raises (a required field missing or of the wrong type).
UNREADABLE = (ValidationError, KeyError, TypeError, ValueError, AttributeError, IndexError)


def unreadable_reason(exc: Exception) -> str:
    """Why a record could not be read, without its values (they may be personal data): field and problem."""
    if isinstance(exc, ValidationError):
        first = exc.errors(include_input=False, include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "record"
        return f"{field}: {first['msg'].lower()}"
    if isinstance(exc, KeyError):
        return f"{exc.args[0] if exc.args else 'a field'} is missing"
    return type(exc).__name__


def unreadable_answer(exc: Exception) -> UpstreamError | None:
    """A handler failed reading a record out of a success answer (a field missing, null or of the wrong type):
    an upstream-contract error naming backend, method, path and field, never an internal error. None when the
    failure cannot have come from an answer (no exchange, or the last one was not a success)."""
    call = current_call.get()
    if not isinstance(exc, UNREADABLE) or call is None or call.last_exchange is None:
        return None
    if not (call.upstream_status and 200 <= call.upstream_status < 300):
        return None
    backend, method, path = call.last_exchange
    logger.warning("%s could not read the answer to %s %s", call.tool, method, path, exc_info=True)
    cause = (
        f"{backend} answered {call.upstream_status} to {method} {path} with a record that could not be read "
        f"({unreadable_reason(exc)})"
    )
    if method == "GET":
        return UpstreamError(
            cause,
            backend=backend,
            status=call.upstream_status,
            method=method,
            path=path,
            then=("The upstream may have changed its format; try again later.",),
        )
    return UpstreamError(
        f"{cause}; the write was probably applied",
        backend=backend,
        status=call.upstream_status,
        method=method,
        path=path,
        outcome_unknown=True,
        then=(NOT_RETRIED,),
    )


def warn(message: str) -> None:
    """A warning for the agent about what this call could not read (shown with the result), and for the log."""
    logger.warning("%s", message)
    call = current_call.get()
    if call is not None:
        call.warnings.append(message)


def json_kind(data: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(data), "number")


def url_too_long(query: list[tuple[str, str]]) -> InputError:
    """A request whose URL would be too long: name the argument whose value made it so."""
    key, value = max(query, key=lambda pair: len(pair[1]), default=("", ""))
    call = current_call.get()
    arguments = getattr(call, "arguments", None) or {}
    field = next(
        (
            name
            for name, given in arguments.items()
            if isinstance(given, str) and given.strip() and given.strip() in value
        ),
        key or "arguments",
    )
    return InputError(
        field,
        f"is too long to send ({len(value):,} characters in the request URL; at most {MAX_URL_CHARS:,}).",
        "Shorten it (a few distinctive words are enough to search by).",
    )


class Repeated(tuple):
    """A query value sent as one pair per item (include=a&include=b) instead of comma-joined."""


def encode_params(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Query parameters as sent: None dropped, booleans as 'true'/'false', lists comma-joined, `Repeated`
    values as repeated pairs."""
    out: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, Repeated):
            out.extend((key, str(v)) for v in value)
        elif isinstance(value, bool):
            out.append((key, "true" if value else "false"))
        elif isinstance(value, list | tuple):
            if value:
                out.append((key, ",".join(str(v) for v in value)))
        else:
            out.append((key, str(value)))
    return out


def parse_body(response: httpx2.Response, text: str) -> Any:
    if not text.strip():
        return None
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type or text.lstrip()[:1] in ("{", "[", '"'):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than any real answer
            return None
    return None


_TAG_RE = re.compile(r"<[^>]+>")


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def extract_message(data: Any, text: str) -> str:
    """Find a human message in the many error dialects: {'Message'}, {'MESSAGE'}, {'errors':[{'detail'}]}, a JSON
    string, {'content': {'errors': [...]}}, plain text or an HTML error page."""
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        for key in ("Message", "message", "MESSAGE", "error", "title", "detail", "error_description"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip() + _model_state(data.get("ModelState") or data.get("modelState"))
        errors = data.get("errors")
        if isinstance(data.get("content"), dict):
            errors = data["content"].get("errors", errors)
        if isinstance(errors, list) and errors:
            parts = []
            for err in errors[:5]:
                if isinstance(err, dict):
                    parts.append(str(err.get("detail") or err.get("title") or err.get("message") or ""))
                else:
                    parts.append(str(err))
            return "; ".join(p for p in parts if p)
        if isinstance(errors, dict):
            return "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:5])
    if data is None and text.strip():
        stripped = _TAG_RE.sub(" ", text)
        return " ".join(stripped.split())[:300]
    return ""


def _model_state(state: Any) -> str:
    """ASP.NET's per-field reasons ({"model.days[0].typeID": ["..."]}) as ' (field: reason; ...)'."""
    if not isinstance(state, dict) or not state:
        return ""
    parts = []
    for field_name, reasons in list(state.items())[:5]:
        reason = reasons[0] if isinstance(reasons, list) and reasons else reasons
        parts.append(f"{str(field_name).removeprefix('model.')}: {reason}")
    return " (" + "; ".join(parts) + ")"


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
