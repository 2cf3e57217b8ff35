"""Unified users and me through the SDK client against both simulators: one list walking both backends under an
opaque cursor, the mapping of each source, the staff/client rule, and what happens when a backend is missing."""

from __future__ import annotations

import base64
import json

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings

MARC, ADRIAN, SINA, PRIYA = 238860, 369453, 412001, 512002  # Teamwork people of the demo agency
PW_MARC, PW_ADRIAN, PW_SINA, PW_DEV = 101, 102, 103, 104  # Projectworks users


async def walk_all(client: Client, tool: str, args: dict) -> list[dict]:
    records, cursor, pages = [], None, 0
    while True:
        out = await call_ok(client, tool, {**args, **({"cursor": cursor} if cursor else {})})
        records += out["result"]
        pages += 1
        assert pages < 20, "the cursor never ends"
        cursor = out.get("next_cursor")
        if not cursor:
            return records


async def test_list_users_walks_teamwork_then_projectworks_under_one_cursor(client: Client, sandbox) -> None:
    records = await walk_all(client, "unified_list_users", {"page_size": 3})
    assert [(r["source"], r["id"]) for r in records] == [
        ("teamwork", str(MARC)),
        ("teamwork", str(ADRIAN)),
        ("teamwork", str(SINA)),
        ("teamwork", str(PRIYA)),
        ("projectworks", str(PW_MARC)),
        ("projectworks", str(PW_ADRIAN)),
        ("projectworks", str(PW_SINA)),
        ("projectworks", str(PW_DEV)),
    ]
    by_key = {(r["source"], r["id"]): r for r in records}
    assert by_key[("teamwork", str(PRIYA))] == {
        "id": str(PRIYA),
        "source": "teamwork",
        "name": "Priya Shah",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya@kiwibank.test",
        "title": "Product Owner",
        "is_active": True,
        "user_type": "client",  # Kiwi Bank Co (company 2) is not the site owner's company (1)
        "organization_id": "2",
    }
    assert by_key[("teamwork", str(ADRIAN))]["user_type"] == "staff"
    assert by_key[("projectworks", str(PW_DEV))] == {
        "id": str(PW_DEV),
        "source": "projectworks",
        "name": "Dev Patel",
        "first_name": "Dev",
        "last_name": "Patel",
        "email": "dev@demo-agency.test",
        "title": "Contractor",
        "is_active": True,
        "user_type": "staff",
    }
    # native paging, never past the end: the second unified page stopped inside Projectworks page 1 (after
    # Teamwork's last person), so the third one reads page 1 again from that offset
    pw_pages = [r.params["page"] for r in sandbox.projectworks.requests if r.path.endswith("/Users")]
    assert pw_pages == ["1", "1", "2"]


async def test_one_source_and_remote_data(client: Client) -> None:
    out = await call_ok(client, "unified_list_users", {"source": "projectworks", "include_remote_data": True})
    assert [r["id"] for r in out["result"]] == ["101", "102", "103", "104"]
    assert "next_cursor" not in out
    assert out["result"][0]["remote_data"]["FirstName"] == "Marc"
    assert out["result"][0]["remote_data"]["UserID"] == 101
    plain = await call_ok(client, "unified_list_users", {"source": "teamwork"})
    assert all("remote_data" not in r for r in plain["result"])


async def test_email_filter_is_exact_and_case_insensitive(client: Client) -> None:
    out = await call_ok(client, "unified_list_users", {"email": "adrian@demo-agency.test"})
    assert [(r["source"], r["id"]) for r in out["result"]] == [("teamwork", str(ADRIAN)), ("projectworks", "102")]


async def test_bad_cursors_are_input_errors_naming_cursor(client: Client) -> None:
    first = await call_ok(client, "unified_list_users", {"page_size": 2})
    cursor = first["next_cursor"]
    text = await call_err(client, "unified_list_users", {"page_size": 2, "cursor": cursor[:-5]})
    assert text.startswith("cursor: ") and "next_cursor" in text
    text = await call_err(client, "unified_list_users", {"page_size": 2, "cursor": "not a cursor!"})
    assert text.startswith("cursor: ")
    text = await call_err(client, "unified_list_users", {"cursor": cursor, "source": "teamwork"})
    assert text.startswith("cursor: belongs to another list or to other filters")
    forged = base64.urlsafe_b64encode(json.dumps({"s": 0, "p": 0, "o": 0, "n": 2, "f": "x"}).encode()).decode()
    assert (await call_err(client, "unified_list_users", {"cursor": forged})).startswith("cursor: ")


async def test_a_small_token_budget_cuts_the_page_and_the_cursor_resumes_exactly(sandbox) -> None:
    server = build_server(make_settings(sandbox, projectops_result_token_budget=120))
    async with Client(server) as small:
        records = await walk_all(small, "unified_list_users", {"page_size": 50})
    assert [r["id"] for r in records] == [str(i) for i in (MARC, ADRIAN, SINA, PRIYA, 101, 102, 103, 104)]


async def test_get_user_from_each_source(client: Client) -> None:
    out = await call_ok(client, "unified_get_user", {"source": "teamwork", "id": PRIYA, "include_remote_data": True})
    assert out["result"]["user_type"] == "client" and out["result"]["remote_data"]["lastName"] == "Shah"
    out = await call_ok(client, "unified_get_user", {"source": "projectworks", "id": "103"})
    assert out["result"]["name"] == "Sina Tui" and out["result"]["source"] == "projectworks"
    text = await call_err(client, "unified_get_user", {"source": "projectworks", "id": 999})
    assert "unified_list_users" in text


async def test_get_me_finds_the_same_person_in_projectworks(client: Client) -> None:
    out = await call_ok(client, "unified_get_me")
    assert out["result"]["id"] == str(MARC) and out["result"]["user_type"] == "staff"
    assert [(u["source"], u["id"], u["email"]) for u in out["same_person"]] == [
        ("projectworks", "101", "marc@demo-agency.test")
    ]


async def test_with_one_backend_unified_tools_serve_it_and_say_what_is_missing(sandbox) -> None:
    settings = make_settings(sandbox, projectworks_consumer_key=None, projectworks_consumer_secret=None)
    async with Client(build_server(settings)) as only_teamwork:
        out = await call_ok(only_teamwork, "unified_list_users", {})
        assert {r["source"] for r in out["result"]} == {"teamwork"}
        assert out["warnings"] == ["Projectworks is not configured on this server: its records are not included."]
        text = await call_err(only_teamwork, "unified_get_user", {"source": "projectworks", "id": 101})
        assert "Projectworks is not configured" in text and "PROJECTWORKS_CONSUMER_KEY" in text
        me = await call_ok(only_teamwork, "unified_get_me")
        assert "same_person" not in me
    settings = make_settings(sandbox, teamwork_site_url=None, teamwork_api_key=None)
    async with Client(build_server(settings)) as only_projectworks:
        text = await call_err(only_projectworks, "unified_get_me")
        assert "Teamwork is not configured" in text and "TEAMWORK_SITE_URL" in text
        out = await call_ok(only_projectworks, "unified_list_users", {"source": "projectworks"})
        assert len(out["result"]) == 4


async def test_without_any_backend_no_unified_tool_is_served(sandbox) -> None:
    settings = make_settings(
        sandbox,
        teamwork_site_url=None,
        teamwork_api_key=None,
        projectworks_consumer_key=None,
        projectworks_consumer_secret=None,
    )
    server = build_server(settings)
    assert not [name for name in server.tools if name.startswith("unified_")]
    async with Client(server) as bare:
        text = await call_err(bare, "unified_list_users", {})
    assert "not available on this server" in text and "TEAMWORK_SITE_URL" in text
