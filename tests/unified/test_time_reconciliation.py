"""unified_get_time_reconciliation through the SDK client against both simulators, on the agency of answers_scenario.py,
Mon 30 Nov - Fri 4 Dec 2026. Expected figures are worked out by hand from the scenario's time entries and
timesheets."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings
from tests.unified.answers_scenario import seed_time, timelog, timesheet

RANGE = {"start": "2026-11-30", "end": "2026-12-04"}


async def test_days_that_differ_and_people_in_one_system(client: Client, sandbox) -> None:
    seed_time(sandbox)
    out = await call_ok(client, "unified_get_time_reconciliation", RANGE)
    # Ana 30 Nov: 240 + 120 = 360 in Teamwork, 360 in Projectworks: equal, not listed.
    # Ben 3 Dec: 300 at 23:30 UTC counts on 3 Dec, as his 300-minute timesheet: equal.
    assert out["result"] == [
        {  # Ana 1 Dec: 480 - 420 = 60
            "email": "ana@agency.test",
            "name": "Ana Lima",
            "date": "2026-12-01",
            "teamwork_minutes": 480,
            "projectworks_minutes": 420,
            "difference_minutes": 60,
            "teamwork_person_id": 301,
            "projectworks_user_id": 201,
            "time_entry_ids": [33103],
            "timesheet_ids": [7102],
        },
        {  # Ana 2 Dec: nothing in Teamwork, 240 in Projectworks
            "email": "ana@agency.test",
            "name": "Ana Lima",
            "date": "2026-12-02",
            "teamwork_minutes": 0,
            "projectworks_minutes": 240,
            "difference_minutes": -240,
            "teamwork_person_id": 301,
            "projectworks_user_id": 201,
            "timesheet_ids": [7103],
        },
        {  # Ben 4 Dec: 200 - 215 = -15
            "email": "ben@agency.test",
            "name": "Ben Ode",
            "date": "2026-12-04",
            "teamwork_minutes": 200,
            "projectworks_minutes": 215,
            "difference_minutes": -15,
            "teamwork_person_id": 302,
            "projectworks_user_id": 202,
            "time_entry_ids": [33105],
            "timesheet_ids": [7105],
        },
    ]
    assert out["only_in_one_system"] == [
        {
            "source": "teamwork",
            "id": 306,
            "email": "fay@agency.test",
            "name": "Fay Gold",
            "why": "no Projectworks user with this e-mail",
            "minutes": 90,
            "days": 1,
            "entry_ids": [33106],
        },
        {
            "source": "projectworks",
            "id": 203,
            "email": "cy@agency.test",
            "name": "Cy Park",
            "why": "no Teamwork person with this e-mail",
            "minutes": 480,
            "days": 1,
            "entry_ids": [7106],
        },
    ]
    # Compared: the 6 people in both systems (Ana, Ben, Dee, Eve, Hal, Marc); days with time: Ana 3, Ben 2.
    # Teamwork in range: 360 + 480 + 300 + 200 + 90 = 1430 (Ana's Saturday 33107 is outside).
    # Projectworks in range: 360 + 420 + 240 + 300 + 215 + 480 = 2015 (Ana's 7 Dec 7107 is outside).
    assert out["summary"] == {
        "people_compared": 6,
        "days_compared": 5,
        "days_differing": 3,
        "teamwork_minutes": 1430,
        "projectworks_minutes": 2015,
    }
    # Projectworks filters timesheets by one day only: one read per day, 5 days.
    days = [r.params.get("Date") for r in sandbox.projectworks.recorder.find("GET", "/Timesheets")]
    assert sorted(days) == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]


async def test_tolerance_and_one_person(client: Client, sandbox) -> None:
    seed_time(sandbox)
    out = await call_ok(
        client, "unified_get_time_reconciliation", {**RANGE, "people": ["ben@agency.test"], "tolerance_minutes": 15}
    )
    # Ben's only difference is 15 minutes: within the tolerance.
    assert out["result"] == [] and out["only_in_one_system"] == []
    assert out["summary"] == {
        "people_compared": 1,
        "days_compared": 2,
        "days_differing": 0,
        "teamwork_minutes": 500,
        "projectworks_minutes": 515,
    }
    # One Projectworks user: each day's timesheets are asked for him only; Teamwork's entries for his person id.
    assert {r.params.get("UserID") for r in sandbox.projectworks.recorder.find("GET", "/Timesheets")} == {"202"}
    logs = sandbox.teamwork.recorder.find("GET", "/projects/api/v3/time.json")
    assert [r.params.get("assignedToUserIds") for r in logs] == ["302"]


async def test_reconciliation_cut_short_keeps_what_was_read(sandbox) -> None:
    seed_time(sandbox)
    # 2 directory pages + `me` + Teamwork entries + 5 days of timesheets = 9 requests; allow 7.
    server = build_server(make_settings(sandbox, projectops_unified_request_budget=7))
    async with Client(server) as client:
        out = await call_ok(client, "unified_get_time_reconciliation", RANGE)
    assert out["cut_short"]["upstream_requests"] == 7
    assert len(out["cut_short"]["missing"]) == 2


async def test_reconciliation_range_is_bounded(client: Client, sandbox) -> None:
    text = await call_err(client, "unified_get_time_reconciliation", {"start": "2026-01-01", "end": "2026-06-30"})
    assert "at most 62 days" in text


async def test_long_lists_are_read_page_by_page(client: Client, sandbox) -> None:
    seed_time(sandbox)
    logs, sheets = sandbox.teamwork.store.table("timelogs"), sandbox.projectworks.store.table("timesheets")
    for n in range(1001):  # 1,001 one-minute Teamwork entries for Ana on 30 Nov: 3 pages of 500
        logs[40000 + n] = timelog(40000 + n, 301, "2026-11-30T10:00:00Z", 1)
    for n in range(501):  # 501 one-minute timesheets for Ana on 30 Nov: 2 pages of 500
        sheets[50000 + n] = timesheet(50000 + n, 201, "2026-11-30", 1)
    out = await call_ok(client, "unified_get_time_reconciliation", {**RANGE, "people": ["ana@agency.test"]})
    # Ana 30 Nov: Teamwork 360 + 1001 = 1361, Projectworks 360 + 501 = 861: 500 more in Teamwork.
    first = out["result"][0]
    assert (first["date"], first["teamwork_minutes"], first["projectworks_minutes"]) == ("2026-11-30", 1361, 861)
    assert len(first["time_entry_ids"]) == 1003 and len(first["timesheet_ids"]) == 502
    # Teamwork gave its total on page 1, so pages 2 and 3 were asked for at once; Projectworks gives none.
    tw_pages = [r.params["page"] for r in sandbox.teamwork.recorder.find("GET", "/projects/api/v3/time.json")]
    assert sorted(tw_pages) == ["1", "2", "3"]
    pw_pages = [
        r.params["page"]
        for r in sandbox.projectworks.recorder.find("GET", "/Timesheets")
        if r.params.get("Date") == "2026-11-30"
    ]
    assert pw_pages == ["1", "2"]
