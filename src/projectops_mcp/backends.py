"""Which backend client a tool call gets (`Backends.client_for`): the server's own credentials (that client is built
once per backend and reused), or a remote caller's from request headers (multi-tenant HTTP deployments, a client
per call). Holds what is shared across calls: one connection pool per backend (opened on first use), and an
`accounts.Account` (rate limiter + reference cache) per backend account. Fairness between tenants: each account
has at most PROJECTOPS_MAX_CONCURRENCY requests in flight, and the pools are sized so that they are never what a
tenant waits for (`upstream_pool_size`): a tenant whose host is slow holds its own slots, not everyone's.

Per-request credentials (HTTP/SSE transports only, opt-in with PROJECTOPS_HEADER_CREDENTIALS=1 or
`--header-credentials`). Header names are case-insensitive:

    X-Teamwork-Site           the site URL, e.g. https://yourco.teamwork.com (host must be on the allow-list)
    X-Teamwork-Api-Key        a Teamwork API key (sent upstream as Basic auth)      } one of the two
    X-Teamwork-Bearer-Token   a Teamwork OAuth access token (sent as Bearer)        }
    X-Projectworks-Key        a Projectworks API account's Consumer Key             } both
    X-Projectworks-Secret     ... and its Consumer Secret                           }
    X-Projectworks-Base-Url   optional; default PROJECTWORKS_BASE_URL (host must be on the allow-list)

Rules: a backend whose headers are present uses only them (never mixed with the server's own secrets, so a caller
cannot aim the server's key at its own host); a backend without headers falls back to the server's configuration,
unless PROJECTOPS_HEADER_CREDENTIALS_REQUIRED refuses the call. With header credentials off, a call that carries any
of these headers is refused (never silently served with the server's own account).
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
from collections import OrderedDict
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit

import anyio
import httpx2

from projectops_mcp.accounts import Account, RateLimiter, ReferenceCache
from projectops_mcp.calls import BackendName
from projectops_mcp.config import Settings, file_descriptor_share
from projectops_mcp.errors import ConfigError
from projectops_mcp.http import BackendClient, Credentials, RetryPolicy, new_http_pool
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.redaction import Redactor, basic_auth
from projectops_mcp.teamwork.client import TeamworkClient

if TYPE_CHECKING:  # the Redis client is imported only when PROJECTOPS_REDIS_URL is set (cold start)
    from projectops_mcp.shared_state import SharedState
    from projectops_mcp.unified._common import Clients

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


def _title(header: str) -> str:
    """A header name as the README spells it (x-teamwork-api-key -> X-Teamwork-Api-Key)."""
    return "-".join(part.capitalize() for part in header.split("-"))


TEAMWORK_HOST_PATTERNS = ("*.teamwork.com", "*.teamwork.eu")
PROJECTWORKS_HOST_PATTERNS = ("api.projectworksapp.com",)
MAX_ACCOUNTS = 1024
_HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


@dataclass
class Backends:
    """Lifespan state: pools (opened on first use), per-account limiters and caches, the client for the server's
    own credentials (built once per backend) and the factory of per-caller clients."""

    settings: Settings
    teamwork_transport: httpx2.AsyncBaseTransport | None = None
    projectworks_transport: httpx2.AsyncBaseTransport | None = None
    redactor: Redactor = field(default_factory=Redactor)
    _pools: dict[str, httpx2.AsyncClient] = field(default_factory=dict)
    _accounts: OrderedDict[str, Account] = field(default_factory=OrderedDict)
    _own: dict[str, BackendClient] = field(default_factory=dict)
    _open: bool = False
    _fingerprint_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    shared: SharedState | None = None  # PROJECTOPS_REDIS_URL: limits and cache shared by every replica
    _own_key: bytes | None = None  # the HMAC key the server's own clients were built under

    def __post_init__(self) -> None:
        self.redactor = self.redactor.with_secrets(self.settings.secret_values())

    async def __aenter__(self) -> Backends:
        self._open = True
        if self.settings.projectops_redis_url is not None:
            from projectops_mcp.shared_state import SharedState

            self.shared = SharedState(
                self.settings.projectops_redis_url.get_secret_value(),
                lease_ttl=self.settings.projectops_http_timeout + 5,
            )
            await self.shared.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._open = False
        pools, self._pools, self._own = list(self._pools.values()), {}, {}
        with anyio.CancelScope(shield=True):  # close cleanly even when shutdown cancelled the calls
            for pool in pools:
                await pool.aclose()
            if self.shared is not None:
                await self.shared.aclose()

    @property
    def closed(self) -> bool:
        return not self._open

    def fingerprint(self, backend: str, *parts: str) -> str:
        """A stable id for one account that reveals nothing about its secrets (HMAC under a per-process key, or the
        key every replica reads from Redis, so that they all name the account alike)."""
        digest = hmac.new(self._hmac_key(), "\0".join((backend, *parts)).encode(), hashlib.sha256)
        return backend + ":" + digest.hexdigest()[:32]

    def _hmac_key(self) -> bytes:
        return (self.shared and self.shared.fingerprint_key) or self._fingerprint_key

    def _account(self, key: str, rps: float) -> Account:
        account = self._accounts.get(key)
        if account is None:
            limiter = RateLimiter(
                rps, self.settings.projectops_max_concurrency, burst=self.settings.projectops_rate_burst
            )
            ttl = self.settings.projectops_reference_ttl
            if self.shared is not None:
                account = Account(key, self.shared.limiter(key, limiter), self.shared.cache(key, ttl))  # type: ignore[arg-type]
            else:
                account = Account(key, limiter, ReferenceCache(ttl))
            self._accounts[key] = account
            while len(self._accounts) > MAX_ACCOUNTS:
                self._accounts.popitem(last=False)
        else:
            self._accounts.move_to_end(key)
        return account

    def _pool(self, backend: BackendName) -> httpx2.AsyncClient:
        """The backend's connection pool, opened on its first call (a server that only uses one backend, or
        only lists tools, never opens the other)."""
        pool = self._pools.get(backend)
        if pool is None:
            if not self._open:
                raise RuntimeError("backends are not open: use 'async with Backends(...)'")
            transport = self.teamwork_transport if backend == "teamwork" else self.projectworks_transport
            pool = self._pools[backend] = new_http_pool(
                self.settings.projectops_http_timeout, upstream_pool_size(self.settings), transport=transport
            )
        return pool

    # -- clients ----------------------------------------------------------------------------------------------

    @overload
    def client_for(self, backend: Literal["teamwork"], headers: dict[str, str] | None = None) -> TeamworkClient: ...
    @overload
    def client_for(
        self, backend: Literal["projectworks"], headers: dict[str, str] | None = None
    ) -> ProjectworksClient: ...
    @overload
    def client_for(self, backend: Literal["unified"], headers: dict[str, str] | None = None) -> Clients: ...
    @overload
    def client_for(self, backend: BackendName, headers: dict[str, str] | None = None) -> BackendClient: ...
    def client_for(self, backend: str, headers: dict[str, str] | None = None) -> Any:
        """The client for one call: the caller's own credentials when its request headers carry them (and the
        operator allows that), else the server's, whose client is built once and reused by every call. For
        `unified`, both backends' clients by the same rules, None for a backend neither gives credentials for."""
        if backend == "unified":
            return self._unified(headers)
        given = self._credential_headers(headers, TEAMWORK_HEADERS if backend == "teamwork" else PROJECTWORKS_HEADERS)
        if given:
            read = self._teamwork_from_headers if backend == "teamwork" else self._projectworks_from_headers
            return self._build(backend, *read(given))
        if self._own_key is not self._hmac_key():
            # The replicas' shared key arrived after these were built (Redis was down at start): rebuild them.
            self._own, self._own_key = {}, self._hmac_key()
        client = self._own.get(backend)
        if client is None:
            read_own = self._teamwork_own if backend == "teamwork" else self._projectworks_own
            client = self._own[backend] = self._build(backend, *read_own())
        return client

    def _unified(self, headers: dict[str, str] | None) -> Clients:
        from projectops_mcp.unified._common import Clients

        s = self.settings
        found: dict[str, Any] = {}
        for name, names in (("teamwork", TEAMWORK_HEADERS), ("projectworks", PROJECTWORKS_HEADERS)):
            configured = s.teamwork_configured if name == "teamwork" else s.projectworks_configured
            sent = any((headers or {}).get(n, "").strip() for n in names)
            if s.projectops_header_credentials and s.projectops_header_credentials_required and not sent:
                found[name] = None  # this caller brought no credentials for it: a unified call uses the other one
                continue
            given = self._credential_headers(headers, names)  # refuses headers the operator does not accept
            found[name] = self.client_for(name, headers) if given or configured else None  # type: ignore[call-overload]
        return Clients(teamwork=found["teamwork"], projectworks=found["projectworks"])

    def teamwork(self, headers: dict[str, str] | None = None) -> TeamworkClient:
        return self.client_for("teamwork", headers)

    def projectworks(self, headers: dict[str, str] | None = None) -> ProjectworksClient:
        return self.client_for("projectworks", headers)

    def _build(self, backend: BackendName, base_url: str, credentials: Credentials) -> BackendClient:
        """The one client builder: account (limiter + cache) by fingerprint, the backend's pool, the retry policy."""
        s = self.settings
        rps = s.projectops_teamwork_rps if backend == "teamwork" else s.projectops_projectworks_rps
        account = self._account(self.fingerprint(backend, base_url, credentials.authorization), rps)
        return CLIENT_CLASSES[backend](
            self._pool(backend),
            base_url=base_url,
            credentials=credentials,
            account=account,
            retry=RetryPolicy(
                max_retries=s.projectops_max_retries,
                max_wait=s.projectops_retry_max_wait,
                base_delay=s.projectops_retry_base_delay,
            ),
            timeout=s.projectops_http_timeout,
            max_response_bytes=s.projectops_max_response_bytes,
            redactor=self.redactor,
        )

    # -- where the credentials come from --------------------------------------------------------------------

    def _teamwork_from_headers(self, given: dict[str, str]) -> tuple[str, Credentials]:
        site = given.get(HEADER_TW_SITE) or self.settings.teamwork_site_url
        if not site:
            raise ConfigError(f"Teamwork credentials came in headers but no site: send {HEADER_TW_SITE}.")
        if HEADER_TW_SITE in given:
            site = self._check_host(
                site, TEAMWORK_HOST_PATTERNS, self.settings.projectops_teamwork_allowed_hosts, "X-Teamwork-Site"
            )
        api_key, bearer = given.get(HEADER_TW_API_KEY), given.get(HEADER_TW_BEARER)
        if not api_key and not bearer:
            raise ConfigError("Send X-Teamwork-Api-Key or X-Teamwork-Bearer-Token with X-Teamwork-Site.")
        return site, _teamwork_credentials(api_key, bearer)

    def _teamwork_own(self) -> tuple[str, Credentials]:
        s = self.settings
        if not s.teamwork_configured:
            raise ConfigError(
                "Teamwork is not configured: set TEAMWORK_SITE_URL and TEAMWORK_API_KEY (or TEAMWORK_BEARER_TOKEN)."
            )
        return s.teamwork_site_url or "", _teamwork_credentials(
            s.teamwork_api_key.get_secret_value() if s.teamwork_api_key else None,
            s.teamwork_bearer_token.get_secret_value() if s.teamwork_bearer_token else None,
        )

    def _projectworks_from_headers(self, given: dict[str, str]) -> tuple[str, Credentials]:
        key, secret = given.get(HEADER_PW_KEY), given.get(HEADER_PW_SECRET)
        if not key or not secret:
            raise ConfigError("Send both X-Projectworks-Key and X-Projectworks-Secret.")
        base = self.settings.projectworks_base_url
        if HEADER_PW_BASE_URL in given:
            base = self._check_host(
                given[HEADER_PW_BASE_URL],
                PROJECTWORKS_HOST_PATTERNS,
                self.settings.projectops_projectworks_allowed_hosts,
                "X-Projectworks-Base-Url",
                keep_path=True,
            )
        return base, Credentials(basic_auth(key, secret), secrets=(key, secret))

    def _projectworks_own(self) -> tuple[str, Credentials]:
        s = self.settings
        if not s.projectworks_configured:
            raise ConfigError(
                "Projectworks is not configured: set PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET."
            )
        assert s.projectworks_consumer_key and s.projectworks_consumer_secret
        key, secret = s.projectworks_consumer_key.get_secret_value(), s.projectworks_consumer_secret.get_secret_value()
        return s.projectworks_base_url, Credentials(basic_auth(key, secret), secrets=(key, secret))

    def _credential_headers(self, headers: dict[str, str] | None, names: tuple[str, ...]) -> dict[str, str]:
        """The non-blank credential headers of one backend. Refused rather than ignored when the operator does not
        accept them (else the caller would silently get the operator's data), and refused when absent while the
        operator requires them (else the caller would silently use the operator's accounts)."""
        headers = headers or {}
        if not self.settings.projectops_header_credentials:
            sent = [name for name in CREDENTIAL_HEADERS if headers.get(name, "").strip()]
            if sent:
                raise ConfigError(
                    f"This server does not accept credentials in headers (got {', '.join(_title(n) for n in sent)}); "
                    "nothing was sent. Remove them, or the operator can enable PROJECTOPS_HEADER_CREDENTIALS."
                )
            return {}
        given = {name: headers[name].strip() for name in names if headers.get(name, "").strip()}
        if not given and self.settings.projectops_header_credentials_required:
            raise ConfigError(
                "This server requires backend credentials in headers (PROJECTOPS_HEADER_CREDENTIALS_REQUIRED): "
                f"send {', '.join(_title(n) for n in names)} (see README, multi-tenant). Nothing was sent."
            )
        return given

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


def upstream_pool_size(settings: Settings) -> int:
    """Connections one backend's pool may hold: its half of the descriptors the edge leaves to upstream pools.
    Tenants are kept apart by each account's cap (PROJECTOPS_MAX_CONCURRENCY), not by the pool: a pool of 20 let
    three accounts waiting on a slow host hold every connection while another tenant's fast call queued for one."""
    return max(20, settings.projectops_max_concurrency, file_descriptor_share() // 2)


CLIENT_CLASSES: dict[str, type[BackendClient]] = {"teamwork": TeamworkClient, "projectworks": ProjectworksClient}


def _teamwork_credentials(api_key: str | None, bearer: str | None) -> Credentials:
    if bearer:
        return Credentials(f"Bearer {bearer}", secrets=(bearer,))
    return Credentials(basic_auth(api_key or "", "X"), secrets=(api_key or "",))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
