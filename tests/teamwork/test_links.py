"""Links (v1): `{"link"}` bodies with `code` and a comma-string `tagIds`, 201 `{"id"}` read back from `GET
/links/{id}.json`, the project-grouped list answer with X-Page headers, refusals and upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893


async def test_create_update_delete_link_exact_requests(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_link",
        {"project_id": KIWI, "url": "https://figma.test/file/1", "name": "Designs", "tag_ids": [17062, 17063],
         "notify_user_ids": [369453]},
    )  # fmt: skip
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path) == ("POST", f"/projects/{KIWI}/links.json")
    assert post.json == {
        "link": {"name": "Designs", "code": "https://figma.test/file/1", "tagIds": "17062,17063", "notify": "369453"}
    }
    assert (out["name"], out["url"], out["project_id"], out["tag_ids"]) == (
        "Designs", "https://figma.test/file/1", KIWI, [17062, 17063]
    )  # fmt: skip
    link_id = out["link_id"]
    assert sandbox.teamwork.requests[-1].path == f"/links/{link_id}.json"  # read back
    changed = await call_ok(
        client, "teamwork_update_link", {"link_id": link_id, "description": "v2 screens", "notify": "all"}
    )
    put = sandbox.teamwork.writes[-1]
    assert (put.method, put.path, put.json) == (
        "PUT", f"/links/{link_id}.json", {"link": {"description": "v2 screens", "notify": "ALL"}}
    )  # fmt: skip
    assert changed["description"] == "v2 screens" and changed["name"] == "Designs" and changed["updated_at"]
    got = await call_ok(client, "teamwork_get_link", {"link_id": link_id})
    assert got["url"] == "https://figma.test/file/1"
    await call_ok(client, "teamwork_delete_link", {"link_id": link_id})
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == (
        "DELETE",
        f"/links/{link_id}.json",
    )
    assert "404" in await call_err(client, "teamwork_get_link", {"link_id": link_id})


async def test_list_links_grouped_answer_and_query(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_create_link", {"project_id": KIWI, "url": "https://a.test", "tag_ids": [17062]})
    sandbox.teamwork.recorder.clear()
    out = await call_ok(client, "teamwork_list_links", {"project_id": KIWI, "page_size": 1})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/links.json")
    assert req.query == [("projectId", str(KIWI)), ("page", "1"), ("pageSize", "1")]
    assert [link["name"] for link in out["items"]] == ["Brand guidelines"]
    assert out["has_more"] is True and out["total"] == 2
    out = await call_ok(client, "teamwork_list_links", {"search": "a.test", "tag_ids": [17062]})
    assert sandbox.teamwork.requests[-1].query == [
        ("filterText", "a.test"), ("filterTagIds", "17062"), ("page", "1"), ("pageSize", "50")
    ]  # fmt: skip
    assert [(link["url"], link["name"]) for link in out["items"]] == [("https://a.test", "https://a.test")]
    assert out["has_more"] is False


async def test_link_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_link", {"project_id": KIWI}, "url"),
        ("teamwork_create_link", {"project_id": KIWI, "url": ""}, "url"),
        ("teamwork_create_link", {"project_id": KIWI, "url": "u", "notify": "followers"}, "notify"),
        ("teamwork_create_link", {"project_id": KIWI, "url": "u", "notify": "all", "notify_user_ids": [1]}, "not both"),
        ("teamwork_update_link", {"link_id": 62001}, "nothing to change"),
        ("teamwork_get_link", {"link_id": "x"}, "link_id"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.teamwork.requests == []


async def test_link_prerequisites_are_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_link", {"project_id": 4242, "url": "https://x.test"})
    assert "project_id" in text and "teamwork_list_projects" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_update_link", {"link_id": 4242, "name": "n"})
    assert "link_id" in text and "teamwork_list_links" in text
    text = await call_err(client, "teamwork_update_link", {"link_id": 62001, "name": "n", "tag_ids": [4242]})
    assert "tag_ids" in text and "teamwork_list_tags" in text
    assert sandbox.teamwork.writes == []


async def test_link_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"/projects/{KIWI}/links.json", Fault(status=503, after=True))
    text = await call_err(client, "teamwork_create_link", {"project_id": KIWI, "url": "https://x.test"})
    assert "503" in text and "NOT retried" in text and len(sandbox.teamwork.find("POST")) == 1
    sandbox.teamwork.faults.add(
        "DELETE",
        "/links/62001.json",
        Fault(status=403, body={"MESSAGE": "You can't delete this link", "STATUS": "Error"}),
    )
    text = await call_err(client, "teamwork_delete_link", {"link_id": 62001})
    assert "403" in text and "You can't delete this link" in text
