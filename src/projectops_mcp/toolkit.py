"""The Tool spec: an input model, an output model, annotations and a handler. Everything else comes from here:
the flat portable inputSchema, the outputSchema, argument validation with field-naming errors, structured results,
and the mapping of anticipated failures to `isError` results.

Writing a tool:

    @tool(name="projectworks_list_roles", title="List Roles", toolset="projectworks.reference", kind="read",
          description="...")
    async def list_roles(args: ListRolesInput, pw: ProjectworksClient, ctx: ToolContext) -> RoleList:
        ...

The handler receives the validated input model, the backend client for this call (with this caller's
credentials), and a `ToolContext` for progress and log notifications. It returns the output model.
"""

from __future__ import annotations

import copy
import difflib
import json
import logging
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from mcp.types import ToolAnnotations
from pydantic import BaseModel, ConfigDict, ValidationError

logger = logging.getLogger("projectops_mcp.toolkit")

Backend = Literal["teamwork", "projectworks"]
Kind = Literal["read", "create", "update", "put", "replace", "delete", "action"]

# readOnly, destructive, idempotent per kind of operation. "update" = partial PATCH, "put" = an idempotent
# set/upsert, "replace" = a full-replacement PUT that drops what is not sent, "action" = a non-idempotent POST/PUT
# with side effects (complete a task) that destroys nothing.
_HINTS: dict[str, tuple[bool, bool, bool]] = {
    "read": (True, False, True),
    "create": (False, False, False),
    "update": (False, False, False),
    "put": (False, False, True),
    "replace": (False, True, True),
    "delete": (False, True, True),
    "action": (False, False, True),
}


class InputModel(BaseModel):
    """Base of every tool input: unknown keys are refused (an agent's typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class OutputModel(BaseModel):
    """Base of every tool output. None-valued fields are omitted from results, so optional means 'may be absent'."""

    model_config = ConfigDict(extra="ignore")


Handler = Callable[[Any, Any, "ToolContext"], Awaitable[BaseModel]]


@dataclass
class Tool:
    name: str
    title: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    handler: Handler
    backend: Backend
    toolset: str
    kind: Kind
    lookup: str | None = None  # the tool an agent uses to find or verify the records this one touches

    @property
    def read_only(self) -> bool:
        return _HINTS[self.kind][0]

    @property
    def annotations(self) -> ToolAnnotations:
        read_only, destructive, idempotent = _HINTS[self.kind]
        return ToolAnnotations(
            title=self.title,
            read_only_hint=read_only,
            destructive_hint=destructive,
            idempotent_hint=idempotent,
            open_world_hint=True,
        )

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        return portable_schema(self.input_model.model_json_schema(mode="validation"))

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        return portable_schema(self.output_model.model_json_schema(mode="serialization"))

    @cached_property
    def field_descriptions(self) -> dict[str, str]:
        return {name: (f.description or "") for name, f in self.input_model.model_fields.items()}

    def manifest(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "toolset": self.toolset,
            "annotations": self.annotations.model_dump(by_alias=True, exclude_none=True),
            "inputSchema": self.input_schema,
            "outputSchema": self.output_schema,
        }


def tool(
    *,
    name: str,
    title: str,
    toolset: str,
    kind: Kind,
    description: str,
    lookup: str | None = None,
) -> Callable[[Handler], Tool]:
    """Declare a handler as a tool. The input and output models are read from its annotations."""
    backend = name.split("_", 1)[0]
    if backend not in ("teamwork", "projectworks"):
        raise ValueError(f"tool name {name!r} must start with teamwork_ or projectworks_")
    if not toolset.startswith(backend + "."):
        raise ValueError(f"toolset {toolset!r} of {name} must start with {backend}.")

    def register(handler: Handler) -> Tool:
        hints = typing.get_type_hints(handler)
        params = list(hints)
        input_model = hints[params[0]]
        output_model = hints["return"]
        return Tool(
            name=name,
            title=title,
            description=" ".join(description.split()),
            input_model=input_model,
            output_model=output_model,
            handler=handler,
            backend=backend,  # type: ignore[arg-type]
            toolset=toolset,
            kind=kind,
            lookup=lookup,
        )

    return register


def collect_tools(*modules: types.ModuleType) -> list[Tool]:
    """Every Tool defined at module level in the given modules, in definition order."""
    found: list[Tool] = []
    for module in modules:
        found.extend(value for value in vars(module).values() if isinstance(value, Tool))
    return found


# ---------------------------------------------------------------------------------------------------------------
# Portable JSON Schema
# ---------------------------------------------------------------------------------------------------------------

_DROP_KEYS = {"title", "additionalProperties", "discriminator"}


def portable_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Flatten pydantic's schema into the subset every MCP client accepts: `$ref`s inlined, no `$defs`, no `title`,
    no `additionalProperties`, `anyOf [T, null]` collapsed to T (optional = not required), no `default: null`,
    every array with `items`."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
            return resolve(merged)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP_KEYS or key == "$defs":
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: resolve(sub) for name, sub in value.items()}
                continue
            out[key] = resolve(value)
        for union_key in ("anyOf", "oneOf"):
            options = out.get(union_key)
            if isinstance(options, list):
                non_null = [o for o in options if o != {"type": "null"}]
                if len(non_null) < len(options):
                    if len(non_null) == 1:
                        del out[union_key]
                        out = {**non_null[0], **out}
                    else:
                        out[union_key] = non_null
        if out.get("default", 0) is None:
            del out["default"]
        if out.get("type") == "array" and "items" not in out:
            out["items"] = {}
        return out

    flat = resolve(schema)
    flat.setdefault("type", "object")
    flat.setdefault("properties", {})
    return flat


# ---------------------------------------------------------------------------------------------------------------
# Argument validation
# ---------------------------------------------------------------------------------------------------------------


def _wants_container(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, dict, tuple, set):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_wants_container(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _wants_container(typing.get_args(annotation)[0])
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def preparse_arguments(model: type[BaseModel], arguments: dict[str, Any]) -> dict[str, Any]:
    """Some clients send arrays and objects as JSON strings; decode those where the field wants a container."""
    out = dict(arguments)
    for name, info in model.model_fields.items():
        value = out.get(name)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{") and _wants_container(info.annotation):
            try:
                out[name] = json.loads(value)
            except ValueError:
                pass
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_validation_error(tool: Tool, exc: ValidationError) -> str:
    """One line per problem, naming the field, what was expected, and where a valid value comes from."""
    fields = list(tool.input_model.model_fields)
    lines: list[str] = []
    for err in exc.errors(include_url=False)[:10]:
        loc = ".".join(str(part) for part in err["loc"]) or "(arguments)"
        top = str(err["loc"][0]) if err["loc"] else ""
        kind = err["type"]
        if kind == "extra_forbidden":
            close = difflib.get_close_matches(top, fields, n=1)
            suggestion = f" Did you mean '{close[0]}'?" if close else ""
            lines.append(f"- {loc}: unknown argument.{suggestion} Valid arguments: {', '.join(fields)}.")
            continue
        if kind == "missing":
            problem = "is required"
        else:
            message = err["msg"]
            problem = f"{message[0].lower()}{message[1:]}" if message else kind
            if "input" in err and kind not in ("model_type", "dict_type") and not loc.endswith("base64"):
                problem += f" (got {_short(err['input'])})"
        expected = tool.field_descriptions.get(top, "") if top == loc else ""
        lines.append(f"- {loc}: {problem}." + (f" Expected: {expected}" if expected else ""))
    more = len(exc.errors()) - 10
    if more > 0:
        lines.append(f"- ... and {more} more problems")
    return f"Invalid arguments for {tool.name}; nothing was sent.\n" + "\n".join(lines)


def validate_arguments(tool: Tool, arguments: dict[str, Any] | None) -> BaseModel:
    """Validate raw arguments into the tool's input model. Raises ValidationError."""
    if arguments is None:
        arguments = {}
    return tool.input_model.model_validate(preparse_arguments(tool.input_model, arguments))


# ---------------------------------------------------------------------------------------------------------------
# Per-call context
# ---------------------------------------------------------------------------------------------------------------

_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]


@dataclass
class ToolContext:
    """What a handler may use besides its arguments and client: progress and log notifications, headers."""

    tool: Tool
    request_id: str
    mcp_context: Any = None  # mcp.server.mcpserver.Context, or None when called outside a request
    settings: Any = None  # the server's Settings (receipts dir, limits)
    min_log_level: str = "info"
    notes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        if self.mcp_context is None:
            return {}
        try:
            raw = self.mcp_context.headers
        except (ValueError, AttributeError):
            return {}
        return {k.lower(): v for k, v in (raw or {}).items()}

    async def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        if self.mcp_context is None:
            return
        try:
            await self.mcp_context.report_progress(done, total, message)
        except Exception:  # noqa: BLE001 - progress is best effort
            logger.debug("progress notification failed", exc_info=True)

    async def log(self, level: str, message: str) -> None:
        """A log notification to the client (retries, rate-limit waits, fallbacks); also to the server log."""
        logger.log(
            logging.WARNING if level in ("warning", "error") else logging.INFO, "%s: %s", self.tool.name, message
        )
        if self.mcp_context is None or _LEVELS.index(level) < _LEVELS.index(self.min_log_level):
            return
        try:
            await self.mcp_context.log(level, message, logger_name="projectops_mcp")
        except Exception:  # noqa: BLE001 - notifications are best effort
            logger.debug("log notification failed", exc_info=True)
