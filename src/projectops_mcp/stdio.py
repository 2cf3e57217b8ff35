"""Serving over stdin/stdout, and the shutdown rule both transports share (`wait_idle`).

Kept apart from `transports.py` so that a stdio server imports none of the HTTP stack (uvicorn, starlette, the edge
guards): cold start is measured by `bench/startup.py`.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:
    from projectops_mcp.server import ProjectOpsServer

logger = logging.getLogger("projectops_mcp.transports")

SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def serve_stdio(server: ProjectOpsServer) -> None:
    """Serve over stdin/stdout until stdin closes, or until SIGTERM/SIGINT (after in-flight calls finish)."""
    grace = server.app_settings.projectops_shutdown_timeout
    async with anyio.create_task_group() as tg:

        async def serve() -> None:
            await server.run_stdio_async()
            tg.cancel_scope.cancel()  # stdin closed: stop waiting for signals too

        tg.start_soon(serve)
        with anyio.open_signal_receiver(*SHUTDOWN_SIGNALS) as signals:
            async for signum in signals:
                logger.info("%s: finishing %d in-flight tool calls", signal.Signals(signum).name, server.in_flight)
                await wait_idle(server, grace)
                # The SDK reads stdin in a worker thread that cancellation cannot interrupt, so the task group
                # would wait for a line that never comes: close the pools ourselves, flush, and leave.
                if server.backends is not None:
                    await server.backends.__aexit__(None, None, None)
                sys.stdout.flush()
                logger.info("stopped")
                logging.shutdown()
                os._exit(0)
    logger.info("stopped")


ANSWER_FLUSH = 0.25  # after the last call returns, time for the SDK to write its answer out


async def wait_idle(server: ProjectOpsServer, grace: float) -> bool:
    """Wait until no tool call is in flight and its answer had time to go out, at most `grace` seconds."""
    with anyio.move_on_after(grace):
        while server.in_flight > 0:  # noqa: ASYNC110 - a plain counter, polled only during shutdown
            await anyio.sleep(0.02)
        await anyio.sleep(ANSWER_FLUSH)
    return server.in_flight == 0
