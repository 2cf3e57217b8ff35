"""Logging to stderr (stdout belongs to the stdio protocol), human or JSON, with every known secret scrubbed.

Each record logged during a tool call is stamped with that call's request id, tool and backend (from the
`calls.current_call` context), so one call's lines can be followed across the upstream exchanges it made. Log lines
carry names, statuses and durations, never argument values (which may hold secrets or receipts).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time

from projectops_mcp.calls import current_call
from projectops_mcp.redaction import Redactor

# Structured fields a record may carry (as `extra=`); JSON puts them at the top level, text appends key=value.
FIELDS = (
    "request_id",
    "tool",
    "backend",
    "method",
    "path",
    "status",
    "outcome",
    "attempt",
    "duration_ms",
    "upstream_requests",
)
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class CallContextFilter(logging.Filter):
    """Stamps request_id, tool and backend of the current tool call on every record that lacks them."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = current_call.get()
        if scope is not None:
            for key, value in (("request_id", scope.request_id), ("tool", scope.tool), ("backend", scope.backend)):
                if value and getattr(record, key, None) is None:
                    setattr(record, key, value)
        return True


# Pydantic's validation errors echo (a truncation of) the offending value; a log never needs it.
_INPUT_VALUE = re.compile(r"input_value=.*?(?=, input_type=|\]|$)", re.MULTILINE)


class RedactingFilter(logging.Filter):
    """Scrubs secrets from the final message (args included) of every record, whoever logged it: the server's
    configured secrets, plus the current call's own (credentials that came in request headers)."""

    def __init__(self, redactor: Redactor):
        super().__init__()
        self.redactor = redactor

    def _scrub(self, text: str) -> str:
        text = _INPUT_VALUE.sub("input_value=<omitted>", text)
        text = self.redactor(text)
        scope = current_call.get()
        if scope is not None and scope.redactor is not None:
            text = scope.redactor(text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self._scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic one-line format, with the call's structured fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__(_TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        pairs = [f"{key}={getattr(record, key)}" for key in FIELDS if getattr(record, key, None) is not None]
        if not pairs:
            return line
        head, sep, tail = line.partition("\n")  # keep a traceback below the fields
        return f"{head} [{' '.join(pairs)}]{sep}{tail}"


def configure_logging(level: str, fmt: str, redactor: Redactor) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(CallContextFilter())
    handler.addFilter(RedactingFilter(redactor))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx2", "httpcore", "httpcore2", "uvicorn.access", "mcp.server.lowlevel.server", "sse_starlette"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # The SDK's debug lines print whole JSON-RPC messages, i.e. tool arguments (receipts, pasted secrets) and
    # results: never below INFO, even with --log-level debug.
    logging.getLogger("mcp").setLevel(max(logging.INFO, root.level))
