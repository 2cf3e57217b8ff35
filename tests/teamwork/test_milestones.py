"""Milestones: v3 reads; v1 create (`{"milestone"}`, YYYYMMDD, comma responsible-party-ids), update, complete."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893


async def test_list_and_get_milestones(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_milestones", {"project_id": KIWI, "search": "sign"})
    assert out["items"] == [
        {"milestone_id": 8801, "name": "Discovery sign-off", "project_id": KIWI, "deadline": "2026-12-04",
         "completed": False, "status": "new", "responsible_user_ids": [238860], "tasklist_ids": [1301],
         "tag_ids": [], "created_at": "2026-10-01T09:00:00Z", "updated_at": "2026-10-01T09:00:00Z"}
    ]  # fmt: skip
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", f"/projects/api/v3/projects/{KIWI}/milestones.json")
    assert req.query == [("searchTerm", "sign"), ("page", "1"), ("pageSize", "50")]
    one = await call_ok(client, "teamwork_get_milestone", {"milestone_id": 8801, "include_raw": True})
    assert one["raw"]["deadline"].startswith("2026-12-04")
    assert sandbox.teamwork.requests[-1].path == "/projects/api/v3/milestones/8801.json"
    await call_ok(client, "teamwork_list_milestones", {"tag_ids": [17062]})
    assert sandbox.teamwork.requests[-1].path == "/projects/api/v3/milestones.json"
    assert sandbox.teamwork.requests[-1].params["tagIds"] == "17062"


async def test_create_milestone_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_milestone",
        {
            "project_id": KIWI,
            "name": "Beta release",
            "deadline": "2027-02-26",
            "responsible_user_ids": [238860, 369453],
            "description": "TestFlight build",
            "tasklist_ids": [1302],
            "tag_ids": [17063],
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", f"/projects/{KIWI}/milestones.json")
    assert post.json == {
        "milestone": {
            "title": "Beta release",
            "description": "TestFlight build",
            "deadline": "20270226",
            "responsible-party-ids": "238860,369453",
            "tasklistIds": [1302],
            "tagIds": [17063],
        }
    }
    assert out["milestone_id"] > 0 and out["deadline"] == "2027-02-26"
    assert out["responsible_user_ids"] == [238860, 369453] and out["tasklist_ids"] == [1302]


async def test_create_reads_milestone_id_in_either_case(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "POST", f"/projects/{KIWI}/milestones.json", Fault(status=201, body={"STATUS": "OK", "milestoneId": "8801"})
    )
    args = {"project_id": KIWI, "name": "x", "deadline": "2027-01-01", "responsible_user_ids": [238860]}
    assert (await call_ok(client, "teamwork_create_milestone", args))["milestone_id"] == 8801


async def test_create_milestone_refusals_send_no_write(client: Client, sandbox) -> None:
    base = {"project_id": KIWI, "name": "x", "deadline": "2027-01-01", "responsible_user_ids": [238860]}
    cases = [
        ({**base, "project_id": 4242}, "teamwork_list_projects"),
        ({**base, "responsible_user_ids": [4242]}, "teamwork_list_people"),
        ({**base, "tasklist_ids": [1303]}, "not 732893"),
        ({**base, "tag_ids": [4242]}, "teamwork_list_tags"),
    ]
    for args, expected in cases:
        text = await call_err(client, "teamwork_create_milestone", args)
        assert expected in text and "Nothing was written" in text, text
    assert sandbox.teamwork.writes == []


async def test_create_milestone_bad_input_sends_nothing(client: Client, sandbox) -> None:
    base = {"project_id": KIWI, "name": "x", "deadline": "2027-01-01", "responsible_user_ids": [238860]}
    for args, field in [
        ({**base, "responsible_user_ids": []}, "responsible_user_ids"),
        ({k: v for k, v in base.items() if k != "deadline"}, "deadline"),
        ({**base, "deadline": "20270101x"}, "deadline"),
        ({**base, "title": "x"}, "title"),
    ]:
        assert field in await call_err(client, "teamwork_create_milestone", args)
    assert sandbox.teamwork.requests == []


async def test_update_milestone_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_milestone", {"milestone_id": 8801, "deadline": "2026-12-11"})
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == ("PUT", "/milestones/8801.json", {"milestone": {"deadline": "20261211"}})
    assert out["deadline"] == "2026-12-11"
    assert "milestone_id" in await call_err(client, "teamwork_update_milestone", {"milestone_id": 8801})
    text = await call_err(client, "teamwork_update_milestone", {"milestone_id": 8801, "tasklist_ids": [1303]})
    assert "tasklist_ids" in text and "Nothing was written" in text
    assert len(sandbox.teamwork.writes) == 1
    text = await call_err(client, "teamwork_update_milestone", {"milestone_id": 4242, "name": "x"})
    assert "404" in text and "teamwork_list_milestones" in text


async def test_complete_milestone(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_complete_milestone", {"milestone_id": 8801})
    assert out["completed"] is True and out["status"] == "completed" and out["completed_at"]
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.body) == ("PUT", "/milestones/8801/complete.json", b"")
    assert "milestone_id" in await call_err(client, "teamwork_complete_milestone", {"milestone_id": 0})
    assert "404" in await call_err(client, "teamwork_complete_milestone", {"milestone_id": 4242})


async def test_reopen_delete_and_count_milestones(client: Client, sandbox) -> None:
    listed = await call_ok(client, "teamwork_list_milestones", {"project_id": 732893})
    mid = listed["items"][0]["milestone_id"]
    assert await call_ok(client, "teamwork_count_milestones", {"project_id": 732893}) == {"count": len(listed["items"])}
    count_req = sandbox.teamwork.requests[-1]
    assert (count_req.path, count_req.query) == (
        "/projects/api/v3/projects/732893/milestones.json",
        [("skipCounts", "false"), ("page", "1"), ("pageSize", "1")],
    )
    await call_ok(client, "teamwork_complete_milestone", {"milestone_id": mid})
    out = await call_ok(client, "teamwork_reopen_milestone", {"milestone_id": mid})
    put = sandbox.teamwork.writes[-1]
    assert (put.method, put.path, put.body) == ("PUT", f"/milestones/{mid}/uncomplete.json", b"")
    assert out["completed"] is False
    assert await call_ok(client, "teamwork_delete_milestone", {"milestone_id": mid}) == {"id": mid, "deleted": True}
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == (
        "DELETE",
        f"/milestones/{mid}.json",
    )
    assert "404" in await call_err(client, "teamwork_get_milestone", {"milestone_id": mid})
    assert "404" in await call_err(client, "teamwork_delete_milestone", {"milestone_id": mid})
    assert "milestone_id" in await call_err(client, "teamwork_reopen_milestone", {"milestone_id": 0})
