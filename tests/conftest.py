"""Shared fixtures: the simulators on a real loopback port (one per session, reset per test), settings pointing at
them, and an in-process MCP client driving the real server through the SDK."""

from __future__ import annotations

import inspect
import io
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.observability import configure_logging
from projectops_mcp.redaction import Redactor
from projectops_mcp.sandbox import LoopbackServer, Sandbox
from projectops_mcp.server import ProjectOpsServer, build_server
from tests.redis_server import RedisServer

TW_API_KEY = "tw-test-key-0001"
PW_KEY = "pw-test-consumer-key"
PW_SECRET = "pw-test-consumer-secret"


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: Any, name: str, obj: Any) -> None:
    """Every `async def test_*` runs on anyio (marked before parametrization, so it composes with parametrize)."""
    if collector.funcnamefilter(name) and inspect.iscoroutinefunction(obj):
        pytest.mark.anyio(obj)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _own_write_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets a fresh write journal (a real SQLite file), never the user's own."""
    monkeypatch.setenv("PROJECTOPS_JOURNAL", str(tmp_path_factory.mktemp("journal") / "journal.sqlite3"))


class LiveSandbox:
    """The simulators, served on 127.0.0.1, plus their URLs."""

    def __init__(self, sandbox: Sandbox, url: str):
        self.sandbox = sandbox
        self.url = url
        self.projectworks = sandbox.projectworks
        self.teamwork = sandbox.teamwork

    @property
    def pw_url(self) -> str:
        return self.url + "/api/v1"

    def reset(self) -> None:
        self.sandbox.reset()


@pytest.fixture(scope="session")
def _live() -> Iterator[LiveSandbox]:
    sandbox = Sandbox()
    with LoopbackServer(sandbox.app) as server:
        yield LiveSandbox(sandbox, server.url)


@pytest.fixture
def sandbox(_live: LiveSandbox) -> Iterator[LiveSandbox]:
    _live.reset()
    yield _live
    _live.reset()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of this test's own on a free loopback port (see tests/redis_server.py)."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def sandbox_env(sandbox: LiveSandbox) -> dict[str, str]:
    """The environment of a server subprocess pointed at the live simulators (no PROJECTOPS_* of the caller's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMWORK_", "PROJECTWORKS_", "PROJECTOPS_"))}
    env.update(
        TEAMWORK_SITE_URL=sandbox.url,
        TEAMWORK_API_KEY=TW_API_KEY,
        PROJECTWORKS_BASE_URL=sandbox.pw_url,
        PROJECTWORKS_CONSUMER_KEY=PW_KEY,
        PROJECTWORKS_CONSUMER_SECRET=PW_SECRET,
    )
    return env


def make_settings(sandbox: LiveSandbox, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "teamwork_site_url": sandbox.url,
        "teamwork_api_key": TW_API_KEY,
        "projectworks_base_url": sandbox.pw_url,
        "projectworks_consumer_key": PW_KEY,
        "projectworks_consumer_secret": PW_SECRET,
        "projectops_teamwork_rps": 1000.0,
        "projectops_projectworks_rps": 1000.0,
        "projectops_retry_base_delay": 0.01,
        "projectops_http_timeout": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(sandbox: LiveSandbox) -> Settings:
    return make_settings(sandbox)


@pytest.fixture
def server(settings: Settings) -> ProjectOpsServer:
    return build_server(settings)


@pytest.fixture
async def client(server: ProjectOpsServer) -> AsyncIterator[Client]:
    async with Client(server) as c:
        yield c


async def call_ok(client: Client, name: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await client.call_tool(name, args or {})
    text = result.content[0].text if result.content else ""
    assert not result.is_error, f"{name} failed: {text}"
    assert result.structured_content is not None
    return result.structured_content


async def call_err(client: Client, name: str, args: dict[str, Any] | None = None) -> str:
    result = await client.call_tool(name, args or {})
    assert result.is_error, f"{name} unexpectedly succeeded: {result.structured_content}"
    text = result.content[0].text
    assert "Traceback" not in text
    return text


@contextmanager
def captured_log_output(level: str, fmt: str, secrets: list[str] | None = None) -> Iterator[io.StringIO]:
    """The server's real logging set-up (redacting filter and all), writing into a buffer; restored after."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    configure_logging(level, fmt, Redactor(secrets or []))
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
