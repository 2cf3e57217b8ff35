"""The write gate: what happens around every write tool call, in one place.

The server hands each non-read call to `WriteGate.run`, which sets the call's request hook
(`calls.Call.request_hook`, called by `http.BackendClient.request` before each request). Reads pass through (and are
listed as checks); at the call's *first write* the hook, in order: captures it for a preview (`dry_run`), asks the
person (destructive tools with PROJECTOPS_CONFIRM_DESTRUCTIVE), claims the create's normalised arguments (duplicate
guard), and journals the attempt as `sent`. After the handler, the journal row and the claim are settled: succeeded
(with the upstream id read from the result), failed (the first write was refused), or unknown (its answer was lost).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

from projectops_mcp.calls import current_call
from projectops_mcp.errors import UpstreamError
from projectops_mcp.http import OutgoingRequest
from projectops_mcp.writes import confirm
from projectops_mcp.writes.controls import Controls
from projectops_mcp.writes.guard import describe_earlier, duplicate_key, refusal, when
from projectops_mcp.writes.journal import GuardStore, GuardUnavailable, Journal, WriteEntry, journal_path
from projectops_mcp.writes.preview import PreviewCaptured, confirm_lines, render

logger = logging.getLogger("projectops_mcp.writes")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The gate serving the current tool call, for the journal read tools.
current_gate: contextvars.ContextVar[WriteGate | None] = contextvars.ContextVar("write_gate", default=None)


def _count_journal_error(operation: str) -> None:
    from projectops_mcp.metrics import REGISTRY

    REGISTRY.count_journal_error(operation)


class WriteGate:
    """One per server: the journal (opened on first use), the duplicate guard's store, and the confirmation rule."""

    def __init__(self, settings: Any, *, guard: GuardStore | None = None):
        path = journal_path(settings.projectops_journal)
        self.journal: Journal | None = Journal(path, on_error=_count_journal_error) if path else None
        self.window: float = settings.projectops_duplicate_window
        self.guard: GuardStore | None = guard or (self.journal if self.window > 0 else None)
        self.confirm_destructive: bool = settings.projectops_confirm_destructive
        self._fallback_key = secrets.token_bytes(32)

    async def aclose(self) -> None:
        if self.journal is not None:
            await self.journal.aclose()

    async def tenant(self, client: Any) -> str:
        """A stable fingerprint of the account a client writes to: HMAC of backend, base URL and credentials."""
        key = None
        store = self.guard or self.journal
        if store is not None:
            key = await store.tenant_key()
        credentials = getattr(client, "_credentials", None)
        material = "\0".join((client.backend, client.base_url, getattr(credentials, "authorization", "")))
        digest = hmac.new(key or self._fallback_key, material.encode(), hashlib.sha256).hexdigest()
        return f"{client.backend.lower()}:{digest[:16]}"

    async def run(
        self,
        tool: Any,
        args: BaseModel,
        controls: Controls,
        client: Any,
        mcp_context: Any,
        handler: Callable[[], Awaitable[BaseModel]],
    ) -> tuple[Any, str]:
        """(result, outcome): the handler's model, or a ready CallToolResult/InputRequiredResult (preview, question).
        Refusals (duplicate, not confirmed) and upstream failures propagate as ProjectOpsError."""
        call = WriteCall(self, tool, args, controls, client, mcp_context)
        scope = current_call.get()
        if scope is None:
            raise RuntimeError("a write tool ran outside a tool call")
        scope.request_hook = call.on_request
        try:
            try:
                result = await handler()
            except PreviewCaptured as captured:
                return call.preview(captured.request), "preview"
            except confirm.NeedsInput as needs:
                return needs.result, "input_required"
            except BaseException as exc:
                with anyio.CancelScope(shield=True):
                    await call.settle_error(exc)
                raise
            if controls.dry_run:  # the handler finished without writing anything
                return call.preview(None), "preview"
            with anyio.CancelScope(shield=True):
                await call.settle_success(result)
            return result, "ok"
        finally:
            scope.request_hook = None


class WriteCall:
    """One write tool call as the gate follows it."""

    def __init__(self, gate: WriteGate, tool: Any, args: BaseModel, controls: Controls, client: Any, context: Any):
        self.gate = gate
        self.tool = tool
        self.args = args
        self.controls = controls
        self.client = client
        self.mcp_context = context
        self.checked: list[str] = ["arguments: valid"]
        self.first: dict[str, Any] | None = None  # the first write, as rendered
        self.after_first = 0  # requests sent after the first write (so the first one was answered 2xx)
        self.key: str | None = None  # the duplicate-guard claim this call holds
        self.entry: WriteEntry | None = None

    @property
    def guarded(self) -> bool:
        return self.tool.kind == "create" and self.gate.guard is not None

    async def on_request(self, client: Any, request: OutgoingRequest) -> None:
        if self.first is not None:
            self.after_first += 1
            return
        if request.method in READ_METHODS:
            self.checked.append(f"{request.method} {request.path}: read")
            return
        shown = render(request, client.redactor)
        self.first = shown
        tenant = await self.gate.tenant(client)
        key = duplicate_key(self.tool.name, tenant, self.args) if self.guarded else None
        if self.controls.dry_run:
            await self._preview_checks(key)
            raise PreviewCaptured(shown)
        if self.gate.confirm_destructive and self.tool.kind in confirm.DESTRUCTIVE_KINDS:
            message = confirm.question(self.tool.title, self.tool.name, client.backend, shown, self.tool.kind)
            await confirm.ask(self.mcp_context, message, self.tool.name)
        journal = self.gate.journal
        entry = WriteEntry(self.tool.name, tenant, request.method, shown["path"], shown) if journal else None
        if key is not None and self.gate.guard is not None:
            window = None if self.controls.allow_duplicate else self.gate.window
            together = journal is not None and self.gate.guard is journal  # claim and record in one trip
            try:
                if together:
                    earlier = await journal.claim(key, self.tool.name, window, record=entry)
                else:
                    earlier = await self.gate.guard.claim(key, self.tool.name, window)
            except GuardUnavailable as exc:
                logger.warning("%s sent without the duplicate guard: %s", self.tool.name, exc)
                _count_journal_error("claim")
            else:
                if earlier is not None:
                    raise refusal(earlier, self.tool.lookup, time.time())
                self.key = key
                if together:
                    self.entry, entry = entry, None
        if journal is not None and entry is not None and await journal.record(entry):
            self.entry = entry

    async def _preview_checks(self, key: str | None) -> None:
        if key is not None and self.gate.guard is not None:
            minutes = f"{self.gate.window / 60:g} min"
            try:
                earlier = await self.gate.guard.peek(key, self.gate.window)
            except GuardUnavailable:
                self.checked.append("duplicate check: unavailable (the guard's store could not be read)")
            else:
                if earlier is None:
                    self.checked.append(f"duplicate check: no identical create in the last {minutes}")
                elif self.controls.allow_duplicate:
                    self.checked.append(
                        f"duplicate check: an identical create was sent at {when(earlier.at)}; "
                        "allow_duplicate sends another"
                    )
                else:
                    earlier_text = describe_earlier(earlier, time.time())
                    self.checked.append(f"duplicate check: would be refused: {earlier_text}; see allow_duplicate")
        if self.gate.confirm_destructive and self.tool.kind in confirm.DESTRUCTIVE_KINDS:
            self.checked.append("confirmation: the person will be asked before it is sent")

    def preview(self, request: dict[str, Any] | None) -> Any:
        body: dict[str, Any] = {"tool": self.tool.name}
        if request is not None:
            body["request"] = request
        body["checked"] = self.checked
        body["confirm"] = confirm_lines(self.tool.kind, request)
        structured = {"preview": body}
        text = json.dumps(structured, ensure_ascii=False, separators=(",", ":"))
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)

    # -- settling -----------------------------------------------------------------------------------------------

    async def settle_success(self, result: BaseModel) -> None:
        await self._settle("succeeded", result_id(result), None)

    async def settle_error(self, exc: BaseException) -> None:
        if self.first is None:
            return  # nothing was sent: nothing to record, nothing claimed
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        # The first write's own rejection may be followed by reads that diagnose it (timesheets.rejection_hint).
        first_refused = isinstance(exc, UpstreamError) and (exc.method, exc.path) == (
            self.first.get("method"),
            self.first.get("path"),
        )
        if self.after_first and not first_refused:
            outcome, note = "succeeded", f"the write succeeded; a later request failed: {reason}"
        elif isinstance(exc, UpstreamError) and not exc.outcome_unknown:
            outcome, note = "failed", reason
        else:
            outcome, note = "unknown", reason
        await self._settle(outcome, None, self.client.redactor(note))

    async def _settle(self, outcome: str, upstream_id: str | None, note: str | None) -> None:
        journal, entry = self.gate.journal, self.entry
        if entry is not None:
            entry.outcome, entry.upstream_id, entry.note = outcome, upstream_id, note
        if self.key is not None and self.gate.guard is not None:
            together = journal is not None and entry is not None and self.gate.guard is journal
            try:
                if together:
                    await journal.settle(self.key, outcome, upstream_id, complete=entry)  # type: ignore[union-attr]
                    return
                await self.gate.guard.settle(self.key, outcome, upstream_id)
            except Exception as exc:  # noqa: BLE001 - a store failure must never fail the call
                logger.warning("duplicate guard settle failed: %s", exc)
                _count_journal_error("settle")
        if entry is not None and journal is not None:
            await journal.complete(entry)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def result_id(result: BaseModel) -> str | None:
    """The id of the record a write made or changed, from its result: `<record>_id` for the result model's record
    (`ExpenseClaim` -> expense_claim_id, `BudgetExpense` -> expense_id), else `id`, else the first `*_id`, looking
    one level into nested records (`{"person": {...}}`)."""
    data = result.model_dump(exclude_none=True)
    record = _snake(type(result).__name__)
    for layer in (data, *(v for v in data.values() if isinstance(v, dict))):
        ids = [k for k, v in layer.items() if (k == "id" or k.endswith("_id")) and isinstance(v, int | str)]
        if not ids:
            continue
        return str(layer[min(ids, key=lambda k: _id_rank(k, record))])
    return None


def _id_rank(key: str, record: str) -> int:
    if key == f"{record}_id":
        return 0
    if key != "id" and record.endswith(key[:-3]):
        return 1
    return 2 if key == "id" else 3
