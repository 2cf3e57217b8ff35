"""Projects: requests as reference §2.2 #6-7, #25, §2.3 #29-31 and §2.4 #50 give them; prerequisites refused first."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

NEW_PROJECT = {
    "project_name": "Open Banking API",
    "office_id": 1,
    "client_id": 201,
    "project_type_id": 1,
    "project_status_id": 1,
    "currency_id": 1,
    "project_manager_id": 101,
    "account_manager_id": 102,
    "task_self_service_mode_id": 1,
}


async def test_list_projects_sends_every_filter(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_projects",
        {
            "client_id": 201,
            "project_id": 301,
            "user_id": 102,
            "project_number": "KB-001",
            "name": "Kiwi Bank App",
            "external_reference": "OPP-9001",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": False,
            "page": 1,
            "page_size": 20,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Projects")
    assert req.query == [
        ("ClientID", "201"),
        ("ProjectID", "301"),
        ("UserID", "102"),
        ("ProjectNumber", "KB-001"),  # a string, not a number
        ("Name", "Kiwi Bank App"),
        ("ExternalReference", "OPP-9001"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "false"),
        ("page", "1"),
        ("pageSize", "20"),
    ]
    (project,) = out["items"]
    assert project["project_id"] == 301 and project["start_date"] == "2026-09-01"


async def test_list_projects_by_assigned_user(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_projects", {"user_id": 103})
    assert [p["project_id"] for p in out["items"]] == [301]


async def test_get_project(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_project", {"project_id": 301, "include_raw": True})
    assert out["name"] == "Kiwi Bank App" and out["client_name"] == "Kiwi Bank Co"
    assert out["user_ids"] == [101, 102, 103] and out["raw"]["ProjectNumber"] == "KB-001"
    assert sandbox.projectworks.requests[0].path == "/Projects/301"
    text = await call_err(client, "projectworks_get_project", {"project_id": 9})
    assert "404" in text and "projectworks_search_projects" in text


async def test_create_project_exact_body_after_checks(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_project",
        {**NEW_PROJECT, "project_number": "KB-002", "start_date": "2027-01-10", "end_date": "2027-06-30"},
    )
    lookups = [(r.method, r.path) for r in sandbox.projectworks.requests if r.method == "GET"]
    # then the ids with no lookup endpoint, learned from the account's projects and expense claims (known_ids.py)
    assert lookups == [
        ("GET", "/Offices"),
        ("GET", "/Clients/201"),
        ("GET", "/Users/101"),
        ("GET", "/Users/102"),
        ("GET", "/Projects"),
        ("GET", "/ExpenseClaims"),
    ]
    (post,) = sandbox.projectworks.writes
    assert (post.method, post.path) == ("POST", "/Projects")
    assert post.json == {
        "projectName": "Open Banking API",
        "officeID": 1,
        "clientID": 201,
        "projectTypeID": 1,
        "projectStatusID": 1,
        "currencyID": 1,
        "projectManagerID": 101,
        "accountManagerID": 102,
        "taskSelfServiceModeID": 1,
        "projectNumber": "KB-002",
        "startDate": "2027-01-10",
        "endDate": "2027-06-30",
    }
    back = await call_ok(client, "projectworks_get_project", {"project_id": out["project_id"]})
    assert back["project_number"] == "KB-002" and back["client_name"] == "Kiwi Bank Co"
    assert back["end_date"] == "2027-06-30"


async def test_create_project_prerequisites_refuse_before_writing(client: Client, sandbox) -> None:
    cases = [
        ({"client_id": 999}, ["client_id 999", "projectworks_list_clients"]),
        ({"project_manager_id": 999}, ["project_manager_id 999", "projectworks_list_users"]),
        ({"account_manager_id": 998}, ["account_manager_id 998", "projectworks_list_users"]),
        ({"office_id": 7}, ["office_id 7", "projectworks_list_offices"]),
    ]
    for change, expected in cases:
        text = await call_err(client, "projectworks_create_project", {**NEW_PROJECT, **change})
        assert all(e in text for e in expected) and "Nothing was written" in text, text
    assert sandbox.projectworks.writes == []


async def test_project_bad_input_sends_nothing(client: Client, sandbox) -> None:
    missing = {k: v for k, v in NEW_PROJECT.items() if k != "currency_id"}
    assert "currency_id" in await call_err(client, "projectworks_create_project", missing)
    text = await call_err(
        client, "projectworks_create_project", {**NEW_PROJECT, "start_date": "2027-02-01", "end_date": "2027-01-01"}
    )
    assert "end_date" in text
    assert "start_date" in await call_err(client, "projectworks_update_project", {"project_id": 301, "start_date": "x"})
    assert "user_id" in await call_err(client, "projectworks_update_project_user_rate", {"project_id": 301})
    assert "query" in await call_err(client, "projectworks_search_projects", {})
    assert sandbox.projectworks.requests == []


async def test_update_project_sends_only_is_active(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_project", {"project_id": 302, "is_active": False})
    (patch,) = sandbox.projectworks.requests
    assert (patch.method, patch.path, patch.json) == ("PATCH", "/Projects/302", {"isActive": False})
    assert out["is_active"] is False and out["name"] == "Harbour Health Portal"
    assert (await call_ok(client, "projectworks_get_project", {"project_id": 302}))["is_active"] is False


async def test_update_project_checks_a_new_client(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_project", {"project_id": 302, "client_id": 555})
    assert "client_id 555" in text and "projectworks_list_clients" in text
    assert sandbox.projectworks.writes == []


async def test_delete_project(client: Client, sandbox) -> None:
    assert await call_ok(client, "projectworks_delete_project", {"project_id": 302}) == {"id": 302, "deleted": True}
    assert [(w.method, w.path) for w in sandbox.projectworks.writes] == [("DELETE", "/Projects/302")]
    assert "404" in await call_err(client, "projectworks_get_project", {"project_id": 302})


async def test_update_project_user_rate_exact_body(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_update_project_user_rate", {"project_id": 301, "user_id": 104, "rate": 180}
    )
    (put,) = sandbox.projectworks.writes
    assert (put.method, put.path, put.json) == ("PUT", "/Projects/301/Users", {"userID": 104, "rate": 180.0})
    assert out == {"project_id": 301, "user_id": 104, "rate": 180.0}
    assert 104 in (await call_ok(client, "projectworks_get_project", {"project_id": 301}))["user_ids"]


async def test_update_project_user_rate_refuses_unknown_user(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_project_user_rate", {"project_id": 301, "user_id": 77})
    assert "user_id 77" in text and "projectworks_list_users" in text
    assert sandbox.projectworks.writes == []


async def test_update_project_user_rate_empty_reply_echoes_what_was_sent(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("PUT", "/Projects/301/Users", Fault(status=200, body=b"", after=True))
    out = await call_ok(
        client,
        "projectworks_update_project_user_rate",
        {"project_id": 301, "user_id": 102, "rate_card_id": 1, "cost_rate_card_id": 3},
    )
    assert out == {"project_id": 301, "user_id": 102, "rate_card_id": 1, "cost_rate_card_id": 3}


async def test_update_project_user_rate_on_missing_project(client: Client) -> None:
    text = await call_err(client, "projectworks_update_project_user_rate", {"project_id": 9, "user_id": 102})
    assert "404" in text and "projectworks_search_projects" in text


async def test_search_projects_by_name_or_number(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_search_projects", {"query": "hh-01"})
    assert [p["project_id"] for p in out["items"]] == [302]
    out = await call_ok(client, "projectworks_search_projects", {"query": "bank app"})
    assert [p["project_id"] for p in out["items"]] == [301] and out["scanned"] == 2
    assert {tuple(r.query) for r in sandbox.projectworks.requests} == {(("page", "1"), ("pageSize", "200"))}
