"""A small agency written straight into both simulators' stores, for the cross-system answers' tests. Every record
is listed here, so that each test can work out its expected figures by hand from this file alone.

People (Projectworks user / Teamwork person):
    Marc   101 marc@demo-agency.test     / 238860 (Teamwork's `me`, owner company 1)   Mon-Fri 8 h (posting 9001)
    Ana    201 ana@agency.test           / 301 "ANA@Agency.test"                       Mon-Fri 8 h (posting 9201)
    Ben    202 ben@agency.test           / 302                                         Mon-Thu 7.5 h (posting 9202)
    Cy     203 cy@agency.test            / -            (Projectworks only)            Mon-Fri 8 h (posting 9203)
    Dee    204 dee@agency.test, inactive / 304                                         no posting
    Eve    205 " Eve@Agency.test "       / 305 eve@agency.test, named "Evelyn Stone"   no posting
    Fay    -                             / 306 fay@agency.test (Teamwork only, staff)
    Gus    -                             / 307 gus@client.test, collaborator, company 2 (a client user)
    Hal    206 hal@agency.test           / 308 hal@agency.test, contact, company 2
    Ivy    207 (no e-mail)               / -
"""

from __future__ import annotations

import copy
from typing import Any

from projectops_mcp.sandbox.projectworks import _demo as pw_demo
from projectops_mcp.sandbox.teamwork import _demo as tw_demo

APPROVED, REQUESTED = 2, 1  # the demo's leave statuses (1 Requested, 2 Approved, 3 Declined)


def posting(posting_id: int, start: str, days: range, hours: float, end: str | None = None) -> dict[str, Any]:
    record = copy.deepcopy(pw_demo.USERS[0]["Postings"][0])
    record.update(PostingID=posting_id, StartDate=start, EndDate=end)
    record["CapacityDays"] = [{"DayOfWeekID": d, "Hours": hours} for d in days]
    return record


def pw_user(user_id: int, first: str, last: str, email: str, postings: list, active: bool = True) -> dict[str, Any]:
    record = copy.deepcopy(pw_demo.USERS[0])
    record.update(
        UserID=user_id, FirstName=first, LastName=last, Email=email, IsActive=active, Postings=postings, RoleIDs=[]
    )
    return record


def tw_person(person_id: int, first: str, last: str, email: str, kind: str = "account", company: int = 1) -> dict:
    record = copy.deepcopy(tw_demo.PEOPLE[1])
    record.update(id=person_id, firstName=first, lastName=last, email=email, type=kind, companyId=company)
    record.update(isAdmin=False, siteOwner=False, workingHours={}, settings={})
    return record


MON_FRI, MON_THU = range(1, 6), range(1, 5)
PW_USERS = [
    pw_user(101, "Marc", "Cashman", "marc@demo-agency.test", [posting(9001, "2021-02-01", MON_FRI, 8.0)]),
    pw_user(201, "Ana", "Lima", "ana@agency.test", [posting(9201, "2026-01-01", MON_FRI, 8.0)]),
    pw_user(202, "Ben", "Ode", "ben@agency.test", [posting(9202, "2026-01-01", MON_THU, 7.5)]),
    pw_user(203, "Cy", "Park", "cy@agency.test", [posting(9203, "2026-01-01", MON_FRI, 8.0)]),
    pw_user(204, "Dee", "Ray", "dee@agency.test", [], active=False),
    pw_user(205, "Eve", "Stone", " Eve@Agency.test ", []),
    pw_user(206, "Hal", "Hart", "hal@agency.test", []),
    pw_user(207, "Ivy", "Blank", "", []),
]
TW_PEOPLE = [
    tw_person(238860, "Marc", "Cashman", "marc@demo-agency.test") | {"isAdmin": True, "siteOwner": True},
    tw_person(301, "Ana", "Lima", "ANA@Agency.test"),
    tw_person(302, "Ben", "Ode", "ben@agency.test"),
    tw_person(304, "Dee", "Ray", "dee@agency.test"),
    tw_person(305, "Evelyn", "Stone", "eve@agency.test"),
    tw_person(306, "Fay", "Gold", "fay@agency.test"),
    tw_person(307, "Gus", "Grant", "gus@client.test", "collaborator", company=2),
    tw_person(308, "Hal", "Hart", "hal@agency.test", "contact", company=2),
]


def leave(leave_id: int, user_id: int, status: int, days: list[tuple[str, float]]) -> dict[str, Any]:
    record = copy.deepcopy(pw_demo.LEAVES[0])
    record.update(LeaveID=leave_id, UserID=user_id, StatusID=status)
    record["Days"] = [{"Date": day, "TypeID": 1, "Hours": hours} for day, hours in days]
    return record


def booking(resource_id: int | None, user_id: int, start: str, end: str, hours: float, **extra: Any) -> dict:
    record = copy.deepcopy(pw_demo.RESOURCES[0])
    record.update(ResourceID=resource_id, UserID=user_id, StartDate=start, EndDate=end, Hours=hours)
    record.update(ProjectID=301, ModuleID=402, TaskID=None)
    record.update(extra)
    return record


def allocation(allocation_id: int, user_id: int, start: str, end: str, minutes_per_day: int) -> dict[str, Any]:
    return {
        "id": allocation_id,
        "projectId": 732893,
        "userId": user_id,
        "start": start,
        "end": end,
        "secondsPerDay": minutes_per_day * 60,
        "color": "#4461d7",
        "taskIds": [],
        "createdAt": "2026-11-20T10:00:00Z",
    }


# Capacity, weeks 2026-W49 (Mon 30 Nov - Sun 6 Dec) and 2026-W50 (Mon 7 - Sun 13 Dec).
LEAVES = [
    leave(8101, 201, APPROVED, [("2026-12-01", 8.0), ("2026-12-02", 4.0)]),  # Ana: 12 h in W49
    leave(8102, 201, REQUESTED, [("2026-12-08", 8.0)]),  # not approved: not subtracted
]
BOOKINGS = [
    booking(9801, 201, "2026-11-30", "2026-12-04", 20.0),  # Ana: 5 weekdays, 4 h each, all in W49
    booking(9802, 201, "2026-12-04", "2026-12-08", 12.0),  # Ana: Fri, Mon, Tue = 4 h each: W49 4, W50 8
    booking(9803, 202, "2026-12-07", "2026-12-10", 16.0),  # Ben: W50 16
    booking(None, 203, "2026-12-07", "2026-12-11", 45.0),  # Cy: no id, W50 45
]
ALLOCATIONS = [
    allocation(88101, 301, "2026-11-30", "2026-12-11", 240),  # Ana: 4 h x 5 weekdays = 20 a week
    allocation(88102, 302, "2026-12-07", "2026-12-11", 480),  # Ben: 8 h x 5 = 40 in W50
    allocation(88103, 304, "2026-12-01", "2026-12-01", 120),  # Dee: 2 h in W49
    allocation(88104, 306, "2026-12-07", "2026-12-07", 300),  # Fay: 5 h in W50
]


def timelog(log_id: int, user_id: int, logged: str, minutes: int, project: int = 732893, task: int | None = 5001):
    return {
        "id": log_id,
        "taskId": task,
        "projectId": project,
        "userId": user_id,
        "minutes": minutes,
        "description": "",
        "billable": True,
        "timeLogged": logged,
        "tagIds": [],
        "createdAt": "2026-11-20T10:00:00Z",
        "loggedBy": 238860,
    }


def timesheet(sheet_id: int, user_id: int, day: str, minutes: int, task: int = 502) -> dict[str, Any]:
    record = copy.deepcopy(pw_demo.TIMESHEETS[0])
    record.update(ID=sheet_id, UserID=user_id, Date=day, Minutes=minutes, TaskID=task)
    return record


# Time, Mon 30 Nov - Fri 4 Dec 2026.
TIMELOGS = [
    timelog(33101, 301, "2026-11-30T09:00:00Z", 240),
    timelog(33102, 301, "2026-11-30T14:00:00Z", 120),  # Ana 30 Nov: 360 in Teamwork
    timelog(33103, 301, "2026-12-01T09:00:00Z", 480),  # Ana 1 Dec: 480
    timelog(33104, 302, "2026-12-03T23:30:00Z", 300),  # Ben 3 Dec (UTC date)
    timelog(33105, 302, "2026-12-04T09:00:00Z", 200),  # Ben 4 Dec
    timelog(33106, 306, "2026-12-02T09:00:00Z", 90),  # Fay, Teamwork only
    timelog(33107, 301, "2026-12-05T09:00:00Z", 60),  # Ana, Saturday: outside 30 Nov - 4 Dec
]
TIMESHEETS = [
    timesheet(7101, 201, "2026-11-30", 360),  # Ana 30 Nov: same as Teamwork
    timesheet(7102, 201, "2026-12-01", 420),  # Ana 1 Dec: 60 less than Teamwork
    timesheet(7103, 201, "2026-12-02", 240),  # Ana 2 Dec: nothing in Teamwork
    timesheet(7104, 202, "2026-12-03", 300),  # Ben 3 Dec: same
    timesheet(7105, 202, "2026-12-04", 215),  # Ben 4 Dec: 15 more than Teamwork
    timesheet(7106, 203, "2026-12-01", 480),  # Cy, Projectworks only
    timesheet(7107, 201, "2026-12-07", 120),  # Ana, outside the range
]


def replace(table: dict[int, dict[str, Any]], records: list[dict[str, Any]], key: str) -> None:
    table.clear()
    for record in records:
        table[record[key] if record[key] is not None else -len(table) - 1] = record


def seed_people(sandbox: Any) -> None:
    replace(sandbox.projectworks.store.table("users"), copy.deepcopy(PW_USERS), "UserID")
    replace(sandbox.teamwork.store.table("people"), copy.deepcopy(TW_PEOPLE), "id")


def seed_capacity(sandbox: Any) -> None:
    seed_people(sandbox)
    replace(sandbox.projectworks.store.table("leaves"), copy.deepcopy(LEAVES), "LeaveID")
    replace(sandbox.projectworks.store.table("resources"), copy.deepcopy(BOOKINGS), "ResourceID")
    replace(sandbox.teamwork.store.table("allocations"), copy.deepcopy(ALLOCATIONS), "id")


def seed_time(sandbox: Any) -> None:
    seed_people(sandbox)
    replace(sandbox.teamwork.store.table("timelogs"), copy.deepcopy(TIMELOGS), "id")
    replace(sandbox.projectworks.store.table("timesheets"), copy.deepcopy(TIMESHEETS), "ID")


# Planned vs actual. Projects: Projectworks 601 "Atlas Web" links to Teamwork 7601 "Atlas Website" (ExternalReference
# teamwork:7601); 602 "Beacon App" and Teamwork 7602 share a name; 603 "Comet Audit" is in Projectworks only; 604
# "Echo" links to a Teamwork project that does not exist (9999) and shares its name with Teamwork 7605.
def pw_project(project_id: int, name: str, reference: str | None = None) -> dict[str, Any]:
    record = {k: copy.deepcopy(v) for k, v in pw_demo.PROJECTS[0].items() if k != "Users"}  # as the simulator seeds
    record.update(ProjectID=project_id, ProjectName=name, ExternalReference=reference, ProjectNumber=f"P-{project_id}")
    return record | {"UserRates": {}}


def tw_project(project_id: int, name: str) -> dict[str, Any]:
    return copy.deepcopy(tw_demo.PROJECTS[0]) | {"id": project_id, "name": name, "updatedAt": tw_demo.CREATED}


def pw_module(project: int) -> dict[str, Any]:
    """One services module per project (module id = project id + 5400): a task's project is its module's."""
    record = copy.deepcopy(pw_demo.MODULES[0])
    record.update(ModuleID=project + 5400, ModuleName="Delivery", ProjectID=project)
    return record


def pw_task(
    task_id: int, name: str, project: int, assigned: list[tuple[int, float, bool]], reference: str | None = None
):
    record = copy.deepcopy(pw_demo.TASKS[0])
    record.update(
        TaskID=task_id, TaskName=name, ProjectID=project, ModuleID=project + 5400, ExternalReference=reference
    )
    record["UserAssignments"] = [
        {"UserID": user, "Hours": hours, "IsActive": active, "IsPinned": False} for user, hours, active in assigned
    ]
    record["Users"] = [user for user, _, active in assigned if active]
    return record


def tw_task(task_id: int, name: str, project: int) -> dict[str, Any]:
    return copy.deepcopy(tw_demo.TASKS[0]) | {"id": task_id, "name": name, "projectId": project}


PW_PROJECTS = [
    pw_project(601, "Atlas Web", "teamwork:7601"),
    pw_project(602, "Beacon App"),
    pw_project(603, "Comet Audit"),
    pw_project(604, "Echo", "teamwork:9999"),
]
TW_PROJECTS = [
    tw_project(7601, "Atlas Website"),
    tw_project(7602, "Beacon App"),
    tw_project(7604, "Delta CMS"),
    tw_project(7605, "Echo"),
]
PW_TASKS = [
    pw_task(6101, "Design", 601, [(201, 30.0, True), (202, 10.0, False)], "teamwork:76011"),  # linked to "UI design"
    pw_task(6102, "Build", 601, [(202, 50.0, True)]),  # same name as Teamwork 76012
    pw_task(6103, "QA", 601, []),  # no Teamwork twin
    pw_task(6201, "Beacon build", 602, []),
]
TW_TASKS = [
    tw_task(76011, "UI design", 7601),
    tw_task(76012, "Build", 7601),
    tw_task(76013, "Deploy", 7601),  # Teamwork only
    tw_task(76021, "Beacon build", 7602),
]
PROJECT_BOOKINGS = [
    booking(9901, 201, "2026-11-30", "2026-12-04", 12.0, ProjectID=601, TaskID=6101),
    booking(9902, 202, "2026-11-30", "2026-12-04", 20.0, ProjectID=601, TaskID=6102),
    booking(None, 201, "2026-12-07", "2026-12-11", 6.0, ProjectID=601, TaskID=None),  # on the project, no task
    booking(9903, 201, "2026-12-07", "2026-12-11", 99.0, ProjectID=602, TaskID=6201),
]
PROJECT_TIMESHEETS = [
    timesheet(7201, 201, "2026-11-30", 300, task=6101),
    timesheet(7202, 201, "2026-12-01", 120, task=6101),
    timesheet(7203, 202, "2026-12-01", 480, task=6102),
    timesheet(7204, 203, "2026-12-02", 60, task=6103),
    timesheet(7205, 201, "2026-12-02", 600, task=6201),
]
PROJECT_TIMELOGS = [
    timelog(33201, 301, "2026-11-30T09:00:00Z", 360, project=7601, task=76011),
    timelog(33202, 302, "2026-12-01T09:00:00Z", 420, project=7601, task=76012),
    timelog(33203, 306, "2026-12-02T09:00:00Z", 90, project=7601, task=76013),
    timelog(33204, 301, "2026-12-03T09:00:00Z", 30, project=7601, task=None),  # on the project, no task
    timelog(33205, 301, "2026-12-03T09:00:00Z", 999, project=7602, task=76021),
]


def seed_projects(sandbox: Any) -> None:
    seed_people(sandbox)
    pw, tw = sandbox.projectworks.store, sandbox.teamwork.store
    replace(pw.table("projects"), copy.deepcopy(PW_PROJECTS), "ProjectID")
    replace(pw.table("modules"), [pw_module(p["ProjectID"]) for p in PW_PROJECTS], "ModuleID")
    replace(pw.table("tasks"), copy.deepcopy(PW_TASKS), "TaskID")
    replace(pw.table("resources"), copy.deepcopy(PROJECT_BOOKINGS), "ResourceID")
    replace(pw.table("timesheets"), copy.deepcopy(PROJECT_TIMESHEETS), "ID")
    replace(tw.table("projects"), copy.deepcopy(TW_PROJECTS), "id")
    replace(tw.table("tasks"), copy.deepcopy(TW_TASKS), "id")
    replace(tw.table("timelogs"), copy.deepcopy(PROJECT_TIMELOGS), "id")
