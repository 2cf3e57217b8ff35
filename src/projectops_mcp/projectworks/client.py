"""ProjectworksClient: base URL, Basic auth (consumer key:secret), PascalCase query names, camelCase bodies,
bare-array lists paged with `page`/`pageSize` (the per-account reference cache is `BackendClient.cached`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from projectops_mcp.http import BackendClient

DEFAULT_PAGE_SIZE = 50


class ProjectworksClient(BackendClient):
    backend = "Projectworks"
    credentials_hint = (
        "Check PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET: they must be an API account's Consumer "
        "Key and Secret (Admin > Integrations > API Accounts), not a normal login."
    )
    # Autohive sends Content-Type on every request, GET and DELETE included; we keep the same wire shape.
    send_content_type_always = True

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return (await self.request("GET", path, params=params)).data

    async def get_one(
        self, path: str, params: Mapping[str, Any] | None = None, *, what: str = "a record"
    ) -> dict[str, Any]:
        """A single record; some endpoints (GET /ExpenseClaims/{id}) answer with a one-element array. An answer
        without one (no object, or no id) is a contract error, never an empty record."""
        return self.record(await self.request("GET", path, params=params), what=what)

    async def list(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of a list endpoint. Returns (records, has_more); a full page means there may be more."""
        query = {**(params or {}), "page": page, "pageSize": page_size}
        records = self.list_of(await self.request("GET", path, params=query), "data")
        return records, len(records) >= page_size

    async def scan(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int = 200,
        max_pages: int = 10,
        on_page: Callable[[int, int], Awaitable[None]] | None = None,
    ):
        """Yield records page by page until a short page or `max_pages`; `on_page(page, seen)` reports progress."""
        seen = 0
        for page in range(1, max_pages + 1):
            records, has_more = await self.list(path, params, page=page, page_size=page_size)
            seen += len(records)
            if on_page is not None:
                await on_page(page, seen)
            for record in records:
                yield record
            if not has_more:
                return

    async def post(self, path: str, body: Any) -> Any:
        return (await self.request("POST", path, json_body=body)).data

    async def patch(self, path: str, body: Any) -> Any:
        return (await self.request("PATCH", path, json_body=body)).data

    async def put(
        self, path: str, body: Any, params: Mapping[str, Any] | None = None, *, idempotent: bool = True
    ) -> Any:
        return (await self.request("PUT", path, json_body=body, params=params, idempotent=idempotent)).data

    async def delete(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return (await self.request("DELETE", path, params=params)).data


def as_records(data: Any) -> list[dict[str, Any]]:
    """Lists are bare JSON arrays; tolerate an envelope ({data|items|results: [...]}) just in case."""
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    if isinstance(data, dict):
        for key in ("data", "items", "results", "Items", "Data"):
            if isinstance(data.get(key), list):
                return [r for r in data[key] if isinstance(r, dict)]
    return []


def pick(record: Mapping[str, Any], *keys: str) -> Any:
    """First present, non-null value among several spellings (PascalCase live, camelCase in some docs)."""
    for key in keys:
        if key in record and record[key] is not None:
            return record[key]
    lowered = {k.lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value is not None:
            return value
    return None
