"""Rates: the SDK's v3 paths and bodies (integer cents, null clears), its statuses (PUT 201 for user rates, 204 for
the project rate), and every set read back."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client

from projectops_mcp.sandbox.recorder import Fault
from tests.conftest import call_err, call_ok

KIWI = 732893
ME = 238860
DEV = 369453
DESIGNER = 412001  # no rates seeded
RATES = "/projects/api/v3/rates"


async def test_get_rates_requests_and_records(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_get_site_rate", {"user_id": ME})
    assert out == {"user_id": ME, "rate": 185.0, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_get_project_rate", {"project_id": KIWI})
    assert out == {"project_id": KIWI, "rate": 175.0, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_get_user_project_rate", {"project_id": KIWI, "user_id": DEV})
    assert out == {"project_id": KIWI, "user_id": DEV, "rate": 195.0, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_get_user_project_rate", {"project_id": KIWI, "user_id": DESIGNER})
    assert out == {"project_id": KIWI, "user_id": DESIGNER}  # no rate of its own
    assert [(r.method, r.path, r.query) for r in sandbox.teamwork.requests] == [
        ("GET", f"{RATES}/installation/users/{ME}.json", [("include", "currencies")]),
        ("GET", f"{RATES}/projects/{KIWI}.json", [("include", "currencies")]),
        ("GET", f"{RATES}/projects/{KIWI}/users/{DEV}.json", [("include", "currencies")]),
        ("GET", f"{RATES}/projects/{KIWI}/users/{DESIGNER}.json", [("include", "currencies")]),
    ]


async def test_set_site_rate_sends_cents_and_reads_back(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_set_site_rate", {"user_id": DESIGNER, "rate": 142.5})
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path) == ("PUT", f"{RATES}/installation/users/{DESIGNER}.json")
    assert put.body == b'{"userRate":14250}'
    assert out == {"user_id": DESIGNER, "rate": 142.5, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_set_site_rate", {"user_id": DESIGNER, "rate": 99, "currency_id": 2})
    assert sandbox.teamwork.writes[-1].json == {"userRate": 9900, "currencyId": 2}
    assert (out["rate"], out["currency_code"]) == (99.0, "AUD")
    out = await call_ok(client, "teamwork_set_site_rate", {"user_id": DESIGNER, "clear": True})
    assert sandbox.teamwork.writes[-1].json == {"userRate": None}
    assert out == {"user_id": DESIGNER}


async def test_set_project_rate_204_and_read_back(client: Client, sandbox) -> None:
    out = await call_ok(client, "teamwork_set_project_rate", {"project_id": 739377, "rate": 150})
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path, put.json) == ("PUT", f"{RATES}/projects/739377.json", {"projectRate": 15000})
    assert out == {"project_id": 739377, "rate": 150.0, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_set_project_rate", {"project_id": KIWI, "clear": True})
    assert sandbox.teamwork.writes[-1].json == {"projectRate": None} and out == {"project_id": KIWI}


async def test_set_user_project_rate_matches_teamworks_sample(client: Client, sandbox) -> None:
    """Teamwork's "Update the billable rate for a user on a project" sample: PUT {"userRate": 17500}."""
    out = await call_ok(
        client, "teamwork_set_user_project_rate", {"project_id": KIWI, "user_id": DESIGNER, "rate": 175}
    )
    (put,) = sandbox.teamwork.writes
    assert (put.method, put.path) == ("PUT", f"{RATES}/projects/{KIWI}/users/{DESIGNER}.json")
    assert put.body == b'{"userRate":17500}'
    assert out == {"project_id": KIWI, "user_id": DESIGNER, "rate": 175.0, "currency_id": 1, "currency_code": "NZD"}
    out = await call_ok(client, "teamwork_set_user_project_rate", {"project_id": KIWI, "user_id": DEV, "clear": True})
    assert out == {"project_id": KIWI, "user_id": DEV}


@pytest.mark.parametrize(
    ("name", "args", "field"),
    [
        ("teamwork_set_site_rate", {"user_id": ME}, "rate"),
        ("teamwork_set_site_rate", {"user_id": ME, "rate": 10, "clear": True}, "clear"),
        ("teamwork_set_site_rate", {"user_id": ME, "rate": 10.005}, "rate"),
        ("teamwork_set_site_rate", {"user_id": ME, "rate": -1}, "rate"),
        ("teamwork_set_site_rate", {"user_id": ME, "rate": 10, "currency_id": 0}, "currency_id"),
        ("teamwork_set_project_rate", {"project_id": KIWI, "rate": "lots"}, "rate"),
        ("teamwork_set_project_rate", {"project_id": KIWI, "rate": 10, "currency_id": 2}, "currency_id"),
        ("teamwork_set_user_project_rate", {"project_id": KIWI, "rate": 10}, "user_id"),
        ("teamwork_get_user_project_rate", {"project_id": 0, "user_id": ME}, "project_id"),
        ("teamwork_get_site_rate", {}, "user_id"),
    ],
)
async def test_bad_input_sends_nothing(client: Client, sandbox, name: str, args: dict, field: str) -> None:
    text = await call_err(client, name, args)
    assert field in text, text
    assert sandbox.teamwork.requests == []


async def test_unknown_user_or_project_is_refused_before_writing(client: Client, sandbox) -> None:
    text = await call_err(client, "teamwork_set_site_rate", {"user_id": 4242, "rate": 10})
    assert "user_id" in text and "teamwork_list_people" in text and "Nothing was written" in text
    text = await call_err(client, "teamwork_set_user_project_rate", {"project_id": 4242, "user_id": ME, "rate": 10})
    assert "project_id" in text and "teamwork_list_projects" in text
    assert sandbox.teamwork.writes == []
    text = await call_err(client, "teamwork_get_project_rate", {"project_id": 4242})
    assert "404" in text


async def test_upstream_errors_are_reported(client: Client, sandbox) -> None:
    path = f"{RATES}/projects/{KIWI}.json"
    sandbox.teamwork.faults.add("PUT", path, Fault(status=403, body={"errors": [{"detail": "not allowed"}]}))
    text = await call_err(client, "teamwork_set_project_rate", {"project_id": KIWI, "rate": 10})
    assert "403" in text and "not allowed" in text
    async with httpx2.AsyncClient(base_url=sandbox.url, auth=("key", "X")) as http:
        fractional = await http.put(path, json={"projectRate": 17.5})
    assert fractional.status_code == 400 and "int64" in fractional.text  # cents must be whole, as upstream


async def test_list_project_rates_shows_each_members_rate_and_source(client: Client, sandbox) -> None:
    await call_ok(client, "teamwork_set_site_rate", {"user_id": DESIGNER, "rate": 120})
    await call_ok(client, "teamwork_set_project_rate", {"project_id": KIWI, "clear": True})
    out = await call_ok(client, "teamwork_list_project_rates", {"project_id": KIWI, "page_size": 10})
    req = sandbox.teamwork.requests[-1]
    assert (req.method, req.path) == ("GET", f"{RATES}/projects/{KIWI}/users")
    assert req.query == [("orderBy", "name"), ("orderMode", "asc"), ("page", "1"), ("pageSize", "10")]
    rates = {r["user_id"]: r for r in out["items"]}
    assert rates[DEV] == {
        "user_id": DEV,
        "rate": 195.0,
        "source": "userprojectrate",
        "user_project_rate": 195.0,
        "site_rate": 160.0,
    }
    assert (rates[DESIGNER]["rate"], rates[DESIGNER]["source"]) == (120.0, "installationrate")
    assert (rates[ME]["rate"], rates[ME]["source"]) == (185.0, "installationrate")
    text = await call_err(client, "teamwork_list_project_rates", {"project_id": 4242})
    assert "404" in text and "teamwork_list_projects" in text
    text = await call_err(client, "teamwork_list_project_rates", {"project_id": KIWI, "search": ""})
    assert "search" in text
