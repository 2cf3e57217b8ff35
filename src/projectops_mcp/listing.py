"""What a model reads in tools/list: each tool's schemas cut to what an agent needs to fill a call correctly.

The manifests keep the full schemas (the reference); tools/list sends compact ones, derived here for every tool,
present and future, so no tool module has to be written twice:
- validation keywords the server enforces anyway (`maxLength`, `exclusiveMinimum`, ...) and defaults are left out:
  arguments are still validated against the full pydantic model, and a violation gets an error naming the rule;
- the shared paging / `include_raw` parameters get one short wording;
- an object argument marked `x-fields-of: <tool>` (the same fields another tool takes, e.g. a person's settings on
  create) is listed as an object pointing at that tool, whose schema spells the fields out once;
- output schemas keep their structure (clients validate results against it) but lose every description.
"""

from __future__ import annotations

from typing import Any

from mcp.types import Tool as MCPTool

# Enforced by the input model on every call; the error names the rule when an argument breaks it.
ENFORCED_KEYWORDS = frozenset(
    {
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)

# Parameters the list tools share, in one short wording each.
# ("{maximum}" is filled from the full schema).
SHARED_PARAMETERS = {
    "page": "from 1",
    "page_size": "max {maximum}",
    "include_raw": "add raw upstream records",
    "fields": "record fields to return",
}


SEE_ALSO = "x-fields-of"


def model_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The inputSchema a model reads (see the module docstring)."""
    compact = _strip(schema, ENFORCED_KEYWORDS, keep_descriptions=True)
    for name, prop in compact.get("properties", {}).items():
        if isinstance(prop, dict) and SEE_ALSO in prop:
            described = prop.get("description", "").rstrip(".")
            compact["properties"][name] = {"type": "object", "description": f"{described}; as {prop[SEE_ALSO]} takes"}
    for name, wording in SHARED_PARAMETERS.items():
        prop = compact.get("properties", {}).get(name)
        full = schema.get("properties", {}).get(name, {})
        if isinstance(prop, dict) and ("{maximum}" not in wording or "maximum" in full):
            prop["description"] = wording.format(**full)
    return compact


def model_output_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The outputSchema in tools/list: the same structure, no descriptions or enforced keywords."""
    return _strip(schema, ENFORCED_KEYWORDS, keep_descriptions=False)


def mcp_tool(tool: Any) -> MCPTool:
    """The tools/list entry of a `Tool` or `CatalogueTool`."""
    return MCPTool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        input_schema=model_input_schema(tool.input_schema),
        output_schema=model_output_schema(tool.output_schema),
        annotations=tool.annotations,
    )


def _strip(node: Any, drop: frozenset[str], *, keep_descriptions: bool) -> Any:
    if isinstance(node, list):
        return [_strip(item, drop, keep_descriptions=keep_descriptions) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _strip(sub, drop, keep_descriptions=keep_descriptions) for name, sub in value.items()}
        elif key in drop or (key == "description" and not keep_descriptions):
            continue
        else:
            out[key] = _strip(value, drop, keep_descriptions=keep_descriptions)
    return out
