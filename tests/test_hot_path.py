"""The hot path does only what a call needs: the server's own client is built once, pools open on first use,
spans cost nothing until a tracer provider is installed, and the tools' modules load in the background once a
client has connected (nothing at start-up, nothing on a first call)."""

from __future__ import annotations

import subprocess
import sys

import anyio
from mcp import Client

from projectops_mcp.backends import Backends
from projectops_mcp.server import ProjectOpsServer
from projectops_mcp.toolkit import CatalogueTool
from tests.conftest import LiveSandbox, make_settings

NO_PROVIDER = """
from projectops_mcp.tracing import tool_span, upstream_span, tracing
assert not tracing()
assert tool_span("t", "b", "r") is upstream_span("B", "GET", "/p", 0), "one shared no-op span"
with tool_span("t", "b", "r") as span:
    assert not span.is_recording()
from opentelemetry import trace
trace.set_tracer_provider(trace.NoOpTracerProvider())
assert tracing() and tool_span("t", "b", "r") is not upstream_span("B", "GET", "/p", 0)
print("ok")
"""


def test_spans_are_a_shared_no_op_until_a_provider_is_installed() -> None:
    # A fresh interpreter: the observability tests install a provider in this one.
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", NO_PROVIDER], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr


def _pending(server: ProjectOpsServer) -> list[str]:
    return [t.name for t in server.tools.values() if isinstance(t, CatalogueTool) and t._loaded is None]


async def _until_loaded(server: ProjectOpsServer) -> None:
    with anyio.fail_after(60):
        while _pending(server):  # noqa: ASYNC110 - polling the state under test
            await anyio.sleep(0.05)


async def test_tool_modules_load_in_the_background_after_initialize(server: ProjectOpsServer) -> None:
    assert len(_pending(server)) == len(server.tools) > 100, "start-up imports no tool module"
    async with Client(server, mode="legacy") as client:
        await _until_loaded(server)  # no tool was called: the handshake started it
        assert not (await client.call_tool("projectworks_list_roles", {})).is_error


async def test_a_client_without_a_handshake_starts_the_background_load_by_listing(server: ProjectOpsServer) -> None:
    async with Client(server) as client:
        await client.list_tools()
        await _until_loaded(server)


async def test_own_credentials_client_is_built_once_and_header_clients_per_call(sandbox: LiveSandbox) -> None:
    settings = make_settings(
        sandbox, projectops_header_credentials=True, projectops_teamwork_allowed_hosts=["127.0.0.1"]
    )
    async with Backends(settings) as backends:
        assert backends._pools == {}, "no pool is opened before the first call"
        own = backends.teamwork()
        assert backends.teamwork() is own and backends.client_for("teamwork", {}) is own
        assert set(backends._pools) == {"teamwork"}
        headers = {"x-teamwork-site": sandbox.url, "x-teamwork-api-key": "caller-key-12345"}
        caller = backends.client_for("teamwork", headers)
        assert caller is not own and caller.tenant != own.tenant
        assert backends.client_for("teamwork", headers).tenant == caller.tenant  # same account, same limiter
        assert "***" in caller.redactor("caller-key-12345") and "caller-key-12345" not in own.redactor.needles
    assert backends.closed and backends._pools == {}
