"""Structured logs (request id, tool, backend, upstream status, duration; never argument values), Prometheus
/metrics on the HTTP transport, and OpenTelemetry spans per tool call and per upstream attempt."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from opentelemetry import trace

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, call_ok, captured_log_output, make_settings

NEEDLE = "needle-argument-value-4242"


def logs(fmt: str):
    return captured_log_output("info", fmt)


async def test_json_logs_carry_request_id_tool_backend_status_and_duration(client: Client) -> None:
    with logs("json") as buffer:
        await call_ok(client, "teamwork_list_tags", {"search": NEEDLE})
    entries = [json.loads(line) for line in buffer.getvalue().splitlines()]
    upstream = next(e for e in entries if e["message"].startswith("upstream"))
    summary = next(e for e in entries if e["message"].startswith("tool teamwork_list_tags"))
    assert upstream["request_id"] == summary["request_id"] and len(summary["request_id"]) == 12
    assert upstream["tool"] == summary["tool"] == "teamwork_list_tags"
    assert upstream["backend"] == summary["backend"] == "teamwork"
    assert upstream["status"] == 200 and upstream["method"] == "GET" and upstream["duration_ms"] >= 0
    assert summary["outcome"] == "ok" and summary["status"] == 200 and summary["upstream_requests"] == 1
    assert NEEDLE not in buffer.getvalue(), "argument values are never logged (nor the query string)"


async def test_text_logs_carry_the_same_fields(client: Client) -> None:
    with logs("text") as buffer:
        await client.call_tool("teamwork_list_tags", {"page": "not a number", "search": NEEDLE})
    text = buffer.getvalue()
    assert "tool=teamwork_list_tags" in text and "outcome=invalid_input" in text and "request_id=" in text
    assert NEEDLE not in text


# -- /metrics -----------------------------------------------------------------------------------------------------


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(\{{(.*)\}})? (\S+)", line)
        if match:
            found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
            if found == labels:
                return float(match.group(3))
    return 0.0


@pytest.fixture
def http_base(sandbox: LiveSandbox) -> Iterator[str]:
    app = build_http_app(build_server(make_settings(sandbox)), transport="http")
    with LoopbackServer(app, lifespan="on") as server:
        yield server.url


async def test_metrics_count_calls_upstream_statuses_retries_and_latency(sandbox: LiveSandbox, http_base: str) -> None:
    async with httpx2.AsyncClient() as http:
        before = (await http.get(http_base + "/metrics")).text
        sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(status=503, headers={"Retry-After": "0"}))
        async with Client(streamable_http_client(http_base + "/mcp")) as client:
            await call_ok(client, "projectworks_list_roles", {})
            await client.call_tool("projectworks_list_roles", {"page": 0})
        response = await http.get(http_base + "/metrics")
    after = response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("projectops_tool_calls_total", tool="projectworks_list_roles", outcome="ok") == 1
    assert delta("projectops_tool_calls_total", tool="projectworks_list_roles", outcome="invalid_input") == 1
    assert delta("projectops_upstream_requests_total", backend="projectworks", status="503") == 1
    assert delta("projectops_upstream_requests_total", backend="projectworks", status="200") == 1
    assert delta("projectops_upstream_retries_total", backend="projectworks") == 1
    assert delta("projectops_tool_call_duration_seconds_count", tool="projectworks_list_roles") == 2
    assert sample(after, "projectops_tool_call_duration_seconds_bucket", tool="projectworks_list_roles", le="+Inf") >= 2
    assert sample(after, "projectops_upstream_request_duration_seconds_count", backend="projectworks") >= 2
    assert "# TYPE projectops_upstream_request_duration_seconds histogram" in after
    assert "projectops_tool_calls_in_flight 0" in after


async def test_unknown_tool_names_do_not_become_metric_labels(client: Client, sandbox: LiveSandbox) -> None:
    from projectops_mcp.metrics import REGISTRY

    await client.call_tool("made_up_tool_name_xyz", {})
    assert "made_up_tool_name_xyz" not in REGISTRY.render()


# -- OpenTelemetry ------------------------------------------------------------------------------------------------


class RecordingSpan(trace.NonRecordingSpan):
    """The least an SDK does: keep the name, attributes and status of each span."""

    def __init__(self, name: str, attributes: dict[str, Any] | None, parent: RecordingSpan | None):
        super().__init__(trace.INVALID_SPAN_CONTEXT)
        self.name, self.attributes, self.parent, self.status = name, dict(attributes or {}), parent, None

    def set_attribute(self, key: str, value: Any) -> None:
        self.attributes[key] = value

    def set_status(self, status: Any, description: str | None = None) -> None:
        self.status = status

    def is_recording(self) -> bool:
        return True


class RecordingTracer(trace.Tracer):
    def __init__(self, spans: list[RecordingSpan]):
        self.spans = spans

    def start_span(self, name: str, context: Any = None, kind: Any = None, attributes: Any = None, **_: Any):
        current = trace.get_current_span()
        span = RecordingSpan(name, attributes, current if isinstance(current, RecordingSpan) else None)
        self.spans.append(span)
        return span

    @contextmanager
    def start_as_current_span(self, name: str, context: Any = None, kind: Any = None, attributes: Any = None, **_: Any):
        span = self.start_span(name, context, kind, attributes)
        with trace.use_span(span, end_on_exit=True):
            yield span


class RecordingProvider(trace.TracerProvider):
    def __init__(self) -> None:
        self.spans: list[RecordingSpan] = []

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        return RecordingTracer(self.spans)


PROVIDER = RecordingProvider()


async def test_a_span_per_tool_call_and_per_upstream_attempt(client: Client, sandbox: LiveSandbox) -> None:
    trace.set_tracer_provider(PROVIDER)  # once per process; our tracer is a proxy that picks it up
    assert trace.get_tracer_provider() is PROVIDER, "another test set a tracer provider first"
    PROVIDER.spans.clear()
    sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(status=502))
    await call_ok(client, "projectworks_list_roles", {})
    (call,) = [s for s in PROVIDER.spans if s.name == "projectops.tool projectworks_list_roles"]
    attempts = [s for s in PROVIDER.spans if s.name == "GET Projectworks"]
    assert call.attributes["mcp.tool.name"] == "projectworks_list_roles"
    assert call.attributes["projectops.outcome"] == "ok" and len(call.attributes["projectops.request_id"]) == 12
    assert [a.attributes["http.response.status_code"] for a in attempts] == [502, 200]
    assert [a.attributes["projectops.attempt"] for a in attempts] == [0, 1]
    assert all(a.parent is call and a.attributes["url.path"] == "/Users/Roles" for a in attempts)
    assert attempts[0].status is not None, "the failed attempt is marked as an error"
