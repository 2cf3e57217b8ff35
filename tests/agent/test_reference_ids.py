"""Issue 17, reference ids the server can vouch for: ids with no lookup endpoint are learned from the account's
records, offered by projectworks_list_reference_ids, and a write naming an id no record uses is refused with the
known values and nothing written, unless allow_unverified_ids is set."""

from __future__ import annotations

import base64

from mcp import Client

from tests.conftest import call_err, call_ok

RECEIPT = base64.b64encode(b"%PDF-1.4 taxi 45.50 NZD").decode()
CLAIM = {
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
    "receipt_base64": RECEIPT,
    "receipt_filename": "taxi.pdf",
}


async def test_made_up_claim_ids_are_refused_with_the_known_values_and_nothing_written(client: Client, sandbox) -> None:
    claims_before = len(sandbox.projectworks.store.table("expense_claims"))
    text = await call_err(
        client, "projectworks_create_expense_claim", {**CLAIM, "expense_claim_type_id": 77, "currency_id": 99}
    )
    assert sandbox.projectworks.writes == []
    assert len(sandbox.projectworks.store.table("expense_claims")) == claims_before
    assert "expense_claim_type_id 77 is not used by any of the 2 expense claims read" in text
    assert "currency_id 99 is not used by any of" in text
    assert "(known: 1 (seen on expense claim 9501), 2 (seen on expense claim 9502))" in text
    assert "projectworks_list_reference_ids" in text and "allow_unverified_ids: true" in text
    assert "tax_type_id" not in text  # the valid one is not blamed
    assert text.endswith("Nothing was written.")


async def test_known_ids_pass_and_the_check_is_cached(client: Client, sandbox) -> None:
    await call_ok(client, "projectworks_create_expense_claim", CLAIM)
    reads = [r for r in sandbox.projectworks.requests if r.method == "GET"]
    await call_ok(client, "projectworks_create_expense_claim", {**CLAIM, "date": "2026-11-21"})
    assert [r for r in sandbox.projectworks.requests if r.method == "GET"] == reads  # no second scan


async def test_allow_unverified_ids_sends_and_then_the_id_is_known(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "projectworks_create_expense_claim", {**CLAIM, "expense_claim_type_id": 7, "allow_unverified_ids": True}
    )
    assert out["expense_claim_type_id"] == 7
    assert sandbox.projectworks.writes[-1].json["expenseClaimTypeID"] == 7
    listed = await call_ok(client, "projectworks_list_reference_ids", {"kinds": ["expense_claim_type"]})
    assert {i["id"] for i in listed["items"]} == {1, 2, 7}


async def test_list_reference_ids_learns_from_records_with_names(client: Client) -> None:
    out = await call_ok(client, "projectworks_list_reference_ids", {"kinds": ["task_type", "currency", "location"]})
    by_kind = {}
    for item in out["items"]:
        by_kind.setdefault(item["kind"], []).append(item)
    assert by_kind["task_type"] == [
        {"kind": "task_type", "id": 1, "name": "Billable", "used_by": 4, "example": "task 501"}
    ]
    assert [i["id"] for i in by_kind["currency"]] == [1]
    assert [i["id"] for i in by_kind["location"]] == [1]
    assert set(out["learned_from"]) == {"task_type", "currency", "location"}
    assert out["has_more"] is False
