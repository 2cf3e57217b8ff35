"""Helpers every Projectworks resource simulator shares: case-insensitive query binding (as ASP.NET does), paging and
filters, ASP.NET-style errors and body checks, and writing camelCase bodies onto PascalCase records."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from projectops_mcp.sandbox.simulator import Store, read_json

DEFAULT_PAGE_SIZE = 100


def query(request: Request) -> dict[str, str]:
    """Query parameters with lower-cased names: the real API binds names case-insensitively."""
    return {k.lower(): v for k, v in request.query_params.items()}


def page_slice(records: list[dict[str, Any]], q: dict[str, str]) -> list[dict[str, Any]]:
    try:
        page = max(1, int(q.get("page", "1")))
        size = max(1, int(q.get("pagesize", str(DEFAULT_PAGE_SIZE))))
    except ValueError:
        return []
    return records[(page - 1) * size : page * size]


def matches(record: dict[str, Any], q: dict[str, str], filters: dict[str, str]) -> bool:
    """filters maps a lower-cased query name to the record key it compares with (exact match, like the API)."""
    for param, key in filters.items():
        if param not in q or q[param] == "":
            continue
        wanted, actual = q[param], record.get(key)
        if isinstance(actual, bool):
            if actual != (wanted.lower() == "true"):
                return False
        elif isinstance(actual, list):
            if wanted not in [str(a) for a in actual]:
                return False
        elif str(actual) != wanted:
            return False
    return True


def modified_since(record: dict[str, Any], q: dict[str, str]) -> bool:
    since = q.get("modifiedsincedate")
    return not since or str(record.get("ModifiedDateUTC", "")) >= since[:19]


def list_response(
    request: Request,
    records: Iterable[dict[str, Any]],
    filters: dict[str, str],
    after: tuple[str, str] | None = None,
    render: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """The page of `records` the query selects; `render` (stored record -> wire record) runs on that page only."""
    q = query(request)
    selected = [r for r in records if matches(r, q, filters) and modified_since(r, q)]
    if after is not None:
        param, key = after
        if q.get(param):
            selected = [r for r in selected if (r.get(key) or 0) > int(q[param])]
    chunk = page_slice(selected, q)
    return JSONResponse([render(r) for r in chunk] if render is not None else chunk)


def error(status: int, message: str) -> Response:
    return JSONResponse({"Message": message}, status_code=status)


def not_found(kind: str, record_id: Any) -> Response:
    return error(404, f"{kind} {record_id} not found")


def bad_body() -> Response:
    return error(400, "The request is invalid: the body must be a JSON object.")


# ---------------------------------------------------------------------------------------------------------------
# Request validation, the way ASP.NET model binding answers: 400 {"Message", "ModelState"}
# ---------------------------------------------------------------------------------------------------------------

# Body schemas: key -> (type tag, required). Type tags: str, int, num, bool, date, list, str[].
Schema = Mapping[str, tuple[str, bool]]


def schema_of(required: Mapping[str, str], optional: Mapping[str, str]) -> Schema:
    """A Schema from two {key: type tag} maps."""
    return {**{k: (t, False) for k, t in optional.items()}, **{k: (t, True) for k, t in required.items()}}


def _type_ok(tag: str, value: Any) -> bool:
    if value is None:
        return True  # JSON null binds to a nullable property
    if tag == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if tag in ("num", "number"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tag == "date":
        return isinstance(value, str) and parse_day(value) is not None
    if tag == "str[]":
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    return isinstance(value, {"str": str, "bool": bool, "list": list}[tag])


def invalid_model(problems: Mapping[str, str], message: str = "The request is invalid.") -> Response:
    """ASP.NET Web API's model-state 400: {"Message", "ModelState": {field: [problem]}}, for a body or query that
    does not bind (wrong type, unknown or missing key)."""
    return JSONResponse({"Message": message, "ModelState": {k: [v] for k, v in problems.items()}}, status_code=400)


def invalid_field(field: str, problem: str) -> Response:
    """A 400 for one field that bound but breaks a business rule (a missing reference, a value out of range), as a
    model validator answers: the problem is repeated in the message."""
    return invalid_model({field: problem}, f"The request is invalid. {problem}")


def check_body(body: Any, schema: Schema, *, partial: bool = False, where: str = "model") -> Response | None:
    """None when `body` is a JSON object that fits `schema` (no unknown keys, right JSON types, required keys
    present unless `partial`); otherwise the 400 the simulator answers with."""
    if not isinstance(body, dict):
        return bad_body()
    problems: dict[str, str] = {}
    for key, value in body.items():
        if key not in schema:
            problems[f"{where}.{key}"] = f"Unknown property '{key}'."
        elif not _type_ok(schema[key][0], value):
            problems[f"{where}.{key}"] = f"The value {value!r} is not valid for {key}."
    if not partial:
        for key, (_tag, required) in schema.items():
            if required and body.get(key) is None:
                problems[f"{where}.{key}"] = f"The {key} field is required."
    return invalid_model(problems) if problems else None


def check_query(request: Request, int_params: tuple[str, ...]) -> Response | None:
    q = query(request)
    bad = {name: f"The value '{q[name]}' is not valid." for name in int_params if name in q and not q[name].isdigit()}
    return invalid_model(bad) if bad else None


def parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def pascal(key: str) -> str:
    """camelCase body key -> PascalCase record key (officeID -> OfficeID)."""
    return key[:1].upper() + key[1:]


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def in_date_range(record: dict[str, Any], request: Request, key: str) -> bool:
    """StartDate (on or after) and EndDate (on or before) applied to the record's date `key`."""
    q = query(request)
    day = str(record.get(key) or "")[:10]
    start, end = q.get("startdate", "")[:10], q.get("enddate", "")[:10]
    return (not start or day >= start) and (not end or day <= end)


# ---------------------------------------------------------------------------------------------------------------
# Records as written and as shown
# ---------------------------------------------------------------------------------------------------------------

INTERNAL = ("CustomFields",)  # shown only on GET by id, or on lists with IncludeCustomFields=true


def missing_reference(store: Store, body: Mapping[str, Any], refs: Mapping[str, tuple[str, str]]) -> Response | None:
    """refs maps a body key to (store table, noun): a 400 for the first id in the body that names no record."""
    for key, (table, noun) in refs.items():
        value = body.get(key)
        if value is not None and value not in store.table(table):
            return invalid_field(f"model.{key}", f"{noun} {value} does not exist.")
    return None


def apply_body(record: dict[str, Any], body: Mapping[str, Any], renames: Mapping[str, str] | None = None) -> None:
    """Write camelCase body keys onto the PascalCase record (PATCH merges only what was sent)."""
    for key, value in body.items():
        record[(renames or {}).get(key) or pascal(key)] = value
    record["ModifiedDateUTC"] = now_utc()


def wants_custom_fields(request: Request) -> bool:
    """IncludeCustomFields=true on a list (names bound case-insensitively)."""
    return query(request).get("includecustomfields", "").lower() == "true"


def shown(record: dict[str, Any], custom_fields: bool, hidden: Iterable[str] = ()) -> dict[str, Any]:
    """The record as the API shows it: internal bookkeeping keys removed, custom fields only when asked for."""
    out = {k: copy.deepcopy(v) for k, v in record.items() if k not in INTERNAL and k not in hidden}
    if custom_fields:
        out["CustomFields"] = copy.deepcopy(record.get("CustomFields", []))
    return out


async def json_body(request: Request, schema: Schema, *, partial: bool = False) -> tuple[Any, Response | None]:
    """The request's JSON object checked against `schema`, or the 400 to answer with."""
    body = await read_json(request)
    if not isinstance(body, dict):
        return None, bad_body()
    return body, check_body(body, schema, partial=partial)


def user_name(store: Store, user_id: Any) -> str | None:
    """'First Last' of a user, as records that point at one (AccountManagerName, ProjectManagerName) show it."""
    user = store.table("users").get(user_id)
    return f"{user['FirstName']} {user['LastName']}" if user else None
