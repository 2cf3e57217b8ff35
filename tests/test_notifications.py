"""What reaches the client besides results: log notifications for retries (filtered by logging/setLevel on
handshake-era connections, opted into per request on 2026 connections) and progress on multi-page work."""

from __future__ import annotations

from typing import Any

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault


def _rate_limit_once(sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Users/Roles", Fault(status=429, headers={"Retry-After": "0"}))


async def test_retry_is_reported_to_a_legacy_client(server, sandbox) -> None:
    received: list[Any] = []

    async def on_log(params: Any) -> None:
        received.append(params)

    async with Client(server, mode="legacy", logging_callback=on_log) as client:
        await client.session.set_logging_level("info")
        _rate_limit_once(sandbox)
        result = await client.call_tool("projectworks_list_roles", {})
        assert not result.is_error
    assert any(p.level == "warning" and "429" in str(p.data) and "retry" in str(p.data) for p in received), received


async def test_set_level_filters_what_is_sent(server, sandbox) -> None:
    received: list[Any] = []

    async def on_log(params: Any) -> None:
        received.append(params)

    async with Client(server, mode="legacy", logging_callback=on_log) as client:
        await client.session.set_logging_level("error")
        _rate_limit_once(sandbox)
        assert not (await client.call_tool("projectworks_list_roles", {})).is_error
    assert received == []


async def test_modern_client_opts_in_per_request(server, sandbox) -> None:
    received: list[Any] = []

    async def on_log(params: Any) -> None:
        received.append(params)

    async with Client(server, logging_callback=on_log, log_level="warning") as client:
        _rate_limit_once(sandbox)
        assert not (await client.call_tool("projectworks_list_roles", {})).is_error
    assert any("429" in str(p.data) for p in received), received


async def test_search_reports_progress(server) -> None:
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with Client(server) as client:
        result = await client.call_tool(
            "projectworks_search_clients", {"query": "health"}, progress_callback=on_progress
        )
    assert not result.is_error and result.structured_content["items"]
    assert progress and progress[0][0] == 1 and "client" in (progress[0][2] or "")
