"""Agent-facing errors. Each carries a message the model can act on: what failed, why, and what to do next.

They subclass the SDK's `ToolError` (an anticipated failure), and `server.ProjectOpsServer._call` turns every one
of them into an `isError` tool result. Anything else that escapes a handler is a bug: the agent sees a generic
message and the traceback goes to the server log.
"""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ToolError


class ProjectOpsError(ToolError):
    """Base of every anticipated, agent-facing failure."""

    kind = "error"


class InputError(ProjectOpsError):
    """An argument is wrong in a way the schema could not express (bad base64, a path outside the receipts dir)."""

    kind = "invalid_input"

    def __init__(self, field: str, problem: str, hint: str | None = None):
        self.field = field
        text = f"{field}: {problem}"
        if hint:
            text += f" {hint}"
        super().__init__(text)


class PrerequisiteError(ProjectOpsError):
    """A write was refused before it was sent, because something it needs is missing. Names the tool that fixes it."""

    kind = "prerequisite"

    def __init__(self, message: str, *, fix_with: str | None = None):
        self.fix_with = fix_with
        if fix_with and fix_with not in message:
            message += f" Fix it with {fix_with}."
        super().__init__(message + " Nothing was written.")


class ConfigError(ProjectOpsError):
    """The server is not configured for what was asked (missing credentials, disallowed host)."""

    kind = "config"


class UpstreamError(ProjectOpsError):
    """The backend answered with an error, or could not be reached."""

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
    ):
        self.backend = backend
        self.status = status
        self.method = method
        self.path = path
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after
        super().__init__(message)

    def with_hint(self, hint: str) -> UpstreamError:
        """The same error with a resource-specific next step appended (the server adds only per-tool hints)."""
        return UpstreamError(
            f"{self} {hint}",
            backend=self.backend,
            status=self.status,
            method=self.method,
            path=self.path,
            outcome_unknown=self.outcome_unknown,
            retry_after=self.retry_after,
        )
