"""Latest activity (v3): site-wide and per project, RFC 3339 date filters, comma-joined activityTypes."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_site_activity_request_and_records(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_list_latest_activity",
        {
            "start": "2026-11-15T00:00:00Z",
            "end": "2026-11-30T23:59:59+00:00",
            "activity_types": ["task", "comment"],
            "page_size": 10,
        },
    )
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/latestactivity.json")
    assert req.query == [
        ("startDate", "2026-11-15T00:00:00Z"),
        ("endDate", "2026-11-30T23:59:59Z"),
        ("activityTypes", "task,comment"),
        ("page", "1"),
        ("pageSize", "10"),
    ]
    assert [a["activity_id"] for a in out["items"]] == [99002, 99001]  # newest first; the comment is older
    assert out["items"][0] == {
        "activity_id": 99002,
        "action": "edited",
        "item_type": "tasks",
        "item_id": 5001,
        "description": "Stakeholder interviews",
        "at": "2026-11-18T11:00:00Z",
        "user_id": 369453,
        "project_id": 732893,
        "company_id": 2,
        "link": "tasks/5001",
    }


async def test_project_activity_and_type_filter(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_latest_activity", {"project_id": 732893, "activity_types": ["comment"]})
    assert [a["activity_id"] for a in out["items"]] == [99003]
    assert sandbox.teamwork.requests[0].path == "/projects/api/v3/projects/732893/latestactivity.json"
    out = await call_ok(client, "teamwork_list_latest_activity", {"project_id": 739377})
    assert out["items"] == [] and out["has_more"] is False


async def test_activity_bad_inputs_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"activity_types": ["tasks"]}, "activity_types"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-11-20T00:00:00Z", "end": "2026-11-01T00:00:00Z"}, "end must be after start"),
        ({"project_id": 0}, "project_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_list_latest_activity", args)
        assert field in text, (field, text)
    assert sandbox.teamwork.requests == []


async def test_activity_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_list_latest_activity", {"project_id": 404404})
    assert "404" in text
    sandbox.teamwork.faults.add("GET", "/projects/api/v3/latestactivity.json", Fault(status=401))
    text = await call_err(client, "teamwork_list_latest_activity", {})
    assert "401" in text and "TEAMWORK_API_KEY" in text
