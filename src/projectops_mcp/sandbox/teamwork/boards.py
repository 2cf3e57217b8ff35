"""Boards: v1 portfolio boards (list, get) and the unverified "My Board" update `PUT /boards/{id}.json`.

One `boards` table serves both. The update takes seed 003's sample shape and stores what it receives as received:
`projectIds` and `userIds` stay the comma-joined strings (so a test can read them back), `columns` a list of names.
A JSON array where the sample has a comma string is refused with a 400.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import exists, v1_error, v1_ok, v1_str

BOARD_KEYS = frozenset({"name", "description", "color", "projectIds", "columns", "userIds"})
ID_LIST = re.compile(r"^(\d+(,\d+)*)?$")
COLOR = re.compile(r"^(#[0-9A-Fa-f]{6})?$")


def seed(store: Store) -> None:
    for order, board in enumerate(_demo.BOARDS, start=1):
        record = copy.deepcopy(board)
        record.update(
            projectIds=",".join(str(p) for p in board["projectIds"]),
            userIds=",".join(str(u) for u in board["userIds"]),
            displayOrder=order,
            dateCreated=_demo.CREATED,
        )
        store.put("boards", board["id"], record)


def v1_board(b: dict[str, Any]) -> dict[str, Any]:
    projects = [p for p in b["projectIds"].split(",") if p]
    return {
        "id": v1_str(b["id"]),
        "name": b["name"],
        "description": b["description"],
        "color": b["color"],
        "displayOrder": v1_str(b["displayOrder"]),
        "dateCreated": b["dateCreated"],
        "deleted": False,
        "deletedDate": "",
        "canEdit": True,
        "stats": {"projects": v1_str(len(projects))},
    }


def board_problem(store: Store, body: dict[str, Any]) -> str | None:
    unknown = sorted(set(body) - BOARD_KEYS)
    if unknown:
        return f"Unknown field '{unknown[0]}'"
    if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
        return "name must be a non-empty string"
    if "description" in body and not isinstance(body["description"], str):
        return "description must be a string"
    if "color" in body and (not isinstance(body["color"], str) or not COLOR.match(body["color"])):
        return "color must be a #RRGGBB colour or empty"
    for key, table in (("projectIds", "projects"), ("userIds", "people")):
        if key not in body:
            continue
        value = body[key]
        if not isinstance(value, str) or not ID_LIST.match(value):
            return f"{key} must be a comma-separated string of ids"
        missing = [i for i in value.split(",") if i and not exists(store, table, int(i))]
        if missing:
            return f"{key}: {missing[0]} not found"
    columns = body.get("columns", [])
    if not isinstance(columns, list) or not all(isinstance(c, str) and c.strip() for c in columns):
        return "columns must be an array of column names"
    return None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_boards(request: Request) -> Response:
        rows = sorted(store.table("boards").values(), key=lambda b: b["displayOrder"])
        return v1_ok(boards=[v1_board(b) for b in rows])

    async def get_board(request: Request) -> Response:
        board = store.table("boards").get(request.path_params["board_id"])
        if board is None:
            return v1_error(404, "Board not found")
        return v1_ok(board=v1_board(board))

    async def update_board(request: Request) -> Response:
        board = store.table("boards").get(request.path_params["board_id"])
        if board is None:
            return v1_error(404, "Board not found")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("board"), dict):
            return v1_error(422, "Could not read the submitted JSON: expected a 'board' object")
        problem = board_problem(store, body["board"])
        if problem:
            return v1_error(400, problem)
        board.update(copy.deepcopy(body["board"]))
        return json_response({"STATUS": "OK"})

    return [
        Route("/portfolio/boards.json", list_boards, methods=["GET"]),
        Route("/portfolio/boards/{board_id:int}.json", get_board, methods=["GET"]),
        Route("/boards/{board_id:int}.json", update_board, methods=["PUT"]),
    ]
