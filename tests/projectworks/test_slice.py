"""The foundation's Projectworks slice: list_roles, list_tasks, update_task_placeholder (with its role check).

Pattern for every tool test: the exact request as the reference notes give it (method, path, query names, body),
a happy path through the MCP client against the simulator, a bad-input call that sends nothing, upstream errors.
"""

from __future__ import annotations

import base64

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import PW_KEY, PW_SECRET, call_err, call_ok


async def test_list_roles_request_and_result(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_roles", {"role_code": "DEV"})
    assert out["items"] == [{"role_id": 10, "code": "DEV", "description": "Developer"}]
    assert out["has_more"] is False
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Users/Roles")
    assert req.query == [("roleCode", "DEV"), ("page", "1"), ("pageSize", "50")]  # roleCode is camelCase
    expected = "Basic " + base64.b64encode(f"{PW_KEY}:{PW_SECRET}".encode()).decode()
    assert req.headers["authorization"] == expected
    assert req.headers["accept"] == "application/json"
    assert req.headers["content-type"] == "application/json"


async def test_list_tasks_sends_pascal_case_filters(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_tasks",
        {
            "project_id": 301,
            "module_id": 402,
            "user_id": 102,
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": False,
            "page": 1,
            "page_size": 10,
        },
    )
    assert [t["task_id"] for t in out["items"]] == [502]
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Tasks")
    assert req.query == [
        ("ProjectID", "301"),
        ("ModuleID", "402"),
        ("UserID", "102"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "false"),
        ("page", "1"),
        ("pageSize", "10"),
    ]


async def test_list_tasks_full_page_means_has_more(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_tasks", {"page_size": 2})
    assert len(out["items"]) == 2 and out["has_more"] is True
    out = await call_ok(client, "projectworks_list_tasks", {"page": 2, "page_size": 3})
    assert len(out["items"]) == 1 and out["has_more"] is False


async def test_list_tasks_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_tasks", {"project_id": "abc", "page_size": 0})
    assert "project_id" in text and "page_size" in text
    text = await call_err(client, "projectworks_list_tasks", {"projectid": 301})
    assert "projectid" in text and "project_id" in text  # suggests the right name
    assert sandbox.projectworks.requests == []


async def test_numbers_sent_as_strings_are_accepted(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_tasks", {"project_id": "302"})
    assert [t["task_id"] for t in out["items"]] == [504]


async def test_placeholder_exact_request(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_update_task_placeholder",
        {"task_id": 502, "role_id": 10, "hours": 24, "rate": 150.5, "is_active": True},
    )
    assert out["role_id"] == 10 and out["hours"] == 24 and out["placeholder_id"]
    put = sandbox.projectworks.find("PUT")
    assert len(put) == 1
    assert put[0].path == "/Tasks/502/Placeholders"
    assert put[0].json == {"roleID": 10, "hours": 24.0, "rate": 150.5, "isActive": True}


async def test_placeholder_unknown_role_is_refused_before_any_write(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_task_placeholder", {"task_id": 502, "role_id": 99})
    assert "role_id 99" in text and "projectworks_list_roles" in text and "10 (DEV)" in text
    assert sandbox.projectworks.writes == []


async def test_roles_are_cached_across_placeholder_updates(client: Client, sandbox) -> None:
    for hours in range(1, 11):
        await call_ok(client, "projectworks_update_task_placeholder", {"task_id": 503, "role_id": 11, "hours": hours})
    assert len(sandbox.projectworks.find("GET", "/Users/Roles")) == 1
    assert len(sandbox.projectworks.find("PUT")) == 10


async def test_unauthorized_names_the_env_vars(client: Client, sandbox) -> None:
    sandbox.projectworks.valid_auth = {"Basic nobody"}
    text = await call_err(client, "projectworks_list_roles")
    assert "401" in text and "PROJECTWORKS_CONSUMER_KEY" in text
    assert PW_SECRET not in text


async def test_not_found_points_to_the_lookup(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_task_placeholder", {"task_id": 999999, "role_id": 10})
    assert "404" in text


async def test_429_then_success_on_a_read(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Tasks", Fault(status=429, headers={"Retry-After": "0"}))
    out = await call_ok(client, "projectworks_list_tasks", {"page_size": 1})
    assert out["items"]
    assert len(sandbox.projectworks.find("GET", "/Tasks")) == 2


async def test_503_on_an_idempotent_put_is_retried(client: Client, sandbox) -> None:
    # Replacing a placeholder (placeholder_id given) is idempotent; creating one is not (tests/agent).
    created = await call_ok(client, "projectworks_update_task_placeholder", {"task_id": 502, "role_id": 10})
    sandbox.projectworks.faults.add("PUT", "/Tasks/502/Placeholders", Fault(status=503, body={"Message": "down"}))
    replace = {"task_id": 502, "role_id": 11, "placeholder_id": created["placeholder_id"]}
    out = await call_ok(client, "projectworks_update_task_placeholder", replace)
    assert out["role_id"] == 11
    assert len(sandbox.projectworks.find("PUT")) == 3


async def test_500_on_a_post_is_never_resent(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", "/tasks/5001/reminders.json", Fault(status=500, after=True))
    text = await call_err(
        client,
        "teamwork_create_task_reminder",
        {"task_id": 5001, "user_ids": [238860], "date_time_utc": "2026-12-01T09:00:00Z"},
    )
    assert "500" in text and "NOT retried" in text and "teamwork_list_task_reminders" in text
    assert len(sandbox.teamwork.find("POST")) == 1
