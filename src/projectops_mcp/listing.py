"""What a model reads in tools/list: each tool's schemas cut to what an agent needs to fill a call correctly.

The manifests keep the full schemas (the reference); tools/list sends compact ones, derived here for every tool,
present and future, so no tool module has to be written twice:
- validation keywords the server enforces anyway (`maxLength`, `exclusiveMinimum`, ...) and defaults are left out:
  arguments are still validated against the full pydantic model, and a violation gets an error naming the rule;
- a description does not repeat what `format: date / date-time` says (YYYY-MM-DD, ISO 8601, example dates);
- the parameters every list tool shares (paging, `fields`, `include_raw`) and every write tool shares (`dry_run`,
  `allow_duplicate`) are described once, in `instructions`;
- an object argument marked `x-fields-of: <tool>` (the same fields another tool takes, e.g. a person's settings on
  create) is listed as an object pointing at that tool, whose schema spells the fields out once;
- output schemas keep their structure (clients validate results against it) but lose every description.
"""

from __future__ import annotations

import re
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

# Listed bare (no description), their meaning said once in the server instructions: the paging parameters of
# list tools, and the flags every read (include_raw) or write (dry_run, allow_duplicate) tool takes.
LIST_PARAMETERS = ("page", "page_size", "fields")
CURSOR_PARAMETERS = ("cursor", "page_size")  # unified_* lists
FLAG_PARAMETERS = ("include_raw", "include_remote_data", "dry_run", "allow_duplicate")
_BARE_TYPES = {"page": "integer", "page_size": "integer", "fields": "array", "cursor": "string"} | dict.fromkeys(
    FLAG_PARAMETERS, "boolean"
)
SHARED_INSTRUCTIONS = (
    "- List tools share page (from 1), page_size (default 50, at most 500) and fields (only these record fields; ids "
    "always come back); a long page is cut and its `more` says how to go on. include_raw on a read adds each "
    "upstream record unchanged."
)

SEE_ALSO = "x-fields-of"


def model_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The inputSchema a model reads (see the module docstring)."""
    compact = _strip(schema, ENFORCED_KEYWORDS, keep_descriptions=True)
    for name, prop in compact.get("properties", {}).items():
        if isinstance(prop, dict) and SEE_ALSO in prop:
            described = prop.get("description", "").rstrip(".")
            compact["properties"][name] = {"type": "object", "description": f"{described}; as {prop[SEE_ALSO]} takes"}
    properties = compact.get("properties", {})
    is_list = "page" in properties and "page_size" in properties
    is_cursor_list = "cursor" in properties and "page_size" in properties
    shared = (LIST_PARAMETERS if is_list else ()) + (CURSOR_PARAMETERS if is_cursor_list else ()) + FLAG_PARAMETERS
    for name in shared:
        if isinstance(properties.get(name), dict) and properties[name].get("type") == _BARE_TYPES[name]:
            properties[name].pop("description", None)
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


# What `format: date` / `date-time` already says, as descriptions tend to repeat it.
_FORMAT_ECHO = re.compile(
    r"(,|;)? ?\(?(YYYY-MM-DD|e\.g\. \d{4}-\d{2}-\d{2}(T[\d:]+Z)?)\)?|ISO 8601 (?=date-time)",
)


def _without_format_echo(description: str) -> str:
    text = _FORMAT_ECHO.sub("", description).replace(" ,", ",").replace(" ;", ";").replace("  ", " ").strip()
    return text.rstrip(",;") if text.rstrip(",;.") else description


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
    if out.get("format") in ("date", "date-time") and isinstance(out.get("description"), str):
        out["description"] = _without_format_echo(out["description"])
    return out
