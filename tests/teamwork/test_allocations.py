"""Planner allocations (v3): exact bodies, two weeks read back, soft delete and restore, task links, refusals."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"
KIWI = 732893


async def test_allocate_a_person_for_two_weeks(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_allocation",
        {
            "project_id": KIWI,
            "user_id": 369453,
            "start_date": "2026-12-07",
            "end_date": "2026-12-18",
            "minutes_per_day": 360,
            "title": "Build sprint",
            "task_ids": [5001],
        },
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path) == ("POST", f"{V3}/allocations.json")
    assert post.json == {
        "allocation": {
            "projectId": KIWI,
            "assignedUserID": 369453,
            "title": "Build sprint",
            "startedAt": "2026-12-07",
            "endedAt": "2026-12-18",
            "secondsPerDay": 21600,
            "color": "#4461d7",
            "linkedTaskIDs": [5001],
        }
    }
    assert out["total_minutes"] == 10 * 360 and out["minutes_per_day"] == 360 and out["task_ids"] == [5001]
    listed = await call_ok(
        client,
        "teamwork_list_allocations",
        {"user_ids": [369453], "start_date": "2026-12-01", "end_date": "2026-12-31"},
    )
    assert [a["allocation_id"] for a in listed["items"]] == [out["allocation_id"]]
    assert sandbox.teamwork.requests[-1].query == [
        ("startDate", "2026-12-01"),
        ("endDate", "2026-12-31"),
        ("assignedUserIds", "369453"),
        ("page", "1"),
        ("pageSize", "50"),
    ]


async def test_update_delete_restore_and_link(client: Client, sandbox) -> None:
    made = await call_ok(
        client,
        "teamwork_create_allocation",
        {
            "project_id": KIWI,
            "user_id": 238860,
            "start_date": "2026-12-07",
            "end_date": "2026-12-11",
            "minutes_per_day": 60,
        },
    )
    aid = made["allocation_id"]
    out = await call_ok(client, "teamwork_update_allocation", {"allocation_id": aid, "minutes_per_day": 120})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        f"{V3}/allocations/{aid}.json",
        {"allocation": {"secondsPerDay": 7200}},
    )
    assert out["total_minutes"] == 600
    assert await call_ok(client, "teamwork_delete_allocation", {"allocation_id": aid}) == {"id": aid, "deleted": True}
    assert sandbox.teamwork.writes[-1].json == {"hardDelete": False}
    assert (await call_ok(client, "teamwork_get_allocation", {"allocation_id": aid}))["status"] == "deleted"
    restored = await call_ok(client, "teamwork_restore_allocation", {"allocation_id": aid})
    assert restored["status"] == "active"
    assert sandbox.teamwork.writes[-1].path == f"{V3}/allocations/{aid}/restore.json"
    linked = await call_ok(client, "teamwork_link_allocation_task", {"allocation_id": aid, "task_id": 5002})
    assert linked["task_ids"] == [5002] and sandbox.teamwork.writes[-1].path == f"{V3}/allocations/{aid}/link/5002.json"
    unlinked = await call_ok(
        client, "teamwork_link_allocation_task", {"allocation_id": aid, "task_id": 5002, "link": False}
    )
    assert "task_ids" not in unlinked or unlinked["task_ids"] == []
    assert sandbox.teamwork.writes[-1].path == f"{V3}/allocations/{aid}/unlink/5002.json"
    await call_ok(client, "teamwork_delete_allocation", {"allocation_id": aid, "permanent": True})
    assert sandbox.teamwork.writes[-1].json == {"hardDelete": True}
    assert "404" in await call_err(client, "teamwork_get_allocation", {"allocation_id": aid})


async def test_allocation_bad_input_and_prerequisites(client: Client, sandbox) -> None:
    base = {"project_id": KIWI, "user_id": 238860, "start_date": "2026-12-07", "end_date": "2026-12-11"}
    cases = [
        ({**base}, "minutes_per_day"),
        ({**base, "minutes_per_day": 0}, "minutes_per_day"),
        ({**base, "minutes_per_day": 60, "end_date": "2026-12-01"}, "end_date"),
        ({**base, "minutes_per_day": 60, "color": "blue"}, "color"),
        ({**base, "minutes_per_day": 60, "task_ids": [5001, 5001]}, "once"),
    ]
    for args, expected in cases:
        assert expected in await call_err(client, "teamwork_create_allocation", args), expected
    assert "nothing to change" in await call_err(client, "teamwork_update_allocation", {"allocation_id": 1})
    assert sandbox.teamwork.requests == []
    for field, value, lookup in (
        ("user_id", 4242, "teamwork_list_people"),
        ("project_id", 4242, "teamwork_list_projects"),
    ):
        text = await call_err(client, "teamwork_create_allocation", {**base, "minutes_per_day": 60, field: value})
        assert lookup in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_allocation_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "POST", f"{V3}/allocations.json", Fault(status=409, body={"errors": [{"detail": "collision"}]})
    )
    text = await call_err(
        client,
        "teamwork_create_allocation",
        {
            "project_id": KIWI,
            "user_id": 238860,
            "start_date": "2026-12-07",
            "end_date": "2026-12-11",
            "minutes_per_day": 60,
        },
    )
    assert "409" in text and "collision" in text
