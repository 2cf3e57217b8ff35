"""What is kept per backend account across calls: a rate limiter (the upstream's limits are per account) and a
cache of reference data (roles, leave types). `Backends` keys accounts by an HMAC of the credentials; the clients
built for one account share its `Account`."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio


class RateLimiter:
    """Token bucket (requests per second, small burst) plus a cap on concurrent requests, per backend account.

    Waiters queue on one lock, so a burst of calls is spread out in arrival order and the upstream never sees more
    than `burst + rate * t` requests in any window of t seconds.
    """

    def __init__(self, rate_per_second: float, max_concurrency: int, burst: int | None = None):
        self.rate = rate_per_second
        self.capacity = float(burst if burst is not None else max(1, min(10, int(rate_per_second * 2))))
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._lock = anyio.Lock()
        self._concurrency = anyio.CapacityLimiter(max_concurrency)
        self.paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Upstream said 'slow down': hold every request of this account for a while."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    async def acquire(self) -> float:
        """Wait for a slot; returns how long we waited."""
        waited = 0.0
        async with self._lock:
            now = time.monotonic()
            if self.paused_until > now:
                delay = self.paused_until - now
                await anyio.sleep(delay)
                waited += delay
                now = time.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens < 1:
                delay = (1 - self._tokens) / self.rate
                await anyio.sleep(delay)
                waited += delay
                self._tokens = 1.0
                self._updated = time.monotonic()
            self._tokens -= 1
        return waited

    @property
    def concurrency(self) -> anyio.CapacityLimiter:
        return self._concurrency


class _Load:
    """One load in flight: callers that need the same key meanwhile wait for it instead of sending their own."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.loaded = False
        self.value: Any = None
        self.error: Exception | None = None


class ReferenceCache:
    """A tiny per-account cache for reference data: ten placeholder updates make one roles call, not ten, and so do
    ten that arrive at once while the cache is cold (concurrent loads of a key are coalesced into one; they all get
    its value, or its error). A load whose caller was cancelled hands the key to the next waiter."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Any]] = {}
        self._loading: dict[str, _Load] = {}

    async def get_or_load(self, key: str, loader: Callable[[], Awaitable[Any]]) -> Any:
        while True:
            hit = self._entries.get(key)
            now = time.monotonic()
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
            load = self._loading.get(key)
            if load is None:
                break
            await load.done.wait()
            if load.loaded:
                return load.value
            if load.error is not None:
                raise load.error
            # its caller was cancelled before an answer: try again (one of the waiters loads)
        load = self._loading[key] = _Load()
        try:
            load.value = await loader()
            load.loaded = True
            if self._loading.get(key) is load:  # not invalidated meanwhile (then the value may be stale)
                self._entries[key] = (now, load.value)
            return load.value
        except Exception as exc:
            load.error = exc
            raise
        finally:
            if self._loading.get(key) is load:
                del self._loading[key]
            load.done.set()

    def invalidate(self, key: str | None = None) -> None:
        if key is None:
            self._entries.clear()
            self._loading.clear()
        else:
            self._entries.pop(key, None)
            self._loading.pop(key, None)


@dataclass
class Account:
    """One backend account's shared state. `key` is its HMAC fingerprint (never a secret)."""

    key: str
    limiter: RateLimiter
    cache: ReferenceCache
