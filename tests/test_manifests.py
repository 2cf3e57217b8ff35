"""tool_manifests/ is generated from the code; this fails when they drift apart."""

from __future__ import annotations

import json
from pathlib import Path

from projectops_mcp.cli import manifests_by_backend

ROOT = Path(__file__).resolve().parent.parent


def test_manifests_match_the_code() -> None:
    for backend, text in manifests_by_backend().items():
        path = ROOT / "tool_manifests" / f"{backend}.json"
        assert path.exists(), f"{path} missing: run 'make manifests'"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run 'make manifests'"


def test_manifest_entries_have_every_field() -> None:
    for text in manifests_by_backend().values():
        for entry in json.loads(text):
            assert set(entry) == {
                "name",
                "title",
                "description",
                "toolset",
                "annotations",
                "inputSchema",
                "outputSchema",
            }
