"""The demo agency the Teamwork simulator starts with. Records are kept in v3 shape (typed); the v1 routes render
them the v1 way (string ids, "0"/"1" booleans, YYYYMMDD dates)."""

from __future__ import annotations

CREATED = "2026-10-01T09:00:00Z"

COMPANIES = [
    {
        "id": 1,
        "name": "Demo Agency",
        "isOwner": True,
        "website": "https://demo-agency.test",
        "emailOne": "",
        "phone": "",
        "addressOne": "1 Queen St",
        "city": "Wellington",
        "countryCode": "NZ",
        "tags": [],
    },
    {
        "id": 2,
        "name": "Kiwi Bank Co",
        "isOwner": False,
        "website": "https://kiwibank.test",
        "emailOne": "hello@kiwibank.test",
        "phone": "+64 4 000 0000",
        "addressOne": "",
        "city": "Wellington",
        "countryCode": "NZ",
        "tags": [],
    },
    {
        "id": 3,
        "name": "Harbour Health",
        "isOwner": False,
        "website": "",
        "emailOne": "it@harbourhealth.test",
        "phone": "",
        "addressOne": "",
        "city": "Auckland",
        "countryCode": "NZ",
        "tags": [],
    },
]

PEOPLE = [
    {
        "id": 238860,
        "firstName": "Marc",
        "lastName": "Cashman",
        "email": "marc@demo-agency.test",
        "title": "Delivery Lead",
        "companyId": 1,
        "isAdmin": True,
        "type": "account",
        "siteOwner": True,
    },
    {
        "id": 369453,
        "firstName": "Adrian",
        "lastName": "Kerr",
        "email": "adrian@demo-agency.test",
        "title": "Developer",
        "companyId": 1,
        "isAdmin": False,
        "type": "account",
        "siteOwner": False,
    },
    {
        "id": 412001,
        "firstName": "Sina",
        "lastName": "Tui",
        "email": "sina@demo-agency.test",
        "title": "Designer",
        "companyId": 1,
        "isAdmin": False,
        "type": "account",
        "siteOwner": False,
    },
    {
        "id": 512002,
        "firstName": "Priya",
        "lastName": "Shah",
        "email": "priya@kiwibank.test",
        "title": "Product Owner",
        "companyId": 2,
        "isAdmin": False,
        "type": "collaborator",
        "siteOwner": False,
    },
]

ME_ID = 238860
OWNER_COMPANY_ID = 1  # the site owner's company; other companies are clients

PROJECTS = [
    {
        "id": 732893,
        "name": "Kiwi Bank App",
        "description": "Mobile banking app redesign",
        "companyId": 2,
        "ownerId": 238860,
        "status": "active",
        "startDate": "2026-09-01",
        "endDate": "2027-03-31",
        "categoryId": None,
        "tagIds": [],
        "chatChannelEnabled": False,
        "createdAt": CREATED,
    },
    {
        "id": 739377,
        "name": "Harbour Health Portal",
        "description": "Patient portal",
        "companyId": 3,
        "ownerId": 238860,
        "status": "active",
        "startDate": "2026-10-01",
        "endDate": None,
        "categoryId": None,
        "tagIds": [],
        "chatChannelEnabled": False,
        "createdAt": CREATED,
    },
]

TASKLISTS = [
    {
        "id": 1301,
        "name": "Discovery",
        "description": "",
        "projectId": 732893,
        "milestoneId": None,
        "status": "new",
        "private": False,
    },
    {
        "id": 1302,
        "name": "Build",
        "description": "",
        "projectId": 732893,
        "milestoneId": None,
        "status": "new",
        "private": False,
    },
    {
        "id": 1303,
        "name": "Portal MVP",
        "description": "",
        "projectId": 739377,
        "milestoneId": None,
        "status": "new",
        "private": False,
    },
]


def _task(tid, name, tasklist, assignees, start, due, priority="medium", estimate=0, parent=None, status="new"):
    project = next(t["projectId"] for t in TASKLISTS if t["id"] == tasklist)
    return {
        "id": tid,
        "name": name,
        "description": "",
        "priority": priority,
        "progress": 0,
        "startDate": start,
        "dueDate": due,
        "estimateMinutes": estimate,
        "tasklistId": tasklist,
        "projectId": project,
        "parentTaskId": parent,
        "assigneeUserIds": assignees,
        "tagIds": [],
        "status": status,
        "createdBy": 238860,
        "createdAt": CREATED,
        "updatedBy": 238860,
        "updatedAt": CREATED,
        "completedAt": None,
        "completedBy": None,
    }


TASKS = [
    _task(5001, "Stakeholder interviews", 1301, [238860, 369453], "2026-11-02", "2026-11-30", "high", 480),
    _task(5002, "Wireframes", 1301, [412001], "2026-11-09", "2026-12-04", "medium", 960),
    _task(5003, "Login flow", 1302, [369453], "2026-11-16", "2026-12-11", "high", 1200),
    _task(5004, "Biometric login spike", 1302, [369453], None, None, "low", 240, parent=5003),
    _task(5005, "Portal architecture", 1303, [238860], "2026-11-20", "2026-12-18", "medium", 600),
    _task(5006, "Accessibility audit", 1303, [], None, None, "none", 0),
]

REMINDERS = [
    {
        "id": 593057,
        "taskId": 5001,
        "userIds": [238860],
        "type": "EMAIL",
        "note": "Send interview notes",
        "dateTimeUtc": "2026-11-28T09:00:00Z",
        "isRelative": False,
        "relativeNumberDays": 0,
        "wasSent": False,
        "peopleAssigned": False,
        "createdBy": 238860,
        "createdAt": CREATED,
    },
]

CUSTOM_FIELDS = [
    {
        "id": 2794,
        "name": "Client PO",
        "entity": "task",
        "type": "text-short",
        "description": "Purchase order",
        "projectId": None,
        "required": False,
        "options": None,
    },
    {
        "id": 2558,
        "name": "Review status",
        "entity": "task",
        "type": "dropdown",
        "description": "",
        "projectId": None,
        "required": False,
        "options": {
            "choices": [
                {"value": "Draft", "color": "#BDC3C7"},
                {"value": "Submitted", "color": "#3498DB"},
                {"value": "Approved", "color": "#27AE60"},
            ]
        },
    },
    {
        "id": 2300,
        "name": "Contract type",
        "entity": "project",
        "type": "dropdown",
        "description": "",
        "projectId": None,
        "required": False,
        "options": {"choices": [{"value": "Fixed fee", "color": "#F39C12"}, {"value": "T&M", "color": "#8E44AD"}]},
    },
]

CUSTOMFIELD_VALUES = [
    {"id": 78570, "customfieldId": 2794, "owner": "tasks", "ownerId": 5001, "value": "PO-4411"},
    {"id": 78569, "customfieldId": 2558, "owner": "tasks", "ownerId": 5001, "value": "Draft"},
    {"id": 78600, "customfieldId": 2300, "owner": "projects", "ownerId": 732893, "value": "Fixed fee"},
]

TAGS = [
    {"id": 17062, "name": "API", "color": "#2f8de4", "projectId": None},
    {"id": 17063, "name": "Urgent", "color": "#E74C3C", "projectId": None},
]

MILESTONES = [
    {
        "id": 8801,
        "name": "Discovery sign-off",
        "description": "",
        "projectId": 732893,
        "deadline": "2026-12-04",
        "responsiblePartyIds": [238860],
        "completed": False,
        "tasklistIds": [1301],
    },
]

TIMELOGS = [
    {
        "id": 33001,
        "taskId": 5001,
        "projectId": 732893,
        "userId": 369453,
        "minutes": 90,
        "description": "Interview with CFO",
        "billable": True,
        "timeLogged": "2026-11-17T10:00:00Z",
        "tagIds": [],
    },
    {
        "id": 33002,
        "taskId": 5003,
        "projectId": 732893,
        "userId": 369453,
        "minutes": 240,
        "description": "OAuth client",
        "billable": True,
        "timeLogged": "2026-11-18T13:00:00Z",
        "tagIds": [],
    },
]

COMMENTS = [
    {
        "id": 44001,
        "objectType": "tasks",
        "objectId": 5001,
        "projectId": 732893,
        "body": "Booked the CFO for Tuesday",
        "contentType": "TEXT",
        "postedBy": 238860,
        "postedDateTime": "2026-11-12T08:30:00Z",
    },
]

BUDGETS = [
    {
        "id": 6101,
        "projectId": 732893,
        "type": "FINANCIAL",
        "status": "ACTIVE",
        "capacity": 15000000,
        "capacityUsed": 2300000,
        "currencyCode": "NZD",
        "startDateTime": "2026-09-01T00:00:00Z",
        "endDateTime": "2027-03-31T00:00:00Z",
        "expenses": [],
    },
]

BOARDS = [
    {
        "id": 71,
        "name": "App Review",
        "description": "Projects under review",
        "color": "#3498DB",
        "projectIds": [732893],
        "columns": ["In progress", "Completed"],
        "userIds": [238860],
    },
]

TEAMS = [
    {
        "id": 91,
        "name": "Mobile squad",
        "handle": "mobile",
        "description": "",
        "companyId": 1,
        "memberIds": [238860, 369453],
    },
    {"id": 92, "name": "iOS", "handle": "ios", "description": "", "companyId": 1, "parentTeamId": 91,
     "memberIds": [369453]},
    {"id": 93, "name": "Kiwi Bank stakeholders", "handle": "kiwi", "description": "", "companyId": 2,
     "memberIds": [512002]},
    {"id": 94, "name": "Kiwi launch crew", "handle": "kiwi-launch", "description": "", "companyId": 1,
     "projectId": 732893, "memberIds": [238860]},
]  # fmt: skip

WORKING_HOURS = {238860: 8.0, 369453: 8.0, 412001: 6.0, 512002: 8.0}

ACTIVITY = [
    {
        "id": 99001,
        "activityType": "new",
        "type": "task",
        "itemId": 5003,
        "projectId": 732893,
        "userId": 238860,
        "description": "Login flow",
        "dateTime": "2026-11-16T09:00:00Z",
    },
    {
        "id": 99002,
        "activityType": "edited",
        "type": "task",
        "itemId": 5001,
        "projectId": 732893,
        "userId": 369453,
        "description": "Stakeholder interviews",
        "dateTime": "2026-11-18T11:00:00Z",
    },
    {
        "id": 99003,
        "activityType": "new",
        "type": "comment",
        "itemId": 44001,
        "projectId": 732893,
        "userId": 238860,
        "description": "Booked the CFO for Tuesday",
        "dateTime": "2026-11-12T08:30:00Z",
    },
]
