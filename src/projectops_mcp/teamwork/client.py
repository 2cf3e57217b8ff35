"""TeamworkClient: the site URL, API-key Basic auth or a Bearer token, v1 (`/x.json`) and v3
(`/projects/api/v3/x.json`) paths, both pagination styles, and Teamwork's rate-limit dialect.

v1 responses carry string ids, `"0"/"1"` booleans and `YYYYMMDD` dates; the `v1_*` converters below turn them into
proper types so that no tool ever shows them to (or asks them of) an agent.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date
from typing import Any

import httpx2

from projectops_mcp.calls import current_call
from projectops_mcp.errors import UpstreamError
from projectops_mcp.http import BackendClient, OutgoingRequest

V3 = "/projects/api/v3"
JOBROLES_HEADER = "Jobroles-Enabled"


class TeamworkClient(BackendClient):
    backend = "Teamwork"
    credentials_hint = (
        "Check TEAMWORK_SITE_URL and TEAMWORK_API_KEY (Profile > Edit my details > API) or TEAMWORK_BEARER_TOKEN."
    )

    # The SDK's header on every request; without it Teamwork ignores job-role assignees (reference §1.2).
    default_headers = {JOBROLES_HEADER: "true"}

    # -- Teamwork's rate-limit dialect ----------------------------------------------------------------------------

    def is_rate_limited(self, response: httpx2.Response) -> bool:
        """429, or the v1 habit of a 400 with X-RateLimit-Remaining: 0."""
        if response.status_code == 429:
            return True
        return response.status_code == 400 and response.headers.get("X-RateLimit-Remaining", "").strip() == "0"

    def retry_wait(self, response: httpx2.Response, attempt: int) -> float:
        if response.headers.get("Retry-After"):
            return super().retry_wait(response, attempt)
        reset = response.headers.get("X-RateLimit-Reset")
        if reset and self.is_rate_limited(response):
            try:
                value = float(reset)
            except ValueError:
                value = -1
            if value > 1e9:  # an epoch timestamp
                return max(0.0, min(60.0, value - time.time()))
            if value >= 0:  # seconds until the window resets
                return min(60.0, value)
        return super().retry_wait(response, attempt)

    # -- verbs --------------------------------------------------------------------------------------------------

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.object_of(await self.request("GET", path, params=params))

    async def post(self, path: str, body: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        return self.object_of(await self.request("POST", path, json_body=body, params=params))

    async def put(self, path: str, body: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        return self.object_of(await self.request("PUT", path, json_body=body, params=params))

    async def patch(self, path: str, body: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        return self.object_of(await self.request("PATCH", path, json_body=body, params=params))

    async def delete(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.object_of(await self.request("DELETE", path, params=params))

    async def one(
        self, method: str, path: str, *keys: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The one record a v1/v3 answer holds under `keys` (e.g. "task"); an answer without a usable record is an
        upstream-contract error, never an empty or made-up record."""
        answer = await self.request(method, path, json_body=body, params=params)
        return self.record(answer, *keys, what=f"a {keys[0] if keys else 'single'} record")

    async def put_upload(self, url: str, content: bytes, content_type: str) -> None:
        """PUT a file's bytes to the pre-signed storage URL Teamwork handed out (reference §6.18), as the SDK does:
        exact Content-Length, `X-Amz-Acl` when the URL signs it, and none of Teamwork's credentials. Only https URLs
        (or this site's own origin, as the simulator serves) are accepted. Never retried: the URL is single-use."""
        target = httpx2.URL(url)
        if target.scheme != "https" and not url.startswith(self.base_url + "/"):
            raise UpstreamError(
                "Teamwork handed out an upload URL that is not https; nothing was uploaded.", backend=self.backend
            )
        headers = {"Content-Type": content_type}
        if "x-amz-acl" in target.params.get("X-Amz-SignedHeaders", "").lower().split(";"):
            headers["X-Amz-Acl"] = "public-read"
        call = current_call.get()
        if call is not None and call.request_hook is not None:  # the write gate: previews, journal, confirmation
            bare = str(target.copy_with(query=None))
            await call.request_hook(
                self, OutgoingRequest("PUT", bare, target.path, list(target.params.multi_items()), None)
            )
        try:
            response = await self._http.put(url, content=content, headers=headers, timeout=self._timeout)
        except httpx2.HTTPError as exc:
            raise UpstreamError(
                f"The file upload to Teamwork's storage failed ({type(exc).__name__}); the file was not attached.",
                backend=self.backend,
            ) from None
        if not 200 <= response.status_code < 300:
            raise UpstreamError(
                f"Teamwork's storage refused the upload with HTTP {response.status_code}; the file was not attached.",
                backend=self.backend,
                status=response.status_code,
            )

    # -- pagination ---------------------------------------------------------------------------------------------

    async def v3_list(
        self, path: str, key: str, params: Mapping[str, Any] | None = None, *, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], bool, int | None, dict[str, Any]]:
        """One page of a v3 list: (records, has_more from meta.page.hasMore, meta.page.count on every page when
        given, included). Teamwork computes an exact count unless told `skipCounts=true` (SDK list.go)."""
        query = {**(params or {}), "page": page, "pageSize": page_size}
        answer = await self.request("GET", V3 + path, params=query)
        data = answer.data if isinstance(answer.data, dict) else {}
        # A v3 list answer always has `meta`; with it, a missing `key` means no records (a count-only request).
        records = [] if key not in data and isinstance(data.get("meta"), dict) else self.list_of(answer, key)
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        meta = meta.get("page") if isinstance(meta.get("page"), dict) else {}
        has_more = bool(meta.get("hasMore", len(records) >= page_size))
        count = v1_int(meta.get("count"))
        included = data.get("included")
        return records, has_more, count, included if isinstance(included, dict) else {}

    async def v1_list(
        self, path: str, key: str, params: Mapping[str, Any] | None = None, *, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], bool, int | None]:
        """One page of a v1 list: (records, has_more from X-Page/X-Pages, total from X-Records)."""
        query = {**(params or {}), "page": page, "pageSize": page_size}
        response = await self.request("GET", path, params=query)
        records = self.list_of(response, key)
        pages = v1_int(response.headers.get("X-Pages"))
        current = v1_int(response.headers.get("X-Page")) or page
        total = v1_int(response.headers.get("X-Records"))
        has_more = current < pages if pages is not None else len(records) >= page_size
        return records, has_more, total


# -- v1 value converters ---------------------------------------------------------------------------------------


def v1_int(value: Any) -> int | None:
    """A v1 id or count: number, numeric string, or '' (= none)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        text = str(value).strip()
        return int(float(text)) if text else None
    except ValueError:
        return None


def v1_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes")


def v1_date(value: Any) -> str | None:
    """`YYYYMMDD` (or an ISO date/date-time) to `YYYY-MM-DD`; '' to None."""
    if not value:
        return None
    text = str(value).strip()
    if len(text) >= 8 and text[:8].isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    return text[:10] if len(text) >= 10 else None


def v1_ids(value: Any) -> list[int]:
    """A v1 id list: '1,2,3', a bare number, or a JSON array."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [i for i in (v1_int(v) for v in value) if i is not None]
    return [i for i in (v1_int(v) for v in str(value).split(",")) if i is not None]


def to_v1_date(value: date | None) -> str | None:
    return value.strftime("%Y%m%d") if value else None


def rel_id(value: Any) -> int | None:
    """The id of a v3 relationship ({"id": 1, "type": "users"}) or a bare id."""
    if isinstance(value, dict):
        return v1_int(value.get("id"))
    return v1_int(value)


def ikey(record: Mapping[str, Any], *names: str) -> Any:
    """Case-insensitive key lookup (v1 answers `TASKLISTID` where the docs say `tasklistId`)."""
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None
