"""o200k token counts of what a model reads from tools/list (the `bench` extra installs the tokenizer offline).

`bpe-openai` embeds the o200k_base vocabulary in its wheel, so counting needs no network (tiktoken downloads its
vocabulary on first use). A tool's model-facing part is name + description + inputSchema as compact JSON: what
clients put into the prompt; the outputSchema and annotations are counted separately."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

try:
    import bpe_openai
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise SystemExit("the token benchmarks need the bench extra: pip install -e '.[bench]'") from exc


@cache
def _encoding() -> Any:
    return bpe_openai.get_encoding("o200k_base")


def count(text: str) -> int:
    return len(_encoding().encode(text))


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def model_facing(tool: Any) -> str:
    """name + description + inputSchema of an `mcp.types.Tool`, compact JSON."""
    return compact({"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema})


def whole(tool: Any) -> str:
    """Everything tools/list sends for one tool (title, outputSchema, annotations included)."""
    return compact(tool.model_dump(by_alias=True, exclude_none=True, mode="json"))


@dataclass
class ListingFigures:
    tools: int
    total: int  # model-facing tokens of the whole listing
    median: float
    max: int
    heaviest: str
    with_output: int  # every byte of tools/list, in tokens
    size_bytes: int

    def line(self) -> str:
        return (
            f"{self.tools} tools, {self.total:,} tokens model-facing (median {self.median:.0f}/tool, max {self.max}"
            f" {self.heaviest}), {self.with_output:,} tokens / {self.size_bytes / 1024:.0f} KB with output schemas"
        )


def figures(tools: Iterable[Any]) -> ListingFigures:
    tools = list(tools)
    facing = [count(model_facing(t)) for t in tools]
    wholes = [whole(t) for t in tools]
    top = max(range(len(tools)), key=facing.__getitem__)
    return ListingFigures(
        tools=len(tools),
        total=sum(facing),
        median=statistics.median(facing),
        max=facing[top],
        heaviest=tools[top].name,
        with_output=sum(count(w) for w in wholes),
        size_bytes=sum(len(w.encode()) for w in wholes),
    )
