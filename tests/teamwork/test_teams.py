"""Teams (v1 reads): site, project and company lists with X-Page paging, one team; `"deletedDate": ""` = live."""

from __future__ import annotations

import pytest
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


# -- writes (v1, SDK team.go): {"team": {...}}, userIds a comma string, create 200 {"id"} ----------------------------


async def test_create_team_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_team",
        {
            "name": "Android",
            "handle": "android",
            "description": "Android devs",
            "parent_team_id": 91,
            "company_id": 1,
            "user_ids": [369453, 412001],
        },
    )
    post = sandbox.teamwork.find("POST")[0]
    assert (post.path, post.json) == (
        "/teams.json",
        {
            "team": {
                "name": "Android",
                "handle": "android",
                "description": "Android devs",
                "parentTeamId": 91,
                "companyId": 1,
                "userIds": "369453,412001",
            }
        },
    )
    assert len(sandbox.teamwork.writes) == 1
    team_id = out["team_id"]
    assert out == {
        "team_id": team_id,
        "name": "Android",
        "handle": "android",
        "description": "Android devs",
        "company_id": 1,
        "parent_team_id": 91,
        "member_user_ids": [369453, 412001],
        "deleted": False,
        "created_at": out["created_at"],
        "updated_at": out["updated_at"],
    }
    listed = await call_ok(client, "teamwork_list_teams", {"search": "android"})
    assert [t["team_id"] for t in listed["items"]] == [team_id]


async def test_update_and_delete_team(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_update_team", {"team_id": 93, "name": "Kiwi stakeholders", "user_ids": [512002, 238860]}
    )
    put = sandbox.teamwork.find("PUT")[0]
    assert (put.path, put.json) == (
        "/teams/93.json",
        {"team": {"name": "Kiwi stakeholders", "userIds": "512002,238860"}},
    )
    assert out["name"] == "Kiwi stakeholders" and out["member_user_ids"] == [512002, 238860]
    project_team = await call_ok(client, "teamwork_update_team", {"team_id": 93, "project_id": 739377})
    assert project_team["project_id"] == 739377 and sandbox.teamwork.writes[-1].json == {"team": {"projectId": 739377}}
    assert await call_ok(client, "teamwork_delete_team", {"team_id": 93}) == {"id": 93, "deleted": True}
    delete = sandbox.teamwork.writes[-1]
    assert (delete.method, delete.path) == ("DELETE", "/teams/93.json")
    assert "404" in await call_err(client, "teamwork_get_team", {"team_id": 93})
    text = await call_err(client, "teamwork_delete_team", {"team_id": 93})
    assert "team_id: team 93 does not exist" in text and "teamwork_list_teams" in text


async def test_team_write_bad_inputs_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_team", {}, "name"),
        ("teamwork_create_team", {"name": "X", "handle": "two words"}, "handle"),
        ("teamwork_create_team", {"name": "X", "user_ids": []}, "user_ids"),
        ("teamwork_create_team", {"name": "X", "user_ids": [369453, 369453]}, "once"),
        ("teamwork_update_team", {"team_id": 91}, "at least one field"),
        ("teamwork_update_team", {"team_id": 91, "parent_team_id": 92}, "parent_team_id"),
        ("teamwork_delete_team", {"team_id": 0}, "team_id"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []


async def test_team_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ({"name": "X", "user_ids": [369453, 4242]}, "user_ids: person 4242", "teamwork_list_people"),
        ({"name": "X", "parent_team_id": 4242}, "parent_team_id: team 4242", "teamwork_list_teams"),
        ({"name": "X", "company_id": 4242}, "company_id: company 4242", "teamwork_list_companies"),
        ({"name": "X", "project_id": 4242}, "project_id: project 4242", "teamwork_list_projects"),
    ]
    for args, expected, fix in cases:
        text = await call_err(client, "teamwork_create_team", args)
        assert expected in text and fix in text and "Nothing was written" in text, text
    text = await call_err(client, "teamwork_update_team", {"team_id": 4242, "name": "X"})
    assert "team_id: team 4242 does not exist" in text
    assert sandbox.teamwork.writes == []


async def test_team_write_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_team", {"name": "Dup", "handle": "mobile"})
    assert "400" in text and "already used by another team" in text
    sandbox.teamwork.faults.add("PUT", r"/teams/\d+\.json", Fault(status=500))
    text = await call_err(client, "teamwork_update_team", {"team_id": 91, "name": "X"})
    assert "500" in text
    sandbox.teamwork.faults.add("POST", "/teams.json", Fault(status=200, body={"STATUS": "OK"}))
    text = await call_err(client, "teamwork_create_team", {"name": "No id"})
    assert "no id" in text and "teamwork_list_teams" in text


@pytest.mark.parametrize(
    ("tool", "args", "method", "path"),
    [
        ("teamwork_create_team", {"name": "X"}, "POST", "/teams.json"),
        ("teamwork_update_team", {"team_id": 91, "name": "X"}, "PUT", "/teams/91.json"),
        ("teamwork_delete_team", {"team_id": 91}, "DELETE", "/teams/91.json"),
    ],
)
async def test_every_team_write_tool_maps_an_upstream_refusal(
    client: Client, sandbox, tool, args, method, path
) -> None:
    """Teamwork refuses the request the tool depends on: the agent gets the status and Teamwork's words."""
    sandbox.teamwork.faults.add(
        method, path, Fault(status=403, body={"MESSAGE": "not on this plan", "STATUS": "Error"})
    )
    text = await call_err(client, tool, args)
    assert "403" in text and "not on this plan" in text, text
