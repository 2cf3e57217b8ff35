"""One tool call, as every layer sees it: the bottom of the house (imports only `redaction`, and `config` for a
type).

`ProjectOpsServer.call_tool` makes one `Call` per tools/call and parks it in `current_call` for the duration;
the handler receives the same object (as `toolkit.ToolContext`), `http.BackendClient` counts its upstream
exchanges on it and sends retry/rate-limit events through it, the log filters stamp its ids on every record, and
call observers (metrics) get it when it ends.
"""

from __future__ import annotations

import contextvars
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from projectops_mcp.redaction import Redactor

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context

    from projectops_mcp.config import Settings

logger = logging.getLogger("projectops_mcp.calls")

BackendName = Literal["teamwork", "projectworks"]
# ok | invalid_input | prerequisite | upstream | config | unknown_tool | disabled | internal | cancelled (the client
# abandoned the call)
Outcome = str
LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")


@dataclass(eq=False)
class Call:
    """Everything about one tool call: ids, tool, backend, tenant, where its events go, which secrets to scrub,
    how many upstream requests it may make and made. Handlers use `progress`, `log`, `settings` and `headers`."""

    request_id: str
    tool: str  # the tool's name, or "(unknown)"
    backend: str = ""
    tenant: str = ""  # the account's fingerprint (an HMAC, never a secret), once the client is built
    redactor: Redactor = field(default_factory=Redactor)
    mcp_context: Context[Any, Any] | None = None  # the SDK's request context, None outside a request; the event sink
    settings: Settings | None = None  # the server's settings (receipts dir, limits)
    min_log_level: str = "info"  # what the connection asked for with logging/setLevel
    max_upstream_requests: int | None = None  # the request budget; None = unbounded
    request_hook: Any = None  # http.RequestHook: writes.gate's previews, journal and duplicate guard (write tools)
    arguments: dict[str, Any] = field(default_factory=dict)  # as sent, to name the one an upstream limit trips on
    warnings: list[str] = field(default_factory=list)  # what could not be read (wire.warn), shown with the result
    upstream_requests: int = 0
    upstream_status: int | None = None  # of the last exchange
    last_exchange: tuple[str, str, str] | None = None  # (backend, method, path) of the last exchange
    outcome: Outcome = "cancelled"  # unless the call gets to finish
    started: float = field(default_factory=time.monotonic)
    duration: float = 0.0

    @property
    def headers(self) -> dict[str, str]:
        """The HTTP request headers of this call, lower-cased names (empty over stdio)."""
        if self.mcp_context is None:
            return {}
        try:
            raw = self.mcp_context.headers
        except (ValueError, AttributeError):
            return {}
        return {k.lower(): v for k, v in (raw or {}).items()}

    async def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        if self.mcp_context is None:
            return
        try:
            await self.mcp_context.report_progress(done, total, message)
        except Exception:  # noqa: BLE001 - progress is best effort
            logger.debug("progress notification failed", exc_info=True)

    async def log(self, level: str, message: str) -> None:
        """A log notification to the client (retries, rate-limit waits, fallbacks); also to the server log."""
        logger.log(logging.WARNING if level in ("warning", "error") else logging.INFO, "%s: %s", self.tool, message)
        if self.mcp_context is None or LEVELS.index(level) < LEVELS.index(self.min_log_level):
            return
        try:
            await self.mcp_context.log(level, message, logger_name="projectops_mcp")
        except Exception:  # noqa: BLE001 - notifications are best effort
            logger.debug("log notification failed", exc_info=True)

    def finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.duration = time.monotonic() - self.started


current_call: contextvars.ContextVar[Call | None] = contextvars.ContextVar("current_call", default=None)


async def emit_event(level: str, message: str) -> None:
    """Tell the current call's client something (a retry, a wait); nothing happens outside a tool call."""
    call = current_call.get()
    if call is not None:
        await call.log(level, message)
