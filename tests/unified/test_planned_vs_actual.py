"""unified_get_planned_vs_actual through the SDK client against both simulators, on the projects of answers_scenario.py:
a linked project, a project matched by name, one in Projectworks only, and a broken link. Expected figures are
worked out by hand from the scenario's assignments, bookings, timesheets and time entries."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings
from tests.unified.answers_scenario import seed_projects


async def test_linked_project_per_task_and_per_person(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "projectworks:601"})
    assert out["projectworks_project"] == {"id": 601, "name": "Atlas Web", "external_reference": "teamwork:7601"}
    assert out["teamwork_project"] == {"id": 7601, "name": "Atlas Website"}  # other name: the link decides
    assert out["matched_by"] == "link"
    assert out["tasks"] == [
        {  # Design <-> Teamwork "UI design" by its teamwork:76011 link. Assigned: Ana 30 (Ben's 10 is inactive).
            # Booked 9901 = 12. Timesheets 300 + 120 = 420 min = 7 h; Teamwork 33201 = 360 min = 6 h.
            "name": "Design",
            "projectworks_task_id": 6101,
            "teamwork_task_id": 76011,
            "matched_by": "link",
            "assigned_hours": 30.0,
            "booked_hours": 12.0,
            "projectworks_hours": 7.0,
            "teamwork_hours": 6.0,
            "sources": {"booking_ids": [9901], "timesheet_ids": [7201, 7202], "time_entry_ids": [33201]},
        },
        {  # Build <-> Teamwork "Build" by name. Assigned 50, booked 20, 480 min = 8 h, 420 min = 7 h.
            "name": "Build",
            "projectworks_task_id": 6102,
            "teamwork_task_id": 76012,
            "matched_by": "name",
            "assigned_hours": 50.0,
            "booked_hours": 20.0,
            "projectworks_hours": 8.0,
            "teamwork_hours": 7.0,
            "sources": {"booking_ids": [9902], "timesheet_ids": [7203], "time_entry_ids": [33202]},
        },
        {  # QA has no twin: Cy's 60 min = 1 h.
            "name": "QA",
            "projectworks_task_id": 6103,
            "assigned_hours": 0.0,
            "booked_hours": 0.0,
            "projectworks_hours": 1.0,
            "teamwork_hours": 0.0,
            "sources": {"timesheet_ids": [7204]},
        },
        {  # Deploy is in Teamwork only: Fay's 90 min = 1.5 h.
            "name": "Deploy",
            "teamwork_task_id": 76013,
            "assigned_hours": 0.0,
            "booked_hours": 0.0,
            "projectworks_hours": 0.0,
            "teamwork_hours": 1.5,
            "sources": {"time_entry_ids": [33203]},
        },
        {  # On the project but no task: a 6 h booking without an id, Ana's 30 min = 0.5 h.
            "name": "(no task)",
            "assigned_hours": 0.0,
            "booked_hours": 6.0,
            "projectworks_hours": 0.0,
            "teamwork_hours": 0.5,
            "sources": {"bookings_without_id": 1, "time_entry_ids": [33204]},
        },
    ]
    assert out["people"] == [
        {  # Ana: assigned 30; booked 12 + 6 = 18; 420 min = 7 h; Teamwork 360 + 30 = 390 min = 6.5 h.
            "email": "ana@agency.test",
            "name": "Ana Lima",
            "projectworks_user_id": 201,
            "teamwork_person_id": 301,
            "assigned_hours": 30.0,
            "booked_hours": 18.0,
            "projectworks_hours": 7.0,
            "teamwork_hours": 6.5,
            "sources": {
                "booking_ids": [9901],
                "bookings_without_id": 1,
                "timesheet_ids": [7201, 7202],
                "time_entry_ids": [33201, 33204],
            },
        },
        {  # Ben: assigned 50 (his inactive 10 on Design is left out); booked 20; 8 h; 7 h.
            "email": "ben@agency.test",
            "name": "Ben Ode",
            "projectworks_user_id": 202,
            "teamwork_person_id": 302,
            "assigned_hours": 50.0,
            "booked_hours": 20.0,
            "projectworks_hours": 8.0,
            "teamwork_hours": 7.0,
            "sources": {"booking_ids": [9902], "timesheet_ids": [7203], "time_entry_ids": [33202]},
        },
        {  # Cy, Projectworks only.
            "email": "cy@agency.test",
            "name": "Cy Park",
            "projectworks_user_id": 203,
            "assigned_hours": 0.0,
            "booked_hours": 0.0,
            "projectworks_hours": 1.0,
            "teamwork_hours": 0.0,
            "sources": {"timesheet_ids": [7204]},
        },
        {  # Fay, Teamwork only.
            "email": "fay@agency.test",
            "name": "Fay Gold",
            "teamwork_person_id": 306,
            "assigned_hours": 0.0,
            "booked_hours": 0.0,
            "projectworks_hours": 0.0,
            "teamwork_hours": 1.5,
            "sources": {"time_entry_ids": [33203]},
        },
    ]
    # Totals: assigned 30 + 50 = 80; booked 12 + 20 + 6 = 38; Projectworks 420 + 480 + 60 = 960 min = 16 h;
    # Teamwork 360 + 420 + 90 + 30 = 900 min = 15 h. Project 602's records (9903, 7205, 33205) are not counted.
    assert out["totals"] == {
        "assigned_hours": 80.0,
        "booked_hours": 38.0,
        "projectworks_hours": 16.0,
        "teamwork_hours": 15.0,
    }
    assert "warnings" not in out and "cut_short" not in out


async def test_matched_by_name_from_the_teamwork_side(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "teamwork:7602"})
    assert (out["projectworks_project"]["id"], out["matched_by"]) == (602, "name")
    # Beacon build <-> Teamwork 76021 by name: booked 9903 = 99; 600 min = 10 h; 999 min = 16.65 h.
    assert [(t["name"], t["booked_hours"], t["projectworks_hours"], t["teamwork_hours"]) for t in out["tasks"]] == [
        ("Beacon build", 99.0, 10.0, 16.65)
    ]


async def test_unmatched_project_answers_with_one_system(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "Comet Audit"})
    assert out["projectworks_project"]["id"] == 603
    assert "teamwork_project" not in out and "matched_by" not in out
    assert out["warnings"] == ["No Teamwork project is linked to it or has its name: only one system's figures."]
    assert out["tasks"] == [] and out["people"] == []


async def test_broken_link_falls_back_to_the_name(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "Echo"})
    assert (out["projectworks_project"]["id"], out["teamwork_project"]["id"], out["matched_by"]) == (604, 7605, "name")
    assert out["warnings"] == [
        "Projectworks project 604 links to Teamwork project 9999, which was not found; matched by name instead."
    ]


async def test_a_project_linked_elsewhere_is_not_matched_by_name(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    # Projectworks 604 "Echo" links to Teamwork 9999, so Teamwork 7605 "Echo" does not take it by name.
    out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "Teamwork:7605"})  # prefix in any case
    assert out["teamwork_project"] == {"id": 7605, "name": "Echo"}
    assert "projectworks_project" not in out and "matched_by" not in out


async def test_project_arguments_are_checked(client: Client, sandbox) -> None:
    seed_projects(sandbox)
    text = await call_err(client, "unified_get_planned_vs_actual", {"project": "Nope"})
    assert "project: no project has exactly this name in either system" in text
    text = await call_err(client, "unified_get_planned_vs_actual", {"project": "projectworks:999"})
    assert "project: no Projectworks project 999. Find it with projectworks_list_projects." in text
    text = await call_err(client, "unified_get_planned_vs_actual", {})
    assert "project: is required" in text


async def test_planned_vs_actual_cut_short_names_the_task_reads(sandbox) -> None:
    seed_projects(sandbox)
    # The two projects (2), both directories and `me` (3), the project's tasks, bookings, Teamwork tasks and entries
    # (4) take 9 requests; the 3 tasks' assignments and timesheets (6 more) are past the budget.
    server = build_server(make_settings(sandbox, projectops_unified_request_budget=9))
    async with Client(server) as client:
        out = await call_ok(client, "unified_get_planned_vs_actual", {"project": "projectworks:601"})
    assert out["cut_short"]["upstream_requests"] == 9
    assert sorted(out["cut_short"]["missing"]) == sorted(
        [f"Projectworks assignments of task {t}" for t in (6101, 6102, 6103)]
        + [f"Projectworks timesheets of task {t}" for t in (6101, 6102, 6103)]
    )
    # What was read still counts: bookings and Teamwork time, without assignments or timesheets.
    assert out["totals"] == {
        "assigned_hours": 0.0,
        "booked_hours": 38.0,
        "projectworks_hours": 0.0,
        "teamwork_hours": 15.0,
    }
