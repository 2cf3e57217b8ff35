"""Projects: v3 reads, v1 writes; every seed-003 "Update Project" sample asserted key for key."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893


async def test_list_projects_sends_v3_filters(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_list_projects",
        {
            "status": "active",
            "company_id": 2,
            "search": "kiwi",
            "updated_after": "2026-01-01T00:00:00Z",
            "include_archived": True,
            "page_size": 10,
        },
    )
    assert [p["project_id"] for p in out["items"]] == [KIWI]
    assert out["items"][0] == {
        "project_id": KIWI,
        "name": "Kiwi Bank App",
        "description": "Mobile banking app redesign",
        "status": "active",
        "sub_status": "current",
        "type": "normal",
        "company_id": 2,
        "owner_id": 238860,
        "start_date": "2026-09-01",
        "end_date": "2027-03-31",
        "tag_ids": [],
        "created_at": "2026-10-01T09:00:00Z",
        "updated_at": "2026-10-01T09:00:00Z",
    }
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/projects.json")
    assert req.query == [
        ("projectStatuses", "active"),
        ("projectCompanyIds", "2"),
        ("searchTerm", "kiwi"),
        ("updatedAfter", "2026-01-01T00:00:00Z"),
        ("includeArchivedProjects", "true"),
        ("page", "1"),
        ("pageSize", "10"),
    ]


async def test_list_projects_pages_and_tag_filter(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_projects", {"page_size": 1})
    assert len(out["items"]) == 1 and out["has_more"] is True
    out = await call_ok(client, "teamwork_list_projects", {"tag_ids": [17062, 17063]})
    assert out["items"] == [] and out["has_more"] is False
    assert sandbox.teamwork.requests[-1].params["projectTagIds"] == "17062,17063"


async def test_get_project_with_raw(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_project", {"project_id": 739377, "include_raw": True})
    assert out["name"] == "Harbour Health Portal" and out["company_id"] == 3 and "end_date" not in out
    assert out["raw"]["projectOwner"] == {"id": 238860, "type": "users"}
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", "/projects/api/v3/projects/739377.json", [])


async def test_get_unknown_project_points_to_the_list(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_get_project", {"project_id": 4242})
    assert "404" in text and "teamwork_list_projects" in text


# -- seed 003: "Update Project samples" -- one test per sample, body asserted exactly --------------------------------

SEED_003_UPDATES = [
    ({"owner_id": 238860}, {"project": {"projectOwnerId": 238860}}),  # Update Project owner (SDK: int64)
    ({"company_id": 3}, {"project": {"companyId": 3}}),  # Add project to another company (SDK: int64)
    ({"status": "archived"}, {"project": {"status": "archived"}}),  # Archive Project (SDK: active|archived only)
    ({"status": "inactive"}, {"project": {"status": "archived"}}),  # the read-side alias is sent as "archived"
    ({"status": "active"}, {"project": {"status": "active"}}),  # Make Project Active
    ({"chat_channel_enabled": True}, {"project": {"chatChannelEnabled": 1}}),  # Enable Project Channel
]


@pytest.mark.parametrize(
    ("args", "body"), SEED_003_UPDATES, ids=["owner", "company", "archive", "inactive", "active", "chat"]
)
async def test_update_project_matches_seed_003(client: Client, sandbox, args: dict, body: dict) -> None:
    await call_ok(client, "teamwork_update_project", {"project_id": KIWI, **args})
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path) == ("PUT", f"/projects/{KIWI}.json")  # the seed's "POST" label is the PUT page
    assert put.json == body


async def test_archive_then_reactivate_reads_back(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_project", {"project_id": KIWI, "status": "archived"})
    assert out["status"] == "archived" and "chatChannelEnabled" not in sandbox.teamwork.writes[0].json["project"]
    listed = await call_ok(client, "teamwork_list_projects", {})
    assert KIWI not in [p["project_id"] for p in listed["items"]]
    out = await call_ok(client, "teamwork_update_project", {"project_id": KIWI, "status": "active"})
    assert out["status"] == "active"
    out = await call_ok(client, "teamwork_update_project", {"project_id": KIWI, "chat_channel_enabled": False})
    assert sandbox.teamwork.writes[-1].json == {"project": {"chatChannelEnabled": 0}}


async def test_update_project_other_fields(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_update_project",
        {
            "project_id": KIWI,
            "name": "Kiwi Bank App v2",
            "description": "Phase two",
            "start_date": "2027-01-04",
            "end_date": "2027-06-30",
            "tag_ids": [17062],
            "owner_id": 369453,
            "company_id": 2,
        },
    )
    assert sandbox.teamwork.writes[0].json == {
        "project": {
            "name": "Kiwi Bank App v2",
            "description": "Phase two",
            "start-date": "20270104",
            "end-date": "20270630",
            "companyId": 2,
            "projectOwnerId": 369453,
            "tagIds": [17062],
        }
    }
    assert out["name"] == "Kiwi Bank App v2" and out["owner_id"] == 369453 and out["tag_ids"] == [17062]
    assert (out["start_date"], out["end_date"]) == ("2027-01-04", "2027-06-30")


async def test_update_project_unknown_owner_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_project", {"project_id": KIWI, "owner_id": 4242})
    assert "owner_id" in text and "teamwork_list_people" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_update_project_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"project_id": KIWI, "status": "paused"}, "status"),
        ({"project_id": KIWI}, "project_id"),
        ({"project_id": 0, "name": "x"}, "project_id"),
        ({"project_id": KIWI, "start_date": "2027-02-01", "end_date": "2027-01-01"}, "end_date"),
        ({"project_id": KIWI, "start_date": "01/02/2027"}, "start_date"),
        ({"project_id": KIWI, "ownerId": 1}, "owner_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_update_project", args)
        assert field in text, (field, text)
    assert sandbox.teamwork.requests == []


async def test_simulator_rejects_an_unknown_status_like_teamwork(client: Client, sandbox) -> None:
    """The simulator's own check, so a wrong status can never pass the tests silently."""
    import httpx2

    async with httpx2.AsyncClient(base_url=sandbox.url, auth=("key", "X")) as http:
        bad = await http.put(f"/projects/{KIWI}.json", json={"project": {"status": "paused"}})
        unwrapped = await http.put(f"/projects/{KIWI}.json", json={"status": "inactive"})
    assert bad.status_code == 400 and bad.json()["STATUS"] == "Error"
    assert unwrapped.status_code == 422 and "project" in unwrapped.json()["MESSAGE"]


async def test_create_project_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_project",
        {
            "name": "Kiwi Bank Web",
            "description": "Web banking",
            "start_date": "2027-01-11",
            "end_date": "2027-05-28",
            "company_id": 2,
            "owner_id": 369453,
            "tag_ids": [17063],
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", "/projects.json")
    assert post.json == {
        "project": {
            "name": "Kiwi Bank Web",
            "description": "Web banking",
            "start-date": "20270111",
            "end-date": "20270528",
            "companyId": 2,
            "projectOwnerId": 369453,
            "tagIds": [17063],
        }
    }
    assert out["project_id"] > 0 and out["name"] == "Kiwi Bank Web" and out["company_id"] == 2
    assert sandbox.teamwork.requests[-1].path == f"/projects/api/v3/projects/{out['project_id']}.json"


async def test_create_project_minimal_and_bad_input(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_project", {"name": ""})
    assert "name" in text
    text = await call_err(client, "teamwork_create_project", {"description": "no name"})
    assert "name" in text
    assert sandbox.teamwork.requests == []
    out = await call_ok(client, "teamwork_create_project", {"name": "Internal"})
    assert sandbox.teamwork.writes[0].json == {"project": {"name": "Internal"}}
    assert out["company_id"] == 1


async def test_create_project_500_is_not_resent(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", "/projects.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_project", {"name": "Twice?"})
    assert "500" in text and "NOT retried" in text and "teamwork_list_projects" in text
    assert len(sandbox.teamwork.writes) == 1


async def test_delete_project(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_project", {"project_id": 739377})
    assert out == {"id": 739377, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.teamwork.writes] == [("DELETE", "/projects/739377.json")]
    text = await call_err(client, "teamwork_get_project", {"project_id": 739377})
    assert "404" in text
    text = await call_err(client, "teamwork_delete_project", {"project_id": 739377})
    assert "404" in text and "teamwork_list_projects" in text
    text = await call_err(client, "teamwork_delete_project", {"project_id": -1})
    assert "project_id" in text


async def test_count_projects_asks_for_one_record_and_the_count(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_count_projects", {"company_id": 2, "search": "kiwi"})
    assert out == {"count": 1}
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/projects.json")
    assert req.query == [
        ("projectCompanyIds", "2"),
        ("searchTerm", "kiwi"),
        ("skipCounts", "false"),
        ("page", "1"),
        ("pageSize", "1"),
    ]
    assert (await call_ok(client, "teamwork_count_projects", {}))["count"] == 2
    text = await call_err(client, "teamwork_count_projects", {"status": "paused"})
    assert "status" in text and len(sandbox.teamwork.requests) == 2


async def test_count_projects_without_a_count_is_an_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("GET", "/projects/api/v3/projects.json", Fault(status=200, body={"meta": {"page": {}}}))
    text = await call_err(client, "teamwork_count_projects", {})
    assert "did not report a count" in text


async def test_list_projects_by_category(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_update_project", {"project_id": KIWI, "category_id": 9102})
    assert sandbox.teamwork.writes[0].json == {"project": {"category-id": 9102}}
    out = await call_ok(client, "teamwork_list_projects", {"category_id": 9102})
    assert [p["project_id"] for p in out["items"]] == [KIWI] and out["items"][0]["category_id"] == 9102
    assert sandbox.teamwork.requests[-1].params["projectCategoryIds"] == "9102"
    text = await call_err(client, "teamwork_update_project", {"project_id": KIWI, "category_id": 4242})
    assert "category_id" in text and "teamwork_list_project_categories" in text
    assert len(sandbox.teamwork.writes) == 1
