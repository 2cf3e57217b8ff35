"""Resourcing bookings: requests as reference §2.2 #12-13 give them (no IncludeCustomFields, an AfterResourceID
cursor), and bookings whose ResourceID is null come through intact."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_resources_sends_every_filter(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "projectworks_list_resources",
        {
            "dates": "within",  # the API's own date filters (the default, overlap, filters here: tests/agent)
            "project_id": 301,
            "module_id": 402,
            "resource_type_id": 1,
            "user_id": 102,
            "start_date": "2026-11-01",
            "end_date": "2026-11-30",
            "mode_id": 1,
            "level_id": 1,
            "modified_since_date": "2026-01-01T00:00:00Z",
            "page_size": 25,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Resources")
    assert req.query == [
        ("ProjectID", "301"),
        ("ModuleID", "402"),
        ("ResourceTypeID", "1"),
        ("UserID", "102"),
        ("StartDate", "2026-11-01"),
        ("EndDate", "2026-11-30"),
        ("ModeID", "1"),
        ("LevelID", "1"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("page", "1"),
        ("pageSize", "25"),
    ]


async def test_bookings_without_an_id_are_listed(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_resources", {"include_raw": True})
    assert [r.get("resource_id") for r in out["items"]] == [9701, 9702, None]
    pencilled = out["items"][2]
    assert pencilled["user_id"] == 103 and pencilled["hours"] == 20.0 and pencilled["raw"]["ResourceID"] is None
    assert "task_id" not in pencilled


async def test_date_filters(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_resources", {"start_date": "2026-12-01", "dates": "within"})
    assert [(r.get("resource_id"), r["start_date"]) for r in out["items"]] == [(None, "2026-12-01")]
    out = await call_ok(client, "projectworks_list_resources", {"user_id": 102, "level_id": 2})
    assert [r["resource_id"] for r in out["items"]] == [9702]


async def test_get_resource(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_resource", {"resource_id": 9701})
    assert out == {
        "resource_id": 9701,
        "project_id": 301,
        "module_id": 402,
        "task_id": 502,
        "user_id": 102,
        "resource_type_id": 1,
        "mode_id": 1,
        "level_id": 1,
        "start_date": "2026-11-23",
        "end_date": "2026-11-27",
        "hours": 32.0,
        "modified_at": "2026-10-01T09:00:00",
    }
    assert [(r.method, r.path, r.query) for r in sandbox.projectworks.requests] == [("GET", "/Resources/9701", [])]
    text = await call_err(client, "projectworks_get_resource", {"resource_id": 12345})
    assert "404" in text and "projectworks_list_resources" in text


async def test_resource_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("projectworks_get_resource", {"resource_id": 0}, "resource_id"),
        ("projectworks_list_resources", {"start_date": "2026-12-05", "end_date": "2026-12-01"}, "end_date"),
        ("projectworks_list_resources", {"include_custom_fields": True}, "include_custom_fields"),
        ("projectworks_list_resources", {"mode_id": "fast"}, "mode_id"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.projectworks.requests == []


async def test_resources_403_names_permissions(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Resources", Fault(status=403, body={"Message": "Denied"}))
    text = await call_err(client, "projectworks_list_resources", {})
    assert "403" in text and "Denied" in text and "permission" in text
