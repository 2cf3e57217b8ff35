"""Time-tracking reminders: seed 003's `{"reminder": {threshold, time, frequencyRRule, isActive}}` on POST and PATCH
of `/projects/api/v3/time/reminder.json`; RRULE/time/threshold validated before anything is sent; an empty or
object response both handled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.teamwork.time_reminders import check_rrule
from tests.conftest import call_err, call_ok

PATH = "/projects/api/v3/time/reminder.json"


def exact(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


async def test_create_matches_the_seed_then_edit_only_what_changed(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_time_reminder",
        {"threshold": 80, "time": "18:00:00", "frequency_rrule": "FREQ=DAILY", "is_active": True},
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == PATH
    assert exact(post.json) == exact(
        {"reminder": {"threshold": 80, "time": "18:00:00", "frequencyRRule": "FREQ=DAILY", "isActive": True}}
    )
    assert out["confirmed"] is True and out["reminder_id"] and out["threshold"] == 80

    out = await call_ok(client, "teamwork_update_time_reminder", {"is_active": False})
    (patch,) = sandbox.teamwork.find("PATCH")
    assert patch.path == PATH and exact(patch.json) == exact({"reminder": {"isActive": False}})
    assert out["is_active"] is False and out["time"] == "18:00:00"  # the rest read back, unchanged

    await call_ok(client, "teamwork_update_time_reminder", {"frequency_rrule": "rrule:freq=weekly;byday=mo,fr"})
    assert sandbox.teamwork.find("PATCH")[1].json == {"reminder": {"frequencyRRule": "FREQ=WEEKLY;BYDAY=MO,FR"}}
    (stored,) = sandbox.teamwork.store.table("time_reminders").values()
    assert stored["frequencyRRule"] == "FREQ=WEEKLY;BYDAY=MO,FR" and stored["isActive"] is False


async def test_empty_response_falls_back_to_what_was_sent(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", PATH, Fault(status=204, after=True))
    out = await call_ok(
        client, "teamwork_create_time_reminder", {"threshold": 60, "time": "17:30:00", "frequency_rrule": "FREQ=DAILY"}
    )
    assert out == {
        "threshold": 60,
        "time": "17:30:00",
        "frequency_rrule": "FREQ=DAILY",
        "is_active": True,
        "confirmed": False,
        "sent": {"threshold": 60, "time": "17:30:00", "frequencyRRule": "FREQ=DAILY", "isActive": True},
    }


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    good = {"threshold": 80, "time": "18:00:00", "frequency_rrule": "FREQ=DAILY"}
    cases = [
        ({**good, "threshold": 101}, "threshold"),
        ({**good, "time": "18:00"}, "time"),
        ({**good, "time": "24:00:00"}, "time"),
        ({**good, "frequency_rrule": "INTERVAL=2"}, "FREQ is required"),
        ({**good, "frequency_rrule": "FREQ=FORTNIGHTLY"}, "FREQ=FORTNIGHTLY"),
        ({**good, "frequency_rrule": "FREQ=WEEKLY;BYDAY=XX"}, "BYDAY"),
        ({**good, "frequency_rrule": "FREQ=DAILY;COUNT=3;UNTIL=20270101"}, "COUNT and UNTIL"),
        ({**good, "frequency_rrule": "FREQ=DAILY;COLOR=RED"}, "COLOR"),
        ({"time": "18:00:00", "frequency_rrule": "FREQ=DAILY"}, "threshold"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_create_time_reminder", args)
        assert field in text, (field, text)
    text = await call_err(client, "teamwork_update_time_reminder", {})
    assert "at least one" in text
    assert sandbox.teamwork.requests == []


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=DAILY;UNTIL=20271231T000000Z",
    ],
)
def test_valid_rrules(rule: str) -> None:
    assert check_rrule(rule) == rule


async def test_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_time_reminder", {"threshold": 50})
    assert "404" in text  # nothing set up yet
    await call_ok(
        client, "teamwork_create_time_reminder", {"threshold": 80, "time": "18:00:00", "frequency_rrule": "FREQ=DAILY"}
    )
    again = {"threshold": 80, "time": "18:00:00", "frequency_rrule": "FREQ=DAILY", "allow_duplicate": True}
    text = await call_err(client, "teamwork_create_time_reminder", again)  # past the duplicate guard, to upstream
    assert "409" in text and "already exists" in text
    sandbox.teamwork.faults.add("PATCH", PATH, Fault(status=500, after=True))
    text = await call_err(client, "teamwork_update_time_reminder", {"threshold": 50})
    assert "may or may not" in text and len(sandbox.teamwork.find("PATCH")) == 2
