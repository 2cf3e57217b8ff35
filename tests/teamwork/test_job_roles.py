"""Job roles (v3, SDK jobrole.go / user_jobrole.go): exact requests, read-backs, assigning and unassigning people
(POST/DELETE on `/jobroles/{id}/people.json` with `{"users", "isPrimary"}`), refusals before any write."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

R = "/projects/api/v3/jobroles"


async def test_job_role_crud_exact_requests_and_read_back(client: Client, sandbox) -> None:
    made = await call_ok(client, "teamwork_create_job_role", {"name": "QA Engineer"})
    rid = made["job_role_id"]
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path, post.json) == ("POST", f"{R}.json", {"jobRole": {"name": "QA Engineer"}})
    assert made["name"] == "QA Engineer" and made["active"] is True and made["user_ids"] == []
    renamed = await call_ok(client, "teamwork_update_job_role", {"job_role_id": rid, "name": "Test Engineer"})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        f"{R}/{rid}.json",
        {"jobRole": {"name": "Test Engineer"}},
    )
    assert renamed["name"] == "Test Engineer"
    listed = await call_ok(client, "teamwork_list_job_roles", {"search": "engineer", "order_mode": "desc"})
    assert [r["job_role_id"] for r in listed["items"]] == [rid] and listed["total"] == 1
    assert sandbox.teamwork.requests[-1].query == [
        ("searchTerm", "engineer"),
        ("orderMode", "desc"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    assert (await call_ok(client, "teamwork_get_job_role", {"job_role_id": rid}))["name"] == "Test Engineer"
    assert await call_ok(client, "teamwork_delete_job_role", {"job_role_id": rid}) == {"id": rid, "deleted": True}
    delete = sandbox.teamwork.writes[-1]
    assert (delete.method, delete.path) == ("DELETE", f"{R}/{rid}.json")
    assert "404" in await call_err(client, "teamwork_get_job_role", {"job_role_id": rid})


async def test_list_job_roles_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_job_roles", {"search": "kerr"})  # a holder's name finds the role
    assert out["items"] == [
        {
            "job_role_id": 301,
            "name": "Developer",
            "active": True,
            "user_ids": [369453],
            "primary_user_ids": [369453],
            "created_at": "2026-10-01T09:00:00Z",
            "updated_at": "2026-10-01T09:00:00Z",
        }
    ]


async def test_assign_and_unassign_people(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_assign_job_role", {"job_role_id": 302, "user_ids": [369453, 512002]})
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path, post.json) == (
        "POST",
        f"{R}/302/people.json",
        {"users": [369453, 512002], "isPrimary": False},
    )
    assert out["user_ids"] == [412001, 369453, 512002] and out["primary_user_ids"] == []
    out = await call_ok(client, "teamwork_assign_job_role", {"job_role_id": 302, "user_ids": [369453], "primary": True})
    assert sandbox.teamwork.writes[-1].json == {"users": [369453], "isPrimary": True}
    assert out["primary_user_ids"] == [369453]
    developer = await call_ok(client, "teamwork_get_job_role", {"job_role_id": 301})
    assert developer["primary_user_ids"] == []  # one main role per person
    out = await call_ok(client, "teamwork_unassign_job_role", {"job_role_id": 302, "user_ids": [369453, 412001]})
    delete = sandbox.teamwork.writes[-1]
    assert (delete.method, delete.path, delete.json) == (
        "DELETE",
        f"{R}/302/people.json",
        {"users": [369453, 412001], "isPrimary": False},
    )
    assert out["user_ids"] == [512002] and out["primary_user_ids"] == []
    assert (await call_ok(client, "teamwork_get_job_role", {"job_role_id": 302}))["user_ids"] == [512002]


async def test_job_role_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_job_role", {"name": ""}, "name"),
        ("teamwork_update_job_role", {"job_role_id": 0, "name": "x"}, "job_role_id"),
        ("teamwork_assign_job_role", {"job_role_id": 301, "user_ids": []}, "user_ids"),
        ("teamwork_assign_job_role", {"job_role_id": 301, "user_ids": [369453, 369453]}, "once"),
        ("teamwork_unassign_job_role", {"job_role_id": 301}, "user_ids"),
        ("teamwork_list_job_roles", {"order_mode": "up"}, "order_mode"),
        ("teamwork_get_job_role", {"job_role_id": 0}, "job_role_id"),
        ("teamwork_delete_job_role", {"job_role_id": "x"}, "job_role_id"),
    ]
    for name, args, field in cases:
        assert field in await call_err(client, name, args), name
    assert sandbox.teamwork.requests == []


async def test_job_role_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_assign_job_role", {"job_role_id": 4242, "user_ids": [369453]}, "job_role_id: job role 4242"),
        ("teamwork_assign_job_role", {"job_role_id": 301, "user_ids": [4242]}, "user_ids: person 4242"),
        ("teamwork_unassign_job_role", {"job_role_id": 301, "user_ids": [412001]}, "412001 do not hold job role 301"),
    ]
    for name, args, expected in cases:
        text = await call_err(client, name, args)
        assert expected in text and "Nothing was written" in text, (name, text)
    assert sandbox.teamwork.writes == []


async def test_job_role_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_job_role", {"job_role_id": 4242, "name": "X"})
    assert "404" in text and "teamwork_list_job_roles" in text
    sandbox.teamwork.faults.add("POST", f"{R}/301/people.json", Fault(status=500))
    assert "500" in await call_err(client, "teamwork_assign_job_role", {"job_role_id": 301, "user_ids": [412001]})


@pytest.mark.parametrize(
    ("tool", "args", "method", "path"),
    [
        ("teamwork_list_job_roles", {}, "GET", f"{R}.json"),
        ("teamwork_get_job_role", {"job_role_id": 301}, "GET", f"{R}/301.json"),
        ("teamwork_create_job_role", {"name": "QA"}, "POST", f"{R}.json"),
        ("teamwork_update_job_role", {"job_role_id": 301, "name": "Dev"}, "PATCH", f"{R}/301.json"),
        ("teamwork_delete_job_role", {"job_role_id": 301}, "DELETE", f"{R}/301.json"),
        ("teamwork_assign_job_role", {"job_role_id": 301, "user_ids": [412001]}, "POST", f"{R}/301/people.json"),
        ("teamwork_unassign_job_role", {"job_role_id": 301, "user_ids": [369453]}, "DELETE", f"{R}/301/people.json"),
    ],
)
async def test_every_job_role_tool_maps_an_upstream_refusal(client: Client, sandbox, tool, args, method, path) -> None:
    """Teamwork refuses the request the tool depends on: the agent gets the status and Teamwork's words."""
    sandbox.teamwork.faults.add(method, path, Fault(status=403, body={"errors": [{"detail": "not on this plan"}]}))
    text = await call_err(client, tool, args)
    assert "403" in text and "not on this plan" in text, text
