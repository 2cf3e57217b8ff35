"""Helpers for the Teamwork simulator: v1/v3 envelopes and paging, value encodings, error bodies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


def v1_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def v1_date(iso: str | None) -> str:
    return iso.replace("-", "")[:8] if iso else ""


def v3_page(request: Request, key: str, records: list[dict[str, Any]], included: dict | None = None) -> Response:
    q = request.query_params
    try:
        page = max(1, int(q.get("page", "1")))
        size = int(q.get("pageSize", "50"))
    except ValueError:
        return v3_error(400, "page and pageSize must be integers")
    if size > 500 or size < 1:
        return v3_error(400, "pageSize must be between 1 and 500")
    chunk = records[(page - 1) * size : page * size]
    has_more = page * size < len(records)
    meta = {"page": {"pageOffset": page - 1, "pageSize": size, "count": len(records), "hasMore": has_more}}
    return JSONResponse({key: chunk, "meta": meta, "included": included or {}})


def v1_page(request: Request, key: str, records: list[dict[str, Any]], default_size: int = 50) -> Response:
    q = request.query_params
    try:
        page = max(1, int(q.get("page", "1")))
        size = max(1, int(q.get("pageSize", str(default_size))))
    except ValueError:
        return v1_error(400, "page and pageSize must be integers")
    chunk = records[(page - 1) * size : page * size]
    pages = max(1, -(-len(records) // size))
    headers = {"X-Page": str(page), "X-Pages": str(pages), "X-Records": str(len(records))}
    return JSONResponse({"STATUS": "OK", key: chunk}, headers=headers)


def v1_ok(status: int = 200, **extra: Any) -> Response:
    headers = {"id": str(extra["id"])} if status == 201 and "id" in extra else None
    return JSONResponse({"STATUS": "OK", **extra}, status_code=status, headers=headers)


def v1_error(status: int, message: str) -> Response:
    return JSONResponse({"MESSAGE": message, "STATUS": "Error"}, status_code=status)


def v3_error(status: int, detail: str, title: str = "Bad Request") -> Response:
    return JSONResponse(
        {"errors": [{"id": "", "code": "", "title": title, "detail": detail, "meta": {}}]}, status_code=status
    )


def v3_not_found() -> Response:
    return Response(b"", status_code=404)


def ids_param(request: Request, name: str) -> list[int]:
    raw = request.query_params.get(name, "")
    out = []
    for part in raw.split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            out.append(int(part))
    return out


def person_name(store, person_id: int) -> tuple[str, str]:
    person = store.table("people").get(person_id)
    return (person["firstName"], person["lastName"]) if person else ("", "")
