"""Project members: adding (v3 PUT `{"userIds"}`, SDK project_member.go) and removing (v1 PUT `{"remove":
{"userIdList"}}`) people, each read back through the project's people list; refusals before any write."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

HARBOUR = 739377
KIWI = 732893


async def project_people(client: Client) -> list[int]:
    out = await call_ok(client, "teamwork_list_people", {"project_id": HARBOUR})
    return [p["person_id"] for p in out["items"]]


async def test_add_people_exact_request_and_read_back(client: Client, sandbox) -> None:
    assert 512002 not in await project_people(client)
    out = await call_ok(client, "teamwork_add_project_people", {"project_id": HARBOUR, "user_ids": [512002, 412001]})
    assert out == {"project_id": HARBOUR, "user_ids": [512002, 412001]}
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == (
        "PUT",
        f"/projects/api/v3/projects/{HARBOUR}/people.json",
        {"userIds": [512002, 412001]},
    )
    check = sandbox.teamwork.requests[-1]
    assert check.path == f"/projects/api/v3/projects/{HARBOUR}/people.json"
    assert check.params["ids"] == "512002,412001"
    assert {512002, 412001} <= set(await project_people(client))


async def test_remove_people_exact_request_and_read_back(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_add_project_people", {"project_id": HARBOUR, "user_ids": [512002, 412001]})
    out = await call_ok(client, "teamwork_remove_project_people", {"project_id": HARBOUR, "user_ids": [512002]})
    assert out == {"project_id": HARBOUR, "user_ids": [512002]}
    put = sandbox.teamwork.writes[-1]
    assert (put.method, put.path, put.json) == (
        "PUT",
        f"/projects/{HARBOUR}/people.json",
        {"remove": {"userIdList": "512002"}},
    )
    people = await project_people(client)
    assert 512002 not in people and 412001 in people


async def test_project_people_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_add_project_people", {"project_id": HARBOUR, "user_ids": []}, "user_ids"),
        ("teamwork_add_project_people", {"project_id": 0, "user_ids": [412001]}, "project_id"),
        ("teamwork_remove_project_people", {"project_id": HARBOUR, "user_ids": [412001, 412001]}, "once"),
    ]
    for name, args, field in cases:
        assert field in await call_err(client, name, args), name
    assert sandbox.teamwork.requests == []


async def test_project_people_prerequisites_refused_before_any_write(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_add_project_people", {"project_id": 4242, "user_ids": [412001]}, "project_id: project 4242"),
        ("teamwork_add_project_people", {"project_id": HARBOUR, "user_ids": [4242]}, "user_ids: person 4242"),
        ("teamwork_remove_project_people", {"project_id": HARBOUR, "user_ids": [512002]}, "512002 not on project"),
    ]
    for name, args, expected in cases:
        text = await call_err(client, name, args)
        assert expected in text and "Nothing was written" in text, (name, text)
    assert sandbox.teamwork.writes == []


async def test_project_people_upstream_answers(client: Client, sandbox) -> None:
    # the owner stays on the project: Teamwork counts a failure, the tool names who stayed
    text = await call_err(client, "teamwork_remove_project_people", {"project_id": HARBOUR, "user_ids": [238860]})
    assert "did not take [238860] off" in text and "1 failed" in text and "removed: nobody" in text
    sandbox.teamwork.faults.add("PUT", f"/projects/api/v3/projects/{HARBOUR}/people.json", Fault(status=403))
    text = await call_err(client, "teamwork_add_project_people", {"project_id": HARBOUR, "user_ids": [412001]})
    assert "403" in text


@pytest.mark.parametrize(
    ("tool", "args", "method", "path"),
    [
        (
            "teamwork_add_project_people",
            {"project_id": HARBOUR, "user_ids": [412001]},
            "PUT",
            f"/projects/api/v3/projects/{HARBOUR}/people.json",
        ),
        (
            "teamwork_remove_project_people",
            {"project_id": KIWI, "user_ids": [369453]},
            "PUT",
            f"/projects/{KIWI}/people.json",
        ),
    ],
)
async def test_every_project_people_tool_maps_an_upstream_refusal(
    client: Client, sandbox, tool, args, method, path
) -> None:
    """Teamwork refuses the request the tool depends on: the agent gets the status and Teamwork's words."""
    sandbox.teamwork.faults.add(method, path, Fault(status=403, body={"errors": [{"detail": "not on this plan"}]}))
    text = await call_err(client, tool, args)
    assert "403" in text and "not on this plan" in text, text
