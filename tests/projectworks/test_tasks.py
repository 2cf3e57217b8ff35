"""Tasks: requests as reference §2.2 #11, §2.3 #35-37 and §2.4 #51 give them. A task goes only into a services
module and needs a task type (Autohive's live tests); both are settled before anything is written."""

from __future__ import annotations

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import PW_KEY, PW_SECRET, call_err, call_ok

NEW_TASK = {"module_id": 402, "task_name": "Android build", "task_type_id": 1}


async def test_get_task(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_task", {"task_id": 502})
    assert out["name"] == "iOS build" and out["module_id"] == 402 and out["project_id"] == 301
    assert out["task_type_id"] == 1 and out["task_status_id"] == 1 and out["user_ids"] == [102]
    assert out["start_date"] == "2026-10-01" and "raw" not in out
    assert [(r.method, r.path, r.query) for r in sandbox.projectworks.requests] == [("GET", "/Tasks/502", [])]
    text = await call_err(client, "projectworks_get_task", {"task_id": 999})
    assert "404" in text and "projectworks_list_tasks" in text


async def test_create_task_exact_body_after_module_check(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_task",
        {
            **NEW_TASK,
            "start_date": "2026-11-01",
            "end_date": "2027-01-31",
            "is_billable": False,
            "percent_complete": 0,
            "status_id": 1,
            "external_reference": "JIRA-12",
        },
    )
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [
        ("GET", "/Modules/402"),
        ("GET", "/Tasks"),  # task type and status are learned from the account's tasks (known_ids.py)
        ("POST", "/Tasks"),
    ]
    assert sandbox.projectworks.writes[0].json == {
        "moduleID": 402,
        "taskName": "Android build",
        "taskTypeID": 1,
        "startDate": "2026-11-01",
        "endDate": "2027-01-31",
        "isBillable": False,
        "statusID": 1,
        "percentComplete": 0.0,
        "externalReference": "JIRA-12",
    }
    listed = await call_ok(client, "projectworks_list_tasks", {"module_id": 402, "name": "Android build"})
    (task,) = listed["items"]
    assert task["task_id"] == out["task_id"] and task["is_billable"] is False and task["project_id"] == 301


async def test_create_task_in_a_non_services_module_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_task", {**NEW_TASK, "module_id": 403})
    assert "module_id 403" in text and "not a services module" in text
    assert "projectworks_create_module" in text and "projectworks_list_modules" in text
    assert "Nothing was written" in text
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [("GET", "/Modules/403")]


async def test_create_task_in_a_missing_module_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_task", {**NEW_TASK, "module_id": 999})
    assert "module_id 999" in text and "projectworks_list_modules" in text
    assert sandbox.projectworks.writes == []


async def test_a_module_the_api_rejects_names_the_tool_that_lists_modules(client: Client, sandbox) -> None:
    """Issue 17: the module passed our check but the API refused it (deleted meanwhile): the hint is chosen from
    the field the upstream names, not "check the arguments"."""
    rejection = {"Message": "The request is invalid.", "ModelState": {"model.moduleID": ["Module 402 was not found."]}}
    for tool, args, method, path in (
        ("projectworks_create_task", NEW_TASK, "POST", "/Tasks"),
        ("projectworks_update_task", {"task_id": 503, "module_id": 402}, "PATCH", "/Tasks/503"),
    ):
        sandbox.projectworks.faults.add(method, path, Fault(status=400, body=rejection))
        text = await call_err(client, tool, args)
        assert "HTTP 400" in text and "module_id: find valid values with projectworks_list_modules" in text, text
        assert "Check the arguments" not in text
    assert len(sandbox.projectworks.writes) == 2  # both sent (the refusal is the API's), neither stored
    listed = await call_ok(client, "projectworks_list_tasks", {"name": "Android build"})
    assert listed["items"] == []


async def test_task_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("projectworks_create_task", {"module_id": 402, "task_name": "X"}, "task_type_id"),
        ("projectworks_create_task", {**NEW_TASK, "percent_complete": 150}, "percent_complete"),
        ("projectworks_create_task", {**NEW_TASK, "start_date": "2027-02-01", "end_date": "2027-01-01"}, "end_date"),
        ("projectworks_update_task", {"task_id": 502}, "at least one field"),
        ("projectworks_update_task_user", {"task_id": 502, "user_id": 102, "hours": -1}, "hours"),
        ("projectworks_delete_task", {"task_id": 0}, "task_id"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.projectworks.requests == []


async def test_simulator_refuses_what_the_api_refuses(sandbox) -> None:
    """The simulator, like the account, rejects a task without a type or in a non-services module (400)."""
    async with httpx2.AsyncClient(base_url=sandbox.pw_url, auth=(PW_KEY, PW_SECRET)) as http:
        no_type = await http.post("/Tasks", json={"moduleID": 402, "taskName": "X"})
        wrong_module = await http.post("/Tasks", json={"moduleID": 403, "taskName": "X", "taskTypeID": 1})
        pascal_keys = await http.post("/Tasks", json={"ModuleID": 402, "TaskName": "X", "TaskTypeID": 1})
    assert no_type.status_code == 400 and "TaskTypeID" in no_type.json()["Message"]
    assert wrong_module.status_code == 400 and "services modules" in wrong_module.json()["Message"]
    assert pascal_keys.status_code == 400


async def test_update_task_sends_only_the_name(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_task", {"task_id": 503, "task_name": "Design system v2"})
    (patch,) = sandbox.projectworks.requests
    assert (patch.method, patch.path, patch.json) == ("PATCH", "/Tasks/503", {"taskName": "Design system v2"})
    assert out["name"] == "Design system v2" and out["percent_complete"] == 45
    assert (await call_ok(client, "projectworks_get_task", {"task_id": 503}))["name"] == "Design system v2"


async def test_moving_a_task_into_a_non_services_module_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_task", {"task_id": 503, "module_id": 403})
    assert "not a services module" in text and sandbox.projectworks.writes == []


async def test_update_task_500_is_not_resent(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("PATCH", "/Tasks/503", Fault(status=500, after=True))
    text = await call_err(client, "projectworks_update_task", {"task_id": 503, "percent_complete": 60})
    assert "500" in text and "NOT retried" in text and "projectworks_get_task" in text
    assert len(sandbox.projectworks.find("PATCH")) == 1


async def test_delete_task(client: Client, sandbox) -> None:
    assert await call_ok(client, "projectworks_delete_task", {"task_id": 504}) == {"id": 504, "deleted": True}
    assert [(w.method, w.path, w.body) for w in sandbox.projectworks.writes] == [("DELETE", "/Tasks/504", b"")]
    listed = await call_ok(client, "projectworks_list_tasks", {"project_id": 302})
    assert listed["items"] == []


async def test_update_task_user_exact_body_and_assignment(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_update_task_user",
        {
            "task_id": 502,
            "user_id": 104,
            "hours": 16,
            "rate_card_id": 1,
            "rate": 140,
            "cost_rate_card_id": 2,
            "is_active": True,
            "is_pinned": False,
        },
    )
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [
        ("GET", "/Users/104"),
        ("GET", "/Clients"),  # rate cards are learned from clients' and projects' defaults (known_ids.py)
        ("PUT", "/Tasks/502/Users"),
    ]
    assert sandbox.projectworks.writes[0].json == {
        "userID": 104,
        "hours": 16.0,
        "rateCardID": 1,
        "rate": 140.0,
        "costRateCardID": 2,
        "isActive": True,
        "isPinned": False,
    }
    assert out["user_id"] == 104 and out["hours"] == 16 and out["is_pinned"] is False
    assert (await call_ok(client, "projectworks_get_task", {"task_id": 502}))["user_ids"] == [102, 104]


async def test_update_task_user_refuses_unknown_user(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_task_user", {"task_id": 502, "user_id": 4040})
    assert "user_id 4040" in text and "projectworks_list_users" in text
    assert sandbox.projectworks.writes == []


async def test_update_task_user_empty_reply_echoes_what_was_sent(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("PUT", "/Tasks/502/Users", Fault(status=200, body=b"", after=True))
    out = await call_ok(client, "projectworks_update_task_user", {"task_id": 502, "user_id": 102, "hours": 8})
    assert out == {"task_id": 502, "user_id": 102, "hours": 8.0}
