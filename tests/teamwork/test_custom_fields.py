"""Custom field definitions and values: seed 003's "Update an existing custom field" and "Update many task custom
field values at once" samples key for key, typed values, create-before-bulk, refusals that write nothing."""

from __future__ import annotations

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

V3 = "/projects/api/v3"


async def test_update_custom_field_sends_no_entity_nor_id(client: Client, sandbox) -> None:
    """The SDK's update body has no `entity` (only create sets it) and no `customFieldId` (the path says which)."""
    out = await call_ok(client, "teamwork_update_custom_field", {"custom_field_id": 2300, "name": "Update field name"})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("PATCH", f"{V3}/customfields/2300.json")
    assert req.json == {"customfield": {"name": "Update field name"}}
    assert out["name"] == "Update field name" and out["entity"] == "project"
    got = await call_ok(client, "teamwork_get_custom_field", {"custom_field_id": 2300})
    assert got["name"] == "Update field name"


async def test_bulk_task_values_match_the_seed(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_set_task_custom_field_values",
        {
            "task_id": 5001,
            "values": [
                {"value_id": 78570, "custom_field_id": 2794, "value": "Value in bulk 2"},
                {"value_id": 78569, "custom_field_id": 2558, "value": "Submitted"},
            ],
        },
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == f"{V3}/tasks/5001/customfields/bulk/update.json"
    assert post.json == {
        "customfieldTasks": [
            {"id": 78570, "customfieldId": 2794, "value": "Value in bulk 2"},
            {"id": 78569, "customfieldId": 2558, "value": "Submitted"},
        ]
    }
    assert out["created_value_ids"] == []
    listed = await call_ok(client, "teamwork_list_custom_field_values", {"entity": "task", "entity_id": 5001})
    assert {v["value_id"]: v["value"] for v in listed["items"]} == {78570: "Value in bulk 2", 78569: "Submitted"}
    (get,) = sandbox.teamwork.find("GET", f"{V3}/tasks/5001/customfields.json")[-1:]
    assert get.params == {"page": "1", "pageSize": "50"}


async def test_bulk_finds_value_ids_and_creates_missing_values_first(client: Client, sandbox) -> None:
    created = await call_ok(
        client, "teamwork_create_custom_field", {"name": "Risk score", "type": "number-integer", "entity": "task"}
    )
    sandbox.teamwork.recorder.clear()
    out = await call_ok(
        client,
        "teamwork_set_task_custom_field_values",
        {
            "task_id": 5001,
            "values": [
                {"custom_field_id": created["custom_field_id"], "value": 7},
                {"custom_field_id": 2558, "value": "Approved"},
            ],
        },
    )
    first, second = sandbox.teamwork.find("POST")
    assert first.path == f"{V3}/tasks/5001/customfields.json"
    assert first.json == {"customfieldTask": {"customfieldId": created["custom_field_id"], "value": 7}}
    assert second.path == f"{V3}/tasks/5001/customfields/bulk/update.json"
    assert second.json == {"customfieldTasks": [{"id": 78569, "customfieldId": 2558, "value": "Approved"}]}
    assert len(out["created_value_ids"]) == 1
    values = await call_ok(client, "teamwork_list_custom_field_values", {"entity": "task", "entity_id": 5001})
    assert {v["custom_field_id"]: v["value"] for v in values["items"]}[created["custom_field_id"]] == 7


async def test_bulk_refuses_a_value_id_that_is_not_on_the_task(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "teamwork_set_task_custom_field_values",
        {"task_id": 5002, "values": [{"value_id": 78570, "custom_field_id": 2794, "value": "x"}]},
    )
    assert "values[0].value_id" in text and "78570" in text and "teamwork_list_custom_field_values" in text
    assert "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_simulator_rejects_a_foreign_value_id_in_bulk(client: Client, sandbox) -> None:
    """The sandbox itself refuses what the tool would never send, so a wrong request cannot pass a test."""
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=("key", "X")) as http:
        answer = await http.post(
            f"{V3}/tasks/5002/customfields/bulk/update.json",
            json={"customfieldTasks": [{"id": 78570, "customfieldId": 2794, "value": "x"}]},
        )
        typed = await http.post(
            f"{V3}/tasks/5001/customfields/bulk/update.json",
            json={"customfieldTasks": [{"id": 78569, "customfieldId": 2558, "value": 3}]},
        )
    assert answer.status_code == 400 and "does not exist on task 5002" in answer.text
    assert typed.status_code == 400 and "cannot unmarshal number" in typed.text


async def test_set_value_patches_an_existing_entry_and_stringifies_choices(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_update_custom_field", {"custom_field_id": 2300, "choices": [{"value": "2026"}]})
    sandbox.teamwork.recorder.clear()
    out = await call_ok(
        client,
        "teamwork_set_custom_field_value",
        {"entity": "project", "entity_id": 732893, "custom_field_id": 2300, "value": 2026},
    )
    (patch,) = sandbox.teamwork.find("PATCH")
    assert patch.path == f"{V3}/projects/732893/customfields/78600.json"
    assert patch.json == {"customfieldProject": {"customfieldId": 2300, "value": "2026"}}  # a string, not 2026
    assert out == {
        "value_id": 78600,
        "custom_field_id": 2300,
        "entity": "project",
        "entity_id": 732893,
        "value": "2026",
        "updated_at": out["updated_at"],
        "created": False,
    }
    lookup = sandbox.teamwork.find("GET", f"{V3}/projects/732893/customfields.json")[0]
    assert lookup.params == {"customFieldIds": "2300", "page": "1", "pageSize": "500"}


async def test_set_value_posts_when_the_record_has_none(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_set_custom_field_value",
        {"entity": "task", "entity_id": 5003, "custom_field_id": 2794, "value": "PO-77"},
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == f"{V3}/tasks/5003/customfields.json"
    assert post.json == {"customfieldTask": {"customfieldId": 2794, "value": "PO-77"}}
    assert out["created"] is True and out["entity_id"] == 5003
    listed = await call_ok(client, "teamwork_list_custom_field_values", {"entity": "task", "entity_id": 5003})
    assert [(v["custom_field_id"], v["value"]) for v in listed["items"]] == [(2794, "PO-77")]


async def test_set_value_refusals_write_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"entity": "task", "entity_id": 5001, "custom_field_id": 2558, "value": "Shipped"}, "Approved"),
        ({"entity": "project", "entity_id": 732893, "custom_field_id": 2794, "value": "x"}, "task records"),
        ({"entity": "task", "entity_id": 999999, "custom_field_id": 2794, "value": "x"}, "teamwork_list_tasks"),
        ({"entity": "task", "entity_id": 5001, "custom_field_id": 4040, "value": "x"}, "teamwork_list_custom_fields"),
        ({"entity": "task", "entity_id": 5001, "custom_field_id": 2558, "value": ["Draft"]}, "one choice"),
    ]
    for args, expected in cases:
        text = await call_err(client, "teamwork_set_custom_field_value", args)
        assert expected in text, (args, text)
    assert sandbox.teamwork.writes == []


async def test_a_wrong_choice_names_the_choices_and_where_they_are_listed(client: Client, sandbox) -> None:
    """Issue 17: the fix is another value, not editing the field's definition."""
    for tool, args in (
        (
            "teamwork_set_custom_field_value",
            {"entity": "task", "entity_id": 5001, "custom_field_id": 2558, "value": "Shipped"},
        ),
        (
            "teamwork_set_task_custom_field_values",
            {"task_id": 5001, "values": [{"custom_field_id": 2558, "value": "Shipped"}]},
        ),
    ):
        text = await call_err(client, tool, args)
        assert "'Shipped' is not a choice" in text and "Approved" in text, text
        assert "teamwork_get_custom_field" in text and "teamwork_update_custom_field" not in text, text
        assert "Nothing was written." in text
    assert sandbox.teamwork.writes == []


async def test_create_list_and_delete_a_dropdown_field(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_custom_field",
        {
            "name": "Billing",
            "type": "dropdown",
            "entity": "project",
            "description": "How we bill",
            "required": False,
            "project_id": 732893,
            "choices": [{"value": "Billable", "color": "#4CD5E3"}, {"value": "Internal"}],
        },
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == f"{V3}/customfields.json"
    assert post.json == {
        "customfield": {
            "name": "Billing",
            "type": "dropdown",
            "entity": "project",
            "description": "How we bill",
            "required": False,
            "projectId": 732893,
            "options": {"choices": [{"value": "Billable", "color": "#4CD5E3"}, {"value": "Internal"}]},
        }
    }
    assert out["choices"] == ["Billable", "Internal"] and out["project_id"] == 732893
    listed = await call_ok(client, "teamwork_list_custom_fields", {"entities": ["project"], "search": "bill"})
    assert [f["custom_field_id"] for f in listed["items"]] == [out["custom_field_id"]]
    req = sandbox.teamwork.find("GET", f"{V3}/customfields.json")[-1]
    assert req.query == [("entities", "project"), ("searchTerm", "bill"), ("page", "1"), ("pageSize", "50")]
    await call_ok(client, "teamwork_delete_custom_field", {"custom_field_id": out["custom_field_id"]})
    assert sandbox.teamwork.find("DELETE")[0].path == f"{V3}/customfields/{out['custom_field_id']}.json"
    listed = await call_ok(client, "teamwork_list_custom_fields", {"entities": ["project"], "search": "bill"})
    assert listed["items"] == []


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_custom_field", {"name": "X", "type": "dropdown", "entity": "task"}, "choices"),
        ("teamwork_create_custom_field", {"name": "X", "type": "colour", "entity": "task"}, "type"),
        ("teamwork_update_custom_field", {"custom_field_id": 2300}, "at least one"),
        ("teamwork_update_custom_field", {"custom_field_id": 2300, "entity": "task"}, "entity"),
        ("teamwork_list_custom_fields", {"entities": ["ticket"]}, "entities"),
        ("teamwork_list_custom_field_values", {"entity": "milestone", "entity_id": 1}, "entity"),
        ("teamwork_set_custom_field_value", {"entity": "task", "entity_id": 5001, "custom_field_id": 2794}, "value"),
        (
            "teamwork_set_task_custom_field_values",
            {"task_id": 5001, "values": [{"custom_field_id": 1, "value": 1}, {"custom_field_id": 1, "value": 2}]},
            "once",
        ),
        ("teamwork_set_task_custom_field_values", {"task_id": 5001, "values": []}, "values"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, text)
    assert sandbox.teamwork.requests == []


async def test_choices_on_a_text_field_are_refused_before_the_write(client: Client, sandbox) -> None:
    text = await call_err(
        client, "teamwork_update_custom_field", {"custom_field_id": 2794, "choices": [{"value": "A"}]}
    )
    assert "choices" in text and "text-short" in text
    assert sandbox.teamwork.writes == []


async def test_upstream_error_during_bulk_reports_what_was_already_created(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"{V3}/tasks/5002/customfields/bulk/update.json", Fault(status=500))
    await call_ok(
        client,
        "teamwork_set_custom_field_value",
        {"entity": "task", "entity_id": 5002, "custom_field_id": 2794, "value": "PO-1"},
    )
    text = await call_err(
        client,
        "teamwork_set_task_custom_field_values",
        {
            "task_id": 5002,
            "values": [{"custom_field_id": 2794, "value": "PO-2"}, {"custom_field_id": 2558, "value": "Draft"}],
        },
    )
    assert "500" in text and "already written" in text and "NOT retried" in text
    assert len(sandbox.teamwork.find("POST", f"{V3}/tasks/5002/customfields/bulk/update.json")) == 1


async def test_get_missing_field_is_a_404_with_the_lookup(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_delete_custom_field", {"custom_field_id": 4040})
    assert "404" in text and "teamwork_list_custom_fields" in text
