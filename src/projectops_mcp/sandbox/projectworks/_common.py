"""Helpers for the Projectworks simulator: case-insensitive query binding (as ASP.NET does), paging, errors."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

DEFAULT_PAGE_SIZE = 100


def query(request: Request) -> dict[str, str]:
    """Query parameters with lower-cased names: the real API binds names case-insensitively."""
    return {k.lower(): v for k, v in request.query_params.items()}


def page_of(records: list[dict[str, Any]], q: dict[str, str]) -> list[dict[str, Any]]:
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
    request: Request, records: Iterable[dict[str, Any]], filters: dict[str, str], after: tuple[str, str] | None = None
) -> Response:
    q = query(request)
    selected = [r for r in records if matches(r, q, filters) and modified_since(r, q)]
    if after is not None:
        param, key = after
        if q.get(param):
            selected = [r for r in selected if (r.get(key) or 0) > int(q[param])]
    return JSONResponse(page_of(selected, q))


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


def invalid(problems: Mapping[str, str]) -> Response:
    """ASP.NET Web API's model-state error shape."""
    return JSONResponse(
        {"Message": "The request is invalid.", "ModelState": {k: [v] for k, v in problems.items()}}, status_code=400
    )


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
    return invalid(problems) if problems else None


def check_query(request: Request, int_params: tuple[str, ...]) -> Response | None:
    q = query(request)
    bad = {name: f"The value '{q[name]}' is not valid." for name in int_params if name in q and not q[name].isdigit()}
    return invalid(bad) if bad else None


def parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def with_custom_fields(record: dict[str, Any], request: Request) -> dict[str, Any]:
    """The record as read: `CustomFields` only when IncludeCustomFields is true (names bound case-insensitively)."""
    out = {k: v for k, v in record.items() if k != "CustomFields"}
    if query(request).get("includecustomfields", "").lower() == "true":
        out["CustomFields"] = copy.deepcopy(record.get("CustomFields", []))
    return out


def pascal(key: str) -> str:
    """camelCase body key -> PascalCase record key (officeID -> OfficeID)."""
    return key[:1].upper() + key[1:]


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
