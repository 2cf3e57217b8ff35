"""Pieces shared by the unified entities only Teamwork has (teams, groups, comments, attachments, tags, ticket
priorities, activities): list and get inputs that accept only `source: teamwork`, and native lists that are not
paged served in unified pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.toolkit import InputModel
from projectops_mcp.unified._common import ListInput


class TeamworkListInput(ListInput):
    source: Literal["teamwork"] | None = Field(None, description="only Teamwork has these")


class TeamworkGetInput(InputModel):
    source: Literal["teamwork"] = Field("teamwork", description="only Teamwork has these")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")


def slice_page(records: Sequence[Any], page: int, size: int) -> tuple[list[Any], bool]:
    """Native page `page` of `size` records cut from a native list that answers everything at once."""
    start = (page - 1) * size
    return list(records[start : start + size]), start + size < len(records)
