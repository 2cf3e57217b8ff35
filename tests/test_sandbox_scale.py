"""The bigger sandbox agency (`--sandbox-scale N`, sandbox/agency.py): the generator is deterministic and linear in
N, what it planted holds when read back from the simulators over real HTTP (shared e-mails, links, discrepancies,
over-allocation), and the native list tools page through it through the SDK client."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
from mcp import Client

from projectops_mcp.config import Settings
from projectops_mcp.sandbox import LoopbackServer, Sandbox, agency
from projectops_mcp.sandbox.teamwork import _demo as tw_demo
from projectops_mcp.server import build_server
from tests.conftest import LiveSandbox, call_ok, make_settings

TW = "/projects/api/v3"
PW = "/api/v1"


@pytest.fixture(scope="module")
def scaled() -> Iterator[LiveSandbox]:
    """Scale 1 (15 people, 8 projects, ~3,000 time records) on a loopback port of its own."""
    sandbox = Sandbox(scale=1)
    with LoopbackServer(sandbox.app) as server:
        yield LiveSandbox(sandbox, server.url)


@pytest.fixture(scope="module")
def wire(scaled: LiveSandbox) -> dict[str, list[dict]]:
    """Every record the tests look at, read the way a client reads them: page by page over HTTP."""
    with httpx2.Client(base_url=scaled.url, auth=("key", "secret"), timeout=30) as http:

        def teamwork(path: str, key: str, **params: str) -> list[dict]:
            out, page = [], 1
            while True:
                body = http.get(TW + path, params={**params, "page": page, "pageSize": 500}).raise_for_status().json()
                assert len(body[key]) <= 500
                out += body[key]
                if not body["meta"]["page"]["hasMore"]:
                    return out
                page += 1

        def projectworks(path: str) -> list[dict]:
            out, page = [], 1
            while True:
                rows = http.get(PW + path, params={"page": page, "pageSize": 500}).raise_for_status().json()
                assert len(rows) <= 500
                out += rows
                if len(rows) < 500:
                    return out
                page += 1

        return {
            "tw_people": teamwork("/people.json", "people"),
            "tw_projects": teamwork("/projects.json", "projects"),
            "tw_time": teamwork("/time.json", "timelogs"),
            "tw_allocations": teamwork("/allocations.json", "allocations"),
            "pw_users": projectworks("/Users"),
            "pw_projects": projectworks("/Projects"),
            "pw_tasks": projectworks("/Tasks"),
            "pw_time": projectworks("/Timesheets"),
            "pw_leaves": projectworks("/Leaves"),
            "pw_resources": projectworks("/Resources"),
            "pw_postings": [
                posting | {"UserID": user["UserID"]}
                for user in projectworks("/Users")
                for posting in http.get(f"{PW}/Users/{user['UserID']}/Postings").raise_for_status().json()
            ],
        }


def norm(email: str) -> str:
    return email.strip().lower()


# -- the generator -------------------------------------------------------------------------------------------------


def test_the_generator_is_deterministic() -> None:
    first, again, other = agency.generate(2), agency.generate(2), agency.generate(2, seed=agency.SEED + 1)
    assert first.teamwork == again.teamwork and first.projectworks == again.projectworks and first.plan == again.plan
    assert first.projectworks["timesheets"] != other.projectworks["timesheets"]


def test_counts_grow_linearly_with_the_scale() -> None:
    for n in (1, 3):
        generated = agency.generate(n)
        plan, tw, pw = generated.plan, generated.teamwork, generated.projectworks
        people = plan.both + plan.teamwork_only + plan.projectworks_only + plan.contacts
        assert len(people) == len({norm(e) for e in people}) == 15 * n
        assert len(tw["people"]) == 15 * n - len(plan.projectworks_only)
        assert len(pw["users"]) == 15 * n - len(plan.teamwork_only) - len(plan.contacts)
        matched = len(plan.linked) + len(plan.by_name)
        assert len(tw["projects"]) == matched + len(plan.teamwork_unmatched)
        assert len(pw["projects"]) == matched + len(plan.projectworks_unmatched)
        # 8N projects; the few whose names differ only in case exist on both sides, unmatched, and count twice here
        assert 8 * n <= matched + len(plan.teamwork_unmatched) + len(plan.projectworks_unmatched) <= 9 * n
        time = len(tw["timelogs"]) + len(pw["timesheets"])
        tasks = len(tw["tasks"]) + len(pw["tasks"])
        assert 2_600 * n <= time <= 3_400 * n, time
        assert 330 * n <= tasks <= 450 * n, tasks
        planted = (plan.spelt_differently, plan.inactive, plan.by_name, plan.missing_in_teamwork, plan.hours_differ)
        assert all(planted), "every kind of case is planted even at scale 1"


def test_off_by_default_the_demo_data_is_unchanged() -> None:
    sandbox = Sandbox()
    assert sandbox.agency is None
    assert sorted(sandbox.teamwork.store.table("people")) == sorted(p["id"] for p in tw_demo.PEOPLE)


# -- what the simulators serve ---------------------------------------------------------------------------------------


def test_people_are_shared_by_e_mail_and_client_users_are_teamwork_contacts(scaled, wire) -> None:
    plan = scaled.sandbox.agency.plan
    tw = defaultdict(list)
    for p in wire["tw_people"]:
        tw[norm(p["email"])].append(p)
    pw = defaultdict(list)
    for u in wire["pw_users"]:
        pw[norm(u["Email"])].append(u)
    for email in plan.both:
        assert len(tw[email]) == 1 and len(pw[email]) == 1, email
        assert tw[email][0]["firstName"] == pw[email][0]["FirstName"]
    for tw_email, pw_email in plan.spelt_differently:
        assert tw_email != pw_email and norm(tw_email) == norm(pw_email)
        assert [p["email"] for p in tw[norm(tw_email)]] == [tw_email]
        assert [u["Email"] for u in pw[norm(pw_email)]] == [pw_email]
    assert all(email in tw and email not in pw for email in plan.teamwork_only)
    assert all(email in pw and email not in tw for email in plan.projectworks_only)
    for email in plan.contacts:
        (person,) = tw[email]
        assert person["type"] in ("contact", "collaborator") and person["companyId"] != tw_demo.OWNER_COMPANY_ID
        assert email not in pw
    for email in plan.inactive:
        assert pw[email][0]["IsActive"] is False and not tw[email][0]["deleted"]


def test_projects_link_by_external_reference_or_match_by_trimmed_name(scaled, wire) -> None:
    plan = scaled.sandbox.agency.plan
    tw = {p["id"]: p for p in wire["tw_projects"]}
    pw = {p["ProjectID"]: p for p in wire["pw_projects"]}
    for pw_id, tw_id in plan.linked:
        assert pw[pw_id]["ExternalReference"] == f"teamwork:{tw_id}"
        assert tw[tw_id]["name"] == pw[pw_id]["ProjectName"]
    for pw_id, tw_id in plan.by_name:
        assert not str(pw[pw_id]["ExternalReference"] or "").startswith("teamwork:")
        assert tw[tw_id]["name"].strip() == pw[pw_id]["ProjectName"].strip()
    assert any(tw[t]["name"] != pw[p]["ProjectName"] for p, t in plan.by_name)  # one differs by a trailing space
    linked_tw = {t for _, t in plan.linked + plan.by_name}
    tw_names = {p["name"].strip() for p in tw.values()}
    for pw_id in plan.projectworks_unmatched:
        assert not str(pw[pw_id]["ExternalReference"] or "").startswith("teamwork:")
        assert pw[pw_id]["ProjectName"].strip() not in tw_names
    pw_names = {p["ProjectName"].strip() for p in pw.values()}
    for tw_id in plan.teamwork_unmatched:
        assert tw_id not in linked_tw and tw[tw_id]["name"].strip() not in pw_names
    lowered = {n.lower() for n in pw_names}
    assert any(tw[t]["name"].strip().lower() in lowered for t in plan.teamwork_unmatched)  # a case-only difference


def test_time_differs_between_the_systems_exactly_on_the_planted_days(scaled, wire) -> None:
    plan = scaled.sandbox.agency.plan
    tw_email = {p["id"]: norm(p["email"]) for p in wire["tw_people"]}
    pw_email = {u["UserID"]: norm(u["Email"]) for u in wire["pw_users"]}
    tw_minutes: dict[tuple[str, str], int] = defaultdict(int)
    for log in wire["tw_time"]:
        tw_minutes[(tw_email[log["userId"]], log["timeLogged"][:10])] += log["minutes"]
    pw_minutes: dict[tuple[str, str], int] = defaultdict(int)
    for entry in wire["pw_time"]:
        if entry["UserID"] in pw_email:  # the demo's own entries belong to demo users
            pw_minutes[(pw_email[entry["UserID"]], entry["Date"])] += entry["Minutes"]
    both = set(plan.both)
    differ = {
        key
        for key in set(tw_minutes) | set(pw_minutes)
        if key[0] in both and tw_minutes.get(key, 0) != pw_minutes.get(key, 0)
    }
    assert differ == set(plan.missing_in_projectworks) | set(plan.missing_in_teamwork) | set(plan.hours_differ)
    assert all(key not in pw_minutes for key in plan.missing_in_projectworks)
    assert all(key not in tw_minutes for key in plan.missing_in_teamwork)
    assert all(tw_minutes[key] and pw_minutes[key] for key in plan.hours_differ)
    assert len(tw_minutes) > 10 * len(differ)  # most days agree


def test_timesheets_are_on_tasks_the_user_is_assigned_to(wire) -> None:
    assigned = {(u, t["TaskID"]) for t in wire["pw_tasks"] for u in t["Users"]}
    assert all((e["UserID"], e["TaskID"]) in assigned for e in wire["pw_time"])


def test_over_allocation_is_bookings_past_capacity_less_approved_leave(scaled, wire) -> None:
    plan = scaled.sandbox.agency.plan
    email = {u["UserID"]: norm(u["Email"]) for u in wire["pw_users"]}
    weekly = {p["UserID"]: sum(d["Hours"] for d in p["CapacityDays"]) for p in wire["pw_postings"]}
    first_week = agency.TIME_START + timedelta(weeks=agency.TIME_WEEKS)
    over, because_of_leave, booked_past_capacity = set(), set(), set()
    for monday in (first_week + timedelta(weeks=w) for w in range(agency.PLAN_WEEKS)):
        friday = (monday + timedelta(days=4)).isoformat()
        booked: dict[int, float] = defaultdict(float)
        for b in wire["pw_resources"]:
            if b["StartDate"] >= monday.isoformat() and b["EndDate"] <= friday and b["ResourceID"] is not None:
                booked[b["UserID"]] += b["Hours"]
        leave: dict[int, float] = defaultdict(float)
        for request in wire["pw_leaves"]:
            for day in request["Days"] if request["StatusID"] == 2 else []:
                if monday.isoformat() <= day["Date"] <= friday:
                    leave[request["UserID"]] += day["Hours"]
        for user, hours in booked.items():
            if user in email and hours > weekly[user] - leave[user]:
                over.add((email[user], monday.isoformat()))
                (because_of_leave if hours <= weekly[user] else booked_past_capacity).add(email[user])
    assert over == set(plan.over_allocated)
    assert because_of_leave and booked_past_capacity
    tw_email = {p["id"]: norm(p["email"]) for p in wire["tw_people"]}
    seconds_per_day: dict[str, int] = defaultdict(int)
    for a in wire["tw_allocations"]:
        if a["startedAt"] == first_week.isoformat():
            seconds_per_day[tw_email[a["assignedUser"]["id"]]] += a["secondsPerDay"]
    assert all(seconds_per_day[person] > 8 * 3600 for person in booked_past_capacity)  # over in Teamwork too


# -- the native tools over the scaled data ---------------------------------------------------------------------------


@pytest.fixture
async def scaled_client(scaled: LiveSandbox) -> Iterator[Client]:
    scaled.sandbox.reset()
    settings = make_settings(scaled, projectops_result_token_budget=0)  # whole pages: this counts records
    async with Client(build_server(settings)) as client:
        yield client


@pytest.mark.parametrize(
    ("tool", "args", "backend", "table"),
    [
        ("teamwork_list_time_entries", {"fields": ["time_entry_id"], "page_size": 500}, "teamwork", "timelogs"),
        ("projectworks_list_timesheets", {"fields": ["timesheet_id"], "page_size": 500}, "projectworks", "timesheets"),
        (
            "teamwork_list_tasks",
            {"fields": ["task_id"], "page_size": 60, "include_completed": True},
            "teamwork",
            "tasks",
        ),
        ("projectworks_list_tasks", {"fields": ["task_id"], "page_size": 60}, "projectworks", "tasks"),
    ],
)
async def test_native_list_tools_page_through_the_agency(scaled, scaled_client, tool, args, backend, table) -> None:
    simulator = getattr(scaled, backend)
    seen, page = 0, 1
    while True:
        out = await call_ok(scaled_client, tool, {**args, "page": page})
        assert len(out["items"]) <= args["page_size"]
        seen += len(out["items"])
        if not out["has_more"]:
            break
        page += 1
    assert seen == len(simulator.store.table(table)) and page > 1
    sizes = {dict(r.query).get("pageSize") for r in simulator.requests}
    assert sizes == {str(args["page_size"])}, sizes
    assert len(simulator.requests) >= page


def assert_read(name: str, result) -> None:
    text = result.content[0].text if result.content else ""
    assert not result.is_error, f"{name}: {text}"
    assert not (result.structured_content or {}).get("warnings"), f"{name}: {result.structured_content['warnings']}"


async def test_every_read_tool_without_arguments_reads_the_agency(scaled_client) -> None:
    """Each generated record in its simulator's stored shape: no tool meets one it cannot read (a warning)."""
    tools = [t for t in (await scaled_client.list_tools()).tools if t.annotations and t.annotations.read_only_hint]
    plain = [t for t in tools if not t.input_schema.get("required")]
    assert len(plain) > 30
    for tool in plain:
        args = {"page_size": 100} if "page_size" in tool.input_schema.get("properties", {}) else {}
        assert_read(tool.name, await scaled_client.call_tool(tool.name, args))


async def test_read_tools_get_the_agency_records(scaled, scaled_client) -> None:
    tw, pw = scaled.sandbox.agency.teamwork, scaled.sandbox.agency.projectworks
    week = {"start_date": "2026-11-23", "end_date": "2026-11-27"}
    calls = {
        "teamwork_get_person": {"person_id": tw["people"][0]["id"]},
        "teamwork_get_company": {"company_id": tw["companies"][0]["id"]},
        "teamwork_get_project": {"project_id": tw["projects"][0]["id"]},
        "teamwork_get_tasklist": {"tasklist_id": tw["tasklists"][0]["id"]},
        "teamwork_get_milestone": {"milestone_id": tw["milestones"][0]["id"]},
        "teamwork_get_task": {"task_id": tw["tasks"][0]["id"]},
        "teamwork_get_time_entry": {"time_entry_id": tw["timelogs"][0]["id"]},
        "teamwork_get_allocation": {"allocation_id": tw["allocations"][0]["id"]},
        "teamwork_get_workload": {**week, "page_size": 100},
        "teamwork_summarize_time": {"group_by": "user", "start_date": "2026-11-16", "end_date": "2026-11-20"},
        "projectworks_get_user": {"user_id": pw["users"][0]["UserID"]},
        "projectworks_list_user_postings": {"user_id": pw["users"][0]["UserID"]},
        "projectworks_get_client": {"client_id": pw["clients"][0]["ClientID"]},
        "projectworks_get_project": {"project_id": pw["projects"][0]["ProjectID"]},
        "projectworks_get_module": {"module_id": pw["modules"][0]["ModuleID"]},
        "projectworks_get_task": {"task_id": pw["tasks"][0]["TaskID"]},
        "projectworks_list_task_assignments": {"task_id": pw["tasks"][0]["TaskID"]},
        "projectworks_get_leave": {"leave_id": pw["leaves"][0]["LeaveID"]},
        "projectworks_get_resource": {"resource_id": pw["resources"][0]["ResourceID"]},
        "projectworks_list_resources": {**week, "page_size": 500},
    }
    for name, args in calls.items():
        assert_read(name, await scaled_client.call_tool(name, args))


def test_the_scale_is_a_setting_and_a_flag(monkeypatch) -> None:
    monkeypatch.setenv("PROJECTOPS_SANDBOX_SCALE", "2")
    assert Settings(_env_file=None).projectops_sandbox_scale == 2
    server = build_server(Settings(_env_file=None, projectops_sandbox=True))
    assert server.sandbox.scale == 2
    with pytest.raises(ValueError, match="only with --sandbox"):
        build_server(Settings(_env_file=None))


def test_the_command_line_serves_the_scaled_agency() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMWORK_", "PROJECTWORKS_", "PROJECTOPS_"))}
    run = [str(Path(sys.executable).with_name("projectops-mcp"))]
    refused = subprocess.run([*run, "tools", "--sandbox-scale", "1"], env=env, capture_output=True, text=True)  # noqa: S603
    assert refused.returncode == 2 and "only with --sandbox" in refused.stderr
    args = ["call", "projectworks_list_users", "--sandbox", "--sandbox-scale", "1", "--args", '{"page_size": 100}']
    done = subprocess.run([*run, *args], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("@demo-agency.test") > len(agency.generate(1).projectworks["users"])
