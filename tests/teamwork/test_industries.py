"""Industries (v1 `GET /industries.json`, no paging): the list, the search, and companies checked against it."""

from __future__ import annotations

from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok


async def test_list_industries_request_and_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_list_industries", {})
    assert out["items"][:2] == [{"industry_id": 1, "name": "Accounting"}, {"industry_id": 2, "name": "Advertising"}]
    assert len(out["items"]) == 10
    (req,) = sandbox.teamwork.requests
    assert (req.method, req.path, req.query) == ("GET", "/industries.json", [])
    out = await call_ok(client, "teamwork_list_industries", {"search": "FIN"})
    assert out["items"] == [{"industry_id": 15, "name": "Financial Services"}]


async def test_company_industry_must_be_listed(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_update_company", {"company_id": 2, "industry_id": 4242})
    assert "industry_id: 4242" in text and "teamwork_list_industries" in text and "Nothing was written" in text
    assert sandbox.teamwork.writes == []
    out = await call_ok(client, "teamwork_update_company", {"company_id": 2, "industry_id": 5})
    assert out["industry_id"] == 5 and sandbox.teamwork.writes[-1].json == {"company": {"industryCatId": 5}}


async def test_industries_bad_input_and_upstream_error(client: Client, sandbox) -> None:
    assert "search" in await call_err(client, "teamwork_list_industries", {"search": ""})
    assert sandbox.teamwork.requests == []
    sandbox.teamwork.faults.add("GET", "/industries.json", *[Fault(status=503)] * 4)
    assert "503" in await call_err(client, "teamwork_list_industries", {})
