"""Builds the backend client for each tool call: the server's own credentials, or a remote caller's from request
headers (multi-tenant HTTP deployments). Holds what is shared across calls: one connection pool per backend, and
a rate limiter and reference-data cache per backend account (keyed by a hash of the credentials, never the secret).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any
from urllib.parse import urlsplit

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
HEADER_PW_SECRET = "x-projectworks-secret"
HEADER_PW_BASE_URL = "x-projectworks-base-url"
CREDENTIAL_HEADERS = (HEADER_TW_SITE, HEADER_TW_API_KEY, HEADER_TW_BEARER, HEADER_PW_KEY, HEADER_PW_SECRET)

TEAMWORK_HOST_PATTERNS = ("*.teamwork.com", "*.teamwork.eu", "*.eu.teamwork.com")
PROJECTWORKS_HOST_PATTERNS = ("api.projectworksapp.com",)


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
    _accounts: dict[str, _Account] = field(default_factory=dict)

    async def __aenter__(self) -> Backends:
        timeout = self.settings.projectops_http_timeout
        self._pools["teamwork"] = new_http_pool(timeout, transport=self.teamwork_transport)
        self._pools["projectworks"] = new_http_pool(timeout, transport=self.projectworks_transport)
        for secret in self.settings.secret_values():
            self.redactor.add(secret)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()

    def _account(self, backend: str, fingerprint_source: str, rps: float) -> _Account:
        key = backend + ":" + hashlib.sha256(fingerprint_source.encode()).hexdigest()
        account = self._accounts.get(key)
        if account is None:
            account = _Account(
                RateLimiter(rps, self.settings.projectops_max_concurrency),
                TTLCache(self.settings.projectops_reference_ttl),
            )
            self._accounts[key] = account
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
        headers = headers or {}
        s = self.settings
        from_headers = self.settings.projectops_header_credentials and any(
            h in headers for h in (HEADER_TW_SITE, HEADER_TW_API_KEY, HEADER_TW_BEARER)
        )
        if from_headers:
            site = headers.get(HEADER_TW_SITE) or s.teamwork_site_url
            if not site:
                raise ConfigError(f"Teamwork credentials came in headers but no site: send {HEADER_TW_SITE}.")
            site = self._check_host(site, TEAMWORK_HOST_PATTERNS, HEADER_TW_SITE)
            api_key, bearer = headers.get(HEADER_TW_API_KEY), headers.get(HEADER_TW_BEARER)
            if not api_key and not bearer:
                raise ConfigError(f"Send {HEADER_TW_API_KEY} or {HEADER_TW_BEARER} with {HEADER_TW_SITE}.")
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
        account = self._account("teamwork", site + credentials.authorization, self.settings.projectops_teamwork_rps)
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
        headers = headers or {}
        s = self.settings
        if s.projectops_header_credentials and (HEADER_PW_KEY in headers or HEADER_PW_SECRET in headers):
            key, secret = headers.get(HEADER_PW_KEY), headers.get(HEADER_PW_SECRET)
            if not key or not secret:
                raise ConfigError(f"Send both {HEADER_PW_KEY} and {HEADER_PW_SECRET}.")
            base = s.projectworks_base_url
            if headers.get(HEADER_PW_BASE_URL):
                base = self._check_host(headers[HEADER_PW_BASE_URL], PROJECTWORKS_HOST_PATTERNS, HEADER_PW_BASE_URL)
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
            "projectworks", base_url + credentials.authorization, self.settings.projectops_projectworks_rps
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

    def _child_redactor(self, credentials: Credentials) -> Redactor:
        redactor = self.redactor.copy()
        for secret in credentials.secrets:
            redactor.add(secret)
        return redactor

    def _check_host(self, url: str, patterns: tuple[str, ...], header: str) -> str:
        """A URL from a header must be https and on an allowed host, so the server cannot be aimed anywhere."""
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = (parts.hostname or "").lower()
        allowed = (*patterns, *self.settings.projectops_teamwork_allowed_hosts)
        if not host or not any(fnmatch(host, p.lower()) for p in allowed):
            raise ConfigError(
                f"{header}: host '{host or url}' is not allowed. Allowed: {', '.join(allowed)} "
                "(an operator can add hosts with PROJECTOPS_TEAMWORK_ALLOWED_HOSTS)."
            )
        extra_allowed = any(fnmatch(host, p.lower()) for p in self.settings.projectops_teamwork_allowed_hosts)
        if parts.scheme != "https" and not extra_allowed:
            raise ConfigError(f"{header}: only https URLs are accepted.")
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"
