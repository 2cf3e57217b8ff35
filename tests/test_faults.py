"""Upstream faults scripted at the sandbox: what survives (reads through transient failures), what is never
repeated (a write that may have landed), what is bounded (timeouts, long Retry-After), and the client-side limiter.
Every count is taken at the sandbox, i.e. what really went over the wire."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client

from projectops_mcp import http
from projectops_mcp.accounts import ReferenceCache
from projectops_mcp.sandbox import LoopbackServer
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.sandbox.shapes import NO_RECORD, answer_shapes
from projectops_mcp.server import build_server, registered_tools
from tests.conftest import LiveSandbox, call_err, call_ok, make_settings
from tests.test_shapes import FORBIDDEN, TRANSPORT_SHAPES, made_up

ROLES = "/Users/Roles"  # projectworks_list_roles: one GET
TAGS = "/projects/api/v3/tags.json"  # teamwork_create_tag: one POST
CLIENT = "/Clients/201"  # projectworks_update_client: one PATCH


async def _client(sandbox: LiveSandbox, **overrides: Any) -> AsyncIterator[Client]:
    values = {"projectops_retry_max_wait": 2.0, **overrides}
    async with Client(build_server(make_settings(sandbox, **values))) as c:
        yield c


@pytest.fixture
async def client(sandbox: LiveSandbox) -> AsyncIterator[Client]:
    async for c in _client(sandbox):
        yield c


def _roles_gets(sandbox: LiveSandbox) -> int:
    return len(sandbox.projectworks.find("GET", ROLES))


# -- reads survive transient failures ---------------------------------------------------------------------------

TRANSIENT = {
    "429 without Retry-After": [Fault.rate_limited()] * 3,
    "429 with Retry-After": [Fault.rate_limited(retry_after=0.05)] * 3,
    "502 503 504": [Fault(status=502), Fault(status=503), Fault(status=504)],
    "HTML 502 pages": [Fault.html(502)] * 3,
    "truncated bodies": [Fault(status=200, body={"Id": 1, "Name": "x" * 50}, truncate=True)] * 3,
    "mixed": [Fault(status=503, headers={"Retry-After": "0"}), Fault(truncate=True, status=200), Fault.rate_limited()],
}


@pytest.mark.parametrize("faults", TRANSIENT.values(), ids=TRANSIENT.keys())
async def test_a_read_survives_three_transient_failures(client: Client, sandbox: LiveSandbox, faults) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, *faults)
    out = await call_ok(client, "projectworks_list_roles", {})
    assert out["items"], "the fourth attempt reached the simulator and returned its roles"
    assert _roles_gets(sandbox) == 4


async def test_a_fourth_transient_failure_is_reported_cleanly(client: Client, sandbox: LiveSandbox) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, *[Fault.html(503)] * 4)
    text = await call_err(client, "projectworks_list_roles", {})
    assert "HTTP 503" in text and "after 4 attempts" in text and "<html" not in text
    assert _roles_gets(sandbox) == 4


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_read_survives_connect_errors_until_the_upstream_comes_up(sandbox: LiveSandbox) -> None:
    """Two refused connections (nothing listening), then the sandbox starts on that port and the call succeeds."""
    port = _closed_port()
    refused: list[http.ExchangeRecord] = []
    servers: list[LoopbackServer] = []

    def start_on_second_refusal(record: http.ExchangeRecord) -> None:
        if record.outcome == "transport_error":
            refused.append(record)
            if len(refused) == 2:
                servers.append(LoopbackServer(sandbox.sandbox.app, port=port).__enter__())

    http.add_upstream_observer(start_on_second_refusal)
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        async for c in _client(sandbox, projectworks_base_url=url, projectops_retry_base_delay=0.05):
            out = await call_ok(c, "projectworks_list_roles", {})
        assert out["items"] and len(refused) == 2 and _roles_gets(sandbox) == 1
    finally:
        http.remove_upstream_observer(start_on_second_refusal)
        for server in servers:
            server.__exit__(None, None, None)


async def test_an_unreachable_upstream_says_nothing_was_sent(sandbox: LiveSandbox) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async for c in _client(sandbox, teamwork_site_url=url):
        started = time.monotonic()
        text = await call_err(c, "teamwork_create_tag", {"name": "unreachable"})
    assert "could not be reached" in text and "Nothing was sent" in text and "after 4 attempts" in text
    assert time.monotonic() - started < 3


# -- writes that may have landed are never repeated -------------------------------------------------------------

LANDED = {
    "500 after the write": Fault(status=500, body={"errors": [{"detail": "boom"}]}, after=True),
    "502 after the write": Fault(status=502, after=True),
    "503 after the write": Fault(status=503, headers={"Retry-After": "0"}, after=True),
    "504 HTML after the write": Fault.html(504, after=True),
    "dropped mid-answer": Fault(status=201, body={"tag": {"id": 1}}, truncate=True, after=True),
    "HTML 200 after the write": Fault(status=200, body="<html>welcome</html>", content_type="text/html", after=True),
}


@pytest.mark.parametrize("fault", LANDED.values(), ids=LANDED.keys())
async def test_a_post_that_may_have_landed_is_sent_once(client: Client, sandbox: LiveSandbox, fault: Fault) -> None:
    sandbox.teamwork.faults.add("POST", TAGS, fault, fault, fault)
    text = await call_err(client, "teamwork_create_tag", {"name": "Landed once"})
    assert len(sandbox.teamwork.writes) == 1
    assert "unknown" in text.lower() or "may or may not" in text
    assert "teamwork_list_tags" in text, "the agent is told which tool checks the outcome"
    listed = await call_ok(client, "teamwork_list_tags", {})
    assert [t["name"] for t in listed["items"]].count("Landed once") == 1, "the write did land, exactly once"


@pytest.mark.parametrize("fault", list(LANDED.values())[:4], ids=list(LANDED)[:4])
async def test_a_patch_that_may_have_landed_is_sent_once(client: Client, sandbox: LiveSandbox, fault: Fault) -> None:
    sandbox.projectworks.faults.add("PATCH", CLIENT, fault, fault, fault)
    text = await call_err(client, "projectworks_update_client", {"client_id": 201, "finance_phone": "+64 4 111"})
    patches = [r for r in sandbox.projectworks.writes if r.path == CLIENT]
    assert [r.method for r in patches] == ["PATCH"]
    assert "NOT retried" in text and "projectworks_get_client" in text


async def test_a_post_that_times_out_is_not_repeated(sandbox: LiveSandbox) -> None:
    sandbox.teamwork.faults.add("POST", TAGS, Fault(delay=3, after=True))
    async for c in _client(sandbox, projectops_http_timeout=0.5):
        started = time.monotonic()
        text = await call_err(c, "teamwork_create_tag", {"name": "Slow"})
    assert time.monotonic() - started < 2
    assert len(sandbox.teamwork.writes) == 1
    assert "did not answer within 0.5s" in text and "outcome is unknown" in text and "teamwork_list_tags" in text


async def test_a_rate_limited_post_is_not_repeated_and_says_it_was_not_applied(
    client: Client, sandbox: LiveSandbox
) -> None:
    sandbox.teamwork.faults.add("POST", TAGS, Fault.rate_limited(retry_after=0))
    text = await call_err(client, "teamwork_create_tag", {"name": "Refused"})
    assert len(sandbox.teamwork.writes) == 1 and "not applied" in text


# -- bounded waits ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [Fault(delay=3), Fault(status=200, body={"x": "y" * 20}, hang=3)],
    ids=["no answer", "stalls mid-body"],
)
async def test_a_timeout_is_reported_within_the_configured_time(sandbox: LiveSandbox, fault: Fault) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, fault)
    async for c in _client(sandbox, projectops_http_timeout=0.5):
        started = time.monotonic()
        text = await call_err(c, "projectworks_list_roles", {})
        elapsed = time.monotonic() - started
    assert elapsed < 1.5, f"took {elapsed:.2f}s for a 0.5s timeout"
    assert "did not answer within 0.5s" in text and _roles_gets(sandbox) == 1


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (Fault.rate_limited(retry_after=120), "Wait about 120 seconds"),
        (Fault(status=503, headers={"Retry-After": "120"}), "Try again in about 120 seconds"),
    ],
    ids=["429", "503"],
)
async def test_a_retry_after_beyond_the_cap_is_not_slept_through(
    client: Client, sandbox: LiveSandbox, fault: Fault, says: str
) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, fault)
    started = time.monotonic()
    text = await call_err(client, "projectworks_list_roles", {})
    assert time.monotonic() - started < 1
    assert says in text and _roles_gets(sandbox) == 1


# -- unreadable bodies become clean messages ----------------------------------------------------------------------

UNREADABLE = {
    "HTML error page": (Fault.html(404), ["HTTP 404", "nginx"], ["<html", "<h1"]),
    "HTML 200 (a proxy page)": (
        Fault(status=200, body="<html><body>Sign in</body></html>", content_type="text/html"),
        ["not JSON", "text/html", "check the configured URL"],
        ["<html"],
    ),
    "non-JSON 200": (Fault(status=200, body="OK then", content_type="text/plain"), ["not JSON"], []),
    "invalid JSON 200": (Fault(status=200, body='{"Id": 1,', content_type="application/json"), ["not JSON"], []),
    "empty 500": (Fault(status=500, body=b""), ["HTTP 500"], []),
    "plain-text 400": (
        Fault(status=400, body="RoleID is invalid", content_type="text/plain"),
        ["RoleID is invalid"],
        [],
    ),
}


@pytest.mark.parametrize(("fault", "present", "absent"), UNREADABLE.values(), ids=UNREADABLE.keys())
async def test_unreadable_answers_become_clean_messages(
    client: Client, sandbox: LiveSandbox, fault: Fault, present: list[str], absent: list[str]
) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, fault)
    text = await call_err(client, "projectworks_list_roles", {})
    assert "Internal error" not in text
    for fragment in present:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


async def test_an_empty_200_is_an_empty_list_not_a_crash(client: Client, sandbox: LiveSandbox) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, Fault(status=200, body=b""))
    out = await call_ok(client, "projectworks_list_roles", {})
    assert out["items"] == [] and out["has_more"] is False


# -- the client-side limiter --------------------------------------------------------------------------------------


async def _burst(c: Client, n: int) -> None:
    async with anyio.create_task_group() as tg:
        for _ in range(n):
            tg.start_soon(call_ok, c, "projectworks_list_roles", {})


async def test_a_burst_is_spread_to_the_configured_rate(sandbox: LiveSandbox) -> None:
    rps, burst, n = 20.0, 2, 20
    async for c in _client(sandbox, projectops_projectworks_rps=rps, projectops_rate_burst=burst):
        await _burst(c, n)
    times = sorted(r.at for r in sandbox.projectworks.find("GET", ROLES))
    assert len(times) == n
    for i in range(n):
        for j in range(i + 1, n):
            in_window = j - i + 1
            assert in_window <= burst + rps * (times[j] - times[i]) + 1, (
                f"{in_window} requests in {times[j] - times[i]:.3f}s"
            )
    assert times[-1] - times[0] >= (n - burst) / rps * 0.9


async def test_concurrency_is_capped_per_account(sandbox: LiveSandbox) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, *[Fault(delay=0.2)] * 6)
    async for c in _client(sandbox, projectops_max_concurrency=2):
        await _burst(c, 6)
    times = sorted(r.at for r in sandbox.projectworks.find("GET", ROLES))
    for i in range(len(times) - 2):
        assert times[i + 2] - times[i] >= 0.15, "a third request started while two were still in flight"


# -- the reference cache: concurrent cold loads are coalesced ---------------------------------------------------


async def _placeholders(c: Client, n: int) -> list[tuple[bool, str]]:
    """n placeholder updates at once: each checks its role against the account's cached roles table first."""
    results: list[tuple[bool, str]] = []

    async def one(hours: int) -> None:
        args = {"task_id": 502, "role_id": 10, "hours": hours}
        result = await c.call_tool("projectworks_update_task_placeholder", args)
        results.append((result.is_error, result.content[0].text if result.content else ""))

    async with anyio.create_task_group() as tg:
        for i in range(n):
            tg.start_soon(one, 10 + i)
    return results


async def test_concurrent_cold_reference_loads_make_one_upstream_request(client: Client, sandbox: LiveSandbox) -> None:
    """Found by attack: N calls arriving on a cold cache each fetched the roles table."""
    sandbox.projectworks.faults.add("GET", ROLES, Fault(delay=0.3))  # the first load is slow: the rest arrive meanwhile
    results = await _placeholders(client, 8)
    assert [error for error, _ in results] == [False] * 8, results
    assert _roles_gets(sandbox) == 1
    assert len(sandbox.projectworks.find("PUT")) + len(sandbox.projectworks.find("POST")) == 8


async def test_a_failed_coalesced_load_fails_its_waiters_once_and_the_next_call_loads_again(
    sandbox: LiveSandbox,
) -> None:
    sandbox.projectworks.faults.add("GET", ROLES, Fault(status=503, delay=0.3))
    async for c in _client(sandbox, projectops_max_retries=0):
        results = await _placeholders(c, 6)
        assert all(error and "503" in text and "/Users/Roles" in text for error, text in results), results
        assert _roles_gets(sandbox) == 1
        assert sandbox.projectworks.writes == [], "no write was sent without its prerequisite check"
        await call_ok(c, "projectworks_update_task_placeholder", {"task_id": 502, "role_id": 10, "hours": 5})
    assert _roles_gets(sandbox) == 2, "a failure is not cached"


async def test_a_cancelled_load_hands_over_to_a_waiter_and_an_invalidated_one_is_not_kept() -> None:
    cache, loads, got = ReferenceCache(ttl=60), [], []

    async def load() -> list[int]:
        loads.append(1)
        await anyio.sleep(0.1)
        return [len(loads)]

    async def leader() -> None:
        await cache.get_or_load("roles", load)

    async def waiter() -> None:
        got.append(await cache.get_or_load("roles", load))

    async with anyio.create_task_group() as tg:
        async with anyio.create_task_group() as leading:
            leading.start_soon(leader)
            await anyio.sleep(0.02)
            tg.start_soon(waiter)
            await anyio.sleep(0.02)
            leading.cancel_scope.cancel()  # the caller whose load the waiter joined goes away
    assert got == [[2]] and len(loads) == 2, "the waiter loaded for itself, it was not left waiting"
    assert await cache.get_or_load("roles", load) == [2] and len(loads) == 2, "and its value was kept"

    async with anyio.create_task_group() as tg:
        cache.invalidate()
        tg.start_soon(waiter)
        await anyio.sleep(0.02)
        cache.invalidate("roles")  # e.g. a write changed the roles while they were being read
    assert got[-1] == [3] and await cache.get_or_load("roles", load) == [4], "the value read before it was not kept"


# -- hostile answer shapes after a retry, and on the write after its prerequisite reads -----------------------------

SHAPES = answer_shapes(oversized=2 * 256 * 1024)


@pytest.fixture
async def capped(sandbox: LiveSandbox) -> AsyncIterator[Client]:
    async for c in _client(sandbox, projectops_max_response_bytes=256 * 1024, projectops_duplicate_window=0):
        yield c


@pytest.mark.parametrize("shape", SHAPES)
async def test_a_retried_read_meets_every_answer_shape_cleanly(
    capped: Client, sandbox: LiveSandbox, shape: str
) -> None:
    """The answer after a 503 is the hostile one: the retry path reads it as the first attempt would."""
    sandbox.projectworks.faults.add("GET", ROLES, Fault(status=503, headers={"Retry-After": "0"}), SHAPES[shape])
    result = await capped.call_tool("projectworks_list_roles", {})
    text = result.content[0].text
    assert not any(bad in text for bad in FORBIDDEN), text
    assert _roles_gets(sandbox) == 2
    if shape in NO_RECORD:
        assert result.is_error or result.structured_content["items"] == [], text


@pytest.mark.parametrize("shape", SHAPES)
async def test_a_write_whose_own_answer_is_hostile_after_its_checks_passed(
    capped: Client, sandbox: LiveSandbox, shape: str
) -> None:
    """The prerequisite reads (task, roles) answer normally; only the write's answer is shaped. Without a record
    in the answer the write echoes what was sent (this PUT's answer shape is undocumented), never an invented id."""
    tool = next(t for t in registered_tools() if t.name == "projectworks_update_task_placeholder")
    args = {"task_id": 502, "role_id": 10, "hours": 8}
    sandbox.projectworks.faults.add("PUT", r"/Tasks/502/Placeholders", SHAPES[shape])
    result = await capped.call_tool(tool.name, args)
    text = result.content[0].text
    assert not any(bad in text for bad in FORBIDDEN), text
    assert len(sandbox.projectworks.find("PUT")) == 1, "a write that may have landed is not re-sent"
    if shape in TRANSPORT_SHAPES:
        assert result.is_error and ("unknown" in text or "probably applied" in text), text
    elif not result.is_error:
        assert not made_up(tool, shape, args, result.structured_content or {}), text
