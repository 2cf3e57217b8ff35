"""The HTTP machinery's small parts, on their own: redaction, Retry-After parsing, query encoding, the limiter, the
header-credential host allow-list and account fingerprints."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime
from email.utils import format_datetime

import anyio
import anyio.lowlevel
import pytest

from projectops_mcp.accounts import RateLimiter
from projectops_mcp.backends import MAX_ACCOUNTS, TEAMWORK_HOST_PATTERNS, Backends
from projectops_mcp.config import Settings
from projectops_mcp.errors import ConfigError
from projectops_mcp.redaction import Redactor, basic_auth
from projectops_mcp.wire import encode_params, extract_message, parse_retry_after


def test_redactor_scrubs_raw_base64_and_basic_forms() -> None:
    redact = Redactor(["key-123456", "secret-abcdef"])
    redact.add(basic_auth("key-123456", "secret-abcdef").split(" ", 1)[1])
    encoded = base64.b64encode(b"key-123456").decode()
    text = f"key-123456 {encoded} {basic_auth('key-123456', 'secret-abcdef')} secret-abcdef"
    cleaned = redact(text)
    assert "key-123456" not in cleaned and encoded.rstrip("=") not in cleaned and "secret-abcdef" not in cleaned
    assert cleaned.startswith("*** ***") and "Basic ***" in cleaned  # only base64 padding may remain
    assert Redactor(["abc"])("abc") == "abc", "too short to be a secret; redacting it would shred messages"


def test_an_html_error_is_trimmed_only_after_redaction_elsewhere_but_stays_readable() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    assert extract_message(None, page) == "502 Bad Gateway nginx"
    assert extract_message({"errors": [{"detail": "a"}, {"title": "b"}]}, "") == "a; b"
    assert extract_message("plain", '"plain"') == "plain"


def test_retry_after_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    when = format_datetime(datetime.now(UTC), usegmt=True)
    assert 0 <= parse_retry_after(when) <= 1


def test_query_encoding() -> None:
    assert encode_params({"a": None, "b": True, "c": [1, 2], "d": [], "e": "x y"}) == [
        ("b", "true"),
        ("c", "1,2"),
        ("e", "x y"),
    ]


async def test_limiter_spreads_a_burst() -> None:
    limiter = RateLimiter(rate_per_second=50, max_concurrency=4, burst=5)
    started = time.monotonic()
    for _ in range(15):
        await limiter.acquire()
    assert time.monotonic() - started >= (15 - 5) / 50 * 0.9


async def test_limiter_pause_holds_every_request() -> None:
    limiter = RateLimiter(rate_per_second=1000, max_concurrency=4)
    limiter.pause(0.2)
    started = time.monotonic()
    await limiter.acquire()
    assert time.monotonic() - started >= 0.18


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://acme.teamwork.com", "https://acme.teamwork.com"),
        ("acme.eu.teamwork.com", "https://acme.eu.teamwork.com"),
        ("https://ACME.teamwork.eu/", "https://acme.teamwork.eu"),
        ("https://acme.teamwork.com/some/path", "https://acme.teamwork.com"),
    ],
)
def test_allowed_sites_are_normalised_to_scheme_and_host(url: str, expected: str) -> None:
    assert Backends._check_host(url, TEAMWORK_HOST_PATTERNS, [], "X-Teamwork-Site") == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example",
        "https://acme.teamwork.com.evil.net",
        "https://evil.net#.teamwork.com",
        "https://x:y@acme.teamwork.com",
        "https://acme.teamwork.com?x=1",
        "http://acme.teamwork.com",
        "https://acme_teamwork.com",
        "https://10.0.0.1",
        "https://[::1]",
    ],
)
def test_disallowed_sites_are_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="X-Teamwork-Site"):
        Backends._check_host(url, TEAMWORK_HOST_PATTERNS, [], "X-Teamwork-Site")


def test_operator_hosts_may_be_plain_http() -> None:
    assert Backends._check_host("http://127.0.0.1:8080", (), ["127.0.0.1"], "X") == "http://127.0.0.1:8080"


async def test_accounts_are_keyed_by_an_hmac_and_bounded() -> None:
    backends = Backends(Settings(_env_file=None))
    one = backends.fingerprint("teamwork", "https://a.teamwork.com", "Basic c2VjcmV0")
    assert "c2VjcmV0" not in one and "secret" not in one
    assert one == backends.fingerprint("teamwork", "https://a.teamwork.com", "Basic c2VjcmV0")
    assert one != Backends(Settings(_env_file=None)).fingerprint("teamwork", "https://a.teamwork.com", "Basic c2VjcmV0")
    for i in range(MAX_ACCOUNTS + 10):
        backends._account(f"k{i}", 1.0)
    assert len(backends._accounts) == MAX_ACCOUNTS and "k0" not in backends._accounts
    await anyio.lowlevel.checkpoint()


def test_repeated_values_go_out_as_repeated_pairs() -> None:
    from projectops_mcp.wire import Repeated, encode_params

    assert encode_params({"include": Repeated(("users", "workingHours")), "ids": [1, 2]}) == [
        ("include", "users"),
        ("include", "workingHours"),
        ("ids", "1,2"),
    ]


def test_model_state_reasons_reach_the_agent() -> None:
    from projectops_mcp.wire import extract_message

    body = {"Message": "The request is invalid.", "ModelState": {"model.days[0].typeID": ["Unknown leave type 9."]}}
    assert extract_message(body, "") == "The request is invalid. (days[0].typeID: Unknown leave type 9.)"


def test_configured_urls_are_normalised() -> None:
    from projectops_mcp.config import Settings

    s = Settings(_env_file=None, teamwork_site_url=" yourco.teamwork.com/ ", projectworks_base_url="http://h:9/api/v1/")
    assert s.teamwork_site_url == "https://yourco.teamwork.com"
    assert s.projectworks_base_url == "http://h:9/api/v1"
