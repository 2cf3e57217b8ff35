"""Builds the backend client for each tool call: the server's own credentials, or a remote caller's from request
headers (multi-tenant HTTP deployments). Holds what is shared across calls: one connection pool per backend, and
a rate limiter and reference-data cache per backend account.

Per-request credentials (HTTP/SSE transports only, opt-in with PROJECTOPS_HEADER_CREDENTIALS=1 or
`--header-credentials`). Header names are case-insensitive:

    X-Teamwork-Site           the site URL, e.g. https://yourco.teamwork.com (host must be on the allow-list)
    X-Teamwork-Api-Key        a Teamwork API key (sent upstream as Basic auth)      } one of the two
    X-Teamwork-Bearer-Token   a Teamwork OAuth access token (sent as Bearer)        }
    X-Projectworks-Key        a Projectworks API account's Consumer Key             } both
    X-Projectworks-Secret     ... and its Consumer Secret                           }
    X-Projectworks-Base-Url   optional; default PROJECTWORKS_BASE_URL (host must be on the allow-list)

Rules: a backend whose headers are present uses only them (never mixed with the server's own secrets, so a caller
cannot aim the server's key at its own host); a backend without headers falls back to the server's configuration.
The credentials live in the per-call client only. Accounts (limiter + cache) are keyed by an HMAC of the
credentials under a per-process random key, so no secret is kept as a key, and at most MAX_ACCOUNTS are kept
(least recently used dropped). Site URLs from headers must be https on an allowed host (`*.teamwork.com`,
`*.teamwork.eu`, `api.projectworksapp.com`, plus PROJECTOPS_TEAMWORK_ALLOWED_HOSTS /
PROJECTOPS_PROJECTWORKS_ALLOWED_HOSTS, which may also be plain http, for test rigs); only scheme, host and port
are kept, so no path, user-info or query from a header reaches a URL.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2

from projectops_mcp.config import Settings
from projectops_mcp.errors import ConfigError
from projectops_mcp.http import Credentials, RateLimiter, Redactor, RetryPolicy, basic_auth, new_http_pool
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.teamwork.client import TeamworkClient

# Request headers a remote caller may use to bring its own backend credentials (HTTP transports only).
HEADER_TW_SITE = "x-teamwork-site"
HEADER_TW_API_KEY = "x-teamwork-api-key"
HEADER_TW_BEARER = "x-teamwork-bearer-token"
HEADER_PW_KEY = "x-projectworks-key"
HEADER_PW_SECRET = "x-projectworks-secret"  # noqa: S105 - a header name
HEADER_PW_BASE_URL = "x-projectworks-base-url"
TEAMWORK_HEADERS = (HEADER_TW_SITE, HEADER_TW_API_KEY, HEADER_TW_BEARER)
PROJECTWORKS_HEADERS = (HEADER_PW_KEY, HEADER_PW_SECRET, HEADER_PW_BASE_URL)
CREDENTIAL_HEADERS = TEAMWORK_HEADERS + PROJECTWORKS_HEADERS
SECRET_HEADERS = (HEADER_TW_API_KEY, HEADER_TW_BEARER, HEADER_PW_KEY, HEADER_PW_SECRET)

TEAMWORK_HOST_PATTERNS = ("*.teamwork.com", "*.teamwork.eu")
PROJECTWORKS_HOST_PATTERNS = ("api.projectworksapp.com",)
MAX_ACCOUNTS = 1024
_HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


class TTLCache:
    """A tiny per-account cache for reference data (roles, leave types): ten placeholder updates, one roles call."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Any]] = {}

    async def get_or_load(self, key: str, loader: Callable[[], Awaitable[Any]]) -> Any:
        hit = self._entries.get(key)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = await loader()
        self._entries[key] = (now, value)
        return value

    def invalidate(self, key: str | None = None) -> None:
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)


@dataclass
class _Account:
    limiter: RateLimiter
    cache: TTLCache


@dataclass
class Backends:
    """Lifespan state: pools, per-account limiters and caches, and the factory of per-call clients."""

    settings: Settings
    teamwork_transport: httpx2.AsyncBaseTransport | None = None
    projectworks_transport: httpx2.AsyncBaseTransport | None = None
    redactor: Redactor = field(default_factory=Redactor)
    _pools: dict[str, httpx2.AsyncClient] = field(default_factory=dict)
    _accounts: OrderedDict[str, _Account] = field(default_factory=OrderedDict)
    _fingerprint_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    async def __aenter__(self) -> Backends:
        timeout = self.settings.projectops_http_timeout
        pool_size = max(20, self.settings.projectops_max_concurrency)
        self._pools["teamwork"] = new_http_pool(timeout, pool_size, transport=self.teamwork_transport)
        self._pools["projectworks"] = new_http_pool(timeout, pool_size, transport=self.projectworks_transport)
        for secret in self.settings.secret_values():
            self.redactor.add(secret)
        return self

    async def __aexit__(self, *exc: object) -> None:
        pools, self._pools = list(self._pools.values()), {}
        with anyio.CancelScope(shield=True):  # close cleanly even when shutdown cancelled the calls
            for pool in pools:
                await pool.aclose()

    @property
    def closed(self) -> bool:
        return not self._pools

    def fingerprint(self, backend: str, *parts: str) -> str:
        """A stable id for one account that reveals nothing about its secrets (HMAC under a per-process key)."""
        digest = hmac.new(self._fingerprint_key, "\0".join((backend, *parts)).encode(), hashlib.sha256)
        return backend + ":" + digest.hexdigest()[:32]

    def _account(self, key: str, rps: float) -> _Account:
        account = self._accounts.get(key)
        if account is None:
            account = _Account(
                RateLimiter(rps, self.settings.projectops_max_concurrency, burst=self.settings.projectops_rate_burst),
                TTLCache(self.settings.projectops_reference_ttl),
            )
            self._accounts[key] = account
            while len(self._accounts) > MAX_ACCOUNTS:
                self._accounts.popitem(last=False)
        else:
            self._accounts.move_to_end(key)
        return account

    def _retry(self) -> RetryPolicy:
        return RetryPolicy(
            max_retries=self.settings.projectops_max_retries,
            max_wait=self.settings.projectops_retry_max_wait,
            base_delay=self.settings.projectops_retry_base_delay,
        )

    def _pool(self, backend: str) -> httpx2.AsyncClient:
        pool = self._pools.get(backend)
        if pool is None:
            raise RuntimeError("backends are not open: use 'async with Backends(...)'")
        return pool

    # -- Teamwork ---------------------------------------------------------------------------------------------

    def teamwork(self, headers: dict[str, str] | None = None) -> TeamworkClient:
        given = self._credential_headers(headers, TEAMWORK_HEADERS)
        s = self.settings
        if given:
            site = given.get(HEADER_TW_SITE) or s.teamwork_site_url
            if not site:
                raise ConfigError(f"Teamwork credentials came in headers but no site: send {HEADER_TW_SITE}.")
            if HEADER_TW_SITE in given:
                site = self._check_host(
                    site, TEAMWORK_HOST_PATTERNS, s.projectops_teamwork_allowed_hosts, "X-Teamwork-Site"
                )
            api_key, bearer = given.get(HEADER_TW_API_KEY), given.get(HEADER_TW_BEARER)
            if not api_key and not bearer:
                raise ConfigError("Send X-Teamwork-Api-Key or X-Teamwork-Bearer-Token with X-Teamwork-Site.")
            return self._teamwork_client(site, api_key, bearer)
        if not s.teamwork_configured:
            raise ConfigError(
                "Teamwork is not configured: set TEAMWORK_SITE_URL and TEAMWORK_API_KEY (or TEAMWORK_BEARER_TOKEN)."
            )
        return self._teamwork_client(
            s.teamwork_site_url or "",
            s.teamwork_api_key.get_secret_value() if s.teamwork_api_key else None,
            s.teamwork_bearer_token.get_secret_value() if s.teamwork_bearer_token else None,
        )

    def _teamwork_client(self, site: str, api_key: str | None, bearer: str | None) -> TeamworkClient:
        if bearer:
            credentials = Credentials(f"Bearer {bearer}", secrets=(bearer,))
        else:
            credentials = Credentials(basic_auth(api_key or "", "X"), secrets=(api_key or "",))
        account = self._account(
            self.fingerprint("teamwork", site, credentials.authorization), self.settings.projectops_teamwork_rps
        )
        return TeamworkClient(
            self._pool("teamwork"),
            base_url=site,
            credentials=credentials,
            limiter=account.limiter,
            retry=self._retry(),
            timeout=self.settings.projectops_http_timeout,
            redactor=self._child_redactor(credentials),
            cache=account.cache,
        )

    # -- Projectworks -----------------------------------------------------------------------------------------

    def projectworks(self, headers: dict[str, str] | None = None) -> ProjectworksClient:
        given = self._credential_headers(headers, PROJECTWORKS_HEADERS)
        s = self.settings
        if given:
            key, secret = given.get(HEADER_PW_KEY), given.get(HEADER_PW_SECRET)
            if not key or not secret:
                raise ConfigError("Send both X-Projectworks-Key and X-Projectworks-Secret.")
            base = s.projectworks_base_url
            if HEADER_PW_BASE_URL in given:
                base = self._check_host(
                    given[HEADER_PW_BASE_URL],
                    PROJECTWORKS_HOST_PATTERNS,
                    s.projectops_projectworks_allowed_hosts,
                    "X-Projectworks-Base-Url",
                    keep_path=True,
                )
            return self._projectworks_client(base, key, secret)
        if not s.projectworks_configured:
            raise ConfigError(
                "Projectworks is not configured: set PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET."
            )
        assert s.projectworks_consumer_key and s.projectworks_consumer_secret
        return self._projectworks_client(
            s.projectworks_base_url,
            s.projectworks_consumer_key.get_secret_value(),
            s.projectworks_consumer_secret.get_secret_value(),
        )

    def _projectworks_client(self, base_url: str, key: str, secret: str) -> ProjectworksClient:
        credentials = Credentials(basic_auth(key, secret), secrets=(key, secret))
        account = self._account(
            self.fingerprint("projectworks", base_url, credentials.authorization),
            self.settings.projectops_projectworks_rps,
        )
        return ProjectworksClient(
            self._pool("projectworks"),
            base_url=base_url,
            credentials=credentials,
            limiter=account.limiter,
            retry=self._retry(),
            timeout=self.settings.projectops_http_timeout,
            redactor=self._child_redactor(credentials),
            cache=account.cache,
        )

    # -- shared -----------------------------------------------------------------------------------------------

    def client_for(self, backend: str, headers: dict[str, str] | None = None) -> Any:
        return self.teamwork(headers) if backend == "teamwork" else self.projectworks(headers)

    def _credential_headers(self, headers: dict[str, str] | None, names: tuple[str, ...]) -> dict[str, str]:
        """The non-blank credential headers of one backend, when the operator allows them; else nothing."""
        if not headers or not self.settings.projectops_header_credentials:
            return {}
        return {name: headers[name].strip() for name in names if headers.get(name, "").strip()}

    def _child_redactor(self, credentials: Credentials) -> Redactor:
        redactor = self.redactor.copy()
        for secret in credentials.secrets:
            redactor.add(secret)
        redactor.add(credentials.authorization.split(" ", 1)[-1])
        return redactor

    @staticmethod
    def _check_host(
        url: str, patterns: tuple[str, ...], extra: list[str], header: str, *, keep_path: bool = False
    ) -> str:
        """A URL from a header must be https on an allowed host (operator-added hosts may be http), so the server
        cannot be aimed anywhere. Returns scheme://host[:port] (plus the path for a base URL), nothing else."""
        try:
            parts = urlsplit(url if "://" in url else "https://" + url)
            host = (parts.hostname or "").lower().rstrip(".")
            port = parts.port
        except ValueError:
            raise ConfigError(f"{header}: not a valid URL.") from None
        allowed = (*patterns, *extra)
        shown = ", ".join(allowed)
        if not _HOSTNAME_RE.match(host) and not _is_ip(host):
            raise ConfigError(f"{header}: not a valid host name. Allowed hosts: {shown}.")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ConfigError(f"{header}: send only scheme, host and path (no user-info, query or fragment).")
        on_extra = any(fnmatchcase(host, p.lower()) for p in extra)
        if not on_extra and not any(fnmatchcase(host, p.lower()) for p in patterns):
            raise ConfigError(
                f"{header}: host '{host}' is not allowed. Allowed: {shown} (an operator can add hosts with "
                "PROJECTOPS_TEAMWORK_ALLOWED_HOSTS / PROJECTOPS_PROJECTWORKS_ALLOWED_HOSTS)."
            )
        if parts.scheme != "https" and not (on_extra and parts.scheme == "http"):
            raise ConfigError(f"{header}: only https URLs are accepted.")
        netloc = host + (f":{port}" if port else "")
        path = parts.path.rstrip("/") if keep_path else ""
        return f"{parts.scheme}://{netloc}{path}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
