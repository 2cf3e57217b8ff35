"""Serving over stdio, SSE and streamable HTTP: bind rules, bearer-token check, /healthz, graceful shutdown."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import sys
from typing import Any, Literal

import anyio
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from projectops_mcp import __version__
from projectops_mcp.server import ProjectOpsServer

logger = logging.getLogger("projectops_mcp.transports")

HttpTransport = Literal["http", "sse"]
OPEN_PATHS = ("/healthz",)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "127.0.0.1", "::1"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class BearerTokenMiddleware:
    """Requires `Authorization: Bearer <PROJECTOPS_HTTP_TOKEN>` on everything but /healthz (constant-time check)."""

    def __init__(self, app: Any, token: str):
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        provided = b""
        for key, value in scope.get("headers", []):
            if key.lower() == b"authorization":
                provided = value
                break
        if not hmac.compare_digest(provided, self._expected):
            response = JSONResponse(
                {"error": "unauthorized", "error_description": "send Authorization: Bearer <PROJECTOPS_HTTP_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="projectops-mcp"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def check_bind(host: str, has_token: bool, allow_unauthenticated: bool) -> None:
    """Refuse to expose an unauthenticated server beyond this machine."""
    if not is_loopback(host) and not has_token and not allow_unauthenticated:
        raise SystemExit(
            f"Refusing to listen on {host} without authentication: set PROJECTOPS_HTTP_TOKEN (clients then send "
            "'Authorization: Bearer <token>'), or pass --allow-unauthenticated if a proxy in front authenticates."
        )


def _security(host: str, allowed_hosts: list[str]) -> TransportSecuritySettings | None:
    if allowed_hosts:
        origins = [f"http://{h}" for h in allowed_hosts] + [f"https://{h}" for h in allowed_hosts]
        return TransportSecuritySettings(
            enable_dns_rebinding_protection=True, allowed_hosts=allowed_hosts, allowed_origins=origins
        )
    if is_loopback(host):
        return None  # the SDK turns DNS-rebinding protection on for loopback binds
    logger.warning("DNS-rebinding protection is off: set PROJECTOPS_ALLOWED_HOSTS to the names clients use")
    return TransportSecuritySettings(enable_dns_rebinding_protection=False)


def build_http_app(
    server: ProjectOpsServer,
    *,
    transport: HttpTransport,
    host: str = "127.0.0.1",
    stateless: bool = False,
    json_response: bool = False,
) -> Any:
    """The ASGI app for SSE (/sse + /messages/) or streamable HTTP (/mcp), with /healthz and the token check."""
    settings = server.app_settings

    @server.custom_route("/healthz", methods=["GET"])
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "tools": len(server.tools)})

    for route in getattr(server, "extra_routes", []):
        server.custom_route(route.path, methods=list(route.methods or ["GET"]))(route.endpoint)

    security = _security(host, settings.projectops_allowed_hosts)
    if transport == "sse":
        app: Any = server.sse_app(transport_security=security, host=host)
    else:
        app = server.streamable_http_app(
            stateless_http=stateless, json_response=json_response, transport_security=security, host=host
        )
    if settings.projectops_http_token is not None:
        app = BearerTokenMiddleware(app, settings.projectops_http_token.get_secret_value())
    return app


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
    check_bind(host, settings.projectops_http_token is not None, settings.projectops_allow_unauthenticated)
    app = build_http_app(server, transport=transport, host=host, stateless=stateless, json_response=json_response)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    if ready_message:
        path = "/sse" if transport == "sse" else "/mcp"
        print(f"projectops-mcp {__version__} serving {transport} on http://{host}:{port}{path}", file=sys.stderr)
    await uvicorn.Server(config).serve()


async def serve_stdio(server: ProjectOpsServer) -> None:
    """Serve over stdin/stdout until stdin closes (then exit, leaving no orphan)."""
    await server.run_stdio_async()


def run(coro_fn: Any) -> None:
    anyio.run(coro_fn)


def metrics_text_response(text: str) -> Response:
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")
