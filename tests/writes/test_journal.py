"""The write journal and the duplicate guard, on a real SQLite file, through the real server and the MCP client:
a retried create is refused (same session, two concurrent sessions, across a server restart), a lost answer makes
the outcome unknown and still blocks the retry, failures release, tenants are apart, and a locked or full journal
never fails a call."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from projectops_mcp import cli
from projectops_mcp.metrics import REGISTRY
from projectops_mcp.sandbox.recorder import Fault
from projectops_mcp.server import build_server
from projectops_mcp.writes.guard import duplicate_key
from projectops_mcp.writes.journal import Journal
from tests.conftest import LiveSandbox, call_err, call_ok, make_settings
from tests.writes.valid_calls import CLAIM, RECEIPT_B64

CLAIM_ARGS = {**CLAIM, "receipt_base64": RECEIPT_B64, "receipt_filename": "taxi.pdf"}
CLAIMS = "/ExpenseClaims"
TWICE = {"tasklist_id": 1302, "name": "Twice"}


def _posts(sandbox: LiveSandbox) -> int:
    return len(sandbox.projectworks.find("POST", CLAIMS))


def _rows(path: Path) -> list[dict[str, Any]]:
    journal = Journal(path, read_only=True)
    try:
        return [e.as_dict() for e in journal.entries(limit=1000)]
    finally:
        journal.close()


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "journal.sqlite3"


def _server(sandbox: LiveSandbox, journal_file: Path, **overrides: Any):
    return build_server(make_settings(sandbox, projectops_journal=str(journal_file), **overrides))


async def test_a_retried_create_is_refused_with_the_earlier_outcome(sandbox: LiveSandbox, journal_file: Path) -> None:
    async with Client(_server(sandbox, journal_file)) as client:
        first = await call_ok(client, "projectworks_create_expense_claim", CLAIM_ARGS)
        # The same claim as an agent might re-send it: keys reordered, the amount and date written differently.
        again = {**dict(reversed(list(CLAIM_ARGS.items()))), "amount": "42.50", "date": "2026-11-20"}
        text = await call_err(client, "projectworks_create_expense_claim", again)
        assert _posts(sandbox) == 1
        claim_id = str(first["expense_claim_id"])
        assert "Refused as a duplicate" in text and f"it succeeded (id {claim_id})" in text
        assert "allow_duplicate: true" in text and "projectworks_list_expense_claims" in text
        assert "Nothing was sent" in text

        preview = await call_ok(client, "projectworks_create_expense_claim", {**again, "dry_run": True})
        assert any("would be refused" in line and claim_id in line for line in preview["preview"]["checked"])
        assert _posts(sandbox) == 1

        other = await call_ok(client, "projectworks_create_expense_claim", {**CLAIM_ARGS, "amount": 43})
        assert _posts(sandbox) == 2 and other["expense_claim_id"] != first["expense_claim_id"]
        await call_ok(client, "projectworks_create_expense_claim", {**CLAIM_ARGS, "allow_duplicate": True})
        assert _posts(sandbox) == 3

        listed = await call_ok(client, "projectworks_list_recent_writes", {})
    rows = _rows(journal_file)
    assert [r["outcome"] for r in rows] == ["succeeded"] * 3
    assert rows[-1]["upstream_id"] == claim_id and rows[-1]["tool"] == "projectworks_create_expense_claim"
    assert [i["upstream_id"] for i in listed["items"]][-1] == claim_id and len(listed["items"]) == 3
    stored = json.dumps(rows)
    assert RECEIPT_B64[:40] not in stored and "bytes elided" in stored, "receipt bytes never reach the journal"
    assert "pw-test-consumer" not in stored


async def test_the_guard_survives_a_server_restart(sandbox: LiveSandbox, journal_file: Path) -> None:
    async with Client(_server(sandbox, journal_file)) as client:
        out = await call_ok(client, "teamwork_create_task", {"tasklist_id": 1302, "name": "Card controls"})
    async with Client(_server(sandbox, journal_file)) as client:  # a new process would see the same file
        text = await call_err(client, "teamwork_create_task", {"name": "Card controls", "tasklist_id": 1302})
        listed = await call_ok(client, "teamwork_list_recent_writes", {})
    assert f"(id {out['task_id']})" in text and len(sandbox.teamwork.find("POST")) == 1
    assert [i["tool"] for i in listed["items"]] == ["teamwork_create_task"]


async def test_two_concurrent_sessions_send_an_identical_create_once(sandbox: LiveSandbox, journal_file: Path) -> None:
    """Two servers (two journal connections, as two processes would have) race the same timesheet."""
    sandbox.projectworks.faults.add("POST", "/Timesheets", Fault(delay=0.3, after=True))
    args = {"user_id": 102, "task_id": 502, "date": "2026-11-17", "hours": 1.5}
    results: list[Any] = []
    async with Client(_server(sandbox, journal_file)) as a, Client(_server(sandbox, journal_file)) as b:

        async def create(client: Client) -> None:
            results.append(await client.call_tool("projectworks_create_timesheet", args))

        async with anyio.create_task_group() as tg:
            tg.start_soon(create, a)
            tg.start_soon(create, b)
    assert len(sandbox.projectworks.find("POST", "/Timesheets")) == 1
    assert sorted(r.is_error for r in results) == [False, True]
    refused = next(r for r in results if r.is_error).content[0].text
    assert "still in flight" in refused or "it succeeded" in refused


async def test_a_stalled_upstream_leaves_the_outcome_unknown_and_blocks_the_retry(
    sandbox: LiveSandbox, journal_file: Path
) -> None:
    sandbox.projectworks.faults.add("POST", CLAIMS, Fault(delay=2, after=True))
    async with Client(_server(sandbox, journal_file, projectops_http_timeout=0.5)) as client:
        first = await call_err(client, "projectworks_create_expense_claim", CLAIM_ARGS)
        assert "outcome is unknown" in first
        retry = await call_err(client, "projectworks_create_expense_claim", CLAIM_ARGS)
        assert "its outcome is unknown" in retry and "projectworks_list_expense_claims" in retry
        assert _posts(sandbox) == 1
        unknown = await call_ok(client, "projectworks_list_recent_writes", {"outcome": "unknown"})
        assert len(unknown["items"]) == 1 and "did not answer" in unknown["items"][0]["note"]
        await anyio.sleep(1.6)  # the stalled request lands upstream
        await call_ok(client, "projectworks_create_expense_claim", {**CLAIM_ARGS, "allow_duplicate": True})
    assert _posts(sandbox) == 2
    assert [r["outcome"] for r in _rows(journal_file)] == ["succeeded", "unknown"]


async def test_a_refused_create_releases_its_claim(sandbox: LiveSandbox, journal_file: Path) -> None:
    sandbox.teamwork.faults.add("POST", "/projects/api/v3/tags.json", Fault(status=422, body={"errors": []}))
    async with Client(_server(sandbox, journal_file)) as client:
        await call_err(client, "teamwork_create_tag", {"name": "Compliance"})
        await call_ok(client, "teamwork_create_tag", {"name": "Compliance"})
    assert [r["outcome"] for r in _rows(journal_file)] == ["succeeded", "failed"]


async def test_tenants_are_guarded_and_listed_apart(sandbox: LiveSandbox, journal_file: Path) -> None:
    args = {"name": "Shared name", "tasklist_id": 1302}
    async with Client(_server(sandbox, journal_file)) as mine:
        await call_ok(mine, "teamwork_create_task", args)
    other = _server(sandbox, journal_file, teamwork_api_key="another-tenant-key-9")
    async with Client(other) as theirs:
        await call_ok(theirs, "teamwork_create_task", args)  # another account: not a duplicate
        listed = await call_ok(theirs, "teamwork_list_recent_writes", {})
    assert len(listed["items"]) == 1 and len(sandbox.teamwork.find("POST")) == 2
    tenants = {r["tenant"] for r in _rows(journal_file)}
    assert len(tenants) == 2 and not any("another-tenant" in t or "tw-test" in t for t in tenants)


async def test_the_window_is_configurable(sandbox: LiveSandbox, journal_file: Path) -> None:
    async with Client(_server(sandbox, journal_file, projectops_duplicate_window=0.2)) as client:
        await call_ok(client, "teamwork_create_task", TWICE)
        await anyio.sleep(0.3)
        await call_ok(client, "teamwork_create_task", TWICE)
    assert len(sandbox.teamwork.writes) == 2


async def test_journal_off_records_nothing_and_guards_nothing(sandbox: LiveSandbox, tmp_path: Path) -> None:
    async with Client(build_server(make_settings(sandbox, projectops_journal="off"))) as client:
        await call_ok(client, "teamwork_create_task", TWICE)
        await call_ok(client, "teamwork_create_task", TWICE)
        text = await call_err(client, "teamwork_list_recent_writes", {})
    assert "PROJECTOPS_JOURNAL=off" in text and len(sandbox.teamwork.writes) == 2


# -- a journal that cannot be written never fails a call ------------------------------------------------------------


def _journal_errors() -> int:
    return sum(REGISTRY.journal_errors.values())


async def test_a_locked_journal_does_not_fail_calls(
    sandbox: LiveSandbox, journal_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with Client(_server(sandbox, journal_file)) as client:
        await call_ok(client, "teamwork_create_tag", {"name": "Before the lock"})
    locker = sqlite3.connect(journal_file, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    errors = _journal_errors()
    try:
        with caplog.at_level(logging.WARNING, logger="projectops_mcp.writes"):
            async with Client(_server(sandbox, journal_file)) as client:
                await call_ok(client, "teamwork_create_tag", {"name": "During the lock"})
                await call_ok(client, "teamwork_delete_task", {"task_id": 5003})
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert len(sandbox.teamwork.writes) == 3
    assert _journal_errors() > errors
    assert "projectops_journal_errors_total" in REGISTRY.render()
    assert any("locked" in r.getMessage() for r in caplog.records)


async def test_a_full_journal_does_not_fail_calls(sandbox: LiveSandbox, journal_file: Path) -> None:
    server = _server(sandbox, journal_file)
    async with Client(server) as client:
        await call_ok(client, "teamwork_create_tag", {"name": "Fits"})
        journal = server.writes.journal
        assert journal is not None
        # SQLite's own "database or disk is full": no page may be added beyond the ones in use.
        journal._sync(
            lambda conn: conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        )
        errors = _journal_errors()
        for i in range(30):
            await call_ok(client, "teamwork_create_task", {"tasklist_id": 1302, "name": f"Overflow {i} " + "x" * 200})
    assert len(sandbox.teamwork.writes) == 31 and _journal_errors() > errors


# -- normalisation and the CLI --------------------------------------------------------------------------------------


def test_normalised_arguments_ignore_order_spelling_of_numbers_dates_and_id_sets() -> None:
    from projectops_mcp.teamwork.milestones import create_milestone
    from projectops_mcp.teamwork.reminders import create_task_reminder

    def key(tool: Any, args: dict[str, Any]) -> str:
        return duplicate_key(tool.name, "tenant", tool.input_model.model_validate(args))

    m = {"project_id": 1, "name": "Beta", "deadline": "2027-02-26", "responsible_user_ids": [2, 3]}
    assert key(create_milestone, m) == key(create_milestone, {**m, "responsible_user_ids": [3, 2]})
    assert key(create_milestone, m) != key(create_milestone, {**m, "deadline": "2027-02-27"})
    r = {"task_id": 5, "user_ids": [1], "type": "PUSH", "date_time_utc": "2026-12-10T08:00:00Z"}
    assert key(create_task_reminder, r) == key(
        create_task_reminder, {**r, "date_time_utc": "2026-12-10T21:00:00+13:00"}
    )
    assert key(create_task_reminder, r) != key(create_task_reminder, {**r, "type": "EMAIL"})
    assert key(create_milestone, m) != duplicate_key(
        create_milestone.name, "other", create_milestone.input_model.model_validate(m)
    )


async def test_the_cli_lists_the_journal(
    sandbox: LiveSandbox, journal_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with Client(_server(sandbox, journal_file)) as client:
        await call_ok(client, "teamwork_create_tag", {"name": "Listed"})
        await call_ok(client, "teamwork_delete_task", {"task_id": 5003})
    monkeypatch.setenv("PROJECTOPS_JOURNAL", str(journal_file))
    capsys.readouterr()
    assert cli.main(["journal", "--json", "--tool", "teamwork_delete_task"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["tool"], r["outcome"], r["method"], r["path"]) for r in rows] == [
        ("teamwork_delete_task", "succeeded", "DELETE", "/projects/api/v3/tasks/5003.json")
    ]
    assert dt.datetime.fromisoformat(rows[0]["at"].replace("Z", "+00:00")).tzinfo is not None
    assert cli.main(["journal", "--since", "10m", "--outcome", "succeeded"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "teamwork_create_tag" in out[1] and "succeeded" in out[1]
    assert cli.main(["journal", "--since", "2999-01-01"]) == 0 and capsys.readouterr().out == ""
    assert cli.main(["journal", "--since", "yesterday"]) == 2


async def test_a_journal_that_cannot_be_created_does_not_fail_calls(sandbox: LiveSandbox) -> None:
    errors = _journal_errors()
    unwritable = "/proc/self/projectops-journal/journal.sqlite3"  # not even root can create it
    async with Client(build_server(make_settings(sandbox, projectops_journal=unwritable))) as client:
        await call_ok(client, "teamwork_create_task", TWICE)
        text = await call_err(client, "teamwork_list_recent_writes", {})
    assert len(sandbox.teamwork.writes) == 1 and _journal_errors() > errors
    assert "could not be read" in text and "writes are not affected" in text
