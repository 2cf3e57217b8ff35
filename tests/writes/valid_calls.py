"""One valid call per write tool, against the sandbox's demo data (reset before each): arguments that pass every
check and succeed for real. tests/writes/test_preview.py fails for a write tool missing here, so a new write tool
gets its preview tested the day it is added."""

from __future__ import annotations

import base64
from typing import Any

from tests.projectworks.test_expense_claims import CLAIM
from tests.projectworks.test_projects import NEW_PROJECT
from tests.projectworks.test_users import POSTING_ARGS as POSTING

RECEIPT_B64 = base64.b64encode(b"%PDF-1.4 taxi receipt 42.50 NZD " + bytes(range(256)) * 2).decode()
KIWI = 732893

VALID_CALLS: dict[str, dict[str, Any]] = {
    # -- Projectworks ------------------------------------------------------------------------------------------
    "projectworks_create_client": {
        "client_name": "Tui Telecom",
        "account_manager_id": 101,
        "office_id": 2,
        "currency_id": 1,
        "finance_email": "ap@tui.test",
        "address": {"line1": "1 Queen St", "city": "Auckland", "postcode": "1010", "country": "NZ"},
    },
    "projectworks_update_client": {"client_id": 201, "finance_email": "new@kb.test"},
    "projectworks_delete_client": {"client_id": 202},
    "projectworks_set_custom_fields": {
        "entity_type": "client",
        "entity_id": 201,
        "fields": [{"field_id": 1, "value": "Wellington"}, {"field_id": 2, "multi_select_values": ["Finance"]}],
    },
    "projectworks_create_expense_claim": {**CLAIM, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi.pdf"},
    "projectworks_update_expense_claim": {**CLAIM, "expense_claim_id": 9501, "amount": 55},
    "projectworks_delete_expense_claim": {"expense_claim_id": 9501},
    "projectworks_create_leave": {
        "user_id": 102,
        "status_id": 1,
        "days": [{"date": "2027-01-11", "type_id": 1, "hours": 8}, {"date": "2027-01-12", "type_id": 2, "hours": 4.5}],
        "request_comment": "Long weekend",
    },
    "projectworks_update_leave": {
        "leave_id": 8001,
        "user_id": 103,
        "status_id": 1,
        "days": [{"date": "2026-12-23", "type_id": 2, "hours": 8}],
    },
    "projectworks_delete_leave": {"leave_id": 8001},
    "projectworks_create_module": {"project_id": 302, "module_name": "Support", "budget": 12000, "is_services": True},
    "projectworks_update_module": {"module_id": 402, "module_name": "Build phase 1"},
    "projectworks_delete_module": {"module_id": 403},
    "projectworks_create_project": NEW_PROJECT,
    "projectworks_update_project": {"project_id": 302, "is_active": False},
    "projectworks_delete_project": {"project_id": 302},
    "projectworks_update_project_user_rate": {"project_id": 301, "user_id": 104, "rate": 180},
    "projectworks_create_task": {"module_id": 402, "task_name": "Android build", "task_type_id": 1},
    "projectworks_update_task": {"task_id": 503, "task_name": "Design system v2"},
    "projectworks_delete_task": {"task_id": 504},
    "projectworks_update_task_user": {"task_id": 502, "user_id": 104},
    "projectworks_update_task_placeholder": {"task_id": 502, "role_id": 10, "hours": 24, "rate": 150.5},
    "projectworks_create_timesheet": {"user_id": 102, "task_id": 502, "date": "2026-11-17", "hours": 1.5},
    "projectworks_update_timesheet": {"timesheet_id": 7001, "hours": 8},
    "projectworks_delete_timesheet": {"timesheet_id": 7002},
    "projectworks_create_user": {"email": "mere@demo-agency.test", "first_name": "Mere", "last_name": "Tane"},
    "projectworks_update_user": {"user_id": 102, "last_name": "Carter-Smith"},
    "projectworks_delete_user": {"user_id": 104},
    "projectworks_update_user_roles": {"user_id": 102, "role_ids": [10, 12]},
    "projectworks_update_user_posting": {"user_id": 104, **POSTING},
    "projectworks_update_user_leave_balances": {
        "user_id": 102,
        "balances": [{"leave_type_id": 1, "balance": 12.5, "unit": "Days"}],
    },
    # -- Teamwork ----------------------------------------------------------------------------------------------
    "teamwork_update_board": {
        "board_id": 71,
        "name": "App Review",
        "project_ids": [KIWI, 739377],
        "columns": ["In progress", "Completed"],
        "user_ids": [369453],
    },
    "teamwork_add_budget_expense": {"budget_id": 6101, "cost": 1000, "description": "Petrol"},
    "teamwork_create_task_comment": {"task_id": 5002, "body": "First draft is up"},
    "teamwork_create_comment": {"object_type": "notebook", "object_id": 61001, "body": "Looks right"},
    "teamwork_update_comment": {"comment_id": 44001, "body": "Booked the CFO for Wednesday"},
    "teamwork_delete_comment": {"comment_id": 44001},
    "teamwork_create_notebook": {"project_id": KIWI, "name": "Runbook", "contents": "# Steps"},
    "teamwork_update_notebook": {"notebook_id": 61001, "name": "Interview plan v2"},
    "teamwork_delete_notebook": {"notebook_id": 61001},
    "teamwork_create_link": {"project_id": KIWI, "url": "https://figma.test/file/1", "name": "Designs"},
    "teamwork_update_link": {"link_id": 62001, "description": "2027 edition"},
    "teamwork_delete_link": {"link_id": 62001},
    "teamwork_create_company": {"name": "Tui Tours", "city": "Nelson", "country_code": "nz"},
    "teamwork_update_company": {"company_id": 3, "country_code": "AU"},
    "teamwork_delete_company": {"company_id": 3},
    "teamwork_create_team": {"name": "Android", "parent_team_id": 91, "user_ids": [369453, 412001]},
    "teamwork_update_team": {"team_id": 93, "name": "Kiwi stakeholders", "user_ids": [512002, 238860]},
    "teamwork_delete_team": {"team_id": 92},
    "teamwork_create_job_role": {"name": "QA Engineer"},
    "teamwork_update_job_role": {"job_role_id": 302, "name": "Product Designer"},
    "teamwork_delete_job_role": {"job_role_id": 302},
    "teamwork_assign_job_role": {"job_role_id": 302, "user_ids": [369453], "primary": True},
    "teamwork_unassign_job_role": {"job_role_id": 301, "user_ids": [369453]},
    "teamwork_create_skill": {"name": "Swift", "user_ids": [369453]},
    "teamwork_update_skill": {"skill_id": 401, "name": "React Native"},
    "teamwork_delete_skill": {"skill_id": 403},
    "teamwork_assign_skill": {"skill_id": 401, "user_ids": [412001]},
    "teamwork_unassign_skill": {"skill_id": 402, "user_ids": [412001]},
    "teamwork_add_project_people": {"project_id": 739377, "user_ids": [512002]},
    "teamwork_remove_project_people": {"project_id": KIWI, "user_ids": [369453]},
    "teamwork_create_custom_field": {"name": "Risk score", "type": "number-integer", "entity": "task"},
    "teamwork_update_custom_field": {"custom_field_id": 2300, "name": "Contract"},
    "teamwork_delete_custom_field": {"custom_field_id": 2794},
    "teamwork_set_custom_field_value": {
        "entity": "project",
        "entity_id": KIWI,
        "custom_field_id": 2300,
        "value": "T&M",
    },
    "teamwork_set_task_custom_field_values": {
        "task_id": 5001,
        "values": [{"value_id": 78570, "custom_field_id": 2794, "value": "PO-5000"}],
    },
    "teamwork_create_milestone": {
        "project_id": KIWI,
        "name": "Beta release",
        "deadline": "2027-02-26",
        "responsible_user_ids": [238860, 369453],
    },
    "teamwork_update_milestone": {"milestone_id": 8801, "deadline": "2026-12-11"},
    "teamwork_complete_milestone": {"milestone_id": 8801},
    "teamwork_create_person": {"email": "new@demo-agency.test", "first_name": "Ana", "last_name": "Lee"},
    "teamwork_update_person": {"person_id": 512002, "is_client_user": True},
    "teamwork_delete_person": {"person_id": 412001},
    "teamwork_create_project": {"name": "Kiwi Bank Web", "start_date": "2027-01-11", "end_date": "2027-05-28"},
    "teamwork_update_project": {"project_id": KIWI, "status": "inactive"},
    "teamwork_delete_project": {"project_id": 739377},
    "teamwork_create_task_reminder": {
        "task_id": 5003,
        "user_ids": [369453],
        "type": "PUSH",
        "date_time_utc": "2026-12-10T08:00:00Z",
    },
    "teamwork_update_task_reminder": {
        "reminder_id": 593057,
        "note": "Send the notes",
        "type": "EMAIL",
        "date_time_utc": "2026-11-28T09:00:00Z",
        "user_ids": [238860],
    },
    "teamwork_delete_task_reminder": {"reminder_id": 593057},
    "teamwork_create_tag": {"name": "Compliance", "color": "#8E44AD", "project_id": KIWI},
    "teamwork_create_tasklist": {"project_id": KIWI, "name": "Launch"},
    "teamwork_update_tasklist": {"tasklist_id": 1302, "name": "Build & test"},
    "teamwork_delete_tasklist": {"tasklist_id": 1302},
    "teamwork_create_task": {"tasklist_id": 1302, "name": "Card controls", "priority": "high"},
    "teamwork_update_task": {"task_id": 5002, "due_date": "2026-12-18"},
    "teamwork_complete_task": {"task_id": 5002},
    "teamwork_reopen_task": {"task_id": 5002},
    "teamwork_delete_task": {"task_id": 5003},
    "teamwork_set_task_tags": {"task_id": 5001, "tag_ids": [17062], "mode": "add"},
    "teamwork_log_time": {"task_id": 5003, "date": "2026-11-19", "hours": 1, "minutes": 30, "description": "Tokens"},
    "teamwork_update_time_entry": {"time_entry_id": 33002, "description": "OAuth + PKCE"},
    "teamwork_delete_time_entry": {"time_entry_id": 33001},
    "teamwork_create_time_reminder": {"threshold": 80, "time": "18:00:00", "frequency_rrule": "FREQ=DAILY"},
    "teamwork_update_time_reminder": {"is_active": False},
    "teamwork_start_timer": {"task_id": 5001, "description": "Research", "billable": True},
    "teamwork_pause_timer": {},  # timer_id from SETUP
    "teamwork_resume_timer": {},
    "teamwork_update_timer": {"description": "Research notes"},
    "teamwork_complete_timer": {},
    "teamwork_delete_timer": {},
    "teamwork_create_workflow": {"name": "Creative"},
    "teamwork_update_workflow": {"workflow_id": 1499, "name": "Delivery v2"},
    "teamwork_delete_workflow": {},  # workflow_id from SETUP
    "teamwork_link_project_workflow": {"project_id": KIWI, "workflow_id": 1499},
    "teamwork_create_workflow_stage": {"workflow_id": 1499, "name": "Review"},
    "teamwork_update_workflow_stage": {"workflow_id": 1499, "stage_id": 2101, "name": "QA"},
    "teamwork_delete_workflow_stage": {"workflow_id": 1499, "stage_id": 2101, "move_tasks_to_stage_id": 2103},
    "teamwork_move_task_to_stage": {"task_id": 5001, "workflow_id": 1499, "stage_id": 2102},
    "teamwork_move_tasks_to_stage": {"workflow_id": 1499, "stage_id": 2103, "task_ids": [5001, 5002]},
    "teamwork_create_tasks": {
        "tasks": [{"tasklist_id": 1302, "name": "Spec"}, {"tasklist_id": 1301, "name": "Wire", "notify": False}]
    },
    "teamwork_update_tasks": {"tasks": [{"task_id": 5001, "priority": "high"}, {"task_id": 5002, "progress": 40}]},
    "teamwork_move_tasks": {"task_ids": [5003, 5004], "tasklist_id": 1303},
    "teamwork_set_task_dependencies": {"task_id": 5002, "predecessors": [{"task_id": 5001, "type": "complete"}]},
    "teamwork_reopen_milestone": {"milestone_id": 8801},
    "teamwork_update_tag": {"tag_id": 17062, "name": "Urgent!"},
    "teamwork_delete_tag": {"tag_id": 17063},
    "teamwork_delete_milestone": {"milestone_id": 8801},
    "teamwork_create_allocation": {
        "project_id": KIWI,
        "user_id": 369453,
        "start_date": "2026-12-07",
        "end_date": "2026-12-18",
        "minutes_per_day": 360,
    },
    "teamwork_update_allocation": {"minutes_per_day": 120},  # allocation_id from SETUP
    "teamwork_delete_allocation": {},
    "teamwork_restore_allocation": {},
    "teamwork_link_allocation_task": {"task_id": 5002},
    "teamwork_create_message": {"project_id": KIWI, "title": "Kick-off", "body": "Agenda attached", "notify": "all"},
    "teamwork_update_message": {"message_id": 41000, "body": "Project space is ready"},
    "teamwork_delete_message": {"message_id": 41000},
    "teamwork_create_message_reply": {"message_id": 41000, "body": "Thanks!"},
    "teamwork_update_message_reply": {"reply_id": 42000, "body": "Great, thanks"},
    "teamwork_delete_message_reply": {"reply_id": 42000},
    "teamwork_upload_file": {"file_name": "brief.pdf", "content_base64": RECEIPT_B64, "task_id": 5002},
    "teamwork_update_person_settings": {"person_id": 369453, "preferences": {"text_format": "TEXT"}},
    "teamwork_update_person_permissions": {"person_id": 369453, "permissions": {"can_view_schedule": True}},
}

# Calls that need a record the demo data does not have: made first (for real), before the dry run; the valid call
# then takes {argument: the setup result's field}.
Setup = tuple[str, dict[str, Any], dict[str, str]]
_TIMER: Setup = ("teamwork_start_timer", VALID_CALLS["teamwork_start_timer"], {"timer_id": "timer_id"})
_LINKED: Setup = ("teamwork_link_project_workflow", VALID_CALLS["teamwork_link_project_workflow"], {})
_ALLOCATION: Setup = (
    "teamwork_create_allocation",
    VALID_CALLS["teamwork_create_allocation"],
    {"allocation_id": "allocation_id"},
)
SETUP: dict[str, Setup] = {
    "teamwork_update_time_reminder": (
        "teamwork_create_time_reminder",
        VALID_CALLS["teamwork_create_time_reminder"],
        {},
    ),
    "teamwork_pause_timer": _TIMER,
    "teamwork_resume_timer": _TIMER,
    "teamwork_update_timer": _TIMER,
    "teamwork_complete_timer": _TIMER,
    "teamwork_delete_timer": _TIMER,
    "teamwork_move_task_to_stage": _LINKED,
    "teamwork_move_tasks_to_stage": _LINKED,
    "teamwork_delete_workflow": ("teamwork_create_workflow", {"name": "Short-lived"}, {"workflow_id": "workflow_id"}),
    "teamwork_update_allocation": _ALLOCATION,
    "teamwork_delete_allocation": _ALLOCATION,
    "teamwork_restore_allocation": _ALLOCATION,
    "teamwork_link_allocation_task": _ALLOCATION,
}
