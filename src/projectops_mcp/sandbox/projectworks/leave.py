"""Leave requests. Writes are rejected with 400 like the real API when the user, the status or a day's leave type
is unknown (or the type retired); PUT replaces the whole request; DELETE answers an empty 200."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.projectworks import _demo
from projectops_mcp.sandbox.projectworks._common import (
    Schema,
    check_body,
    error,
    list_response,
    not_found,
    now_utc,
    query,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

LEAVE_FILTERS = {
    "leaveid": "LeaveID",
    "userid": "UserID",
    "statusid": "StatusID",
    "externalreference": "ExternalReference",
}
LEAVE_BODY: Schema = {
    "userID": ("int", True),
    "statusID": ("int", True),
    "days": ("list", True),
    "requestComment": ("str", False),
    "responseComment": ("str", False),
    "isReviewRequired": ("bool", False),
    "externalReference": ("str", False),
}
DAY: Schema = {"date": ("date", True), "typeID": ("int", True), "hours": ("num", True)}


def seed(store: Store) -> None:
    for leave in _demo.LEAVES:
        store.put("leaves", leave["LeaveID"], copy.deepcopy(leave))


def in_range(leave: dict[str, Any], q: dict[str, str]) -> bool:
    """TypeID, StartDate and EndDate filter on the days: a request matches when any day does."""
    start, end, type_id = q.get("startdate", "")[:10], q.get("enddate", "")[:10], q.get("typeid", "")
    if not (start or end or type_id):
        return True
    return any(
        (not start or d["Date"][:10] >= start)
        and (not end or d["Date"][:10] <= end)
        and (not type_id or str(d["TypeID"]) == type_id)
        for d in leave["Days"]
    )


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def leaves() -> dict[int, dict[str, Any]]:
        """Looked up per request: a sandbox reset swaps the store's tables."""
        return store.table("leaves")

    def validate(body: Any) -> Response | None:
        refused = check_body(body, LEAVE_BODY)
        if refused:
            return refused
        if not body["days"]:
            return error(400, "A leave request must have at least one day.")
        for i, day in enumerate(body["days"]):
            refused = check_body(day, DAY, where=f"model.days[{i}]")
            if refused:
                return refused
            leave_type = store.table("leave_types").get(day["typeID"])
            if leave_type is None or not leave_type["IsActive"]:
                return error(400, f"Leave type {day['typeID']} is not a valid active leave type.")
        if body["userID"] not in store.table("users"):
            return error(400, f"User {body['userID']} does not exist.")
        if body["statusID"] not in store.table("leave_statuses"):
            return error(400, f"Leave status {body['statusID']} does not exist.")
        return None

    def record(leave_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """The stored (PascalCase) request built from a full body: absent optional fields become null."""
        return {
            "LeaveID": leave_id,
            "UserID": body["userID"],
            "StatusID": body["statusID"],
            "RequestComment": body.get("requestComment"),
            "ResponseComment": body.get("responseComment"),
            "IsReviewRequired": body.get("isReviewRequired", False),
            "ExternalReference": body.get("externalReference"),
            "ModifiedDateUTC": now_utc(),
            "Days": [{"Date": d["date"][:10], "TypeID": d["typeID"], "Hours": d["hours"]} for d in body["days"]],
        }

    async def list_leaves(request: Request):
        q = query(request)
        return list_response(request, [lv for lv in leaves().values() if in_range(lv, q)], LEAVE_FILTERS)

    async def get_leave(request: Request):
        leave = leaves().get(int(request.path_params["leave_id"]))
        return json_response(leave) if leave else not_found("Leave", request.path_params["leave_id"])

    async def create_leave(request: Request):
        body = await read_json(request)
        refused = validate(body)
        if refused:
            return refused
        leave_id = store.new_id("leaves", 8002)
        leaves()[leave_id] = record(leave_id, body)
        return json_response(leaves()[leave_id])

    async def replace_leave(request: Request):
        leave_id = int(request.path_params["leave_id"])
        if leave_id not in leaves():
            return not_found("Leave", leave_id)
        body = await read_json(request)
        refused = validate(body)
        if refused:
            return refused
        leaves()[leave_id] = record(leave_id, body)
        return json_response(leaves()[leave_id])

    async def delete_leave(request: Request):
        leave_id = int(request.path_params["leave_id"])
        if leaves().pop(leave_id, None) is None:
            return not_found("Leave", leave_id)
        return empty_response()

    return [
        Route("/Leaves", list_leaves, methods=["GET"]),
        Route("/Leaves", create_leave, methods=["POST"]),
        Route("/Leaves/{leave_id:int}", get_leave, methods=["GET"]),
        Route("/Leaves/{leave_id:int}", replace_leave, methods=["PUT"]),
        Route("/Leaves/{leave_id:int}", delete_leave, methods=["DELETE"]),
    ]
