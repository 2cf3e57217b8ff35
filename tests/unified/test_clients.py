"""Which credentials a unified call uses: the native tools' rules per backend (backends.client_for("unified")),
over the real HTTP transport with credential headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.server import build_server
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, make_settings
from tests.test_tenancy import HTTP_TOKEN, basic, connect

CALLER_KEY = "caller-own-tw-key-4242"


def serve(sandbox: LiveSandbox, **settings: object) -> Iterator[str]:
    config = make_settings(
        sandbox,
        projectops_http_token=HTTP_TOKEN,
        projectops_teamwork_allowed_hosts=["127.0.0.1"],
        projectops_projectworks_allowed_hosts=["127.0.0.1"],
        **settings,
    )
    with LoopbackServer(build_http_app(build_server(config), transport="http"), lifespan="on") as server:
        yield server.url + "/mcp"


@pytest.fixture
def required_url(sandbox: LiveSandbox) -> Iterator[str]:
    yield from serve(sandbox, projectops_header_credentials=True, projectops_header_credentials_required=True)


@pytest.fixture
def closed_url(sandbox: LiveSandbox) -> Iterator[str]:
    yield from serve(sandbox)


async def test_a_caller_with_only_teamwork_headers_gets_teamwork_with_its_own_key(
    sandbox: LiveSandbox, required_url: str
) -> None:
    headers = {
        "Authorization": f"Bearer {HTTP_TOKEN}",
        "X-Teamwork-Site": sandbox.url,
        "X-Teamwork-Api-Key": CALLER_KEY,
    }
    async with connect(required_url, headers) as client:
        result = await client.call_tool("unified_list_users", {})
        assert not result.is_error, result.content[0].text
        out = result.structured_content
        assert {r["source"] for r in out["result"]} == {"teamwork"}
        assert out["warnings"] == ["Projectworks is not configured on this server: its records are not included."]
        refused = await client.call_tool("unified_list_users", {"source": "projectworks"})
        assert refused.is_error and "Projectworks is not configured" in refused.content[0].text
    assert sandbox.projectworks.requests == []
    assert {r.headers["authorization"] for r in sandbox.teamwork.requests} == {basic(CALLER_KEY, "X")}


async def test_credential_headers_are_refused_when_the_server_does_not_take_them(
    sandbox: LiveSandbox, closed_url: str
) -> None:
    headers = {
        "Authorization": f"Bearer {HTTP_TOKEN}",
        "X-Projectworks-Key": "k-5555",
        "X-Projectworks-Secret": "s-5555",
    }
    async with connect(closed_url, headers) as client:
        result = await client.call_tool("unified_list_users", {})
    assert result.is_error and "does not accept credentials in headers" in result.content[0].text
    assert sandbox.teamwork.requests == [] and sandbox.projectworks.requests == []
