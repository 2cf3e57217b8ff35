"""Site search (v3 /search.json): the SDK's query (all sideloads, orderBy=relevance), typed hits named from the
sideloads, highlights, cursor paging, refusals before any request, upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

SIDELOADS = "comments,companies,links,messages,milestones,notebooks,projects,tasklists,tasks,teams,timelogs,users"


async def test_search_exact_request_and_typed_hits(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_search", {"query": "interview"})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/search.json")
    assert req.query == [("searchTerm", "interview"), ("limit", "50"), ("include", SIDELOADS), ("orderBy", "relevance")]
    hits = {(h["type"], h["id"]): h for h in out["items"]}
    assert hits[("tasks", 5001)]["name"] == "Stakeholder interviews" and hits[("tasks", 5001)]["project_id"] == 732893
    assert hits[("notebooks", 61001)]["name"] == "Interview plan" and hits[("notebooks", 61001)]["project_id"] == 732893
    assert "highlights" not in hits[("tasks", 5001)]
    assert out["has_more"] is False and "next_cursor" not in out


async def test_search_filters_highlights_and_cursor(client: Client, sandbox) -> None:
    await call_ok(
        client, "teamwork_create_comment", {"object_type": "milestone", "object_id": 8801, "body": "CFO agreed"}
    )
    sandbox.teamwork.recorder.clear()
    args = {"query": "cfo", "project_id": 732893, "include_completed": True, "highlights": True, "limit": 1,
            "updated_after": "2026-11-01T00:00:00Z", "type": "comments"}  # fmt: skip
    first = await call_ok(client, "teamwork_search", args)
    assert sandbox.teamwork.requests[-1].query == [
        ("searchTerm", "cfo"),
        ("type", "comments"),
        ("projectId", "732893"),
        ("includeCompletedItems", "true"),
        ("updatedAfter", "2026-11-01T00:00:00Z"),
        ("includeHighlights", "true"),
        ("limit", "1"),
        ("include", SIDELOADS),
        ("orderBy", "relevance"),
    ]
    (hit,) = first["items"]
    assert (hit["type"], hit["id"], hit["name"]) == ("taskcomments", 44001, "Booked the CFO for Tuesday")
    assert hit["highlights"] == {"body": ["Booked the <em>CFO</em> for Tuesday"]} and hit["project_id"] == 732893
    assert first["has_more"] is True
    second = await call_ok(client, "teamwork_search", args | {"cursor": first["next_cursor"]})
    assert [(h["type"], h["name"]) for h in second["items"]] == [("milestonecomments", "CFO agreed")]
    assert second["has_more"] is False


async def test_search_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ({}, "query"),
        ({"query": ""}, "query"),
        ({"query": "x", "type": "files"}, "type"),
        ({"query": "x", "limit": 501}, "limit"),
        ({"query": "x", "updated_after": "last week"}, "updated_after"),
        ({"query": "x", "project_id": -1}, "project_id"),
    ]
    for args, expected in cases:
        assert expected in await call_err(client, "teamwork_search", args), args
    assert sandbox.teamwork.requests == []


async def test_search_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "GET", "/projects/api/v3/search.json", Fault(status=400, body={"errors": [{"detail": "invalid cursor"}]})
    )
    text = await call_err(client, "teamwork_search", {"query": "x", "cursor": "garbage"})
    assert "400" in text and "invalid cursor" in text
    sandbox.teamwork.faults.add("GET", "/projects/api/v3/search.json", *[Fault(status=503)] * 4)
    text = await call_err(client, "teamwork_search", {"query": "x"})
    assert "503" in text
