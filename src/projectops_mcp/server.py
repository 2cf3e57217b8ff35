"""build_server(settings) -> ProjectOpsServer: picks the enabled tools and opens the backend clients in the lifespan.

`ProjectOpsServer` is the SDK's `MCPServer` with tools/list and tools/call served from our own registry (the
public `list_tools`/`call_tool` methods are overridden), so that every tool gets a flat portable inputSchema, an
outputSchema, our argument validation and our error texts, and nothing reaches the backend on invalid input.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import time
import uuid
import warnings
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
from mcp.server.mcpserver import Context, MCPServer
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.types import (
    CallToolResult,
    EmptyResult,
    InputRequiredResult,
    ListToolsResult,
    NotificationParams,
    SetLevelRequestParams,
    TextContent,
)
from mcp.types import Tool as MCPTool
from pydantic import BaseModel, SecretStr, ValidationError
from pydantic_core import to_json

from projectops_mcp import __version__
from projectops_mcp.backends import SECRET_HEADERS, Backends
from projectops_mcp.calls import Call, current_call
from projectops_mcp.config import BACKEND_SETTINGS, Settings
from projectops_mcp.discovery import CALL_TOOL, META_NAMES, Discovery, advertise_list_changed
from projectops_mcp.errors import ProjectOpsError, UpstreamError
from projectops_mcp.listing import SHARED_INSTRUCTIONS, mcp_tool
from projectops_mcp.profiles import apply_profile
from projectops_mcp.result_economy import check_fields, shape
from projectops_mcp.toolkit import TOOL_PREFIXES, CatalogueTool, Tool, describe_validation_error, validate_arguments
from projectops_mcp.tracing import StatusCode, tool_span
from projectops_mcp.wire import unreadable_answer
from projectops_mcp.writes.controls import ControlError, split_controls
from projectops_mcp.writes.gate import WriteGate, current_gate

logger = logging.getLogger("projectops_mcp.server")
# httpx2 logs every request line (with its query string) at INFO; our own upstream log lines replace it.
logging.getLogger("httpx2").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", category=MCPDeprecationWarning)

INSTRUCTIONS = (
    """\
Tools for Teamwork.com (teamwork_*) and Projectworks (projectworks_*), named <backend>_<verb>_<noun>; unified_*
tools read and write both systems in one model (records carry source and the native id).
- IDs: every id argument names the tool that lists valid values ("from projectworks_list_roles"). Look ids up;
  never guess them.
- Lists return {items, page, page_size, has_more}; ask for the next page while has_more is true. unified_* lists
  return {result, next_cursor}: pass next_cursor as cursor (same filters) until it is absent; include_remote_data
  adds each native record.
"""
    + SHARED_INSTRUCTIONS
    + """
- Projectworks list filters match exactly; the *_search_* tools match part of a name.
- Update tools send only the fields given; a tool that replaces a record in full says so.
- Writes check their ids and prerequisites first and explain what is missing and which tool fixes it; a refused
  write sends nothing. If a write's outcome is reported unknown, check with the named list/get tool before retrying.
- Every write tool takes dry_run: true (checks everything, sends nothing, shows the request). An identical create
  within minutes is refused as a duplicate; allow_duplicate: true only when a second one is really meant.
- Dates are ISO (YYYY-MM-DD, e.g. 2026-12-11); date-times are ISO 8601 in UTC.
- IDs are per backend: a Teamwork id means nothing to a projectworks_* tool and vice versa. The same person or
  project in both systems is matched by e-mail address or name, never by id.
"""
)
DISCOVERY_INSTRUCTIONS = (
    "DISCOVERY MODE: tools/list shows find_tools, call_tool and enable_tools. Find the tool for a request with "
    "find_tools, then run it with call_tool(name, arguments).\n"
)


def missing_backend_note(backend: str) -> str:
    """Why a backend has no tools, and which variables enable it (stderr, `tools`, instructions)."""
    return (
        f"{backend} tools are not served: its credentials are not configured. Set {BACKEND_SETTINGS[backend]}; "
        "or run with --sandbox to try the built-in demo."
    )


def instructions_for(settings: Settings, missing_backends: list[str]) -> str:
    """The server's instructions: the rules above, today's date, and what is not served and why."""
    text = INSTRUCTIONS + f"- Today's date when this server started: {date.today().isoformat()} (UTC).\n"
    if settings.projectops_discovery:
        text += DISCOVERY_INSTRUCTIONS
    for backend in missing_backends:
        text += f"- {missing_backend_note(backend)}\n"
    if settings.projectops_sandbox:
        text += "\nSANDBOX: both backends are built-in simulators with demo data; nothing reaches a real account.\n"
        if settings.projectops_sandbox_scale:
            from projectops_mcp.sandbox.agency import summary

            text += summary(settings.projectops_sandbox_scale) + "\n"
    return text


# Told about every finished call (its outcome and duration set); metrics subscribe where the transport is built.
CallObserver = Callable[[Call], None]


def select_tools(all_tools: list[Tool], settings: Settings) -> tuple[list[Tool], dict[str, str]]:
    """Apply read-only, toolset/tool allow-lists (their union) and the deny-list (which wins).
    Returns (enabled, {disabled tool name: why})."""
    names = {t.name for t in all_tools}
    toolsets = {t.toolset for t in all_tools} | {t.backend for t in all_tools}
    unknown = [ts for ts in settings.projectops_toolsets if ts not in toolsets and ts != "all"]
    unknown += [n for n in settings.projectops_tools + settings.projectops_exclude_tools if n not in names]
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, sorted(names | toolsets), n=1)
            hints.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        raise ValueError(f"unknown toolset or tool names: {', '.join(hints)}. Toolsets: {', '.join(sorted(toolsets))}.")
    disabled: dict[str, str] = {}
    allow_sets = set(settings.projectops_toolsets)
    allow_tools = set(settings.projectops_tools)
    enabled = []
    for t in all_tools:
        if allow_sets or allow_tools:
            chosen = "all" in allow_sets or t.toolset in allow_sets or t.backend in allow_sets or t.name in allow_tools
            if not chosen:
                disabled[t.name] = "it is not in the enabled toolsets/tools (PROJECTOPS_TOOLSETS, PROJECTOPS_TOOLS)"
                continue
        if t.name in settings.projectops_exclude_tools:
            disabled[t.name] = "it is excluded (PROJECTOPS_EXCLUDE_TOOLS)"
            continue
        if settings.projectops_read_only and not t.read_only:
            disabled[t.name] = "the server is in read-only mode (PROJECTOPS_READ_ONLY)"
            continue
        enabled.append(t)
    return enabled, disabled


def registered_tools() -> list[Tool]:
    """Every tool, from the code (imports every tool module)."""
    from projectops_mcp import projectworks, teamwork, unified

    return projectworks.all_tools() + teamwork.all_tools() + unified.all_tools()


# The background import of tool modules runs only after this many seconds without a new request (a listing or
# a call): it uses idle time, never a busy server's.
IDLE_BEFORE_WARM_UP = 0.25

CATALOGUE = Path(__file__).with_name("catalogue.json")


def catalogue_tools() -> list[Tool | CatalogueTool]:
    """Every tool, from the packaged catalogue when there is one (fast start-up), else from the code."""
    try:
        entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return list(registered_tools())
    return [CatalogueTool.from_entry(entry) for entry in entries]


class ProjectOpsServer(MCPServer):
    def __init__(
        self,
        settings: Settings,
        tools: list[Tool | CatalogueTool],
        disabled: dict[str, str],
        missing_backends: list[str] | None = None,
        **kwargs: Any,
    ):
        missing_backends = missing_backends or []
        super().__init__(
            name="projectops-mcp",
            title="ProjectOps (Teamwork.com + Projectworks)",
            version=__version__,
            instructions=instructions_for(settings, missing_backends),
            log_level=settings.projectops_log_level.upper(),  # type: ignore[arg-type]
            **kwargs,
        )
        self.app_settings = settings
        self.tools: dict[str, Tool | CatalogueTool] = {t.name: t for t in tools}
        self.disabled = disabled
        self.missing_backends = missing_backends
        self._index: Any = None  # ranking.ToolIndex for unknown-name suggestions, built on first need
        self.call_observers: list[CallObserver] = []
        self.in_flight = 0  # tool calls being served; graceful shutdown waits for it to reach 0
        self.backends: Backends | None = None  # while the lifespan is open
        self.writes = WriteGate(settings)  # previews, journal, duplicate guard, confirmations
        self._entries: dict[str, MCPTool] = {}
        self.discovery = Discovery(self) if settings.projectops_discovery else None
        if self.discovery is not None:
            advertise_list_changed(self._lowlevel_server)
        self._warm_up: anyio.Event | None = None  # set once a client has initialized or listed the tools
        self._warm_up_asked = False  # ... even before the background task made the event
        self._last_request = 0.0  # monotonic time of the last tools/list or tools/call
        self._log_levels: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._lowlevel_server.add_request_handler("logging/setLevel", SetLevelRequestParams, self._set_level)
        self._lowlevel_server.add_notification_handler(
            "notifications/initialized", NotificationParams, self._on_initialized
        )

    async def _set_level(self, ctx: Any, params: SetLevelRequestParams) -> EmptyResult:
        self._log_levels[_connection_of(ctx.session)] = params.level
        return EmptyResult()

    async def _on_initialized(self, ctx: Any, params: NotificationParams) -> None:
        self._begin_warm_up()

    def _begin_warm_up(self) -> None:
        self._last_request = time.monotonic()
        self._warm_up_asked = True
        if self._warm_up is not None:
            self._warm_up.set()

    async def load_tools_in_background(self) -> None:
        """Import the enabled tools' modules in idle time once a client has connected (after `initialize`, or at the
        first tools/list of a client without a handshake), so that start-up imports none of them and a first call
        made after a pause (an agent thinking) does not pay 30-70 ms for its module. Runs in the lifespan's task
        group, one module per idle moment: a busy server imports on demand, as each first call needs."""
        self._warm_up = start = anyio.Event()
        if not self._warm_up_asked:
            await start.wait()
        for name, listed in list(self.tools.items()):
            if not isinstance(listed, CatalogueTool) or listed._loaded is not None:
                continue
            while self.in_flight or time.monotonic() - self._last_request < IDLE_BEFORE_WARM_UP:  # noqa: ASYNC110
                await anyio.sleep(IDLE_BEFORE_WARM_UP)
            try:
                listed.load()
            except Exception:  # noqa: BLE001 - the tool's own call reports it; the others still load
                logger.warning("could not load %s in the background", name, exc_info=True)
            await anyio.lowlevel.checkpoint()

    def tool_entry(self, name: str) -> MCPTool:
        """A tool's tools/list entry (compact schemas, see listing.py), built once."""
        if name not in self._entries:
            self._entries[name] = mcp_tool(self.tools[name])
        return self._entries[name]

    async def list_tools(self) -> list[MCPTool]:
        self._begin_warm_up()
        return [self.tool_entry(name) for name in self.tools]

    async def _handle_list_tools(self, ctx: Any, params: Any) -> ListToolsResult:
        if self.discovery is not None:
            self._begin_warm_up()
            return ListToolsResult(tools=self.discovery.listing(ctx))
        return await super()._handle_list_tools(ctx, params)

    def finding_tool(self, lookup: str | None) -> str | None:
        """For a 404, a tool that finds valid ids without needing one: a get tool needs the very id that was wrong,
        so its search or list sibling is named instead."""
        if not lookup or "_get_" not in lookup:
            return lookup
        backend, _, noun = lookup.partition("_get_")
        for candidate in (f"{backend}_search_{noun}s", f"{backend}_list_{noun}s", f"{backend}_list_{noun}"):
            if candidate in self.tools:
                return candidate
        return lookup

    def suggestions(self, name: str) -> list[str]:
        """Tools an unknown name may have meant: by meaning (the discovery ranking over its words, so
        projectworks_log_time finds projectworks_create_timesheet), then by spelling."""
        from projectops_mcp.ranking import ToolIndex

        if self._index is None:
            self._index = self.discovery.index if self.discovery is not None else ToolIndex(self.tools.values())
        backend, _, rest = name.partition("_")
        if backend not in TOOL_PREFIXES:
            backend, rest = "", name
        words = rest.replace("_", " ").strip()
        by_meaning = [m.name for m in self._index.search(words, 3, backend or None)] if words else []
        by_spelling = difflib.get_close_matches(name, list(self.tools), n=3)
        return list(dict.fromkeys(by_meaning + by_spelling))[:4]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context | None = None
    ) -> CallToolResult | InputRequiredResult:
        """Validate, build this caller's client, run the handler, map failures; one span and one log line per call."""
        if self.discovery is not None and name in META_NAMES:
            if name != CALL_TOOL:
                return await self.discovery.call(name, arguments, context)
            unwrapped = self.discovery.unwrap(arguments)
            if isinstance(unwrapped, CallToolResult):
                return unwrapped
            name, arguments = unwrapped  # from here on, exactly a direct call of that tool
        tool = self.tools.get(name)
        self._last_request = time.monotonic()
        call = Call(uuid.uuid4().hex[:12], name if tool else "(unknown)", tool.backend if tool else "")
        token = current_call.set(call)
        self.in_flight += 1
        outcome = "cancelled"  # unless the call gets to finish
        try:
            with tool_span(call.tool, call.backend, call.request_id) as span:
                result, outcome = await self._call(tool, name, arguments, context, call)
                span.set_attribute("projectops.outcome", outcome)
                if getattr(result, "is_error", False):  # an InputRequiredResult (a question) is not
                    span.set_status(StatusCode.ERROR, outcome)
            return result
        finally:
            self.in_flight -= 1
            call.finish(outcome)
            self._observe(call)
            current_call.reset(token)

    async def _call(
        self,
        tool: Tool | CatalogueTool | None,
        name: str,
        arguments: dict[str, Any],
        context: Context | None,
        call: Call,
    ) -> tuple[CallToolResult | InputRequiredResult, str]:
        if isinstance(tool, CatalogueTool):
            tool = tool.load()
        if tool is None:
            if name in self.disabled:
                return _error(f"Tool '{name}' is not available on this server: {self.disabled[name]}."), "disabled"
            close = self.suggestions(name)
            text = f"Unknown tool: {name[:100]}." + (f" Did you mean: {', '.join(close)}?" if close else "")
            return _error(text), "unknown_tool"
        call.mcp_context = context
        backends = _backends_of(context)
        if backends is not None:
            # Texts that echo arguments are scrubbed of the server's secrets and of any credential header values.
            call.redactor = backends.redactor.with_secrets(call.headers.get(h) for h in SECRET_HEADERS)
        try:
            arguments, controls = split_controls(tool.kind, arguments)
            args = validate_arguments(tool, arguments)
        except ControlError as exc:
            return _error(f"Invalid arguments for {name}; nothing was sent.\n{exc}"), "invalid_input"
        except ValidationError as exc:
            # Field names only: argument values may be secrets or receipts.
            logger.info("%s rejected arguments %s", name, sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
            return _error(call.redactor(describe_validation_error(tool, exc))), "invalid_input"

        gate_token = current_gate.set(self.writes)  # for the <backend>_list_recent_writes tools
        if context is not None:
            try:
                call.min_log_level = self._log_levels.get(_connection_of(context.request_context.session), "info")
            except (ValueError, AttributeError, TypeError):
                pass
        try:
            check_fields(tool.output_model, args)
            if backends is None:
                raise RuntimeError("tool called outside a request")
            call.settings = backends.settings
            call.arguments = arguments
            client = backends.client_for(tool.backend, call.headers)
            call.redactor, call.tenant = client.redactor, client.tenant
            try:
                if tool.read_only:
                    result = await tool.handler(args, client, call)
                else:
                    result, outcome = await self.writes.run(
                        tool, args, controls, client, context, lambda: tool.handler(args, client, call)
                    )
                    if isinstance(result, CallToolResult | InputRequiredResult):  # a preview, or a question
                        return result, outcome
            except Exception as exc:  # a record it could not read from a success answer is the upstream's fault
                converted = unreadable_answer(exc)
                if converted is None:
                    raise
                raise converted from exc
        except ProjectOpsError as exc:
            if isinstance(exc, UpstreamError):
                lookup = self.finding_tool(tool.lookup) if exc.status == 404 else tool.lookup
                exc = exc.with_lookup(lookup, finders_of(tool.input_model))
            text = call.redactor(str(exc))
            logger.info("%s failed (%s): %s", name, exc.kind, text.splitlines()[0][:300])
            return _error(text), exc.kind
        except Exception:
            logger.exception("%s crashed (request %s)", name, call.request_id)
            return _error(
                f"Internal error in {name} (reference {call.request_id}). This is a bug in the server, not in your "
                "arguments; the operator can find the details in the server log under that reference."
            ), "internal"
        finally:
            current_gate.reset(gate_token)
        budget = self.app_settings.projectops_result_token_budget
        return _success(shape(result, args, tool.output_model, budget)), "ok"

    def _observe(self, call: Call) -> None:
        logger.info(
            "tool %s -> %s in %.0fms",
            call.tool,
            call.outcome,
            call.duration * 1000,
            extra={
                "outcome": call.outcome,
                "duration_ms": round(call.duration * 1000, 1),
                "status": call.upstream_status,
                "upstream_requests": call.upstream_requests,
            },
        )
        for observer in self.call_observers:
            try:
                observer(call)
            except Exception:  # noqa: BLE001 - an observer must never fail a call
                logger.debug("call observer failed", exc_info=True)


FINDER = re.compile(r"\b(?:projectworks|teamwork|unified)_(?:list|search|get)_\w+")


def finders_of(model: type[BaseModel]) -> dict[str, str]:
    """Each argument whose description names the tool its valid values come from ("from projectworks_list_modules")."""
    found = ((name, FINDER.search(field.description or "")) for name, field in model.model_fields.items())
    return {name: match.group(0) for name, match in found if match}


def _backends_of(context: Context | None) -> Backends | None:
    """The lifespan's `Backends`, or None outside a request."""
    try:
        return context.request_context.lifespan_context if context is not None else None
    except (ValueError, AttributeError):
        return None


def _connection_of(session: Any) -> Any:
    """The connection a request arrived on: the SDK makes a ServerSession per request, so the level set by
    logging/setLevel is kept per connection (the SDK has no public accessor for it; tests/test_notifications.py
    fails if this stops working)."""
    return getattr(session, "_connection", session)


def _success(structured: dict[str, Any]) -> CallToolResult:
    """The text twin of the structured result, serialized by pydantic-core (no Python json pass)."""
    text = to_json(structured).decode()
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def _error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def sandbox_settings(settings: Settings) -> Settings:
    """Point both backends at the built-in simulators, with their demo credentials (and, unless one is configured,
    the sample receipts directory, so receipt_path can be tried)."""
    from projectops_mcp import sandbox as sb

    return settings.model_copy(
        update={
            "projectops_sandbox": True,
            "teamwork_site_url": sb.SANDBOX_TEAMWORK_URL,
            "teamwork_api_key": SecretStr(sb.SANDBOX_TEAMWORK_API_KEY),
            "teamwork_bearer_token": None,
            "projectworks_base_url": sb.SANDBOX_PROJECTWORKS_URL,
            "projectworks_consumer_key": SecretStr(sb.SANDBOX_PROJECTWORKS_KEY),
            "projectworks_consumer_secret": SecretStr(sb.SANDBOX_PROJECTWORKS_SECRET),
            "projectops_receipts_dir": settings.projectops_receipts_dir or sb.SANDBOX_RECEIPTS_DIR,
        }
    )


def build_server(settings: Settings, *, sandbox: Any = None, tools: list[Tool] | None = None) -> ProjectOpsServer:
    """The server for these settings. With `sandbox` (a `Sandbox`), both backends are served in-process by it."""
    if settings.projectops_sandbox_scale and not settings.projectops_sandbox and sandbox is None:
        raise ValueError("--sandbox-scale (PROJECTOPS_SANDBOX_SCALE) applies only with --sandbox (PROJECTOPS_SANDBOX)")
    if settings.projectops_sandbox or sandbox is not None:
        from projectops_mcp import sandbox as sandbox_module

        sandbox = sandbox or sandbox_module.Sandbox(settings.projectops_sandbox_scale)
        settings = sandbox_settings(settings)
    candidates = tools if tools is not None else catalogue_tools()
    served_backends = {"teamwork", "projectworks"}
    if not settings.projectops_header_credentials:
        if not settings.teamwork_configured:
            served_backends.discard("teamwork")
        if not settings.projectworks_configured:
            served_backends.discard("projectworks")
    missing_backends = sorted({"teamwork", "projectworks"} - served_backends)
    for backend in missing_backends:
        logger.warning("%s", missing_backend_note(backend))
    if served_backends:  # unified tools need one backend; one that needs both refuses the call without it
        served_backends.add("unified")
    served = [t for t in candidates if t.backend in served_backends]
    enabled, disabled = select_tools(served, apply_profile(settings, served))
    for t in candidates:
        if t.backend not in served_backends:
            needed = " or ".join(BACKEND_SETTINGS.values()) if t.backend == "unified" else BACKEND_SETTINGS[t.backend]
            disabled[t.name] = f"{t.backend} credentials are not configured on the server ({needed})"

    transport = sandbox.transport() if sandbox is not None else None

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[Backends]:
        async with (
            Backends(settings, teamwork_transport=transport, projectworks_transport=transport) as backends,
            anyio.create_task_group() as background,
        ):
            background.start_soon(server.load_tools_in_background)
            server.backends = backends  # for a shutdown that cannot unwind the lifespan (stdio)
            own_guard = server.writes.guard
            if backends.shared is not None and own_guard is not None:  # replicas share the duplicate guard
                from projectops_mcp.shared_state import RedisGuard  # with Redis only (cold start)

                server.writes.guard = RedisGuard(
                    backends.shared, server.writes.window, fail_closed=settings.projectops_guard_fail_closed
                )
            try:
                yield backends
            finally:
                server.backends = None
                server.writes.guard = own_guard
                with anyio.CancelScope(shield=True):  # close the journal even when shutdown cancelled the calls
                    await server.writes.aclose()
                background.cancel_scope.cancel()

    server = ProjectOpsServer(settings, enabled, disabled, missing_backends, lifespan=lifespan)
    server.sandbox = sandbox
    return server
