"""Clients: requests as reference §2.2 #4-5, #24 and §2.3 #26-28 give them; prerequisites refused before writing."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_clients_sends_every_filter_in_pascal_case(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_list_clients",
        {
            "office_id": 1,
            "client_id": 201,
            "name": "Kiwi Bank Co",
            "external_reference": "CRM-201",
            "modified_since_date": "2026-01-01T00:00:00Z",
            "include_custom_fields": True,
            "page_size": 10,
        },
    )
    (req,) = sandbox.projectworks.requests
    assert (req.method, req.path) == ("GET", "/Clients")
    assert req.query == [
        ("OfficeID", "1"),
        ("ClientID", "201"),
        ("Name", "Kiwi Bank Co"),
        ("ExternalReference", "CRM-201"),
        ("ModifiedSinceDate", "2026-01-01T00:00:00Z"),
        ("IncludeCustomFields", "true"),
        ("page", "1"),
        ("pageSize", "10"),
    ]
    (kiwi,) = out["items"]
    assert kiwi["client_id"] == 201 and kiwi["name"] == "Kiwi Bank Co" and kiwi["account_manager_id"] == 101
    assert kiwi["custom_fields"] == [] and "raw" not in kiwi
    assert out["has_more"] is False


async def test_list_clients_defaults_and_raw(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_list_clients", {"include_raw": True, "page_size": 1})
    assert sandbox.projectworks.requests[0].query == [("page", "1"), ("pageSize", "1")]
    assert out["has_more"] is True and out["items"][0]["raw"]["ClientName"] == "Kiwi Bank Co"


async def test_get_client_and_unknown_id(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_get_client", {"client_id": 202})
    assert out["name"] == "Harbour Health" and out["office_id"] == 2 and out["is_active"] is True
    assert [(r.method, r.path, r.query) for r in sandbox.projectworks.requests] == [("GET", "/Clients/202", [])]
    text = await call_err(client, "projectworks_get_client", {"client_id": 999})
    assert "404" in text and "projectworks_search_clients" in text


async def test_create_client_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "projectworks_create_client",
        {
            "client_name": "Tui Telecom",
            "account_manager_id": 101,
            "office_id": 2,
            "currency_id": 1,
            "finance_email": "ap@tui.test",
            "is_active": False,
            "address": {"line1": "1 Queen St", "city": "Auckland", "postcode": "1010", "country": "NZ"},
            "external_reference": "CRM-300",
        },
    )
    (post,) = sandbox.projectworks.writes
    assert (post.method, post.path) == ("POST", "/Clients")
    assert post.json == {
        "clientName": "Tui Telecom",
        "accountManagerID": 101,
        "officeID": 2,
        "currencyID": 1,
        "financeEmail": "ap@tui.test",
        "isActive": False,
        "address": {"line1": "1 Queen St", "city": "Auckland", "postcode": "1010", "country": "NZ"},
        "externalReference": "CRM-300",
    }
    assert out["name"] == "Tui Telecom" and out["account_manager_name"] == "Marc Cashman"
    back = await call_ok(client, "projectworks_get_client", {"client_id": out["client_id"], "include_raw": True})
    assert back["is_active"] is False and back["office_id"] == 2
    assert back["raw"]["PostalAddress1"] == "1 Queen St"


async def test_create_client_only_the_three_required_fields(client: Client, sandbox) -> None:
    await call_ok(
        client, "projectworks_create_client", {"client_name": "Minimal Ltd", "account_manager_id": 102, "office_id": 1}
    )
    assert sandbox.projectworks.writes[0].json == {"clientName": "Minimal Ltd", "accountManagerID": 102, "officeID": 1}


async def test_create_client_prerequisites_refuse_before_writing(client: Client, sandbox) -> None:
    args = {"client_name": "Nobody Co", "account_manager_id": 999, "office_id": 1}
    text = await call_err(client, "projectworks_create_client", args)
    assert "account_manager_id 999" in text and "projectworks_list_users" in text and "Nothing was written" in text
    text = await call_err(client, "projectworks_create_client", {**args, "account_manager_id": 101, "office_id": 9})
    assert "office_id 9" in text and "1 (Wellington)" in text and "projectworks_list_offices" in text
    assert sandbox.projectworks.writes == []


async def test_client_bad_input_sends_nothing(client: Client, sandbox) -> None:
    cases = [
        ({"account_manager_id": 101, "office_id": 1}, "client_name"),
        ({"client_name": "X", "account_manager_id": 0, "office_id": 1}, "account_manager_id"),
        ({"client_name": "X", "account_manager_id": 101, "office_id": 1, "address": {"street": "1"}}, "street"),
    ]
    for args, field in cases:
        text = await call_err(client, "projectworks_create_client", args)
        assert field in text, (field, text)
    text = await call_err(client, "projectworks_update_client", {"client_id": 201})
    assert "at least one field" in text
    text = await call_err(client, "projectworks_search_clients", {"query": "   "})
    assert "query" in text
    assert sandbox.projectworks.requests == []


async def test_update_client_patches_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_update_client", {"client_id": 201, "finance_email": "new@kb.test"})
    (patch,) = sandbox.projectworks.requests  # no prerequisite lookups: no manager or office was given
    assert (patch.method, patch.path, patch.json) == ("PATCH", "/Clients/201", {"financeEmail": "new@kb.test"})
    assert out["finance_email"] == "new@kb.test" and out["name"] == "Kiwi Bank Co"
    back = await call_ok(client, "projectworks_get_client", {"client_id": 201})
    assert back["finance_email"] == "new@kb.test" and back["company_tax_number"] == "12-345-678"


async def test_update_client_checks_a_new_account_manager(client: Client, sandbox) -> None:
    text = await call_err(client, "projectworks_update_client", {"client_id": 201, "account_manager_id": 4242})
    assert "4242" in text and "projectworks_list_users" in text
    assert sandbox.projectworks.writes == []


async def test_delete_client(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_delete_client", {"client_id": 202})
    assert out == {"id": 202, "deleted": True}
    (delete,) = sandbox.projectworks.writes
    assert (delete.method, delete.path, delete.body) == ("DELETE", "/Clients/202", b"")
    assert "404" in await call_err(client, "projectworks_get_client", {"client_id": 202})


async def test_search_clients_matches_client_name_case_insensitively(client: Client, sandbox) -> None:
    out = await call_ok(client, "projectworks_search_clients", {"query": "HARBOUR"})
    assert [c["client_id"] for c in out["items"]] == [202]
    assert out["scanned"] == 2 and out["cut_short"] is False
    (req,) = sandbox.projectworks.requests
    assert (req.path, req.query) == ("/Clients", [("page", "1"), ("pageSize", "200")])


async def test_search_clients_scans_pages_and_says_when_cut_short(client: Client, sandbox) -> None:
    clients = sandbox.projectworks.store.table("clients")
    for i in range(450):
        clients[5000 + i] = {"ClientID": 5000 + i, "ClientName": f"Bulk {i}"}
    out = await call_ok(client, "projectworks_search_clients", {"query": "nowhere", "max_pages": 2})
    assert out["items"] == [] and out["scanned"] == 400 and out["cut_short"] is True
    assert [r.params["page"] for r in sandbox.projectworks.requests] == ["1", "2"]
    out = await call_ok(client, "projectworks_search_clients", {"query": "bulk 44", "limit": 3})
    assert len(out["items"]) == 3 and out["cut_short"] is True


async def test_search_clients_speaks_the_shared_search_vocabulary(client: Client, sandbox) -> None:
    """Every projectworks_search_* tool takes the same input (page_size, max_pages, include_raw) and reports the
    same scan (scanned, pages, cut_short): users, clients and projects share one helper."""
    out = await call_ok(
        client, "projectworks_search_clients", {"query": "harbour", "page_size": 1, "max_pages": 2, "include_raw": True}
    )
    (found,) = out["items"]
    assert found["client_id"] == 202 and found["raw"]["ClientName"] == "Harbour Health"
    assert out["scanned"] == 2 and out["pages"] == 2 and out["cut_short"] is True
    assert [r.query for r in sandbox.projectworks.requests] == [[("page", str(p)), ("pageSize", "1")] for p in (1, 2)]
    plain = await call_ok(client, "projectworks_search_clients", {"query": "harbour"})
    assert "raw" not in plain["items"][0] and plain["pages"] == 1 and plain["cut_short"] is False


async def test_create_client_500_is_not_resent_and_points_to_search(client: Client, sandbox) -> None:
    sandbox.projectworks.faults.add("POST", "/Clients", Fault(status=500, after=True))
    text = await call_err(
        client, "projectworks_create_client", {"client_name": "Once Only", "account_manager_id": 101, "office_id": 1}
    )
    assert "500" in text and "NOT retried" in text and "projectworks_search_clients" in text
    assert len(sandbox.projectworks.find("POST")) == 1
