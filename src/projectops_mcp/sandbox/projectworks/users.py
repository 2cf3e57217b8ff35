"""Users and their sub-resources: roles, postings, leave balances.

Bodies are checked the way an ASP.NET model binder with validation would: required keys present, value types right,
and (stricter than the real API, so tests catch a misspelt key) no unknown keys. Errors are 400
`{"Message": ..., "ModelState": {...}}`. Roles and leave balances answer an empty 200, as the reference says.
"""

from __future__ import annotations

import copy
from datetime import date
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
    pascal,
    query,
)
from projectops_mcp.sandbox.simulator import Simulator, Store, empty_response, json_response, read_json

HIDDEN = ("RoleIDs", "Postings", "LeaveBalances", "CustomFields")  # kept internally, not part of the user record
USER_FILTERS = {"userid": "UserID", "email": "Email", "externalreference": "ExternalReference"}

USER_BODY: Schema = {
    "email": ("str", True),
    "firstName": ("str", True),
    "lastName": ("str", True),
    "alternateEmail": ("str", False),
    "birthDate": ("date", False),
    "gender": ("str", False),
    "employeeStartDate": ("date", False),
    "employeeEndDate": ("date", False),
    "isActive": ("bool", False),
    "externalReference": ("str", False),
}
POSTING_BODY: Schema = {
    "startDate": ("date", True),
    "isBillable": ("bool", True),
    "recoverable": ("int", True),
    "rate": ("num", True),
    "officeID": ("int", True),
    "locationID": ("int", True),
    "teamID": ("int", True),
    "positionID": ("int", True),
    "agreementTypeID": ("int", True),
    "currencyID": ("int", True),
    "endDate": ("date", False),
    "rankID": ("int", False),
    "holidayCalendarID": ("int", False),
    "managerID": ("int", False),
    "capacityDays": ("list", False),
}
CAPACITY_DAY: Schema = {"dayOfWeekID": ("int", True), "hours": ("num", True)}
BALANCE: Schema = {"leaveTypeID": ("int", True), "balance": ("num", True), "unit": ("str", True)}


def is_active_posting(posting: dict[str, Any], today: date | None = None) -> bool:
    day = (today or date.today()).isoformat()
    start, end = str(posting.get("StartDate") or "")[:10], str(posting.get("EndDate") or "")[:10]
    return bool(start) and start <= day and (not end or end >= day)


def seed(store: Store) -> None:
    for user in _demo.USERS:
        store.put("users", user["UserID"], copy.deepcopy(user))


def public(user: dict[str, Any], custom_fields: bool = False) -> dict[str, Any]:
    record = {k: v for k, v in user.items() if k not in HIDDEN}
    if custom_fields:
        record["CustomFields"] = user.get("CustomFields", [])
    return record


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def users() -> dict[int, dict[str, Any]]:
        """Looked up per request: a sandbox reset swaps the store's tables."""
        return store.table("users")

    def user_or_404(request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        user = users().get(int(request.path_params["user_id"]))
        return (user, None) if user else (None, not_found("User", request.path_params["user_id"]))

    def email_taken(email: str, except_id: int | None = None) -> bool:
        return any(u["Email"].lower() == email.lower() and uid != except_id for uid, u in users().items())

    async def list_users(request: Request):
        q = query(request)
        name = q.get("name", "").lower()
        selected = [u for u in users().values() if not name or f"{u['FirstName']} {u['LastName']}".lower() == name]
        custom = q.get("includecustomfields", "").lower() == "true"
        return list_response(request, [public(u, custom) for u in selected], USER_FILTERS)

    async def get_user(request: Request):
        user, missing = user_or_404(request)
        return missing or json_response(public(user))

    async def create_user(request: Request):
        body = await read_json(request)
        refused = check_body(body, USER_BODY)
        if refused:
            return refused
        if email_taken(body["email"]):
            return error(400, f"A user with the email {body['email']} already exists.")
        user_id = store.new_id("users", 105)
        user = {"UserID": user_id, "JobTitle": None, "IsActive": True, "AlternateEmail": None}
        user.update({pascal(k): v for k, v in body.items()})
        user.update(ModifiedDateUTC=now_utc(), RoleIDs=[], Postings=[], LeaveBalances=[], CustomFields=[])
        users()[user_id] = user
        return json_response(public(user))

    async def patch_user(request: Request):
        user, missing = user_or_404(request)
        if missing:
            return missing
        body = await read_json(request)
        refused = check_body(body, USER_BODY, partial=True)
        if refused:
            return refused
        if body.get("email") and email_taken(body["email"], user["UserID"]):
            return error(400, f"A user with the email {body['email']} already exists.")
        user.update({pascal(k): v for k, v in body.items()}, ModifiedDateUTC=now_utc())
        return json_response(public(user))

    async def delete_user(request: Request):
        user, missing = user_or_404(request)
        if missing:
            return missing
        del users()[user["UserID"]]
        return empty_response()

    async def put_roles(request: Request):
        user, missing = user_or_404(request)
        if missing:
            return missing
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) != {"userRoleIDs"} or not isinstance(body["userRoleIDs"], list):
            return error(400, 'The request is invalid: expected {"userRoleIDs": [int, ...]}.')
        unknown = [r for r in body["userRoleIDs"] if r not in store.table("roles")]
        if unknown:
            return error(400, f"Unknown user role id(s): {unknown}.")
        user["RoleIDs"] = list(body["userRoleIDs"])
        return empty_response()

    async def get_postings(request: Request):
        user, missing = user_or_404(request)
        return missing or json_response([{"UserID": user["UserID"], **p} for p in user["Postings"]])

    async def put_posting(request: Request):
        user, missing = user_or_404(request)
        if missing:
            return missing
        body = await read_json(request)
        refused = check_body(body, POSTING_BODY)
        if refused:
            return refused
        days = body.get("capacityDays") or []
        for i, day in enumerate(days):
            refused = check_body(day, CAPACITY_DAY, where=f"model.capacityDays[{i}]")
            if refused:
                return refused
            if not 1 <= day["dayOfWeekID"] <= 7:
                return error(400, f"dayOfWeekID {day['dayOfWeekID']} is not a day of the week (1-7).")
        if body["officeID"] not in store.table("offices"):
            return error(400, f"Office {body['officeID']} does not exist.")
        posting = {pascal(k): v for k, v in body.items() if k != "capacityDays"}
        posting["CapacityDays"] = [{"DayOfWeekID": d["dayOfWeekID"], "Hours": d["hours"]} for d in days]
        posting = {"PostingID": store.new_id("postings", 9100), "EndDate": None, **posting}
        user["Postings"].append(posting)
        return json_response({"UserID": user["UserID"], **posting})

    async def put_leave_balances(request: Request):
        user, missing = user_or_404(request)
        if missing:
            return missing
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) != {"balances"} or not isinstance(body["balances"], list):
            return error(400, 'The request is invalid: expected {"balances": [...]}.')
        for i, balance in enumerate(body["balances"]):
            refused = check_body(balance, BALANCE, where=f"model.balances[{i}]")
            if refused:
                return refused
            if balance["leaveTypeID"] not in store.table("leave_types"):
                return error(400, f"Leave type {balance['leaveTypeID']} does not exist.")
            if balance["unit"] not in ("Hours", "Days"):
                return error(400, f"Unit '{balance['unit']}' is not valid; use Hours or Days.")
        if not any(is_active_posting(p) for p in user["Postings"]):
            return error(400, f"User {user['UserID']} does not have an active posting.")
        kept = {b["LeaveTypeID"]: b for b in user["LeaveBalances"]}
        for b in body["balances"]:
            kept[b["leaveTypeID"]] = {"LeaveTypeID": b["leaveTypeID"], "Balance": b["balance"], "Unit": b["unit"]}
        user["LeaveBalances"] = list(kept.values())
        return empty_response()

    async def get_leave_balances(request: Request):
        # Not in Autohive's reference (like GET .../Postings): the simulator answers it so reads-back can be tried.
        user, missing = user_or_404(request)
        return missing or json_response([{"UserID": user["UserID"], **b} for b in user["LeaveBalances"]])

    return [
        Route("/Users", list_users, methods=["GET"]),
        Route("/Users", create_user, methods=["POST"]),
        Route("/Users/{user_id:int}", get_user, methods=["GET"]),
        Route("/Users/{user_id:int}", patch_user, methods=["PATCH"]),
        Route("/Users/{user_id:int}", delete_user, methods=["DELETE"]),
        Route("/Users/{user_id:int}/Roles", put_roles, methods=["PUT"]),
        Route("/Users/{user_id:int}/Postings", get_postings, methods=["GET"]),
        Route("/Users/{user_id:int}/Postings", put_posting, methods=["PUT"]),
        Route("/Users/{user_id:int}/LeaveBalances", get_leave_balances, methods=["GET"]),
        Route("/Users/{user_id:int}/LeaveBalances", put_leave_balances, methods=["PUT"]),
    ]
