"""Notebooks (v3): create/update/delete with `{"notebook"}` bodies (201/200/204), list and get read back, refusals
before any request, upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"
KIWI = 732893


async def test_create_update_delete_notebook_exact_requests(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_notebook",
        {"project_id": KIWI, "name": "Runbook", "contents": "# Steps", "tag_ids": [17062], "description": "ops"},
    )
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path) == ("POST", f"{V3}/projects/{KIWI}/notebooks.json")
    assert post.json == {
        "notebook": {
            "name": "Runbook",
            "description": "ops",
            "contents": "# Steps",
            "type": "MARKDOWN",
            "tagIds": [17062],
        }
    }
    assert (out["name"], out["type"], out["contents"], out["project_id"], out["tag_ids"]) == (
        "Runbook", "MARKDOWN", "# Steps", KIWI, [17062]
    )  # fmt: skip
    notebook_id = out["notebook_id"]
    changed = await call_ok(
        client, "teamwork_update_notebook", {"notebook_id": notebook_id, "contents": "<h1>Steps</h1>", "type": "HTML"}
    )
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path) == ("PATCH", f"{V3}/notebooks/{notebook_id}.json")
    assert patch.json == {"notebook": {"contents": "<h1>Steps</h1>", "type": "HTML"}}
    assert (changed["name"], changed["type"], changed["contents"]) == ("Runbook", "HTML", "<h1>Steps</h1>")
    got = await call_ok(client, "teamwork_get_notebook", {"notebook_id": notebook_id})
    assert got["contents"] == "<h1>Steps</h1>" and got["description"] == "ops"
    deleted = await call_ok(client, "teamwork_delete_notebook", {"notebook_id": notebook_id})
    assert deleted == {"id": notebook_id, "deleted": True}
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == (
        "DELETE", f"{V3}/notebooks/{notebook_id}.json"
    )  # fmt: skip
    assert "404" in await call_err(client, "teamwork_get_notebook", {"notebook_id": notebook_id})


async def test_list_notebooks_query_and_contents(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_notebooks", {"project_id": KIWI, "search": "interview", "page_size": 5})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", f"{V3}/notebooks.json")
    assert req.query == [
        ("projectIds", str(KIWI)),
        ("searchTerm", "interview"),
        ("includeContents", "false"),
        ("page", "1"),
        ("pageSize", "5"),
    ]
    assert [n["name"] for n in out["items"]] == ["Interview plan"] and "contents" not in out["items"][0]
    assert out["total"] == 1 and out["has_more"] is False
    out = await call_ok(client, "teamwork_list_notebooks", {"include_contents": True})
    assert out["items"][0]["contents"].startswith("# Interviews")


async def test_notebook_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_notebook", {"project_id": KIWI, "name": "", "contents": "x"}, "name"),
        ("teamwork_create_notebook", {"project_id": KIWI, "name": "n"}, "contents"),
        ("teamwork_create_notebook", {"project_id": KIWI, "name": "n", "contents": "x", "type": "PDF"}, "type"),
        ("teamwork_update_notebook", {"notebook_id": 61001}, "nothing to change"),
        ("teamwork_get_notebook", {"notebook_id": 0}, "notebook_id"),
        ("teamwork_list_notebooks", {"page_size": 501}, "page_size"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.teamwork.requests == []


async def test_notebook_prerequisites_are_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_notebook", {"project_id": 4242, "name": "n", "contents": "x"})
    assert "project_id" in text and "teamwork_list_projects" in text and "Nothing was written" in text
    text = await call_err(
        client, "teamwork_create_notebook", {"project_id": KIWI, "name": "n", "contents": "x", "tag_ids": [4242]}
    )
    assert "tag_ids" in text and "teamwork_list_tags" in text
    text = await call_err(client, "teamwork_update_notebook", {"notebook_id": 4242, "name": "n"})
    assert "notebook_id" in text and "teamwork_list_notebooks" in text
    assert sandbox.teamwork.writes == []


async def test_notebook_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"{V3}/projects/{KIWI}/notebooks.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_notebook", {"project_id": KIWI, "name": "n", "contents": "x"})
    assert "500" in text and len(sandbox.teamwork.find("POST")) == 1
    sandbox.teamwork.faults.add(
        "PATCH", f"{V3}/notebooks/61001.json", Fault(status=409, body={"errors": [{"detail": "edited by someone"}]})
    )
    text = await call_err(client, "teamwork_update_notebook", {"notebook_id": 61001, "name": "n"})
    assert "409" in text and "edited by someone" in text
