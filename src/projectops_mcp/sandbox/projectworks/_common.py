"""Helpers for the Projectworks simulator: case-insensitive query binding (as ASP.NET does), paging, errors."""

from __future__ import annotations

from collections.abc import Iterable
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
