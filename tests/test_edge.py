"""Attacks on the HTTP edge (edge.py), each reproduced on loopback with bounded counts and times, and the fix
asserted: Host/Origin checks on every path, the bearer scheme in any case, short tokens, non-ASCII credential
headers, sessions bound to their caller, session caps, request-body limits, slow headers and stalled bodies."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from projectops_mcp.edge import EdgeLimits, max_request_bytes, uvicorn_options
from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, make_settings

pytestmark = pytest.mark.slow

TOKEN = "edge-test-token-0123456789"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


class Edge:
    """A served app plus what tests need to reach it."""

    def __init__(self, server: Any, live: LoopbackServer):
        self.server = server
        self.live = live
        self.url = live.url
        self.port = live.port

    @property
    def sessions(self) -> dict[str, Any]:
        return self.server._lowlevel_server._session_manager._server_instances


@pytest.fixture
def serve(sandbox: LiveSandbox) -> Iterator[Any]:
    opened: list[LoopbackServer] = []

    def start(transport: str = "http", *, edge: bool = False, **overrides: Any) -> Edge:
        settings = make_settings(sandbox, **overrides)
        server = build_server(settings)
        app = build_http_app(server, transport=transport)  # type: ignore[arg-type]
        options = uvicorn_options(EdgeLimits.from_settings(settings)) if edge else {}
        live = LoopbackServer(app, lifespan="on", **options).__enter__()
        opened.append(live)
        return Edge(server, live)

    yield start
    for live in opened:
        live.__exit__(None, None, None)


# -- Host and Origin -------------------------------------------------------------------------------------------------


async def test_host_and_origin_are_checked_on_every_path_case_insensitively_and_with_the_port(serve) -> None:
    edge = serve()
    port = edge.port
    async with httpx2.AsyncClient(base_url=edge.url) as http:
        for path in ("/healthz", "/metrics"):
            rebinding = await http.get(path, headers={"Host": f"evil.example:{port}"})
            assert rebinding.status_code == 421, path
            assert "PROJECTOPS_ALLOWED_HOSTS" in rebinding.json()["error"]["message"]
        assert (await http.get("/healthz", headers={"Host": f"LocalHost:{port}"})).status_code == 200
        assert (await http.get("/healthz", headers={"Host": "localhost"})).status_code == 200
        assert (await http.get("/healthz", headers={"Host": f"localhost:{port + 1}"})).status_code == 421
        other_local_app = {"Origin": f"http://127.0.0.1:{port + 1}"}
        assert (await http.get("/metrics", headers=other_local_app)).status_code == 403
        assert (await http.get("/metrics", headers={"Origin": "null"})).status_code == 403
        assert (await http.get("/metrics", headers={"Origin": f"http://LOCALHOST:{port}"})).status_code == 200


async def test_allowed_hosts_are_case_insensitive_and_port_checked(serve) -> None:
    edge = serve(projectops_allowed_hosts=["MCP.Example.com", "any.example.com:*", "tls.example.com:443"])
    port = edge.port
    async with httpx2.AsyncClient(base_url=edge.url) as http:

        async def status(host: str) -> int:
            return (await http.get("/healthz", headers={"Host": host})).status_code

        assert await status("mcp.example.COM") == 200
        assert await status(f"mcp.example.com:{port}") == 200
        assert await status("mcp.example.com:9999") == 421
        assert await status("any.example.com:9999") == 200
        assert await status("tls.example.com:443") == 200
        assert await status("tls.example.com:8443") == 421
        assert await status(f"127.0.0.1:{port}") == 200, "the socket's own address (an orchestrator's probe)"
        assert await status(f"localhost:{port}") == 421, "only the configured names once hosts are configured"


# -- the bearer token ------------------------------------------------------------------------------------------------


async def test_the_bearer_scheme_is_accepted_in_any_case(serve) -> None:
    edge = serve(projectops_http_token=TOKEN)
    async with httpx2.AsyncClient(base_url=edge.url) as http:
        for scheme in ("bearer", "BEARER", "Bearer"):
            response = await http.get("/metrics", headers={"Authorization": f"{scheme} {TOKEN}"})
            assert response.status_code == 200, scheme
        refused = await http.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
        assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["error"]["message"]


def test_a_short_http_token_is_refused_at_start(sandbox: LiveSandbox) -> None:
    server = build_server(make_settings(sandbox, projectops_http_token="short-token"))
    with pytest.raises(SystemExit, match="too short"):
        build_http_app(server, transport="http")


# -- credential headers and callers ----------------------------------------------------------------------------------


async def test_a_non_ascii_credential_header_is_a_clean_refusal(serve) -> None:
    edge = serve(projectops_header_credentials=True, projectops_teamwork_allowed_hosts=["127.0.0.1"])
    async with httpx2.AsyncClient(base_url=edge.url) as http:
        response = await http.post(
            "/mcp", json=INIT, headers={**MCP_HEADERS, "X-Teamwork-Bearer-Token": "tök€n".encode()}
        )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "X-Teamwork-Bearer-Token" in message and "printable ASCII" in message


def _tenant(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "X-Projectworks-Key": key, "X-Projectworks-Secret": key + "-secret"}


async def test_a_streamable_http_session_is_bound_to_the_caller_that_opened_it(serve) -> None:
    edge = serve(projectops_http_token=TOKEN, projectops_header_credentials=True)
    async with httpx2.AsyncClient(base_url=edge.url) as http:
        opened = await http.post("/mcp", json=INIT, headers={**MCP_HEADERS, **_tenant("tenant-a-key")})
        session = opened.headers["mcp-session-id"]
        ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
        as_b = {**MCP_HEADERS, **_tenant("tenant-b-key"), "mcp-session-id": session}
        assert (await http.post("/mcp", json=ping, headers=as_b)).status_code == 404
        as_a = {**MCP_HEADERS, **_tenant("tenant-a-key"), "mcp-session-id": session}
        assert (await http.post("/mcp", json=ping, headers=as_a)).status_code == 200


async def test_an_sse_session_is_bound_to_the_caller_that_opened_it(serve) -> None:
    edge = serve("sse", projectops_http_token=TOKEN, projectops_header_credentials=True)
    async with httpx2.AsyncClient(base_url=edge.url, timeout=5) as http:
        async with http.stream("GET", "/sse", headers=_tenant("tenant-a-key")) as stream:
            lines = stream.aiter_lines()  # kept open: leaving an `async for` would close the stream
            endpoint = ""
            while not endpoint.startswith("data:"):
                endpoint = await lines.__anext__()
            endpoint = endpoint.removeprefix("data:").strip()
            assert "session_id=" in endpoint
            ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
            as_b = {**_tenant("tenant-b-key"), "Content-Type": "application/json"}
            assert (await http.post(endpoint, json=ping, headers=as_b)).status_code == 404
            as_a = {**_tenant("tenant-a-key"), "Content-Type": "application/json"}
            assert (await http.post(endpoint, json=ping, headers=as_a)).status_code == 202


# -- session caps ----------------------------------------------------------------------------------------------------


async def test_a_flood_of_initialize_posts_does_not_lock_out_new_clients(serve) -> None:
    """The attack was 10,000 initialize POSTs filling the SDK's session table (503 for everyone for 30 minutes);
    300 from one caller show the cap: the flood only ever evicts its own idle sessions."""
    edge = serve(projectops_max_sessions_per_caller=10, projectops_max_sessions=25)
    async with httpx2.AsyncClient(base_url=edge.url, timeout=10) as http:
        statuses = []
        for _ in range(300):
            statuses.append((await http.post("/mcp", json=INIT, headers=MCP_HEADERS)).status_code)
        assert set(statuses) == {200}
        await anyio.sleep(0.2)
        assert len(edge.sessions) <= 10
    async with Client(edge.url + "/mcp", mode="legacy") as client:
        assert (await client.list_tools()).tools
    other = httpx2.AsyncClient(headers={"X-Projectworks-Key": "another-caller"})
    async with other, Client(streamable_http_client(edge.url + "/mcp", http_client=other), mode="legacy") as client:
        assert (await client.list_tools()).tools


async def test_the_session_table_is_capped_across_callers_without_refusing_new_ones(serve) -> None:
    edge = serve(projectops_max_sessions_per_caller=10, projectops_max_sessions=12)
    async with httpx2.AsyncClient(base_url=edge.url, timeout=10) as http:
        for i in range(40):
            headers = {**MCP_HEADERS, "X-Projectworks-Key": f"caller-{i % 4}"}
            assert (await http.post("/mcp", json=INIT, headers=headers)).status_code == 200
        await anyio.sleep(0.2)
        assert len(edge.sessions) <= 12


# -- request bodies --------------------------------------------------------------------------------------------------


def test_the_request_limit_follows_the_receipt_limit(sandbox: LiveSandbox) -> None:
    assert max_request_bytes(make_settings(sandbox)) >= 10 * 2**20 * 4 // 3
    assert max_request_bytes(make_settings(sandbox, projectops_max_receipt_bytes=3 * 2**20)) < 6 * 2**20


async def test_a_receipt_within_the_receipt_limit_goes_through_http(serve, sandbox: LiveSandbox) -> None:
    """3.5 MB of base64 used to hit the SDK's 4 MiB body cap (a bare 413) though receipts may be 10 MiB."""
    edge = serve()
    receipt = base64.b64encode(b"%PDF" + b"\x00" * (3_500_000 * 3 // 4)).decode()
    claim = {
        "user_id": 102,
        "project_id": 301,
        "module_id": 402,
        "expense_claim_type_id": 1,
        "is_reimbursable": True,
        "is_processed": False,
        "date": "2026-11-20",
        "amount": 42.5,
        "currency_id": 1,
        "tax_type_id": 1,
        "receipt_base64": receipt,
        "receipt_filename": "scan.pdf",
    }
    async with Client(edge.url + "/mcp") as client:
        result = await client.call_tool("projectworks_create_expense_claim", claim)
        assert not result.is_error, result.content[0].text[:300]
        too_big = {**claim, "receipt_base64": "A" * (15 * 2**20)}
        with pytest.raises(MCPError) as refused:
            await client.call_tool("projectworks_create_expense_claim", too_big)
    message = str(refused.value)
    assert "Request too large" in message and "PROJECTOPS_MAX_RECEIPT_BYTES" in message
    assert len(sandbox.projectworks.writes) == 1


# -- slow clients (below ASGI) ---------------------------------------------------------------------------------------


def _half_open(port: int, n: int, data: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(data)
        sockets.append(s)
    return sockets


def _closed_by_server(s: socket.socket) -> bool:
    s.settimeout(0.05)
    try:
        return s.recv(4096) == b"" or True  # an answer (408/503) or EOF: the server let go either way
    except TimeoutError:
        return False
    except OSError:
        return True


async def test_half_sent_headers_are_dropped_and_healthz_keeps_answering(serve) -> None:
    edge = serve(edge=True, projectops_header_timeout=1.0, projectops_max_connections=40)
    partial = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{edge.port}\r\nX-Slow: ".encode()
    sockets = _half_open(edge.port, 120, partial)
    try:
        async with httpx2.AsyncClient(base_url=edge.url, timeout=5) as http:
            started = time.monotonic()
            assert (await http.get("/healthz")).status_code == 200
            assert time.monotonic() - started < 1.0
        await anyio.sleep(1.5)
        assert all(_closed_by_server(s) for s in sockets)
    finally:
        for s in sockets:
            s.close()


async def test_stalled_request_bodies_are_answered_408_within_the_body_timeout(serve) -> None:
    edge = serve(edge=True, projectops_body_timeout=1.0)
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{edge.port}\r\nContent-Type: application/json\r\n"
        'Accept: application/json, text/event-stream\r\nContent-Length: 5000\r\n\r\n{"jsonrpc"'
    ).encode()
    sockets = _half_open(edge.port, 20, head)
    try:
        await anyio.sleep(1.5)
        for s in sockets:
            s.settimeout(2)
            assert s.recv(4096).startswith(b"HTTP/1.1 408")
    finally:
        for s in sockets:
            s.close()


async def test_sse_streams_are_capped_per_caller(serve) -> None:
    edge = serve("sse", projectops_max_sessions_per_caller=2)
    async with httpx2.AsyncClient(base_url=edge.url, timeout=5) as http:
        async with http.stream("GET", "/sse"), http.stream("GET", "/sse"):
            third = await http.get("/sse")
            assert third.status_code == 429 and "SSE streams" in third.json()["error"]["message"]
        async with Client(sse_client(edge.url + "/sse")) as client:
            assert (await client.list_tools()).tools
