"""Reference data against reference §2.2 #17 and #22 and §6: offices, leave types and leave statuses (roles are in
test_slice.py). The casing of these records is unverified, so both PascalCase and camelCase replies are read."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_offices_sends_every_filter(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_offices",
        {
            "office_id": 2,
            "name": "Auckland",
            "external_reference": "AKL",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "page_size": 5,
        },
    )
    assert out["items"] == [
        {"office_id": 2, "name": "Auckland", "external_reference": "AKL", "modified_at": "2026-10-01T09:00:00"}
    ]
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Offices")
    assert req.query == [
        ("OfficeID", "2"),
        ("Name", "Auckland"),
        ("ExternalReference", "AKL"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("page", "1"),
        ("pageSize", "5"),
    ]


async def test_list_offices_raw_paging_and_bad_input(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_offices", {"page_size": 1, "include_raw": True})
    assert out["has_more"] is True and out["items"][0]["raw"]["OfficeID"] == 1
    sandbox.projectworks.requests.clear()
    text = await call_err(client, "projectworks_list_offices", {"office_id": -2, "name": ""})
    assert "office_id" in text and "name" in text
    assert sandbox.projectworks.requests == []


async def test_list_leave_types_filters_and_inactive_types(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_leave_types", {"is_active": False})
    assert out["items"] == [
        {"type_id": 4, "name": "Study Leave (retired)", "code": "ST", "is_active": False, "is_paid": True}
    ]
    await call_ok(client, "projectworks_list_leave_types", {"type_id": 1, "name": "Annual Leave"})
    first, second = sandbox.projectworks.requests
    assert (first.method, first.path) == ("GET", "/Leaves/Types")
    assert first.query == [("IsActive", "false"), ("page", "1"), ("pageSize", "50")]
    assert second.query == [("TypeID", "1"), ("Name", "Annual Leave"), ("page", "1"), ("pageSize", "50")]


async def test_list_leave_types_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_list_leave_types", {"type_id": "annual", "active": True})
    assert "type_id" in text and "is_active" in text  # the typo 'active' gets a suggestion
    assert sandbox.projectworks.requests == []


async def test_list_leave_statuses(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_leave_statuses", {"include_raw": True})
    assert [(s["status_id"], s["name"]) for s in out["items"]] == [(1, "Requested"), (2, "Approved"), (3, "Declined")]
    assert out["items"][1]["raw"] == {"StatusID": 2, "Name": "Approved"}
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path, req.query) == ("GET", "/Leaves/Statuses", [("page", "1"), ("pageSize", "50")])


async def test_list_leave_statuses_bad_input_sends_nothing(client: Client, sandbox) -> None:
    assert "page" in await call_err(client, "projectworks_list_leave_statuses", {"page": 0})
    assert sandbox.projectworks.requests == []


async def test_camel_case_reference_records_are_read_too(client: Client, sandbox) -> None:
    # Autohive's config documents these records in camelCase (typeID, isActive); live entities are PascalCase.
    body = [{"typeID": 7, "name": "Parental", "code": "PL", "isActive": True, "isPaid": True}]
    sandbox.projectworks.faults.add("GET", "/Leaves/Types", Fault(status=200, body=body))
    out = await call_ok(client, "projectworks_list_leave_types", {})
    assert out["items"] == [{"type_id": 7, "name": "Parental", "code": "PL", "is_active": True, "is_paid": True}]
    sandbox.projectworks.faults.add(
        "GET", "/Leaves/Statuses", Fault(status=200, body=[{"statusID": 5, "name": "Pending"}])
    )
    out = await call_ok(client, "projectworks_list_leave_statuses", {})
    assert out["items"] == [{"status_id": 5, "name": "Pending"}]


async def test_reference_upstream_errors(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("GET", "/Offices", Fault(status=403, body="API account may not read offices"))
    text = await call_err(client, "projectworks_list_offices", {})
    assert "403" in text and "may not read offices" in text
    sandbox.projectworks.faults.add("GET", "/Leaves/Statuses", *[Fault(status=502)] * 4)
    text = await call_err(client, "projectworks_list_leave_statuses", {})
    assert "502" in text and "after 4 attempts" in text
    assert len(sandbox.projectworks.find("GET", "/Leaves/Statuses")) == 4
