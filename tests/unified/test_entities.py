"""Unified teams, groups, comments, attachments, tags, fields, ticket priorities and activities through the SDK
client against both simulators. Each mapping is checked field by field against the native tool's own records (the
expected unified record is written out here from the native one, not by the mapping under test); paging crosses
from Teamwork to Projectworks under one cursor; bad cursors and upstream failures come back as clear errors."""

from __future__ import annotations

from typing import Any

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings
from tests.unified.test_users import walk_all

TASK = 5001  # the demo task with two files and a comment


def text(value: Any) -> str | None:
    return None if value is None else str(value)


def without_none(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


async def native_items(client: Client, tool: str, args: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return (await call_ok(client, tool, {"page_size": 500, **(args or {})}))["items"]


# ---------------------------------------------------------------------------------------------------------------
# teams and groups
# ---------------------------------------------------------------------------------------------------------------


def expected_team(n: dict[str, Any]) -> dict[str, Any]:
    return without_none(
        {
            "id": str(n["team_id"]),
            "source": "teamwork",
            "name": n["name"],
            "description": n.get("description"),
            "user_ids": [str(u) for u in n["member_user_ids"]] if n.get("member_user_ids") is not None else None,
            "parent_id": text(n.get("parent_team_id")),
            "organization_id": text(n.get("company_id")),
            "collection_id": text(n.get("project_id")),
        }
    )


async def test_teams_and_groups_map_every_teamwork_team_across_pages(client: Client, sandbox) -> None:
    native = await native_items(client, "teamwork_list_teams")
    assert len(native) == 4
    teams = await walk_all(client, "unified_list_teams", {"page_size": 3})
    groups = await walk_all(client, "unified_list_groups", {"page_size": 3})
    assert teams == [expected_team(n) for n in native]
    assert groups == teams
    ios = next(t for t in teams if t["name"] == "iOS")
    assert ios["parent_id"] == "91" and ios["user_ids"] == ["369453"]
    launch = next(t for t in teams if t["name"] == "Kiwi launch crew")
    assert launch["collection_id"] == "732893"

    only_kiwi = await call_ok(client, "unified_list_groups", {"organization_id": 2, "include_remote_data": True})
    assert [g["id"] for g in only_kiwi["result"]] == ["93"]
    assert only_kiwi["result"][0]["remote_data"]["handle"] == "kiwi"  # the v3 record as Teamwork sent it

    got = await call_ok(client, "unified_get_team", {"id": 92})
    assert got["result"] == expected_team(next(n for n in native if n["team_id"] == 92))
    got = await call_ok(client, "unified_get_group", {"id": 93, "source": "teamwork"})
    assert got["result"]["name"] == "Kiwi Bank stakeholders"
    assert "unified_list_teams" in await call_err(client, "unified_get_team", {"id": 999})


async def test_teamwork_only_entities_refuse_projectworks_as_source(client: Client) -> None:
    for tool in ("unified_list_teams", "unified_list_tags", "unified_list_activities"):
        text_ = await call_err(client, tool, {"source": "projectworks"})
        assert "source" in text_ and "only Teamwork has these" in text_, tool
    text_ = await call_err(client, "unified_get_tag", {"source": "projectworks", "id": 17062})
    assert "source" in text_


# ---------------------------------------------------------------------------------------------------------------
# comments and attachments
# ---------------------------------------------------------------------------------------------------------------


def expected_comment(n: dict[str, Any]) -> dict[str, Any]:
    on_ticket = n.get("object_type") in ("task", "milestone")
    return without_none(
        {
            "id": str(n["comment_id"]),
            "source": "teamwork",
            "body": n.get("body"),
            "content_type": n.get("content_type"),
            "ticket_id": text(n.get("object_id")) if on_ticket else None,
            "object_type": n.get("object_type"),
            "object_id": text(n.get("object_id")),
            "user_id": text(n.get("posted_by_user_id")),
            "collection_id": text(n.get("project_id")),
            "created_at": n.get("posted_at"),
            "updated_at": n.get("edited_at"),
        }
    )


async def test_comments_map_teamwork_comments_on_tickets_and_other_objects(client: Client) -> None:
    await call_ok(client, "teamwork_create_comment", {"object_type": "milestone", "object_id": 8801, "body": "Go"})
    await call_ok(client, "teamwork_create_comment", {"object_type": "notebook", "object_id": 61001, "body": "Nb"})
    native = await native_items(client, "teamwork_list_comments")
    assert len(native) == 3
    comments = await walk_all(client, "unified_list_comments", {"page_size": 2})
    assert comments == [expected_comment(n) for n in native]
    by_body = {c["body"]: c for c in comments}
    assert by_body["Booked the CFO for Tuesday"]["ticket_id"] == str(TASK)
    assert by_body["Go"]["ticket_id"] == "8801" and by_body["Go"]["object_type"] == "milestone"
    assert "ticket_id" not in by_body["Nb"]  # a notebook is not a ticket

    one_ticket = await call_ok(client, "unified_list_comments", {"ticket_id": 8801, "ticket_type": "milestone"})
    assert [c["body"] for c in one_ticket["result"]] == ["Go"]
    got = await call_ok(client, "unified_get_comment", {"id": 44001, "include_remote_data": True})
    assert got["result"]["remote_data"]["id"] == 44001
    got["result"].pop("remote_data")
    assert got["result"] == by_body["Booked the CFO for Tuesday"]


async def test_attachments_are_a_tasks_files(client: Client) -> None:
    native = (await call_ok(client, "teamwork_list_task_files", {"task_id": TASK}))["items"]
    expected = [
        without_none(
            {
                "id": str(n["file_id"]),
                "source": "teamwork",
                "file_name": n["name"],
                "file_url": n.get("download_url"),
                "size": n.get("size_bytes"),
                "description": n.get("description"),
                "version": n.get("version"),
                "ticket_id": str(TASK),
                "user_id": text(n.get("uploaded_by_user_id")),
                "created_at": n.get("uploaded_at"),
            }
        )
        for n in native
    ]
    assert len(expected) == 2
    assert await walk_all(client, "unified_list_attachments", {"ticket_id": TASK, "page_size": 1}) == expected
    got = await call_ok(client, "unified_get_attachment", {"ticket_id": TASK, "id": 812002})
    assert got["result"] == expected[1]
    text_ = await call_err(client, "unified_get_attachment", {"ticket_id": TASK, "id": 5})
    assert text_.startswith("id: task 5001 has no file 5") and "unified_list_attachments" in text_
    assert "unified_list_tickets" in await call_err(client, "unified_list_attachments", {"ticket_id": 99999})


# ---------------------------------------------------------------------------------------------------------------
# tags, fields, ticket priorities
# ---------------------------------------------------------------------------------------------------------------


async def test_tags_map_teamwork_tags(client: Client) -> None:
    await call_ok(client, "teamwork_create_tag", {"name": "Kiwi only", "project_id": 732893, "color": "#112233"})
    native = await native_items(client, "teamwork_list_tags")
    tags = await walk_all(client, "unified_list_tags", {"page_size": 2})
    assert tags == [
        without_none(
            {
                "id": str(n["tag_id"]),
                "source": "teamwork",
                "name": n["name"],
                "color": n.get("color"),
                "collection_id": text(n.get("project_id")),
            }
        )
        for n in native
    ]
    assert {t["name"]: t.get("collection_id") for t in tags} == {"API": None, "Urgent": None, "Kiwi only": "732893"}
    urgent = await call_ok(client, "unified_list_tags", {"search": "Urg"})
    assert [t["id"] for t in urgent["result"]] == ["17063"]
    assert (await call_ok(client, "unified_get_tag", {"id": 17063}))["result"]["color"] == "#E74C3C"


async def test_fields_walk_teamwork_then_the_projectworks_fields_in_use(client: Client, sandbox) -> None:
    # Projectworks lists no definitions: only fields some record has a value for can be seen
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "project", "entity_id": 301, "fields": [{"field_id": 4, "multi_select_values": ["iOS"]}]},
    )
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "user", "entity_id": 102, "fields": [{"field_id": 7, "value": "@adrian"}]},
    )
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "user", "entity_id": 103, "fields": [{"field_id": 7, "value": "@sina"}]},
    )
    tw_native = await native_items(client, "teamwork_list_custom_fields")
    pw_native = await native_items(client, "projectworks_list_custom_fields")
    assert [(f["field_id"], f["entity_type"], f["records_with_value"]) for f in pw_native] == [
        (4, "project", 1),
        (7, "user", 2),
    ]
    expected = [
        without_none(
            {
                "id": str(n["custom_field_id"]),
                "source": "teamwork",
                "name": n["name"],
                "description": n.get("description"),
                "type": n.get("type"),
                "entity_type": n.get("entity"),
                "is_user_defined": True,
                "is_required": n.get("required"),
                "options": n.get("choices"),
                "collection_id": text(n.get("project_id")),
            }
        )
        for n in tw_native
    ] + [
        without_none(
            {
                "id": str(n["field_id"]),
                "source": "projectworks",
                "name": n["name"],
                "type": "multiselect" if n.get("multi_select") else None,
                "entity_type": n["entity_type"],
                "is_user_defined": True,
            }
        )
        for n in pw_native
    ]
    assert [f["name"] for f in expected] == [
        "Client PO",
        "Review status",
        "Contract type",
        "Tech Stack",
        "Slack Handle",
    ]
    fields = await walk_all(client, "unified_list_fields", {"page_size": 2})
    assert fields == expected  # the second page ends Teamwork's list, the third one is Projectworks'
    tasks_only = await walk_all(client, "unified_list_fields", {"entity_type": "user"})
    assert [(f["source"], f["id"]) for f in tasks_only] == [("projectworks", "7")]

    got = await call_ok(client, "unified_get_field", {"source": "projectworks", "id": 4, "include_remote_data": True})
    assert got["result"]["remote_data"]["MultiSelectValues"] == ["iOS"]
    got = await call_ok(client, "unified_get_field", {"source": "teamwork", "id": 2558})
    assert got["result"] == expected[1]
    text_ = await call_err(client, "unified_get_field", {"source": "projectworks", "id": 5})
    assert text_.startswith("id: no Projectworks record carries custom field 5") and "unified_list_fields" in text_


async def test_fields_in_use_are_read_once_per_account_from_the_largest_pages(client: Client, sandbox) -> None:
    await call_ok(client, "unified_list_fields", {"source": "projectworks"})
    await call_ok(client, "unified_list_fields", {"source": "projectworks", "page_size": 1})
    reads = [r for r in sandbox.projectworks.requests if r.method == "GET"]
    assert sorted(r.path.rsplit("/", 1)[1] for r in reads) == ["Clients", "Modules", "Projects", "Tasks", "Users"]
    assert {r.params["IncludeCustomFields"] for r in reads} == {"true"}
    assert {r.params["pageSize"] for r in reads} == {"500"}
    # a value set through the server is seen at once: only that entity type is read again
    await call_ok(
        client,
        "projectworks_set_custom_fields",
        {"entity_type": "module", "entity_id": 401, "fields": [{"field_id": 5, "value": "CC-12"}]},
    )
    sandbox.projectworks.requests.clear()
    out = await call_ok(client, "unified_list_fields", {"source": "projectworks"})
    assert [(f["id"], f["name"], f["entity_type"]) for f in out["result"]] == [("5", "Cost Centre", "module")]
    assert [r.path.rsplit("/", 1)[1] for r in sandbox.projectworks.requests] == ["Modules"]


async def test_ticket_priorities_are_the_fixed_teamwork_set(client: Client, sandbox) -> None:
    sandbox.teamwork.requests.clear()
    out = await walk_all(client, "unified_list_ticket_priorities", {"page_size": 3})
    assert out == [
        {"id": "none", "source": "teamwork", "name": "none", "rank": 0},
        {"id": "low", "source": "teamwork", "name": "low", "rank": 1},
        {"id": "medium", "source": "teamwork", "name": "medium", "rank": 2},
        {"id": "high", "source": "teamwork", "name": "high", "rank": 3},
    ]
    assert not sandbox.teamwork.requests, "a fixed set needs no request"
    # every priority a native task shows is one of them
    tasks = await native_items(client, "teamwork_list_tasks")
    assert {t["priority"] for t in tasks if t.get("priority")} <= {p["id"] for p in out}
    got = await call_ok(client, "unified_get_ticket_priority", {"id": "high"})
    assert got["result"] == out[3]
    text_ = await call_err(client, "unified_get_ticket_priority", {"id": "urgent"})
    assert "id" in text_ and "'none', 'low', 'medium' or 'high'" in text_


# ---------------------------------------------------------------------------------------------------------------
# activities
# ---------------------------------------------------------------------------------------------------------------


async def test_activities_map_teamwork_latest_activity(client: Client) -> None:
    native = await native_items(client, "teamwork_list_latest_activity")
    assert len(native) == 3
    activities = await walk_all(client, "unified_list_activities", {"page_size": 2})
    assert activities == [
        without_none(
            {
                "id": str(n["activity_id"]),
                "source": "teamwork",
                "type": n.get("action"),
                "item_type": n.get("item_type"),
                "item_id": text(n.get("item_id")),
                "description": n.get("description"),
                "user_id": text(n.get("user_id")),
                "collection_id": text(n.get("project_id")),
                "created_at": n.get("at"),
                "url": n.get("link"),
            }
        )
        for n in native
    ]
    since = await call_ok(client, "unified_list_activities", {"start": "2026-11-15T00:00:00Z"})
    assert [a["id"] for a in since["result"]] == ["99002", "99001"]
    text_ = await call_err(client, "unified_list_activities", {"start": "2026-11-15T00:00:00Z", "end": "2026-11-01"})
    assert "end must be after start" in text_
    native_text = await call_err(
        client, "teamwork_list_latest_activity", {"start": "2026-11-15T00:00:00Z", "end": "2026-11-01"}
    )
    assert "end must be after start" in native_text  # a naive end against an aware start is compared as UTC


# ---------------------------------------------------------------------------------------------------------------
# cursors, upstream failures, a missing backend
# ---------------------------------------------------------------------------------------------------------------


async def test_bad_cursors_are_input_errors_naming_cursor(client: Client) -> None:
    teams = await call_ok(client, "unified_list_teams", {"page_size": 1})
    text_ = await call_err(client, "unified_list_groups", {"page_size": 1, "cursor": teams["next_cursor"]})
    assert text_.startswith("cursor: belongs to another list or to other filters")
    fields = await call_ok(client, "unified_list_fields", {"page_size": 1})
    text_ = await call_err(client, "unified_list_fields", {"cursor": fields["next_cursor"], "entity_type": "task"})
    assert text_.startswith("cursor: belongs to another list")
    assert (await call_err(client, "unified_list_tags", {"cursor": "%%%"})).startswith("cursor: ")


async def test_an_upstream_failure_is_a_clear_error_not_a_partial_page(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Projects", *[Fault.html(503)] * 4)
    text_ = await call_err(client, "unified_list_fields", {"page_size": 50})
    assert "HTTP 503" in text_ and "<html" not in text_ and "internal error" not in text_.lower()
    sandbox.teamwork.faults.add("GET", "/teams.json", *[Fault(status=500, body={"errors": ["boom"]})] * 4)
    text_ = await call_err(client, "unified_list_teams", {})
    assert "HTTP 500" in text_ and "Teamwork" in text_


async def test_with_only_projectworks_the_teamwork_entities_say_so(sandbox) -> None:
    settings = make_settings(sandbox, teamwork_site_url=None, teamwork_api_key=None)
    async with Client(build_server(settings)) as only_projectworks:
        out = await call_ok(only_projectworks, "unified_list_teams", {})
        assert out == {
            "result": [],
            "warnings": ["Teamwork is not configured on this server: its records are not included."],
        }
        fields = await call_ok(only_projectworks, "unified_list_fields", {})
        assert fields["result"] == [] and fields["warnings"]
        text_ = await call_err(only_projectworks, "unified_get_ticket_priority", {"id": "low"})
        assert "Teamwork is not configured" in text_ and "TEAMWORK_SITE_URL" in text_
