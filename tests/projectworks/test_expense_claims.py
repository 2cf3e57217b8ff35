"""Expense claims against the reference notes (§2.2 #20-21, §2.3 #44-46, §2.5): PascalCase list filters with the
AfterExpenseClaimID cursor and IsBillable=false sent, camelCase includeCustomFields on the GET by id (whose answer
may be a one-element array), the 10 required body fields, and the receipt inline as fileName + fileContent."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import build_server
from tests.conftest import call_err, call_ok, make_settings

RECEIPT = b"%PDF-1.4 taxi receipt \xfb\xff\xbf\xfe 42.50 NZD"
RECEIPT_B64 = base64.b64encode(RECEIPT).decode()
assert "/" in RECEIPT_B64  # so that the URL-safe alphabet ("_") can be told apart below
CLAIM = {
    "user_id": 102,
    "project_id": 301,
    "module_id": 402,
    "expense_claim_type_id": 1,
    "is_reimbursable": True,
    "is_processed": False,
    "date": "2026-11-20",
    "amount": 42.5,
    "currency_id": 1,
    "tax_type_id": 1,
}
CLAIM_BODY = {
    "userID": 102,
    "projectID": 301,
    "moduleID": 402,
    "expenseClaimTypeID": 1,
    "isReimbursable": True,
    "isProcessed": False,
    "date": "2026-11-20",
    "amount": 42.5,
    "currencyID": 1,
    "taxTypeID": 1,
}


@pytest.fixture
def receipts_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "taxi.pdf").write_bytes(RECEIPT)
    (folder / "big.pdf").write_bytes(b"x" * 2048)
    (tmp_path / "secret.txt").write_text("not a receipt")
    return folder


@pytest.fixture
async def receipts_client(sandbox, receipts_dir: Path) -> AsyncIterator[Client]:
    """A server whose operator configured a receipts directory and a 1 KiB receipt limit."""
    settings = make_settings(sandbox, projectops_receipts_dir=receipts_dir, projectops_max_receipt_bytes=1024)
    async with Client(build_server(settings)) as c:
        yield c


# ---------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------


async def test_list_sends_every_filter_and_billable_false(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_expense_claims",
        {
            "after_expense_claim_id": 9000,
            "user_id": 102,
            "client_id": 201,
            "project_id": 301,
            "module_id": 402,
            "expense_claim_type_id": 1,
            "expense_claim_status_id": 1,
            "is_reimbursable": True,
            "is_billable": False,
            "start_date": "2026-11-01",
            "end_date": "2026-11-30",
            "invoice_id": 6001,
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": True,
            "page_size": 25,
        },
    )
    assert out["items"] == []
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/ExpenseClaims")
    assert req.query == [
        ("AfterExpenseClaimID", "9000"),
        ("UserID", "102"),
        ("ClientID", "201"),
        ("ProjectID", "301"),
        ("ModuleID", "402"),
        ("ExpenseClaimTypeID", "1"),
        ("ExpenseClaimStatusID", "1"),
        ("IsReimbursable", "true"),
        ("IsBillable", "false"),
        ("StartDate", "2026-11-01"),
        ("EndDate", "2026-11-30"),
        ("InvoiceID", "6001"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "true"),
        ("page", "1"),
        ("pageSize", "25"),
    ]


async def test_list_records_and_cursor(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_list_expense_claims", {"is_billable": True, "include_custom_fields": True}
    )
    assert out["items"] == [
        {
            "expense_claim_id": 9501,
            "expense_claim_number": "EC-0001",
            "user_id": 102,
            "client_id": 201,
            "project_id": 301,
            "module_id": 402,
            "expense_claim_type_id": 1,
            "expense_claim_status_id": 1,
            "date": "2026-11-10",
            "amount": 42.5,
            "quantity": 1.0,
            "currency_id": 1,
            "tax_type_id": 1,
            "is_reimbursable": True,
            "is_processed": False,
            "is_billable": True,
            "notes": "Taxi to client workshop",
            "invoice_description": "Travel",
            "file_names": ["taxi.pdf"],
            "modified_at": "2026-10-01T09:00:00",
            "custom_fields": [],
        }
    ]
    out = await call_ok(client, "projectworks_list_expense_claims", {"after_expense_claim_id": 9501})
    assert [c["expense_claim_id"] for c in out["items"]] == [9502] and out["has_more"] is False
    assert sandbox.projectworks.requests[-1].query[0] == ("AfterExpenseClaimID", "9501")


async def test_list_bad_input_sends_nothing(client: Client, sandbox) -> None:
    text = await call_err(
        client, "projectworks_list_expense_claims", {"is_billable": "maybe", "after_expense_claim_id": -1}
    )
    assert "is_billable" in text and "after_expense_claim_id" in text
    assert sandbox.projectworks.requests == []


async def test_get_unwraps_the_one_element_array_and_sends_camel_case(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_get_expense_claim", {"expense_claim_id": 9501, "include_custom_fields": True}
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path, req.query) == ("GET", "/ExpenseClaims/9501", [("includeCustomFields", "true")])
    assert out["expense_claim_id"] == 9501 and out["custom_fields"] == [] and out["file_names"] == ["taxi.pdf"]


async def test_get_sends_no_query_unless_asked_and_reports_missing_claims(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_expense_claim", {"expense_claim_id": 9501, "include_raw": True})
    assert sandbox.projectworks.requests[0].query == []
    assert out["raw"]["ExpenseClaimNumber"] == "EC-0001" and "custom_fields" not in out
    text = await call_err(client, "projectworks_get_expense_claim", {"expense_claim_id": 999999})
    assert "404" in text and "projectworks_list_expense_claims" in text
    text = await call_err(client, "projectworks_get_expense_claim", {"expense_claim_id": "EC-0001"})
    assert "expense_claim_id" in text
    assert len(sandbox.projectworks.requests) == 2


# ---------------------------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------------------------


async def test_create_sends_the_reference_body_with_the_receipt_inline(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_expense_claim",
        {
            **CLAIM,
            "expense_claim_status_id": 2,
            "expense_claim_number": "EC-0100",
            "is_billable": False,
            "notes": "Taxi",
            "invoice_description": "Travel",
            "quantity": 1,
            "receipt_base64": RECEIPT_B64,
            "receipt_filename": "taxi.pdf",
        },
    )
    (post,) = sandbox.projectworks.writes
    assert (post.method, post.path, post.query) == ("POST", "/ExpenseClaims", [])
    assert post.json == {
        **CLAIM_BODY,
        "expenseClaimStatusID": 2,
        "expenseClaimNumber": "EC-0100",
        "isBillable": False,
        "notes": "Taxi",
        "invoiceDescription": "Travel",
        "quantity": 1.0,
        "fileName": "taxi.pdf",
        "fileContent": RECEIPT_B64,
    }
    assert out["expense_claim_number"] == "EC-0100" and out["file_names"] == ["taxi.pdf"]
    assert RECEIPT_B64 not in str(out)
    back = await call_ok(client, "projectworks_get_expense_claim", {"expense_claim_id": out["expense_claim_id"]})
    assert back["amount"] == 42.5 and back["client_id"] == 201 and back["file_names"] == ["taxi.pdf"]


async def test_base64_with_line_breaks_is_re_encoded_compactly(client: Client, sandbox) -> None:
    wrapped = "\n".join(RECEIPT_B64[i : i + 8] for i in range(0, len(RECEIPT_B64), 8))
    await call_ok(
        client, "projectworks_create_expense_claim", {**CLAIM, "receipt_base64": wrapped, "receipt_filename": "t.pdf"}
    )
    assert sandbox.projectworks.writes[0].json["fileContent"] == RECEIPT_B64


async def test_create_without_a_receipt_is_refused_before_any_write(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_expense_claim", CLAIM)
    assert "receipt" in text and "allow_without_receipt" in text and "Nothing was written" in text
    assert sandbox.projectworks.requests == []


async def test_allow_without_receipt_sends_it_and_the_api_decides(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_create_expense_claim", {**CLAIM, "allow_without_receipt": True})
    assert "400" in text and "Must include at least one file" in text
    (post,) = sandbox.projectworks.writes
    assert post.json == CLAIM_BODY
    sandbox.projectworks.store.extra["receipts_required"] = False  # an account that accepts claims without files
    out = await call_ok(client, "projectworks_create_expense_claim", {**CLAIM, "allow_without_receipt": True})
    assert out["expense_claim_id"] and "file_names" not in out


async def test_bad_receipts_are_refused_without_echoing_them(client: Client, sandbox) -> None:
    cases = [
        ({"receipt_base64": "not base64!!", "receipt_filename": "a.pdf"}, "receipt_base64"),
        ({"receipt_base64": RECEIPT_B64[:-1], "receipt_filename": "a.pdf"}, "receipt_base64"),
        ({"receipt_base64": RECEIPT_B64.replace("/", "_"), "receipt_filename": "a.pdf"}, "receipt_base64"),
        ({"receipt_base64": "data:application/pdf;base64," + RECEIPT_B64, "receipt_filename": "a.pdf"}, "data:"),
        ({"receipt_base64": RECEIPT_B64}, "receipt_filename"),
        ({"receipt_base64": RECEIPT_B64, "receipt_filename": "receipt"}, "extension"),
        ({"receipt_base64": RECEIPT_B64, "receipt_filename": "../etc/a.pdf"}, "receipt_filename"),
        ({"receipt_filename": "a.pdf"}, "receipt_filename"),
        ({"receipt_path": "taxi.pdf"}, "PROJECTOPS_RECEIPTS_DIR"),  # no receipts directory configured here
    ]
    for extra, expected in cases:
        text = await call_err(client, "projectworks_create_expense_claim", {**CLAIM, **extra})
        assert expected in text, (extra, text)
        assert RECEIPT_B64[:12] not in text
    assert sandbox.projectworks.requests == []


async def test_receipt_larger_than_the_limit_is_refused(receipts_client: Client, sandbox) -> None:
    big = base64.b64encode(b"y" * 1025).decode()
    text = await call_err(
        receipts_client,
        "projectworks_create_expense_claim",
        {**CLAIM, "receipt_base64": big, "receipt_filename": "b.png"},
    )
    assert "receipt_base64" in text and "1024" in text
    text = await call_err(receipts_client, "projectworks_create_expense_claim", {**CLAIM, "receipt_path": "big.pdf"})
    assert "receipt_path" in text and "1024" in text
    assert sandbox.projectworks.requests == []


async def test_receipt_path_inside_the_receipts_directory_is_attached(receipts_client: Client, sandbox) -> None:
    out = await call_ok(receipts_client, "projectworks_create_expense_claim", {**CLAIM, "receipt_path": "taxi.pdf"})
    (post,) = sandbox.projectworks.writes
    assert post.json == {**CLAIM_BODY, "fileName": "taxi.pdf", "fileContent": RECEIPT_B64}
    assert out["file_names"] == ["taxi.pdf"]


async def test_receipt_path_may_be_renamed(receipts_client: Client, sandbox) -> None:
    await call_ok(
        receipts_client,
        "projectworks_create_expense_claim",
        {**CLAIM, "receipt_path": "taxi.pdf", "receipt_filename": "2026-11-20 taxi.pdf"},
    )
    assert sandbox.projectworks.writes[0].json["fileName"] == "2026-11-20 taxi.pdf"


async def test_receipt_paths_outside_the_directory_are_refused(
    receipts_client: Client, sandbox, receipts_dir: Path
) -> None:
    os.symlink(receipts_dir.parent / "secret.txt", receipts_dir / "link.pdf")
    os.symlink(receipts_dir.parent, receipts_dir / "up")
    for path in ("../secret.txt", str(receipts_dir.parent / "secret.txt"), "link.pdf", "up/secret.txt", "/etc/passwd"):
        text = await call_err(receipts_client, "projectworks_create_expense_claim", {**CLAIM, "receipt_path": path})
        assert "receipt_path" in text and "outside the receipts directory" in text, (path, text)
        assert "not a receipt" not in text
    text = await call_err(receipts_client, "projectworks_create_expense_claim", {**CLAIM, "receipt_path": "nope.pdf"})
    assert "no such file" in text
    os.symlink(receipts_dir / "loop.pdf", receipts_dir / "loop.pdf")
    (receipts_dir / "empty.pdf").write_bytes(b"")
    for path, expected in (
        ("loop.pdf", "cannot be resolved"),
        ("a\x00.pdf", "cannot be resolved"),
        ("empty.pdf", "empty"),
    ):
        text = await call_err(receipts_client, "projectworks_create_expense_claim", {**CLAIM, "receipt_path": path})
        assert "receipt_path" in text and expected in text, (path, text)
    text = await call_err(
        receipts_client,
        "projectworks_create_expense_claim",
        {**CLAIM, "receipt_path": "taxi.pdf", "receipt_base64": RECEIPT_B64, "receipt_filename": "a.pdf"},
    )
    assert "not both" in text
    assert sandbox.projectworks.requests == []


async def test_create_bad_input_names_the_fields(client: Client, sandbox) -> None:
    partial = {k: v for k, v in CLAIM.items() if k not in ("currency_id", "tax_type_id")}
    text = await call_err(client, "projectworks_create_expense_claim", {**partial, "amount": -5})
    assert "currency_id" in text and "tax_type_id" in text and "amount" in text
    assert sandbox.projectworks.requests == []


async def test_module_of_another_project_is_refused_by_the_api(client: Client, sandbox) -> None:
    text = await call_err(
        client,
        "projectworks_create_expense_claim",
        {**CLAIM, "module_id": 404, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi.pdf"},
    )
    assert "400" in text and "Module 404" in text
    # issue 17: the hint is chosen from the field the upstream names, not "check the arguments"
    assert "module_id: find valid values with projectworks_list_modules" in text, text
    assert "Check the arguments" not in text


async def test_create_500_is_not_resent(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("POST", "/ExpenseClaims", Fault(status=500, after=True))
    text = await call_err(
        client,
        "projectworks_create_expense_claim",
        {**CLAIM, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi.pdf"},
    )
    assert "NOT retried" in text and "projectworks_list_expense_claims" in text
    assert len(sandbox.projectworks.writes) == 1


async def test_receipt_bytes_never_reach_the_logs(client: Client, sandbox, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox.projectworks.faults.add("POST", "/ExpenseClaims", Fault(status=400, body="Bad claim"))
    await call_err(
        client,
        "projectworks_create_expense_claim",
        {**CLAIM, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi.pdf"},
    )
    await call_err(client, "projectworks_create_expense_claim", {**CLAIM, "receipt_base64": RECEIPT_B64 + "!"})
    assert RECEIPT_B64[:12] not in caplog.text


# ---------------------------------------------------------------------------------------------------------------
# Update (full replacement) and delete
# ---------------------------------------------------------------------------------------------------------------


async def test_update_puts_the_full_claim_and_clears_what_is_left_out(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_update_expense_claim",
        {**CLAIM, "expense_claim_id": 9501, "amount": 55, "is_billable": True},
    )
    (put,) = sandbox.projectworks.writes
    assert (put.method, put.path, put.query) == ("PUT", "/ExpenseClaims/9501", [])
    assert put.json == {**CLAIM_BODY, "amount": 55.0, "isBillable": True}
    assert out["amount"] == 55.0
    back = await call_ok(client, "projectworks_get_expense_claim", {"expense_claim_id": 9501})
    assert back["amount"] == 55.0 and "notes" not in back and back["file_names"] == ["taxi.pdf"]


async def test_update_with_a_new_receipt(client: Client, sandbox) -> None:
    await call_ok(
        client,
        "projectworks_update_expense_claim",
        {**CLAIM, "expense_claim_id": 9501, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi-2.pdf"},
    )
    assert sandbox.projectworks.writes[0].json == {**CLAIM_BODY, "fileName": "taxi-2.pdf", "fileContent": RECEIPT_B64}


async def test_update_requires_every_field_and_sends_nothing_otherwise(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_expense_claim", {"expense_claim_id": 9501, "amount": 55})
    for field in ("user_id", "project_id", "module_id", "expense_claim_type_id", "date", "currency_id", "tax_type_id"):
        assert field in text
    assert sandbox.projectworks.requests == []


async def test_update_of_a_missing_claim_points_to_the_list(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_expense_claim", {**CLAIM, "expense_claim_id": 999999})
    assert "404" in text and "projectworks_list_expense_claims" in text


async def test_delete_claim(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_delete_expense_claim", {"expense_claim_id": 9501})
    assert out == {"id": 9501, "deleted": True}
    (delete,) = sandbox.projectworks.writes
    assert (delete.method, delete.path, delete.query, delete.body) == ("DELETE", "/ExpenseClaims/9501", [], b"")
    text = await call_err(client, "projectworks_get_expense_claim", {"expense_claim_id": 9501})
    assert "404" in text
    text = await call_err(client, "projectworks_delete_expense_claim", {"expense_claim_id": 0})
    assert "expense_claim_id" in text
    assert len(sandbox.projectworks.requests) == 2
