"""State that several replicas share through Redis (PROJECTOPS_REDIS_URL): each backend account's rate limit and
concurrency cap, its reference-data cache, and the duplicate guard's claims, so three replicas behind a load
balancer send what one would and recognise each other's retried creates.

Keys are `projectops:<kind>:<account fingerprint>[:<name>]`. A fingerprint is an HMAC of the account's credentials
(see `Backends.fingerprint`) under a key that every replica reads from Redis (`projectops:fingerprint-key`, made
once by whichever replica starts first), so the same account gets the same name everywhere and no secret is ever
written to Redis. Every other key carries a TTL, so nothing grows without bound.

- Rate: GCRA in one Lua script on Redis's own clock (replica clocks may disagree). Each call reserves the next
  slot and sleeps until it, as the in-process limiter does, so the upstream sees at most `burst + rate * t`
  requests in any t seconds, summed over all replicas. A 429's pause is shared the same way.
- Concurrency: leases in a sorted set, each expiring after `lease_ttl` (a replica that dies mid-request frees its
  lease by itself).
- Cache: JSON values with the account's reference TTL; a short load lock makes one replica fetch while the
  others wait for its answer.

Redis trouble never fails a call: the limiter falls back to the replica's in-process limiter, cache reads fall
through to the API, a warning is logged once per outage and `projectops_shared_state_fallbacks_total` counts each
fallback. After a failure Redis is left alone for `retry_after` seconds, then tried again.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from projectops_mcp.accounts import RateLimiter
from projectops_mcp.errors import NOTHING_SENT, ProjectOpsError
from projectops_mcp.metrics import REGISTRY
from projectops_mcp.writes.journal import Earlier, GuardUnavailable

logger = logging.getLogger("projectops_mcp.shared_state")

PREFIX = "projectops"
FINGERPRINT_KEY = f"{PREFIX}:fingerprint-key"
# What a failing Redis can raise: its own errors, and socket-level ones on some platforms.
REDIS_ERRORS = (RedisError, OSError, TimeoutError)

_NOW_US = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
"""

# KEYS: theoretical arrival time, pause-until (both µs on Redis's clock).
# ARGV: emission interval µs, burst tolerance µs ((burst - 1) * interval), a pause to record first (µs, or 0).
# Returns how many µs the caller must wait before sending.
GCRA_LUA = (
    _NOW_US
    + """
local interval, tolerance, pause = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local paused = tonumber(redis.call('GET', KEYS[2])) or 0
if pause > 0 and now + pause > paused then
  paused = now + pause
  redis.call('SET', KEYS[2], paused, 'PX', math.ceil(pause / 1000) + 1000)
end
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local start = tat - tolerance
if paused > start then
  start = paused
  if tat < paused then tat = paused end
end
if start < now then start = now end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1000)
return start - now
"""
)

# KEYS: the lease set. ARGV: lease id, cap, lease TTL µs. Returns 1 when the lease was granted.
LEASE_LUA = (
    _NOW_US
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3]) / 1000) + 1000)
  return 1
end
return 0
"""
)

# KEYS: a lock. ARGV: its owner's token. Deletes it only if still ours (it may have expired and been re-taken).
UNLOCK_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class SharedState:
    """One Redis connection pool per process, the health of that connection, and the factories of per-account
    shared limiters and caches."""

    def __init__(self, url: str, *, timeout: float = 2.0, retry_after: float = 1.0, lease_ttl: float = 60.0):
        # One immediate retry, on a connection error only: a pooled connection to a Redis that restarted is dead
        # but a new one works. No retry on a timeout: a failing Redis costs a call at most one `timeout` (generous:
        # a busy replica's event loop can stall a healthy answer), then the fallback.
        self.redis = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        self.retry_after = retry_after
        self.lease_ttl = lease_ttl
        self.fingerprint_key: bytes | None = None
        self._key_synced = False
        self._down_until = 0.0
        self._healthy = True
        self._gcra = self.redis.register_script(GCRA_LUA)
        self._lease = self.redis.register_script(LEASE_LUA)
        self._unlock = self.redis.register_script(UNLOCK_LUA)

    async def start(self) -> None:
        """Read (or create) the fingerprint key every replica shares; on failure, `ready()` retries later."""
        await self.ready()

    async def aclose(self) -> None:
        with anyio.CancelScope(shield=True):
            try:
                await self.redis.aclose()
            except REDIS_ERRORS:  # closing a dead connection: nothing left to release
                logger.debug("closing the Redis client failed", exc_info=True)

    # -- health -----------------------------------------------------------------------------------------------

    async def ready(self) -> bool:
        """True when Redis may be used now: not in the back-off after a failure, and the shared key agreed."""
        if time.monotonic() < self._down_until:
            return False
        if not self._key_synced:
            # First use, or after an outage (a restarted Redis may have lost the key): offer ours, take the winner's.
            offered = (self.fingerprint_key or secrets.token_bytes(32)).hex()
            try:
                await self.redis.set(FINGERPRINT_KEY, offered, nx=True)
                key = await self.redis.get(FINGERPRINT_KEY)
            except REDIS_ERRORS as exc:
                self.failed("fingerprint", exc)
                return False
            if key is None:  # deleted between the two commands: try again on the next call
                return False
            self.fingerprint_key = bytes.fromhex(key.decode())
            self._key_synced = True
        return True

    def failed(self, use: str, exc: BaseException) -> None:
        """Redis did not answer: back off for a while, and say so once per outage."""
        self._down_until = time.monotonic() + self.retry_after
        self._key_synced = False
        if self._healthy:
            self._healthy = False
            logger.warning(
                "Redis is unreachable (%s: %s); until it answers again each replica limits its own upstream "
                "requests, reads reference data from the API and sends creates without the shared duplicate guard "
                "(refuses them with PROJECTOPS_GUARD_FAIL_CLOSED)",
                type(exc).__name__,
                str(exc)[:200],
            )
        self.fell_back(use)

    def fell_back(self, use: str) -> None:
        REGISTRY.observe_shared_state_fallback(use)

    def succeeded(self) -> None:
        if not self._healthy:
            self._healthy = True
            logger.warning("Redis answers again; rate limits, reference data and the duplicate guard are shared again")

    # -- per-account objects ----------------------------------------------------------------------------------

    def limiter(self, fingerprint: str, fallback: RateLimiter) -> SharedRateLimiter:
        return SharedRateLimiter(self, fingerprint, fallback)

    def cache(self, fingerprint: str, ttl: float) -> SharedCache:
        return SharedCache(self, fingerprint, ttl)


class SharedRateLimiter:
    """`accounts.RateLimiter`'s face (acquire, pause, concurrency) over Redis; the in-process limiter it wraps (same
    rate, burst and cap) takes over whenever Redis does not answer."""

    def __init__(self, state: SharedState, fingerprint: str, fallback: RateLimiter):
        self.state = state
        self.fallback = fallback
        self._keys = [f"{PREFIX}:rate:{fingerprint}", f"{PREFIX}:pause:{fingerprint}"]
        self._leases = f"{PREFIX}:leases:{fingerprint}"
        self._interval_us = max(1, round(1_000_000 / fallback.rate))
        self._tolerance_us = round((fallback.capacity - 1) * self._interval_us)
        self._pending_pause = 0.0  # monotonic time until which this replica was told to pause, not yet shared

    @property
    def rate(self) -> float:
        return self.fallback.rate

    @property
    def capacity(self) -> float:
        return self.fallback.capacity

    def pause(self, seconds: float) -> None:
        """Upstream said 'slow down': hold this replica now, every replica from its next request on."""
        self.fallback.pause(seconds)
        self._pending_pause = max(self._pending_pause, time.monotonic() + seconds)

    async def acquire(self) -> float:
        """Wait for this account's next slot across all replicas; returns how long we waited."""
        if await self.state.ready():
            pause_us = max(0, round((self._pending_pause - time.monotonic()) * 1_000_000))
            try:
                wait_us = await self.state._gcra(
                    keys=self._keys, args=[self._interval_us, self._tolerance_us, pause_us]
                )
            except REDIS_ERRORS as exc:
                self.state.failed("rate_limit", exc)
            else:
                self.state.succeeded()
                if pause_us:
                    self._pending_pause = 0.0
                wait = int(wait_us) / 1_000_000
                if wait > 0:
                    await anyio.sleep(wait)
                return wait
        else:
            self.state.fell_back("rate_limit")
        return await self.fallback.acquire()

    @property
    def concurrency(self) -> _Lease:
        return _Lease(self)


class _Lease:
    """One request's slot under the account's concurrency cap: a Redis lease, or the in-process limiter's."""

    POLL = (0.002, 0.05)  # first and longest wait between attempts while every lease is taken

    def __init__(self, limiter: SharedRateLimiter):
        self._limiter = limiter
        self._id: str | None = None

    async def __aenter__(self) -> None:
        limiter, state = self._limiter, self._limiter.state
        cap = limiter.fallback.concurrency.total_tokens
        lease_id = secrets.token_hex(8)
        delay = self.POLL[0]
        while await state.ready():
            try:
                granted = await state._lease(
                    keys=[limiter._leases], args=[lease_id, int(cap), round(state.lease_ttl * 1_000_000)]
                )
            except REDIS_ERRORS as exc:
                state.failed("concurrency", exc)
                break
            state.succeeded()
            if granted:
                self._id = lease_id
                return
            await anyio.sleep(delay)
            delay = min(self.POLL[1], delay * 2)
        else:
            state.fell_back("concurrency")
        await limiter.fallback.concurrency.acquire()

    async def __aexit__(self, *exc: object) -> None:
        limiter = self._limiter
        if self._id is None:
            limiter.fallback.concurrency.release()
            return
        with anyio.CancelScope(shield=True):  # a cancelled request must still hand its lease back
            try:
                await limiter.state.redis.zrem(limiter._leases, self._id)
            except REDIS_ERRORS:  # the lease expires by itself after lease_ttl
                logger.debug("could not release a concurrency lease", exc_info=True)


class SharedCache:
    """`accounts.ReferenceCache`'s face over Redis for one account's reference data (JSON values).

    `invalidate` is synchronous (as the in-process cache's): it marks the key, and this replica deletes it from Redis
    on its next read of it, before anything is served. Other replicas may serve the old value until then (or TTL).
    """

    LOAD_LOCK = 10.0  # seconds the replica that fetches a table holds the others off
    POLL = 0.02

    def __init__(self, state: SharedState, fingerprint: str, ttl: float):
        self.state = state
        self.ttl = ttl
        self._prefix = f"{PREFIX}:cache:{fingerprint}:"
        self._dropped: set[str] = set()  # invalidated here, not yet deleted from Redis

    def invalidate(self, key: str) -> None:
        self._dropped.add(key)

    async def get_or_load(self, key: str, loader: Callable[[], Awaitable[Any]]) -> Any:
        if self.ttl <= 0:
            return await loader()
        if not await self.state.ready():
            self.state.fell_back("cache")
            return await loader()
        name = self._prefix + key
        try:
            if key in self._dropped:
                await self.state.redis.delete(name)
                self._dropped.discard(key)
            cached = await self.state.redis.get(name)
            if cached is not None:
                return json.loads(cached)
            token = secrets.token_hex(8)
            if await self.state.redis.set(name + ":loading", token, nx=True, px=int(self.LOAD_LOCK * 1000)):
                cached = await self.state.redis.get(name)  # stored by a loader that let go after our first look?
            else:
                cached = await self._wait_for(name)
                token = ""
            if cached is not None:
                if token:
                    await self._release(name + ":loading", token)
                return json.loads(cached)
        except REDIS_ERRORS as exc:
            self.state.failed("cache", exc)
            return await loader()
        self.state.succeeded()
        try:
            value = await loader()
            await self._store(name, value)
        finally:
            if token:
                with anyio.CancelScope(shield=True):
                    await self._release(name + ":loading", token)
        return value

    async def _wait_for(self, name: str) -> bytes | None:
        """Another replica is fetching this table: wait for its answer (None if it gave up or died)."""
        with anyio.move_on_after(self.LOAD_LOCK):
            while True:
                await anyio.sleep(self.POLL)
                cached, loading = await self.state.redis.mget(name, name + ":loading")
                if cached is not None or loading is None:
                    return cached
        return None

    async def _store(self, name: str, value: Any) -> None:
        try:
            encoded = json.dumps(value, separators=(",", ":"))
        except (TypeError, ValueError):
            logger.warning("reference value for %s is not JSON; it is not shared", name.rsplit(":", 1)[-1])
            return
        try:
            await self.state.redis.set(name, encoded, px=max(1, math.ceil(self.ttl * 1000)))
        except REDIS_ERRORS as exc:
            self.state.failed("cache", exc)

    async def _release(self, lock: str, token: str) -> None:
        try:
            await self.state._unlock(keys=[lock], args=[token])
        except REDIS_ERRORS:  # it expires by itself after LOAD_LOCK
            logger.debug("could not release a cache load lock", exc_info=True)


# ---------------------------------------------------------------------------------------------------------------
# The duplicate guard's store (`writes.journal.GuardStore`), shared by every replica
# ---------------------------------------------------------------------------------------------------------------

# KEYS: the claim. ARGV: tool, window µs (or -1: claim unconditionally), TTL µs.
# Returns the live earlier claim as {tool, at µs, outcome, upstream id}, or nothing after claiming.
CLAIM_LUA = (
    _NOW_US
    + """
local window = tonumber(ARGV[2])
if window >= 0 then
  local e = redis.call('HMGET', KEYS[1], 'tool', 'at', 'outcome', 'upstream_id')
  if e[1] and e[3] ~= 'failed' and tonumber(e[2]) > now - window then return e end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'tool', ARGV[1], 'at', now, 'outcome', 'sent')
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3]) / 1000))
return false
"""
)


class GuardStoreDown(ProjectOpsError):
    """PROJECTOPS_GUARD_FAIL_CLOSED: the duplicate guard's store is unreachable, so a create is refused unsent."""

    kind = "unavailable"


class RedisGuard:
    """The duplicate guard's claims in Redis, so an agent's retried create that lands on another replica is
    recognised. Claims live for the guard's window (at least), keyed by the gate's opaque hashes (which already
    include the tenant fingerprint).

    Redis unreachable: by default the claim raises `GuardUnavailable` and the gate sends the write unguarded with a
    logged warning (a broken store must not stop every write); with `fail_closed` the create is refused before
    anything is sent, and the agent is told to try again."""

    def __init__(self, state: SharedState, window: float, *, fail_closed: bool = False):
        self.state = state
        self.ttl = max(window, 1.0)
        self.fail_closed = fail_closed
        self._claim = state.redis.register_script(CLAIM_LUA)

    async def claim(self, key: str, tool: str, window: float | None) -> Earlier | None:
        window_us = -1 if window is None else round(window * 1_000_000)
        args = [tool, window_us, round(self.ttl * 1_000_000)]
        found = await self._call("claim", lambda: self._claim(keys=[self._name(key)], args=args))
        return _earlier(found) if found else None

    async def peek(self, key: str, window: float) -> Earlier | None:
        fields = ("tool", "at", "outcome", "upstream_id")
        found = await self._call("peek", lambda: self.state.redis.hmget(self._name(key), *fields))
        if not found or found[0] is None or found[2] == b"failed":
            return None
        earlier = _earlier(found)
        return earlier if earlier.at > time.time() - window else None

    async def settle(self, key: str, outcome: str, upstream_id: str | None) -> None:
        name = self._name(key)
        if outcome == "failed":  # a refused write releases its claim: the agent may fix it and send it again
            await self._call("settle", lambda: self.state.redis.delete(name))
            return

        async def update() -> None:
            fields = {"outcome": outcome, **({"upstream_id": upstream_id} if upstream_id else {})}
            async with self.state.redis.pipeline(transaction=True) as pipe:
                pipe.hset(name, mapping=fields).pexpire(name, math.ceil(self.ttl * 1000))
                await pipe.execute()

        await self._call("settle", update)

    async def tenant_key(self) -> bytes | None:
        """The HMAC key every replica shares (the accounts' fingerprint key), so a tenant hashes alike everywhere."""
        return self.state.fingerprint_key if await self.state.ready() else None

    def _name(self, key: str) -> str:
        return f"{PREFIX}:guard:{key}"

    async def _call(self, operation: str, command: Callable[[], Awaitable[Any]]) -> Any:
        if await self.state.ready():
            try:
                answer = await command()
            except REDIS_ERRORS as exc:
                self.state.failed("guard", exc)
            else:
                self.state.succeeded()
                return answer
        else:
            self.state.fell_back("guard")
        if self.fail_closed and operation == "claim":
            raise GuardStoreDown(
                "The duplicate guard's store (Redis) is unreachable and this server refuses creates without it "
                f"(PROJECTOPS_GUARD_FAIL_CLOSED). {NOTHING_SENT} Try again in a minute."
            )
        raise GuardUnavailable(f"duplicate guard {operation}: Redis is unreachable")


def _earlier(found: list[Any]) -> Earlier:
    tool, at, outcome, upstream_id = (v.decode() if isinstance(v, bytes) else v for v in found)
    return Earlier(tool, int(at) / 1_000_000, outcome, upstream_id)
