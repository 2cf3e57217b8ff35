"""The scaled agency's records, in the shapes each simulator stores (the shapes its `_demo` module seeds and its
routes render): Teamwork's typed camelCase records, Projectworks' PascalCase ones. The generator decides the values;
this module only knows the shapes, so a change to a simulator's stored shape is made in one place."""

from __future__ import annotations

from typing import Any

from projectops_mcp.sandbox.teamwork.people import WEEKDAYS

CREATED = "2026-10-01T09:00:00Z"
MODIFIED = "2026-10-01T09:00:00"
ME_ID = 238860  # the Teamwork demo's site owner, who created the tasks
Record = dict[str, Any]

# -- Teamwork -------------------------------------------------------------------------------------------------------


def tw_company(company_id: int, name: str, domain: str) -> Record:
    return {"id": company_id, "name": name, "isOwner": False, "website": f"https://{domain}",
            "emailOne": f"hello@{domain}", "phone": "", "addressOne": "", "city": "Wellington", "countryCode": "NZ",
            "tags": [], "createdAt": CREATED, "updatedAt": CREATED}  # fmt: skip


def tw_person(
    person_id: int, first: str, last: str, email: str, title: str, company_id: int, user_type: str, hours: tuple
) -> Record:
    """`hours`: Monday..Sunday."""
    return {"id": person_id, "firstName": first, "lastName": last, "email": email, "title": title,
            "companyId": company_id, "isAdmin": False, "type": user_type, "siteOwner": False,
            "isClientUser": user_type != "account", "settings": {}, "lengthOfDay": 8,
            "workingHours": {day: hours[(i - 1) % 7] for i, day in enumerate(WEEKDAYS)}}  # fmt: skip


def tw_project(
    project_id: int, name: str, description: str, company_id: int, members: list[int], start: str, end: str
) -> Record:
    return {"id": project_id, "name": name, "description": description, "companyId": company_id,
            "ownerId": members[0], "status": "active", "startDate": start, "endDate": end, "categoryId": None,
            "tagIds": [], "chatChannelEnabled": False, "createdAt": CREATED, "updatedAt": CREATED,
            "memberIds": members}  # fmt: skip


def tw_tasklist(list_id: int, name: str, project_id: int) -> Record:
    return {"id": list_id, "name": name, "description": "", "projectId": project_id, "milestoneId": None,
            "status": "new", "private": False, "createdAt": CREATED}  # fmt: skip


def tw_milestone(milestone_id: int, name: str, project_id: int, deadline: str, owner: int, list_id: int) -> Record:
    return {"id": milestone_id, "name": name, "description": "", "projectId": project_id, "deadline": deadline,
            "responsiblePartyIds": [owner], "completed": False, "tasklistIds": [list_id], "tagIds": [],
            "status": "new", "createdOn": CREATED}  # fmt: skip


def tw_task(
    task_id: int, name: str, list_id: int, project_id: int, assignees: list[int], start: str, due: str,
    estimate: int, priority: str, completed_by: int | None,
) -> Record:  # fmt: skip
    done = completed_by is not None
    return {"id": task_id, "name": name, "description": "", "priority": priority, "progress": 100 if done else 0,
            "startDate": start, "dueDate": due, "estimateMinutes": estimate, "tasklistId": list_id,
            "projectId": project_id, "parentTaskId": None, "assigneeUserIds": assignees, "tagIds": [],
            "status": "completed" if done else "new", "createdBy": ME_ID, "createdAt": CREATED, "updatedBy": ME_ID,
            "updatedAt": CREATED, "completedAt": f"{due}T17:00:00Z" if done else None,
            "completedBy": completed_by}  # fmt: skip


def tw_timelog(log_id: int, task_id: int, project_id: int, user_id: int, day: str, clock: int, minutes: int) -> Record:
    """`clock`: minutes past midnight (UTC) when the work started."""
    return {"id": log_id, "taskId": task_id, "projectId": project_id, "userId": user_id, "minutes": minutes,
            "description": "", "billable": True, "timeLogged": f"{day}T{clock // 60 % 24:02d}:{clock % 60:02d}:00Z",
            "tagIds": [], "createdAt": f"{day}T18:00:00Z", "loggedBy": user_id}  # fmt: skip


def tw_allocation(
    allocation_id: int, project_id: int, user_id: int, start: str, end: str, seconds: int, title: str,
    color: str, task_ids: list[int],
) -> Record:  # fmt: skip
    return {"id": allocation_id, "projectId": project_id, "userId": user_id, "start": start, "end": end,
            "secondsPerDay": seconds, "color": color, "title": title, "description": None, "billable": True,
            "taskIds": task_ids, "createdAt": CREATED}  # fmt: skip


# -- Projectworks ---------------------------------------------------------------------------------------------------


def pw_client(client_id: int, name: str, domain: str, office_id: int) -> Record:
    return {"ClientID": client_id, "ClientName": name, "AccountManagerID": 101, "AccountManagerName": "Marc Cashman",
            "OfficeID": office_id, "ClientTypeID": 1, "CurrencyID": 1, "DefaultRateCardID": 1, "DefaultTaxTypeID": 1,
            "FinanceEmail": f"ap@{domain}", "FinancePhone": None, "FinanceNotes": None, "IsActive": True,
            "CompanyTaxNumber": None, "ExternalReference": f"CRM-{client_id}", "ModifiedDateUTC": MODIFIED,
            "CustomFields": []}  # fmt: skip


def pw_user(
    user_id: int, first: str, last: str, email: str, title: str, role_id: int, posting: Record, active: bool
) -> Record:
    return {"UserID": user_id, "FirstName": first, "LastName": last, "Email": email, "AlternateEmail": None,
            "BirthDate": None, "Gender": None, "JobTitle": title, "EmployeeStartDate": posting["StartDate"],
            "EmployeeEndDate": posting["EndDate"], "IsActive": active, "ExternalReference": f"EMP-{user_id}",
            "ModifiedDateUTC": MODIFIED, "RoleIDs": [role_id], "Postings": [posting], "LeaveBalances": [],
            "CustomFields": []}  # fmt: skip


def pw_posting(posting_id: int, start: str, end: str | None, rate: float, office_id: int, hours: tuple) -> Record:
    """`hours`: Monday..Sunday; a day without hours has no CapacityDays entry."""
    return {"PostingID": posting_id, "StartDate": start, "EndDate": end, "IsBillable": True, "Recoverable": 1,
            "Rate": rate, "OfficeID": office_id, "LocationID": 1, "TeamID": 1, "PositionID": 1, "AgreementTypeID": 1,
            "CurrencyID": 1, "RankID": None, "HolidayCalendarID": None, "ManagerID": None,
            "CapacityDays": [{"DayOfWeekID": d + 1, "Hours": h} for d, h in enumerate(hours) if h]}  # fmt: skip


def pw_project(
    project_id: int, name: str, client: tuple[int, str], office_id: int, manager: int, start: str, end: str,
    reference: str | None,
) -> Record:  # fmt: skip
    return {"ProjectID": project_id, "ProjectNumber": f"P-{project_id}", "ProjectName": name, "ClientID": client[0],
            "ClientName": client[1], "OfficeID": office_id, "ProjectTypeID": 1, "ProjectStatusID": 1, "CurrencyID": 1,
            "ProjectManagerID": manager, "AccountManagerID": 101, "TaskSelfServiceModeID": 1,
            "ProjectBudgetTypeID": 1, "DefaultRateCardID": 1, "StartDate": start, "EndDate": end, "IsActive": True,
            "ExternalReference": reference, "ModifiedDateUTC": MODIFIED, "CustomFields": [],
            "UserRates": {}}  # fmt: skip


def pw_module(module_id: int, name: str, project_id: int, budget: float) -> Record:
    return {"ModuleID": module_id, "ModuleName": name, "ProjectID": project_id, "Budget": budget, "IsServices": True,
            "GLCodeID": None, "IsActive": True, "FeeTypeID": 1, "ExternalReference": None,
            "ModifiedDateUTC": MODIFIED, "CustomFields": []}  # fmt: skip


def pw_task(
    task_id: int, name: str, module: Record, planned: dict[int, float], start: str, end: str, percent: int
) -> Record:
    """`planned`: assigned user id -> planned hours (the task's user assignments)."""
    return {"TaskID": task_id, "TaskName": name, "ModuleID": module["ModuleID"], "ModuleName": module["ModuleName"],
            "ProjectID": module["ProjectID"], "TaskTypeID": 1, "TaskTypeName": "Billable", "TaskStatusID": 1,
            "TaskStatusName": "Active", "StartDate": start, "EndDate": end, "PercentComplete": percent,
            "IsOnTimesheet": True, "IsBillable": True, "EnforceTimesheetDates": False, "IsCommentRequired": False,
            "IsScheduledTask": False, "IsAutoSchedule": False, "Users": list(planned), "ExternalReference": None,
            "ModifiedDateUTC": MODIFIED, "Placeholders": [],
            "UserAssignments": [{"UserID": u, "Hours": h, "IsActive": True, "IsPinned": False}
                                for u, h in planned.items()],
            "CustomFields": []}  # fmt: skip


def pw_timesheet(entry_id: int, user: Record, task: Record, day: str, minutes: int) -> Record:
    return {"ID": entry_id, "UserID": user["UserID"], "FirstName": user["FirstName"], "LastName": user["LastName"],
            "TaskID": task["TaskID"], "TaskName": task["TaskName"], "Date": day, "Minutes": minutes, "Comment": None,
            "IsReviewed": False, "ModifiedDateUTC": MODIFIED}  # fmt: skip


def pw_leave(leave_id: int, user_id: int, status_id: int, days: list[tuple[str, int, float]]) -> Record:
    """`days`: (date, leave type id, hours)."""
    return {"LeaveID": leave_id, "UserID": user_id, "StatusID": status_id, "RequestComment": "Time off",
            "ResponseComment": None, "IsReviewRequired": status_id == 1, "ExternalReference": None,
            "ModifiedDateUTC": MODIFIED,
            "Days": [{"Date": d, "TypeID": t, "Hours": h} for d, t, h in days]}  # fmt: skip


def pw_booking(
    booking_id: int | None, user_id: int, task: Record | None, module: Record, start: str, end: str, hours: float
) -> Record:
    """A resourcing booking; without an id it is a pencilled (capacity) booking, as the API lists them."""
    return {"ResourceID": booking_id, "ProjectID": module["ProjectID"], "ModuleID": module["ModuleID"],
            "TaskID": task["TaskID"] if task else None, "ResourceTypeID": 1 if booking_id else 2, "UserID": user_id,
            "StartDate": start, "EndDate": end, "Hours": hours, "ModeID": 1 if booking_id else 2, "LevelID": 1,
            "ModifiedDateUTC": MODIFIED}  # fmt: skip
