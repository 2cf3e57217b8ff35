"""Fuzzing every registered tool through the MCP client against the sandbox.

For each tool, hypothesis draws arguments from its published inputSchema (valid ones, with ids taken from the demo
data so handlers get past the 404s) and deliberately wrong ones: a required field missing, an unknown key, a wrong
JSON type, an out-of-range number/length/count, null, nested garbage, huge strings and odd unicode. Every call must
end in a structured result or a clean isError (never "Error executing tool", a traceback, an internal error or a
hang); input the schema forbids must be refused with a message naming the field, and any refused input must have
sent zero upstream requests (counted at the sandbox).

The fast profile (PROJECTOPS_FUZZ_EXAMPLES per tool, default 5) runs in `make test`; `bench/fuzz.py` drives the same
generator and checks for 10,000+ cases.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import anyio
import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mcp import Client

from projectops_mcp.server import build_server, registered_tools
from projectops_mcp.toolkit import Tool
from tests.conftest import LiveSandbox, make_settings

CALL_TIMEOUT = 15.0
HUGE = 20_000
GARBAGE = {"a": [{"b": {"c": [None, 1.5, "x", {"d": []}]}}], "e": None}
# Strings that break naive code: RTL override, zero-width joiner, NUL, emoji, combining marks, a lone quote.
ODD_UNICODE = ["\u202eevil\u202c", "a\u200db", "nul\x00byte", "🧾💸", "e\u0301\u0301\u0301", "'; DROP TABLE x;--", "\\"]
# A fixed alphabet keeps drawing cheap; it still mixes scripts, accents, emoji, quotes and markup.
ALPHABET = string.ascii_letters + string.digits + " -_.,'\"<>&%/éøü漢字Ωж🧾💸\u200d"
MUST_REJECT = {"missing", "extra", "wrong_type", "out_of_range", "null_required", "garbage"}
FORBIDDEN_TEXT = ("Error executing tool", "Traceback", "Internal error")


# -- schema-driven generation -------------------------------------------------------------------------------------


def values(schema: dict[str, Any], ids: list[int], name: str = "") -> st.SearchStrategy[Any]:
    """Values valid for one schema node (within what JSON Schema says; cross-field rules are the server's)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([values(option, ids, name) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "integer":
        low = schema.get("minimum", schema["exclusiveMinimum"] + 1 if "exclusiveMinimum" in schema else None)
        high = schema.get("maximum", schema["exclusiveMaximum"] - 1 if "exclusiveMaximum" in schema else None)
        plain = st.integers(min_value=low, max_value=high)
        if name.endswith("_id") or name.endswith("_ids"):
            fitting = [i for i in ids if (low is None or i >= low) and (high is None or i <= high)]
            return st.one_of(st.sampled_from(fitting), plain) if fitting else plain
        return plain
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        return st.floats(
            min_value=low,
            max_value=high,
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return _strings(schema)
    if kind == "array":
        item = values(schema.get("items") or {"type": "integer"}, ids, name)
        return st.lists(item, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 4), 4))
    if kind == "object":
        return arguments(schema, ids)
    return st.none()


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    # Named functions, not lambdas: hypothesis tokenizes a lambda's source to describe it, which is slow.
    fmt = schema.get("format")
    if fmt == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
    if fmt == "date-time":
        return st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2035, 12, 31)).map(_utc_text)
    if fmt == "time":
        return st.times().map(_time_text)
    low, high = schema.get("minLength", 0), schema.get("maxLength")

    def fits(text: str) -> bool:
        return len(text.strip()) >= low and (high is None or len(text) <= high)

    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=schema["pattern"].startswith("^")).filter(fits)
    return st.text(ALPHABET, min_size=max(low, 1), max_size=min(high or 30, 30)).filter(fits)


def _utc_text(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def _time_text(value: dt.time) -> str:
    return value.replace(microsecond=0).isoformat()


def arguments(schema: dict[str, Any], ids: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid argument object: every required property, and any subset of the optional ones."""
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {n: values(sub, ids, n) for n, sub in props.items() if n in required},
        optional={n: values(sub, ids, n) for n, sub in props.items() if n not in required},
    )


def wrong_type(schema: dict[str, Any]) -> list[Any]:
    """Values of the wrong JSON type that no lenient parser could take for the right one."""
    if "enum" in schema:
        return ["not-one-of-the-choices", 12345, ["x"]]
    if "anyOf" in schema:
        return [GARBAGE]
    fmt = schema.get("format")
    if fmt in ("date", "date-time", "time"):
        return ["yesterday", "2024-13-45", "31/12/2024 25:99", {"day": 1}]
    return {
        "integer": ["abc", 1.5, "1.5", [1], {"n": 1}],
        "number": ["abc", [1.0], {"n": 1}],
        "string": [123, 4.5, True, ["x"], {"s": "x"}],
        "boolean": ["maybe", 2, 0.5, [True], {"b": True}],
        "array": [5, "not a list", {"a": 1}],
        "object": [5, "not an object", [1, 2]],
    }.get(schema.get("type", ""), [GARBAGE])


def out_of_range(schema: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    if "minimum" in schema:
        found.append(schema["minimum"] - 1)
    if "exclusiveMinimum" in schema:
        found.append(schema["exclusiveMinimum"])
    if "maximum" in schema:
        found.append(schema["maximum"] + 1)
    if "exclusiveMaximum" in schema:
        found.append(schema["exclusiveMaximum"])
    if schema.get("minLength", 0) > 0:
        found.append("")
    if "maxLength" in schema:
        found.append("x" * (schema["maxLength"] + 1) + "y" * min(HUGE, schema["maxLength"]))
    if schema.get("minItems", 0) > 0:
        found.append([])
    if "maxItems" in schema:
        found.append([1] * (schema["maxItems"] + 1))
    return found


@dataclass
class Case:
    kind: str  # valid | missing | extra | wrong_type | out_of_range | null_required | null_optional | garbage | ...
    args: dict[str, Any]
    field: str = ""  # the argument made wrong
    must_reject: bool = False


def cases(tool: Tool, ids: list[int]) -> st.SearchStrategy[Case]:
    """Cases for one tool; the argument strategy is built once (building strategies is hypothesis's slow part)."""
    valid = arguments(tool.input_schema, ids)

    @st.composite
    def one(draw: st.DrawFn) -> Case:
        return _case(draw, tool, valid)

    return one()


def _case(draw: st.DrawFn, tool: Tool, valid: st.SearchStrategy[dict[str, Any]]) -> Case:
    schema = tool.input_schema
    props: dict[str, Any] = schema["properties"]
    required = list(schema.get("required", []))
    args = draw(valid)
    kinds = ["valid", "valid", "extra", "garbage", "huge"]
    if required:
        kinds += ["missing", "null_required"]
    if props:
        kinds += ["wrong_type", "null_optional", "unicode"]
    if any(out_of_range(p) for p in props.values()):
        kinds += ["out_of_range", "out_of_range"]
    kind = draw(st.sampled_from(kinds))
    if kind == "valid":
        return Case(kind, args)
    if kind == "extra":
        name = "zz_" + draw(st.text(string.ascii_lowercase, min_size=1, max_size=8))
        return Case(kind, {**args, name: draw(st.sampled_from([1, "x", None, GARBAGE]))}, name, True)
    if kind == "missing":
        name = draw(st.sampled_from(required))
        return Case(kind, {k: v for k, v in args.items() if k != name}, name, True)
    if kind == "null_required":
        name = draw(st.sampled_from(required))
        return Case(kind, {**args, name: None}, name, True)
    names = list(props)
    if kind == "out_of_range":
        names = [n for n in names if out_of_range(props[n])]
    name = draw(st.sampled_from(names)) if names else ""
    if not name:  # a tool without arguments: only unknown keys can be wrong
        return Case("extra", {"zz": GARBAGE}, "zz", True)
    sub = props[name]
    if kind == "wrong_type":
        return Case(kind, {**args, name: draw(st.sampled_from(wrong_type(sub)))}, name, True)
    if kind == "out_of_range":
        return Case(kind, {**args, name: draw(st.sampled_from(out_of_range(sub)))}, name, True)
    if kind == "garbage":
        return Case(kind, {**args, name: GARBAGE}, name, True)
    if kind == "null_optional":
        return Case(kind, {**args, name: None}, name)  # may be read as "omitted"
    if kind == "huge":
        return Case(kind, {**args, name: "Z" * HUGE}, name, sub.get("type") != "string" or "maxLength" in sub)
    return Case(kind, {**args, name: draw(st.sampled_from(ODD_UNICODE))}, name)  # unicode


def draw_cases(tool: Tool, ids: list[int], n: int, *, seed: int | None = 0) -> list[Case]:
    """n cases for a tool, drawn by hypothesis (deterministic with a seed, random with None)."""
    drawn: list[Case] = []
    validator = jsonschema.Draft202012Validator(tool.input_schema)

    @settings(
        max_examples=n,
        database=None,
        derandomize=seed is not None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(tool, ids))
    def collect(case: Case) -> None:
        # Nested garbage in a free-form object, say, is not wrong by the schema: do not demand a refusal then.
        if case.must_reject and case.kind in ("garbage", "huge", "wrong_type") and validator.is_valid(case.args):
            fmt = tool.input_schema["properties"].get(case.field, {}).get("format")
            case.must_reject = case.kind == "wrong_type" and fmt is not None
        drawn.append(case)

    collect()
    return drawn


def demo_ids(live: LiveSandbox) -> list[int]:
    """Every record id in both simulators' demo data, so valid calls reach real records."""
    found: set[int] = set()
    for sim in (live.projectworks, live.teamwork):
        for table in sim.store.tables.values():
            found.update(i for i in table if isinstance(i, int))
    return sorted(found)


# -- running and judging ------------------------------------------------------------------------------------------


@dataclass
class Stats:
    cases: int = 0
    invalid: int = 0
    upstream_on_invalid: int = 0
    failures: list[str] = field(default_factory=list)


def _upstream_count(live: LiveSandbox) -> int:
    return len(live.projectworks.requests) + len(live.teamwork.requests)


async def run_case(client: Client, live: LiveSandbox, tool: Tool, case: Case, stats: Stats) -> None:
    before = _upstream_count(live)
    problem = ""
    try:
        with anyio.fail_after(CALL_TIMEOUT):
            result = await client.call_tool(tool.name, case.args)
    except TimeoutError:
        problem = f"hung for more than {CALL_TIMEOUT}s"
    except Exception as exc:  # noqa: BLE001 - a protocol-level failure is itself the finding
        problem = f"protocol error {type(exc).__name__}: {exc}"
    sent = _upstream_count(live) - before
    stats.cases += 1
    if not problem:
        text = result.content[0].text if result.content else ""
        refused = result.is_error and text.startswith("Invalid arguments")
        if refused or case.must_reject:
            stats.invalid += 1
            stats.upstream_on_invalid += sent
        if any(bad in text for bad in FORBIDDEN_TEXT):
            problem = f"unclean error: {text[:300]}"
        elif not result.is_error and result.structured_content is None:
            problem = "a success without structured content"
        elif case.must_reject and not refused:
            problem = f"accepted invalid input (is_error={result.is_error}): {text[:200]}"
        elif case.must_reject and f"- {case.field}" not in text:
            problem = f"the refusal does not name '{case.field}': {text[:300]}"
        elif refused and sent:
            problem = f"refused but sent {sent} upstream requests"
    if problem:
        shown = {k: (v[:40] + "..." if isinstance(v, str) and len(v) > 40 else v) for k, v in case.args.items()}
        stats.failures.append(f"{tool.name} [{case.kind} {case.field}] {shown}: {problem}")


async def fuzz_tools(client: Client, live: LiveSandbox, tools: Iterable[Tool], n: int, seed: int | None) -> Stats:
    stats = Stats()
    ids = demo_ids(live)
    for tool in tools:
        live.reset()
        for case in draw_cases(tool, ids, n, seed=seed):
            await run_case(client, live, tool, case, stats)
    return stats


# -- the fast profile ---------------------------------------------------------------------------------------------


@pytest.fixture
async def fuzz_client(sandbox: LiveSandbox) -> AsyncIterator[Client]:
    server = build_server(make_settings(sandbox, projectops_http_timeout=5.0, projectops_max_retries=0))
    async with Client(server) as c:
        yield c


async def test_every_tool_survives_fuzzed_arguments(fuzz_client: Client, sandbox: LiveSandbox) -> None:
    n = int(os.environ.get("PROJECTOPS_FUZZ_EXAMPLES", "5"))
    tools = registered_tools()
    stats = await fuzz_tools(fuzz_client, sandbox, tools, n, seed=0)
    assert stats.cases >= len(tools) * 2
    assert stats.invalid > 0
    assert stats.upstream_on_invalid == 0
    assert not stats.failures, f"{len(stats.failures)} of {stats.cases} cases failed:\n" + "\n".join(
        stats.failures[:40]
    )
