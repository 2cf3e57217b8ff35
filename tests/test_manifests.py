"""Generated files (tool_manifests/ and the packaged catalogue.json) must match the code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from projectops_mcp.cli import manifest_files
from projectops_mcp.server import catalogue_tools, registered_tools

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_generated_files_match_the_code() -> None:
    for path, text in manifest_files().items():
        full = path if path.is_absolute() else ROOT / path
        assert full.exists(), f"{path} missing: run 'make manifests'"
        assert full.read_text(encoding="utf-8") == text, f"{path} is stale: run 'make manifests'"


def test_manifest_entries_have_every_field() -> None:
    for path, text in manifest_files().items():
        if path.parent.name != "tool_manifests" or path.suffix != ".json":
            continue
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


def test_catalogue_tools_load_to_the_same_tools() -> None:
    live = {t.name: t for t in registered_tools()}
    listed = catalogue_tools()
    assert [t.name for t in listed] and {t.name for t in listed} == set(live)
    for entry in listed:
        tool = entry.load() if hasattr(entry, "load") else entry
        assert tool is live[entry.name] or tool.name == entry.name
        assert entry.annotations == tool.annotations and entry.input_schema == tool.input_schema
    assert os.path.exists(ROOT / "src" / "projectops_mcp" / "catalogue.json")
