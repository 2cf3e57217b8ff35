"""What every unified tool shares: the pair of clients, the opaque cursor, the `{result, next_cursor}` page, the
base record (`source`, `id`, `remote_data`), the field mappings (data the code uses and docs/unified-model.md
shows), and the walk that pages through several native lists (one backend after the other) under one cursor.

Unified handlers never build URLs: they call the native tools' handlers (`teamwork_list_tasks`, ...) with the
native input models, so each native rule (paging, tolerant reading, prerequisite checks) applies unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from projectops_mcp.config import BACKEND_SETTINGS
from projectops_mcp.errors import ConfigError, InputError, PrerequisiteError, ProjectOpsError
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.redaction import Redactor
from projectops_mcp.teamwork.client import TeamworkClient
from projectops_mcp.toolkit import (
    InputModel,
    OutputModel,
    Tool,
    ToolContext,
    describe_validation_error,
    validate_arguments,
)

Source = Literal["teamwork", "projectworks"]
SOURCES: tuple[Source, ...] = ("teamwork", "projectworks")
TITLES = {"teamwork": "Teamwork", "projectworks": "Projectworks"}
T = TypeVar("T")
R = TypeVar("R", bound="Record")


# ---------------------------------------------------------------------------------------------------------------
# The clients of one call
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Clients:
    """Both backends' clients for this caller (built by `backends.Backends.client_for("unified", headers)` with the
    native tools' credential rules); None where a backend is not configured."""

    teamwork: TeamworkClient | None = None
    projectworks: ProjectworksClient | None = None
    backend = "unified"

    def __post_init__(self) -> None:
        if self.teamwork is None and self.projectworks is None:
            raise self.missing(SOURCES)

    def get(self, source: Source) -> TeamworkClient | ProjectworksClient | None:
        return self.teamwork if source == "teamwork" else self.projectworks

    @property
    def sources(self) -> list[Source]:
        """The configured backends, Teamwork first."""
        return [s for s in SOURCES if self.get(s) is not None]

    def require(self, source: Source, why: str = "") -> Any:
        client = self.get(source)
        if client is None:
            raise self.missing((source,), why)
        return client

    def require_both(self, why: str = "") -> tuple[TeamworkClient, ProjectworksClient]:
        missing = [s for s in SOURCES if self.get(s) is None]
        if missing:
            raise self.missing(missing, why or "this answer needs both systems")
        assert self.teamwork is not None and self.projectworks is not None
        return self.teamwork, self.projectworks

    @staticmethod
    def missing(sources: Sequence[Source], why: str = "") -> ConfigError:
        settings = BACKEND_SETTINGS
        names = " and ".join(TITLES[s] for s in sources)
        needs = "; ".join(f"{TITLES[s]}: set {settings[s]}" for s in sources)
        reason = f" ({why})" if why else ""
        return ConfigError(f"{names} is not configured on this server{reason}. {needs}. Nothing was sent.")

    @property
    def redactor(self) -> Redactor:
        """Scrubs both clients' secrets."""
        clients = [c for c in (self.teamwork, self.projectworks) if c is not None]
        redactor = clients[0].redactor
        for other in clients[1:]:
            redactor = redactor.with_secrets(other.redactor.secrets)
        return redactor

    @property
    def tenant(self) -> str:
        return "+".join(c.tenant for c in (self.teamwork, self.projectworks) if c is not None)


# ---------------------------------------------------------------------------------------------------------------
# Records and pages
# ---------------------------------------------------------------------------------------------------------------


class Record(OutputModel):
    """Base of every unified record: where it lives, its native id, and (on request) the native record."""

    id: str = Field(description="the native id in `source`")
    source: Source
    remote_data: dict[str, Any] | None = Field(None, description="the native record, when include_remote_data")


class ListResult(OutputModel, Generic[T]):
    result: list[T]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page; absent at the end")
    warnings: list[str] | None = Field(None, description="what could not be read or was skipped")


class GetResult(OutputModel, Generic[T]):
    result: T


class ListInput(InputModel):
    cursor: str | None = Field(None, min_length=1, max_length=2000, description="next_cursor of the previous page")
    page_size: int = Field(50, ge=1, le=200, description="records per page")
    source: Source | None = Field(None, description="only this system")
    include_remote_data: bool = Field(False, description="add each native record as remote_data")


# ---------------------------------------------------------------------------------------------------------------
# Mappings: unified field <- native record field, as data (the docs table is tested against it)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """A unified field computed from the native record; `rule` is what docs/unified-model.md shows."""

    rule: str
    compute: Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Mapping(Generic[R]):
    """How one native record becomes one unified record. `native` names the native tool whose records are read;
    `fields` maps each unified field to a field of that tool's record (copied) or a `Derived` rule. `id` is
    always the native id field, as a string."""

    entity: str
    source: Source
    native: str
    model: type[R]
    id: str
    fields: dict[str, str | Derived] = field(default_factory=dict)

    def rules(self) -> dict[str, str]:
        """{unified field: rule}, as docs/unified-model.md writes it."""
        out = {"id": self.id, "source": f"`{self.source}`"}
        for name, spec in self.fields.items():
            out[name] = spec.rule if isinstance(spec, Derived) else spec
        return out

    def build(self, native: BaseModel | dict[str, Any], remote: dict[str, Any] | None = None, **context: Any) -> R:
        """The unified record of one native record; `context` adds facts a `Derived` rule reads besides the
        record (the site owner's company)."""
        data = native.model_dump() if isinstance(native, BaseModel) else dict(native)
        data.update(context)
        values: dict[str, Any] = {"id": str(data[self.id]), "source": self.source, "remote_data": remote}
        for name, spec in self.fields.items():
            values[name] = spec.compute(data) if isinstance(spec, Derived) else data.get(spec)
        return self.model(**values)


MAPPINGS: list[Mapping[Any]] = []  # every mapping, for docs/unified-model.md's test


def mapping(entity: str, source: Source, native: str, model: type[R], id: str, **fields: str | Derived) -> Mapping[R]:
    """Declare (and register) a mapping."""
    declared = Mapping(entity, source, native, model, id, fields)
    MAPPINGS.append(declared)
    return declared


def constant(value: Any) -> Derived:
    return Derived(f"`{value}`", lambda _: value)


def id_text(name: str) -> Derived:
    """A native id field, as text (ids are text in the unified model)."""
    return Derived(f"{name} (as text)", lambda d: str(d[name]) if d.get(name) is not None else None)


def ids_text(name: str) -> Derived:
    return Derived(f"{name} (as text)", lambda d: [str(i) for i in d[name]] if d.get(name) is not None else None)


def shown(record: R, args: Any) -> R:
    """The record as a get answers it: remote_data only when the call asked for it."""
    if not getattr(args, "include_remote_data", False):
        record.remote_data = None
    return record


def full_name(first: str, last: str) -> Derived:
    def compute(data: dict[str, Any]) -> str | None:
        return " ".join(p for p in (data.get(first), data.get(last)) if p) or None

    return Derived(f"{first} + ' ' + {last}", compute)


# ---------------------------------------------------------------------------------------------------------------
# The cursor
# ---------------------------------------------------------------------------------------------------------------

CURSOR_HINT = "Pass next_cursor exactly as the previous page returned it, with the same filters, or omit cursor."


@dataclass(frozen=True)
class Position:
    """Where a walk resumes: stream `stream`, its native page `page` (of `native_size` records), from `offset`."""

    stream: int = 0
    page: int = 1
    offset: int = 0
    native_size: int = 0


def _fingerprint(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:10]


def encode_cursor(position: Position, scope: str) -> str:
    payload = {"s": position.stream, "p": position.page, "o": position.offset, "n": position.native_size}
    payload["f"] = _fingerprint(scope)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> Position:
    """The position a cursor names. `scope` is the tool and its filters: a cursor of another list (or of the same
    list with other filters) is refused, as a tampered or truncated one is."""
    if cursor is None:
        return Position()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = [payload[k] for k in ("s", "p", "o", "n")]
        fingerprint = payload["f"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InputError("cursor", "is not a cursor this server issued (it may be cut short).", CURSOR_HINT) from None
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values) or values[1] < 1:
        raise InputError("cursor", "is not a cursor this server issued.", CURSOR_HINT)
    if fingerprint != _fingerprint(scope):
        raise InputError("cursor", "belongs to another list or to other filters.", CURSOR_HINT)
    return Position(*values)


def cursor_scope(tool: str, args: BaseModel) -> str:
    """What a cursor is bound to: the tool and every argument that selects records (not paging or output)."""
    selecting = args.model_dump(mode="json", exclude={"cursor", "page_size", "include_remote_data", "fields"})
    return tool + json.dumps(selecting, sort_keys=True, default=str)


# ---------------------------------------------------------------------------------------------------------------
# Walking several native lists under one cursor
# ---------------------------------------------------------------------------------------------------------------

# One page of one native list: (unified records, has_more, warnings).
Fetched = tuple[list[Any], bool, list[str]]
PageFetcher = Callable[[int, int], Awaitable[Fetched]]


@dataclass
class Stream:
    """One native list a unified list walks: its source and how to fetch native page `page` of `size` records."""

    source: Source
    fetch: PageFetcher
    kind: str = ""  # the native record type, for lists filtered by it (tickets: task or milestone)


async def walk(streams: Sequence[Stream], args: ListInput, ctx: ToolContext, *, clients: Clients) -> ListResult[Any]:
    """One unified page: records from the streams in order (every Teamwork list, then every Projectworks one),
    resuming at the cursor, at most `page_size` records and about the result token budget; `next_cursor` points
    at the first record not returned. Streams of an unconfigured backend are skipped with a warning (or refused
    when `source` asks for that backend)."""
    tool = ctx.tool
    scope = cursor_scope(tool, args)
    position = decode_cursor(args.cursor, scope)
    if args.source is not None:
        clients.require(args.source)
    warnings: list[str] = []
    for source in SOURCES:
        if clients.get(source) is None and args.source is None and any(s.source == source for s in streams):
            warnings.append(f"{TITLES[source]} is not configured on this server: its records are not included.")
    chosen = [i for i, s in enumerate(streams) if clients.get(s.source) is not None and args.source in (None, s.source)]
    budget = _budget_chars(ctx)
    result: list[Any] = []
    used = 0
    stream, page, offset = position.stream, position.page, position.offset
    native_size = position.native_size or args.page_size
    next_position: Position | None = None
    while True:
        pending = [i for i in chosen if i >= stream]
        if not pending:
            break
        if pending[0] != stream:
            stream, page, offset = pending[0], 1, 0
        if len(result) >= args.page_size:
            next_position = Position(stream, page, offset, native_size)
            break
        records, has_more, fetched_warnings = await streams[stream].fetch(page, native_size)
        warnings += fetched_warnings
        index = offset
        while index < len(records) and len(result) < args.page_size:
            record = records[index]
            if not args.include_remote_data:
                record.remote_data = None
            size = len(record.model_dump_json(exclude_none=True)) + 1
            if result and used + size > budget:
                break
            result.append(record)
            used += size
            index += 1
        if index < len(records):  # the page or the budget is full inside this native page: resume there
            next_position = Position(stream, page, index, native_size)
            break
        if has_more and records:
            page, offset = page + 1, 0
        else:
            stream, page, offset = stream + 1, 1, 0
    cursor = encode_cursor(next_position, scope) if next_position is not None else None
    return ListResult(result=result, next_cursor=cursor, warnings=warnings or None)


def _budget_chars(ctx: ToolContext) -> float:
    """The result token budget as JSON characters (no cap when 0)."""
    from projectops_mcp.result_economy import CHARS_PER_TOKEN

    tokens = ctx.settings.projectops_result_token_budget if ctx.settings is not None else 0
    return tokens * CHARS_PER_TOKEN - 200 if tokens > 0 else float("inf")


def native_page(page: BaseModel) -> tuple[list[Any], bool, list[str]]:
    """(items, has_more, warnings) of a native tool's `Page`."""
    return list(page.items), bool(page.has_more), list(page.warnings or [])  # type: ignore[attr-defined]


def from_native(page: BaseModel, convert: Mapping[Any], **context: Any) -> Fetched:
    """A native tool's `Page` (records fetched with include_raw) as one page of unified records; its warnings
    say which native list they came from."""
    items, has_more, warnings = native_page(page)
    converted = [convert.build(r, getattr(r, "raw", None), **context) for r in items]
    return converted, has_more, [f"{TITLES[convert.source]} ({convert.native}): {w}" for w in warnings]


def native_stream(
    clients: Clients,
    ctx: ToolContext,
    native: Tool,
    convert: Mapping[Any],
    *,
    kind: str = "",
    context: Callable[[Any], Awaitable[dict[str, Any]]] | None = None,
    keep: Callable[[Any], bool] | None = None,
    **filters: Any,
) -> Stream:
    """A stream over a native list tool: each page read through its handler (its own input model with `filters`
    and include_raw) and mapped with `convert`; `context(client)` adds facts a `Derived` rule reads, `keep` drops
    records the native list cannot filter itself."""
    if native.name != convert.native:
        raise ValueError(f"{convert.entity} mapping reads {convert.native}, not {native.name}")

    async def fetch(page: int, size: int) -> Fetched:
        client = clients.require(convert.source)
        query = native.input_model(page=page, page_size=size, include_raw=True, **filters)
        facts = await context(client) if context is not None else {}
        records, has_more, warnings = from_native(await native.handler(query, client, ctx), convert, **facts)
        return [r for r in records if keep is None or keep(r)], has_more, warnings

    return Stream(convert.source, fetch, kind)


def mapping_table(entity: str) -> str:
    """The markdown table of one entity's mappings, as docs/unified-model.md holds it (tests/unified compares)."""
    maps = [m for m in MAPPINGS if m.entity == entity]
    names = [n for n in maps[0].model.model_fields if n != "remote_data"]
    lines = [
        "| unified field | " + " | ".join(f"{m.source} (`{m.native}`)" for m in maps) + " |",
        "|---|" + "---|" * len(maps),
    ]
    for name in names:
        cells = [m.rules().get(name, "—").replace("|", "\\|") for m in maps]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mapped_entities() -> list[str]:
    return list(dict.fromkeys(m.entity for m in MAPPINGS))


# ---------------------------------------------------------------------------------------------------------------
# Writes routed to a native tool
# ---------------------------------------------------------------------------------------------------------------


class NativeInputError(ProjectOpsError):
    """The arguments a unified write would send to a native tool fail that tool's own validation."""

    kind = "invalid_input"


class NativeRefusal(ProjectOpsError):
    """A native tool's refusal (a missing prerequisite), with the unified argument its field came from."""

    def __init__(self, text: str, kind: str):
        self.kind = kind
        super().__init__(text)


def _renamed_note(text: str, native: Tool, renamed: dict[str, str]) -> str:
    notes = [f"{n} is {native.name}'s name for {u}" for n, u in renamed.items() if re.search(rf"\b{n}\b", text)]
    return " (" + "; ".join(notes) + ".)" if notes else ""


@contextmanager
def native_names(native: Tool, renamed: dict[str, str]) -> Iterator[None]:
    """Run a native handler; a refusal naming a native field also names the unified argument behind it (upstream
    errors pass unchanged: the server adds their next steps)."""
    try:
        yield
    except (InputError, PrerequisiteError, NativeInputError) as exc:
        note = _renamed_note(str(exc), native, renamed)
        if not note:
            raise
        raise NativeRefusal(str(exc) + note, exc.kind) from exc


def native_input(
    native: Tool, values: dict[str, Any], extra: dict[str, Any] | None, renamed: dict[str, str]
) -> BaseModel:
    """`values` (None = not given) plus the caller's `native` arguments, validated exactly as a direct call of the
    native tool would be; a refusal names the native field and the unified argument it came from (`renamed`:
    native field -> unified argument). Nothing is sent before this passes."""
    given = {k: v for k, v in values.items() if v is not None}
    clash = sorted(set(extra or {}) & set(given))
    if clash:
        names = ", ".join(f"{c} (set by {renamed.get(c, c)})" for c in clash)
        raise InputError("native", f"{names} already come from the unified arguments; nothing was sent.")
    try:
        return validate_arguments(native, {**(extra or {}), **given})
    except ValidationError as exc:
        text = describe_validation_error(native, exc)
        raise NativeInputError(text + _renamed_note(text, native, renamed)) from None
