"""Unified tickets, collections, accounts, organizations and workspaces through the SDK client against both
simulators. Expected values are the demo agency's records as sandbox/*/_demo.py seeds them."""

from __future__ import annotations

from mcp import Client

from tests.conftest import call_err, call_ok
from tests.unified.test_users import walk_all


async def test_tickets_are_teamwork_tasks_and_milestones_then_projectworks_tasks(client: Client) -> None:
    records = await walk_all(client, "unified_list_tickets", {"page_size": 4})
    assert [(r["source"], r["type"], r["id"]) for r in records] == [
        *[("teamwork", "task", str(i)) for i in (5001, 5002, 5003, 5004, 5005, 5006)],
        ("teamwork", "milestone", "8801"),
        *[("projectworks", "task", str(i)) for i in (501, 502, 503, 504)],
    ]
    by_id = {(r["source"], r["id"]): r for r in records}
    assert by_id[("teamwork", "5004")] == {
        "id": "5004",
        "source": "teamwork",
        "type": "task",
        "name": "Biometric login spike",
        "status": "open",
        "native_status": "new",
        "priority": "low",
        "assignee_ids": ["369453"],
        "collection_id": "1302",
        "collection_type": "tasklist",
        "parent_id": "5003",
        "tag_ids": [],
        "created_at": "2026-10-01T09:00:00Z",
        "updated_at": "2026-10-01T09:00:00Z",
    }
    assert by_id[("teamwork", "8801")] == {
        "id": "8801",
        "source": "teamwork",
        "type": "milestone",
        "name": "Discovery sign-off",
        "status": "open",
        "native_status": "new",
        "due_date": "2026-12-04",
        "assignee_ids": ["238860"],
        "collection_id": "732893",
        "collection_type": "project",
        "project_id": "732893",
        "tag_ids": [],
        "created_at": "2026-10-01T09:00:00Z",
        "updated_at": "2026-10-01T09:00:00Z",
    }
    assert by_id[("projectworks", "501")] == {
        "id": "501",
        "source": "projectworks",
        "type": "task",
        "name": "User research",
        "status": "open",
        "native_status": "Active",
        "start_date": "2026-09-01",
        "due_date": "2026-09-30",
        "assignee_ids": ["101", "103"],
        "collection_id": "401",
        "collection_type": "module",
        "project_id": "301",
        "updated_at": "2026-10-01T09:00:00",
    }


async def test_ticket_filters(client: Client) -> None:
    out = await call_ok(client, "unified_list_tickets", {"type": "milestone"})
    assert [r["id"] for r in out["result"]] == ["8801"]
    out = await call_ok(client, "unified_list_tickets", {"source": "projectworks", "project_id": 302})
    assert [r["id"] for r in out["result"]] == ["504"]
    out = await call_ok(client, "unified_list_tickets", {"source": "teamwork", "project_id": 739377})
    assert [(r["type"], r["id"]) for r in out["result"]] == [("task", "5005"), ("task", "5006")]
    text = await call_err(client, "unified_list_tickets", {"project_id": 301})
    assert "project_id is an id of one system: give source as well" in text


async def test_a_completed_task_is_closed_and_listed_only_with_include_completed(client: Client) -> None:
    await call_ok(client, "teamwork_complete_task", {"task_id": 5006})
    out = await call_ok(client, "unified_list_tickets", {"source": "teamwork", "type": "task"})
    assert "5006" not in [r["id"] for r in out["result"]]
    out = await call_ok(client, "unified_list_tickets", {"source": "teamwork", "include_completed": True})
    (done,) = [r for r in out["result"] if r["id"] == "5006"]
    assert (done["status"], done["native_status"]) == ("closed", "completed")


async def test_get_ticket(client: Client) -> None:
    out = await call_ok(client, "unified_get_ticket", {"source": "teamwork", "type": "milestone", "id": 8801})
    assert out["result"]["name"] == "Discovery sign-off"
    out = await call_ok(
        client, "unified_get_ticket", {"source": "projectworks", "id": 502, "include_remote_data": True}
    )
    assert out["result"]["name"] == "iOS build" and out["result"]["remote_data"]["TaskName"] == "iOS build"
    text = await call_err(client, "unified_get_ticket", {"source": "projectworks", "type": "milestone", "id": 1})
    assert "only Teamwork has milestones" in text
    assert "unified_list_tickets" in await call_err(client, "unified_get_ticket", {"source": "teamwork", "id": 999})


async def test_collections(client: Client) -> None:
    records = await walk_all(client, "unified_list_collections", {"page_size": 5})
    assert [(r["source"], r["type"], r["id"]) for r in records] == [
        ("teamwork", "project", "732893"),
        ("teamwork", "project", "739377"),
        *[("teamwork", "tasklist", str(i)) for i in (1301, 1302, 1303)],
        ("projectworks", "project", "301"),
        ("projectworks", "project", "302"),
        *[("projectworks", "module", str(i)) for i in (401, 402, 403, 404)],
    ]
    by_id = {(r["source"], r["type"], r["id"]): r for r in records}
    assert by_id[("teamwork", "project", "732893")] == {
        "id": "732893",
        "source": "teamwork",
        "type": "project",
        "name": "Kiwi Bank App",
        "description": "Mobile banking app redesign",
        "status": "active",
        "account_id": "2",
        "start_date": "2026-09-01",
        "end_date": "2027-03-31",
        "created_at": "2026-10-01T09:00:00Z",
        "updated_at": "2026-10-01T09:00:00Z",
    }
    assert by_id[("teamwork", "tasklist", "1303")]["parent_id"] == "739377"
    assert by_id[("projectworks", "project", "301")] == {
        "id": "301",
        "source": "projectworks",
        "type": "project",
        "name": "Kiwi Bank App",
        "status": "active",
        "account_id": "201",
        "start_date": "2026-09-01",
        "end_date": "2027-03-31",
        "external_reference": "OPP-9001",
        "updated_at": "2026-10-01T09:00:00",
    }
    assert by_id[("projectworks", "module", "403")]["name"] == "Hosting (pass-through)"
    out = await call_ok(client, "unified_list_collections", {"source": "projectworks", "project_id": 302})
    assert [(r["type"], r["id"]) for r in out["result"]] == [("module", "404")]
    out = await call_ok(client, "unified_get_collection", {"source": "teamwork", "type": "tasklist", "id": 1302})
    assert out["result"]["name"] == "Build" and out["result"]["parent_id"] == "732893"
    text = await call_err(client, "unified_get_collection", {"source": "teamwork", "type": "module", "id": 401})
    assert "teamwork collections are project or tasklist" in text


async def test_accounts_leave_out_the_agency_and_organizations_keep_it(client: Client) -> None:
    accounts = await call_ok(client, "unified_list_accounts", {})
    assert sorted((r["source"], r["name"]) for r in accounts["result"]) == [
        ("projectworks", "Harbour Health"),
        ("projectworks", "Kiwi Bank Co"),
        ("teamwork", "Harbour Health"),
        ("teamwork", "Kiwi Bank Co"),
    ]
    organizations = await call_ok(client, "unified_list_organizations", {})
    owners = [(r["source"], r["id"], r["name"]) for r in organizations["result"] if r["is_owner"]]
    assert owners == [("teamwork", "1", "Demo Agency")]
    assert len(organizations["result"]) == 5
    kiwi = await call_ok(client, "unified_get_account", {"source": "projectworks", "id": 201})
    assert kiwi["result"] == {
        "id": "201",
        "source": "projectworks",
        "name": "Kiwi Bank Co",
        "email": "ap@kiwibank.test",
        "phone": "+64 4 000 0000",
        "is_active": True,
        "is_owner": False,
        "external_reference": "CRM-201",
        "updated_at": "2026-10-01T09:00:00",
    }
    own = await call_ok(client, "unified_get_organization", {"source": "teamwork", "id": 1})
    assert own["result"]["is_owner"] is True and own["result"]["website"] == "https://demo-agency.test"


async def test_workspaces_are_the_site_and_the_account(client: Client, sandbox) -> None:
    out = await call_ok(client, "unified_list_workspaces")
    site, account = out["result"]
    host = sandbox.url.split("://", 1)[1]
    assert site == {
        "id": host,
        "source": "teamwork",
        "name": "Demo Agency",
        "url": sandbox.url,
        "organization_id": "1",
    }
    assert (account["source"], account["id"], account["url"]) == ("projectworks", host, sandbox.pw_url)
    one = await call_ok(client, "unified_get_workspace", {"source": "projectworks"})
    assert one["result"] == account
