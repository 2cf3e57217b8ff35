"""Boards: the v1 portfolio boards (boards of projects), and the "My Board" update from seed 003.

`PUT /boards/{id}.json` is known only from Teamwork's sample body ("Update My Board > Board"); no documentation or
SDK confirms it. It is sent key for key as that sample: `projectIds` and `userIds` as comma-joined strings, `columns`
as an array of names, and every key every time. Whether the API would keep keys left out is unknown, so the tool
treats the call as a full replacement (destructive hint) and asks for the whole board.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from projectops_mcp.models import IncludeRaw, RawRecord, no_duplicates
from projectops_mcp.teamwork._common import fetch_person
from projectops_mcp.teamwork.client import TeamworkClient, ikey, v1_bool, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

HEX_OR_EMPTY = r"^(#[0-9A-Fa-f]{6})?$"


class PortfolioBoard(OutputModel):
    board_id: int
    name: str
    description: str | None = None
    color: str | None = None
    display_order: int | None = None
    project_count: int | None = None
    created_at: str | None = None
    can_edit: bool | None = None
    raw: RawRecord = None


def to_board(record: dict[str, Any], include_raw: bool = False) -> PortfolioBoard:
    stats = ikey(record, "stats")
    return PortfolioBoard(
        board_id=v1_int(ikey(record, "id")) or 0,
        name=ikey(record, "name") or "",
        description=ikey(record, "description") or None,
        color=ikey(record, "color") or None,
        display_order=v1_int(ikey(record, "displayOrder")),
        project_count=v1_int(ikey(stats, "projects")) if isinstance(stats, dict) else None,
        created_at=ikey(record, "dateCreated") or None,
        can_edit=v1_bool(ikey(record, "canEdit")),
        raw=record if include_raw else None,
    )


class PortfolioBoardList(OutputModel):
    items: list[PortfolioBoard]


class ListPortfolioBoardsInput(InputModel):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_portfolio_boards",
    title="List Portfolio Boards",
    toolset="teamwork.boards",
    kind="read",
    description="List the portfolio boards (projects arranged in columns).",
)
async def list_portfolio_boards(
    args: ListPortfolioBoardsInput, tw: TeamworkClient, ctx: ToolContext
) -> PortfolioBoardList:
    data = await tw.get("/portfolio/boards.json")
    boards = ikey(data, "boards") or []
    return PortfolioBoardList(items=[to_board(b, args.include_raw) for b in boards if isinstance(b, dict)])


class BoardIdInput(InputModel):
    board_id: int = Field(gt=0, description="from teamwork_list_portfolio_boards")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_portfolio_board",
    title="Get Portfolio Board",
    toolset="teamwork.boards",
    kind="read",
    lookup="teamwork_list_portfolio_boards",
    description="Get one portfolio board.",
)
async def get_portfolio_board(args: BoardIdInput, tw: TeamworkClient, ctx: ToolContext) -> PortfolioBoard:
    return to_board(await tw.one("GET", f"/portfolio/boards/{args.board_id}.json", "board", "BOARD"), args.include_raw)


class UpdateBoardInput(InputModel):
    board_id: int = Field(gt=0, description="The board (teamwork_list_portfolio_boards, or its URL in Teamwork).")
    name: str = Field(min_length=1, max_length=200, description="The board's name.")
    description: str = Field("", max_length=2000, description="Its description; empty clears it.")
    color: str = Field("", pattern=HEX_OR_EMPTY, description="Colour as #RRGGBB; empty for none.")
    project_ids: list[int] = Field(
        min_length=1, max_length=500, description="Every project on the board; from teamwork_list_projects"
    )
    columns: list[str] = Field(
        min_length=1, max_length=50, description="Every column name, in order, e.g. ['In progress', 'Completed']."
    )
    user_ids: list[int] = Field(
        default_factory=list, max_length=200, description="People it is shared with; from teamwork_list_people"
    )

    @field_validator("columns")
    @classmethod
    def _distinct_columns(cls, columns: list[str]) -> list[str]:
        if any(not c.strip() for c in columns):
            raise ValueError("column names must not be empty")
        return no_duplicates(columns, "column name")


class Board(OutputModel):
    board_id: int
    name: str
    description: str
    color: str
    project_ids: list[int]
    columns: list[str]
    user_ids: list[int]


def _joined(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids)


@tool(
    name="teamwork_update_board",
    title="Update Board",
    toolset="teamwork.boards",
    kind="replace",
    lookup="teamwork_list_portfolio_boards",
    description="Replace a board in full: name, description, colour, projects, columns, sharing.",
)
async def update_board(args: UpdateBoardInput, tw: TeamworkClient, ctx: ToolContext) -> Board:
    for user_id in args.user_ids:
        await fetch_person(tw, user_id, field="user_ids")
    body = {
        "name": args.name,
        "description": args.description,
        "color": args.color,
        "projectIds": _joined(args.project_ids),
        "columns": args.columns,
        "userIds": _joined(args.user_ids),
    }
    await tw.put(f"/boards/{args.board_id}.json", {"board": body})
    return Board(**args.model_dump())
