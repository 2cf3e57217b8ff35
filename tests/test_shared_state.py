"""The Redis-backed limiter, concurrency cap and reference cache on their own, against a real redis-server: three
`SharedState`s stand for three replicas (each its own connection pool), sharing one account fingerprint."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

from projectops_mcp.http import RateLimiter
from projectops_mcp.metrics import REGISTRY
from projectops_mcp.shared_state import FINGERPRINT_KEY, GuardStoreDown, RedisGuard, SharedState
from projectops_mcp.writes.journal import GuardUnavailable
from tests.redis_server import RedisServer

ACCOUNT = "projectworks:0123456789abcdef0123456789abcdef"


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.fixture
async def replicas(redis_server: RedisServer) -> AsyncIterator[list[SharedState]]:
    states = [SharedState(redis_server.url, retry_after=0.2) for _ in range(3)]
    for state in states:
        await state.start()
    yield states
    for state in states:
        await state.aclose()


async def test_three_replicas_share_one_rate_and_burst(replicas: list[SharedState]) -> None:
    rate, burst = 40.0, 5
    limiters = [s.limiter(ACCOUNT, RateLimiter(rate, 8, burst=burst)) for s in replicas]
    sent: list[float] = []

    async def caller(limiter: Any) -> None:
        for _ in range(10):
            await limiter.acquire()
            sent.append(time.monotonic())

    started = time.monotonic()
    async with anyio.create_task_group() as tg:
        for limiter in limiters:
            for _ in range(2):
                tg.start_soon(caller, limiter)
    assert len(sent) == 60
    # Each replica alone would allow all 60 in (60 - 5) / 40 / 3 s; together they must take (60 - 5) / 40 s.
    assert time.monotonic() - started >= (60 - burst) / rate * 0.95
    assert max_in_window(sent, 0.001) <= burst + 1
    for window in (0.1, 0.25, 0.5, 1.0):
        assert max_in_window(sent, window) <= burst + rate * (window + 0.02), window


async def test_a_pause_told_to_one_replica_holds_the_others(replicas: list[SharedState]) -> None:
    a, b = (s.limiter(ACCOUNT, RateLimiter(1000, 8)) for s in replicas[:2])
    waited: dict[str, float] = {}

    async def send(name: str, limiter: Any) -> None:
        waited[name] = await limiter.acquire()

    started = time.monotonic()
    a.pause(0.3)
    async with anyio.create_task_group() as tg:
        tg.start_soon(send, "a", a)  # its request to Redis shares the pause
        await anyio.sleep(0.05)
        tg.start_soon(send, "b", b)
    assert time.monotonic() - started >= 0.29
    assert waited["a"] >= 0.25 and waited["b"] >= 0.2


async def test_the_concurrency_cap_holds_across_replicas(replicas: list[SharedState]) -> None:
    limiters = [s.limiter(ACCOUNT, RateLimiter(1000, 2)) for s in replicas]
    running = peak = 0

    async def request(limiter: Any) -> None:
        nonlocal running, peak
        async with limiter.concurrency:
            running += 1
            peak = max(peak, running)
            await anyio.sleep(0.03)
            running -= 1

    async with anyio.create_task_group() as tg:
        for i in range(12):
            tg.start_soon(request, limiters[i % 3])
    assert peak == 2


async def test_a_reference_table_is_fetched_once_by_all_replicas(
    replicas: list[SharedState], redis_server: RedisServer
) -> None:
    loads = 0
    roles = [{"UserRoleID": 1, "Code": "DEV"}, {"UserRoleID": 2, "Code": "PM", "Description": None}]

    async def load() -> list[dict[str, Any]]:
        nonlocal loads
        loads += 1
        await anyio.sleep(0.1)
        return roles

    caches = [s.cache(ACCOUNT, ttl=30) for s in replicas]
    results: list[Any] = []

    async def read(cache: Any) -> None:
        results.append(await cache.get_or_load("roles", load))

    async with anyio.create_task_group() as tg:
        for i in range(9):
            tg.start_soon(read, caches[i % 3])
    assert loads == 1 and results == [roles] * 9
    assert 25_000 < await replicas[0].redis.pttl(f"projectops:cache:{ACCOUNT}:roles") <= 30_000
    assert await replicas[0].cache(ACCOUNT, ttl=0).get_or_load("roles", load) == roles and loads == 2, "ttl 0: off"


async def test_every_key_but_the_fingerprint_key_expires(replicas: list[SharedState]) -> None:
    limiter = replicas[0].limiter(ACCOUNT, RateLimiter(100, 2))
    limiter.pause(0.5)
    await limiter.acquire()
    async with limiter.concurrency:

        async def load() -> list[int]:
            return [1]

        await replicas[1].cache(ACCOUNT, ttl=60).get_or_load("offices", load)
        keys = sorted(k.decode() for k in await replicas[0].redis.keys("*"))
        assert keys == sorted(
            [
                FINGERPRINT_KEY,
                f"projectops:rate:{ACCOUNT}",
                f"projectops:pause:{ACCOUNT}",
                f"projectops:leases:{ACCOUNT}",
                f"projectops:cache:{ACCOUNT}:offices",
            ]
        )
        for key in keys:
            ttl = await replicas[0].redis.pttl(key)
            assert (ttl == -1) if key == FINGERPRINT_KEY else (ttl > 0), key
    assert {s.fingerprint_key for s in replicas} == {replicas[0].fingerprint_key} and len(
        replicas[0].fingerprint_key or b""
    ) == 32


def fallbacks(use: str) -> int:
    return REGISTRY.shared_state_fallbacks[(("use", use),)]


async def test_redis_down_falls_back_with_one_warning_and_recovers(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    state = SharedState(redis_server.url, retry_after=0.1)
    await state.start()
    limiter = state.limiter(ACCOUNT, RateLimiter(1000, 2))
    cache = state.cache(ACCOUNT, ttl=60)
    loads = 0

    async def load() -> list[int]:
        nonlocal loads
        loads += 1
        return [loads]

    try:
        await limiter.acquire()
        assert await cache.get_or_load("roles", load) == [1]
        redis_server.stop()
        before = fallbacks("rate_limit"), fallbacks("cache")
        with caplog.at_level(logging.WARNING, logger="projectops_mcp.shared_state"):
            for _ in range(5):
                await limiter.acquire()
                async with limiter.concurrency:
                    pass
                assert await cache.get_or_load("roles", load) == [loads], "reads fall through to the API"
            assert loads == 6
            down = [r for r in caplog.records if "unreachable" in r.getMessage()]
            assert len(down) == 1, "one warning per outage, not one per call"
            assert fallbacks("rate_limit") == before[0] + 5 and fallbacks("cache") == before[1] + 5
            assert 'projectops_shared_state_fallbacks_total{use="rate_limit"}' in REGISTRY.render()

            redis_server.start()  # empty again: it kept nothing on disk
            await anyio.sleep(0.15)
            await limiter.acquire()
            assert await cache.get_or_load("roles", load) == [7]
            assert await cache.get_or_load("roles", load) == [7], "shared again once Redis answers"
            assert any("answers again" in r.getMessage() for r in caplog.records)
        assert await state.redis.exists(f"projectops:rate:{ACCOUNT}")
    finally:
        await state.aclose()


async def test_an_invalidated_table_is_reloaded_and_the_reload_is_shared(replicas: list[SharedState]) -> None:
    version = 0

    async def load() -> list[int]:
        nonlocal version
        version += 1
        return [version]

    a, b = (s.cache(ACCOUNT, ttl=60) for s in replicas[:2])
    assert await a.get_or_load("known_ids:/Projects", load) == [1]
    a.invalidate("known_ids:/Projects")
    assert await a.get_or_load("known_ids:/Projects", load) == [2], "dropped before anything was served"
    assert await b.get_or_load("known_ids:/Projects", load) == [2] and version == 2


async def test_the_duplicate_guard_is_shared_by_replicas(replicas: list[SharedState]) -> None:
    a, b = (RedisGuard(s, window=600) for s in replicas[:2])
    assert await a.claim("k1", "teamwork_create_task", 600) is None
    earlier = await b.claim("k1", "teamwork_create_task", 600)
    assert earlier is not None and earlier.outcome == "sent" and earlier.tool == "teamwork_create_task"
    assert abs(earlier.at - time.time()) < 5
    await a.settle("k1", "succeeded", "4242")
    seen = await b.peek("k1", 600)
    assert seen is not None and (seen.outcome, seen.upstream_id) == ("succeeded", "4242")
    assert await b.claim("k1", "teamwork_create_task", None) is None, "allow_duplicate claims anyway"
    await b.settle("k1", "failed", None)
    assert await a.peek("k1", 600) is None and await a.claim("k1", "teamwork_create_task", 600) is None, "released"
    assert 590_000 < await replicas[0].redis.pttl("projectops:guard:k1") <= 600_000
    assert await a.tenant_key() == replicas[0].fingerprint_key


async def test_the_guard_fails_open_by_default_and_closed_when_configured(redis_server: RedisServer) -> None:
    state = SharedState(redis_server.url, retry_after=0.1)
    await state.start()
    try:
        redis_server.stop()
        with pytest.raises(GuardUnavailable):
            await RedisGuard(state, window=600).claim("k", "teamwork_create_task", 600)
        closed = RedisGuard(state, window=600, fail_closed=True)
        with pytest.raises(GuardStoreDown, match="Nothing was sent"):
            await closed.claim("k", "teamwork_create_task", 600)
        with pytest.raises(GuardUnavailable):  # a preview only reports it cannot check
            await closed.peek("k", 600)
    finally:
        await state.aclose()
