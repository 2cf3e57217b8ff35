"""OpenTelemetry spans: one per tool call (`projectops.tool <name>`, inside the SDK's own `tools/call` span) and
one per upstream attempt (`<METHOD> <backend>`).

Only the OpenTelemetry *API* is used (the MCP SDK already depends on it): without an SDK configured these are no-op
spans and cost next to nothing; an operator who installs and configures an SDK/exporter sees the traces. Span
attributes never carry arguments, query strings or credentials: tool name, backend, method, path, status, outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode

from projectops_mcp import __version__

__all__ = ["StatusCode", "tool_span", "upstream_span"]

_tracer = trace.get_tracer("projectops_mcp", __version__)


@contextmanager
def tool_span(tool: str, backend: str, request_id: str) -> Iterator[Span]:
    with _tracer.start_as_current_span(
        f"projectops.tool {tool}",
        kind=SpanKind.SERVER,
        attributes={"mcp.tool.name": tool, "projectops.backend": backend, "projectops.request_id": request_id},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        yield span


@contextmanager
def upstream_span(backend: str, method: str, path: str, attempt: int) -> Iterator[Span]:
    with _tracer.start_as_current_span(
        f"{method} {backend}",
        kind=SpanKind.CLIENT,
        attributes={
            "http.request.method": method,
            "url.path": path,
            "projectops.backend": backend.lower(),
            "projectops.attempt": attempt,
        },
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        yield span
