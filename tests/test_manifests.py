"""tool_manifests/ is generated from the code; this fails when they drift apart."""

from __future__ import annotations

import json
from pathlib import Path

from projectops_mcp.cli import manifest_files

ROOT = Path(__file__).resolve().parent.parent


def test_manifests_match_the_code() -> None:
    for name, text in manifest_files().items():
        path = ROOT / "tool_manifests" / name
        assert path.exists(), f"{path} missing: run 'make manifests'"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run 'make manifests'"


def test_manifest_entries_have_every_field() -> None:
    for name, text in manifest_files().items():
        if not name.endswith(".json"):
            continue
        for entry in json.loads(text):
            assert set(entry) == {"name", "title", "description", "toolset", "annotations", "inputSchema",
                                  "outputSchema"}
