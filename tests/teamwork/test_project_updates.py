"""Project updates: v1 post with Teamwork's sample body (`update.text`, `update.health`, `notifyIds` comma string),
v3 lists with `activeOnly` always sent; health named on the 3 good / 2 at risk / 1 needs attention scale."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893
UPDATES = "/projects/api/v3/projects/updates.json"


async def test_list_updates_of_a_project_newest_first(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_project_updates", {"project_id": KIWI})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", f"/projects/api/v3/projects/{KIWI}/updates.json")
    assert req.query == [
        ("activeOnly", "false"),
        ("orderBy", "date"),
        ("orderMode", "desc"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    assert out["items"] == [
        {
            "update_id": 310,
            "project_id": KIWI,
            "text": "Design signed off",
            "health": "good",
            "health_code": 3,
            "created_at": "2026-11-02T09:00:00Z",
            "created_by": 238860,
        },
        {
            "update_id": 305,
            "project_id": KIWI,
            "text": "Waiting on API access",
            "health": "at_risk",
            "health_code": 2,
            "created_at": "2026-10-20T09:00:00Z",
            "created_by": 238860,
        },
    ]


async def test_list_latest_updates_site_wide(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_project_updates", {"latest_only": True})
    assert [u["update_id"] for u in out["items"]] == [310]
    (req,) = sandbox.teamwork.requests
    assert req.path == UPDATES and req.params["activeOnly"] == "true"


async def test_create_update_matches_teamworks_sample_and_reads_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_project_update",
        {
            "project_id": KIWI,
            "text": "Login flow slipping a week",
            "health": "needs_attention",
            "notify_user_ids": [369453, 412001, 369453],
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", f"/projects/{KIWI}/update.json")
    assert post.json == {
        "update": {"text": "Login flow slipping a week", "health": 1},
        "notifyIds": "369453,412001",
    }
    assert (out["text"], out["health"], out["health_code"], out["project_id"]) == (
        "Login flow slipping a week",
        "needs_attention",
        1,
        KIWI,
    )
    latest = await call_ok(client, "teamwork_list_project_updates", {"project_id": KIWI, "latest_only": True})
    assert [u["update_id"] for u in latest["items"]] == [out["update_id"]]
    out = await call_ok(
        client, "teamwork_create_project_update", {"project_id": KIWI, "text": "Back on track", "health": "good"}
    )
    assert sandbox.teamwork.writes[-1].json == {"update": {"text": "Back on track", "health": 3}}


async def test_bad_input_sends_nothing(client: Client, sandbox) -> None:
    ok = {"project_id": KIWI, "text": "x", "health": "good"}
    cases = [
        ({**ok, "health": "green"}, "health"),
        ({**ok, "health": 3}, "health"),
        ({**ok, "text": ""}, "text"),
        ({k: v for k, v in ok.items() if k != "health"}, "health"),
        ({**ok, "notify_user_ids": []}, "notify_user_ids"),
        ({**ok, "project_id": 0}, "project_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_create_project_update", args)
        assert field in text, (args, text)
    text = await call_err(client, "teamwork_list_project_updates", {"project_id": -1})
    assert "project_id" in text
    assert sandbox.teamwork.requests == []


async def test_prerequisites_and_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_project_update", {"project_id": 4242, "text": "x", "health": "good"})
    assert "project_id" in text and "teamwork_list_projects" in text
    text = await call_err(
        client,
        "teamwork_create_project_update",
        {"project_id": KIWI, "text": "x", "health": "good", "notify_user_ids": [4242]},
    )
    assert "notify_user_ids" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []
    sandbox.teamwork.faults.add("POST", f"/projects/{KIWI}/update.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_project_update", {"project_id": KIWI, "text": "y", "health": "good"})
    assert "500" in text and "NOT retried" in text
    sandbox.teamwork.faults.add("GET", UPDATES, Fault(status=400, body={"errors": [{"detail": "bad orderBy"}]}))
    text = await call_err(client, "teamwork_list_project_updates", {})
    assert "400" in text and "bad orderBy" in text


async def test_edit_update_text_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_update_project_update", {"update_id": 305, "project_id": KIWI, "text": "API access granted"}
    )
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == (
        "PUT",
        "/projects/updates/305.json",
        {"update": {"text": "API access granted"}},
    )
    assert (out["update_id"], out["text"], out["health"]) == (305, "API access granted", "at_risk")
    lookups = [r for r in sandbox.teamwork.requests if r.method == "GET"]
    assert (
        lookups[0].path == f"/projects/api/v3/projects/{KIWI}/updates.json"
        and lookups[0].params["activeOnly"] == "false"
    )


async def test_delete_update(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_project_update", {"update_id": 310})
    assert out == {"id": 310, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.teamwork.writes] == [("DELETE", "/projects/updates/310.json")]
    latest = await call_ok(client, "teamwork_list_project_updates", {"project_id": KIWI, "latest_only": True})
    assert [u["update_id"] for u in latest["items"]] == [305]
    text = await call_err(client, "teamwork_delete_project_update", {"update_id": 310})
    assert "404" in text and "teamwork_list_project_updates" in text


async def test_edit_and_delete_bad_input_and_prerequisites(client: Client, sandbox) -> None:
    for name, args, field in [
        ("teamwork_update_project_update", {"update_id": 305, "project_id": KIWI, "text": ""}, "text"),
        ("teamwork_update_project_update", {"update_id": 305, "text": "x"}, "project_id"),
        (
            "teamwork_update_project_update",
            {"update_id": 305, "project_id": KIWI, "text": "x", "health": "good"},
            "health",
        ),
        ("teamwork_delete_project_update", {"update_id": 0}, "update_id"),
    ]:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_update_project_update", {"update_id": 999, "project_id": KIWI, "text": "x"})
    assert "update_id" in text and "teamwork_list_project_updates" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []
