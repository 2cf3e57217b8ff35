"""Companies (v3): list/get reads, create (POST) and update (PATCH, only the fields given), with the SDK's write
keys — lower-case `countrycode` and `profile` — checked key for key."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


def exact(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


async def test_list_companies_query_and_records(client: Client, sandbox) -> None:
    out = await call_ok(
        client, "teamwork_list_companies", {"search": "kiwi", "order_by": "name", "order_mode": "desc", "page_size": 5}
    )
    assert out["items"] == [
        {
            "company_id": 2,
            "name": "Kiwi Bank Co",
            "website": "https://kiwibank.test",
            "emails": ["hello@kiwibank.test"],
            "phone": "+64 4 000 0000",
            "city": "Wellington",
            "country_code": "NZ",
            "tag_ids": [],
            "status": "active",
            "created_at": "2026-10-01T09:00:00Z",
            "updated_at": "2026-10-01T09:00:00Z",
        }
    ]
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path) == ("GET", "/projects/api/v3/companies.json")
    assert req.query == [
        ("searchTerm", "kiwi"),
        ("orderBy", "name"),
        ("orderMode", "desc"),
        ("page", "1"),
        ("pageSize", "5"),
    ]


async def test_get_company(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_company", {"company_id": 3, "include_raw": True})
    assert out["name"] == "Harbour Health" and out["raw"]["countryCode"] == "NZ"
    assert sandbox.teamwork.requests[0].path == "/projects/api/v3/companies/3.json"
    text = await call_err(client, "teamwork_get_company", {"company_id": 999})
    assert "404" in text and "teamwork_list_companies" in text


async def test_create_company_exact_body_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(
        client,
        "teamwork_create_company",
        {
            "name": "Tui Tours",
            "address_one": "2 Wharf Rd",
            "address_two": "Level 3",
            "city": "Nelson",
            "state": "Nelson",
            "zip": "7010",
            "country_code": "nz",
            "email_one": "hi@tui.test",
            "email_two": "ap@tui.test",
            "email_three": "",
            "phone": "+64 3 000",
            "fax": "",
            "website": "https://tui.test",
            "profile": "Adventure tours",
            "managed_by_user_id": 238860,
            "industry_id": 12,
            "tag_ids": [17062],
        },
    )
    (post,) = sandbox.teamwork.find("POST")
    assert post.path == "/projects/api/v3/companies.json"
    assert exact(post.json) == exact(
        {
            "company": {
                "name": "Tui Tours",
                "addressOne": "2 Wharf Rd",
                "addressTwo": "Level 3",
                "city": "Nelson",
                "state": "Nelson",
                "zip": "7010",
                "countrycode": "NZ",
                "emailOne": "hi@tui.test",
                "emailTwo": "ap@tui.test",
                "emailThree": "",
                "phone": "+64 3 000",
                "fax": "",
                "website": "https://tui.test",
                "profile": "Adventure tours",
                "clientManagedBy": 238860,
                "industryCatId": 12,
                "tagIds": [17062],
            }
        }
    )
    assert out["country_code"] == "NZ" and out["profile"] == "Adventure tours" and out["managed_by_user_id"] == 238860
    got = await call_ok(client, "teamwork_get_company", {"company_id": out["company_id"]})
    assert got["emails"] == ["hi@tui.test", "ap@tui.test"] and got["tag_ids"] == [17062]


async def test_update_company_sends_only_given_fields(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_update_company", {"company_id": 3, "website": "", "country_code": "AU"})
    (patch,) = sandbox.teamwork.find("PATCH")
    assert patch.path == "/projects/api/v3/companies/3.json"
    assert exact(patch.json) == exact({"company": {"countrycode": "AU", "website": ""}})
    assert out["country_code"] == "AU" and "website" not in out and out["name"] == "Harbour Health"


async def test_company_bad_inputs_send_nothing(client: Client, sandbox) -> None:
    cases = [
        ("teamwork_create_company", {}, "name"),
        ("teamwork_create_company", {"name": "X", "country_code": "NZL"}, "country_code"),
        ("teamwork_create_company", {"name": "X", "countryCode": "NZ"}, "countryCode"),
        ("teamwork_update_company", {"company_id": 3}, "at least one field"),
        ("teamwork_update_company", {"company_id": 3, "tag_ids": ["a"]}, "tag_ids"),
        ("teamwork_list_companies", {"order_by": "budget"}, "order_by"),
    ]
    for name, args, field in cases:
        text = await call_err(client, name, args)
        assert field in text, (name, field, text)
    assert sandbox.teamwork.requests == []


async def test_company_prerequisites_write_nothing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_create_company", {"name": "kiwi bank co"})
    assert "already exists" in text and "company_id 2" in text and "teamwork_update_company" in text
    text = await call_err(client, "teamwork_update_company", {"company_id": 2, "managed_by_user_id": 4242})
    assert "managed_by_user_id" in text and "teamwork_list_people" in text
    assert sandbox.teamwork.writes == []


async def test_company_upstream_errors(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_company", {"company_id": 999, "city": "X"})
    assert "404" in text and "teamwork_list_companies" in text
    sandbox.teamwork.faults.add(
        "PATCH",
        r"/projects/api/v3/companies/\d+\.json",
        Fault(status=409, body={"errors": [{"title": "Conflict", "detail": "name taken"}]}),
    )
    text = await call_err(client, "teamwork_update_company", {"company_id": 2, "name": "Demo Agency"})
    assert "409" in text and "name taken" in text


async def test_delete_company_and_read_back(client: Client, sandbox) -> None:
    assert await call_ok(client, "teamwork_delete_company", {"company_id": 3}) == {"id": 3, "deleted": True}
    (delete,) = sandbox.teamwork.writes
    assert (delete.method, delete.path, delete.body) == ("DELETE", "/projects/api/v3/companies/3.json", b"")
    assert "404" in await call_err(client, "teamwork_get_company", {"company_id": 3})


async def test_delete_company_refusals_write_nothing(client: Client, sandbox) -> None:
    assert "company_id" in await call_err(client, "teamwork_delete_company", {"company_id": -3})
    assert sandbox.teamwork.requests == []
    text = await call_err(client, "teamwork_delete_company", {"company_id": 1})
    assert "site owner's company" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_delete_company", {"company_id": 4242})
    assert "company_id: company 4242 does not exist" in text and "teamwork_list_companies" in text
    assert sandbox.teamwork.writes == []


async def test_delete_company_upstream_error(client: Client, sandbox) -> None:
    sandbox.teamwork.faults.add(
        "DELETE",
        "/projects/api/v3/companies/2.json",
        Fault(status=409, body={"errors": [{"title": "Conflict", "detail": "company has active projects"}]}),
    )
    text = await call_err(client, "teamwork_delete_company", {"company_id": 2})
    assert "409" in text and "company has active projects" in text
