"""In-process simulators of the Teamwork.com and Projectworks APIs, speaking their real wire format.

`Sandbox()` builds both; `sandbox.app` routes `/api/v1/...` to Projectworks and everything else to Teamwork, so
one ASGI app (or one loopback port) serves both. `--sandbox` talks to it through httpx's ASGI transport; tests
serve it on 127.0.0.1 with `LoopbackServer` and talk real HTTP.
"""

from __future__ import annotations

import threading
import time
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx2

from projectops_mcp.sandbox.projectworks import build_projectworks
from projectops_mcp.sandbox.simulator import Simulator
from projectops_mcp.sandbox.teamwork import build_teamwork

PROJECTWORKS_PREFIX = "/api/v1"
SANDBOX_TEAMWORK_URL = "http://teamwork.sandbox"
SANDBOX_PROJECTWORKS_URL = "http://projectworks.sandbox" + PROJECTWORKS_PREFIX
SANDBOX_TEAMWORK_API_KEY = "sandbox-teamwork-key"
SANDBOX_PROJECTWORKS_KEY = "sandbox-key"
SANDBOX_PROJECTWORKS_SECRET = "sandbox-secret"  # noqa: S105 - the simulator's public demo credential
# The receipts directory --sandbox uses when none is configured: one sample, taxi-2026-11-20.pdf (NZD 45.50).
SANDBOX_RECEIPTS_DIR = Path(__file__).with_name("receipts")


class Sandbox:
    """Both simulators; each is built (routes imported, demo data seeded) on first use, so that a server started
    with --sandbox answers `initialize` and `tools/list` as fast as one without. With `scale` N >= 1 both also
    hold the bigger agency of `sandbox/agency.py`, generated once for the two."""

    def __init__(self, scale: int = 0):
        self.scale = scale

    @cached_property
    def agency(self) -> Any:
        from projectops_mcp.sandbox import agency

        return agency.generate(self.scale) if self.scale else None

    def _more_data(self, backend: str) -> Any:
        if not self.scale:
            return None
        from projectops_mcp.sandbox import agency

        seed = agency.seed_teamwork if backend == "teamwork" else agency.seed_projectworks
        return lambda store: seed(store, self.agency)

    @cached_property
    def projectworks(self) -> Simulator:
        return build_projectworks(prefix=PROJECTWORKS_PREFIX, more_data=self._more_data("projectworks"))

    @cached_property
    def teamwork(self) -> Simulator:
        return build_teamwork(more_data=self._more_data("teamwork"))

    async def app(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        path = scope.get("path", "")
        if path == PROJECTWORKS_PREFIX or path.startswith(PROJECTWORKS_PREFIX + "/"):
            await self.projectworks.app(scope, receive, send)
        else:
            await self.teamwork.app(scope, receive, send)

    def reset(self) -> None:
        self.projectworks.reset()
        self.teamwork.reset()

    def transport(self) -> httpx2.AsyncBaseTransport:
        return httpx2.ASGITransport(app=self.app)


class LoopbackServer:
    """Serves an ASGI app on 127.0.0.1 (an ephemeral port) in a background thread; for tests and benchmarks."""

    def __init__(self, app: Any, port: int = 0, lifespan: str = "off", **options: Any):
        """`options` go to uvicorn.Config (e.g. `edge.uvicorn_options(...)`, as `serve --transport http` uses)."""
        import uvicorn

        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="error",
            lifespan=lifespan,
            access_log=False,
            interface="asgi3",
            **options,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.port = 0

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("loopback server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
