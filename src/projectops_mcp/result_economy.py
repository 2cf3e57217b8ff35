"""Result economy: what a list result costs the model that reads it.

- `fields` (on every list tool, from `PageInput`) keeps only the chosen record fields (and the record's required
  ones, its id among them, so the result still matches the outputSchema). Unknown names are refused before
  anything is sent, with the valid names.
- A page whose JSON would pass the token budget (`PROJECTOPS_RESULT_TOKEN_BUDGET`) is cut to the records that fit,
  on a page grid the agent can continue from: `more` says "N more: call again with page=P, page_size=S".
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from projectops_mcp.errors import InputError

CHARS_PER_TOKEN = 3.5  # compact JSON of records runs at about 3-4 characters per o200k token


def item_model(output_model: type[BaseModel]) -> type[BaseModel] | None:
    """The record model of a `Page[...]` output, else None."""
    items = output_model.model_fields.get("items")
    if items is None or "page_size" not in output_model.model_fields:
        return None
    args = typing.get_args(items.annotation)
    return args[0] if args and isinstance(args[0], type) and issubclass(args[0], BaseModel) else None


def check_fields(output_model: type[BaseModel], args: BaseModel) -> None:
    """Refuse `fields` names the records do not have (before anything is sent)."""
    wanted = getattr(args, "fields", None)
    model = item_model(output_model)
    if not wanted or model is None:
        return
    valid = list(model.model_fields)
    unknown = [f for f in wanted if f not in valid]
    if unknown:
        raise InputError(
            "fields", f"{', '.join(unknown)}: no such record field; nothing was sent.", f"Valid: {', '.join(valid)}."
        )


def shape(result: BaseModel, args: BaseModel, output_model: type[BaseModel], budget_tokens: int) -> dict[str, Any]:
    """The structured result: chosen fields only, and a page cut to the token budget (see the module docstring)."""
    structured = result.model_dump(mode="json", exclude_none=True)
    model = item_model(output_model)
    if model is None or not isinstance(structured.get("items"), list):
        return structured
    wanted = getattr(args, "fields", None)
    if wanted:
        keep = set(wanted) | {name for name, f in model.model_fields.items() if f.is_required()}
        structured["items"] = [{k: v for k, v in item.items() if k in keep} for item in structured["items"]]
    return _fit(structured, budget_tokens)


def _fit(page: dict[str, Any], budget_tokens: int) -> dict[str, Any]:
    items: list[Any] = page["items"]
    budget = int(budget_tokens * CHARS_PER_TOKEN)
    if budget <= 0 or len(_json(page)) <= budget:
        return page
    sizes = [len(_json(item)) + 1 for item in items]
    room = budget - len(_json({**page, "items": []})) - 120  # 120: the `more` sentence
    fit = 0
    while fit < len(items) and room - sizes[fit] >= 0:
        room -= sizes[fit]
        fit += 1
    fit = max(fit, 1)  # one record always goes out, however large
    start = (page.get("page", 1) - 1) * page.get("page_size", len(items))
    size = fit
    while start % size:  # a page size on whose grid the next call starts right after the last record sent
        size -= 1
    left = len(items) - size
    next_page = (start + size) // size + 1
    return {
        **page,
        "items": items[:size],
        "has_more": True,
        "more": f"{left} more records on this page were left out to keep the answer short: call again with "
        f"page={next_page}, page_size={size} (or ask for fewer fields).",
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
