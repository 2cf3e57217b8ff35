"""Custom field values against the reference notes (§2.4 #56): PUT /{Clients|Projects|Modules|Tasks|Users}/{id}/Fields
with a BARE JSON array of {fieldID, value | multiSelectValues}, only the key given per item."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_set_sends_a_bare_array_and_reads_back_on_the_client(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_set_custom_fields",
        {
            "entity_type": "client",
            "entity_id": 201,
            "fields": [
                {"field_id": 1, "value": "Wellington"},
                {"field_id": 2, "multi_select_values": ["Finance", "Government"]},
            ],
        },
    )
    (put,) = sandbox.projectworks.writes
    assert (put.method, put.path, put.query) == ("PUT", "/Clients/201/Fields", [])
    assert put.json == [
        {"fieldID": 1, "value": "Wellington"},
        {"fieldID": 2, "multiSelectValues": ["Finance", "Government"]},
    ]
    assert out == {
        "entity_type": "client",
        "entity_id": 201,
        "fields": [
            {"field_id": 1, "value": "Wellington"},
            {"field_id": 2, "multi_select_values": ["Finance", "Government"]},
        ],
        "updated": True,
    }
    listed = await call_ok(client, "projectworks_list_clients", {"client_id": 201, "include_custom_fields": True})
    values = {v["FieldID"]: (v["Value"], v["MultiSelectValues"]) for v in listed["items"][0]["custom_fields"]}
    assert values == {1: ("Wellington", None), 2: (None, ["Finance", "Government"])}


async def test_setting_again_updates_in_place_and_empty_text_clears(client: Client, sandbox) -> None:
    args = {"entity_type": "user", "entity_id": 102, "fields": [{"field_id": 7, "value": "@ben"}]}
    await call_ok(client, "projectworks_set_custom_fields", args)
    await call_ok(client, "projectworks_set_custom_fields", {**args, "fields": [{"field_id": 7, "value": ""}]})
    assert sandbox.projectworks.writes[-1].json == [{"fieldID": 7, "value": ""}]
    listed = await call_ok(client, "projectworks_list_users", {"user_id": 102, "include_custom_fields": True})
    assert [(v["FieldID"], v["Value"]) for v in listed["items"][0]["custom_fields"]] == [(7, "")]


@pytest.mark.parametrize(
    ("entity_type", "entity_id", "field_id", "segment", "table"),
    [
        ("project", 301, 3, "Projects", "projects"),
        ("module", 402, 5, "Modules", "modules"),
        ("task", 502, 6, "Tasks", "tasks"),
    ],
)
async def test_each_entity_type_has_its_own_path(
    client: Client, sandbox, entity_type: str, entity_id: int, field_id: int, segment: str, table: str
) -> None:
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": entity_type, "entity_id": entity_id, "fields": [{"field_id": field_id, "value": "X-1"}]},
    )
    (put,) = sandbox.projectworks.writes
    assert (put.path, put.json) == (f"/{segment}/{entity_id}/Fields", [{"fieldID": field_id, "value": "X-1"}])
    stored = sandbox.projectworks.store.table(table)[entity_id]["CustomFields"]
    assert [(v["FieldID"], v["Value"]) for v in stored] == [(field_id, "X-1")]


async def test_bad_input_sends_nothing(client: Client, sandbox) -> None:
    base = {"entity_type": "project", "entity_id": 301}
    cases = [
        ({**base, "fields": [{"field_id": 3, "value": "a", "multi_select_values": ["b"]}]}, "exactly one of value"),
        ({**base, "fields": [{"field_id": 3}]}, "exactly one of value"),
        ({**base, "fields": [{"field_id": 3, "value": "a"}, {"field_id": 3, "value": "b"}]}, "more than once"),
        ({**base, "fields": []}, "fields"),
        ({**base, "fields": [{"fieldID": 3, "value": "a"}]}, "field_id"),
        ({**base, "entity_type": "invoice", "fields": [{"field_id": 3, "value": "a"}]}, "entity_type"),
        ({**base, "entity_id": 0, "fields": [{"field_id": 3, "value": "a"}]}, "entity_id"),
        ({**base, "fields": [{"field_id": 3, "value": 42}]}, "value"),
    ]
    for args, expected in cases:
        text = await call_err(client, "projectworks_set_custom_fields", args)
        assert expected in text, (args, text)
    assert sandbox.projectworks.requests == []


async def test_unknown_entity_points_to_the_right_list_tool(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "module", "entity_id": 999999, "fields": [{"field_id": 5, "value": "CC-1"}]},
    )
    assert "404" in text and "projectworks_list_modules" in text


async def test_unknown_field_is_refused_by_the_api(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "project", "entity_id": 301, "fields": [{"field_id": 99, "value": "x"}]},
    )
    assert "400" in text and "Custom field 99 does not exist" in text


async def test_503_on_the_put_is_retried(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("PUT", "/Projects/301/Fields", Fault(status=503, body={"Message": "busy"}))
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "project", "entity_id": 301, "fields": [{"field_id": 4, "multi_select_values": ["Python"]}]},
    )
    assert len(sandbox.projectworks.find("PUT")) == 2
