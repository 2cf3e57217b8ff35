"""Issue 17, first run: why a backend has no tools and which variables enable it (instructions, stderr, `tools`);
today's date and the per-backend id rule in the instructions; the sandbox's sample receipt; one agency across both
demo systems; unknown tool names answered with suggestions by meaning."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings


async def test_instructions_carry_the_date_the_id_rule_and_what_is_not_served(sandbox) -> None:
    server = build_server(make_settings(sandbox, projectworks_consumer_key=None, projectworks_consumer_secret=None))
    async with Client(server) as c:
        text = c.instructions or ""
        assert f"Today's date when this server started: {date.today().isoformat()} (UTC)." in text
        assert "IDs are per backend: a Teamwork id means nothing to a projectworks_* tool" in text
        assert "projectworks tools are not served: its credentials are not configured. Set " in text
        assert "PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET" in text
        assert "teamwork tools are not served" not in text
        names = {t.name for t in (await c.list_tools()).tools}
        assert "teamwork_list_tasks" in names and not any(n.startswith("projectworks_") for n in names)
        refused = await call_err(c, "projectworks_list_roles")
        assert "PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET" in refused


def test_tools_without_credentials_says_why_and_how() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMWORK_", "PROJECTWORKS_", "PROJECTOPS_"))}
    done = subprocess.run(
        [sys.executable, "-m", "projectops_mcp", "tools"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout == ""
    assert "teamwork tools are not served: its credentials are not configured. Set TEAMWORK_SITE_URL" in done.stderr
    assert "Set PROJECTWORKS_CONSUMER_KEY and PROJECTWORKS_CONSUMER_SECRET" in done.stderr
    assert "--sandbox" in done.stderr and done.stderr.rstrip().endswith("0 tools")


async def test_the_sandbox_has_a_sample_receipt_for_receipt_path() -> None:
    async with Client(build_server(Settings(_env_file=None, projectops_sandbox=True))) as c:
        claim = {
            "user_id": 102,
            "project_id": 301,
            "module_id": 402,
            "expense_claim_type_id": 1,
            "is_reimbursable": True,
            "is_processed": False,
            "date": "2026-11-20",
            "amount": 45.5,
            "currency_id": 1,
            "tax_type_id": 1,
            "receipt_path": "taxi-2026-11-20.pdf",
        }
        out = await call_ok(c, "projectworks_create_expense_claim", claim)
        assert out["file_names"] == ["taxi-2026-11-20.pdf"] and out["amount"] == 45.5


async def test_one_agency_across_both_demo_systems(client: Client) -> None:
    tw_people = (await call_ok(client, "teamwork_list_people", {}))["items"]
    pw_users = (await call_ok(client, "projectworks_list_users", {}))["items"]
    shared = {p["email"] for p in tw_people} & {u["email"] for u in pw_users}
    assert shared == {"marc@demo-agency.test", "adrian@demo-agency.test", "sina@demo-agency.test"}
    tw_projects = {p["name"] for p in (await call_ok(client, "teamwork_list_projects", {}))["items"]}
    pw_projects = {p["name"] for p in (await call_ok(client, "projectworks_list_projects", {}))["items"]}
    assert tw_projects & pw_projects == {"Kiwi Bank App", "Harbour Health Portal"}


async def test_unknown_tool_gets_suggestions_by_meaning(client: Client) -> None:
    text = await call_err(client, "projectworks_log_time")
    assert text.startswith("Unknown tool: projectworks_log_time. Did you mean: projectworks_create_timesheet")
    text = await call_err(client, "teamwork_add_reminder")
    assert "teamwork_create_task_reminder" in text


async def test_dates_say_the_format_and_digits_are_never_timestamps(client: Client, sandbox) -> None:
    for value in ("20261211", 1733011200):
        text = await call_err(client, "projectworks_list_timesheets", {"date": value})
        assert "- date: use YYYY-MM-DD, e.g. 2026-12-11; a number is not read as a timestamp" in text
    text = await call_err(
        client,
        "projectworks_create_leave",
        {"user_id": 102, "status_id": 1, "days": [{"date": "11/12/2026", "type_id": 1, "hours": 8}]},
    )
    assert "- days.0.date: use YYYY-MM-DD, e.g. 2026-12-11 (got '11/12/2026')" in text
    assert "zero time" not in text and sandbox.projectworks.requests == []


async def test_a_404_names_a_tool_that_finds_ids_not_a_get_that_needs_one(client: Client) -> None:
    text = await call_err(client, "projectworks_update_user", {"user_id": 999, "first_name": "X"})
    assert "Find valid ids with projectworks_search_users." in text and "projectworks_get_user" not in text


async def test_a_timesheet_with_teamwork_ids_names_the_real_cause(client: Client, sandbox) -> None:
    # 238860 is Marc's Teamwork person id and 5001 a Teamwork task id: neither exists in Projectworks.
    text = await call_err(
        client,
        "projectworks_create_timesheet",
        {"user_id": 238860, "task_id": 5001, "date": "2026-11-17", "minutes": 60},
    )
    assert "user_id 238860 is not a Projectworks user (find it with projectworks_search_users)" in text
    assert "task_id 5001 is not a Projectworks task (find it with projectworks_list_tasks)" in text
    assert "Ids are per backend" in text and "assign" not in text
