"""No secret leaks: distinctive values for every kind of secret go through successes, upstream 401/500 errors whose
bodies echo the request's credentials, validation failures and refused headers, over a real streamable-HTTP server
with debug logging captured in both formats. None of them (nor their base64/Basic forms) may appear in any log line,
tool result, error text or manifest."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import build_server, registered_tools
from projectops_mcp.transports import build_http_app
from tests.conftest import LiveSandbox, captured_log_output, make_settings

TW_KEY = "TWKEY-s3cr3t-9f8e7d6c"
PW_KEY = "PWKEY-s3cr3t-1a2b3c4d"
PW_SECRET = "PWSECRET-s3cr3t-5e6f7a8b"
HTTP_TOKEN = "HTTPTOKEN-s3cr3t-0c1d2e3f"
HDR_TW_BEARER = "HDRBEARER-s3cr3t-4a5b6c7d"
HDR_PW_KEY = "HDRPWKEY-s3cr3t-8e9f0a1b"
HDR_PW_SECRET = "HDRPWSECRET-s3cr3t-2c3d4e5f"
MANIFESTS = Path(__file__).resolve().parent.parent / "tool_manifests"
SECRETS = [TW_KEY, PW_KEY, PW_SECRET, HTTP_TOKEN, HDR_TW_BEARER, HDR_PW_KEY, HDR_PW_SECRET]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Every form a secret could take on the wire: raw, base64 alone, and inside the Basic header values we send.
BASIC_TOKENS = [b64(f"{TW_KEY}:X"), b64(f"{PW_KEY}:{PW_SECRET}"), b64(f"{HDR_PW_KEY}:{HDR_PW_SECRET}")]
FORBIDDEN = SECRETS + [b64(s).rstrip("=") for s in SECRETS] + BASIC_TOKENS


def echo_body(sandbox: LiveSandbox, authorization: str) -> dict:
    """What a careless upstream sends back: the credentials it was given, in several places."""
    return {
        "Message": f"Invalid credentials: Authorization: {authorization}",
        "request": {"headers": {"Authorization": authorization}, "url": sandbox.url},
        "errors": [{"detail": f"token {authorization.split(' ', 1)[-1]} rejected"}],
    }


def html_echo(authorization: str) -> str:
    """An HTML error page with the header late in the text, where a trim to ~300 characters would cut it."""
    return "<html><body><h1>500</h1>" + "x" * 285 + f" {authorization} </body></html>"


@pytest.fixture(params=["json", "text"])
def captured_logs(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    with captured_log_output("debug", request.param, [TW_KEY, PW_KEY, PW_SECRET, HTTP_TOKEN]) as buffer:
        yield buffer


@pytest.fixture
def mcp_url(sandbox: LiveSandbox) -> Iterator[str]:
    settings = make_settings(
        sandbox,
        teamwork_api_key=TW_KEY,
        projectworks_consumer_key=PW_KEY,
        projectworks_consumer_secret=PW_SECRET,
        projectops_http_token=HTTP_TOKEN,
        projectops_header_credentials=True,
        projectops_teamwork_allowed_hosts=["127.0.0.1"],
        projectops_projectworks_allowed_hosts=["127.0.0.1"],
        projectops_log_level="debug",
    )
    with LoopbackServer(build_http_app(build_server(settings), transport="http"), lifespan="on") as server:
        yield server.url + "/mcp"


async def test_no_secret_reaches_logs_results_errors_or_manifests(
    sandbox: LiveSandbox, mcp_url: str, captured_logs: io.StringIO
) -> None:
    server_auth = {"Authorization": f"Bearer {HTTP_TOKEN}"}
    tenant = {
        **server_auth,
        "X-Teamwork-Site": sandbox.url,
        "X-Teamwork-Bearer-Token": HDR_TW_BEARER,
        "X-Projectworks-Key": HDR_PW_KEY,
        "X-Projectworks-Secret": HDR_PW_SECRET,
    }
    texts: list[str] = []

    async def call(headers: dict[str, str], tool: str, args: dict) -> None:
        http = httpx2.AsyncClient(headers=headers, timeout=30)
        async with Client(streamable_http_client(mcp_url, http_client=http)) as client:
            result = await client.call_tool(tool, args)
        texts.append(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))

    server_tw, server_pw = f"Basic {BASIC_TOKENS[0]}", f"Basic {BASIC_TOKENS[1]}"
    tenant_tw, tenant_pw = f"Bearer {HDR_TW_BEARER}", f"Basic {BASIC_TOKENS[2]}"
    tags, users = "/projects/api/v3/tags.json", "/Users"

    for headers in (server_auth, tenant):  # the server's own account, then a tenant's header credentials
        tw, pw = (server_tw, server_pw) if headers is server_auth else (tenant_tw, tenant_pw)
        await call(headers, "teamwork_list_tags", {})
        await call(headers, "projectworks_list_users", {"page_size": 2})
        sandbox.teamwork.faults.add("GET", tags, Fault(status=401, body=echo_body(sandbox, tw)))
        await call(headers, "teamwork_list_tags", {})
        sandbox.projectworks.faults.add("GET", users, Fault(status=401, body=echo_body(sandbox, pw)))
        await call(headers, "projectworks_list_users", {})
        sandbox.projectworks.faults.add("GET", users, Fault(status=500, body=html_echo(pw), content_type="text/html"))
        await call(headers, "projectworks_list_users", {})
        sandbox.teamwork.faults.add("POST", tags, Fault(status=500, body=echo_body(sandbox, tw), after=True))
        await call(headers, "teamwork_create_tag", {"name": "Echoed"})
        # Validation failures that echo argument values: secrets this caller's server knows, passed as arguments.
        known = (TW_KEY, PW_SECRET) if headers is server_auth else (HDR_TW_BEARER, HDR_PW_SECRET)
        await call(headers, "teamwork_list_tags", {"page": known[0], "zz": known[1]})
        await call(headers, "projectworks_list_users", {"page_size": known[1]})
    # A refused site header, with the tenant's key beside it.
    await call(
        {**server_auth, "X-Teamwork-Site": "https://evil.example", "X-Teamwork-Api-Key": TW_KEY},
        "teamwork_list_tags",
        {},
    )

    logs = captured_logs.getvalue()
    assert "teamwork_list_tags" in logs and "upstream" in logs, "the logs were captured"
    assert any("401" in t for t in texts) and any("Invalid arguments" in t for t in texts)
    generated = json.dumps([t.manifest() for t in registered_tools()], ensure_ascii=False)
    on_disk = "".join(p.read_text(encoding="utf-8") for p in MANIFESTS.glob("*.json"))
    manifests = generated + on_disk
    for where, text in (("logs", logs), ("results and errors", "\n".join(texts)), ("manifests", manifests)):
        for secret in FORBIDDEN:
            assert secret not in text, f"a secret ({secret[:8]}...) leaked into the {where}"


UNKNOWN_BEARER = "zq9UnknownToken7x6w5v4u"


async def test_lowercased_and_unknown_tokens_in_a_403_page_reach_neither_result_nor_log(
    sandbox: LiveSandbox, mcp_url: str, captured_logs: io.StringIO
) -> None:
    """An HTML 403 page echoing the tenant's bearer token lower-cased, and a Bearer token the server never saw."""
    headers = {
        "Authorization": f"Bearer {HTTP_TOKEN}",
        "X-Teamwork-Site": sandbox.url,
        "X-Teamwork-Bearer-Token": HDR_TW_BEARER,
    }
    page = f"<html><body><h1>403</h1> token {HDR_TW_BEARER.lower()} refused; sent Bearer {UNKNOWN_BEARER}</body></html>"
    sandbox.teamwork.faults.add(
        "GET", "/projects/api/v3/tags.json", Fault(status=403, body=page, content_type="text/html")
    )
    http = httpx2.AsyncClient(headers=headers, timeout=30)
    async with Client(streamable_http_client(mcp_url, http_client=http)) as client:
        result = await client.call_tool("teamwork_list_tags", {})
    text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
    logs = captured_logs.getvalue()
    assert result.is_error and "403" in text
    assert "teamwork_list_tags failed" in logs, "the failure was logged"
    for where, seen in (("result", text), ("logs", logs)):
        for leak in (HDR_TW_BEARER.lower(), HDR_TW_BEARER, UNKNOWN_BEARER):
            assert leak not in seen, f"{leak[:8]}... leaked into the {where}"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_truncated_base64_credentials_and_input_values_are_scrubbed_from_logs(fmt: str) -> None:
    """Pydantic shortens a long value in `input_value=`; a base64 fragment of key:secret at any offset is still
    the secret, and the value itself never reaches the log; an unknown Bearer value is scrubbed by its shape."""
    import logging

    encoded = b64(f"{PW_KEY}:{PW_SECRET}")
    prefix, middle, shifted = encoded[:30], encoded[17:41], encoded[25:45]
    with captured_log_output("debug", fmt, [PW_KEY, PW_SECRET]) as buffer:
        log = logging.getLogger("projectops_mcp.test")
        log.info("1 validation error [type=int_parsing, input_value='Basic %s...sXk', input_type=str]", prefix)
        log.info("upstream said: token %s rejected; then %s", middle, shifted)
        log.info("echo: Bearer %s", UNKNOWN_BEARER)
    logs = buffer.getvalue()
    assert logs.count("\n") == 3 and "input_value=<omitted>" in logs
    for fragment in (prefix, middle, shifted, prefix[:12], middle[:12], shifted[:12], UNKNOWN_BEARER):
        assert fragment not in logs, f"{fragment} reached the log"
