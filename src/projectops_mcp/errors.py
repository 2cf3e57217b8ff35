"""Agent-facing errors. Each carries a message the model can act on: what failed, why, and what to do next.

They subclass the SDK's `ToolError` (an anticipated failure), and `server.ProjectOpsServer._call` turns every one
of them into an `isError` tool result. Anything else that escapes a handler is a bug: the agent sees a generic
message and the traceback goes to the server log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from mcp.server.mcpserver.exceptions import ToolError

# What is true after a failure, each fact in one wording.
NOTHING_WRITTEN = "Nothing was written."  # we refused the write before sending it
NOTHING_SENT = "Nothing was sent."  # the request never left this process
NOT_APPLIED = "It was not applied."  # the upstream refused the write
NOT_RETRIED = "It was NOT retried, to avoid writing it twice."  # a write whose outcome is unknown
NO_RECORD = "The record may not exist, or the upstream changed its format."  # a read answered without one
CHECK_ARGUMENTS = "Check the arguments and try again."  # a rejection whose failing field is not known


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
        return self._with_then((*self.then, hint))

    def _with_then(self, then: tuple[str, ...]) -> UpstreamError:
        return type(self)(
            self.cause,
            backend=self.backend,
            status=self.status,
            method=self.method,
            path=self.path,
            outcome_unknown=self.outcome_unknown,
            retry_after=self.retry_after,
            upstream=self.upstream,
            then=then,
        )

    def with_lookup(self, lookup: str | None, finders: Mapping[str, str] | None = None) -> UpstreamError:
        """The tool-level next step, given the tool that finds the records: where to check a write whose outcome is
        unknown, or where valid ids come from after a 404. A rejection whose upstream message names an argument
        (`finders`: argument -> the tool that lists its valid values) names that tool instead of a generic step."""
        finders = finders or {}
        field = failing_field(self.upstream, finders) if CHECK_ARGUMENTS in self.then else None
        if field:
            then = tuple(step for step in self.then if step != CHECK_ARGUMENTS)
            hint = f"The rejected argument looks like {field}: find valid values with {finders[field]}."
            return self._with_then((*then, hint))
        if lookup and self.outcome_unknown:
            return self.with_hint(f"Check with {lookup} whether it was applied before trying again.")
        if lookup and (self.status == 404 or NO_RECORD in self.then):
            return self.with_hint(f"Find valid ids with {lookup}.")
        return self


class RequestBudgetSpent(UpstreamError):
    """The call used its request budget (`Call.max_upstream_requests`): the client refused to send the next request.
    Nothing about the upstream is wrong; a tool that gathers many reads turns this into a partial answer
    (`unified/_gather.py`)."""


def failing_field(upstream: str, fields: Iterable[str]) -> str | None:
    """The argument an upstream rejection names first ("Module 9 is not a module of project 3" -> module_id;
    "model.moduleID" -> module_id), or None. Matches the argument's name (`module_id`, `moduleID`) or its noun."""
    squashed = upstream.lower().replace("_", "")
    found: list[tuple[int, str]] = []
    for field in fields:
        noun = field.removesuffix("_id").replace("_", " ")
        spots = [squashed.find(field.replace("_", ""))]
        spots += [m.start() for m in re.finditer(rf"\b{re.escape(noun)}\b", upstream.lower())][:1]
        spots = [spot for spot in spots if spot >= 0]
        if spots:
            found.append((min(spots), field))
    return min(found)[1] if found else None
