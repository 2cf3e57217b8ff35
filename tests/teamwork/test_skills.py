"""Skills (v3, SDK skill.go): exact requests, read-backs, holders given and taken away through the full `userIds`
list (the SDK has no people endpoint for skills), refusals before any write."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

S = "/projects/api/v3/skills"


async def test_skill_crud_exact_requests_and_read_back(client: Client, sandbox) -> None:
    made = await call_ok(client, "teamwork_create_skill", {"name": "Swift", "user_ids": [369453]})
    sid = made["skill_id"]
    post = sandbox.teamwork.writes[-1]
    assert (post.method, post.path, post.json) == (
        "POST",
        f"{S}.json",
        {"skill": {"name": "Swift", "userIds": [369453]}},
    )
    assert made["user_ids"] == [369453]
    bare = await call_ok(client, "teamwork_create_skill", {"name": "Kotlin"})
    assert sandbox.teamwork.writes[-1].json == {"skill": {"name": "Kotlin", "userIds": []}} and bare["user_ids"] == []
    renamed = await call_ok(client, "teamwork_update_skill", {"skill_id": sid, "name": "SwiftUI"})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == ("PATCH", f"{S}/{sid}.json", {"skill": {"name": "SwiftUI"}})
    assert renamed["name"] == "SwiftUI" and renamed["user_ids"] == [369453]
    listed = await call_ok(client, "teamwork_list_skills", {"search": "swift"})
    assert [s["skill_id"] for s in listed["items"]] == [sid]
    assert sandbox.teamwork.requests[-1].query == [("searchTerm", "swift"), ("page", "1"), ("pageSize", "50")]
    assert (await call_ok(client, "teamwork_get_skill", {"skill_id": sid}))["name"] == "SwiftUI"
    assert await call_ok(client, "teamwork_delete_skill", {"skill_id": sid}) == {"id": sid, "deleted": True}
    assert (sandbox.teamwork.writes[-1].method, sandbox.teamwork.writes[-1].path) == ("DELETE", f"{S}/{sid}.json")
    assert "404" in await call_err(client, "teamwork_get_skill", {"skill_id": sid})


async def test_assign_and_unassign_skill_send_the_full_holder_list(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_assign_skill", {"skill_id": 401, "user_ids": [412001, 369453]})
    patch = sandbox.teamwork.writes[-1]
    assert (patch.method, patch.path, patch.json) == (
        "PATCH",
        f"{S}/401.json",
        {"skill": {"userIds": [369453, 412001]}},
    )
    assert out["user_ids"] == [369453, 412001]
    out = await call_ok(client, "teamwork_unassign_skill", {"skill_id": 402, "user_ids": [412001, 369453]})
    assert sandbox.teamwork.writes[-1].json == {"skill": {"userIds": []}} and out["user_ids"] == []
    assert (await call_ok(client, "teamwork_get_skill", {"skill_id": 402}))["user_ids"] == []


async def test_skill_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_skill", {"name": ""}, "name"),
        ("teamwork_create_skill", {"name": "X", "user_ids": []}, "user_ids"),
        ("teamwork_assign_skill", {"skill_id": 401, "user_ids": [1, 1]}, "once"),
        ("teamwork_update_skill", {"skill_id": 401}, "name"),
        ("teamwork_unassign_skill", {"skill_id": -1, "user_ids": [369453]}, "skill_id"),
        ("teamwork_get_skill", {"skill_id": 0}, "skill_id"),
        ("teamwork_delete_skill", {}, "skill_id"),
        ("teamwork_list_skills", {"page_size": 501}, "page_size"),
    ]
    for name, args, field in cases:
        assert field in await call_err(client, name, args), name
    assert sandbox.teamwork.requests == []


async def test_skill_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_skill", {"name": "X", "user_ids": [4242]}, "user_ids: person 4242"),
        ("teamwork_assign_skill", {"skill_id": 4242, "user_ids": [369453]}, "skill_id: skill 4242"),
        ("teamwork_assign_skill", {"skill_id": 401, "user_ids": [4242]}, "user_ids: person 4242"),
        ("teamwork_unassign_skill", {"skill_id": 403, "user_ids": [369453]}, "369453 do not hold skill 403"),
    ]
    for name, args, expected in cases:
        text = await call_err(client, name, args)
        assert expected in text and "Nothing was written" in text, (name, text)
    assert sandbox.teamwork.writes == []


async def test_skill_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_skill", {"skill_id": 4242, "name": "X"})
    assert "404" in text and "teamwork_list_skills" in text
    # Teamwork answers 200 but keeps the old holders: the tool says so instead of claiming success
    sandbox.teamwork.faults.add(
        "PATCH", f"{S}/401.json", Fault(status=200, body={"skill": {"id": 401, "name": "React", "users": []}})
    )
    text = await call_err(client, "teamwork_assign_skill", {"skill_id": 401, "user_ids": [412001]})
    assert "holders are now []" in text and "teamwork_get_skill" in text


@pytest.mark.parametrize(
    ("tool", "args", "method", "path"),
    [
        ("teamwork_list_skills", {}, "GET", f"{S}.json"),
        ("teamwork_get_skill", {"skill_id": 401}, "GET", f"{S}/401.json"),
        ("teamwork_create_skill", {"name": "Go"}, "POST", f"{S}.json"),
        ("teamwork_update_skill", {"skill_id": 401, "name": "React 19"}, "PATCH", f"{S}/401.json"),
        ("teamwork_delete_skill", {"skill_id": 401}, "DELETE", f"{S}/401.json"),
        ("teamwork_assign_skill", {"skill_id": 401, "user_ids": [412001]}, "PATCH", f"{S}/401.json"),
        ("teamwork_unassign_skill", {"skill_id": 401, "user_ids": [369453]}, "PATCH", f"{S}/401.json"),
    ],
)
async def test_every_skill_tool_maps_an_upstream_refusal(client: Client, sandbox, tool, args, method, path) -> None:
    """Teamwork refuses the request the tool depends on: the agent gets the status and Teamwork's words."""
    sandbox.teamwork.faults.add(method, path, Fault(status=403, body={"errors": [{"detail": "not on this plan"}]}))
    text = await call_err(client, tool, args)
    assert "403" in text and "not on this plan" in text, text
