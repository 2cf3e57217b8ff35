"""The Tool spec: an input model, an output model, annotations and a handler; from it come the flat portable
inputSchema, the outputSchema and argument validation with field-naming errors. Serving a call (building the
client, mapping failures to `isError` results, the structured result) happens in `server.ProjectOpsServer._call`.

Writing a tool:

    @tool(name="projectworks_list_roles", title="List Roles", toolset="projectworks.reference", kind="read",
          description="...")
    async def list_roles(args: ListRolesInput, pw: ProjectworksClient, ctx: ToolContext) -> RoleList:
        ...

The handler receives the validated input model, the backend client for this call (with this caller's
credentials), and a `ToolContext` (the call itself, `calls.Call`) for progress and log notifications. It returns
the output model.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import importlib
import json
import logging
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from mcp.types import ToolAnnotations
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from projectops_mcp.calls import BackendName, Call
from projectops_mcp.writes import controls

logger = logging.getLogger("projectops_mcp.toolkit")

# What a handler receives as `ctx`: the call itself (progress, log notifications, settings, headers).
ToolContext = Call
# A tool's prefix: one backend, or `unified` (both backends' clients in one `unified._common.Clients`).
Backend = BackendName | Literal["unified"]
TOOL_PREFIXES = ("teamwork", "projectworks", "unified")
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


# The largest id an argument may carry: beyond 2**53 JSON clients round integers, so no id read from a list is larger.
MAX_ID = 2**53 - 1


class InputModel(BaseModel):
    """Base of every tool input: unknown keys are refused (an agent's typo must not be silently ignored), a
    boolean is never read as a number (`true` is not id 1), and ids are at most MAX_ID."""

    # defer_build: validators are built on first use, so a tool module imports faster and a first call builds only
    # the models it needs (bench/load.py, first call).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        if not _wants_number(cls.model_fields[name].annotation):
            return value
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                raise ValueError("expected a number, not true/false")
            if name.endswith(("_id", "_ids")) and isinstance(item, int) and item > MAX_ID:
                raise ValueError(f"is larger than any id (at most {MAX_ID})")
        return value


class OutputModel(BaseModel):
    """Base of every tool output. None-valued fields are omitted from results, so optional means 'may be absent'."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


Handler = Callable[[Any, Any, Call], Awaitable[BaseModel]]


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
        # Write tools also take `dry_run` (and creates `allow_duplicate`): see projectops_mcp.writes.controls.
        return controls.with_controls(self.kind, portable_schema(self.input_model.model_json_schema(mode="validation")))

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        # Write tools may answer `{"preview": ...}` instead (dry_run): see projectops_mcp.writes.preview.
        schema = portable_schema(self.output_model.model_json_schema(mode="serialization"))
        return controls.output_schema(self.kind, schema)

    @cached_property
    def field_descriptions(self) -> dict[str, str]:
        return {name: (f.description or "") for name, f in self.input_model.model_fields.items()}

    def catalogue_entry(self) -> dict[str, Any]:
        """What `CatalogueTool` needs to list this tool without importing its module."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "backend": self.backend,
            "toolset": self.toolset,
            "kind": self.kind,
            "lookup": self.lookup,
            "module": self.handler.__module__,
            "inputSchema": self.input_schema,
            "outputSchema": self.output_schema,
        }

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


@dataclass
class CatalogueTool:
    """A tool as the packaged catalogue (`catalogue.json`, generated by `projectops-mcp manifests --write` and
    drift-tested) describes it: enough to filter and list it, so start-up imports no tool module and builds no
    pydantic model. The real `Tool` is imported on its first call."""

    name: str
    title: str
    description: str
    backend: Backend
    toolset: str
    kind: Kind
    lookup: str | None
    module: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    _loaded: Tool | None = field(default=None, repr=False)

    read_only = Tool.read_only
    annotations = Tool.annotations
    manifest = Tool.manifest

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> CatalogueTool:
        return cls(
            name=entry["name"],
            title=entry["title"],
            description=entry["description"],
            backend=entry["backend"],
            toolset=entry["toolset"],
            kind=entry["kind"],
            lookup=entry["lookup"],
            module=entry["module"],
            input_schema=entry["inputSchema"],
            output_schema=entry["outputSchema"],
        )

    def load(self) -> Tool:
        if self._loaded is None:
            module = importlib.import_module(self.module)
            found = [v for v in vars(module).values() if isinstance(v, Tool) and v.name == self.name]
            if not found:
                raise LookupError(f"{self.name} is in the catalogue but not in {self.module}: run 'make manifests'")
            self._loaded = found[0]
        return self._loaded


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
    if backend not in TOOL_PREFIXES:
        raise ValueError(f"tool name {name!r} must start with teamwork_, projectworks_ or unified_")
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
    """Every Tool defined at module level in the given modules, in definition order. A Tool imported into a second
    module is listed once; two different Tools with one name are refused (the second would shadow the first)."""
    found: dict[str, Tool] = {}
    for module in modules:
        for value in vars(module).values():
            if not isinstance(value, Tool):
                continue
            seen = found.setdefault(value.name, value)
            if seen is not value:
                raise ValueError(
                    f"two tools are named {value.name!r}: {seen.handler.__module__}.{seen.handler.__name__} and "
                    f"{value.handler.__module__}.{value.handler.__name__}"
                )
    return list(found.values())


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


def _wants_number(annotation: Any) -> bool:
    """int or float, alone, optional, in a list or Annotated (not bool, which subclasses int)."""
    if annotation in (int, float):
        return True
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        return any(_wants_number(arg) for arg in typing.get_args(annotation))
    return False


def preparse_arguments(model: type[BaseModel], arguments: dict[str, Any]) -> dict[str, Any]:
    """Some clients send arrays and objects as JSON strings; decode those where the field wants a container."""
    out = dict(arguments)
    for name, info in model.model_fields.items():
        value = out.get(name)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{") and _wants_container(info.annotation):
            try:
                out[name] = json.loads(value)
            except (ValueError, RecursionError):  # left as a string: validation then names the field
                pass
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


DATE_HINT = "use YYYY-MM-DD, e.g. 2026-12-11"
DATETIME_HINT = "use an ISO 8601 date-time in UTC, e.g. 2026-12-11T09:00:00Z"
_DATE_ERRORS = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type", "iso_date"}
_DATETIME_ERRORS = {"datetime_parsing", "datetime_from_date_parsing", "datetime_type", "iso_datetime"}


def _date_kind(annotation: Any) -> str | None:
    """'date' or 'datetime' when a field holds one (optional or not)."""
    for arg in (annotation, *typing.get_args(annotation)):
        if arg is datetime.datetime:
            return "datetime"
        if arg is datetime.date:
            return "date"
    return None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    args = (annotation, *typing.get_args(annotation))
    return [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]


def timestamp_like_dates(model: type[BaseModel], values: Any, loc: tuple[Any, ...] = ()) -> list[Any]:
    """Errors for numbers given as dates: pydantic reads 20261211 or "1733011200" as a Unix timestamp (a wrong day,
    or an odd 'should have zero time' error); a date is only ever read from YYYY-MM-DD text here."""
    if not isinstance(values, dict):
        return []
    errors: list[Any] = []
    for name, info in model.model_fields.items():
        value = values.get(name)
        kind = _date_kind(info.annotation)
        numeric = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().isdigit()
        )
        if kind and numeric:
            hint = DATE_HINT if kind == "date" else DATETIME_HINT
            message = f"{hint}; a number is not read as a timestamp"
            errors.append({"type": PydanticCustomError(f"iso_{kind}", message), "loc": (*loc, name), "input": value})
        nested = _models_in(info.annotation) + [m for a in typing.get_args(info.annotation) for m in _models_in(a)]
        for sub in dict.fromkeys(nested):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                where = (*loc, name, index) if isinstance(value, list) else (*loc, name)
                errors += timestamp_like_dates(sub, item, where)
    return errors


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
        elif kind in _DATE_ERRORS or kind in _DATETIME_ERRORS:
            problem = (DATE_HINT if kind in _DATE_ERRORS else DATETIME_HINT) + (
                "; a number is not read as a timestamp" if kind.startswith("iso_") else ""
            )
            if "input" in err:
                problem += f" (got {_short(err['input'])})"
        else:
            message = err["msg"]
            if message.startswith("Value error, "):  # our own validators' words, kept as written
                problem = message.removeprefix("Value error, ")
            else:
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
    values = preparse_arguments(tool.input_model, arguments)
    numbers_as_dates = timestamp_like_dates(tool.input_model, values)
    if numbers_as_dates:
        raise ValidationError.from_exception_data(tool.input_model.__name__, numbers_as_dates)
    return tool.input_model.model_validate(values)
