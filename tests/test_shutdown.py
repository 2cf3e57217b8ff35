"""Graceful shutdown with real subprocesses: SIGTERM/SIGINT lets an in-flight tool call finish and exits 0 (HTTP and
stdio); stdio exits cleanly on stdin EOF. The slow call is a scripted delay at the test's own sandbox, which the
subprocess reaches over loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import PW_KEY, PW_SECRET, TW_API_KEY, LiveSandbox

EXE = str(Path(sys.executable).with_name("projectops-mcp"))
SLOW = 1.5  # seconds the upstream takes to answer the in-flight call


def _env(sandbox: LiveSandbox | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTOPS_", "TEAMWORK_", "PROJECTWORKS_"))}
    env["PROJECTOPS_SHUTDOWN_TIMEOUT"] = "8"
    if sandbox is not None:
        env.update(
            TEAMWORK_SITE_URL=sandbox.url,
            TEAMWORK_API_KEY=TW_API_KEY,
            PROJECTWORKS_BASE_URL=sandbox.pw_url,
            PROJECTWORKS_CONSUMER_KEY=PW_KEY,
            PROJECTWORKS_CONSUMER_SECRET=PW_SECRET,
        )
    return env


@pytest.fixture
def spawn() -> Iterator[Any]:
    started: list[subprocess.Popen] = []

    def run(args: list[str], env: dict[str, str]) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [EXE, "serve", *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield run
    for proc in started:  # never leave one behind, whatever the test did
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def _wait_for_request(sandbox: LiveSandbox, path: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not sandbox.projectworks.find("GET", path):
        assert time.monotonic() < deadline, "the call never reached the upstream"
        time.sleep(0.02)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rpc(stdin: IO[str], message: dict) -> None:
    stdin.write(json.dumps(message) + "\n")
    stdin.flush()


def _read_response(stdout: IO[str], request_id: int) -> dict:
    for line in stdout:
        message = json.loads(line)
        if message.get("id") == request_id:
            return message
    raise AssertionError(f"no response to request {request_id}")


def _stdio_call(proc: subprocess.Popen, tool: str) -> None:
    assert proc.stdin is not None
    init = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}
    _rpc(proc.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
    _rpc(proc.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    _rpc(proc.stdin, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": tool, "arguments": {}}})


@pytest.mark.slow
def test_stdio_exits_cleanly_on_stdin_eof(spawn) -> None:
    proc = spawn(["--sandbox"], _env(None))
    _stdio_call(proc, "projectworks_list_roles")
    response = _read_response(proc.stdout, 2)
    assert response["result"]["isError"] is False
    proc.stdin.close()
    assert proc.wait(timeout=15) == 0
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stdio_signal_lets_the_in_flight_call_finish(spawn, sandbox: LiveSandbox, sig: signal.Signals) -> None:
    sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(delay=SLOW))
    proc = spawn([], _env(sandbox))
    _stdio_call(proc, "projectworks_list_roles")
    _wait_for_request(sandbox, "/Users/Roles")
    proc.send_signal(sig)
    response = _read_response(proc.stdout, 2)
    assert response["result"]["isError"] is False and response["result"]["structuredContent"]["items"]
    assert proc.wait(timeout=15) == 0
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_http_signal_lets_the_in_flight_call_finish(spawn, sandbox: LiveSandbox, sig: signal.Signals) -> None:
    port = _free_port()
    proc = spawn(["--transport", "http", "--port", str(port)], _env(sandbox))
    base = f"http://127.0.0.1:{port}"
    async with httpx2.AsyncClient() as http:
        for _ in range(300):
            try:
                if (await http.get(base + "/healthz")).status_code == 200:
                    break
            except httpx2.TransportError:
                await anyio.sleep(0.05)
    sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(delay=SLOW))

    result: list[Any] = []

    async def call() -> None:
        async with Client(streamable_http_client(base + "/mcp", terminate_on_close=False)) as client:
            await client.list_tools()  # the client checks results against the listed outputSchema: list first
            result.append(await client.call_tool("projectworks_list_roles", {}))

    async with anyio.create_task_group() as tg:
        tg.start_soon(call)
        await anyio.to_thread.run_sync(_wait_for_request, sandbox, "/Users/Roles")
        proc.send_signal(sig)
    assert result and not result[0].is_error and result[0].structured_content["items"]
    assert await anyio.to_thread.run_sync(lambda: proc.wait(timeout=15)) == 0
    assert "Traceback" not in proc.stderr.read()
