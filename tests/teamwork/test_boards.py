"""Boards: seed 003's "Update My Board > Board" body key for key (comma-joined id strings, column array), read back
from the simulator's store; v1 portfolio board list and get."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_update_board_matches_the_seed(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_update_board",
        {
            "board_id": 71,
            "name": "App Review",
            "description": "Description here please",
            "color": "",
            "project_ids": [732893, 739377],
            "columns": ["In progress", "Completed", "Waiting", "Global review"],
            "user_ids": [369453],
        },
    )
    (put,) = sandbox.teamwork.find("PUT")
    assert put.path == "/boards/71.json"
    assert put.json == {
        "board": {
            "name": "App Review",
            "description": "Description here please",
            "color": "",
            "projectIds": "732893,739377",
            "columns": ["In progress", "Completed", "Waiting", "Global review"],
            "userIds": "369453",
        }
    }
    stored = sandbox.teamwork.store.table("boards")[71]
    assert (stored["projectIds"], stored["userIds"]) == ("732893,739377", "369453")
    assert out["project_ids"] == [732893, 739377] and out["columns"][-1] == "Global review"
    board = await call_ok(client, "teamwork_get_portfolio_board", {"board_id": 71})
    assert board["project_count"] == 2 and board["description"] == "Description here please"


async def test_list_and_get_portfolio_boards(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_portfolio_boards", {"include_raw": True})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", "/portfolio/boards.json", [])
    (board,) = out["items"]
    assert board["board_id"] == 71 and board["name"] == "App Review" and board["project_count"] == 1
    assert board["can_edit"] is True and board["raw"]["stats"] == {"projects": "1"}
    got = await call_ok(client, "teamwork_get_portfolio_board", {"board_id": 71})
    assert sandbox.teamwork.requests[-1].path == "/portfolio/boards/71.json"
    assert got["color"] == "#3498DB" and got["display_order"] == 1
    text = await call_err(client, "teamwork_get_portfolio_board", {"board_id": 72})
    assert "404" in text


async def test_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    base = {"board_id": 71, "name": "B", "project_ids": [732893], "columns": ["To do"]}
    cases = [
        ({**base, "color": "blue"}, "color"),
        ({**base, "columns": ["A", "A"]}, "columns"),
        ({**base, "project_ids": []}, "project_ids"),
        ({k: v for k, v in base.items() if k != "name"}, "name"),
        ({**base, "project_ids": "732893,739377"}, "project_ids"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_update_board", args)
        assert field in text, (field, text)
    assert sandbox.teamwork.requests == []


async def test_unknown_person_is_refused_and_unknown_project_rejected_upstream(client: Client, sandbox) -> None:
    base = {"board_id": 71, "name": "B", "project_ids": [732893], "columns": ["To do"]}
    text = await call_err(client, "teamwork_update_board", {**base, "user_ids": [4242]})
    assert "user_ids" in text and "teamwork_list_people" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []
    text = await call_err(client, "teamwork_update_board", {**base, "project_ids": [1]})
    assert "400" in text and "projectIds" in text
    assert sandbox.teamwork.store.table("boards")[71]["projectIds"] == "732893"


async def test_put_is_retried_on_503(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("PUT", "/boards/71.json", Fault(status=503))
    base = {"board_id": 71, "name": "B", "project_ids": [732893], "columns": ["To do"]}
    await call_ok(client, "teamwork_update_board", base)
    assert len(sandbox.teamwork.find("PUT")) == 2
