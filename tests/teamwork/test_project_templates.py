"""Project templates and cloning: the SDK's paths and bodies (template create = project create body, clone body
unwrapped with every copy flag, `targetDate` YYYYMMDD from a template, `daysOffset` from a project), read back."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.teamwork.project_templates import COPY_FLAGS
from tests.conftest import call_err, call_ok

KIWI = 732893  # starts 2026-09-01, ends 2027-03-31, task lists 1301 and 1302
HARBOUR = 739377  # no end date
TEMPLATE = 830001  # 2026-01-05 .. 2026-03-27


async def test_list_templates_request_and_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_project_templates", {"search": "website"})
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/projects/templates.json")
    assert req.query == [("searchTerm", "website"), ("page", "1"), ("pageSize", "50")]
    (template,) = out["items"]
    assert (template["project_id"], template["type"]) == (TEMPLATE, "projects-template")
    projects = await call_ok(client, "teamwork_list_projects", {})
    assert TEMPLATE not in [p["project_id"] for p in projects["items"]]


async def test_create_template_sends_the_project_body(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_create_project_template", {"name": "Retainer template", "company_id": 2, "tag_ids": [17062]}
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", "/projects/template.json")
    assert post.json == {"project": {"name": "Retainer template", "companyId": 2, "tagIds": [17062]}}
    assert out["type"] == "projects-template" and out["name"] == "Retainer template"
    listed = await call_ok(client, "teamwork_list_project_templates", {})
    assert out["project_id"] in [t["project_id"] for t in listed["items"]]


async def test_clone_project_copies_exactly_what_was_asked_and_moves_dates(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_clone_project",
        {
            "project_id": KIWI,
            "name": "Kiwi Bank App (phase 2)",
            "what_to_copy": ["tasklists", "tasks", "people"],
            "start_date": "2026-09-11",
        },
    )
    (post,) = sandbox.teamwork.writes
    assert (post.method, post.path) == ("POST", f"/projects/{KIWI}/clone.json")
    flags = {flag: item in ("tasklists", "tasks", "people") for item, flag in COPY_FLAGS.items()}
    assert post.json == {"cloneProjectName": "Kiwi Bank App (phase 2)", **flags, "daysOffset": 10}
    assert [k for k, v in post.json.items() if v is True] == ["copyTasklists", "copyTasks", "copyPeople"]
    assert sum(1 for v in post.json.values() if v is False) == 23  # every other flag is sent, as false
    assert out["name"] == "Kiwi Bank App (phase 2)" and out["project_id"] != KIWI
    assert (out["start_date"], out["end_date"], out["type"]) == ("2026-09-11", "2027-04-10", "normal")
    lists = await call_ok(client, "teamwork_list_tasklists", {"project_id": out["project_id"]})
    assert sorted(t["name"] for t in lists["items"]) == ["Build", "Discovery"]
    tasks = await call_ok(client, "teamwork_list_tasks", {"project_id": out["project_id"]})
    copied = {t["name"]: t for t in tasks["items"]}
    assert copied["Stakeholder interviews"]["start_date"] == "2026-11-12"


async def test_new_project_from_template_sends_target_date(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_clone_project",
        {"project_id": TEMPLATE, "name": "Tui Tours site", "company_id": 3, "start_date": "2027-02-01"},
    )
    assert sandbox.teamwork.writes[0].json == {
        "cloneProjectName": "Tui Tours site",
        "companyId": 3,
        "newFromTemplate": True,
        "templateDateTarget": "start",
        "targetDate": "20270201",
    }
    assert (out["type"], out["company_id"], out["start_date"], out["end_date"]) == (
        "normal",
        3,
        "2027-02-01",
        "2027-04-23",
    )
    projects = await call_ok(client, "teamwork_list_projects", {})
    assert out["project_id"] in [p["project_id"] for p in projects["items"]]


async def test_project_to_template_and_plain_copy(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_clone_project", {"project_id": KIWI, "to_template": True})
    assert sandbox.teamwork.writes[0].json == {"toTemplate": True}
    assert out["type"] == "projects-template" and out["name"] == "Kiwi Bank App 2"
    out = await call_ok(client, "teamwork_clone_project", {"project_id": TEMPLATE, "to_template": True})
    assert sandbox.teamwork.writes[1].json == {"toTemplate": True}
    assert out["type"] == "projects-template"


async def test_clone_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"project_id": 0}, "project_id"),
        ({"project_id": KIWI, "what_to_copy": ["tasks"]}, "what_to_copy"),
        ({"project_id": KIWI, "what_to_copy": ["everything"]}, "what_to_copy"),
        ({"project_id": KIWI, "what_to_copy": []}, "what_to_copy"),
        ({"project_id": KIWI, "start_date": "11/09/2026"}, "start_date"),
        ({"project_id": KIWI, "name": ""}, "name"),
        ({"project_id": KIWI, "action": "MOVE"}, "action"),
    ]
    for args, field in cases:
        text = await call_err(client, "teamwork_clone_project", args)
        assert field in text, (args, text)
    for args, field in [({"name": ""}, "name"), ({"name": "T", "owner_id": 0}, "owner_id")]:
        text = await call_err(client, "teamwork_create_project_template", args)
        assert field in text, (args, text)
    text = await call_err(client, "teamwork_list_project_templates", {"page": 0})
    assert "page" in text
    assert sandbox.teamwork.requests == []


async def test_clone_prerequisites_write_nothing(client: Client, sandbox) -> None:
    sandbox.teamwork.store.table("projects")[HARBOUR]["startDate"] = None
    text = await call_err(client, "teamwork_clone_project", {"project_id": HARBOUR, "start_date": "2027-01-04"})
    assert "start_date" in text and "no start date" in text and "teamwork_update_project" in text
    text = await call_err(client, "teamwork_clone_project", {"project_id": 4242})
    assert "project_id" in text and "teamwork_list_projects" in text
    assert sandbox.teamwork.writes == []


async def test_clone_upstream_errors(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add("POST", f"/projects/{KIWI}/clone.json", Fault(status=500, after=True))
    text = await call_err(client, "teamwork_clone_project", {"project_id": KIWI})
    assert "500" in text and "NOT retried" in text and len(sandbox.teamwork.writes) == 1
    sandbox.teamwork.faults.add("POST", f"/projects/{KIWI}/clone.json", Fault(status=200, body={"STATUS": "OK"}))
    text = await call_err(client, "teamwork_clone_project", {"project_id": KIWI, "name": "Kiwi 3"})
    assert "did not say the new project's id" in text and "teamwork_list_projects" in text
