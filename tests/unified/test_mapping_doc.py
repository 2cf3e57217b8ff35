"""docs/unified-model.md holds each entity's mapping table exactly as the code's mappings render it."""

from __future__ import annotations

from pathlib import Path

from projectops_mcp import unified
from projectops_mcp.unified._common import MAPPINGS, mapped_entities, mapping_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "unified-model.md"


def test_every_mapping_table_is_in_the_doc() -> None:
    unified.all_tools()  # every mapping registers when its module is imported
    text = DOC.read_text(encoding="utf-8")
    for entity in mapped_entities():
        table = mapping_table(entity)
        assert f"### {entity}\n\n{table}\n" in text, f"docs/unified-model.md, section '### {entity}', must be:\n{table}"


def test_every_mapping_reads_fields_the_native_records_have() -> None:
    from projectops_mcp.server import registered_tools

    unified.all_tools()
    natives = {t.name: t for t in registered_tools()}
    for m in MAPPINGS:
        assert m.native in natives, f"{m.entity}: {m.native} is not a tool"
        output = natives[m.native].output_model
        items = output.model_fields.get("items")
        record = items.annotation.__args__[0] if items is not None else output  # a list tool's record, or a get's
        copied = [m.id] + [spec for spec in m.fields.values() if isinstance(spec, str)]
        unknown = [f for f in copied if f not in record.model_fields]
        assert not unknown, f"{m.entity} from {m.native}: no such native field {unknown}"
