"""Project categories: v3 reads, v1 writes with the SDK's `{"category": {...}}` body and `parent-id`; create reads
the string `categoryId` back through v3."""

from __future__ import annotations

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

CATEGORIES = "/projects/api/v3/projectcategories.json"


async def test_list_categories_request_and_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_project_categories", {"search": "fin", "page_size": 10})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", CATEGORIES)
    assert req.query == [("searchTerm", "fin"), ("page", "1"), ("pageSize", "10")]
    assert out["items"] == [
        {"category_id": 9102, "name": "Fintech", "color": "#27AE60", "parent_id": 9101, "project_count": 0}
    ]
    assert out["total"] == 1 and out["has_more"] is False
    everything = await call_ok(client, "teamwork_list_project_categories", {})
    assert [c["category_id"] for c in everything["items"]] == [9101, 9102, 9103]


async def test_get_category(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_project_category", {"category_id": 9101, "include_raw": True})
    assert out["name"] == "Client work" and "parent_id" not in out and out["raw"]["parent"] is None
    assert sandbox.teamwork.requests[0].path == "/projects/api/v3/projectcategories/9101.json"
    text = await call_err(client, "teamwork_get_project_category", {"category_id": 4242})
    assert "404" in text and "teamwork_list_project_categories" in text


async def test_create_category_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_create_project_category", {"name": "Retainers", "color": "#F39C12", "parent_id": 9101}
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", "/projectcategories.json")
    assert post.json == {"category": {"name": "Retainers", "color": "#F39C12", "parent-id": 9101}}
    assert out["category_id"] >= 9200 and out["name"] == "Retainers" and out["parent_id"] == 9101
    assert sandbox.teamwork.requests[-1].path == f"/projects/api/v3/projectcategories/{out['category_id']}.json"
    listed = await call_ok(client, "teamwork_list_project_categories", {"search": "retainers"})
    assert [c["category_id"] for c in listed["items"]] == [out["category_id"]]


async def test_update_category_and_move_to_top_level(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_project_category", {"category_id": 9102, "name": "Banking"})
    assert sandbox.teamwork.writes[0].json == {"category": {"name": "Banking"}}
    assert (
        sandbox.teamwork.writes[0].method == "PUT" and sandbox.teamwork.writes[0].path == "/projectcategories/9102.json"
    )
    assert (out["name"], out["parent_id"], out["color"]) == ("Banking", 9101, "#27AE60")
    out = await call_ok(client, "teamwork_update_project_category", {"category_id": 9103, "parent_id": 9101})
    assert out["parent_id"] == 9101


async def test_delete_category_uncategorises_its_projects(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_update_project", {"project_id": 732893, "category_id": 9103})
    assert (await call_ok(client, "teamwork_get_project_category", {"category_id": 9103}))["project_count"] == 1
    out = await call_ok(client, "teamwork_delete_project_category", {"category_id": 9103})
    assert out == {"id": 9103, "deleted": True}
    assert (
        sandbox.teamwork.writes[-1].method == "DELETE"
        and sandbox.teamwork.writes[-1].path == "/projectcategories/9103.json"
    )
    project = await call_ok(client, "teamwork_get_project", {"project_id": 732893})
    assert "category_id" not in project
    text = await call_err(client, "teamwork_delete_project_category", {"category_id": 9103})
    assert "404" in text and "teamwork_list_project_categories" in text


async def test_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_project_category", {"name": ""}, "name"),
        ("teamwork_create_project_category", {"color": "#FFFFFF"}, "name"),
        ("teamwork_create_project_category", {"name": "X", "color": "orange"}, "color"),
        ("teamwork_create_project_category", {"name": "X", "parent_id": 0}, "parent_id"),
        ("teamwork_update_project_category", {"category_id": 9102}, "category_id"),
        ("teamwork_update_project_category", {"category_id": 9102, "parent_id": 9102}, "parent_id"),
        ("teamwork_get_project_category", {"category_id": -1}, "category_id"),
        ("teamwork_list_project_categories", {"page_size": 501}, "page_size"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []


async def test_unknown_parent_is_refused_before_writing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_project_category", {"name": "X", "parent_id": 4242})
    assert "parent_id" in text and "teamwork_list_project_categories" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", "/projectcategories.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_project_category", {"name": "Twice?"})
    assert "500" in text and "NOT retried" in text
    assert len(sandbox.teamwork.writes) == 1
    sandbox.teamwork.faults.add("PUT", "/projectcategories/9101.json", Fault(status=403, body={"MESSAGE": "No"}))
    text = await call_err(client, "teamwork_update_project_category", {"category_id": 9101, "name": "Y"})
    assert "403" in text


async def test_simulator_answers_like_the_sdk_expects(sandbox) -> None:
    """201 with a string `categoryId`; a missing wrapper is v1's 422."""
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=("key", "X")) as http:
        created = await http.post("/projectcategories.json", json={"category": {"name": "Z"}})
        unwrapped = await http.post("/projectcategories.json", json={"name": "Z"})
    assert created.status_code == 201 and isinstance(created.json()["categoryId"], str)
    assert unwrapped.status_code == 422
