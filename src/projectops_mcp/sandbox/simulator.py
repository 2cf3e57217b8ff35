"""What both simulators share: an in-memory store, route discovery, auth checking and JSON helpers.

A simulator is a package (`sandbox/projectworks/`, `sandbox/teamwork/`) whose resource modules each define
`routes(sim) -> list[Route]` and optionally `seed(store)`. Adding a resource is adding a module.
"""

from __future__ import annotations

import base64
import importlib
import json
import pickle
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from projectops_mcp.sandbox.recorder import Recorder


class Store:
    """Tables of records keyed by integer id; reset restores the seeded state."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, dict[str, Any]]] = {}
        self._next_ids: dict[str, int] = {}
        self.extra: dict[str, Any] = {}

    def table(self, name: str) -> dict[int, dict[str, Any]]:
        return self.tables.setdefault(name, {})

    def new_id(self, name: str, start: int = 1000) -> int:
        table = self.table(name)
        next_id = max(self._next_ids.get(name, start), max(table, default=0) + 1)
        self._next_ids[name] = next_id + 1
        return next_id

    def put(self, name: str, record_id: int, record: dict[str, Any]) -> dict[str, Any]:
        self.table(name)[record_id] = record
        return record

    def snapshot(self) -> bytes:
        """The store, pickled: restoring it is a tenth of a deep copy's cost (tests reset twice each)."""
        return pickle.dumps((self.tables, self._next_ids, self.extra), protocol=pickle.HIGHEST_PROTOCOL)

    def restore(self, snap: bytes) -> None:
        """Back to a snapshot, in place: routes that kept a reference to a table keep seeing the live one."""
        tables, next_ids, extra = pickle.loads(snap)  # noqa: S301 - our own snapshot, never external data
        for name, table in self.tables.items():
            if name not in tables:
                table.clear()
        for name, rows in tables.items():
            table = self.tables.setdefault(name, {})
            table.clear()
            table.update(rows)
        self._next_ids = next_ids
        self.extra.clear()
        self.extra.update(extra)


def discover(package: ModuleType) -> list[ModuleType]:
    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return modules


class Simulator:
    """One simulated backend: store + routes + recorder. `app` is the ASGI entry point."""

    def __init__(
        self,
        package: ModuleType,
        *,
        prefix: str = "",
        unauthorized: Callable[[], Response],
        not_found: Callable[[Request], Response],
        public_prefixes: tuple[str, ...] = (),
        more_data: Callable[[Store], None] | None = None,
    ):
        """`more_data` adds records after the resource modules have seeded theirs (the --sandbox-scale agency)."""
        self.store = Store()
        self.valid_auth: set[str] | None = None  # None: any well-formed credentials are accepted
        self._unauthorized = unauthorized
        self._public = public_prefixes  # paths that take no credentials (a simulated object store)
        routes: list[Route] = []
        for module in discover(package):
            if hasattr(module, "seed"):
                module.seed(self.store)
            if hasattr(module, "routes"):
                routes.extend(module.routes(self))
        if more_data is not None:
            more_data(self.store)
        self._seeded = self.store.snapshot()
        inner = Starlette(routes=routes)
        inner.add_exception_handler(404, lambda request, exc: not_found(request))
        self.recorder = Recorder(self._authenticate(inner), prefix=prefix)
        self.app = self.recorder

    @property
    def requests(self):
        return self.recorder.requests

    @property
    def faults(self):
        return self.recorder.faults

    def find(self, method: str | None = None, path: str | None = None):
        return self.recorder.find(method, path)

    @property
    def writes(self):
        return self.recorder.writes

    def reset(self) -> None:
        self.store.restore(self._seeded)
        self.recorder.clear()
        self.valid_auth = None

    def _authenticate(self, app: Any) -> Any:
        async def guarded(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and not scope["path"].startswith(self._public or ("\0",)):
                headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
                if not self._auth_ok(headers.get("authorization", "")):
                    await self._unauthorized()(scope, receive, send)
                    return
            await app(scope, receive, send)

        return guarded

    def _auth_ok(self, value: str) -> bool:
        if self.valid_auth is not None:
            return value in self.valid_auth
        scheme, _, token = value.partition(" ")
        if scheme == "Bearer":
            return bool(token.strip())
        if scheme != "Basic":
            return False
        try:
            user, _, _password = base64.b64decode(token).decode().partition(":")
        except ValueError:
            return False
        return bool(user)


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return ...  # marker: the body was not JSON


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def empty_response(status: int = 200) -> Response:
    return Response(b"", status_code=status)


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def truthy(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "1", "yes")
