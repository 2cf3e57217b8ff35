"""The demo agency the Projectworks simulator starts with: every table consistent with the others.

It is the same agency as the Teamwork demo (sandbox/teamwork/_demo.py): Marc Cashman, Adrian Kerr and Sina Tui
are people in both systems with the same e-mail addresses (their ids differ: ids are per backend), and the
projects "Kiwi Bank App" and "Harbour Health Portal" exist in both under the same names and clients. Dev Patel
(104), a contractor whose posting ended in 2024, is only in Projectworks.
"""

from __future__ import annotations

MODIFIED = "2026-10-01T09:00:00"

OFFICES = [
    {"OfficeID": 1, "Name": "Wellington", "ExternalReference": "WLG", "ModifiedDateUTC": MODIFIED},
    {"OfficeID": 2, "Name": "Auckland", "ExternalReference": "AKL", "ModifiedDateUTC": MODIFIED},
]

ROLES = [
    {"UserRoleID": 10, "Code": "DEV", "Description": "Developer"},
    {"UserRoleID": 11, "Code": "DES", "Description": "Designer"},
    {"UserRoleID": 12, "Code": "PM", "Description": "Project Manager"},
]

LEAVE_TYPES = [
    {"TypeID": 1, "Name": "Annual Leave", "Code": "AL", "IsActive": True, "IsPaid": True},
    {"TypeID": 2, "Name": "Sick Leave", "Code": "SL", "IsActive": True, "IsPaid": True},
    {"TypeID": 3, "Name": "Unpaid Leave", "Code": "UL", "IsActive": True, "IsPaid": False},
    {"TypeID": 4, "Name": "Study Leave (retired)", "Code": "ST", "IsActive": False, "IsPaid": True},
]

LEAVE_STATUSES = [
    {"StatusID": 1, "Name": "Requested"},
    {"StatusID": 2, "Name": "Approved"},
    {"StatusID": 3, "Name": "Declined"},
]


def _user(uid, first, last, email, title, start, roles, postings):
    return {
        "UserID": uid,
        "FirstName": first,
        "LastName": last,
        "Email": email,
        "AlternateEmail": None,
        "BirthDate": None,
        "Gender": None,
        "JobTitle": title,
        "EmployeeStartDate": start,
        "EmployeeEndDate": None,
        "IsActive": True,
        "ExternalReference": f"EMP-{uid}",
        "ModifiedDateUTC": MODIFIED,
        "RoleIDs": roles,
        "Postings": postings,
        "LeaveBalances": [],
        "CustomFields": [],
    }


def _posting(pid, start, end=None, office=1):
    return {
        "PostingID": pid,
        "StartDate": start,
        "EndDate": end,
        "IsBillable": True,
        "Recoverable": 1,
        "Rate": 85.0,
        "OfficeID": office,
        "LocationID": 1,
        "TeamID": 1,
        "PositionID": 1,
        "AgreementTypeID": 1,
        "CurrencyID": 1,
        "RankID": None,
        "HolidayCalendarID": None,
        "ManagerID": None,
        "CapacityDays": [{"DayOfWeekID": d, "Hours": 8.0} for d in range(1, 6)],
    }


USERS = [
    _user(
        101,
        "Marc",
        "Cashman",
        "marc@demo-agency.test",
        "Delivery Lead",
        "2021-02-01",
        [12],
        [_posting(9001, "2021-02-01")],
    ),
    _user(
        102,
        "Adrian",
        "Kerr",
        "adrian@demo-agency.test",
        "Developer",
        "2022-05-16",
        [10],
        [_posting(9002, "2022-05-16")],
    ),
    _user(
        103,
        "Sina",
        "Tui",
        "sina@demo-agency.test",
        "Designer",
        "2023-08-01",
        [11],
        [_posting(9003, "2023-08-01", office=2)],
    ),
    _user(
        104,
        "Dev",
        "Patel",
        "dev@demo-agency.test",
        "Contractor",
        "2024-01-08",
        [10],
        [_posting(9004, "2024-01-08", end="2024-12-20")],
    ),
]

CLIENTS = [
    {
        "ClientID": 201,
        "ClientName": "Kiwi Bank Co",
        "AccountManagerID": 101,
        "AccountManagerName": "Marc Cashman",
        "OfficeID": 1,
        "ClientTypeID": 1,
        "CurrencyID": 1,
        "DefaultRateCardID": 1,
        "DefaultTaxTypeID": 1,
        "FinanceEmail": "ap@kiwibank.test",
        "FinancePhone": "+64 4 000 0000",
        "FinanceNotes": None,
        "IsActive": True,
        "CompanyTaxNumber": "12-345-678",
        "ExternalReference": "CRM-201",
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
    {
        "ClientID": 202,
        "ClientName": "Harbour Health",
        "AccountManagerID": 101,
        "AccountManagerName": "Marc Cashman",
        "OfficeID": 2,
        "ClientTypeID": 1,
        "CurrencyID": 1,
        "DefaultRateCardID": 1,
        "DefaultTaxTypeID": 1,
        "FinanceEmail": "finance@harbourhealth.test",
        "FinancePhone": None,
        "FinanceNotes": None,
        "IsActive": True,
        "CompanyTaxNumber": None,
        "ExternalReference": "CRM-202",
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
]

PROJECTS = [
    {
        "ProjectID": 301,
        "ProjectNumber": "KB-001",
        "ProjectName": "Kiwi Bank App",
        "ClientID": 201,
        "ClientName": "Kiwi Bank Co",
        "OfficeID": 1,
        "ProjectTypeID": 1,
        "ProjectStatusID": 1,
        "CurrencyID": 1,
        "ProjectManagerID": 101,
        "AccountManagerID": 101,
        "TaskSelfServiceModeID": 1,
        "ProjectBudgetTypeID": 1,
        "DefaultRateCardID": 1,
        "StartDate": "2026-09-01",
        "EndDate": "2027-03-31",
        "IsActive": True,
        "ExternalReference": "OPP-9001",
        "ModifiedDateUTC": MODIFIED,
        "Users": [],
        "CustomFields": [],
    },
    {
        "ProjectID": 302,
        "ProjectNumber": "HH-014",
        "ProjectName": "Harbour Health Portal",
        "ClientID": 202,
        "ClientName": "Harbour Health",
        "OfficeID": 2,
        "ProjectTypeID": 1,
        "ProjectStatusID": 1,
        "CurrencyID": 1,
        "ProjectManagerID": 101,
        "AccountManagerID": 101,
        "TaskSelfServiceModeID": 1,
        "ProjectBudgetTypeID": 1,
        "DefaultRateCardID": 1,
        "StartDate": "2026-10-01",
        "EndDate": None,
        "IsActive": True,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "Users": [],
        "CustomFields": [],
    },
]

MODULES = [
    {
        "ModuleID": 401,
        "ModuleName": "Discovery",
        "ProjectID": 301,
        "Budget": 20000.0,
        "IsServices": True,
        "GLCodeID": None,
        "IsActive": True,
        "FeeTypeID": 1,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
    {
        "ModuleID": 402,
        "ModuleName": "Build",
        "ProjectID": 301,
        "Budget": 120000.0,
        "IsServices": True,
        "GLCodeID": None,
        "IsActive": True,
        "FeeTypeID": 1,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
    {
        "ModuleID": 403,
        "ModuleName": "Hosting (pass-through)",
        "ProjectID": 301,
        "Budget": 5000.0,
        "IsServices": False,
        "GLCodeID": None,
        "IsActive": True,
        "FeeTypeID": 2,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
    {
        "ModuleID": 404,
        "ModuleName": "Portal Build",
        "ProjectID": 302,
        "Budget": 80000.0,
        "IsServices": True,
        "GLCodeID": None,
        "IsActive": True,
        "FeeTypeID": 1,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
]


def _task(tid, name, module, users, start, end, pct=0):
    mod = next(m for m in MODULES if m["ModuleID"] == module)
    return {
        "TaskID": tid,
        "TaskName": name,
        "ModuleID": module,
        "ModuleName": mod["ModuleName"],
        "ProjectID": mod["ProjectID"],
        "TaskTypeID": 1,
        "TaskTypeName": "Billable",
        "TaskStatusID": 1,
        "TaskStatusName": "Active",
        "StartDate": start,
        "EndDate": end,
        "PercentComplete": pct,
        "IsOnTimesheet": True,
        "IsBillable": True,
        "EnforceTimesheetDates": False,
        "IsCommentRequired": False,
        "IsScheduledTask": False,
        "IsAutoSchedule": False,
        "Users": users,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "Placeholders": [],
        "UserAssignments": [{"UserID": u, "Hours": 40.0, "IsActive": True, "IsPinned": False} for u in users],
        "CustomFields": [],
    }


TASKS = [
    _task(501, "User research", 401, [101, 103], "2026-09-01", "2026-09-30", 100),
    _task(502, "iOS build", 402, [102], "2026-10-01", "2027-01-31", 20),
    _task(503, "Design system", 402, [103], "2026-10-01", "2026-12-18", 45),
    _task(504, "Portal API", 404, [102], "2026-10-15", "2027-02-28"),
]

TIMESHEETS = [
    {
        "ID": 7001,
        "UserID": 102,
        "FirstName": "Adrian",
        "LastName": "Kerr",
        "TaskID": 502,
        "TaskName": "iOS build",
        "Date": "2026-11-16",
        "Minutes": 450,
        "Comment": "Login flow",
        "IsReviewed": False,
        "ModifiedDateUTC": MODIFIED,
    },
    {
        "ID": 7002,
        "UserID": 103,
        "FirstName": "Sina",
        "LastName": "Tui",
        "TaskID": 503,
        "TaskName": "Design system",
        "Date": "2026-11-16",
        "Minutes": 240,
        "Comment": "Tokens",
        "IsReviewed": False,
        "ModifiedDateUTC": MODIFIED,
    },
]

LEAVES = [
    {
        "LeaveID": 8001,
        "UserID": 103,
        "StatusID": 2,
        "RequestComment": "Family trip",
        "ResponseComment": "Enjoy",
        "IsReviewRequired": False,
        "ExternalReference": None,
        "ModifiedDateUTC": MODIFIED,
        "Days": [{"Date": "2026-12-21", "TypeID": 1, "Hours": 8.0}, {"Date": "2026-12-22", "TypeID": 1, "Hours": 8.0}],
    },
]

INVOICES = [
    {
        "InvoiceID": 6001,
        "InvoiceNumber": "INV-1001",
        "ClientID": 201,
        "ProjectID": 301,
        "BillingContactID": 1,
        "StatusID": 2,
        "StatusName": "Sent",
        "InvoiceDate": "2026-10-31",
        "DueDate": "2026-11-20",
        "Total": 23000.0,
        "TotalTax": 3000.0,
        "CurrencyCode": "NZD",
        "ModifiedDateUTC": MODIFIED,
    },
    {
        "InvoiceID": 6002,
        "InvoiceNumber": "INV-1002",
        "ClientID": 202,
        "ProjectID": 302,
        "BillingContactID": 2,
        "StatusID": 1,
        "StatusName": "Draft",
        "InvoiceDate": "2026-11-30",
        "DueDate": "2026-12-20",
        "Total": 11500.0,
        "TotalTax": 1500.0,
        "CurrencyCode": "NZD",
        "ModifiedDateUTC": MODIFIED,
    },
]

EXPENSE_CLAIMS = [
    {
        "ExpenseClaimID": 9501,
        "UserID": 102,
        "ProjectID": 301,
        "ModuleID": 402,
        "ClientID": 201,
        "ExpenseClaimTypeID": 1,
        "ExpenseClaimStatusID": 1,
        "ExpenseClaimNumber": "EC-0001",
        "IsReimbursable": True,
        "IsProcessed": False,
        "IsBillable": True,
        "Date": "2026-11-10",
        "Amount": 42.5,
        "CurrencyID": 1,
        "TaxTypeID": 1,
        "Notes": "Taxi to client workshop",
        "InvoiceDescription": "Travel",
        "Quantity": 1.0,
        "InvoiceID": None,
        "Files": [{"FileName": "taxi.pdf"}],
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
    {
        "ExpenseClaimID": 9502,
        "UserID": 103,
        "ProjectID": 302,
        "ModuleID": 404,
        "ClientID": 202,
        "ExpenseClaimTypeID": 2,
        "ExpenseClaimStatusID": 2,
        "ExpenseClaimNumber": "EC-0002",
        "IsReimbursable": True,
        "IsProcessed": True,
        "IsBillable": False,
        "Date": "2026-10-28",
        "Amount": 64.0,
        "CurrencyID": 1,
        "TaxTypeID": 2,
        "Notes": "Mileage to the Harbour Health kick-off",
        "InvoiceDescription": None,
        "Quantity": 80.0,
        "InvoiceID": None,
        "Files": [{"FileName": "mileage-log.pdf"}],
        "ModifiedDateUTC": MODIFIED,
        "CustomFields": [],
    },
]

RESOURCES = [
    {
        "ResourceID": 9701,
        "ProjectID": 301,
        "ModuleID": 402,
        "TaskID": 502,
        "ResourceTypeID": 1,
        "UserID": 102,
        "StartDate": "2026-11-23",
        "EndDate": "2026-11-27",
        "Hours": 32.0,
        "ModeID": 1,
        "LevelID": 1,
        "ModifiedDateUTC": MODIFIED,
    },
    {
        "ResourceID": 9702,
        "ProjectID": 302,
        "ModuleID": 404,
        "TaskID": 504,
        "ResourceTypeID": 1,
        "UserID": 102,
        "StartDate": "2026-11-23",
        "EndDate": "2026-11-27",
        "Hours": 8.0,
        "ModeID": 1,
        "LevelID": 2,
        "ModifiedDateUTC": MODIFIED,
    },
    {
        "ResourceID": None,
        "ProjectID": 301,
        "ModuleID": 402,
        "TaskID": None,
        "ResourceTypeID": 2,
        "UserID": 103,
        "StartDate": "2026-12-01",
        "EndDate": "2026-12-05",
        "Hours": 20.0,
        "ModeID": 2,
        "LevelID": 1,
        "ModifiedDateUTC": MODIFIED,
    },
]

# Custom field definitions per entity type. The API has no endpoint listing them; the simulator uses them to refuse
# unknown field ids and wrong value kinds on PUT /{Entity}/{id}/Fields, as a configured account would.
CUSTOM_FIELD_DEFINITIONS = [
    {"FieldID": 1, "Name": "Region", "EntityType": "Clients", "Type": "Text"},
    {
        "FieldID": 2,
        "Name": "Industry",
        "EntityType": "Clients",
        "Type": "MultiSelect",
        "Options": ["Finance", "Health", "Government", "Retail"],
    },
    {"FieldID": 3, "Name": "Opportunity ID", "EntityType": "Projects", "Type": "Text"},
    {
        "FieldID": 4,
        "Name": "Tech Stack",
        "EntityType": "Projects",
        "Type": "MultiSelect",
        "Options": ["iOS", "Android", "React", "Python"],
    },
    {"FieldID": 5, "Name": "Cost Centre", "EntityType": "Modules", "Type": "Text"},
    {"FieldID": 6, "Name": "Jira Key", "EntityType": "Tasks", "Type": "Text"},
    {"FieldID": 7, "Name": "Slack Handle", "EntityType": "Users", "Type": "Text"},
]
