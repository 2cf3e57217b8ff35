"""Three real server processes (`serve --transport http --stateless`) on one real Redis, against one recording
simulator: one tenant's calls spread over all three stay within one shared rate, a reference table is fetched once,
and losing Redis mid-run costs nothing but the sharing (calls go on, nothing is written twice, it comes back)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import PW_KEY, PW_SECRET, LiveSandbox, sandbox_env
from tests.redis_server import RedisServer, free_port
from tests.test_shared_state import max_in_window

pytestmark = pytest.mark.slow

RATE, BURST = 50.0, 10
JITTER = 0.25  # seconds a loaded CI machine may delay a request between its limiter slot and the simulator
ROLES_PUT = "/Users/102/Roles"


class Replica:
    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-m", "projectops_mcp", "serve", "--transport", "http", "--stateless"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"replica exited:\n{self.log.read_text()}")
            try:
                if httpx2.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"replica on {self.port} did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replicas(
    _live: LiveSandbox, shared_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Replica]]:
    """Started once for the module (a replica takes seconds to start on a busy machine)."""
    sandbox, redis_server, folder = _live, shared_redis, tmp_path_factory.mktemp("replicas")
    env = sandbox_env(sandbox)
    env.update(
        PROJECTOPS_REDIS_URL=redis_server.url,
        PROJECTOPS_PROJECTWORKS_RPS=str(RATE),
        PROJECTOPS_RATE_BURST=str(BURST),
        PROJECTOPS_RETRY_BASE_DELAY="0.01",
        PROJECTOPS_LOG_LEVEL="warning",
    )
    # Each its own write journal (as on separate hosts, and never the user's): only Redis can share the guard.
    started = [
        Replica({**env, "PROJECTOPS_JOURNAL": str(folder / f"journal-{i}.sqlite3")}, folder / f"replica-{i}.log")
        for i in range(3)
    ]
    try:
        for replica in started:
            replica.wait_ready()
        yield started
    finally:
        for replica in started:
            replica.stop()


async def drive(replicas: list[Replica], calls: int, workers_per_replica: int = 6) -> list[str]:
    """`calls` role updates for the one tenant, spread evenly over the replicas; returns the errors."""
    errors: list[str] = []
    queue = list(range(calls))

    async def worker(url: str) -> None:
        # No keep-alive: on a machine this busy a pooled connection can reach uvicorn's 5 s idle close just as the
        # next request goes out on it (a client-side ReadError that says nothing about shared state).
        http = httpx2.AsyncClient(timeout=60, limits=httpx2.Limits(max_keepalive_connections=0))
        async with Client(streamable_http_client(url + "/mcp", http_client=http)) as client:
            while queue:
                queue.pop()
                result = await client.call_tool("projectworks_update_user_roles", {"user_id": 102, "role_ids": [10]})
                if result.is_error:
                    errors.append(result.content[0].text)

    async with anyio.create_task_group() as tg:
        for replica in replicas:
            for _ in range(workers_per_replica):
                tg.start_soon(worker, replica.url)
    return errors


async def test_three_replicas_keep_one_tenant_within_one_rate_and_fetch_roles_once(
    sandbox: LiveSandbox, replicas: list[Replica], shared_redis: RedisServer
) -> None:
    _run_redis(shared_redis, "r.delete(*(r.keys('projectops:cache:*') or ['none']))")  # whatever ran before
    started = time.monotonic()
    assert await drive(replicas, 300) == []
    elapsed = time.monotonic() - started

    puts = [r for r in sandbox.projectworks.requests if r.method == "PUT" and r.path.endswith(ROLES_PUT)]
    role_lists = [r for r in sandbox.projectworks.requests if r.method == "GET" and r.path.endswith("/Users/Roles")]
    assert len(puts) == 300, "every call wrote once"
    assert len(role_lists) == 1, "the roles table was fetched by one replica for all three"
    sent = [r.at for r in sandbox.projectworks.requests]
    assert elapsed >= (len(sent) - BURST) / RATE * 0.95, "one budget, not three"
    # Each request leaves at its reserved slot, but a busy machine can hold a replica's send back and let it arrive
    # next to on-time ones: allow JITTER of such drift. Three separate budgets would break every one of these.
    for window in (0.5, 1.0, 2.0):
        assert max_in_window(sent, window) <= BURST + RATE * (window + JITTER), window
    for replica in replicas:
        assert "Redis" not in replica.log.read_text(), "no fallback while Redis answered"


async def test_losing_redis_mid_run_costs_only_the_sharing(
    sandbox: LiveSandbox, replicas: list[Replica], shared_redis: RedisServer
) -> None:
    redis_server = shared_redis
    results: list[list[str]] = []

    async def run(calls: int) -> None:
        results.append(await drive(replicas, calls, workers_per_replica=4))

    await run(60)
    redis_server.stop()
    await run(60)  # Redis gone: each replica limits itself, roles come from the API
    redis_server.start()  # back, empty
    await anyio.sleep(1.2)  # the replicas' back-off (1 s) runs out
    await run(60)
    assert results == [[], [], []], "every call succeeded"

    puts = [r for r in sandbox.projectworks.requests if r.method == "PUT" and r.path.endswith(ROLES_PUT)]
    assert len(puts) == 180, "nothing was written twice"
    logs = [replica.log.read_text() for replica in replicas]
    assert all("Redis is unreachable" in log for log in logs), logs
    assert sum("Redis answers again" in log for log in logs) >= 1, logs
    assert all(log.count("Redis is unreachable") == 1 for log in logs), "one warning per outage"
    async with httpx2.AsyncClient() as http:
        metrics = [(await http.get(r.url + "/metrics")).text for r in replicas]
    assert all('projectops_shared_state_fallbacks_total{use="rate_limit"}' in m for m in metrics)
    # Shared again: the roles table is cached in the restarted Redis, under the same account name as before.
    keys = _run_redis(redis_server, "print(*[k.decode() for k in r.keys('*')])").split()
    assert any(":cache:projectworks:" in k and k.endswith(":roles") for k in keys), keys
    assert not any(secret in " ".join(keys) for secret in (PW_KEY, PW_SECRET))


def _run_redis(server: RedisServer, code: str) -> str:
    """A few lines with a synchronous redis client `r` (kept out of the test's event loop)."""
    script = f"import redis; r = redis.Redis.from_url({server.url!r}); {code}"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout  # noqa: S603


async def test_a_create_retried_on_another_replica_is_refused(sandbox: LiveSandbox, replicas: list[Replica]) -> None:
    """Each replica has its own journal file (as on separate hosts): only Redis can tell them it is a retry."""
    args = {"tasklist_id": 1302, "name": "Shared guard check"}
    async with Client(streamable_http_client(replicas[0].url + "/mcp")) as first:
        created = await first.call_tool("teamwork_create_task", args)
    assert not created.is_error, created.content
    async with Client(streamable_http_client(replicas[1].url + "/mcp")) as second:
        again = await second.call_tool("teamwork_create_task", args)
    assert again.is_error and "Refused as a duplicate" in again.content[0].text, again.content
    posts = [r for r in sandbox.teamwork.requests if r.method == "POST" and "tasks" in r.path]
    assert len(posts) == 1, "written once"
