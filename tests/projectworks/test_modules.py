"""Modules: requests as reference §2.2 #8-9 and §2.3 #32-34 give them; the project is checked before a write."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_modules_sends_every_filter(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_modules",
        {
            "project_id": 301,
            "module_id": 403,
            "name": "Hosting (pass-through)",
            "external_reference": "X-1",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": True,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Modules")
    assert req.query == [
        ("ProjectID", "301"),
        ("ModuleID", "403"),
        ("Name", "Hosting (pass-through)"),
        ("ExternalReference", "X-1"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "true"),
        ("page", "1"),
        ("pageSize", "50"),
    ]
    assert out["items"] == []  # no module has that external reference


async def test_list_modules_of_a_project(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_modules", {"project_id": 301})
    assert [(m["module_id"], m["is_services"]) for m in out["items"]] == [(401, True), (402, True), (403, False)]


async def test_get_module(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_module", {"module_id": 403})
    assert out["name"] == "Hosting (pass-through)" and out["is_services"] is False and out["budget"] == 5000.0
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [("GET", "/Modules/403")]
    text = await call_err(client, "projectworks_get_module", {"module_id": 999})
    assert "404" in text and "projectworks_list_modules" in text


async def test_create_module_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_module",
        {
            "project_id": 302,
            "module_name": "Support",
            "budget": 12000,
            "is_services": True,
            "gl_code_id": 4,
            "allow_unverified_ids": True,
        },
    )
    assert [(r.method, r.path) for r in sandbox.projectworks.requests] == [
        ("GET", "/Projects/302"),
        ("POST", "/Modules"),
    ]
    assert sandbox.projectworks.writes[0].json == {
        "projectID": 302,
        "moduleName": "Support",
        "budget": 12000.0,
        "isServices": True,
        "glCodeID": 4,
    }
    back = await call_ok(client, "projectworks_get_module", {"module_id": out["module_id"]})
    assert back["is_services"] is True and back["gl_code_id"] == 4 and back["project_id"] == 302


async def test_create_non_services_module_sends_false(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_create_module", {"project_id": 301, "module_name": "Licences", "is_services": False}
    )
    assert sandbox.projectworks.writes[0].json == {"projectID": 301, "moduleName": "Licences", "isServices": False}
    assert out["is_services"] is False


async def test_create_module_on_missing_project_is_refused(client: Client, sandbox) -> None:
    text = await call_err(
        client, "projectworks_create_module", {"project_id": 999, "module_name": "X", "is_services": True}
    )
    assert "project_id 999" in text and "projectworks_list_projects" in text and "Nothing was written" in text
    assert sandbox.projectworks.writes == []


async def test_module_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ("projectworks_create_module", {"project_id": 301, "module_name": "X"}, "is_services"),
        ("projectworks_create_module", {"project_id": 301, "module_name": "", "is_services": True}, "module_name"),
        ("projectworks_update_module", {"module_id": 401, "budget": -5}, "budget"),
        ("projectworks_update_module", {"module_id": 401}, "at least one field"),
        ("projectworks_delete_module", {"module_id": "four"}, "module_id"),
    ]
    for name, args, expected in cases:
        assert expected in await call_err(client, name, args), (name, args)
    assert sandbox.projectworks.requests == []


async def test_update_module_patches_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_module", {"module_id": 402, "module_name": "Build phase 1"})
    (patch,) = sandbox.projectworks.requests
    assert (patch.method, patch.path, patch.json) == ("PATCH", "/Modules/402", {"moduleName": "Build phase 1"})
    assert out["name"] == "Build phase 1" and out["budget"] == 120000.0
    task = await call_ok(client, "projectworks_get_task", {"task_id": 502})
    assert task["module_name"] == "Build phase 1"


async def test_update_module_to_another_project_checks_it(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_module", {"module_id": 402, "project_id": 8})
    assert "project_id 8" in text and sandbox.projectworks.writes == []


async def test_delete_module(client: Client, sandbox) -> None:
    assert await call_ok(client, "projectworks_delete_module", {"module_id": 403}) == {"id": 403, "deleted": True}
    assert [(w.method, w.path, w.body) for w in sandbox.projectworks.writes] == [("DELETE", "/Modules/403", b"")]
    assert "404" in await call_err(client, "projectworks_delete_module", {"module_id": 403})


async def test_patch_module_503_is_not_resent(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("PATCH", "/Modules/401", Fault(status=503, body={"Message": "busy"}))
    text = await call_err(client, "projectworks_update_module", {"module_id": 401, "is_active": False})
    assert "503" in text and "NOT retried" in text and "projectworks_get_module" in text
    assert len(sandbox.projectworks.find("PATCH")) == 1
