"""Projectworks tools: one module per resource; every module-level Tool is registered."""

from __future__ import annotations

import importlib
import pkgutil

from projectops_mcp.toolkit import Tool, collect_tools

_NOT_TOOL_MODULES = {"client"}


def all_tools() -> list[Tool]:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if info.name not in _NOT_TOOL_MODULES and not info.name.startswith("_")
    ]
    return collect_tools(*modules)
