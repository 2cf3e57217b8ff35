"""Custom field values: `PUT /{Clients|Projects|Modules|Tasks|Users}/{id}/Fields` with a BARE JSON array body.

Values are stored on the entity record's `CustomFields` list (shown by the list endpoints with
IncludeCustomFields=true). Field ids are checked against the account's definitions (`_demo`), which the API does
not expose; an unknown entity is a 404.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import check_body, error, invalid_model, not_found, schema_of
from projectops_mcp.sandbox.simulator import Simulator, json_response, read_json

# path segment -> (store table, record name in messages)
ENTITIES = {
    "Clients": ("clients", "Client"),
    "Projects": ("projects", "Project"),
    "Modules": ("modules", "Module"),
    "Tasks": ("tasks", "Task"),
    "Users": ("users", "User"),
}
ITEM_KEYS = {"value": "str", "multiSelectValues": "str[]"}


def refusal(item: Any, segment: str) -> Response | None:
    """The 400 an account configured like `_demo` answers to one array item, or None when it is accepted.
    Shape errors come back as ASP.NET model state; rule violations as a plain {"Message"}."""
    if check_body(item, schema_of({"fieldID": "int"}, ITEM_KEYS)) is not None:
        return invalid_model({"fieldID": "Each item needs an integer fieldID and only value or multiSelectValues."})
    field_id = item["fieldID"]
    definition = next(
        (d for d in _demo.CUSTOM_FIELD_DEFINITIONS if d["FieldID"] == field_id and d["EntityType"] == segment), None
    )
    if definition is None:
        return error(400, f"Custom field {field_id} does not exist for {segment}.")
    if definition["Type"] == "MultiSelect":
        chosen = item.get("multiSelectValues")
        if chosen is None or item.get("value") is not None:
            return error(400, f"Custom field {field_id} is multi-select: send multiSelectValues.")
        unknown = [c for c in chosen if c not in definition["Options"]]
        if unknown:
            return error(400, f"Not options of custom field {field_id}: {', '.join(unknown)}.")
    elif item.get("multiSelectValues") is not None or "value" not in item:
        return error(400, f"Custom field {field_id} is a text field: send value.")
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def make_handler(segment: str):
        table, noun = ENTITIES[segment]

        async def put_fields(request: Request):
            record = store.table(table).get(request.path_params["entity_id"])
            if record is None:
                return not_found(noun, request.path_params["entity_id"])
            body = await read_json(request)
            if not isinstance(body, list):
                return invalid_model({"fields": "A JSON array of {fieldID, value | multiSelectValues} is required."})
            for item in body:
                refused = refusal(item, segment)
                if refused is not None:
                    return refused
            values = record.setdefault("CustomFields", [])
            for item in body:
                definition = next(d for d in _demo.CUSTOM_FIELD_DEFINITIONS if d["FieldID"] == item["fieldID"])
                stored = next((v for v in values if v["FieldID"] == item["fieldID"]), None)
                if stored is None:
                    stored = {"FieldID": item["fieldID"], "Name": definition["Name"]}
                    values.append(stored)
                stored.update(Value=item.get("value"), MultiSelectValues=item.get("multiSelectValues"))
            return json_response(values)

        return put_fields

    return [
        Route(f"/{segment}/{{entity_id:int}}/Fields", make_handler(segment), methods=["PUT"]) for segment in ENTITIES
    ]
