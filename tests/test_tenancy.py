"""Multi-tenant HTTP deployment: a real streamable-HTTP server (uvicorn on 127.0.0.1) with per-request credential
headers. Two tenants' calls run concurrently and interleaved; every upstream request is checked at the sandbox to
carry its own tenant's credentials (tenant A pages 1-9, tenant B pages 101-109, so each request says whose it is)."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app, check_bind
from tests.conftest import PW_KEY, TW_API_KEY, LiveSandbox, make_settings

HTTP_TOKEN = "tenancy-http-token-7f3a9c"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Tenant:
    def __init__(self, name: str, site: str, pages: range, *, tw_key: str = "", tw_bearer: str = ""):
        self.name = name
        self.pages = pages
        self.pw_key, self.pw_secret = f"{name}-pw-key-5150", f"{name}-pw-secret-8642"
        self.headers = {
            "Authorization": f"Bearer {HTTP_TOKEN}",
            "X-Teamwork-Site": site,
            "X-Projectworks-Key": self.pw_key,
            "X-Projectworks-Secret": self.pw_secret,
        }
        if tw_bearer:
            self.headers["X-Teamwork-Bearer-Token"] = tw_bearer
            self.tw_auth = f"Bearer {tw_bearer}"
        else:
            self.headers["X-Teamwork-Api-Key"] = tw_key
            self.tw_auth = basic(tw_key, "X")
        self.pw_auth = basic(self.pw_key, self.pw_secret)


@pytest.fixture
def mcp_url(sandbox: LiveSandbox) -> Iterator[str]:
    settings = make_settings(
        sandbox,
        projectops_header_credentials=True,
        projectops_http_token=HTTP_TOKEN,
        projectops_teamwork_allowed_hosts=["127.0.0.1"],
        projectops_projectworks_allowed_hosts=["127.0.0.1"],
    )
    app = build_http_app(build_server(settings), transport="http")
    with LoopbackServer(app, lifespan="on") as server:
        yield server.url + "/mcp"


def connect(url: str, headers: dict[str, str]) -> Client:
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers, timeout=30)))


async def test_two_tenants_interleaved_each_upstream_request_carries_its_own_credentials(
    sandbox: LiveSandbox, mcp_url: str
) -> None:
    a = Tenant("tenant-a", sandbox.url, range(1, 10), tw_key="tenant-a-tw-key-1111")
    b = Tenant("tenant-b", sandbox.url, range(101, 110), tw_bearer="tenant-b-tw-bearer-2222")
    errors: list[str] = []

    async def work(tenant: Tenant) -> None:
        async with connect(mcp_url, tenant.headers) as client:
            for page in tenant.pages:
                for tool in ("teamwork_list_tags", "projectworks_list_users"):
                    result = await client.call_tool(tool, {"page": page, "page_size": 1})
                    if result.is_error:
                        errors.append(f"{tenant.name} {tool}: {result.content[0].text}")
                await anyio.lowlevel.checkpoint()

    async with anyio.create_task_group() as tg:
        tg.start_soon(work, a)
        tg.start_soon(work, b)
    assert not errors

    for sim, auth_of in ((sandbox.teamwork, "tw_auth"), (sandbox.projectworks, "pw_auth")):
        requests = sim.requests
        assert len(requests) == len(a.pages) + len(b.pages)
        for request in requests:
            owner = a if int(request.params["page"]) in a.pages else b
            assert request.headers["authorization"] == getattr(owner, auth_of), (request.path, request.query)
            assert HTTP_TOKEN not in str(request.headers), "the MCP bearer token is never forwarded upstream"
    everything = str([(r.path, r.query, r.headers) for r in sandbox.teamwork.requests + sandbox.projectworks.requests])
    for server_secret in (TW_API_KEY, PW_KEY):
        assert server_secret not in everything, "tenants' calls never use the server's own credentials"
    for secret in (a.pw_key, a.pw_secret, "tenant-a-tw-key-1111", "tenant-b-tw-bearer-2222"):
        assert all(
            secret not in f"{r.path}?{r.query}" for r in sandbox.teamwork.requests + sandbox.projectworks.requests
        )


async def test_a_caller_without_credential_headers_gets_the_server_account(sandbox: LiveSandbox, mcp_url: str) -> None:
    async with connect(mcp_url, {"Authorization": f"Bearer {HTTP_TOKEN}"}) as client:
        result = await client.call_tool("teamwork_list_tags", {})
    assert not result.is_error
    (request,) = sandbox.teamwork.requests
    assert request.headers["authorization"] == basic(TW_API_KEY, "X")


@pytest.mark.parametrize(
    "site",
    [
        "https://evil.example.com",
        "https://acme.teamwork.com.evil.net",
        "http://acme.teamwork.com",  # https only on the built-in hosts
        "https://user:pass@acme.teamwork.com",
        "https://169.254.169.254",
    ],
)
async def test_a_site_outside_the_allow_list_is_refused_before_anything_is_sent(
    sandbox: LiveSandbox, mcp_url: str, site: str
) -> None:
    headers = {"Authorization": f"Bearer {HTTP_TOKEN}", "X-Teamwork-Site": site, "X-Teamwork-Api-Key": "k-1234"}
    async with connect(mcp_url, headers) as client:
        result = await client.call_tool("teamwork_list_tags", {})
    assert result.is_error and "X-Teamwork-Site" in result.content[0].text
    assert "k-1234" not in result.content[0].text
    assert sandbox.teamwork.requests == []


async def test_half_a_credential_pair_is_refused(sandbox: LiveSandbox, mcp_url: str) -> None:
    headers = {"Authorization": f"Bearer {HTTP_TOKEN}", "X-Projectworks-Key": "only-the-key"}
    async with connect(mcp_url, headers) as client:
        result = await client.call_tool("projectworks_list_users", {})
    assert result.is_error and "X-Projectworks-Secret" in result.content[0].text
    assert sandbox.projectworks.requests == []


def serve_mcp(sandbox: LiveSandbox, **overrides: Any) -> LoopbackServer:
    settings = make_settings(sandbox, projectops_http_token=HTTP_TOKEN, **overrides)
    return LoopbackServer(build_http_app(build_server(settings), transport="http"), lifespan="on")


@pytest.mark.parametrize(
    ("tool", "header"),
    [
        ("teamwork_list_tags", "X-Teamwork-Api-Key"),
        ("teamwork_list_tags", "X-Teamwork-Bearer-Token"),
        ("teamwork_list_tags", "X-Teamwork-Site"),
        ("projectworks_list_users", "X-Projectworks-Key"),
        ("projectworks_list_users", "X-Projectworks-Base-Url"),
        ("projectworks_list_users", "X-Teamwork-Api-Key"),  # any backend's header: the caller meant its own data
    ],
)
async def test_credential_headers_are_refused_not_ignored_when_header_credentials_are_off(
    sandbox: LiveSandbox, tool: str, header: str
) -> None:
    value = "https://127.0.0.1" if header.endswith(("Site", "Url")) else "caller-secret-9431"
    with serve_mcp(sandbox) as server:
        async with connect(server.url + "/mcp", {"Authorization": f"Bearer {HTTP_TOKEN}", header: value}) as client:
            result = await client.call_tool(tool, {})
    text = result.content[0].text
    assert result.is_error and header in text and "PROJECTOPS_HEADER_CREDENTIALS" in text, text
    assert value not in text
    assert sandbox.teamwork.requests == [] and sandbox.projectworks.requests == []


async def test_a_call_without_credential_headers_is_refused_when_they_are_required(sandbox: LiveSandbox) -> None:
    tenant = Tenant("tenant-r", sandbox.url, range(1, 2), tw_key="tenant-r-tw-key-3333")
    with serve_mcp(
        sandbox,
        projectops_header_credentials=True,
        projectops_header_credentials_required=True,
        projectops_teamwork_allowed_hosts=["127.0.0.1"],
    ) as server:
        async with connect(server.url + "/mcp", {"Authorization": f"Bearer {HTTP_TOKEN}"}) as client:
            refused_tw = await client.call_tool("teamwork_list_tags", {})
            refused_pw = await client.call_tool("projectworks_list_users", {})
        assert sandbox.teamwork.requests == [] and sandbox.projectworks.requests == []
        async with connect(server.url + "/mcp", tenant.headers) as client:
            served = await client.call_tool("teamwork_list_tags", {})
    for result, header in ((refused_tw, "X-Teamwork-Api-Key"), (refused_pw, "X-Projectworks-Secret")):
        text = result.content[0].text
        assert result.is_error and header in text and "PROJECTOPS_HEADER_CREDENTIALS_REQUIRED" in text, text
    assert not served.is_error, served.content[0].text
    (request,) = sandbox.teamwork.requests
    assert request.headers["authorization"] == tenant.tw_auth


async def test_the_mcp_endpoint_requires_the_http_token(mcp_url: str) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        wrong = await http.post(mcp_url, json={}, headers={"Authorization": "Bearer nope"})
        health = await http.get(mcp_url.removesuffix("/mcp") + "/healthz")
    assert response.status_code == 401 and wrong.status_code == 401 and health.status_code == 200


def test_check_bind_rules() -> None:
    check_bind("127.0.0.1", has_token=False, allow_unauthenticated=False)
    check_bind("::1", has_token=False, allow_unauthenticated=False)
    check_bind("0.0.0.0", has_token=True, allow_unauthenticated=False)
    check_bind("0.0.0.0", has_token=False, allow_unauthenticated=True)
    with pytest.raises(SystemExit, match="PROJECTOPS_HTTP_TOKEN"):
        check_bind("0.0.0.0", has_token=False, allow_unauthenticated=False)


@pytest.mark.parametrize("token", [None, ""], ids=["no token", "empty token"])
def test_a_non_loopback_bind_without_a_token_refuses_to_start(token: str | None) -> None:
    env: dict[str, Any] = {k: v for k, v in os.environ.items() if not k.startswith("PROJECTOPS_")}
    if token is not None:
        env["PROJECTOPS_HTTP_TOKEN"] = token
    exe = Path(sys.executable).with_name("projectops-mcp")
    done = subprocess.run(  # noqa: S603 - our own console script
        [str(exe), "serve", "--sandbox", "--transport", "http", "--host", "0.0.0.0", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "Refusing to listen on 0.0.0.0" in done.stderr
