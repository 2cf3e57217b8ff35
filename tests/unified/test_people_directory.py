"""unified_get_people_directory through the SDK client against both simulators, on the agency of answers_scenario.py:
matching by trimmed, case-insensitive e-mail, staff vs client users, and every kind of mismatch."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings
from tests.unified.answers_scenario import seed_people


async def test_directory_matches_by_email_and_lists_the_mismatches(client: Client, sandbox) -> None:
    seed_people(sandbox)
    out = await call_ok(client, "unified_get_people_directory")
    rows = {r.get("email"): r for r in out["result"]}
    # Sorted by e-mail; Ivy (Projectworks 207) has no e-mail and comes last.
    assert [r.get("email") for r in out["result"]] == [
        "ana@agency.test",
        "ben@agency.test",
        "cy@agency.test",
        "dee@agency.test",
        "eve@agency.test",
        "fay@agency.test",
        "gus@client.test",
        "hal@agency.test",
        "marc@demo-agency.test",
        None,
    ]
    # Teamwork's "ANA@Agency.test" is Projectworks' "ana@agency.test".
    assert rows["ana@agency.test"] == {
        "email": "ana@agency.test",
        "name": "Ana Lima",
        "kind": "staff",
        "teamwork": {
            "person_id": 301,
            "name": "Ana Lima",
            "user_type": "account",
            "company_id": 1,
            "client_user": False,
            "active": True,
        },
        "projectworks": {"user_id": 201, "name": "Ana Lima", "active": True},
    }
    assert rows["cy@agency.test"]["mismatches"] == ["only_in_projectworks"]
    assert "teamwork" not in rows["cy@agency.test"]
    # Dee is an inactive Projectworks user but an active Teamwork person.
    assert rows["dee@agency.test"]["mismatches"] == ["active_differs"]
    assert rows["dee@agency.test"]["projectworks"]["active"] is False
    # Projectworks " Eve@Agency.test " (spaces, capitals) matches Teamwork "eve@agency.test"; the names differ.
    assert rows["eve@agency.test"]["mismatches"] == ["name_differs"]
    assert (rows["eve@agency.test"]["teamwork"]["name"], rows["eve@agency.test"]["projectworks"]["name"]) == (
        "Evelyn Stone",
        "Eve Stone",
    )
    # Fay is staff (account, owner company 1) in Teamwork only; Gus is a client (company 2) there: expected.
    assert rows["fay@agency.test"]["mismatches"] == ["only_in_teamwork"]
    assert rows["gus@client.test"]["kind"] == "client" and "mismatches" not in rows["gus@client.test"]
    assert rows["gus@client.test"]["teamwork"]["client_user"] is True
    # Hal is a Teamwork contact but a Projectworks user: staff, flagged.
    assert rows["hal@agency.test"]["kind"] == "staff"
    assert rows["hal@agency.test"]["mismatches"] == ["client_in_teamwork"]
    assert rows[None] == {
        "name": "Ivy Blank",
        "kind": "staff",
        "projectworks": {"user_id": 207, "name": "Ivy Blank", "active": True},
        "mismatches": ["no_email"],
    }
    # 10 rows; in both: Ana, Ben, Dee, Eve, Hal, Marc = 6; Teamwork only: Fay, Gus = 2; Projectworks only: Cy, Ivy
    # = 2; clients: Gus = 1; mismatches: Cy, Dee, Eve, Fay, Hal, Ivy = 6.
    assert out["summary"] == {
        "people": 10,
        "in_both": 6,
        "only_teamwork": 2,
        "only_projectworks": 2,
        "client_users": 1,
        "with_mismatches": 6,
    }
    assert "cut_short" not in out


async def test_directory_filters_by_email_and_to_mismatches(client: Client, sandbox) -> None:
    seed_people(sandbox)
    out = await call_ok(
        client, "unified_get_people_directory", {"emails": [" BEN@agency.test", "fay@agency.test", "nobody@x.test"]}
    )
    assert [(r.get("email"), r.get("mismatches")) for r in out["result"]] == [
        ("ben@agency.test", None),
        ("fay@agency.test", ["only_in_teamwork"]),
        ("nobody@x.test", ["not_found"]),
    ]
    only = await call_ok(client, "unified_get_people_directory", {"only_mismatches": True})
    assert [r.get("email") for r in only["result"]] == [
        "cy@agency.test",
        "dee@agency.test",
        "eve@agency.test",
        "fay@agency.test",
        "hal@agency.test",
        None,
    ]
    assert only["summary"]["people"] == 10  # the summary still counts everyone


async def test_directory_stops_at_the_request_budget_with_a_partial_answer(sandbox) -> None:
    seed_people(sandbox)
    server = build_server(make_settings(sandbox, projectops_unified_request_budget=2))
    async with Client(server) as client:
        out = await call_ok(client, "unified_get_people_directory")
    # Two requests read both directories; Teamwork's `me` (whose company is the owner's) was not sent.
    assert out["cut_short"]["upstream_requests"] == 2
    assert out["cut_short"]["missing"] == ["Teamwork me (the site owner's company)"]
    assert "PROJECTOPS_UNIFIED_REQUEST_BUDGET" in out["cut_short"]["reason"]


async def test_directory_refuses_without_both_backends(sandbox) -> None:
    server = build_server(make_settings(sandbox, projectworks_consumer_key=None, projectworks_consumer_secret=None))
    async with Client(server) as client:
        text = await call_err(client, "unified_get_people_directory")
    assert "Projectworks is not configured" in text and "PROJECTWORKS_CONSUMER_KEY" in text
