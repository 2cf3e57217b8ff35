"""OpenTelemetry spans: one per tool call (`projectops.tool <name>`, inside the SDK's own `tools/call` span) and
one per upstream attempt (`<METHOD> <backend>`).

Only the OpenTelemetry *API* is used (the MCP SDK already depends on it). Until a tracer provider is installed
(an operator who configures an SDK/exporter), both functions hand out one shared non-recording span without
touching the tracer at all: building attributes and entering the API's proxy spans was ~3% of server CPU under
load. Span attributes never carry arguments, query strings or credentials: tool name, backend, method, path,
status, outcome.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from opentelemetry import trace
from opentelemetry.trace import INVALID_SPAN, Span, SpanKind, StatusCode

from projectops_mcp import __version__

__all__ = ["StatusCode", "tool_span", "upstream_span"]

_tracer = trace.get_tracer("projectops_mcp", __version__)
_NO_SPAN: AbstractContextManager[Span] = nullcontext(INVALID_SPAN)


def tracing() -> bool:
    """Whether a tracer provider has been installed (the API's default is a proxy that records nothing)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def tool_span(tool: str, backend: str, request_id: str) -> AbstractContextManager[Span]:
    if not tracing():
        return _NO_SPAN
    return _tracer.start_as_current_span(
        f"projectops.tool {tool}",
        kind=SpanKind.SERVER,
        attributes={"mcp.tool.name": tool, "projectops.backend": backend, "projectops.request_id": request_id},
        record_exception=False,
        set_status_on_exception=False,
    )


def upstream_span(backend: str, method: str, path: str, attempt: int) -> AbstractContextManager[Span]:
    if not tracing():
        return _NO_SPAN
    return _tracer.start_as_current_span(
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
    )
