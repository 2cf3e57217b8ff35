"""Unified tools (`unified_*`): both systems in one model (the seed's Ticketing and User Directory entities), each
record with its `source` and native id. One module per entity group; shared pieces in `_common.py`; the mapping
table is docs/unified-model.md."""

from __future__ import annotations

import importlib
import pkgutil

from projectops_mcp.toolkit import Tool, collect_tools


def all_tools() -> list[Tool]:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]
    return collect_tools(*modules)
