"""People: v3 reads, v1 writes. Every seed-003 person sample (User Preferences, User daily report preferences, User
permissions, Full body sample) is checked key for key against what went out, with values from the test's own
arguments; the simulator stores the settings so they can be read back."""

from __future__ import annotations

import json
from typing import Any

import httpx2
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import TW_API_KEY, call_err, call_ok

MARC, ADRIAN = 238860, 369453


def exact(value: Any) -> str:
    """JSON text with sorted keys: unlike ==, tells true from 1 and 15 from 15.0."""
    return json.dumps(value, sort_keys=True)


async def test_list_people_sends_v3_filters(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_people", {"search": "kerr", "user_type": "account", "page_size": 10})
    assert [p["person_id"] for p in out["items"]] == [ADRIAN]
    assert out["items"][0] == {
        "person_id": ADRIAN,
        "first_name": "Adrian",
        "last_name": "Kerr",
        "email": "adrian@demo-agency.test",
        "title": "Developer",
        "user_type": "account",
        "is_admin": False,
        "company_id": 1,
        "length_of_day": 8,
        "deleted": False,
    }
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/people.json")
    assert req.query == [("searchTerm", "kerr"), ("userType", "account"), ("page", "1"), ("pageSize", "10")]


async def test_list_people_of_a_project_and_paging(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_people", {"project_id": 732893, "page_size": 2})
    assert len(out["items"]) == 2 and out["has_more"] is True
    assert sandbox.teamwork.requests[0].path == "/projects/api/v3/projects/732893/people.json"
    out = await call_ok(client, "teamwork_list_people", {"project_id": 732893, "page": 2, "page_size": 2})
    assert out["has_more"] is False and out["total"] == 3


async def test_get_person_and_me(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_person", {"person_id": 512002, "include_raw": True})
    assert out["company_id"] == 2 and out["user_type"] == "collaborator" and out["raw"]["id"] == 512002
    me = await call_ok(client, "teamwork_get_me")
    assert me["person_id"] == MARC and me["site_owner"] is True and me["in_owner_company"] is True
    assert [(r.method, r.path) for r in sandbox.teamwork.requests] == [
        ("GET", "/projects/api/v3/people/512002.json"),
        ("GET", "/projects/api/v3/me.json"),
    ]


async def test_get_unknown_person_points_to_the_list(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_get_person", {"person_id": 4242})
    assert "404" in text and "teamwork_list_people" in text


async def test_user_preferences_sample(client: Client, sandbox) -> None:
    preferences = {
        "notify_on_task_complete": True,
        "notify_on_added_as_follower": False,
        "sound_alerts_enabled": True,
        "notify_on_status_update": False,
        "text_format": "TEXT",
        "use_shorthand_durations": True,
        "receive_notify_warnings": False,
        "receive_my_notifications_only": True,
    }
    out = await call_ok(client, "teamwork_update_person_settings", {"person_id": ADRIAN, "preferences": preferences})
    (put,) = sandbox.teamwork.find("PUT")
    assert put.path == f"/people/{ADRIAN}.json"
    expected = {
        "person": {
            "notifyOnTaskComplete": True,
            "notify-on-added-as-follower": False,
            "soundAlertsEnabled": True,
            "notify-on-status-update": False,
            "textFormat": "TEXT",
            "useShorthandDurations": True,
            "userReceiveNotifyWarnings": False,
            "userReceiveMyNotificationsOnly": True,
        }
    }
    assert exact(put.json) == exact(expected)
    assert put.headers["content-type"] == "application/json"
    assert exact(out["sent"]) == exact(expected["person"]) and out["person"]["person_id"] == ADRIAN
    settings = sandbox.teamwork.store.table("people")[ADRIAN]["settings"]
    assert settings["notifyOnTaskComplete"] is True and settings["notify-on-added-as-follower"] is False


async def test_daily_report_sample(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "teamwork_update_person_settings",
        {
            "person_id": MARC,
            "daily_report": {
                "receive": True,
                "sort": "PROJECT",
                "at_weekend": False,
                "if_empty": True,
                "events_type": "MINE",
                "at_hour": 7,
                "days_filter": 14,
            },
            "preferences": {"allow_email_notifications": True},
        },
    )
    (put,) = sandbox.teamwork.find("PUT")
    assert exact(put.json) == exact(
        {
            "person": {
                "receiveDailyReports": True,
                "dailyReportSort": "PROJECT",
                "receiveDailyReportsAtWeekend": False,
                "receiveDailyReportsIfEmpty": True,
                "dailyReportEventsType": "MINE",
                "receiveDailyReportsAtTime": "7",  # an hour, as a string
                "dailyReportDaysFilter": 14,
                "allowEmailNotifications": True,
            }
        }
    )
    v1 = await _v1_person(sandbox, MARC)
    assert v1["receiveDailyReportsAtTime"] == "7" and v1["dailyReportSort"] == "PROJECT"


async def _v1_person(sandbox, person_id: int) -> dict[str, Any]:
    """Read the person back the v1 way, straight from the simulator (not through our code)."""
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=(TW_API_KEY, "X")) as http:
        response = await http.get(f"/people/{person_id}.json")
    assert response.status_code == 200
    return response.json()["person"]


PERMISSION_KEYS = {
    "administrator": "administrator",
    "can_add_projects": "canAddProjects",
    "can_manage_people": "canManagePeople",
    "auto_give_project_access": "autoGiveProjectAccess",
    "can_access_calendar": "canAccessCalendar",
    "can_access_templates": "canAccessTemplates",
    "can_access_portfolio": "canAccessPortfolio",
    "can_manage_custom_fields": "canManageCustomFields",
    "can_add_custom_reports": "canAddCustomReports",
    "can_manage_portfolio": "canManagePortfolio",
    "can_manage_project_templates": "canManageProjectTemplates",
    "can_view_project_templates": "canViewProjectTemplates",
    "can_view_schedule": "canViewSchedule",
    "can_manage_schedule": "canManageSchedule",
    "can_manage_time_reminders": "canManageTimeReminders",
}


async def test_user_permissions_sample(client: Client, sandbox) -> None:
    permissions = {name: i % 2 == 0 for i, name in enumerate(PERMISSION_KEYS)}
    await call_ok(client, "teamwork_update_person_permissions", {"person_id": ADRIAN, "permissions": permissions})
    (put,) = sandbox.teamwork.find("PUT")
    assert exact(put.json) == exact({"person": {PERMISSION_KEYS[k]: v for k, v in permissions.items()}})
    v1 = await _v1_person(sandbox, ADRIAN)
    assert v1["administrator"] is True and v1["permissions"]["can-add-projects"] is False
    assert v1["permissions"]["can-manage-time-reminders"] is True


async def test_full_body_sample_on_create_then_read_back(client: Client, sandbox) -> None:
    args = {
        "email": "sample@example.com",
        "first_name": "First Name",
        "last_name": "Last Name",
        "company_id": 2,
        "user_type": "account",
        "is_client_user": False,
        "send_invite": False,
        "working_hours": {
            "sunday": 0,
            "monday": 8,
            "tuesday": 8,
            "wednesday": 8,
            "thursday": 8,
            "friday": 7.5,
            "saturday": 0,
        },
        "details": {
            "job_title": "Support Lead",
            "phone_office": "",
            "phone_office_ext": "",
            "mobile_country_code": "IE",
            "mobile_prefix": "21",
            "phone_mobile": "0122362806",
            "phone_home": "+1 844 819 3456",
            "phone_fax": "0314963229",
            "email_alt_1": "",
            "email_alt_2": "",
            "email_alt_3": "",
            "profile": "",
            "private_notes": "",
            "twitter": "",
            "linkedin": "",
            "facebook": "",
            "website": "",
            "im_service": "Twitter",
            "im_handle": "",
            "avatar_pending_file_ref": "",
            "remove_avatar": False,
        },
        "address": {
            "line1": "Address Line 1",
            "line2": "Address Line 2",
            "city": "City",
            "state": "State",
            "zipcode": "Zipcode",
            "country_code": "US",
        },
        "localisation": {
            "language": "EN",
            "date_format_id": 1,
            "time_format_id": 2,
            "timezone_id": 144,
            "calendar_starts_on_sunday": True,
            "length_of_day": 15,
            "change_for_everyone": False,
        },
        "permissions": dict.fromkeys(PERMISSION_KEYS, True),
        "preferences": {
            "notify_on_task_complete": True,
            "notify_on_added_as_follower": True,
            "notify_on_status_update": True,
            "receive_notify_warnings": True,
            "receive_my_notifications_only": True,
            "sound_alerts_enabled": True,
            "allow_email_notifications": True,
            "text_format": "TEXT",
            "use_shorthand_durations": True,
        },
        "daily_report": {
            "receive": True,
            "at_weekend": True,
            "if_empty": True,
            "sort": "DATE",
            "at_hour": 5,
            "events_type": "MINE",
            "days_filter": 2,
        },
    }
    # The settings groups travel under `settings` (their update tools are teamwork_update_person_settings and
    # teamwork_update_person_permissions); the POST body is still the sample's, key for key.
    args["settings"] = {
        group: args.pop(group)
        for group in ("working_hours", "localisation", "permissions", "preferences", "daily_report")
    }
    out = await call_ok(client, "teamwork_create_person", args)
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == "/people.json"
    week = [("sunday", 0), ("monday", 8), ("tuesday", 8), ("wednesday", 8), ("thursday", 8), ("friday", 7.5)]
    expected = {
        "person": {
            "email-address": "sample@example.com",
            "first-name": "First Name",
            "last-name": "Last Name",
            "company-id": 2,
            "user-type": "account",
            "isClientUser": False,
            "workingHours": {
                "entries": [{"weekday": d, "taskHours": h} for d, h in week] + [{"weekday": "saturday", "taskHours": 0}]
            },
            "sendInvite": False,
            "title": "Support Lead",
            "phone-number-office": "",
            "phone-number-office-ext": "",
            "phone-number-mobile-countrycode": "IE",
            "phone-number-mobile-prefix": "21",
            "phone-number-mobile": "0122362806",
            "phone-number-home": "+1 844 819 3456",
            "phone-number-fax": "0314963229",
            "email-alt-1": "",
            "email-alt-2": "",
            "email-alt-3": "",
            "address": {
                "line1": "Address Line 1",
                "line2": "Address Line 2",
                "city": "City",
                "state": "State",
                "zipcode": "Zipcode",
                "countrycode": "US",
            },
            "profile": "",
            "privateNotes": "",
            "userTwitterName": "",
            "userLinkedin": "",
            "userFacebook": "",
            "userWebsite": "",
            "im-service": "Twitter",
            "im-handle": "",
            "language": "EN",
            "dateFormatId": 1,
            "timeFormatId": 2,
            "timezoneId": 144,
            "calendarStartsOnSunday": "yes",
            "lengthOfDay": 15,
            "changeForEveryone": False,
            **dict.fromkeys(PERMISSION_KEYS.values(), True),
            "notifyOnTaskComplete": True,
            "notify-on-added-as-follower": True,
            "notify-on-status-update": True,
            "userReceiveNotifyWarnings": True,
            "userReceiveMyNotificationsOnly": True,
            "receiveDailyReports": True,
            "receiveDailyReportsAtWeekend": True,
            "receiveDailyReportsIfEmpty": True,
            "soundAlertsEnabled": True,
            "dailyReportSort": "DATE",
            "receiveDailyReportsAtTime": "5",
            "dailyReportEventsType": "MINE",
            "dailyReportDaysFilter": 2,
            "avatarPendingFileRef": "",
            "removeAvatar": False,
            "allowEmailNotifications": True,
            "textFormat": "TEXT",
            "useShorthandDurations": True,
        }
    }
    assert exact(post.json) == exact(expected)
    # The new person is read back (v3) and returned.
    new_id = out["person"]["person_id"]
    assert sandbox.teamwork.requests[-1].path == f"/projects/api/v3/people/{new_id}.json"
    assert out["person"]["email"] == "sample@example.com" and out["person"]["company_id"] == 2
    assert out["person"]["length_of_day"] == 15
    v1 = await _v1_person(sandbox, new_id)
    assert v1["workingHours"]["entries"][5] == {"weekday": "friday", "taskHours": 7.5}
    assert v1["address"]["countrycode"] == "US" and v1["timezoneId"] == 144


async def test_minimal_create_sends_only_what_was_given(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_create_person", {"email": "new@demo-agency.test", "first_name": "Ana", "last_name": "Lee"}
    )
    (post,) = sandbox.teamwork.find("POST")
    assert exact(post.json) == exact(
        {"person": {"email-address": "new@demo-agency.test", "first-name": "Ana", "last-name": "Lee"}}
    )
    listed = await call_ok(client, "teamwork_list_people", {"search": "new@demo-agency.test"})
    assert [p["person_id"] for p in listed["items"]] == [out["person"]["person_id"]]


async def test_working_hours_update_matches_the_sample_shape(client: Client, sandbox) -> None:
    hours = {"sunday": 0, "monday": 7, "tuesday": 7, "wednesday": 7, "thursday": 7, "friday": 7, "saturday": 0}
    await call_ok(
        client,
        "teamwork_update_person_settings",
        {"person_id": ADRIAN, "working_hours": hours, "localisation": {"length_of_day": 7}},
    )
    (put,) = sandbox.teamwork.find("PUT")
    assert exact(put.json) == exact(
        {
            "person": {
                "lengthOfDay": 7,
                "workingHours": {"entries": [{"weekday": d, "taskHours": h} for d, h in hours.items()]},
            }
        }
    )
    assert sandbox.teamwork.store.table("people")[ADRIAN]["workingHours"]["monday"] == 7


async def test_people_bad_inputs_name_the_field_and_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_person", {"first_name": "A", "last_name": "B"}, "email"),
        ("teamwork_create_person", {"email": "not-an-email", "first_name": "A", "last_name": "B"}, "email"),
        (
            "teamwork_update_person_settings",
            {"person_id": ADRIAN, "preferences": {"text_format": "RTF"}},
            "text_format",
        ),
        ("teamwork_update_person_settings", {"person_id": ADRIAN, "daily_report": {"at_hour": 24}}, "at_hour"),
        ("teamwork_update_person_settings", {"person_id": ADRIAN, "daily_report": {"sort": "date"}}, "sort"),
        ("teamwork_update_person_settings", {"person_id": ADRIAN, "working_hours": {"monday": 8}}, "tuesday"),
        (
            "teamwork_update_person_settings",
            {"person_id": ADRIAN, "preferences": {"notifyOnTaskComplete": True}},
            "notify",
        ),
        ("teamwork_update_person_settings", {"person_id": ADRIAN}, "at least one setting"),
        ("teamwork_update_person_permissions", {"person_id": ADRIAN, "permissions": {}}, "at least one permission"),
        ("teamwork_update_person", {"person_id": ADRIAN, "preferences": {"text_format": "TEXT"}}, "preferences"),
        ("teamwork_update_person", {"person_id": ADRIAN}, "at least one field"),
        ("teamwork_update_person", {"person_id": 0, "details": {"job_title": "x"}}, "person_id"),
        ("teamwork_delete_person", {}, "person_id"),
        ("teamwork_list_people", {"user_type": "admin"}, "user_type"),
        ("teamwork_get_person", {"person_id": "abc"}, "person_id"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, field, text)
    assert sandbox.teamwork.requests == []


async def test_create_refusals_write_nothing(client: Client, sandbox) -> None:
    base = {"first_name": "A", "last_name": "B"}
    text = await call_err(client, "teamwork_create_person", {**base, "email": "ADRIAN@demo-agency.test"})
    assert str(ADRIAN) in text and "teamwork_update_person" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_create_person", {**base, "email": "x@y.test", "company_id": 99})
    assert "company_id" in text and "teamwork_list_companies" in text
    text = await call_err(
        client, "teamwork_create_person", {**base, "email": "x@y.test", "company_id": 1, "is_client_user": True}
    )
    assert "is_client_user" in text and "owner" in text
    assert sandbox.teamwork.writes == []


async def test_update_client_user_checks_the_persons_company(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_person", {"person_id": ADRIAN, "is_client_user": True})
    assert "is_client_user" in text
    assert sandbox.teamwork.writes == []
    out = await call_ok(client, "teamwork_update_person", {"person_id": 512002, "is_client_user": True})
    assert out["sent"] == {"isClientUser": True}


async def test_delete_person_then_it_is_gone(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_delete_person", {"person_id": 412001})
    assert out == {"id": 412001, "deleted": True}
    assert [(r.method, r.path) for r in sandbox.teamwork.writes] == [("DELETE", "/people/412001.json")]
    text = await call_err(client, "teamwork_get_person", {"person_id": 412001})
    assert "404" in text


async def test_deleting_the_servers_own_person_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_delete_person", {"person_id": MARC})
    assert "lock the server out" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []


async def test_upstream_refusal_is_reported_with_teamworks_message(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "PUT", r"/people/\d+\.json", Fault(status=422, body={"MESSAGE": "Email already in use", "STATUS": "Error"})
    )
    text = await call_err(client, "teamwork_update_person", {"person_id": ADRIAN, "email": "a@b.test"})
    assert "422" in text and "Email already in use" in text
    sandbox.teamwork.faults.add("POST", "/people.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_create_person", {"email": "z@z.test", "first_name": "Z", "last_name": "Z"})
    assert "may or may not" in text
    assert len(sandbox.teamwork.find("POST", "/people.json")) == 1  # never resent


async def test_simulator_refuses_a_body_without_the_person_wrapper(sandbox) -> None:
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=(TW_API_KEY, "X")) as http:
        response = await http.put(f"/people/{ADRIAN}.json", json={"first-name": "Adrian"})
        assert response.status_code == 422 and response.json()["STATUS"] == "Error"
        response = await http.put(f"/people/{ADRIAN}.json", json={"person": {"notifyOnAddedAsFollower": True}})
        assert response.status_code == 422 and "notifyOnAddedAsFollower" in response.json()["MESSAGE"]
        response = await http.put(f"/people/{ADRIAN}.json", json={"person": {"receiveDailyReportsAtTime": 7}})
        assert response.status_code == 422


async def test_create_without_an_id_in_the_answer_finds_the_person_by_email(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", "/people.json", Fault(status=201, body={"STATUS": "OK"}, after=True))
    out = await call_ok(
        client, "teamwork_create_person", {"email": "noid@demo-agency.test", "first_name": "No", "last_name": "Id"}
    )
    assert out["person"]["email"] == "noid@demo-agency.test" and out["person"]["person_id"] > 0
    assert sandbox.teamwork.requests[-1].params["searchTerm"] == "noid@demo-agency.test"
