"""Serving over SSE and streamable HTTP (stdio is `stdio.py`): bind rules, /healthz, /metrics, graceful shutdown.
The guards every HTTP request passes (Host/Origin, token, caller identity, body limits, session and connection caps)
are in edge.py.

Shutdown: SIGTERM or SIGINT stops taking new work, lets in-flight tool calls finish for up to
PROJECTOPS_SHUTDOWN_TIMEOUT seconds, then cancels what is left, closes the backend connection pools (the server
lifespan) and exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import anyio
from mcp.server.transport_security import TransportSecuritySettings
from sse_starlette.sse import AppStatus
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from projectops_mcp import __version__
from projectops_mcp.config import Settings
from projectops_mcp.edge import (
    BearerTokenMiddleware,
    BodyGuard,
    CallerGuard,
    EdgeLimits,
    HostGuard,
    SessionLimits,
    SseStreamCap,
    check_token,
    is_loopback,
    uvicorn_options,
)
from projectops_mcp.metrics import REGISTRY
from projectops_mcp.server import ProjectOpsServer
from projectops_mcp.stdio import SHUTDOWN_SIGNALS, wait_idle

logger = logging.getLogger("projectops_mcp.transports")

HttpTransport = Literal["http", "sse"]


def http_token(settings: Settings) -> str | None:
    """The configured PROJECTOPS_HTTP_TOKEN; an empty one counts as none (it would let 'Bearer ' in)."""
    token = settings.projectops_http_token
    return token.get_secret_value() if token is not None and token.get_secret_value().strip() else None


def check_bind(host: str, has_token: bool, allow_unauthenticated: bool) -> None:
    """Refuse to expose an unauthenticated server beyond this machine."""
    if not is_loopback(host) and not has_token and not allow_unauthenticated:
        raise SystemExit(
            f"Refusing to listen on {host} without authentication: set PROJECTOPS_HTTP_TOKEN (clients then send "
            "'Authorization: Bearer <token>'), or pass --allow-unauthenticated if a proxy in front authenticates."
        )


def build_http_app(
    server: ProjectOpsServer,
    *,
    transport: HttpTransport,
    host: str = "127.0.0.1",
    stateless: bool = False,
    json_response: bool = False,
) -> Any:
    """The ASGI app for SSE (/sse + /messages/) or streamable HTTP (/mcp), with /healthz, /metrics and the edge
    guards of edge.py around it."""
    settings = server.app_settings
    REGISTRY.attach(server)
    limits = EdgeLimits.from_settings(settings)
    token = http_token(settings)
    if token is not None:
        check_token(token)

    @server.custom_route("/healthz", methods=["GET"])
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "tools": len(server.tools)})

    @server.custom_route("/metrics", methods=["GET"])
    async def metrics(_: Request) -> Response:
        return metrics_text_response(REGISTRY.render())

    for route in getattr(server, "extra_routes", []):
        server.custom_route(route.path, methods=list(route.methods or ["GET"]))(route.endpoint)

    # Host/Origin are checked by HostGuard for every path; the SDK's own check (case-sensitive, any port on
    # loopback) is turned off so that there is one rule. The SDK still checks Content-Type.
    sdk_checks = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    if not settings.projectops_allowed_hosts and not is_loopback(host):
        logger.warning("DNS-rebinding protection is off: set PROJECTOPS_ALLOWED_HOSTS to the names clients use")
    if transport == "sse":
        app: Any = server.sse_app(transport_security=sdk_checks, host=host, max_request_body_size=limits.max_body)
        app = SseStreamCap(app, "/sse", limits.max_sessions_per_caller, limits.max_sessions)
    else:
        app = server.streamable_http_app(
            stateless_http=stateless,
            json_response=json_response,
            transport_security=sdk_checks,
            host=host,
            max_request_body_size=limits.max_body,
            session_idle_timeout=limits.session_idle_timeout,
            max_sessions=limits.max_sessions,
        )
        if not stateless:
            SessionLimits(limits.max_sessions_per_caller, limits.max_sessions).install(
                server._lowlevel_server._session_manager
            )
    app = BodyGuard(app, limits.max_body, limits.body_timeout, settings.projectops_max_receipt_bytes)
    app = CallerGuard(app)
    if token is not None:
        app = BearerTokenMiddleware(app, token)
    return HostGuard(app, settings.projectops_allowed_hosts, loopback=is_loopback(host))


async def serve_http(
    server: ProjectOpsServer,
    *,
    transport: HttpTransport,
    host: str,
    port: int,
    stateless: bool = False,
    json_response: bool = False,
    ready_message: bool = True,
) -> None:
    import uvicorn

    settings = server.app_settings
    check_bind(host, http_token(settings) is not None, settings.projectops_allow_unauthenticated)
    app = build_http_app(server, transport=transport, host=host, stateless=stateless, json_response=json_response)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        **uvicorn_options(EdgeLimits.from_settings(settings)),
        # uvicorn waits this long for open requests (in-flight tool calls) before cancelling them.
        timeout_graceful_shutdown=settings.projectops_shutdown_timeout,
        lifespan="on",
    )
    if ready_message:
        path = "/sse" if transport == "sse" else "/mcp"
        print(f"projectops-mcp {__version__} serving {transport} on http://{host}:{port}{path}", file=sys.stderr)
    uv = uvicorn.Server(config)
    # sse-starlette ends every open SSE stream the moment uvicorn is asked to exit, which would cut off the answer
    # of an in-flight tool call (streamable HTTP answers over SSE). Drain ourselves: streams close once the
    # in-flight calls are done, or when the grace period runs out.
    AppStatus.disable_automatic_graceful_drain()
    with _absorb_signals():
        async with anyio.create_task_group() as tg:
            tg.start_soon(_close_streams_when_drained, uv, server, settings.projectops_shutdown_timeout)
            await uv.serve()
            tg.cancel_scope.cancel()
    logger.info("stopped")


async def _close_streams_when_drained(uv: Any, server: ProjectOpsServer, grace: float) -> None:
    while not uv.should_exit:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await anyio.sleep(0.1)
    logger.info("shutting down: finishing %d in-flight tool calls", server.in_flight)
    await wait_idle(server, grace)
    AppStatus.should_exit = True


@contextmanager
def _absorb_signals() -> Iterator[None]:
    """uvicorn shuts down gracefully on SIGTERM/SIGINT and then re-raises the signal against the handlers it found
    (the default ones would kill us with 143/130 after a clean shutdown). Finding these no-ops instead, the
    process exits 0."""
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in SHUTDOWN_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(coro_fn: Any) -> None:
    anyio.run(coro_fn)


def metrics_text_response(text: str) -> Response:
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")
