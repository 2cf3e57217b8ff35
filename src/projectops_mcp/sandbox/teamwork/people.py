"""People: v3 list/get/me and project people (reads); v1 get/create/update/delete (writes).

v1 writes are validated the way Teamwork would: a body without the `person` wrapper is a 422 "could not read the
submitted JSON"; every key must be one Teamwork's samples use (spelled exactly: `notify-on-added-as-follower`, not
`notifyOnAddedAsFollower`), with a value of the right kind. Settings that have no v3 field (preferences,
permissions, localisation, daily report, contact details) are kept under the record's `settings`, keyed as sent,
and shown again by `GET /people/{id}.json`, so a test can read them back.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response, read_json
from projectops_mcp.sandbox.teamwork import _demo
from projectops_mcp.sandbox.teamwork._common import v1_error, v1_ok, v1_str, v3_error, v3_not_found, v3_page

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
USER_TYPES = ("account", "collaborator", "contact")

# Every `person` key the samples use, by the kind of value Teamwork accepts for it.
BOOL_KEYS = {
    "isClientUser", "sendInvite", "sendInviteWithMessage", "continueIfUserExists", "getUserDetails", "administrator",
    "canAddProjects", "canManagePeople", "canAccessAllProjects", "setProjectAdmin", "autoGiveProjectAccess",
    "canAccessCalendar", "canAccessTemplates", "canAccessPortfolio", "canManageCustomFields", "canAddCustomReports",
    "canManagePortfolio", "canManageProjectTemplates", "canViewProjectTemplates", "canViewSchedule",
    "canManageSchedule", "canManageTimeReminders", "notifyOnTaskComplete", "notify-on-added-as-follower",
    "notify-on-status-update", "userReceiveNotifyWarnings", "userReceiveMyNotificationsOnly", "soundAlertsEnabled",
    "allowEmailNotifications", "useShorthandDurations", "receiveDailyReports", "receiveDailyReportsAtWeekend",
    "receiveDailyReportsIfEmpty", "changeForEveryone", "removeAvatar", "removeFromProjects", "unassignFromAll",
}  # fmt: skip
STRING_KEYS = {
    "email-address", "first-name", "last-name", "title", "user-name", "phone-number-office",
    "phone-number-office-ext", "phone-number-mobile", "phone-number-mobile-countrycode", "phone-number-mobile-prefix",
    "phone-number-home", "phone-number-fax", "email-alt-1", "email-alt-2", "email-alt-3", "profile", "privateNotes",
    "userTwitterName", "userLinkedin", "userFacebook", "userWebsite", "im-service", "im-handle", "language",
    "avatarPendingFileRef", "accessProjectIds", "accessProjectsCompanyIds",
}  # fmt: skip
INT_KEYS = {"company-id", "dateFormatId", "timeFormatId", "timezoneId", "dailyReportDaysFilter"}
CHOICE_KEYS = {
    "user-type": USER_TYPES,
    "textFormat": ("TEXT", "HTML"),
    "dailyReportSort": ("DATE", "PROJECT"),
    "dailyReportEventsType": ("ALL", "MINE"),
    "calendarStartsOnSunday": ("yes", "no"),
}
ADDRESS_KEYS = ("line1", "line2", "city", "state", "zipcode", "countrycode")
SPECIAL_KEYS = {"address", "workingHours", "lengthOfDay", "receiveDailyReportsAtTime"}
KNOWN_KEYS = BOOL_KEYS | STRING_KEYS | INT_KEYS | set(CHOICE_KEYS) | SPECIAL_KEYS
CORE = {"first-name": "firstName", "last-name": "lastName", "email-address": "email", "title": "title"}


class Invalid(Exception):
    """A person body Teamwork would refuse (422 with a MESSAGE)."""


def default_hours(per_day: float) -> dict[str, float]:
    return {day: (0.0 if day in ("sunday", "saturday") else per_day) for day in WEEKDAYS}


def seed(store: Store) -> None:
    for person in _demo.PEOPLE:
        record = copy.deepcopy(person)
        record.setdefault("workingHours", default_hours(_demo.WORKING_HOURS.get(person["id"], 8.0)))
        record.setdefault("settings", {})
        store.put("people", person["id"], record)


def v3_person(p: dict) -> dict:
    return {
        "id": p["id"],
        "firstName": p["firstName"],
        "lastName": p["lastName"],
        "title": p.get("title", ""),
        "email": p["email"],
        "isAdmin": p.get("isAdmin", False),
        "type": p.get("type", "account"),
        "company": {"id": p["companyId"], "type": "companies"},
        "companyId": p["companyId"],
        "workingHour": {"id": p["id"], "type": "workingHours"},
        "deleted": p.get("deleted", False),
        "avatarUrl": "",
        "lengthOfDay": p.get("lengthOfDay", 8),
    }


def _kebab(key: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in key)


def v1_person(store: Store, p: dict) -> dict:
    """The v1 rendering: string ids and counts, the settings as they were written, permissions grouped."""
    settings = p.get("settings", {})
    company = store.table("companies").get(p["companyId"], {})
    permissions = {_kebab(k): v for k, v in settings.items() if k.startswith("can") or k == "autoGiveProjectAccess"}
    others = {k: v for k, v in settings.items() if _kebab(k) not in permissions}
    return others | {
        "id": v1_str(p["id"]),
        "first-name": p["firstName"],
        "last-name": p["lastName"],
        "email-address": p["email"],
        "title": p.get("title", ""),
        "user-type": p.get("type", "account"),
        "administrator": p.get("isAdmin", False),
        "site-owner": p.get("siteOwner", False),
        "company-id": v1_str(p["companyId"]),
        "companyId": v1_str(p["companyId"]),
        "company-name": company.get("name", ""),
        "in-owner-company": v1_str(bool(company.get("isOwner"))),
        "isClientUser": p.get("isClientUser", False),
        "deleted": p.get("deleted", False),
        "lengthOfDay": f"{float(p.get('lengthOfDay', 8)):.1f}",
        "permissions": permissions,
        "workingHours": {"entries": [{"weekday": d, "taskHours": p["workingHours"][d]} for d in WEEKDAYS]},
    }


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("1", "true", "yes"):
        return True
    if str(value).strip().lower() in ("0", "false", "no"):
        return False
    raise Invalid(f"{key} must be true or false")


def _number(key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise Invalid(f"{key} must be a number from {low:g} to {high:g}")
    return value


def parse_person(store: Store, body: dict) -> dict[str, Any]:
    """Check a `person` object key by key; returns the normalised values (bools as bools)."""
    unknown = sorted(set(body) - KNOWN_KEYS)
    if unknown:
        raise Invalid(f"Unknown field(s) in person: {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key in BOOL_KEYS:
            out[key] = _bool(key, value)
        elif key in STRING_KEYS:
            if not isinstance(value, str):
                raise Invalid(f"{key} must be a string")
            out[key] = value
        elif key in INT_KEYS:
            if isinstance(value, bool) or not str(value).isdigit():
                raise Invalid(f"{key} must be a whole number")
            out[key] = int(value)
        elif key in CHOICE_KEYS:
            if value not in CHOICE_KEYS[key]:
                raise Invalid(f"{key} must be one of {', '.join(CHOICE_KEYS[key])}")
            out[key] = value
        elif key == "receiveDailyReportsAtTime":
            if not isinstance(value, str) or not value.isdigit() or not 0 <= int(value) <= 23:
                raise Invalid("receiveDailyReportsAtTime must be an hour as a string, '0' to '23'")
            out[key] = value
        elif key == "lengthOfDay":
            out[key] = _number(key, value, 0, 24)
        elif key == "address":
            if not isinstance(value, dict) or set(value) - set(ADDRESS_KEYS):
                raise Invalid(f"address must be an object with {', '.join(ADDRESS_KEYS)}")
            if not all(isinstance(v, str) for v in value.values()):
                raise Invalid("address values must be strings")
            out[key] = value
        elif key == "workingHours":
            entries = value.get("entries") if isinstance(value, dict) else None
            if not isinstance(entries, list) or not entries:
                raise Invalid('workingHours must be {"entries": [{"weekday", "taskHours"}, ...]}')
            hours = {}
            for entry in entries:
                if not isinstance(entry, dict) or set(entry) != {"weekday", "taskHours"}:
                    raise Invalid("each workingHours entry must have exactly weekday and taskHours")
                if entry["weekday"] not in WEEKDAYS:
                    raise Invalid(f"weekday must be one of {', '.join(WEEKDAYS)}")
                hours[entry["weekday"]] = _number("taskHours", entry["taskHours"], 0, 24)
            out[key] = hours
    if "company-id" in out and out["company-id"] not in store.table("companies"):
        raise Invalid(f"Company {out['company-id']} not found")
    if "email-address" in out and "@" not in out["email-address"]:
        raise Invalid("email-address is not a valid e-mail address")
    return out


def apply_person(store: Store, person: dict, values: dict[str, Any]) -> None:
    for key, field in CORE.items():
        if key in values:
            person[field] = values[key]
    if "company-id" in values:
        person["companyId"] = values["company-id"]
    if "user-type" in values:
        person["type"] = values["user-type"]
    if "administrator" in values:
        person["isAdmin"] = values["administrator"]
    if "isClientUser" in values:
        person["isClientUser"] = values["isClientUser"]
    if "lengthOfDay" in values:
        person["lengthOfDay"] = values["lengthOfDay"]
    if "workingHours" in values:
        person["workingHours"] = {**person["workingHours"], **values["workingHours"]}
    handled = set(CORE) | {"company-id", "user-type", "administrator", "isClientUser", "lengthOfDay", "workingHours"}
    for key, value in values.items():
        if key not in handled:
            person["settings"][key] = value
    owner = store.table("companies").get(person["companyId"], {}).get("isOwner")
    if person.get("isClientUser") and owner:
        raise Invalid("Client users cannot be in the site owner's company")


def project_members(store: Store, project_id: int) -> set[int] | None:
    """Who is on a project (explicit members, the owner, task assignees, less those taken off); None when there is
    no such project."""
    project = store.table("projects").get(project_id)
    if project is None or project.get("status") == "deleted":
        return None
    members = set(project.get("memberIds") or [])
    if project.get("ownerId"):
        members.add(project["ownerId"])
    for task in store.table("tasks").values():
        if task.get("projectId") == project_id:
            members.update(task.get("assigneeUserIds") or [])
    return members - set(project.get("removedMemberIds") or [])  # taken off (project_members.py)


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def live(person_id: int) -> dict | None:
        person = store.table("people").get(person_id)
        return None if person is None or person.get("deleted") else person

    def listing(request: Request, people: list[dict]):
        q = request.query_params
        if q.get("searchTerm"):
            term = q["searchTerm"].lower()
            people = [p for p in people if term in f"{p['firstName']} {p['lastName']} {p['email']}".lower()]
        if q.get("userType"):
            if q["userType"] not in USER_TYPES:
                return v3_error(400, "userType must be account, collaborator or contact")
            people = [p for p in people if p.get("type") == q["userType"]]
        if q.get("ids"):
            wanted = {int(i) for i in q["ids"].split(",") if i.strip().isdigit()}
            people = [p for p in people if p["id"] in wanted]
        return v3_page(request, "people", [v3_person(p) for p in people])

    async def list_people(request: Request):
        return listing(request, [p for p in store.table("people").values() if not p.get("deleted")])

    async def list_project_people(request: Request):
        members = project_members(store, int(request.path_params["project_id"]))
        if members is None:
            return v3_not_found()
        return listing(request, [p for p in map(live, sorted(members)) if p])

    async def get_person(request: Request):
        person = live(int(request.path_params["person_id"]))
        return json_response({"person": v3_person(person)}) if person else v3_not_found()

    async def me(request: Request):
        person = store.table("people")[_demo.ME_ID]
        company = store.table("companies").get(person["companyId"], {})
        body = v3_person(person) | {"siteOwner": True, "inOwnerCompany": bool(company.get("isOwner"))}
        return json_response({"person": body})

    async def get_person_v1(request: Request):
        person = live(int(request.path_params["person_id"]))
        if person is None:
            return v1_error(404, "Person not found")
        return v1_ok(person=v1_person(store, person))

    async def person_body(request: Request) -> dict | None:
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("person"), dict):
            return None
        return body["person"]

    async def create_person(request: Request):
        body = await person_body(request)
        if body is None:
            return v1_error(422, "Could not read the submitted JSON: expected a 'person' object")
        try:
            values = parse_person(store, body)
            missing = [k for k in ("first-name", "last-name", "email-address") if not values.get(k)]
            if missing:
                raise Invalid(f"{', '.join(missing)} required")
            email = values["email-address"].lower()
            if any(p["email"].lower() == email and not p.get("deleted") for p in store.table("people").values()):
                raise Invalid("A user with this e-mail address already exists")
            person = {
                "id": store.new_id("people", 600001),
                "companyId": _demo.COMPANIES[0]["id"],
                "type": "account",
                "isAdmin": False,
                "siteOwner": False,
                "workingHours": default_hours(8.0),
                "settings": {},
            }
            apply_person(store, person, values)
        except Invalid as exc:
            return v1_error(422, str(exc))
        store.put("people", person["id"], person)
        return v1_ok(201, id=str(person["id"]))

    async def update_person(request: Request):
        person = live(int(request.path_params["person_id"]))
        if person is None:
            return v1_error(404, "Person not found")
        body = await person_body(request)
        if body is None:
            return v1_error(422, "Could not read the submitted JSON: expected a 'person' object")
        updated = copy.deepcopy(person)
        try:
            apply_person(store, updated, parse_person(store, body))
        except Invalid as exc:
            return v1_error(422, str(exc))
        person.clear()
        person.update(updated)
        return v1_ok(id=str(person["id"]))

    async def delete_person(request: Request):
        person = live(int(request.path_params["person_id"]))
        if person is None:
            return v1_error(404, "Person not found")
        person["deleted"] = True
        return v1_ok()

    return [
        Route("/projects/api/v3/people.json", list_people, methods=["GET"]),
        Route("/projects/api/v3/projects/{project_id:int}/people.json", list_project_people, methods=["GET"]),
        Route("/projects/api/v3/people/{person_id:int}.json", get_person, methods=["GET"]),
        Route("/projects/api/v3/me.json", me, methods=["GET"]),
        Route("/people.json", create_person, methods=["POST"]),
        Route("/people/{person_id:int}.json", get_person_v1, methods=["GET"]),
        Route("/people/{person_id:int}.json", update_person, methods=["PUT"]),
        Route("/people/{person_id:int}.json", delete_person, methods=["DELETE"]),
    ]
