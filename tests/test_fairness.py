"""Per-tenant fairness in the upstream pool (issue 12): a tenant whose calls hang on a slow host must not delay
another tenant's call. Found by attack: a tenant's 24 calls to a slow host took another tenant's call from 0.05 s to
8.7 s, because every account shared one pool of 20 connections. Real streamable-HTTP server, header credentials,
two loopback upstreams: one that holds every request until the test lets go, and the simulators."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from mcp import Client

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, make_settings
from tests.test_tenancy import HTTP_TOKEN, connect

A_KEYS = 4  # tenant A's agents use several API keys (accounts), each under its own concurrency cap
A_CALLS_PER_KEY = 6
A_CALLS = A_KEYS * A_CALLS_PER_KEY


class HeldUpstream:
    """A Teamwork site that answers nothing until `release()`: counts the requests it is holding."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.holding = 0
        self._lock = threading.Lock()

    async def app(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        with self._lock:
            self.holding += 1
        try:
            while not self.released.is_set():  # noqa: ASYNC110 - set from the test's thread
                await anyio.sleep(0.01)
        finally:
            with self._lock:
                self.holding -= 1
        body = json.dumps({"person": {"id": 7, "firstName": "Slow", "lastName": "Host"}}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def held() -> Iterator[tuple[HeldUpstream, str]]:
    upstream = HeldUpstream()
    with LoopbackServer(upstream.app) as server:
        yield upstream, server.url
        upstream.release()


def tenant_headers(site: str, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {HTTP_TOKEN}", "X-Teamwork-Site": site, "X-Teamwork-Api-Key": key}


async def test_a_tenant_stuck_on_a_slow_host_does_not_delay_another_tenant(
    sandbox: LiveSandbox, held: tuple[HeldUpstream, str]
) -> None:
    upstream, slow_site = held
    settings = make_settings(
        sandbox,
        projectops_header_credentials=True,
        projectops_http_token=HTTP_TOKEN,
        projectops_teamwork_allowed_hosts=["127.0.0.1"],
        projectops_http_timeout=60.0,  # tenant A's calls wait on the held host, not on a deadline
    )
    app = build_http_app(build_server(settings), transport="http")
    a_results: list[bool] = []
    with LoopbackServer(app, lifespan="on") as server:
        url = server.url + "/mcp"

        async def tenant_a_agent(key: str) -> None:
            async with connect(url, tenant_headers(slow_site, key)) as client:
                async with anyio.create_task_group() as tg:
                    for _ in range(A_CALLS_PER_KEY):
                        tg.start_soon(a_call, client)

        async def a_call(client: Client) -> None:
            result = await client.call_tool("teamwork_get_me", {})
            a_results.append(result.is_error)

        async with anyio.create_task_group() as tg:
            for k in range(A_KEYS):
                tg.start_soon(tenant_a_agent, f"tenant-a-key-{k}-0000")
            with anyio.move_on_after(20):
                while upstream.holding < A_CALLS:  # noqa: ASYNC110 - counted in the upstream's thread
                    await anyio.sleep(0.02)
            assert upstream.holding == A_CALLS, (
                f"only {upstream.holding} of tenant A's {A_CALLS} calls reached its host: the pool ran out"
            )

            with anyio.fail_after(20):  # generous: tenant A's calls answer only after this one is done
                async with connect(url, tenant_headers(sandbox.url, "tenant-b-key-1111")) as client:
                    b = await client.call_tool("teamwork_get_me", {})
            assert not b.is_error, b.content[0].text
            assert upstream.holding == A_CALLS and a_results == [], "tenant B finished while A's calls were held"
            upstream.release()

    assert a_results == [False] * A_CALLS
    (request,) = sandbox.teamwork.requests
    assert request.path.endswith("/me.json")
