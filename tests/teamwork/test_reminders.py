"""Task reminders against seed 003's samples, key for key (values from the test's own arguments)."""

from __future__ import annotations

import base64

from mcp import Client

from tests.conftest import TW_API_KEY, call_err, call_ok


async def test_update_reminder_single_user_matches_the_seed(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "teamwork_update_task_reminder",
        {
            "reminder_id": 593057,
            "note": "Hey, don't forget about me!",
            "type": "EMAIL",
            "date_time_utc": "2023-09-06T10:07:45Z",
            "user_ids": [238860],
        },
    )
    (put,) = sandbox.teamwork.find("PUT")
    assert put.path == "/taskreminders/593057.json"
    assert put.json == {
        "reminder": {
            "note": "Hey, don't forget about me!",
            "type": "EMAIL",
            "date-time-utc": "2023-09-06T10:07:45Z",
            "user-id": ["238860"],  # id strings, the same type as the all-assignees form
            "isRelative": False,
            "id": "593057",
            "peopleAssigned": False,
            "assignToMultiple": False,
            "assigneeDetails": [{"id": 238860, "label": "Marc Cashman", "firstName": "Marc", "lastName": "Cashman"}],
            "usingOffSetDueDate": False,
        }
    }
    assert put.headers["authorization"] == "Basic " + base64.b64encode(f"{TW_API_KEY}:X".encode()).decode()


async def test_update_reminder_several_users_fills_both_arrays(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "teamwork_update_task_reminder",
        {"reminder_id": 593057, "date_time_utc": "2023-09-06T10:07:45Z", "user_ids": [238860, 369453]},
    )
    (put,) = sandbox.teamwork.find("PUT")
    body = put.json["reminder"]
    assert body["user-id"] == ["238860", "369453"]
    assert body["assigneeDetails"] == [
        {"id": 238860, "label": "Marc Cashman", "firstName": "Marc", "lastName": "Cashman"},
        {"id": 369453, "label": "Adrian Kerr", "firstName": "Adrian", "lastName": "Kerr"},
    ]


async def test_update_reminder_all_assignees_relative_matches_the_seed(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_update_task_reminder",
        {
            "reminder_id": 593057,
            "task_id": 5001,
            "note": "Gentle reminder to review this task",
            "type": "EMAIL",
            "date_time_utc": "2026-11-01T20:00:00Z",
            "all_assignees": True,
            "is_relative": True,
            "relative_days": 3,
        },
    )
    (put,) = sandbox.teamwork.find("PUT")
    assert put.json == {
        "reminder": {
            "note": "Gentle reminder to review this task",
            "type": "EMAIL",
            "date-time-utc": "2026-11-27T20:00:00Z",  # task 5001 is due 2026-11-30; 3 days before, at 20:00
            "user-id": ["238860", "369453"],
            "isRelative": True,
            "relative-number-days": "3",
            "peopleAssigned": True,
            "assignToMultiple": False,
            "assigneeDetails": [
                {
                    "id": "-3",
                    "label": "All people assigned to the task",
                    "firstName": "All people assigned to the task",
                    "lastName": "",
                }
            ],
            "usingOffSetDueDate": False,
        }
    }
    assert out["all_assignees"] is True and out["date_time_utc"] == "2026-11-27T20:00:00Z"
    listed = await call_ok(client, "teamwork_list_task_reminders", {"task_id": 5001})
    assert listed["items"][0]["is_relative"] is True and listed["items"][0]["relative_days"] == 3


async def test_relative_reminder_on_a_task_without_due_date_is_refused(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "teamwork_update_task_reminder",
        {"reminder_id": 593057, "task_id": 5006, "user_ids": [238860], "is_relative": True, "relative_days": 1},
    )
    assert "no due date" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_reminder_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"reminder_id": 593057, "type": "FAX", "user_ids": [1], "date_time_utc": "2026-01-01T00:00:00Z"}, "type"),
        ({"reminder_id": 593057, "date_time_utc": "2026-01-01T00:00:00Z"}, "user_ids"),
        ({"reminder_id": 593057, "user_ids": [1], "is_relative": True, "relative_days": 2}, "task_id"),
        ({"reminder_id": 593057, "user_ids": [1]}, "date_time_utc"),
        ({"reminder_id": 0, "user_ids": [1], "date_time_utc": "2026-01-01T00:00:00Z"}, "reminder_id"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_update_task_reminder", args)
        assert field in text, (field, text)
    assert sandbox.teamwork.requests == []


async def test_unknown_person_is_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "teamwork_update_task_reminder",
        {"reminder_id": 593057, "user_ids": [4242], "date_time_utc": "2026-12-01T09:00:00Z"},
    )
    assert "4242" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []


async def test_create_list_delete_reminder(client: Client, sandbox) -> None:
    created = await call_ok(
        client,
        "teamwork_create_task_reminder",
        {"task_id": 5003, "user_ids": [369453], "type": "PUSH", "date_time_utc": "2026-12-10T08:00:00Z"},
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == "/tasks/5003/reminders.json"
    assert "id" not in post.json["reminder"]
    listed = await call_ok(client, "teamwork_list_task_reminders", {"task_id": 5003})
    assert [r["reminder_id"] for r in listed["items"]] == [created["reminder_id"]]
    await call_ok(client, "teamwork_delete_task_reminder", {"reminder_id": created["reminder_id"]})
    assert sandbox.teamwork.find("DELETE")[0].path == f"/taskreminders/{created['reminder_id']}.json"
    listed = await call_ok(client, "teamwork_list_task_reminders", {"task_id": 5003})
    assert listed["items"] == []


async def test_list_tasks_v3_query(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_list_tasks",
        {"project_id": 732893, "assignee_user_ids": [369453], "due_before": "2026-12-31", "page_size": 10},
    )
    assert {t["task_id"] for t in out["items"]} == {5001, 5003}
    (req,) = sandbox.teamwork.requests
    assert req.path == "/projects/api/v3/projects/732893/tasks.json"
    assert req.params == {"responsiblePartyIds": "369453", "dueBefore": "2026-12-31", "page": "1", "pageSize": "10"}
