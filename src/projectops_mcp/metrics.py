"""Prometheus metrics, hand-written in the text exposition format (version 0.0.4) served at `/metrics`.

Four families of facts, fed by `ProjectOpsServer.call_observers` and `http.add_upstream_observer` (attached
by `transports.build_http_app`, which serves them at /metrics):

    projectops_tool_calls_total{tool,outcome}                    counter
    projectops_tool_call_duration_seconds{tool}                  histogram
    projectops_tool_calls_in_flight                              gauge
    projectops_upstream_requests_total{backend,status}           counter (status: HTTP code, "timeout" or "error")
    projectops_upstream_retries_total{backend}                   counter
    projectops_upstream_request_duration_seconds{backend}        histogram
    projectops_journal_errors_total{operation}                   counter (write journal / duplicate guard skipped)
    projectops_shared_state_fallbacks_total{use}                 counter (Redis unreachable: local fallback used)

A tiny registry instead of prometheus_client: a dozen lines of formatting do not justify a dependency, and label
values are bounded (registered tool names only, never a caller-supplied name; HTTP status codes; two backends).
One registry per process, like the upstream observers that feed it.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from typing import Protocol

from projectops_mcp.calls import Call
from projectops_mcp.http import ExchangeRecord, add_upstream_observer


class CallSource(Protocol):
    """What metrics need of a server (`ProjectOpsServer`), without importing it."""

    call_observers: list[Callable[[Call], None]]
    in_flight: int


BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
Labels = tuple[tuple[str, str], ...]


class _Histogram:
    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)  # the last slot is +Inf
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(BUCKETS, value)] += 1
        self.total += value
        self.n += 1


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tool_calls: defaultdict[Labels, int] = defaultdict(int)
        self.tool_durations: defaultdict[Labels, _Histogram] = defaultdict(_Histogram)
        self.upstream_requests: defaultdict[Labels, int] = defaultdict(int)
        self.upstream_retries: defaultdict[Labels, int] = defaultdict(int)
        self.upstream_durations: defaultdict[Labels, _Histogram] = defaultdict(_Histogram)
        self.journal_errors: defaultdict[Labels, int] = defaultdict(int)
        self.shared_state_fallbacks: defaultdict[Labels, int] = defaultdict(int)
        self._servers: weakref.WeakSet[CallSource] = weakref.WeakSet()

    # -- observers --------------------------------------------------------------------------------------------

    def observe_call(self, record: Call) -> None:
        tool = "(unknown)" if record.outcome == "unknown_tool" else record.tool
        with self._lock:
            self.tool_calls[(("tool", tool), ("outcome", record.outcome))] += 1
            self.tool_durations[(("tool", tool),)].observe(record.duration)

    def observe_upstream(self, record: ExchangeRecord) -> None:
        backend = record.backend.lower()
        if record.status is not None:
            status = str(record.status)
        else:
            status = "timeout" if record.outcome == "timeout" else "error"
        with self._lock:
            self.upstream_requests[(("backend", backend), ("status", status))] += 1
            self.upstream_durations[(("backend", backend),)].observe(record.duration)
            if record.attempt > 0:  # every attempt after the first is a retry, whatever made it necessary
                self.upstream_retries[(("backend", backend),)] += 1

    def count_journal_error(self, operation: str) -> None:
        """A write-journal or guard operation was skipped (locked or full file); the tool call went on."""
        with self._lock:
            self.journal_errors[(("operation", operation),)] += 1

    def observe_shared_state_fallback(self, use: str) -> None:
        """A call used its replica's own limiter or the API because Redis did not answer (`shared_state`)."""
        with self._lock:
            self.shared_state_fallbacks[(("use", use),)] += 1

    def attach(self, server: CallSource) -> None:
        """Feed this registry from a server's tool calls and from every upstream exchange in the process."""
        if self.observe_call not in server.call_observers:
            server.call_observers.append(self.observe_call)
        self._servers.add(server)
        add_upstream_observer(self.observe_upstream)

    # -- exposition -------------------------------------------------------------------------------------------

    def render(self) -> str:
        lines: list[str] = []
        with self._lock:
            _counter(lines, "projectops_tool_calls_total", "MCP tool calls by tool and outcome.", self.tool_calls)
            _histogram(
                lines, "projectops_tool_call_duration_seconds", "Tool call latency in seconds.", self.tool_durations
            )
            in_flight = sum(getattr(s, "in_flight", 0) for s in self._servers)
            lines += [
                "# HELP projectops_tool_calls_in_flight Tool calls being served right now.",
                "# TYPE projectops_tool_calls_in_flight gauge",
                f"projectops_tool_calls_in_flight {in_flight}",
            ]
            _counter(
                lines,
                "projectops_upstream_requests_total",
                "Requests sent to a backend, by backend and HTTP status (or timeout/error).",
                self.upstream_requests,
            )
            _counter(
                lines,
                "projectops_upstream_retries_total",
                "Upstream attempts that were retries (after 429/5xx/connection failures).",
                self.upstream_retries,
            )
            _histogram(
                lines,
                "projectops_upstream_request_duration_seconds",
                "Upstream request latency in seconds, per attempt.",
                self.upstream_durations,
            )
            _counter(
                lines,
                "projectops_journal_errors_total",
                "Write-journal or duplicate-guard operations skipped (locked or full file); the calls went on.",
                self.journal_errors,
            )
            _counter(
                lines,
                "projectops_shared_state_fallbacks_total",
                "Calls that fell back to this replica's own limiter or to the API because Redis did not answer.",
                self.shared_state_fallbacks,
            )
        return "\n".join(lines) + "\n"


def _labels(labels: Labels, extra: tuple[str, str] | None = None) -> str:
    pairs = [*labels, extra] if extra else list(labels)
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _counter(lines: list[str], name: str, help_text: str, values: dict[Labels, int]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
    lines += [f"{name}{_labels(labels)} {value}" for labels, value in sorted(values.items())]


def _histogram(lines: list[str], name: str, help_text: str, values: dict[Labels, _Histogram]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
    for labels, hist in sorted(values.items()):
        cumulative = 0
        for bound, count in zip((*BUCKETS, float("inf")), hist.counts, strict=True):
            cumulative += count
            le = "+Inf" if bound == float("inf") else f"{bound:g}"
            lines.append(f"{name}_bucket{_labels(labels, ('le', le))} {cumulative}")
        lines.append(f"{name}_sum{_labels(labels)} {hist.total:.6f}")
        lines.append(f"{name}_count{_labels(labels)} {hist.n}")


REGISTRY = Metrics()
