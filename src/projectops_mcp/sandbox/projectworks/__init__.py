"""Projectworks API simulator: PascalCase records, camelCase bodies, bare-array lists, ASP.NET-style errors."""

from __future__ import annotations

import sys
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from projectops_mcp.sandbox.simulator import Simulator, Store


def _unauthorized() -> Response:
    return JSONResponse({"Message": "Authorization has been denied for this request."}, status_code=401)


def _not_found(request: Request) -> Response:
    return JSONResponse(
        {"Message": f"No HTTP resource was found that matches the request URI '{request.url.path}'."}, status_code=404
    )


def build_projectworks(prefix: str = "", more_data: Callable[[Store], None] | None = None) -> Simulator:
    return Simulator(
        sys.modules[__name__], prefix=prefix, unauthorized=_unauthorized, not_found=_not_found, more_data=more_data
    )
