"""The write journal: an embedded SQLite file recording every write attempt, and the default duplicate-guard store.

Where: `PROJECTOPS_JOURNAL` (a file path), default `$XDG_STATE_HOME/projectops-mcp/journal.sqlite3`
(`~/.local/state/...` without XDG_STATE_HOME); `off` disables the journal and, with it, the duplicate guard.

Each write is recorded *before* it is sent (outcome `sent`) and completed after (`succeeded`, `failed`, or
`unknown` when the upstream's answer was lost); a row left at `sent` means the server stopped before the answer.
Rows hold the time, a tenant fingerprint (an HMAC of the backend URL and credentials under a random key kept in
this file, so the same account maps to the same tenant across restarts and nothing about its secrets is stored),
the tool, a summary of the request with secrets and receipt bytes elided, the outcome and the upstream id.

The file is in WAL mode, so several server processes may share it; every statement runs off the event loop (one
connection per process, serialised by a lock). A locked or full file never fails a tool call: the operation is
skipped with a logged warning and `projectops_journal_errors_total` is counted. Rows older than RETENTION_DAYS are
pruned when the file is opened.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio.to_thread

logger = logging.getLogger("projectops_mcp.writes")

RETENTION_DAYS = 90
BUSY_TIMEOUT = 0.5  # seconds a statement waits for another process's lock before it is skipped
OUTCOMES = ("sent", "succeeded", "failed", "unknown")
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS writes (
    id TEXT PRIMARY KEY,
    at REAL NOT NULL,
    settled_at REAL,
    tenant TEXT NOT NULL,
    tool TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request TEXT NOT NULL,
    outcome TEXT NOT NULL,
    upstream_id TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS writes_by_time ON writes (at);
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY,
    at REAL NOT NULL,
    tool TEXT NOT NULL,
    outcome TEXT NOT NULL,
    upstream_id TEXT
);
"""


def default_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "projectops-mcp" / "journal.sqlite3"


def journal_path(setting: str | None) -> Path | None:
    """The journal file for a PROJECTOPS_JOURNAL value: None when it is `off`."""
    value = (setting or "").strip()
    if value.lower() in ("off", "false", "0", "no", "none"):
        return None
    return Path(value).expanduser() if value else default_path()


# ---------------------------------------------------------------------------------------------------------------
# The duplicate guard's storage interface
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Earlier:
    """A create the guard remembers: when it was sent, what became of it, and the record it made."""

    tool: str
    at: float
    outcome: str  # sent | succeeded | unknown (failed claims are released, never returned)
    upstream_id: str | None = None


class GuardStore(Protocol):
    """Where the duplicate guard keeps its claims. `Journal` (SQLite) is the default; a shared store (e.g. Redis,
    for replicas that do not share a file) implements the same four coroutines:

    - `claim(key, tool, window)`: atomically, if `key` was claimed less than `window` seconds ago and that claim
      is not `failed`, return it (an `Earlier`); otherwise record a new claim (`sent`, now) and return None.
      `window=None` records the claim unconditionally (`allow_duplicate`).
    - `settle(key, outcome, upstream_id)`: the claimed write ended; `failed` releases the claim.
    - `peek(key, window)`: what `claim` would return, without claiming (for previews).
    - `tenant_key()`: the random key tenant fingerprints are made with, the same for every replica.

    Keys are opaque hashes that already include the tenant. A store that cannot answer raises `GuardUnavailable`;
    the write then goes through with a logged warning (a broken store must not stop every write). A replacement is
    handed to the gate as `WriteGate(settings, guard=store)` (server.py builds the gate); the journal keeps
    recording in SQLite either way.
    """

    async def claim(self, key: str, tool: str, window: float | None) -> Earlier | None: ...

    async def settle(self, key: str, outcome: str, upstream_id: str | None) -> None: ...

    async def peek(self, key: str, window: float) -> Earlier | None: ...

    async def tenant_key(self) -> bytes | None:
        """The shared random key tenant fingerprints are made with (stable across restarts and replicas)."""
        ...


# ---------------------------------------------------------------------------------------------------------------
# Journal rows
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class WriteEntry:
    tool: str
    tenant: str
    method: str
    path: str
    request: dict[str, Any]
    outcome: str = "sent"
    at: float = field(default_factory=time.time)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    settled_at: float | None = None
    upstream_id: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "settled_at": self.settled_at,
            "tenant": self.tenant,
            "tool": self.tool,
            "method": self.method,
            "path": self.path,
            "request": self.request,
            "outcome": self.outcome,
            "upstream_id": self.upstream_id,
            "note": self.note,
        }


def _row_entry(row: sqlite3.Row) -> WriteEntry:
    return WriteEntry(
        id=row["id"],
        at=row["at"],
        settled_at=row["settled_at"],
        tenant=row["tenant"],
        tool=row["tool"],
        method=row["method"],
        path=row["path"],
        request=json.loads(row["request"]),
        outcome=row["outcome"],
        upstream_id=row["upstream_id"],
        note=row["note"],
    )


class JournalError(Exception):
    """The journal could not be read (for the CLI and the read tool; writes degrade silently instead)."""


class Journal:
    """The SQLite journal. Async methods never raise on a locked/full file (they log, count and return None)."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        on_error: Callable[[str], None] | None = None,
        read_only: bool = False,
    ):
        self.path = path
        self.busy_timeout = busy_timeout
        self.on_error = on_error  # called with the operation name when a statement is skipped (the metric)
        self.read_only = read_only  # the CLI: never creates or changes the file
        self._conn: sqlite3.Connection | None = None
        self._key: bytes = b""
        self._lock = threading.Lock()

    # -- connection ---------------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.read_only:
                target, uri = f"{self.path.resolve().as_uri()}?mode=ro", True
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                target, uri = str(self.path), False
            conn = sqlite3.connect(
                target, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False, uri=uri
            )
            try:
                conn.row_factory = sqlite3.Row
                if not self.read_only:
                    self._key = self._prepare(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    @staticmethod
    def _prepare(conn: sqlite3.Connection) -> bytes:
        """WAL mode, the tables and the tenant key; an existing journal is opened without taking the write lock."""
        conn.execute("PRAGMA synchronous=NORMAL")
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'tenant_key'").fetchone()
        except sqlite3.OperationalError:  # a new file
            row = None
        if row is not None:
            key = row[0]
        else:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('tenant_key', ?)", (secrets.token_bytes(32),))
            key = conn.execute("SELECT value FROM meta WHERE key = 'tenant_key'").fetchone()[0]
        try:
            conn.execute("DELETE FROM writes WHERE at < ?", (time.time() - RETENTION_DAYS * 86400,))
            conn.execute("DELETE FROM claims WHERE at < ?", (time.time() - 86400,))
        except sqlite3.OperationalError:  # locked: prune next time
            pass
        return key

    def _sync(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return fn(self._connect())

    async def _run(self, operation: str, fn: Callable[[sqlite3.Connection], T]) -> T | None:
        """Run one statement group in a worker thread; a locked/full/unwritable file is logged, counted, skipped."""
        try:
            return await anyio.to_thread.run_sync(self._sync, fn)
        except (sqlite3.Error, OSError) as exc:
            logger.warning("write journal %s skipped (%s): %s", operation, self.path, exc)
            if self.on_error is not None:
                self.on_error(operation)
            return None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(self.close)

    async def tenant_key(self) -> bytes | None:
        """The random key tenant fingerprints are made with (created with the file); None if it cannot be read."""
        if self._key:
            return self._key
        return await self._run("open", lambda conn: self._key)

    # -- journal ------------------------------------------------------------------------------------------------

    async def record(self, entry: WriteEntry) -> bool:
        return bool(await self._run("record", lambda conn: _insert(conn, entry)))

    async def complete(self, entry: WriteEntry) -> None:
        await self._run("complete", lambda conn: _update(conn, entry))

    def entries(
        self,
        *,
        since: float | None = None,
        tool: str | None = None,
        outcome: str | None = None,
        tenants: list[str] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[WriteEntry]:
        """Newest first (synchronous: for the CLI; the tool wraps it in a thread). Raises JournalError."""
        where, params = ["1=1"], []
        if since is not None:
            where.append("at >= ?")
            params.append(since)
        if tool:
            where.append("tool = ?")
            params.append(tool)
        if outcome:
            where.append("outcome = ?")
            params.append(outcome)
        if tenants is not None:
            where.append(f"tenant IN ({','.join('?' * len(tenants))})" if tenants else "0")
            params.extend(tenants)
        sql = f"SELECT * FROM writes WHERE {' AND '.join(where)} ORDER BY at DESC LIMIT ? OFFSET ?"  # noqa: S608
        try:
            rows = self._sync(lambda conn: conn.execute(sql, (*params, limit, offset)).fetchall())
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(f"the write journal {self.path} could not be read: {exc}") from None
        return [_row_entry(row) for row in rows]

    # -- GuardStore ---------------------------------------------------------------------------------------------

    async def claim(
        self, key: str, tool: str, window: float | None, *, record: WriteEntry | None = None
    ) -> Earlier | None:
        """GuardStore.claim; with `record`, a granted claim also journals that entry in the same transaction (one
        trip to the worker thread instead of two: thread hops are what a write call pays for on a busy machine)."""

        def claim(conn: sqlite3.Connection) -> Earlier | None:
            now = time.time()
            conn.execute("BEGIN IMMEDIATE")  # one writer at a time across processes: check and claim atomically
            try:
                earlier = _live_claim(conn, key, window, now) if window is not None else None
                if earlier is None:
                    conn.execute(
                        "INSERT OR REPLACE INTO claims (key, at, tool, outcome) VALUES (?, ?, ?, 'sent')",
                        (key, now, tool),
                    )
                    if record is not None:
                        _insert(conn, record)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return earlier

        return await self._run_guard("claim", claim)

    async def settle(
        self, key: str, outcome: str, upstream_id: str | None, *, complete: WriteEntry | None = None
    ) -> None:
        """GuardStore.settle; with `complete`, that journal entry is completed in the same trip."""

        def settle(conn: sqlite3.Connection) -> None:
            if outcome == "failed":
                conn.execute("DELETE FROM claims WHERE key = ?", (key,))
            else:
                conn.execute(
                    "UPDATE claims SET outcome = ?, upstream_id = ? WHERE key = ?", (outcome, upstream_id, key)
                )
            if complete is not None:
                _update(conn, complete)

        await self._run("settle", settle)

    async def peek(self, key: str, window: float) -> Earlier | None:
        return await self._run_guard("peek", lambda conn: _live_claim(conn, key, window, time.time()))

    async def _run_guard(self, operation: str, fn: Callable[[sqlite3.Connection], Earlier | None]) -> Earlier | None:
        try:
            return await anyio.to_thread.run_sync(self._sync, fn)
        except (sqlite3.Error, OSError) as exc:
            raise GuardUnavailable(f"duplicate guard {operation} failed ({self.path}): {exc}") from None


class GuardUnavailable(Exception):
    """The guard's store could not answer; the write goes ahead unguarded (logged and counted by the caller)."""


def _insert(conn: sqlite3.Connection, entry: WriteEntry) -> bool:
    conn.execute(
        "INSERT INTO writes (id, at, tenant, tool, method, path, request, outcome) VALUES (?,?,?,?,?,?,?,?)",
        (
            entry.id,
            entry.at,
            entry.tenant,
            entry.tool,
            entry.method,
            entry.path,
            json.dumps(entry.request, ensure_ascii=False, default=str),
            entry.outcome,
        ),
    )
    return True


def _update(conn: sqlite3.Connection, entry: WriteEntry) -> None:
    entry.settled_at = time.time()
    conn.execute(
        "UPDATE writes SET outcome = ?, upstream_id = ?, note = ?, settled_at = ? WHERE id = ?",
        (entry.outcome, entry.upstream_id, entry.note, entry.settled_at, entry.id),
    )


def _live_claim(conn: sqlite3.Connection, key: str, window: float, now: float) -> Earlier | None:
    row = conn.execute(
        "SELECT tool, at, outcome, upstream_id FROM claims WHERE key = ? AND at > ? AND outcome != 'failed'",
        (key, now - window),
    ).fetchone()
    return Earlier(row["tool"], row["at"], row["outcome"], row["upstream_id"]) if row else None
