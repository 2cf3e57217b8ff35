"""unified_get_capacity through the SDK client against both simulators, on the agency of answers_scenario.py, weeks
2026-W49 (Mon 30 Nov - Sun 6 Dec) and 2026-W50 (Mon 7 - Sun 13 Dec). Every expected figure is worked out here by
hand from the scenario's postings, leave, bookings and allocations."""

from __future__ import annotations

from typing import Any

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings
from tests.unified.answers_scenario import seed_capacity

RANGE = {"start": "2026-11-30", "end": "2026-12-13"}


def week(out: dict[str, Any], email: str, iso_week: str) -> dict[str, Any]:
    return next(r for r in out["result"] if r.get("email") == email and r["week"] == iso_week)


async def test_capacity_per_person_per_week(client: Client, sandbox) -> None:
    seed_capacity(sandbox)
    out = await call_ok(client, "unified_get_capacity", RANGE)
    # Rows for whoever has a posting day or a plan in the range: Ana, Ben, Cy, Dee (an allocation), Fay (an
    # allocation), Marc. Eve and Hal have no posting and no plan; Gus is a client with nothing planned.
    assert [(r["email"], r["week"]) for r in out["result"]] == [
        (email, w)
        for email in (
            "ana@agency.test",
            "ben@agency.test",
            "cy@agency.test",
            "dee@agency.test",
            "fay@agency.test",
            "marc@demo-agency.test",
        )  # fmt: skip
        for w in ("2026-W49", "2026-W50")
    ]
    # Ana, W49: posting 9201 = 8 h x 5 weekdays = 40; approved leave 8101 = 8 (1 Dec) + 4 (2 Dec) = 12, so 28
    # available. Bookings: 9801 20 h over Mon-Fri 30 Nov - 4 Dec = 20, plus 9802 12 h over its 3 weekdays (Fri 4,
    # Mon 7, Tue 8 Dec) = 4 h on Fri 4 Dec: 24 booked. Allocation 88101: 240 min = 4 h x 5 weekdays = 20.
    # Utilisation: max(24, 20) / 28 = 85.7 %.
    assert week(out, "ana@agency.test", "2026-W49") == {
        "email": "ana@agency.test",
        "name": "Ana Lima",
        "projectworks_user_id": 201,
        "teamwork_person_id": 301,
        "week": "2026-W49",
        "week_start": "2026-11-30",
        "days": 7,
        "capacity_hours": 40.0,
        "leave_hours": 12.0,
        "available_hours": 28.0,
        "booked_hours": 24.0,
        "allocated_hours": 20.0,
        "utilisation_percent": 85.7,
        "over_allocated": False,
        "sources": {
            "posting_ids": [9201],
            "leave_ids": [8101],
            "booking_ids": [9801, 9802],
            "allocation_ids": [88101],
        },
    }
    # Ana, W50: 40 capacity; leave 8102 is only requested, not subtracted; 9802's Mon + Tue = 8 booked; 88101
    # Mon-Fri 7-11 Dec = 20 allocated. 20 / 40 = 50 %.
    ana50 = week(out, "ana@agency.test", "2026-W50")
    assert (ana50["capacity_hours"], ana50["leave_hours"], ana50["available_hours"]) == (40.0, 0.0, 40.0)
    assert (ana50["booked_hours"], ana50["allocated_hours"], ana50["utilisation_percent"]) == (8.0, 20.0, 50.0)
    assert ana50["over_allocated"] is False
    # Ben: posting 9202 is Mon-Thu 7.5 h = 30 a week. W49: nothing planned, 0 %. W50: booking 9803 16 h; allocation
    # 88102 8 h x 5 = 40 > 30 available: over-allocated, 40 / 30 = 133.3 %.
    ben49, ben50 = week(out, "ben@agency.test", "2026-W49"), week(out, "ben@agency.test", "2026-W50")
    assert (ben49["available_hours"], ben49["booked_hours"], ben49["utilisation_percent"]) == (30.0, 0.0, 0.0)
    assert ben49["over_allocated"] is False
    assert (ben50["available_hours"], ben50["booked_hours"], ben50["allocated_hours"]) == (30.0, 16.0, 40.0)
    assert (ben50["utilisation_percent"], ben50["over_allocated"], ben50["exceeded_by"]) == (
        133.3,
        True,
        ["allocations"],
    )
    # Cy is in Projectworks only: no allocated figure. W50: a booking without an id, 45 h over 5 weekdays, against
    # 40 available: 112.5 %, over-allocated.
    cy50 = week(out, "cy@agency.test", "2026-W50")
    assert "allocated_hours" not in cy50 and "teamwork_person_id" not in cy50
    assert (cy50["booked_hours"], cy50["utilisation_percent"], cy50["exceeded_by"]) == (45.0, 112.5, ["bookings"])
    assert cy50["sources"] == {"posting_ids": [9203], "bookings_without_id": 1}
    # Dee has no posting (capacity 0) but a 2 h allocation (88103) in W49: planned with nothing available.
    dee49 = week(out, "dee@agency.test", "2026-W49")
    assert (dee49["capacity_hours"], dee49["allocated_hours"], dee49["over_allocated"]) == (0.0, 2.0, True)
    assert dee49["exceeded_by"] == ["allocations"]
    assert "utilisation_percent" not in dee49
    # Fay is in Teamwork only: capacity unknown, so neither utilisation nor a flag; 88104 = 300 min = 5 h in W50.
    fay50 = week(out, "fay@agency.test", "2026-W50")
    assert fay50["allocated_hours"] == 5.0
    assert not {"capacity_hours", "available_hours", "over_allocated", "projectworks_user_id"} & set(fay50)
    # Over-allocated weeks: Ben W50, Cy W50, Dee W49.
    assert out["summary"] == {"people": 6, "weeks": 12, "over_allocated_weeks": 3}
    assert "cut_short" not in out and "warnings" not in out


async def test_capacity_for_some_people_and_only_the_over_allocated(client: Client, sandbox) -> None:
    seed_capacity(sandbox)
    out = await call_ok(
        client,
        "unified_get_capacity",
        {**RANGE, "people": ["Ben@Agency.test", "nobody@x.test"], "only_over_allocated": True},
    )
    assert [(r["email"], r["week"]) for r in out["result"]] == [("ben@agency.test", "2026-W50")]
    assert out["summary"] == {"people": 1, "weeks": 2, "over_allocated_weeks": 1}
    assert out["warnings"] == ["nobody@x.test: in neither system."]
    # Ben alone: his bookings and leave are read with his user id, not everyone's.
    bookings = sandbox.projectworks.recorder.find("GET", "/Resources")
    assert bookings and all(r.params.get("UserID") == "202" for r in bookings)


async def test_capacity_cut_short_by_the_request_budget(sandbox) -> None:
    seed_capacity(sandbox)
    # Both directories, `me` and the leave statuses take 4 requests; the budget leaves 2 for the rest.
    server = build_server(make_settings(sandbox, projectops_unified_request_budget=6))
    async with Client(server) as client:
        out = await call_ok(client, "unified_get_capacity", RANGE)
    cut = out["cut_short"]
    assert cut["upstream_requests"] == 6
    # Leave, bookings, allocations and 7 postings reads (every Projectworks user with an e-mail: 101, 201-206) = 10
    # reads of one request each; 2 were sent.
    assert len(cut["missing"]) == 8
    assert any(m.startswith("Projectworks postings of user") for m in cut["missing"])


async def test_capacity_refuses_a_bad_range_before_sending_anything(client: Client, sandbox) -> None:
    before = len(sandbox.projectworks.recorder.requests) + len(sandbox.teamwork.recorder.requests)
    text = await call_err(client, "unified_get_capacity", {"start": "2026-12-13", "end": "2026-11-30"})
    assert "end must not be before start" in text
    text = await call_err(client, "unified_get_capacity", {"start": "2026-01-01", "end": "2026-12-31"})
    assert "at most 92 days" in text
    assert len(sandbox.projectworks.recorder.requests) + len(sandbox.teamwork.recorder.requests) == before


async def test_capacity_reports_progress_as_reads_finish(client: Client, sandbox) -> None:
    seed_capacity(sandbox)
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    result = await client.call_tool("unified_get_capacity", RANGE, progress_callback=on_progress)
    assert not result.is_error
    # Each finished read is reported: 2 directories, me, leave statuses, leave, bookings, allocations, 7 postings.
    assert [done for done, _, _ in progress] == list(range(1, 15))
    assert all(total is not None and total >= done for done, total, _ in progress)
    assert any(message == "read Projectworks postings of user 201" for _, _, message in progress)
