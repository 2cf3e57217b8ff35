"""Teams (v1 reads): site, project and company lists with X-Page paging, one team; `"deletedDate": ""` = live."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_teams_request_and_record(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_teams", {"search": "mobile", "page_size": 10})
    assert out == {
        "items": [
            {
                "team_id": 91,
                "name": "Mobile squad",
                "handle": "mobile",
                "company_id": 1,
                "member_user_ids": [238860, 369453],
                "deleted": False,
                "created_at": "2026-10-01T09:00:00Z",
                "updated_at": "2026-10-01T09:00:00Z",
            }
        ],
        "page": 1,
        "page_size": 10,
        "has_more": False,
        "total": 1,
    }
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/teams.json")
    assert req.query == [
        ("searchTerm", "mobile"),
        ("includeCompanyTeams", "true"),
        ("includeProjectTeams", "true"),
        ("includeSubteams", "true"),
        ("page", "1"),
        ("pageSize", "10"),
    ]


async def test_list_teams_include_flags(client: Client, sandbox) -> None:
    """The SDK's three include flags: without them Teamwork (and the simulator) leaves those teams out."""
    out = await call_ok(client, "teamwork_list_teams", {})
    assert sorted(t["team_id"] for t in out["items"]) == [91, 92, 93, 94]
    out = await call_ok(
        client,
        "teamwork_list_teams",
        {"include_company_teams": False, "include_project_teams": False, "include_subteams": False},
    )
    assert [t["team_id"] for t in out["items"]] == [91]
    assert sandbox.teamwork.requests[-1].query == [("page", "1"), ("pageSize", "50")]
    out = await call_ok(client, "teamwork_list_teams", {"include_project_teams": False, "include_subteams": False})
    assert sorted(t["team_id"] for t in out["items"]) == [91, 93]


async def test_list_teams_by_company_and_project(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_teams", {"company_id": 1})
    assert sorted(t["team_id"] for t in out["items"]) == [91, 92, 94]
    out = await call_ok(client, "teamwork_list_teams", {"project_id": 732893})
    assert [t["team_id"] for t in out["items"]] == [94]
    assert [r.path for r in sandbox.teamwork.requests] == ["/companies/1/teams.json", "/projects/732893/teams.json"]


async def test_get_team_and_deleted_date(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_team", {"team_id": 91, "include_raw": True})
    assert out["member_user_ids"] == [238860, 369453]
    assert out["raw"]["deletedDate"] == "" and "deleted_at" not in out  # "" means a live team
    sandbox.teamwork.store.table("teams")[91]["deletedAt"] = "2026-11-01T00:00:00Z"
    out = await call_ok(client, "teamwork_get_team", {"team_id": 91})
    assert out["deleted_at"] == "2026-11-01T00:00:00Z"
    assert sandbox.teamwork.requests[0].path == "/teams/91.json"


async def test_team_bad_inputs_send_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_list_teams", {"project_id": 732893, "company_id": 1})
    assert "project_id or company_id" in text
    text = await call_err(client, "teamwork_get_team", {"team_id": -1})
    assert "team_id" in text
    assert sandbox.teamwork.requests == []


async def test_team_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_get_team", {"team_id": 4040})
    assert "404" in text and "teamwork_list_teams" in text
    sandbox.teamwork.faults.add("GET", "/teams.json", Fault(status=503), Fault(status=503), Fault(status=503))
    sandbox.teamwork.faults.add("GET", "/teams.json", Fault(status=503))
    text = await call_err(client, "teamwork_list_teams", {})
    assert "503" in text
