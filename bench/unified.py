"""What the cross-system answers cost on a big agency: the simulators at `--sandbox-scale N` (default 10: ~150 people,
80 projects, 30,000 time records) in a child process on loopback, our server in this one, driven by the SDK client.

For each cross-system tool (and one native list, the reference): the upstream requests the call sent; its wall time
at the default rate limits (Teamwork 2.5/s, Projectworks 5/s) and with them lifted (median of 3), each on a fresh
server, as a first question with cold caches; the peak of Python memory allocated during the call (tracemalloc, in a
separate pass, as it slows the code it watches; the question is asked once before on that server, so connection
set-up is not counted); and whether the request budget cut the answer short. The floor, in the same run: the same
data read by hand with plain HTTP GETs (pages of 500, one after the other, no limiter, no MCP), as a careful script
would; the ratio compares the call with limits lifted to it.

    .venv/bin/python bench/unified.py [N]
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PYTHON  # noqa: E402
from projectops_mcp.calls import Call  # noqa: E402
from projectops_mcp.config import Settings  # noqa: E402
from projectops_mcp.sandbox import PROJECTWORKS_PREFIX, LoopbackServer, Sandbox, agency  # noqa: E402
from projectops_mcp.server import build_server  # noqa: E402

TW, PW = "/projects/api/v3", PROJECTWORKS_PREFIX
PAGE = 500
LIFTED = {"projectops_teamwork_rps": 1000.0, "projectops_projectworks_rps": 1000.0}
PLAN_START = agency.TIME_START + timedelta(weeks=agency.TIME_WEEKS)  # the weeks bookings look ahead to
FORTNIGHT = (date(2026, 11, 9), date(2026, 11, 20))


class Floor:
    """Plain GETs against the simulators, counted: the least a hand-written script would send for the same data."""

    def __init__(self, http: httpx2.AsyncClient):
        self.http = http
        self.requests = 0

    async def get(self, path: str, **params: Any) -> Any:
        self.requests += 1
        return (await self.http.get(path, params=params)).raise_for_status().json()

    async def teamwork(self, path: str, key: str, **params: Any) -> list[dict]:
        out, page = [], 1
        while True:
            body = await self.get(TW + path, **params, page=page, pageSize=PAGE)
            out += body[key]
            if not body["meta"]["page"]["hasMore"]:
                return out
            page += 1

    async def projectworks(self, path: str, **params: Any) -> list[dict]:
        out, page = [], 1
        while True:
            rows = await self.get(PW + path, **params, page=page, pageSize=PAGE)
            out += rows
            if len(rows) < PAGE:
                return out
            page += 1


async def people_floor(f: Floor) -> None:
    await f.teamwork("/people.json", "people")
    await f.projectworks("/Users")


async def capacity_floor(f: Floor) -> None:
    start, end = PLAN_START.isoformat(), (PLAN_START + timedelta(weeks=agency.PLAN_WEEKS, days=-3)).isoformat()
    await f.teamwork("/people.json", "people")
    for user in await f.projectworks("/Users"):
        await f.get(f"{PW}/Users/{user['UserID']}/Postings")
    await f.projectworks("/Leaves", StartDate=start, EndDate=end)
    await f.projectworks("/Resources", StartDate=start, EndDate=end)
    await f.teamwork("/allocations.json", "allocations", startDate=start, endDate=end)


def planned_floor(pw_id: int, tw_id: int) -> Callable[[Floor], Any]:
    async def read(f: Floor) -> None:
        await f.get(f"{PW}/Projects/{pw_id}")
        for task in await f.projectworks("/Tasks", ProjectID=pw_id):
            await f.projectworks("/Timesheets", TaskID=task["TaskID"])
        await f.projectworks("/Resources", ProjectID=pw_id)
        await f.get(f"{TW}/projects/{tw_id}.json")
        await f.teamwork(f"/projects/{tw_id}/time.json", "timelogs")
        await f.teamwork("/people.json", "people")
        await f.projectworks("/Users")

    return read


async def reconciliation_floor(f: Floor) -> None:
    first, last = FORTNIGHT
    await f.teamwork("/people.json", "people")
    await f.projectworks("/Users")
    await f.teamwork("/time.json", "timelogs", startDate=first.isoformat(), endDate=last.isoformat())
    for n in range((last - first).days + 1):
        await f.projectworks("/Timesheets", Date=(first + timedelta(days=n)).isoformat())


async def native_floor(f: Floor) -> None:
    await f.teamwork("/time.json", "timelogs", startDate=FORTNIGHT[0].isoformat(), endDate=FORTNIGHT[1].isoformat())


@dataclass
class Case:
    label: str
    tool: str
    args: dict[str, Any]
    floor: Callable[[Floor], Any]
    pages: bool = False  # a native list: the bench follows `has_more` page by page, as an agent would


def cases(scale: int) -> list[Case]:
    plan = agency.generate(scale).plan
    pw_id, tw_id = plan.linked[0]
    fortnight = {"start": FORTNIGHT[0].isoformat(), "end": FORTNIGHT[1].isoformat()}
    weeks = {"start": PLAN_START.isoformat(), "end": (PLAN_START + timedelta(weeks=4, days=-3)).isoformat()}
    return [
        Case("people directory (everyone)", "unified_get_people_directory", {}, people_floor),
        Case("capacity, 4 weeks ahead", "unified_get_capacity", weeks, capacity_floor),
        Case(f"planned vs actual, project {pw_id}", "unified_get_planned_vs_actual",
             {"project": f"projectworks:{pw_id}"}, planned_floor(pw_id, tw_id)),  # fmt: skip
        Case("time reconciliation, a fortnight", "unified_get_time_reconciliation", fortnight, reconciliation_floor),
        Case("native: Teamwork time, a fortnight", "teamwork_list_time_entries",
             {**{f"{k}_date": v for k, v in fortnight.items()}, "page_size": PAGE, "fields": ["minutes"]},
             native_floor, pages=True),
    ]  # fmt: skip


@dataclass
class Run:
    seconds: float
    requests: int
    outcome: str
    cut_short: bool
    peak_mb: float | None = None


async def call(url: str, case: Case, overrides: dict[str, Any], measure_memory: bool = False) -> Run:
    """One call (a native list: every page) on a fresh server, so each run starts with a cold limiter and cache."""
    settings = Settings(
        _env_file=None,
        teamwork_site_url=url,
        teamwork_api_key="bench-teamwork-key",
        projectworks_base_url=url + PW,
        projectworks_consumer_key="bench-key",
        projectworks_consumer_secret="bench-secret",  # noqa: S106 - the simulators accept any credentials
        projectops_log_level="warning",
        **overrides,
    )
    server = build_server(settings)
    calls: list[Call] = []
    server.call_observers.append(calls.append)
    async with Client(server) as client:

        async def ask() -> bool:
            """The question (a native list: every page); whether the answer was cut short."""
            cut, page = False, 1
            while True:
                args = {**case.args, "page": page} if case.pages else case.args
                result = await client.call_tool(case.tool, args)
                if result.is_error:
                    raise RuntimeError(f"{case.tool} failed: {result.content[0].text}")
                cut = cut or bool((result.structured_content or {}).get("cut_short"))
                if not case.pages or not result.structured_content["has_more"]:
                    return cut
                page += 1

        peak = None
        if measure_memory:  # asked once first, so the HTTP clients' TLS set-up and pools are not counted
            await ask()
            calls.clear()
            tracemalloc.start()
        started = time.perf_counter()
        cut = await ask()
        seconds = time.perf_counter() - started
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    return Run(seconds, sum(c.upstream_requests for c in calls), calls[-1].outcome, cut, peak)


async def floor(url: str, case: Case) -> tuple[float, int]:
    async with httpx2.AsyncClient(base_url=url, auth=("bench-key", "bench-secret"), timeout=60) as http:
        f = Floor(http)
        started = time.perf_counter()
        await case.floor(f)
        return time.perf_counter() - started, f.requests


def start_simulators(scale: int) -> tuple[subprocess.Popen, str, float]:
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and this script
        [PYTHON, __file__, "--simulators", str(scale)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    url, seeded = child.stdout.readline().split()
    return child, url, float(seeded)


def serve_simulators(scale: int) -> None:
    """The child: build and seed both simulators, say where they listen, serve until stdin closes or we are killed."""
    started = time.perf_counter()
    sandbox = Sandbox(scale)
    sandbox.teamwork, sandbox.projectworks  # noqa: B018 - built (and seeded) now, not on the first request
    seeded = time.perf_counter() - started
    with LoopbackServer(sandbox.app) as server:
        print(server.url, f"{seeded:.2f}", flush=True)
        while True:
            time.sleep(3600)


async def main(scale: int) -> None:
    logging.getLogger("projectops_mcp").setLevel(logging.WARNING)  # no log line per call or request
    child, url, seeded = start_simulators(scale)
    try:
        served = {t.name for t in build_server(Settings(_env_file=None, projectops_sandbox=True)).tools.values()}
        counts = agency.generate(scale).counts()
        time_records = counts["teamwork.timelogs"] + counts["projectworks.timesheets"]
        print(f"simulators at scale {scale}: seeded in {seeded:.2f} s ({time_records} time records); server in-process")
        print(f"{'case':<38} {'requests':>8} {'default limits':>15} {'lifted':>8} {'peak MB':>8} "
              f"{'floor':>7} {'floor req':>9} {'x floor':>8}")  # fmt: skip
        results = {}
        for case in cases(scale):
            if case.tool not in served:
                print(f"{case.label:<38} not served on this branch ({case.tool})")
                continue
            await call(url, case, LIFTED)  # warm-up: imports and validators are built on first use
            default = await call(url, case, {})
            lifted = sorted([await call(url, case, LIFTED) for _ in range(3)], key=lambda r: r.seconds)[1]
            memory = await call(url, case, LIFTED, measure_memory=True)
            floor_seconds, floor_requests = await floor(url, case)
            note = " (cut short)" if default.cut_short or lifted.cut_short else ""
            print(
                f"{case.label:<38} {lifted.requests:>8} {default.seconds:>13.2f} s {lifted.seconds:>6.2f} s "
                f"{memory.peak_mb:>8.1f} {floor_seconds:>5.2f} s {floor_requests:>9} "
                f"{lifted.seconds / floor_seconds:>7.1f}x{note}"
            )
            results[case.tool] = {
                "requests": lifted.requests, "default_limits_s": round(default.seconds, 3),
                "lifted_s": round(lifted.seconds, 3), "peak_mb": round(memory.peak_mb or 0, 1),
                "floor_s": round(floor_seconds, 3), "floor_requests": floor_requests, "cut_short": bool(note),
            }  # fmt: skip
        print(json.dumps({"scale": scale, "seed_s": seeded, "results": results}))
    finally:
        child.kill()
        child.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--simulators"]:
        serve_simulators(int(sys.argv[2]))
    else:
        anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 10)
