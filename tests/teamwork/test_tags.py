"""Tags (v3): list with filters, create site-wide or project-scoped."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_err, call_ok


async def test_list_tags_request_and_result(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_tags", {"search": "ur", "project_id": 732893, "item_type": "TASK"})
    assert out["items"] == []
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/tags.json")
    assert req.query == [
        ("searchTerm", "ur"),
        ("projectIds", "732893"),
        ("itemType", "TASK"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    out = await call_ok(client, "teamwork_list_tags", {"search": "api"})
    assert out["items"] == [{"tag_id": 17062, "name": "API", "color": "#2f8de4"}]


async def test_create_tag_exact_body(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_create_tag", {"name": "Compliance", "color": "#8E44AD", "project_id": 732893})
    post = sandbox.teamwork.writes[0]
    assert (post.method, post.path) == ("POST", "/projects/api/v3/tags.json")
    assert post.json == {"tag": {"name": "Compliance", "color": "#8E44AD", "projectId": 732893}}
    assert out["tag_id"] > 0 and out["project_id"] == 732893
    listed = await call_ok(client, "teamwork_list_tags", {"search": "compliance"})
    assert [t["tag_id"] for t in listed["items"]] == [out["tag_id"]]
    await call_ok(client, "teamwork_create_tag", {"name": "Site wide"})
    assert sandbox.teamwork.writes[-1].json == {"tag": {"name": "Site wide"}}


async def test_create_tag_refusals_and_upstream_conflict(client: Client, sandbox) -> None:
    for args, field in [({"name": "x" * 50}, "name"), ({"name": "x", "color": "blue"}, "color"),
                        ({"name": "x", "item_type": "TASK"}, "item_type")]:  # fmt: skip
        assert field in await call_err(client, "teamwork_create_tag", args)
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_create_tag", {"name": "x", "project_id": 4242})
    assert "teamwork_list_projects" in text and sandbox.teamwork.writes == []
    text = await call_err(client, "teamwork_create_tag", {"name": "api"})
    assert "409" in text and "already exists" in text
    assert "item_type" in await call_err(client, "teamwork_list_tags", {"item_type": "BOARD"})


async def test_get_update_delete_tag(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_tag", {"tag_id": 17062})
    assert out["tag_id"] == 17062 and sandbox.teamwork.requests[-1].path == "/projects/api/v3/tags/17062.json"
    out = await call_ok(client, "teamwork_update_tag", {"tag_id": 17062, "name": "Urgent!", "color": "#C0392B"})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        "/projects/api/v3/tags/17062.json",
        {"tag": {"name": "Urgent!", "color": "#C0392B"}},
    )
    assert (await call_ok(client, "teamwork_get_tag", {"tag_id": 17062}))["name"] == "Urgent!" == out["name"]
    assert await call_ok(client, "teamwork_delete_tag", {"tag_id": 17062}) == {"id": 17062, "deleted": True}
    assert sandbox.teamwork.writes[-1].method == "DELETE"
    assert "404" in await call_err(client, "teamwork_get_tag", {"tag_id": 17062})
    before = len(sandbox.teamwork.requests)
    assert "nothing to change" in await call_err(client, "teamwork_update_tag", {"tag_id": 17063})
    assert "color" in await call_err(client, "teamwork_update_tag", {"tag_id": 17063, "color": "red"})
    assert len(sandbox.teamwork.requests) == before
