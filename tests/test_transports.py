"""The real transports: a stdio subprocess, streamable HTTP (stateful and stateless) and SSE on 127.0.0.1, each
driven by the SDK's own client through the handshake, tools/list, ping, logging/setLevel and a tool call."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import make_settings, sandbox_env

pytestmark = pytest.mark.slow


async def _exercise(client: Client, *, legacy: bool) -> None:
    listing = await client.list_tools()
    assert any(t.name == "projectworks_list_roles" for t in listing.tools)
    if legacy:
        await client.session.send_ping()
        await client.session.set_logging_level("info")
    result = await client.call_tool("projectworks_list_roles", {"page_size": 2})
    assert not result.is_error, result.content
    assert result.structured_content["items"][0]["role_id"] == 10
    bad = await client.call_tool("projectworks_list_roles", {"page_size": "many"})
    assert bad.is_error and "page_size" in bad.content[0].text


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_stdio_subprocess(sandbox, mode: str) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "projectops_mcp", "serve"], env=sandbox_env(sandbox)
    )
    async with Client(params, mode=mode) as client:
        await _exercise(client, legacy=mode == "legacy")
    assert sandbox.projectworks.find("GET", "/Users/Roles")


@pytest.fixture
def http_server(sandbox, request) -> Iterator[tuple[str, Any]]:
    transport, stateless, token = request.param
    overrides = {"projectops_http_token": token} if token else {}
    server = build_server(make_settings(sandbox, **overrides))
    app = build_http_app(server, transport=transport, stateless=stateless)
    with LoopbackServer(app, lifespan="on") as live:
        yield live.url, token


@pytest.mark.parametrize(
    "http_server", [("http", False, None), ("http", True, None)], indirect=True, ids=["stateful", "stateless"]
)
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_streamable_http(http_server, mode: str) -> None:
    url, _ = http_server
    async with Client(url + "/mcp", mode=mode) as client:
        await _exercise(client, legacy=mode == "legacy")


@pytest.mark.parametrize("http_server", [("sse", False, None)], indirect=True, ids=["sse"])
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_sse(http_server, mode: str) -> None:
    url, _ = http_server
    async with Client(sse_client(url + "/sse"), mode=mode) as client:
        await _exercise(client, legacy=mode == "legacy")


@pytest.mark.parametrize("http_server", [("http", False, "tok-1234567890abcdef")], indirect=True, ids=["token"])
async def test_http_token_is_required_but_healthz_is_open(http_server) -> None:
    url, token = http_server
    async with httpx2.AsyncClient() as http:
        health = await http.get(url + "/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        denied = await http.post(url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert denied.status_code == 401
    authed = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    async with authed, Client(streamable_http_client(url + "/mcp", http_client=authed)) as client:
        await _exercise(client, legacy=False)


@pytest.mark.parametrize("http_server", [("http", False, None)], indirect=True, ids=["dns"])
async def test_dns_rebinding_protection_on_loopback(http_server) -> None:
    url, _ = http_server
    async with httpx2.AsyncClient() as http:
        evil = await http.post(
            url + "/mcp",
            headers={"Host": "evil.example", "Accept": "application/json, text/event-stream"},
            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        )
        assert evil.status_code == 421
