"""Calendars (v3): the calendar list with `meta.page`, and a calendar's events between two dates with the SDK's
instance flags and cursor paging; refusals before any request, upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"
FLAGS = [
    ("includeMasterInstances", "false"),
    ("showDeletedInstances", "false"),
    ("includeInstances", "true"),
    ("includeOngoingEvents", "true"),
    ("includeDeletedInstances", "false"),
    ("includeModifiedInstances", "true"),
    ("includeTimelogs", "false"),
]


async def test_list_calendars(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_calendars", {"page_size": 10})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", f"{V3}/calendars.json", [("page", "1"), ("pageSize", "10")])
    assert [(c["calendar_id"], c["name"], c["type"]) for c in out["items"]] == [
        (9101, "Kiwi Bank team", "event"),
        (9102, "NZ public holidays", "holiday"),
    ]
    assert out["total"] == 2 and out["has_more"] is False


async def test_list_events_exact_request_occurrences_and_cursor(client: Client, sandbox) -> None:
    args = {"calendar_id": 9101, "start_date": "2026-11-20", "end_date": "2026-12-06", "limit": 3}
    first = await call_ok(client, "teamwork_list_calendar_events", args)
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", f"{V3}/calendars/9101/events.json")
    assert req.query == [("startedAfterDate", "2026-11-20"), ("endedBeforeDate", "2026-12-06"), ("limit", "3"), *FLAGS]
    # the offsite began on the 19th (under way on the 20th); the weekly stand-up comes as its occurrences
    assert [e["summary"] for e in first["items"]] == ["Offsite", "Stand-up", "Discovery workshop"]
    assert first["items"][1]["event_id"] == "ev-2_20261123"
    workshop = first["items"][2]
    assert (workshop["starts_at"], workshop["ends_at"], workshop["project_id"], workshop["task_id"]) == (
        "2026-11-24T09:00:00Z", "2026-11-24T12:00:00Z", 732893, 5001
    )  # fmt: skip
    assert workshop["organizer"] == {"user_id": 238860, "name": "Marc Cashman", "email": "marc@demo-agency.test"}
    assert [a["user_id"] for a in workshop["attendees"]] == [369453, 412001]
    assert first["has_more"] is True and first["next_cursor"]
    second = await call_ok(client, "teamwork_list_calendar_events", args | {"cursor": first["next_cursor"]})
    assert ("cursor", first["next_cursor"]) in sandbox.teamwork.requests[-1].query
    assert [e["event_id"] for e in second["items"]] == ["ev-2_20261130"]
    assert second["has_more"] is False and "next_cursor" not in second


async def test_events_bad_input_sends_nothing(client: Client, sandbox) -> None:
    base = {"calendar_id": 9101, "start_date": "2026-11-20", "end_date": "2026-12-06"}
    cases = [
        ({"calendar_id": 9101, "start_date": "2026-11-20"}, "end_date"),
        (base | {"end_date": "2026-11-01"}, "before start_date"),
        (base | {"end_date": "2028-01-01"}, "366 days"),
        (base | {"start_date": "20/11/2026"}, "start_date"),
        (base | {"limit": 0}, "limit"),
        (base | {"calendar_id": 0}, "calendar_id"),
    ]
    for args, expected in cases:
        assert expected in await call_err(client, "teamwork_list_calendar_events", args), args
    assert sandbox.teamwork.requests == []


async def test_calendar_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "teamwork_list_calendar_events",
        {"calendar_id": 4242, "start_date": "2026-11-20", "end_date": "2026-11-30"},
    )
    assert "404" in text
    sandbox.teamwork.faults.add(
        "GET", f"{V3}/calendars.json", Fault(status=403, body={"errors": [{"detail": "calendar is off"}]})
    )
    text = await call_err(client, "teamwork_list_calendars", {})
    assert "403" in text and "calendar is off" in text
