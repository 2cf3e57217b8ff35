"""Custom fields (v3): definitions, and values on tasks, projects and companies, including the task bulk update.

Values are checked the way Teamwork's Go API decodes them: a JSON number sent to a dropdown/status/multiselect field
is a 400 "cannot unmarshal number ... of type string", a choice outside the field's options a 400, a bulk update
naming a value id that is not on the task a 400. Also home of `exists()`, which the other simulators of this package
use to check references to records owned by other modules.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json, truthy
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import exists, ids_param, v3_error, v3_not_found, v3_page

TYPES = frozenset(
    {"text-short", "text-long", "number-decimal", "number-integer", "financial", "dropdown", "multiselect",
     "checkbox", "percentage", "url", "tw-url", "user", "rating", "date", "phone", "email", "status", "formula"}
)  # fmt: skip
CHOICE_TYPES = frozenset({"dropdown", "status", "multiselect"})
NUMBER_TYPES = frozenset({"number-decimal", "number-integer", "financial", "percentage", "rating"})
ENTITIES = ("project", "task", "company", "user", "all")
FIELD_KEYS = frozenset(
    {"customFieldId", "name", "type", "entity", "description", "required", "projectId", "options", "formula",
     "currencyCode", "unitId", "groupId"}
)  # fmt: skip
VALUE_KEYS = frozenset({"customfieldId", "value", "currencyCode", "countryCode", "urlTextToDisplay"})

# owner path segment -> (entity, singular wrapper, plural wrapper, table of the owning records)
OWNERS = {
    "tasks": ("task", "customfieldTask", "customfieldTasks", "tasks"),
    "projects": ("project", "customfieldProject", "customfieldProjects", "projects"),
    "companies": ("company", "customfieldCompany", "customfieldCompanies", "companies"),
}


def seed(store: Store) -> None:
    for field in _demo.CUSTOM_FIELDS:
        store.put("customfields", field["id"], copy.deepcopy(field) | {"deleted": False, "createdAt": _demo.CREATED})
    for value in _demo.CUSTOMFIELD_VALUES:
        store.put("customfield_values", value["id"], copy.deepcopy(value) | {"createdAt": _demo.CREATED})


def v3_field(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f["id"],
        "projectId": f.get("projectId"),
        "project": {"id": f["projectId"], "type": "projects"} if f.get("projectId") else None,
        "entity": f["entity"],
        "name": f["name"],
        "description": f.get("description", ""),
        "type": f["type"],
        "options": f.get("options"),
        "formula": "",
        "visibilities": [],
        "isPrivate": False,
        "required": f.get("required", False),
        "createdAt": f.get("createdAt"),
        "createdByUserId": _demo.ME_ID,
        "updatedAt": f.get("updatedAt"),
        "deleted": f.get("deleted", False),
        "groupId": None,
        "unitId": None,
    }


def v3_value(v: dict[str, Any]) -> dict[str, Any]:
    entity = OWNERS[v["owner"]][0]
    return {
        "id": v["id"],
        "customfieldId": v["customfieldId"],
        "customfield": {"id": v["customfieldId"], "type": "customfields"},
        entity: {"id": v["ownerId"], "type": v["owner"]},
        f"{entity}Id": v["ownerId"],
        "value": v["value"],
        "currencySymbol": "",
        "countryCode": v.get("countryCode", ""),
        "urlTextToDisplay": v.get("urlTextToDisplay", ""),
        "createdBy": _demo.ME_ID,
        "createdAt": v.get("createdAt"),
        "updatedBy": _demo.ME_ID if v.get("updatedAt") else None,
        "updatedAt": v.get("updatedAt"),
    }


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def value_problem(field: dict[str, Any], value: Any) -> str | None:
    """Why the API would refuse this value for this field, or None. Messages follow Go's JSON decoder."""
    kind = field["type"]
    if kind in CHOICE_TYPES:
        items = value if kind == "multiselect" and isinstance(value, list) else [value]
        wanted = "[]string" if kind == "multiselect" else "string"
        for item in items:
            if not isinstance(item, str):
                return f"json: cannot unmarshal {_go_type(item)} into Go value of type {wanted}"
        allowed = [c["value"] for c in (field.get("options") or {}).get("choices", [])]
        bad = [i for i in items if i not in allowed]
        return f"invalid option '{bad[0]}' for custom field {field['id']}" if bad else None
    if kind == "checkbox":
        return (
            None if isinstance(value, bool) else f"json: cannot unmarshal {_go_type(value)} into Go value of type bool"
        )
    if kind in NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"json: cannot unmarshal {_go_type(value)} into Go value of type float64"
        if kind == "number-integer" and not float(value).is_integer():
            return "value must be a whole number"
        return None
    if kind == "date":
        try:
            date.fromisoformat(str(value) if isinstance(value, str) else "")
        except ValueError:
            return "value must be a date as YYYY-MM-DD"
        return None
    if kind in ("user", "formula"):
        return None
    return None if isinstance(value, str) else f"json: cannot unmarshal {_go_type(value)} into Go value of type string"


def _wrapped(body: Any, key: str) -> dict[str, Any] | None:
    return body.get(key) if isinstance(body, dict) and isinstance(body.get(key), dict) else None


def _apply_field(store: Store, field: dict[str, Any], body: dict[str, Any]) -> str | None:
    """Apply a `customfield` body to a definition; returns an error message or None."""
    unknown = sorted(set(body) - FIELD_KEYS)
    if unknown:
        return f"unknown field '{unknown[0]}'"
    for key in ("name", "type", "entity", "description", "required", "projectId", "options"):
        if key in body:
            field[key] = body[key]
    if not isinstance(field.get("name"), str) or not field["name"].strip():
        return "name is required"
    if field.get("type") not in TYPES:
        return f"unknown custom field type '{field.get('type')}'"
    if field.get("entity") not in ENTITIES:
        return f"unknown entity '{field.get('entity')}'"
    if field.get("projectId") is not None and not exists(store, "projects", field["projectId"]):
        return f"project {field['projectId']} not found"
    if not isinstance(field.get("required", False), bool):
        return "json: cannot unmarshal into Go value of type bool"
    if field["type"] in CHOICE_TYPES:
        choices = (field.get("options") or {}).get("choices") if isinstance(field.get("options"), dict) else None
        if not choices or not all(isinstance(c, dict) and isinstance(c.get("value"), str) for c in choices):
            return "options.choices with string values are required for this field type"
    clash = [
        f
        for f in store.table("customfields").values()
        if f["id"] != field.get("id") and not f.get("deleted") and f["name"] == field["name"]
        if f["entity"] == field["entity"] and f.get("projectId") == field.get("projectId")
    ]
    return f"a custom field named '{field['name']}' already exists" if clash else None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store  # tables are looked up per request: a reset swaps them

    def live_field(field_id: Any) -> dict[str, Any] | None:
        field = store.table("customfields").get(field_id) if isinstance(field_id, int) else None
        return field if field and not field.get("deleted") else None

    async def list_fields(request: Request) -> Response:
        q = request.query_params
        entities = [e for e in q.get("entities", "").split(",") if e]
        if any(e not in ENTITIES for e in entities):
            return v3_error(400, f"unknown entity in entities: {q['entities']}")
        rows = [f for f in store.table("customfields").values() if truthy(q.get("showDeleted")) or not f["deleted"]]
        if entities and "all" not in entities:
            rows = [f for f in rows if f["entity"] in entities]
        if ids := ids_param(request, "ids"):
            rows = [f for f in rows if f["id"] in ids]
        if ids := ids_param(request, "projectIds"):
            rows = [f for f in rows if f.get("projectId") in ids]
        if q.get("searchTerm"):
            rows = [f for f in rows if q["searchTerm"].lower() in f["name"].lower()]
        return v3_page(request, "customfields", [v3_field(f) for f in rows])

    async def get_field(request: Request) -> Response:
        field = store.table("customfields").get(request.path_params["field_id"])
        if field is None:
            return v3_not_found()
        return json_response({"customfield": v3_field(field)})

    async def create_field(request: Request) -> Response:
        body = _wrapped(await read_json(request), "customfield")
        if body is None:
            return v3_error(400, "expected a 'customfield' object")
        field = {"id": store.new_id("customfields", 2900), "deleted": False, "createdAt": _demo.CREATED}
        for key in ("name", "type", "entity"):
            if key not in body:
                return v3_error(400, f"{key} is required")
        if "customFieldId" in body:
            return v3_error(400, "customFieldId cannot be set on create")
        problem = _apply_field(store, field, body)
        if problem:
            return v3_error(409 if "already exists" in problem else 400, problem)
        store.put("customfields", field["id"], field)
        return json_response({"customfield": v3_field(field)}, status=201)

    async def update_field(request: Request) -> Response:
        field = live_field(request.path_params["field_id"])
        if field is None:
            return v3_not_found()
        body = _wrapped(await read_json(request), "customfield")
        if body is None:
            return v3_error(400, "expected a 'customfield' object")
        if "entity" in body or "customFieldId" in body:  # the SDK's update request has neither key
            return v3_error(400, "entity and customFieldId cannot be changed on update")
        if "type" in body and body["type"] != field["type"]:
            return v3_error(400, "the type of a custom field cannot be changed")
        updated = copy.deepcopy(field)
        problem = _apply_field(store, updated, body)
        if problem:
            return v3_error(409 if "already exists" in problem else 400, problem)
        field.update(updated, updatedAt="2026-11-20T10:00:00Z")
        return json_response({"customfield": v3_field(field)})

    async def delete_field(request: Request) -> Response:
        field = live_field(request.path_params["field_id"])
        if field is None:
            return v3_not_found()
        field["deleted"] = True
        return empty_response(204)

    def owner_of(request: Request) -> tuple[str, int] | None:
        owner, owner_id = request.path_params["owner"], request.path_params["owner_id"]
        if owner not in OWNERS or not exists(store, OWNERS[owner][3], owner_id):
            return None
        return owner, owner_id

    def entries(owner: str, owner_id: int) -> list[dict[str, Any]]:
        return [
            v
            for v in store.table("customfield_values").values()
            if v["owner"] == owner and v["ownerId"] == owner_id and live_field(v["customfieldId"])
        ]

    def check_value(owner: str, item: dict[str, Any]) -> str | None:
        unknown = sorted(set(item) - VALUE_KEYS - {"id"})
        if unknown:
            return f"unknown field '{unknown[0]}'"
        field = live_field(item.get("customfieldId"))
        if field is None:
            return f"custom field {item.get('customfieldId')} not found"
        if field["entity"] not in (OWNERS[owner][0], "all"):
            return f"custom field {field['id']} is not a {OWNERS[owner][0]} field"
        if "value" not in item:
            return "value is required"
        return value_problem(field, item["value"])

    async def list_values(request: Request) -> Response:
        found = owner_of(request)
        if found is None:
            return v3_not_found()
        rows = entries(*found)
        if ids := ids_param(request, "customFieldIds"):
            rows = [v for v in rows if v["customfieldId"] in ids]
        return v3_page(request, OWNERS[found[0]][2], [v3_value(v) for v in rows])

    async def add_value(request: Request) -> Response:
        found = owner_of(request)
        if found is None:
            return v3_not_found()
        owner, owner_id = found
        item = _wrapped(await read_json(request), OWNERS[owner][1])
        if item is None:
            return v3_error(400, f"expected a '{OWNERS[owner][1]}' object")
        problem = check_value(owner, item)
        if problem:
            return v3_error(400, problem)
        if any(v["customfieldId"] == item["customfieldId"] for v in entries(owner, owner_id)):
            return v3_error(409, "this custom field already has a value here; update it instead", "Conflict")
        value = {
            "id": store.new_id("customfield_values", 79000),
            "customfieldId": item["customfieldId"],
            "owner": owner,
            "ownerId": owner_id,
            "value": item["value"],
            "urlTextToDisplay": item.get("urlTextToDisplay", ""),
            "createdAt": "2026-11-20T10:00:00Z",
        }
        store.put("customfield_values", value["id"], value)
        return json_response({OWNERS[owner][1]: v3_value(value)}, status=201)

    async def update_value(request: Request) -> Response:
        found = owner_of(request)
        if found is None:
            return v3_not_found()
        owner, owner_id = found
        value = store.table("customfield_values").get(request.path_params["value_id"])
        if value is None or (value["owner"], value["ownerId"]) != (owner, owner_id):
            return v3_not_found()
        item = _wrapped(await read_json(request), OWNERS[owner][1])
        if item is None:
            return v3_error(400, f"expected a '{OWNERS[owner][1]}' object")
        if "customfieldId" not in item:
            return v3_error(400, "customfieldId is required")
        if item["customfieldId"] != value["customfieldId"]:
            return v3_error(400, "customfieldId does not match this value")
        problem = check_value(owner, item)
        if problem:
            return v3_error(400, problem)
        value.update(value=item["value"], updatedAt="2026-11-20T10:00:00Z")
        if "urlTextToDisplay" in item:
            value["urlTextToDisplay"] = item["urlTextToDisplay"]
        return json_response({OWNERS[owner][1]: v3_value(value)})

    async def bulk_update(request: Request) -> Response:
        task_id = request.path_params["task_id"]
        if not exists(store, "tasks", task_id):
            return v3_not_found()
        body = await read_json(request)
        items = body.get("customfieldTasks") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            return v3_error(400, "expected a non-empty 'customfieldTasks' array")
        mine = {v["id"]: v for v in entries("tasks", task_id)}
        for i, item in enumerate(items):
            entry = mine.get(item.get("id"))
            if entry is None:
                return v3_error(400, f"customfieldTasks[{i}]: value {item.get('id')} does not exist on task {task_id}")
            if item.get("customfieldId") != entry["customfieldId"]:
                return v3_error(400, f"customfieldTasks[{i}]: customfieldId does not match value {entry['id']}")
            problem = check_value("tasks", item)
            if problem:
                return v3_error(400, f"customfieldTasks[{i}]: {problem}")
        for item in items:  # all checked first: the update is all or nothing
            mine[item["id"]].update(value=item["value"], updatedAt="2026-11-20T10:00:00Z")
        result = [v3_value(mine[item["id"]]) for item in items]
        return json_response({"customfieldTasks": result, "meta": {}, "included": {}})

    base = "/projects/api/v3"
    owner_path = base + "/{owner:str}/{owner_id:int}/customfields"
    return [
        Route(f"{base}/customfields.json", list_fields, methods=["GET"]),
        Route(f"{base}/customfields.json", create_field, methods=["POST"]),
        Route(base + "/customfields/{field_id:int}.json", get_field, methods=["GET"]),
        Route(base + "/customfields/{field_id:int}.json", update_field, methods=["PATCH", "PUT"]),
        Route(base + "/customfields/{field_id:int}.json", delete_field, methods=["DELETE"]),
        Route(base + "/tasks/{task_id:int}/customfields/bulk/update.json", bulk_update, methods=["POST"]),
        Route(owner_path + ".json", list_values, methods=["GET"]),
        Route(owner_path + ".json", add_value, methods=["POST"]),
        Route(owner_path + "/{value_id:int}.json", update_value, methods=["PATCH"]),
    ]
