"""The network edge of the SSE and streamable-HTTP transports: guards every request passes before the SDK sees it.

In order, outermost first:
- `HostGuard`: Host and Origin checks against DNS rebinding on every path (/healthz and /metrics included),
  case-insensitive and port-checked. A Host that names the very socket the request arrived on (an orchestrator's
  probe to pod-ip:port) is always fine: a rebinding page always sends its own host name.
- `BearerTokenMiddleware`: `Authorization: Bearer <PROJECTOPS_HTTP_TOKEN>` (the scheme in any case), constant-time.
- `CallerGuard`: refuses credential headers that are not printable ASCII, and names the caller for the SDK (an
  HMAC of its Authorization and credential headers, as `scope["user"]`), which turns on the SDK's own check that a
  session is only ever used by the caller that opened it.
- `BodyGuard`: a request body is read within PROJECTOPS_BODY_TIMEOUT seconds and up to a limit derived from the
  receipt limit; beyond either the client gets a JSON-RPC error it can show, not a bare 413.
- `SseStreamCap`: at most PROJECTOPS_MAX_SESSIONS_PER_CALLER open SSE streams per caller.

Below ASGI, `guarded_protocol()` gives uvicorn a connection class that closes a connection whose request headers
are not complete within PROJECTOPS_HEADER_TIMEOUT seconds (slowloris) and, past PROJECTOPS_MAX_CONNECTIONS, sheds
the oldest such half-open connection first, so that /healthz and real clients still get a socket.
`SessionLimits` caps streamable-HTTP sessions per caller and in total; at a cap the caller's (else anyone's)
oldest idle session is closed rather than the new client refused.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from uvicorn.protocols.http.h11_impl import H11Protocol

from projectops_mcp.backends import CREDENTIAL_HEADERS
from projectops_mcp.config import Settings, file_descriptor_share

logger = logging.getLogger("projectops_mcp.edge")

MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
JSONRPC_INVALID_REQUEST = -32600
# A receipt travels base64-encoded (4 bytes per 3) inside a JSON-RPC envelope next to the claim's other fields.
ENVELOPE_ALLOWANCE = 1024 * 1024


# -- limits ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EdgeLimits:
    header_timeout: float
    body_timeout: float
    max_body: int
    max_connections: int
    max_sessions: int
    max_sessions_per_caller: int
    session_idle_timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> EdgeLimits:
        return cls(
            header_timeout=settings.projectops_header_timeout,
            body_timeout=settings.projectops_body_timeout,
            max_body=max_request_bytes(settings),
            max_connections=settings.projectops_max_connections or default_max_connections(),
            max_sessions=settings.projectops_max_sessions,
            max_sessions_per_caller=settings.projectops_max_sessions_per_caller,
            session_idle_timeout=settings.projectops_session_idle_timeout,
        )


def max_request_bytes(settings: Settings) -> int:
    """PROJECTOPS_MAX_REQUEST_BYTES, or what the largest allowed receipt needs as receipt_base64 in a request."""
    if settings.projectops_max_request_bytes:
        return settings.projectops_max_request_bytes
    return math.ceil(settings.projectops_max_receipt_bytes / 3) * 4 + ENVELOPE_ALLOWANCE


def default_max_connections() -> int:
    """Half the process's file descriptors (the rest: upstream pools, logs), at most 1000."""
    return file_descriptor_share()


# -- helpers ----------------------------------------------------------------------------------------------------------


def header(scope: dict, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return None


def jsonrpc_error(status: int, message: str, headers: dict[str, str] | None = None) -> Any:
    """An ASGI app answering one JSON-RPC error (id null: the request was refused before it was read); the SDK's
    client shows its message to the caller instead of a bare HTTP status."""
    body = json.dumps(
        {"jsonrpc": "2.0", "id": None, "error": {"code": JSONRPC_INVALID_REQUEST, "message": message}}
    ).encode()

    async def app(scope: dict, receive: Any, send: Any) -> None:
        extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


# -- Host and Origin ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostRule:
    """One allowed host name; port None = no port or the port this server listens on, '*' = any port."""

    name: str
    port: int | str | None = None

    @classmethod
    def parse(cls, entry: str) -> HostRule:
        name, port = split_host(entry.strip())
        if port == "*" or port is None:
            return cls(name, port)
        return cls(name, int(port))


def split_host(value: str) -> tuple[str, str | None]:
    """'Example.COM:8000' -> ('example.com', '8000'); '[::1]:80' -> ('::1', '80'); 'h:*' -> ('h', '*')."""
    value = value.strip()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
    elif value.count(":") == 1:
        name, port = value.split(":")
    else:
        name, port = value, None  # a bare name, or an unbracketed IPv6 address
    return name.lower().rstrip("."), (port or None)


class HostGuard:
    """DNS-rebinding protection for every path. Allowed: PROJECTOPS_ALLOWED_HOSTS (or, on a loopback bind, the
    loopback names), each on this server's port unless the entry names one; plus the address the connection
    arrived on. Origin, when sent, must name an allowed host the same way."""

    def __init__(self, app: Any, allowed_hosts: list[str], *, loopback: bool):
        self.app = app
        entries = allowed_hosts or (list(LOOPBACK_NAMES) if loopback else [])
        self.rules = [HostRule.parse(e) for e in entries if e.strip()]
        self.enabled = bool(self.rules)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or not self.enabled:
            await self.app(scope, receive, send)
            return
        server = scope.get("server") or (None, None)
        host = (header(scope, b"host") or b"").decode("latin-1")
        if not self.allowed(host, server):
            logger.warning("refused a request for Host %r", host[:100])
            await jsonrpc_error(421, "Invalid Host header: add the name clients use to PROJECTOPS_ALLOWED_HOSTS.")(
                scope, receive, send
            )
            return
        origin = header(scope, b"origin")
        if origin is not None and not self.origin_allowed(origin.decode("latin-1"), server):
            logger.warning("refused a request from Origin %r", origin[:100])
            await jsonrpc_error(403, "Invalid Origin header.")(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allowed(self, host: str, server: tuple[Any, Any]) -> bool:
        if not host:
            return False
        try:
            name, port = split_host(host)
            number = int(port) if port is not None else None
        except ValueError:
            return False
        local_ip, local_port = server
        if local_ip and name == str(local_ip).lower() and number in (None, local_port):
            return True  # names the socket it arrived on: not a rebinding
        for rule in self.rules:
            if rule.name != name:
                continue
            if rule.port == "*" or rule.port == number or (rule.port is None and number in (None, local_port)):
                return True
        return False

    def origin_allowed(self, origin: str, server: tuple[Any, Any]) -> bool:
        try:
            parts = urlsplit(origin.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return False  # includes the opaque origin 'null'
            port = parts.port
        except ValueError:
            return False
        name = parts.hostname
        return self.allowed(f"[{name}]:{port}" if ":" in name else f"{name}:{port}" if port else name, server)


# -- the bearer token -----------------------------------------------------------------------------------------------


def check_token(token: str) -> None:
    if len(token) < MIN_TOKEN_LENGTH:
        raise SystemExit(
            f"PROJECTOPS_HTTP_TOKEN is too short ({len(token)} characters; at least {MIN_TOKEN_LENGTH}). Generate "
            "one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )


class BearerTokenMiddleware:
    """Requires `Authorization: Bearer <PROJECTOPS_HTTP_TOKEN>` on everything but /healthz (constant-time check;
    the scheme is case-insensitive, as RFC 9110 says)."""

    OPEN_PATHS = ("/healthz",)  # /metrics stays behind the token: Prometheus can send a bearer token

    def __init__(self, app: Any, token: str):
        check_token(token)
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in self.OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        scheme, _, provided = (header(scope, b"authorization") or b"").strip().partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(provided.strip(), self._expected):
            await jsonrpc_error(
                401,
                "Unauthorized: send Authorization: Bearer <PROJECTOPS_HTTP_TOKEN>.",
                {"WWW-Authenticate": 'Bearer realm="projectops-mcp"'},
            )(scope, receive, send)
            return
        await self.app(scope, receive, send)


# -- who is calling -------------------------------------------------------------------------------------------------


class CallerGuard:
    """Checks credential headers are printable ASCII (an HTTP client could not send them upstream otherwise) and
    sets `scope["user"]` to this caller's identity, so the SDK binds each session to the caller that opened it."""

    def __init__(self, app: Any):
        self.app = app
        self._key = secrets.token_bytes(32)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        digest = hmac.new(self._key, digestmod=hashlib.sha256)
        for name in (b"authorization", *(h.encode() for h in CREDENTIAL_HEADERS)):
            value = header(scope, name)
            if value is None:
                continue
            if not all(0x20 <= byte < 0x7F for byte in value):
                shown = "Authorization" if name == b"authorization" else name.decode().title()
                await jsonrpc_error(
                    400,
                    f"{shown}: the header value must be printable ASCII (a key or token exactly as issued); check "
                    "for pasted quotes, spaces or accented characters.",
                )(scope, receive, send)
                return
            digest.update(name + b"\0" + value.strip() + b"\0")
        caller = digest.hexdigest()[:32]
        user = AuthenticatedUser(AccessToken(token="", client_id=caller, scopes=[]))  # noqa: S106 - no token kept
        await self.app({**scope, "user": user}, receive, send)


def caller_of(scope: dict) -> str:
    user = scope.get("user")
    return user.access_token.client_id if isinstance(user, AuthenticatedUser) else ""


# -- request bodies -------------------------------------------------------------------------------------------------


class BodyGuard:
    """Reads a request body whole, within `timeout` seconds and `limit` bytes, then hands it on."""

    def __init__(self, app: Any, limit: int, timeout: float, receipt_limit: int):
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self.receipt_limit = receipt_limit

    def _too_large(self, size: int | None) -> Any:
        got = f"{size / 2**20:.1f} MiB is" if size else "The request body is"
        return jsonrpc_error(
            413,
            f"Request too large: {got} over this server's {self.limit / 2**20:.1f} MiB limit. A receipt may be at "
            f"most {self.receipt_limit / 2**20:.1f} MiB (PROJECTOPS_MAX_RECEIPT_BYTES); send a smaller file, or "
            "ask the operator for receipts_dir and pass receipt_path instead.",
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(int(declared))(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        with anyio.move_on_after(self.timeout) as waited:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.limit:
                    await self._too_large(None)(scope, receive, send)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        if waited.cancelled_caught:
            logger.info("closed a request whose body did not arrive within %gs", self.timeout)
            await jsonrpc_error(408, f"Request body not received within {self.timeout:g}s.", {"Connection": "close"})(
                scope, receive, send
            )
            return
        body = b"".join(chunks)
        chunks.clear()
        delivered = False

        async def replay() -> dict:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# -- SSE streams per caller -----------------------------------------------------------------------------------------


class SseStreamCap:
    """At most `per_caller` open SSE streams per caller and `total` in all (SSE sessions live as long as the
    stream); beyond that, 429 / 503 with a JSON-RPC error."""

    def __init__(self, app: Any, sse_path: str, per_caller: int, total: int):
        self.app = app
        self.sse_path = sse_path
        self.per_caller = per_caller
        self.total = total
        self.open: dict[str, int] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") != self.sse_path or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        caller = caller_of(scope)
        if self.open.get(caller, 0) >= self.per_caller:
            await jsonrpc_error(
                429, f"Too many open SSE streams for this caller (at most {self.per_caller}); close one first."
            )(scope, receive, send)
            return
        if sum(self.open.values()) >= self.total:
            await jsonrpc_error(503, "Too many open SSE streams on this server; try again shortly.")(
                scope, receive, send
            )
            return
        self.open[caller] = self.open.get(caller, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open[caller] -= 1
            if not self.open[caller]:
                del self.open[caller]


# -- streamable-HTTP sessions ---------------------------------------------------------------------------------------


class SessionLimits:
    """Caps the SDK session manager's stateful sessions per caller and in total. At a cap the caller's own oldest
    idle session (no request in flight) is closed, else anyone's oldest idle one; only when every session is busy
    is the new one refused (503). Hooks the manager's admission step (`_admit_session`; mcp is pinned below 3 and
    tests/test_edge.py fails if the hook stops being called)."""

    def __init__(self, per_caller: int, total: int):
        self.per_caller = per_caller
        self.total = total
        self.evicted = 0

    def install(self, manager: Any) -> None:
        admit = manager._admit_session
        sessions: dict[str, Any] = manager._server_instances
        owners: dict[str, Any] = manager._session_owners

        def admit_within_limits(requestor: Any) -> Any:
            mine = [sid for sid, owner in owners.items() if owner == requestor]
            victim = None
            if len(mine) >= self.per_caller:
                victim = _oldest_idle(mine, sessions)
                if victim is None:
                    return None
            elif len(sessions) >= self.total:
                victim = _oldest_idle(mine, sessions) or _oldest_idle(list(sessions), sessions)
                if victim is None:
                    return None
            if victim is not None:
                transport = sessions.pop(victim)
                owners.pop(victim, None)
                self.evicted += 1
                logger.info("closed idle session %s to admit a new one (session cap)", victim[:8])
                manager._task_group.start_soon(transport.terminate)
            return admit(requestor)

        manager._admit_session = admit_within_limits


def _oldest_idle(candidates: list[str], sessions: dict[str, Any]) -> str | None:
    for sid in candidates:  # dicts keep insertion order: oldest first
        transport = sessions.get(sid)
        if transport is not None and not getattr(transport, "_requests_in_flight", 0):
            return sid
    return None


# -- connections (below ASGI) ---------------------------------------------------------------------------------------


def guarded_protocol(header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 connection with a deadline for request headers and shedding of half-open connections."""

    class GuardedH11Protocol(H11Protocol):
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._opened_at = self.loop.time()
            self._arm_header_deadline()
            if len(self.connections) > max_connections:
                self._shed()

        def _arm_header_deadline(self) -> None:
            waiting_on = self.cycle
            self._header_timer = self.loop.call_later(header_timeout, self._header_deadline, waiting_on)

        def _header_deadline(self, waiting_on: Any) -> None:
            if self.cycle is waiting_on and not self.transport.is_closing():
                self.transport.close()  # no (next) request's headers within the deadline

        def _awaiting_headers(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _shed(self) -> None:
            pending = [c for c in self.connections if c is not self and getattr(c, "_awaiting_headers", None)]
            pending = [c for c in pending if c._awaiting_headers() and not c.transport.is_closing()]
            if pending:
                min(pending, key=lambda c: c._opened_at).transport.close()
            elif len(self.connections) >= hard_limit(max_connections):
                self.transport.close()
            # else: it gets served; uvicorn's limit_concurrency (the hard limit) answers 503 beyond that

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._header_timer.cancel()
                self._arm_header_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
            super().connection_lost(exc)

    return GuardedH11Protocol


def hard_limit(max_connections: int) -> int:
    """Connections beyond PROJECTOPS_MAX_CONNECTIONS that are served while half-open ones are being shed."""
    return max_connections + max(4, max_connections // 10)


def uvicorn_options(limits: EdgeLimits) -> dict[str, Any]:
    """What serve_http (and the tests' loopback servers) pass to uvicorn.Config."""
    return {
        "http": guarded_protocol(limits.header_timeout, limits.max_connections),
        "limit_concurrency": hard_limit(limits.max_connections),
        "timeout_keep_alive": 5,
    }


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
