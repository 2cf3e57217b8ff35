"""Teamwork.com API simulator: v1 (`*.json`, string-typed records, X-Page headers) and v3 (`/projects/api/v3/`,
typed records, `meta.page`) with Teamwork's error bodies and rate-limit headers."""

from __future__ import annotations

import sys
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from projectops_mcp.sandbox.simulator import Simulator, Store
from projectops_mcp.sandbox.teamwork.files import UPLOADS


def _unauthorized() -> Response:
    return JSONResponse({"MESSAGE": "Invalid API key or token", "STATUS": "Error"}, status_code=401)


def _not_found(request: Request) -> Response:
    if request.url.path.startswith("/projects/api/v3/"):
        return Response(b"", status_code=404)
    return JSONResponse({"MESSAGE": "Not found", "STATUS": "Error"}, status_code=404)


def build_teamwork(more_data: Callable[[Store], None] | None = None) -> Simulator:
    return Simulator(
        sys.modules[__name__],
        unauthorized=_unauthorized,
        not_found=_not_found,
        public_prefixes=(UPLOADS,),
        more_data=more_data,
    )
