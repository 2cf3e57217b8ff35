"""Helpers every Teamwork resource simulator shares: v1/v3 envelopes and paging, value encodings, error bodies, the
v1 body readers (a missing wrapper is a 422 "could not read the submitted JSON", an unknown key or a malformed value
a 400 with Teamwork's v1 error body) and lookups of live records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from projectops_mcp.sandbox.simulator import Store, read_json
from projectops_mcp.sandbox.teamwork import _demo


def v1_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def v1_date(iso: str | None) -> str:
    return iso.replace("-", "")[:8] if iso else ""


def v3_page(
    request: Request,
    key: str,
    records: list[dict[str, Any]],
    included: dict | None = None,
    render: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """One page of `records`; `render` (stored record -> wire record) runs on that page only, which keeps a list
    of the scaled agency's thousands of records cheap."""
    q = request.query_params
    try:
        page = max(1, int(q.get("page", "1")))
        size = int(q.get("pageSize", "50"))
    except ValueError:
        return v3_error(400, "page and pageSize must be integers")
    if size > 500 or size < 1:
        return v3_error(400, "pageSize must be between 1 and 500")
    chunk = records[(page - 1) * size : page * size]
    if render is not None:
        chunk = [render(r) for r in chunk]
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


# -- v1 body readers ----------------------------------------------------------------------------------------------


class Invalid(Exception):
    """A v1 body problem; `response` is what Teamwork answers."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.response = v1_error(status, message)


async def v1_body(request: Request, wrapper: str, allowed: frozenset[str]) -> dict[str, Any]:
    """The object under `wrapper`; raises Invalid for a missing wrapper (422) or an unknown key (400)."""
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get(wrapper), dict):
        raise Invalid(f"Could not read the submitted JSON: expected a '{wrapper}' object", 422)
    inner = body[wrapper]
    unknown = sorted(set(inner) - allowed)
    if unknown:
        raise Invalid(f"Unknown field '{unknown[0]}' in '{wrapper}'")
    return inner


def as_int(value: Any, key: str) -> int | None:
    """A v1 id: number or numeric string; '' / None = none."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid(f"{key} must be an id")
    text = str(value).strip()
    if not text.lstrip("-").isdigit():
        raise Invalid(f"{key} must be an id")
    return int(text)


def as_ids(value: Any, key: str) -> list[int]:
    """A v1 id list: JSON array or comma string."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    out = [as_int(item, key) for item in items if str(item).strip() != ""]
    return [i for i in out if i is not None]


def as_v1_date(value: Any, key: str) -> str | None:
    """`YYYYMMDD` to ISO; '' clears. Anything else (an ISO date included) is refused as v1 does."""
    if value in (None, ""):
        return None
    text = str(value)
    if len(text) == 8 and text.isdigit():
        try:
            return datetime.strptime(text, "%Y%m%d").date().isoformat()
        except ValueError:
            pass
    raise Invalid(f"{key} must be a date in YYYYMMDD format")


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_flag(value: Any, key: str) -> bool:
    if value in (True, 1, "1", "true", "yes"):
        return True
    if value in (False, 0, "0", "false", "no"):
        return False
    raise Invalid(f"{key} must be 1 or 0")


def require_people(store: Store, ids: list[int], key: str) -> None:
    for person_id in ids:
        if person_id not in store.table("people"):
            raise Invalid(f"{key}: user {person_id} does not exist")


def require_tags(store: Store, ids: list[int], key: str) -> None:
    for tag_id in ids:
        if tag_id not in store.table("tags"):
            raise Invalid(f"{key}: tag {tag_id} does not exist")


# -- live records ---------------------------------------------------------------------------------------------------


def live_project(store: Store, project_id: int) -> dict | None:
    project = store.table("projects").get(project_id)
    return project if project and project.get("status") != "deleted" else None


_DEMO_TABLES = {
    "projects": _demo.PROJECTS,
    "companies": _demo.COMPANIES,
    "tasks": _demo.TASKS,
    "people": _demo.PEOPLE,
    "tags": _demo.TAGS,
}


def exists(store: Store, table: str, record_id: Any) -> bool:
    """Whether a live record exists; the demo list stands in while the owning module has not seeded its table."""
    rows = store.table(table)
    if not rows:
        return any(r["id"] == record_id for r in _DEMO_TABLES.get(table, []))
    record = rows.get(record_id) if isinstance(record_id, int) and not isinstance(record_id, bool) else None
    return record is not None and not record.get("deleted") and record.get("status") != "deleted"
