"""Agent-facing errors. Each carries a message the model can act on: what failed, why, and what to do next.

They subclass the SDK's `ToolError` (an anticipated failure), and `server.ProjectOpsServer._call` turns every one
of them into an `isError` tool result. Anything else that escapes a handler is a bug: the agent sees a generic
message and the traceback goes to the server log.
"""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ToolError

# What is true after a failure, each fact in one wording.
NOTHING_WRITTEN = "Nothing was written."  # we refused the write before sending it
NOTHING_SENT = "Nothing was sent."  # the request never left this process
NOT_APPLIED = "It was not applied."  # the upstream refused the write
NOT_RETRIED = "It was NOT retried, to avoid writing it twice."  # a write whose outcome is unknown
NO_RECORD = "The record may not exist, or the upstream changed its format."  # a read answered without one


def compose(cause: str, *then: str | None, upstream: str = "") -> str:
    """The one shape of every error text: the cause, the upstream's own words in quotes, then one sentence per
    fact or next step ("Nothing was written.", "Fix it with X.", "Wait about 5 seconds, then try again.")."""
    text = cause + (f': "{upstream}"' if upstream else "")
    if not text.endswith((".", "?", "!")):
        text += "."
    return " ".join([text, *(step for step in then if step)])


class ProjectOpsError(ToolError):
    """Base of every anticipated, agent-facing failure."""

    kind = "error"


class InputError(ProjectOpsError):
    """An argument is wrong in a way the schema could not express (bad base64, a path outside the receipts dir)."""

    kind = "invalid_input"

    def __init__(self, field: str, problem: str, hint: str | None = None):
        self.field = field
        super().__init__(f"{field}: {problem}" + (f" {hint}" if hint else ""))


class PrerequisiteError(ProjectOpsError):
    """A write was refused before it was sent, because something it needs is missing. Names the tool that fixes it."""

    kind = "prerequisite"

    def __init__(self, message: str, *, fix_with: str | None = None):
        self.fix_with = fix_with
        fix = f"Fix it with {fix_with}." if fix_with and fix_with not in message else None
        super().__init__(compose(message, fix, NOTHING_WRITTEN))


class ConfigError(ProjectOpsError):
    """The server is not configured for what was asked (missing credentials, disallowed host)."""

    kind = "config"


class UpstreamError(ProjectOpsError):
    """The backend answered with an error, or could not be reached. The text is composed from its parts (`cause`,
    the `upstream` message, the `then` sentences); every copy (`with_hint`, `with_lookup`) keeps all of them,
    `retry_after` included."""

    kind = "upstream"

    def __init__(
        self,
        message: str,
        *,
        backend: str,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        outcome_unknown: bool = False,
        retry_after: float | None = None,
        upstream: str = "",
        then: tuple[str, ...] = (),
    ):
        self.cause = message
        self.backend = backend
        self.status = status
        self.method = method
        self.path = path
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after
        self.upstream = upstream
        self.then = then
        super().__init__(compose(message, *then, upstream=upstream))

    def with_hint(self, hint: str) -> UpstreamError:
        """The same error with one more next step (a resource's own advice, what was already written)."""
        return UpstreamError(
            self.cause,
            backend=self.backend,
            status=self.status,
            method=self.method,
            path=self.path,
            outcome_unknown=self.outcome_unknown,
            retry_after=self.retry_after,
            upstream=self.upstream,
            then=(*self.then, hint),
        )

    def with_lookup(self, lookup: str | None) -> UpstreamError:
        """The tool-level next step, given the tool that finds the records: where to check a write whose outcome is
        unknown, or where valid ids come from after a 404."""
        if lookup and self.outcome_unknown:
            return self.with_hint(f"Check with {lookup} whether it was applied before trying again.")
        if lookup and (self.status == 404 or NO_RECORD in self.then):
            return self.with_hint(f"Find valid ids with {lookup}.")
        return self
