"""Discovery mode (`serve --discovery`): tools/list shows three tools, whatever the catalogue size.

- `find_tools` ranks every enabled tool against a request (`ranking.py`) and returns what a direct listing would
  (name, title, description, compact inputSchema, annotations) plus why each matched;
- `call_tool` runs any enabled tool through the server's own call path: same validation, prerequisites, errors,
  logging and metrics as a direct call, and the same refusals for hidden, filtered or unknown tools;
- `enable_tools` adds tools to this session's tools/list and sends `notifications/tools/list_changed`.

Sessions: a handshake-era connection (2025-11-25 and earlier) keeps its own enabled set. The 2026-07-28 protocol
has no sessions (every request stands alone), so its connections share one set per server process (on stdio that
is the one client) and hear of changes on `subscriptions/listen`.
"""

from __future__ import annotations

import difflib
import json
import logging
import weakref
from typing import Any

from mcp.server.lowlevel import NotificationOptions
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from mcp.types import Tool as MCPTool
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from projectops_mcp.ranking import ToolIndex

logger = logging.getLogger("projectops_mcp.discovery")

FIND_TOOLS, CALL_TOOL, ENABLE_TOOLS = "find_tools", "call_tool", "enable_tools"
MAX_LIMIT = 20

_READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
META_TOOLS = [
    MCPTool(
        name=FIND_TOOLS,
        title="Find Tools",
        description="Find the Teamwork/Projectworks/unified tools for a request, with their input schemas. "
        "Then run one with call_tool.",
        input_schema={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "what you want to do, in plain words"},
                "limit": {"type": "integer", "description": f"tools to return, 1-{MAX_LIMIT} (default 5)"},
                "backend": {"type": "string", "enum": ["teamwork", "projectworks", "unified"]},
            },
            "required": ["query"],
        },
        annotations=ToolAnnotations(title="Find Tools", **_READ.model_dump(exclude={"title"})),
    ),
    MCPTool(
        name=CALL_TOOL,
        title="Call Tool",
        description="Run a tool found with find_tools.",
        input_schema={
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "tool name, from find_tools"},
                "arguments": {"type": "object", "description": "as its inputSchema says"},
            },
            "required": ["name"],
        },
        annotations=ToolAnnotations(
            title="Call Tool", read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True
        ),
    ),
    MCPTool(
        name=ENABLE_TOOLS,
        title="Enable Tools",
        description="Add tools (by name, or a whole toolset) to this session's tool list, to call them directly.",
        input_schema={
            "type": "object",
            "properties": {
                "names": {"type": "array", "items": {"type": "string"}, "description": "tool names"},
                "toolset": {"type": "string", "description": "e.g. teamwork.tasks"},
            },
        },
        annotations=ToolAnnotations(
            title="Enable Tools",
            read_only_hint=False,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        ),
    ),
]
META_NAMES = frozenset(t.name for t in META_TOOLS)


class Discovery:
    """The three meta tools of one server, and which extra tools each session has enabled."""

    def __init__(self, server: Any):
        self.server = server  # a ProjectOpsServer: its `tools`, `disabled` and `tool_entry(name)`
        self._index: ToolIndex | None = None
        self._by_connection: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
        self._stateless: set[str] = set()  # 2026-07-28 connections: no sessions, one set per process

    @property
    def index(self) -> ToolIndex:
        if self._index is None:
            self._index = ToolIndex(self.server.tools.values())
        return self._index

    # -- tools/list --------------------------------------------------------------------------------------------

    def listing(self, request_context: Any) -> list[MCPTool]:
        enabled = self._enabled_for(request_context)
        return META_TOOLS + [self.server.tool_entry(name) for name in self.server.tools if name in enabled]

    def _enabled_for(self, request_context: Any) -> set[str]:
        if request_context is None:
            return self._stateless
        if getattr(request_context, "protocol_version", None) in MODERN_PROTOCOL_VERSIONS:
            return self._stateless
        connection = getattr(request_context.session, "_connection", request_context.session)
        try:
            return self._by_connection.setdefault(connection, set())
        except TypeError:  # not weak-referenceable: fall back to the process-wide set
            return self._stateless

    # -- tools/call of a meta tool -----------------------------------------------------------------------------

    def unwrap(self, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]] | CallToolResult:
        """call_tool's (name, arguments), or the error for a malformed call_tool call."""
        name, inner = arguments.get("name"), arguments.get("arguments", {})
        extra = sorted(set(arguments) - {"name", "arguments"})
        problems = []
        if not isinstance(name, str) or not name.strip():
            problems.append("- name: is required: a tool name from find_tools.")
        if inner is None:
            inner = {}
        if isinstance(inner, str):
            try:
                inner = json.loads(inner)
            except ValueError:
                pass
        if not isinstance(inner, dict):
            problems.append("- arguments: must be an object of the tool's arguments (see its inputSchema).")
        if extra:
            problems.append(f"- {', '.join(extra)}: unknown argument. Valid arguments: name, arguments.")
        if problems:
            return _error("Invalid arguments for call_tool; nothing was sent.\n" + "\n".join(problems))
        return name.strip(), inner

    async def call(self, name: str, arguments: dict[str, Any], context: Any) -> CallToolResult:
        if name == FIND_TOOLS:
            return self.find(arguments)
        return await self.enable(arguments, context)

    def find(self, arguments: dict[str, Any]) -> CallToolResult:
        query, limit, backend = arguments.get("query"), arguments.get("limit", 5), arguments.get("backend")
        problems = []
        if not isinstance(query, str) or not query.strip():
            problems.append("- query: is required: what you want to do, e.g. 'log 3 hours on a task'.")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            problems.append(f"- limit: must be a whole number from 1 to {MAX_LIMIT} (got {limit!r}).")
        if backend not in (None, "teamwork", "projectworks", "unified"):
            problems.append(f"- backend: must be 'teamwork', 'projectworks' or 'unified' (got {backend!r}).")
        extra = sorted(set(arguments) - {"query", "limit", "backend"})
        if extra:
            problems.append(f"- {', '.join(extra)}: unknown argument. Valid arguments: query, limit, backend.")
        if problems:
            return _error("Invalid arguments for find_tools.\n" + "\n".join(problems))
        found = []
        for match in self.index.search(query, limit, backend):
            entry = self.server.tool_entry(match.name)
            found.append(
                {
                    "name": entry.name,
                    "title": entry.title,
                    "description": entry.description,
                    "inputSchema": entry.input_schema,
                    "annotations": entry.annotations.model_dump(by_alias=True, exclude_none=True),
                    "why": match.why,
                }
            )
        hint = "" if found else "No tool matched; try other words (e.g. the record: task, timesheet, leave, invoice)."
        return _ok({"tools": found, **({"hint": hint} if hint else {})})

    async def enable(self, arguments: dict[str, Any], context: Any) -> CallToolResult:
        names, toolset = arguments.get("names") or [], arguments.get("toolset")
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",") if n.strip()]
        problems = []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append("- names: must be a list of tool names (from find_tools).")
            names = []
        if toolset is not None and not isinstance(toolset, str):
            problems.append("- toolset: must be a toolset name such as teamwork.tasks.")
            toolset = None
        if not names and not toolset and not problems:
            problems.append("- names or toolset: give at least one.")
        wanted = list(dict.fromkeys(names))
        if toolset:
            in_set = [n for n, t in self.server.tools.items() if toolset in (t.toolset, t.backend)]
            if not in_set:
                toolsets = sorted({t.toolset for t in self.server.tools.values()})
                problems.append(f"- toolset: no enabled tool is in '{toolset}'. Toolsets: {', '.join(toolsets)}.")
            wanted += [n for n in in_set if n not in wanted]
        for name in wanted:
            if name in self.server.tools:
                continue
            if name in self.server.disabled:
                problems.append(f"- {name}: not available on this server: {self.server.disabled[name]}.")
            else:
                close = difflib.get_close_matches(name, list(self.server.tools), n=3)
                problems.append(f"- {name}: unknown tool." + (f" Did you mean: {', '.join(close)}?" if close else ""))
        if problems:
            return _error("Nothing was enabled.\n" + "\n".join(problems))
        request_context = getattr(context, "request_context", None) if context is not None else None
        enabled = self._enabled_for(request_context)
        added = [n for n in wanted if n not in enabled]
        enabled.update(added)
        if added:
            await _notify_list_changed(context, request_context)
        return _ok({"enabled": wanted, "newly_listed": added, "listed": len(META_TOOLS) + len(enabled)})


def advertise_list_changed(lowlevel_server: Any) -> None:
    """Declare `tools.listChanged` to handshake-era clients (the SDK derives it for 2026 ones)."""
    original = lowlevel_server.create_initialization_options

    def with_list_changed(notification_options: Any = None, *args: Any, **kwargs: Any) -> Any:
        return original(notification_options or NotificationOptions(tools_changed=True), *args, **kwargs)

    lowlevel_server.create_initialization_options = with_list_changed


async def _notify_list_changed(context: Any, request_context: Any) -> None:
    """notifications/tools/list_changed: on the session (handshake era) or on subscriptions/listen (2026)."""
    try:
        if request_context is not None and request_context.protocol_version not in MODERN_PROTOCOL_VERSIONS:
            await request_context.session.send_tool_list_changed()
        elif context is not None:
            await context.notify_tools_changed()
    except Exception:  # noqa: BLE001 - notifications are advisory; the listing itself has changed
        logger.debug("tools/list_changed notification failed", exc_info=True)


def _ok(structured: dict[str, Any]) -> CallToolResult:
    text = json.dumps(structured, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def _error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)
