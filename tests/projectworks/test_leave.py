"""Leave requests against reference §2.2 #15-16 and §2.3 #41-43: PascalCase filters, camelCase bodies with
days [{date, typeID, hours}], full-replacement PUT, and the leave type / leave status prerequisites (cached)."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

DAYS = [{"date": "2027-01-11", "type_id": 1, "hours": 8}, {"date": "2027-01-12", "type_id": 2, "hours": 4.5}]


# -- reads --------------------------------------------------------------------------------------------------------


async def test_list_leaves_sends_every_filter(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_leaves",
        {
            "leave_id": 8001,
            "user_id": 103,
            "type_id": 1,
            "status_id": 2,
            "start_date": "2026-12-01",
            "end_date": "2026-12-31",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "page_size": 20,
        },
    )
    (leave,) = out["items"]
    assert leave["leave_id"] == 8001 and leave["start_date"] == "2026-12-21" and leave["end_date"] == "2026-12-22"
    assert leave["total_hours"] == 16 and leave["days"][0] == {"date": "2026-12-21", "type_id": 1, "hours": 8.0}
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Leaves")
    assert req.query == [
        ("LeaveID", "8001"),
        ("UserID", "103"),
        ("TypeID", "1"),
        ("StatusID", "2"),
        ("StartDate", "2026-12-01"),
        ("EndDate", "2026-12-31"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("page", "1"),
        ("pageSize", "20"),
    ]


async def test_list_leaves_external_reference_and_empty_result(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_leaves", {"external_reference": "HR-1", "include_raw": True})
    assert out == {"items": [], "page": 1, "page_size": 50, "has_more": False}
    assert sandbox.projectworks.requests[0].query[0] == ("ExternalReference", "HR-1")


async def test_list_leaves_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_leaves", {"start_date": "next monday", "status_id": 0})
    assert "start_date" in text and "status_id" in text
    assert sandbox.projectworks.requests == []


async def test_get_leave(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_leave", {"leave_id": 8001, "include_raw": True})
    assert out["user_id"] == 103 and out["status_id"] == 2 and out["request_comment"] == "Family trip"
    assert out["raw"]["LeaveID"] == 8001
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [("GET", "/Leaves/8001")]


async def test_get_leave_not_found_and_bad_input(client: Client, sandbox) -> None:
    assert "leave_id" in await call_err(client, "projectworks_get_leave", {})
    assert sandbox.projectworks.requests == []
    text = await call_err(client, "projectworks_get_leave", {"leave_id": 42})
    assert "404" in text and "projectworks_list_leaves" in text


# -- create -------------------------------------------------------------------------------------------------------


async def test_create_leave_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_leave",
        {
            "user_id": 102,
            "status_id": 1,
            "days": DAYS,
            "request_comment": "Long weekend",
            "is_review_required": True,
        },
    )
    (post,) = sandbox.projectworks.find("POST")
    assert post.path == "/Leaves"
    assert post.json == {
        "userID": 102,
        "statusID": 1,
        "days": [{"date": "2027-01-11", "typeID": 1, "hours": 8.0}, {"date": "2027-01-12", "typeID": 2, "hours": 4.5}],
        "requestComment": "Long weekend",
        "isReviewRequired": True,
    }
    back = await call_ok(client, "projectworks_get_leave", {"leave_id": out["leave_id"]})
    assert back["days"] == [
        {"date": "2027-01-11", "type_id": 1, "hours": 8.0},
        {"date": "2027-01-12", "type_id": 2, "hours": 4.5},
    ]
    assert back["total_hours"] == 12.5 and back["is_review_required"] is True


async def test_leave_types_and_statuses_are_looked_up_once_per_account(client: Client, sandbox) -> None:
    for day in ("2027-02-01", "2027-02-02", "2027-02-03"):
        await call_ok(
            client,
            "projectworks_create_leave",
            {"user_id": 101, "status_id": 2, "days": [{"date": day, "type_id": 3, "hours": 8}]},
        )
    assert len(sandbox.projectworks.find("GET", "/Leaves/Types")) == 1
    assert len(sandbox.projectworks.find("GET", "/Leaves/Statuses")) == 1
    assert len(sandbox.projectworks.find("POST", "/Leaves")) == 3


async def test_create_leave_retired_or_unknown_type_is_refused(client: Client, sandbox) -> None:
    for type_id in (4, 99):  # 4 is Study Leave (retired, IsActive false); 99 does not exist
        days = [DAYS[0], {"date": "2027-01-13", "type_id": type_id, "hours": 8}]
        text = await call_err(client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": days})
        assert f"[{type_id}]" in text and "projectworks_list_leave_types" in text and "Nothing was written" in text
        assert "1 (Annual Leave)" in text and "Study Leave" not in text  # only active types are offered
    assert sandbox.projectworks.writes == []


async def test_create_leave_unknown_status_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_leave", {"user_id": 102, "status_id": 9, "days": DAYS})
    assert "status_id 9" in text and "projectworks_list_leave_statuses" in text and "2 (Approved)" in text
    assert sandbox.projectworks.writes == []


async def test_create_leave_bad_input_sends_nothing(client: Client, sandbox) -> None:
    twice = [DAYS[0], {**DAYS[1], "date": DAYS[0]["date"]}]
    text = await call_err(client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": twice})
    assert "days" in text and "2027-01-11" in text
    zero = [{"date": "2027-01-11", "type_id": 1, "hours": 0}]
    assert "hours" in await call_err(
        client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": zero}
    )
    assert "days" in await call_err(client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": []})
    assert "status_id" in await call_err(client, "projectworks_create_leave", {"user_id": 102, "days": DAYS})
    sloppy = [{"date": "2027-01-11", "typeID": 1, "hours": 8}]  # wire names are not accepted as arguments
    assert "typeID" in await call_err(
        client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": sloppy}
    )
    assert sandbox.projectworks.requests == []


async def test_create_leave_upstream_rejection_is_reported_once(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_leave", {"user_id": 999, "status_id": 1, "days": DAYS})
    assert "400" in text and "User 999 does not exist" in text
    assert len(sandbox.projectworks.find("POST")) == 1


async def test_create_leave_with_empty_reply_is_read_back(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("POST", "/Leaves", Fault(status=200, body="", after=True))
    out = await call_ok(client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": DAYS})
    assert out["leave_id"] > 8001 and out["start_date"] == "2027-01-11"
    lookup = sandbox.projectworks.find("GET", "/Leaves")[-1]
    assert lookup.query == [
        ("UserID", "102"),
        ("StartDate", "2027-01-11"),
        ("EndDate", "2027-01-12"),
        ("page", "1"),
        ("pageSize", "100"),
    ]


# -- update (full replacement) / delete ---------------------------------------------------------------------------


async def test_update_leave_replaces_the_whole_request(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_update_leave",
        {"leave_id": 8001, "user_id": 103, "status_id": 1, "days": [{"date": "2026-12-23", "type_id": 2, "hours": 8}]},
    )
    (put,) = sandbox.projectworks.find("PUT")
    assert put.path == "/Leaves/8001"
    assert put.json == {"userID": 103, "statusID": 1, "days": [{"date": "2026-12-23", "typeID": 2, "hours": 8.0}]}
    assert out["days"] == [{"date": "2026-12-23", "type_id": 2, "hours": 8.0}] and out["status_id"] == 1
    back = await call_ok(client, "projectworks_get_leave", {"leave_id": 8001})
    assert "request_comment" not in back  # not sent, so replaced by nothing


async def test_update_leave_requires_the_whole_request(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_leave", {"leave_id": 8001, "status_id": 2})
    assert "user_id" in text and "days" in text
    assert sandbox.projectworks.requests == []


async def test_update_leave_checks_prerequisites_and_missing_leave(client: Client, sandbox) -> None:
    bad = [{"date": "2026-12-23", "type_id": 4, "hours": 8}]
    text = await call_err(
        client, "projectworks_update_leave", {"leave_id": 8001, "user_id": 103, "status_id": 2, "days": bad}
    )
    assert "projectworks_list_leave_types" in text
    assert sandbox.projectworks.writes == []
    text = await call_err(
        client, "projectworks_update_leave", {"leave_id": 77, "user_id": 103, "status_id": 2, "days": DAYS}
    )
    assert "404" in text and "projectworks_list_leaves" in text


async def test_delete_leave(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_delete_leave", {"leave_id": 8001})
    assert out == {"id": 8001, "deleted": True}
    (delete,) = sandbox.projectworks.find("DELETE")
    assert (delete.path, delete.query, delete.body) == ("/Leaves/8001", [], b"")
    assert "404" in await call_err(client, "projectworks_get_leave", {"leave_id": 8001})


async def test_delete_leave_bad_input_and_upstream_errors(client: Client, sandbox) -> None:
    assert "leave_id" in await call_err(client, "projectworks_delete_leave", {"leave_id": "all"})
    assert sandbox.projectworks.requests == []
    assert "404" in await call_err(client, "projectworks_delete_leave", {"leave_id": 8999})
    sandbox.projectworks.faults.add("DELETE", "/Leaves/8001", Fault(status=503), Fault(status=503))
    out = await call_ok(client, "projectworks_delete_leave", {"leave_id": 8001})  # DELETE is idempotent: retried
    assert out["deleted"] is True and len(sandbox.projectworks.find("DELETE", "/Leaves/8001")) == 3
