"""Input and output building blocks shared by both backends."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import Field

from projectops_mcp.toolkit import InputModel, OutputModel

T = TypeVar("T")


class PageInput(InputModel):
    page: int = Field(1, ge=1, description="Page, from 1.")
    page_size: int = Field(50, ge=1, le=500, description="Records per page.")


class Page(OutputModel, Generic[T]):
    """A page of records. `has_more` is true when another page may exist."""

    items: list[T]
    page: int
    page_size: int
    has_more: bool
    total: int | None = Field(None, description="Total matching records, when the backend reports it.")


class Deleted(OutputModel):
    id: int
    deleted: bool = True


class WriteResult(OutputModel):
    """For writes whose upstream answer carries no record: what was sent, and that it was accepted."""

    id: int | None = None
    updated: bool = True
    sent: dict[str, Any] | None = Field(None, description="The body that was accepted by the backend.")
