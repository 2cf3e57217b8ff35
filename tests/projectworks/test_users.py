"""Users, roles, postings, leave balances and user search, against reference §2.2 #1-2, #23, §2.3 #38-40 and
§2.4 #53-55: exact requests (names, casing, bodies), happy paths read back, bad input that sends nothing,
prerequisite refusals that write nothing, and upstream errors."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

POSTING_ARGS = {
    "start_date": "2026-11-02",
    "is_billable": True,
    "recoverable": 1,
    "rate": 95.5,
    "office_id": 2,
    "location_id": 3,
    "team_id": 4,
    "position_id": 5,
    "agreement_type_id": 6,
    "currency_id": 1,
    "allow_unverified_ids": True,  # location, team, position and agreement ids no demo posting uses yet
}


# -- list / get ---------------------------------------------------------------------------------------------------


async def test_list_users_sends_every_filter_pascal_case(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_users",
        {
            "user_id": 102,
            "email": "adrian@demo-agency.test",
            "name": "Adrian Kerr",
            "external_reference": "EMP-102",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": True,
            "page": 1,
            "page_size": 10,
        },
    )
    (user,) = out["items"]
    assert user["user_id"] == 102 and user["first_name"] == "Adrian" and user["employee_start_date"] == "2022-05-16"
    assert user["custom_fields"] == [] and "raw" not in user
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Users")
    assert req.query == [
        ("UserID", "102"),
        ("Email", "adrian@demo-agency.test"),
        ("Name", "Adrian Kerr"),
        ("ExternalReference", "EMP-102"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "true"),
        ("page", "1"),
        ("pageSize", "10"),
    ]


async def test_list_users_pages_and_has_more(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_users", {"page_size": 2})
    assert [u["user_id"] for u in out["items"]] == [101, 102] and out["has_more"] is True
    out = await call_ok(client, "projectworks_list_users", {"page": 2, "page_size": 3})
    assert [u["user_id"] for u in out["items"]] == [104] and out["has_more"] is False
    assert sandbox.projectworks.requests[0].query == [("page", "1"), ("pageSize", "2")]


async def test_list_users_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_users", {"user_id": 0, "page_size": 0})
    assert "user_id" in text and "page_size" in text
    text = await call_err(client, "projectworks_list_users", {"modified_since_date": "last week"})
    assert "modified_since_date" in text
    assert sandbox.projectworks.requests == []


async def test_get_user_with_raw(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_user", {"user_id": 103, "include_raw": True})
    assert out["email"] == "sina@demo-agency.test" and out["raw"]["UserID"] == 103
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path, req.query) == ("GET", "/Users/103", [])


async def test_get_user_not_found_and_bad_input(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_get_user", {"user_id": "ben"})
    assert "user_id" in text
    assert sandbox.projectworks.requests == []
    text = await call_err(client, "projectworks_get_user", {"user_id": 999})
    assert "404" in text and "projectworks_search_users" in text


# -- create / update / delete -------------------------------------------------------------------------------------


async def test_create_user_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_user",
        {
            "email": "mere@demo-agency.test",
            "first_name": "Mere",
            "last_name": "Tane",
            "employee_start_date": "2026-11-02",
            "is_active": True,
            "external_reference": "HR-77",
        },
    )
    (post,) = sandbox.projectworks.find("POST")
    assert post.path == "/Users"
    assert post.json == {
        "email": "mere@demo-agency.test",
        "firstName": "Mere",
        "lastName": "Tane",
        "employeeStartDate": "2026-11-02",
        "isActive": True,
        "externalReference": "HR-77",
    }
    back = await call_ok(client, "projectworks_get_user", {"user_id": out["user_id"]})
    assert back["first_name"] == "Mere" and back["employee_start_date"] == "2026-11-02"


async def test_create_user_with_empty_reply_is_read_back_by_email(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("POST", "/Users", Fault(status=200, body="", after=True))
    out = await call_ok(
        client, "projectworks_create_user", {"email": "hemi@demo-agency.test", "first_name": "Hemi", "last_name": "R"}
    )
    assert out["user_id"] > 104 and out["email"] == "hemi@demo-agency.test"
    lookup = sandbox.projectworks.find("GET", "/Users")[-1]
    assert lookup.query == [("Email", "hemi@demo-agency.test"), ("page", "1"), ("pageSize", "2")]


async def test_create_user_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_user", {"first_name": "No", "last_name": "Email"})
    assert "email" in text
    text = await call_err(
        client, "projectworks_create_user", {"email": "not-an-email", "first_name": "A", "last_name": "B"}
    )
    assert "email" in text
    text = await call_err(
        client,
        "projectworks_create_user",
        {
            "email": "a@b.test",
            "first_name": "A",
            "last_name": "B",
            "employee_start_date": "2026-05-01",
            "employee_end_date": "2026-04-01",
        },
    )
    assert "employee_end_date" in text
    assert sandbox.projectworks.requests == []


async def test_create_user_duplicate_email_reports_upstream_words(client: Client, sandbox) -> None:
    text = await call_err(
        client, "projectworks_create_user", {"email": "adrian@demo-agency.test", "first_name": "B", "last_name": "C"}
    )
    assert "400" in text and "already exists" in text
    assert len(sandbox.projectworks.find("POST")) == 1


async def test_update_user_patches_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_update_user", {"user_id": 102, "last_name": "Kerr-Smith", "is_active": False}
    )
    assert out["last_name"] == "Kerr-Smith" and out["is_active"] is False and out["first_name"] == "Adrian"
    (patch,) = sandbox.projectworks.find("PATCH")
    assert patch.path == "/Users/102"
    assert patch.json == {"lastName": "Kerr-Smith", "isActive": False}  # user id is path-only
    back = await call_ok(client, "projectworks_get_user", {"user_id": 102})
    assert back["last_name"] == "Kerr-Smith"


async def test_update_user_without_changes_or_with_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user", {"user_id": 102})
    assert "user_id" in text and "no field to change" in text
    text = await call_err(client, "projectworks_update_user", {"user_id": 102, "birth_date": "31/12/1990"})
    assert "birth_date" in text
    assert sandbox.projectworks.requests == []


async def test_update_missing_user_points_to_lookup(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user", {"user_id": 999, "gender": "F"})
    assert "404" in text and "projectworks_search_users" in text


async def test_delete_user(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_delete_user", {"user_id": 104})
    assert out == {"id": 104, "deleted": True}
    (delete,) = sandbox.projectworks.find("DELETE")
    assert (delete.path, delete.body) == ("/Users/104", b"")
    assert "404" in await call_err(client, "projectworks_get_user", {"user_id": 104})


async def test_delete_user_bad_input_and_missing(client: Client, sandbox) -> None:
    assert "user_id" in await call_err(client, "projectworks_delete_user", {"user_id": -1})
    assert sandbox.projectworks.requests == []
    assert "404" in await call_err(client, "projectworks_delete_user", {"user_id": 999})


# -- roles --------------------------------------------------------------------------------------------------------


async def test_update_user_roles_sends_the_full_set_and_echoes_it(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_user_roles", {"user_id": 102, "role_ids": [10, 12]})
    assert out == {"user_id": 102, "role_ids": [10, 12], "updated": True}
    (put,) = sandbox.projectworks.find("PUT")
    assert (put.path, put.json) == ("/Users/102/Roles", {"userRoleIDs": [10, 12]})
    assert sandbox.projectworks.store.table("users")[102]["RoleIDs"] == [10, 12]
    await call_ok(client, "projectworks_update_user_roles", {"user_id": 103, "role_ids": []})
    assert sandbox.projectworks.find("PUT")[-1].json == {"userRoleIDs": []}
    assert len(sandbox.projectworks.find("GET", "/Users/Roles")) == 1  # cached per account


async def test_update_user_roles_unknown_role_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user_roles", {"user_id": 102, "role_ids": [10, 99]})
    assert "[99]" in text and "projectworks_list_roles" in text and "12 (PM)" in text and "Nothing was written" in text
    assert sandbox.projectworks.writes == []


async def test_update_user_roles_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user_roles", {"user_id": 102, "role_ids": [10, 10]})
    assert "role_ids" in text and "only once" in text
    assert "role_ids" in await call_err(client, "projectworks_update_user_roles", {"user_id": 102})
    assert sandbox.projectworks.requests == []


# -- posting ------------------------------------------------------------------------------------------------------


async def test_update_user_posting_exact_body(client: Client, sandbox) -> None:
    args = {
        **POSTING_ARGS,
        "end_date": "2027-06-30",
        "manager_id": 101,
        "capacity_days": [{"day_of_week": 1, "hours": 8}, {"day_of_week": 5, "hours": 4.5}],
    }
    out = await call_ok(client, "projectworks_update_user_posting", {"user_id": 104, **args})
    (put,) = sandbox.projectworks.find("PUT")
    assert put.path == "/Users/104/Postings"
    assert put.json == {  # userID is path-only (reference §2.4 #55)
        "startDate": "2026-11-02",
        "endDate": "2027-06-30",
        "isBillable": True,
        "recoverable": 1,
        "rate": 95.5,
        "officeID": 2,
        "locationID": 3,
        "teamID": 4,
        "positionID": 5,
        "agreementTypeID": 6,
        "currencyID": 1,
        "managerID": 101,
        "capacityDays": [{"dayOfWeekID": 1, "hours": 8.0}, {"dayOfWeekID": 5, "hours": 4.5}],
    }
    assert out["posting_id"] and out["office_id"] == 2 and out["capacity_days"][1] == {"day_of_week": 5, "hours": 4.5}
    postings = sandbox.projectworks.store.table("users")[104]["Postings"]
    assert postings[-1]["StartDate"] == "2026-11-02" and postings[-1]["ManagerID"] == 101


async def test_update_user_posting_empty_reply_echoes_what_was_sent(client: Client, sandbox) -> None:
    # The reply to PUT /Users/{id}/Postings was never seen live (reference §12); an empty 200 must still answer.
    sandbox.projectworks.faults.add("PUT", "/Users/104/Postings", Fault(status=200, body="", after=True))
    args = {"user_id": 104, **POSTING_ARGS, "capacity_days": [{"day_of_week": 2, "hours": 7.5}]}
    out = await call_ok(client, "projectworks_update_user_posting", args)
    assert "posting_id" not in out
    assert out["start_date"] == "2026-11-02" and out["office_id"] == 2 and out["rate"] == 95.5
    assert out["capacity_days"] == [{"day_of_week": 2, "hours": 7.5}]


async def test_update_user_posting_unknown_office_is_refused(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user_posting", {"user_id": 104, **POSTING_ARGS, "office_id": 9})
    assert "office_id 9" in text and "projectworks_list_offices" in text and "1 (Wellington)" in text
    assert sandbox.projectworks.writes == []


async def test_update_user_posting_bad_input_sends_nothing(client: Client, sandbox) -> None:
    bad_day = {"user_id": 104, **POSTING_ARGS, "capacity_days": [{"day_of_week": 8, "hours": 8}]}
    assert "capacity_days" in await call_err(client, "projectworks_update_user_posting", bad_day)
    twice = {"user_id": 104, **POSTING_ARGS, "capacity_days": [{"day_of_week": 1, "hours": 8}] * 2}
    assert "only once" in await call_err(client, "projectworks_update_user_posting", twice)
    backwards = {"user_id": 104, **POSTING_ARGS, "end_date": "2026-01-01"}
    assert "end_date" in await call_err(client, "projectworks_update_user_posting", backwards)
    missing = {k: v for k, v in POSTING_ARGS.items() if k != "team_id"}
    assert "team_id" in await call_err(client, "projectworks_update_user_posting", {"user_id": 104, **missing})
    assert sandbox.projectworks.requests == []


async def test_update_user_posting_upstream_404(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_user_posting", {"user_id": 999, **POSTING_ARGS})
    assert "user_id 999: no such user in Projectworks. Fix it with projectworks_list_users." in text
    assert sandbox.projectworks.writes == []


# -- leave balances -----------------------------------------------------------------------------------------------

BALANCES = [{"leave_type_id": 1, "balance": 12.5, "unit": "Days"}, {"leave_type_id": 2, "balance": 40, "unit": "Hours"}]


async def test_update_leave_balances_checks_posting_then_sends_exact_body(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": BALANCES})
    names = ["Annual Leave", "Sick Leave"]
    assert out == {
        "user_id": 102,
        "balances": [{**b, "leave_type_name": name} for b, name in zip(BALANCES, names, strict=True)],
        "updated": True,
    }
    calls = [(r.method, r.path) for r in sandbox.projectworks.requests]
    assert calls == [("GET", "/Leaves/Types"), ("GET", "/Users/102/Postings"), ("PUT", "/Users/102/LeaveBalances")]
    assert sandbox.projectworks.requests[-1].json == {
        "balances": [
            {"leaveTypeID": 1, "balance": 12.5, "unit": "Days"},
            {"leaveTypeID": 2, "balance": 40.0, "unit": "Hours"},
        ]
    }
    stored = sandbox.projectworks.store.table("users")[102]["LeaveBalances"]
    assert {b["LeaveTypeID"]: b["Balance"] for b in stored} == {1: 12.5, 2: 40}


async def test_leave_balances_without_active_posting_are_refused(client: Client, sandbox) -> None:
    # User 104's only posting ended in 2024.
    text = await call_err(client, "projectworks_update_user_leave_balances", {"user_id": 104, "balances": BALANCES})
    assert "User 104 has postings, but none covers today: posting 9004 ended 2024-12-20." in text
    assert "projectworks_update_user_posting" in text and "Nothing was written" in text
    assert sandbox.projectworks.writes == []


async def test_onboarding_new_user_posting_then_balances(client: Client, sandbox) -> None:
    user = await call_ok(
        client, "projectworks_create_user", {"email": "new@demo-agency.test", "first_name": "New", "last_name": "Hire"}
    )
    args = {"user_id": user["user_id"], "balances": BALANCES[:1]}
    assert "projectworks_update_user_posting" in await call_err(client, "projectworks_update_user_leave_balances", args)
    await call_ok(client, "projectworks_update_user_posting", {"user_id": user["user_id"], **POSTING_ARGS})
    out = await call_ok(client, "projectworks_update_user_leave_balances", args)
    assert out["updated"] is True
    assert [r.path for r in sandbox.projectworks.writes] == [
        "/Users",
        f"/Users/{user['user_id']}/Postings",
        f"/Users/{user['user_id']}/LeaveBalances",
    ]


async def test_leave_balances_unknown_type_is_refused(client: Client, sandbox) -> None:
    bad = [{"leave_type_id": 77, "balance": 1, "unit": "Days"}]
    text = await call_err(client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": bad})
    assert "77" in text and "projectworks_list_leave_types" in text and "1 (Annual Leave)" in text
    assert sandbox.projectworks.writes == []


async def test_leave_balances_when_postings_cannot_be_read_the_write_decides(client: Client, sandbox) -> None:
    # No GET for postings is documented: when the lookup 404s/405s, the write is sent and its rejection translated.
    sandbox.projectworks.faults.add("GET", r"/Users/\d+/Postings", Fault(status=404), Fault(status=405))
    text = await call_err(client, "projectworks_update_user_leave_balances", {"user_id": 104, "balances": BALANCES})
    assert "does not have an active posting" in text and "projectworks_update_user_posting" in text
    assert len(sandbox.projectworks.find("PUT", "/Users/104/LeaveBalances")) == 1
    out = await call_ok(client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": BALANCES})
    assert out["updated"] is True and "could not be listed" in out["note"]


async def test_leave_balances_retired_type_is_refused_like_leave_days(client: Client, sandbox) -> None:
    """One leave-type rule for every tool: a retired type (4, Study Leave) is refused for a balance exactly as for a
    leave day, before anything is written, and only active types are offered as valid."""
    retired = [BALANCES[0], {"leave_type_id": 4, "balance": 5, "unit": "Days"}]
    text = await call_err(client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": retired})
    assert "balances[].leave_type_id [4]" in text and "active leave type" in text
    assert "1 (Annual Leave)" in text and "Study Leave" not in text
    assert "projectworks_list_leave_types" in text and "Nothing was written" in text
    day = [{"date": "2027-01-13", "type_id": 4, "hours": 8}]
    leave_text = await call_err(client, "projectworks_create_leave", {"user_id": 102, "status_id": 1, "days": day})
    assert leave_text.replace("days[].type_id", "balances[].leave_type_id") == text
    assert sandbox.projectworks.writes == []
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [("GET", "/Leaves/Types")]


async def test_leave_balances_bad_input_sends_nothing(client: Client, sandbox) -> None:
    weeks = [{"leave_type_id": 1, "balance": 1, "unit": "Weeks"}]
    assert "unit" in await call_err(
        client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": weeks}
    )
    assert "balances" in await call_err(
        client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": []}
    )
    twice = [BALANCES[0], BALANCES[0]]
    assert "only once" in await call_err(
        client, "projectworks_update_user_leave_balances", {"user_id": 102, "balances": twice}
    )
    assert sandbox.projectworks.requests == []


# -- search -------------------------------------------------------------------------------------------------------


async def test_search_users_matches_names_and_email_case_insensitively(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_search_users", {"query": "  tui "})
    assert [u["user_id"] for u in out["items"]] == [103]
    assert out["scanned"] == 4 and out["pages"] == 1 and out["cut_short"] is False
    assert [
        u["user_id"] for u in (await call_ok(client, "projectworks_search_users", {"query": "ADRIAN KERR"}))["items"]
    ] == [102]
    (first, _) = sandbox.projectworks.requests
    assert (first.method, first.path, first.query) == ("GET", "/Users", [("page", "1"), ("pageSize", "200")])


async def test_search_users_stops_at_limit_and_reports_it(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_search_users", {"query": "demo-agency", "limit": 2})
    assert [u["user_id"] for u in out["items"]] == [101, 102]
    assert out["scanned"] == 2 and out["cut_short"] is True


async def test_search_users_scans_pages_with_progress_until_max_pages(client: Client, sandbox) -> None:
    seen: list[tuple[float, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        seen.append((done, message))

    result = await client.call_tool(
        "projectworks_search_users", {"query": "nobody", "page_size": 1, "max_pages": 3}, progress_callback=progress
    )
    out = result.structured_content
    assert out == {"items": [], "scanned": 3, "pages": 3, "cut_short": True}
    assert [r.query for r in sandbox.projectworks.requests] == [
        [("page", str(p)), ("pageSize", "1")] for p in (1, 2, 3)
    ]
    assert seen == [(1, "scanned 1 users"), (2, "scanned 2 users"), (3, "scanned 3 users")]


async def test_search_users_bad_input_and_upstream_error(client: Client, sandbox) -> None:
    assert "query" in await call_err(client, "projectworks_search_users", {"query": "   "})
    assert "limit" in await call_err(client, "projectworks_search_users", {"query": "a", "limit": 0})
    assert sandbox.projectworks.requests == []
    sandbox.projectworks.faults.add("GET", "/Users", Fault(status=403, body={"Message": "No access to users"}))
    text = await call_err(client, "projectworks_search_users", {"query": "ben"})
    assert "403" in text and "No access to users" in text


async def test_a_posting_put_that_may_have_landed_is_not_resent(client, sandbox) -> None:
    """PUT /Users/{id}/Postings creates a posting, so it is treated like a POST: a 503 is not retried."""
    from projectops_mcp.sandbox.recorder import Fault

    sandbox.projectworks.faults.add("PUT", "/Users/102/Postings", Fault(status=503, after=True))
    result = await client.call_tool(
        "projectworks_update_user_posting",
        {
            "user_id": 102,
            "start_date": "2027-01-04",
            "is_billable": True,
            "recoverable": 1,
            "rate": 90,
            "office_id": 1,
            "location_id": 1,
            "team_id": 1,
            "position_id": 1,
            "agreement_type_id": 1,
            "currency_id": 1,
        },
    )
    assert result.is_error and "NOT retried" in result.content[0].text
    assert len(sandbox.projectworks.find("PUT", "/Users/102/Postings")) == 1
