"""The one place that talks HTTP to the backends: auth, timeouts, retries, and HTTP answers mapped to
`UpstreamError`s. The rate limiter and reference cache it uses per account live in `accounts.py`; the secrets it
scrubs in `redaction.py`; the call it reports to in `calls.py`.

Both backend clients subclass `BackendClient`; `backends.Backends.client_for` builds them. Rules that matter for
the books:
- Only idempotent methods (GET, PUT, DELETE) are retried after the request may have reached the upstream
  (429, 502/503/504, a dropped connection). POST and PATCH are retried only when the connection was never made,
  so a claim or a time entry is never written twice; otherwise the agent is told the outcome is unknown.
- A `Retry-After` (or Teamwork's `X-RateLimit-Reset`) longer than the configured cap is not slept through: the
  agent is told to retry later instead.
- Secrets (keys, tokens, the Basic header) are scrubbed from every message built from an upstream response.
- Every attempt has an overall deadline of `timeout` seconds (httpx's own timeouts are per read, so a server that
  drips a byte at a time could otherwise hold a call forever).
- A 2xx answer that is not JSON (a proxy's HTML login page, a truncated body) is an error, never an empty result;
  so is a 3xx (a redirecting proxy: for a write, the outcome is unknown).
- Answers are read streamed, up to `max_response_bytes` (PROJECTOPS_MAX_RESPONSE_BYTES); a larger or endless one
  fails cleanly without being held in memory, and a large one is parsed in a worker thread, off the event loop.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2

from projectops_mcp import __version__
from projectops_mcp.accounts import Account, RateLimiter, ReferenceCache
from projectops_mcp.calls import current_call, emit_event
from projectops_mcp.errors import (
    CHECK_ARGUMENTS,
    NO_RECORD,
    NOT_APPLIED,
    NOT_RETRIED,
    NOTHING_SENT,
    RequestBudgetSpent,
    UpstreamError,
)
from projectops_mcp.redaction import Redactor
from projectops_mcp.tracing import StatusCode, upstream_span
from projectops_mcp.wire import (
    MAX_URL_CHARS,
    WRAPPER_KEYS,
    encode_params,
    extract_message,
    json_kind,
    looks_like_html,
    parse_body,
    parse_retry_after,
    unwrap_record,
    url_too_long,
    warn,
)

logger = logging.getLogger("projectops_mcp.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
ERROR_BODY_BYTES = 64 * 1024  # of an error answer only the start is read: its message is trimmed anyway
PARSE_OFF_LOOP_BYTES = 1024 * 1024  # bodies larger than this are parsed in a worker thread
USER_AGENT = f"projectops-mcp/{__version__}"

# Observers of every upstream exchange (metrics, logs); process-wide, like the metrics they feed.
UpstreamObserver = Callable[["ExchangeRecord"], None]
_observers: list[UpstreamObserver] = []


def add_upstream_observer(observer: UpstreamObserver) -> None:
    if observer not in _observers:
        _observers.append(observer)


def remove_upstream_observer(observer: UpstreamObserver) -> None:
    if observer in _observers:
        _observers.remove(observer)


@dataclass(frozen=True)
class OutgoingRequest:
    """A request about to be sent, as the call-scoped request hook sees it (before the first attempt)."""

    method: str
    url: str  # without the query string
    path: str
    query: list[tuple[str, str]]
    body: Any  # the JSON body, or None


# `Call.request_hook`, set per write tool call by `writes.gate`: sees every request before it is sent and may raise
# to stop it (a preview, a refusal, a question for the person).
RequestHook = Callable[["BackendClient", OutgoingRequest], Awaitable[None]]


@dataclass(frozen=True)
class ExchangeRecord:
    backend: str
    method: str
    path: str  # never the query string: it may carry search terms
    status: int | None
    duration: float
    attempt: int
    outcome: str  # "ok" | "http_error" | "retry" | "transport_error" | "timeout"


# ---------------------------------------------------------------------------------------------------------------
# The backend client base
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 0.25
    max_wait: float = 30.0  # the longest single wait we sleep through; beyond it, tell the agent to retry later


@dataclass
class UpstreamResponse:
    status: int
    headers: Mapping[str, str]
    data: Any  # parsed JSON, or None for an empty body
    text: str = ""
    method: str = ""
    path: str = ""


@dataclass
class Credentials:
    """How to authenticate one account at one backend. `secrets` lists what must never be shown."""

    authorization: str
    secrets: tuple[str, ...] = ()
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def all_secrets(self) -> tuple[str, ...]:
        """The secrets plus the Authorization header's token (the Basic encoding of key:secret)."""
        return (*self.secrets, self.authorization.split(" ", 1)[-1])


class BackendClient:
    """Shared request machinery, built once per account by `Backends.client_for`; subclasses add paths,
    pagination and the backend's error dialect. Holds no per-call state: the call is `calls.current_call`."""

    backend = "backend"  # human name, e.g. "Teamwork"
    credentials_hint = "check the configured credentials"
    send_content_type_always = False
    default_headers: Mapping[str, str] = {}  # sent on every request (before the credentials' own extra headers)

    def __init__(
        self,
        http: httpx2.AsyncClient,
        *,
        base_url: str,
        credentials: Credentials,
        account: Account,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        redactor: Redactor | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ):
        self._http = http
        self.max_response_bytes = max_response_bytes
        self.base_url = base_url.rstrip("/")
        self._credentials = credentials
        self.account = account
        self._limiter: RateLimiter = account.limiter
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        # The one place a client's credentials are fed to a redactor (the server's own secrets are already in it).
        self._redact = (redactor or Redactor()).with_secrets(credentials.all_secrets)

    @property
    def tenant(self) -> str:
        """The account's fingerprint: an HMAC of the credentials, safe to log."""
        return self.account.key

    @property
    def cache(self) -> ReferenceCache:
        """This account's reference cache (`cached` reads through it; writes that change reference data
        invalidate it)."""
        return self.account.cache

    async def cached(self, key: str, loader: Callable[[], Awaitable[Any]]) -> Any:
        """Reference data (roles, leave types, custom field definitions) from this account's short-lived cache."""
        return await self.cache.get_or_load(key, loader)

    # -- hooks for subclasses ----------------------------------------------------------------------------------

    def is_rate_limited(self, response: httpx2.Response) -> bool:
        return response.status_code == 429

    def retry_wait(self, response: httpx2.Response, attempt: int) -> float:
        """Seconds to wait before the next attempt: Retry-After when given, else exponential backoff with jitter."""
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            return retry_after
        return self._backoff(attempt)

    def error_message(self, data: Any, text: str) -> str:
        """The upstream's own words about an error, from whichever body shape it used."""
        return extract_message(data, text)

    # -- the request loop ----------------------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        return self._retry.base_delay * (2**attempt) * (0.5 + random.random())

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {
            "Authorization": self._credentials.authorization,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self.default_headers,
            **self._credentials.extra_headers,
        }
        if has_body or self.send_content_type_always:
            headers["Content-Type"] = "application/json"
        return headers

    @property
    def redactor(self) -> Redactor:
        """Scrubs this client's secrets (and the server's) from any text."""
        return self._redact

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        send_body: bool = False,
        idempotent: bool | None = None,
    ) -> UpstreamResponse:
        """Send one logical request, retrying where it is safe. Raises `UpstreamError` on failure.
        `idempotent=False` marks a PUT that creates (Projectworks postings): treated like a POST, never re-sent."""
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        url = self.base_url + path
        query = encode_params(params or {})
        has_body = json_body is not None or send_body
        content = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode() if has_body else None
        headers = self._headers(has_body)
        try:
            request = self._http.build_request(method, url, params=query, content=content, headers=headers)
        except httpx2.InvalidURL:
            raise url_too_long(query) from None
        if len(str(request.url)) > MAX_URL_CHARS:
            raise url_too_long(query)
        call = current_call.get()
        if call is not None and call.request_hook is not None:
            await call.request_hook(self, OutgoingRequest(method, url, path, query, json_body))
        attempt = 0
        while True:
            self._check_budget(method, path)
            waited = await self._limiter.acquire()
            if waited > 1.0:
                await emit_event("info", f"{self.backend}: waited {waited:.1f}s for the client-side rate limit")
            started = time.monotonic()
            with upstream_span(self.backend, method, path, attempt) as span:
                try:
                    async with self._limiter.concurrency:
                        # httpx's timeouts are per operation; this bounds the whole attempt, body included.
                        with anyio.fail_after(self._timeout):
                            response = await self._http.send(request, stream=True)
                            try:
                                body = await self._read(response, method, path, idempotent)
                            finally:
                                await response.aclose()
                except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
                    # The request never left this process: safe to retry for every method.
                    self._observe(method, path, None, started, attempt, "transport_error", span)
                    if attempt < self._retry.max_retries:
                        await emit_event(
                            "warning", f"{self.backend}: could not connect ({type(exc).__name__}); retrying"
                        )
                        await anyio.sleep(self._backoff(attempt))
                        attempt += 1
                        continue
                    raise self._error(
                        method,
                        path,
                        f"{self.backend} could not be reached ({type(exc).__name__}) after {attempt + 1} attempts",
                        NOTHING_SENT,
                        "Check the network and the configured URL, then try again.",
                    ) from None
                except (httpx2.TimeoutException, TimeoutError):
                    # Not retried even for GET: the agent asked for an answer within the configured time.
                    self._observe(method, path, None, started, attempt, "timeout", span)
                    raise self._transport_failure(
                        method, path, idempotent, f"did not answer within {self._timeout:g}s"
                    ) from None
                except httpx2.TransportError as exc:
                    self._observe(method, path, None, started, attempt, "transport_error", span)
                    if idempotent and attempt < self._retry.max_retries:
                        await emit_event(
                            "warning", f"{self.backend}: connection failed ({type(exc).__name__}); retrying"
                        )
                        await anyio.sleep(self._backoff(attempt))
                        attempt += 1
                        continue
                    raise self._transport_failure(
                        method, path, idempotent, f"dropped the connection ({type(exc).__name__})"
                    ) from None

                status = response.status_code
                rate_limited = self.is_rate_limited(response)
                retryable = rate_limited or status in RETRYABLE_STATUSES
                if retryable and idempotent and attempt < self._retry.max_retries:
                    wait = self.retry_wait(response, attempt)
                    if wait <= self._retry.max_wait:
                        self._observe(method, path, status, started, attempt, "retry", span)
                        if rate_limited:
                            self._limiter.pause(wait)
                        await emit_event(
                            "warning",
                            f"{self.backend} answered {status} to {method} {path}; retry {attempt + 1} of "
                            f"{self._retry.max_retries} in {wait:.1f}s",
                        )
                        await anyio.sleep(wait)
                        attempt += 1
                        continue
                self._observe(method, path, status, started, attempt, "ok" if status < 300 else "http_error", span)
                return await self._finish(response, body, method, path, idempotent, attempt, rate_limited)

    async def _read(self, response: httpx2.Response, method: str, path: str, idempotent: bool) -> bytes:
        """The body, streamed: all of a success answer up to `max_response_bytes`, the start of any other."""
        cap = self.max_response_bytes if response.status_code < 300 else ERROR_BODY_BYTES
        declared = response.headers.get("Content-Length", "")
        if response.status_code < 300 and declared.isdigit() and int(declared) > cap:
            raise self._too_large(response, method, path, idempotent)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():  # decoded: a compressed bomb is bounded too
            size += len(chunk)
            if size > cap:
                if response.status_code >= 300:
                    chunks.append(chunk[: cap - size + len(chunk)])
                    break
                raise self._too_large(response, method, path, idempotent)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, response: httpx2.Response, method: str, path: str, idempotent: bool) -> UpstreamError:
        limit = f"more than {self.max_response_bytes / 2**20:g} MiB (PROJECTOPS_MAX_RESPONSE_BYTES)"
        what = f"{self.backend} answered {method} {path} with HTTP {response.status_code} and {limit}"
        if idempotent:
            return self._error(
                method,
                path,
                what,
                "Narrow the request (a filter, a smaller page_size) and try again.",
                status=response.status_code,
            )
        return self._error(
            method,
            path,
            f"{what}, which was not read; the write was probably applied",
            NOT_RETRIED,
            status=response.status_code,
            outcome_unknown=True,
        )

    def _check_budget(self, method: str, path: str) -> None:
        """Refuse to send once the call has used its request budget (`Call.max_upstream_requests`)."""
        call = current_call.get()
        if call is None or call.max_upstream_requests is None or call.upstream_requests < call.max_upstream_requests:
            return
        raise RequestBudgetSpent(
            f"{call.tool} reached its budget of {call.max_upstream_requests} {self.backend} requests before "
            f"{method} {path}, which was not sent. Narrow the request (a filter, fewer pages) and try again.",
            backend=self.backend,
            method=method,
            path=path,
        )

    def _observe(
        self, method: str, path: str, status: int | None, started: float, attempt: int, outcome: str, span: Any
    ) -> None:
        record = ExchangeRecord(self.backend, method, path, status, time.monotonic() - started, attempt, outcome)
        call = current_call.get()
        if call is not None:
            call.upstream_requests += 1
            call.upstream_status = status
            call.last_exchange = (self.backend, method, path)
        span.set_attribute("projectops.outcome", outcome)
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if outcome != "ok":
            span.set_status(StatusCode.ERROR, outcome)
        level = logging.INFO if outcome in ("ok", "http_error") else logging.WARNING
        if logger.isEnabledFor(level):
            logger.log(
                level,
                "upstream %s %s %s -> %s in %.0fms",
                self.backend,
                method,
                path,
                status if status is not None else outcome,
                record.duration * 1000,
                extra={
                    "backend": self.backend.lower(),
                    "method": method,
                    "path": path,
                    "status": status,
                    "outcome": outcome,
                    "attempt": attempt,
                    "duration_ms": round(record.duration * 1000, 1),
                },
            )
        for observer in list(_observers):
            try:
                observer(record)
            except Exception:  # noqa: BLE001 - metrics must never fail a request
                logger.debug("upstream observer failed", exc_info=True)

    def _error(
        self,
        method: str,
        path: str,
        cause: str,
        *then: str,
        status: int | None = None,
        upstream: str = "",
        outcome_unknown: bool = False,
        retry_after: float | None = None,
    ) -> UpstreamError:
        return UpstreamError(
            cause,
            backend=self.backend,
            status=status,
            method=method,
            path=path,
            outcome_unknown=outcome_unknown,
            retry_after=retry_after,
            upstream=upstream,
            then=then,
        )

    def _transport_failure(self, method: str, path: str, idempotent: bool, what: str) -> UpstreamError:
        if idempotent:
            return self._error(method, path, f"{self.backend} {what} for {method} {path}", "Try again in a moment.")
        return self._error(
            method,
            path,
            f"{self.backend} {what} after the {method} {path} was sent, so the write's outcome is unknown",
            NOT_RETRIED,
            outcome_unknown=True,
        )

    def _redirected(self, response: httpx2.Response, method: str, path: str, idempotent: bool) -> UpstreamError:
        """A 3xx: redirects are never followed (credentials must not travel on), so a redirecting proxy or a wrong
        URL is reported; a write behind one may or may not have been applied."""
        location = urlsplit(response.headers.get("Location", ""))
        to = f" to {location.scheme}://{location.hostname}" if location.scheme and location.hostname else ""
        what = f"{self.backend} answered {method} {path} with a redirect (HTTP {response.status_code}{to})"
        proxy = "A proxy or a wrong site/base URL sits in between; check the configured URL."
        if method in ("GET", "HEAD"):
            return self._error(method, path, what, proxy, status=response.status_code)
        return self._error(
            method,
            path,
            f"{what}, so whether the write was applied is unknown",
            proxy if idempotent else NOT_RETRIED,  # a PUT or DELETE may be sent again once the URL is right
            status=response.status_code,
            outcome_unknown=True,
        )

    def contract_error(self, answer: UpstreamResponse, missing: str) -> UpstreamError:
        """A success answer without what the API promises (`missing`, e.g. "a task record"): never an internal error
        and never a made-up record. After a write the write was probably applied, so the outcome is unknown."""
        return self.missing_record(answer.method, answer.path, missing, answer.status)

    def missing_record(self, method: str, path: str, missing: str, status: int = 200) -> UpstreamError:
        """`contract_error` from its parts, for a caller that kept only the parsed body."""
        what = f"{self.backend} answered {status} without {missing} for {method} {path}"
        if method == "GET":
            return self._error(method, path, what, NO_RECORD, status=status)
        return self._error(
            method, path, f"{what}; the write was probably applied", NOT_RETRIED, status=status, outcome_unknown=True
        )

    def record(self, answer: UpstreamResponse, *keys: str, what: str = "a record") -> dict[str, Any]:
        """The one record an answer holds: under the first of `keys` present (a wrapper like {"task": {...}}), or
        the answer itself, or its only element; unwrapped from {"data": ...}. It must carry a non-null id,
        else `contract_error` (an answer with no usable record is never passed off as one)."""
        found = unwrap_record(answer.data, keys)
        if found is None:
            raise self.contract_error(answer, what)
        return found

    def object_of(self, answer: UpstreamResponse) -> dict[str, Any]:
        """The answer as a JSON object ({} for an empty body); anything else is a contract error."""
        if answer.data is None:
            return {}
        if not isinstance(answer.data, dict):
            raise self.contract_error(answer, f"a JSON object (got a JSON {json_kind(answer.data)})")
        return answer.data

    def list_of(self, answer: UpstreamResponse, *keys: str) -> list[Any]:
        """The records a list answer holds: a bare array, or the array under the first of `keys` (or a generic
        wrapper); [] for an empty body. Entries are returned as they are: `models.page_of` reads each one and
        reports the unreadable. No list where one is promised is a contract error; entries that are not records
        are left out and named in the call's warnings."""
        data = answer.data
        if data is None:
            return []
        if isinstance(data, dict):
            found = next(
                (data[k] for k in (*keys, *WRAPPER_KEYS, "items", "results") if isinstance(data.get(k), list)), None
            )
            if found is None:
                named = f"'{keys[0]}'" if keys else "a list"
                raise self.contract_error(answer, f"{named} (a list of records)")
            data = found
        if not isinstance(data, list):
            raise self.contract_error(answer, f"a list of records (got a JSON {json_kind(data)})")
        odd = [i + 1 for i, entry in enumerate(data) if not isinstance(entry, dict)]
        if odd:
            warn(
                f"{self.backend} answered {answer.method} {answer.path} with {len(odd)} entries that are not records "
                f"(positions {', '.join(map(str, odd[:10]))}); they are left out."
            )
        return [entry for entry in data if isinstance(entry, dict)]

    def _unreadable(self, response: httpx2.Response, method: str, path: str, idempotent: bool) -> UpstreamError:
        """A 2xx whose body is not JSON: a proxy or login page, or the wrong base URL. Never an empty result."""
        kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "no content type"
        what = f"{self.backend} answered {method} {path} with HTTP {response.status_code} but a body that is not JSON"
        if idempotent:
            return self._error(
                method,
                path,
                f"{what} ({kind})",
                "This usually means a wrong site/base URL or a proxy page; check the configured URL.",
                status=response.status_code,
            )
        return self._error(
            method,
            path,
            f"{what} ({kind}), so whether the write was applied is unknown",
            NOT_RETRIED,
            status=response.status_code,
            outcome_unknown=True,
        )

    async def _finish(
        self,
        response: httpx2.Response,
        body: bytes,
        method: str,
        path: str,
        idempotent: bool,
        attempts: int,
        rate_limited: bool,
    ) -> UpstreamResponse:
        text = body.decode(response.encoding or "utf-8", errors="replace")
        if len(body) > PARSE_OFF_LOOP_BYTES:
            data = await anyio.to_thread.run_sync(parse_body, response, text)
        else:
            data = parse_body(response, text)
        status = response.status_code
        if 300 <= status < 400:
            raise self._redirected(response, method, path, idempotent)
        if status < 400:
            if data is None and text.strip() and (method == "GET" or looks_like_html(text)):
                raise self._unreadable(response, method, path, idempotent)
            return UpstreamResponse(status, response.headers, data, text, method, path)
        # Redact before anything is trimmed, so a cut can never leave half a secret behind.
        upstream = self._redact(self.error_message(data, self._redact(text)))[:500]
        where = f"{method} {path}"
        tried = f" after {attempts + 1} attempts" if attempts else ""
        retry_after: float | None = None
        then: tuple[str, ...] = ()
        if rate_limited or status == 429:
            retry_after = self.retry_wait(response, attempts)
            wait = f"Wait about {max(1, round(retry_after))} seconds, then try again."
            if idempotent:
                cause, then = f"{self.backend} is rate limiting requests (HTTP {status}{tried})", (wait,)
            else:
                cause = f"{self.backend} is rate limiting requests (HTTP {status}) and refused {where}"
                then = (NOT_APPLIED, wait)
        elif status == 401:
            cause, then = f"{self.backend} rejected the credentials (HTTP 401) for {where}", (self.credentials_hint,)
        elif status == 403:
            cause = f"{self.backend} refused {where} (HTTP 403)"
            then = ("The API account lacks permission for this record or action; ask an administrator to grant it.",)
        elif status == 404:
            cause = f"{self.backend} found no such record (HTTP 404 for {where})"
        elif status >= 500 and not idempotent:
            cause = f"{self.backend} failed with HTTP {status} on {where}"
            then = ("The write may or may not have been applied.", NOT_RETRIED)
        elif status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            later = f"Try again in about {max(1, round(retry_after))} seconds." if retry_after else "Try again later."
            cause, then = f"{self.backend} failed with HTTP {status} on {where}{tried}", (later,)
        else:
            cause, then = f"{self.backend} rejected {where} (HTTP {status})", (CHECK_ARGUMENTS,)
        raise self._error(
            method,
            path,
            cause,
            *then,
            status=status,
            upstream=upstream,
            outcome_unknown=status >= 500 and not idempotent,
            retry_after=retry_after,
        )


def new_http_pool(
    timeout: float, max_connections: int = 20, transport: httpx2.AsyncBaseTransport | None = None
) -> httpx2.AsyncClient:
    """One pooled client per backend; opened in the server lifespan, closed on shutdown. Idle connections kept
    for reuse are fewer than the cap: a burst's sockets are not all held open afterwards."""
    return httpx2.AsyncClient(
        transport=transport,
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
        limits=httpx2.Limits(max_connections=max_connections, max_keepalive_connections=min(max_connections, 64)),
        follow_redirects=False,
    )
