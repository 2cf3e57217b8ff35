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
- A 2xx answer that is not JSON (a proxy's HTML login page, a truncated body) is an error, never an empty result.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import anyio
import httpx2

from projectops_mcp import __version__
from projectops_mcp.accounts import Account, RateLimiter, ReferenceCache
from projectops_mcp.calls import current_call, emit_event
from projectops_mcp.errors import NOT_APPLIED, NOT_RETRIED, NOTHING_SENT, UpstreamError
from projectops_mcp.redaction import Redactor
from projectops_mcp.tracing import StatusCode, upstream_span

logger = logging.getLogger("projectops_mcp.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
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
    ):
        self._http = http
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
                            response = await self._http.request(
                                method, url, params=query, content=content, headers=headers, timeout=self._timeout
                            )
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
                self._observe(method, path, status, started, attempt, "ok" if status < 400 else "http_error", span)
                return self._finish(response, method, path, idempotent, attempt, rate_limited)

    def _check_budget(self, method: str, path: str) -> None:
        """Refuse to send once the call has used its request budget (`Call.max_upstream_requests`)."""
        call = current_call.get()
        if call is None or call.max_upstream_requests is None or call.upstream_requests < call.max_upstream_requests:
            return
        raise UpstreamError(
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

    def _finish(
        self,
        response: httpx2.Response,
        method: str,
        path: str,
        idempotent: bool,
        attempts: int,
        rate_limited: bool,
    ) -> UpstreamResponse:
        text = response.text
        data = parse_body(response, text)
        status = response.status_code
        if status < 400:
            if data is None and text.strip() and (method == "GET" or looks_like_html(text)):
                raise self._unreadable(response, method, path, idempotent)
            return UpstreamResponse(status, response.headers, data, text)
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
            cause, then = f"{self.backend} rejected {where} (HTTP {status})", ("Check the arguments and try again.",)
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


# ---------------------------------------------------------------------------------------------------------------
# Helpers shared by both backends
# ---------------------------------------------------------------------------------------------------------------


class Repeated(tuple):
    """A query value sent as one pair per item (include=a&include=b) instead of comma-joined."""


def encode_params(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Query parameters as sent: None dropped, booleans as 'true'/'false', lists comma-joined, `Repeated`
    values as repeated pairs."""
    out: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, Repeated):
            out.extend((key, str(v)) for v in value)
        elif isinstance(value, bool):
            out.append((key, "true" if value else "false"))
        elif isinstance(value, list | tuple):
            if value:
                out.append((key, ",".join(str(v) for v in value)))
        else:
            out.append((key, str(value)))
    return out


def parse_body(response: httpx2.Response, text: str) -> Any:
    if not text.strip():
        return None
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type or text.lstrip()[:1] in ("{", "[", '"'):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return None


_TAG_RE = re.compile(r"<[^>]+>")


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def extract_message(data: Any, text: str) -> str:
    """Find a human message in the many error dialects: {'Message'}, {'MESSAGE'}, {'errors':[{'detail'}]}, a JSON
    string, {'content': {'errors': [...]}}, plain text or an HTML error page."""
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        for key in ("Message", "message", "MESSAGE", "error", "title", "detail", "error_description"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip() + _model_state(data.get("ModelState") or data.get("modelState"))
        errors = data.get("errors")
        if isinstance(data.get("content"), dict):
            errors = data["content"].get("errors", errors)
        if isinstance(errors, list) and errors:
            parts = []
            for err in errors[:5]:
                if isinstance(err, dict):
                    parts.append(str(err.get("detail") or err.get("title") or err.get("message") or ""))
                else:
                    parts.append(str(err))
            return "; ".join(p for p in parts if p)
        if isinstance(errors, dict):
            return "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:5])
    if data is None and text.strip():
        stripped = _TAG_RE.sub(" ", text)
        return " ".join(stripped.split())[:300]
    return ""


def _model_state(state: Any) -> str:
    """ASP.NET's per-field reasons ({"model.days[0].typeID": ["..."]}) as ' (field: reason; ...)'."""
    if not isinstance(state, dict) or not state:
        return ""
    parts = []
    for field_name, reasons in list(state.items())[:5]:
        reason = reasons[0] if isinstance(reasons, list) and reasons else reasons
        parts.append(f"{str(field_name).removeprefix('model.')}: {reason}")
    return " (" + "; ".join(parts) + ")"


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def new_http_pool(
    timeout: float, max_connections: int = 20, transport: httpx2.AsyncBaseTransport | None = None
) -> httpx2.AsyncClient:
    """One pooled client per backend; opened in the server lifespan, closed on shutdown."""
    return httpx2.AsyncClient(
        transport=transport,
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
        limits=httpx2.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        follow_redirects=False,
    )
