"""Asking the person before a destructive write (PROJECTOPS_CONFIRM_DESTRUCTIVE=1): deletes and full replacements.

The question goes out through MCP elicitation as SDK 2.3 does it for the negotiated protocol, by its resolver
machinery (`Resolve` + `Elicit`): on 2026-07-28 connections the call answers with an `InputRequiredResult` and the
client re-sends it with the person's answer (the handler then runs again up to the same write); on handshake-era
connections the question is a server-to-client request mid-call. It is asked at the first write, after validation
and prerequisite checks, so the person is never asked about something that would be refused anyway.
Declined, cancelled, or a client that cannot be asked (no elicitation capability, no back-channel): nothing is
sent, and the error says why and how to proceed.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.elicitation import AcceptedElicitation, CancelledElicitation
from mcp.server.mcpserver import Elicit, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import build_resolver_plans, resolve_arguments
from mcp.shared.exceptions import MCPError
from mcp.types import InputRequiredResult
from pydantic import BaseModel, Field

from projectops_mcp.errors import ProjectOpsError

DESTRUCTIVE_KINDS = ("delete", "replace")
_BODY_SHOWN = 400


class Confirmation(BaseModel):
    confirm: bool = Field(description="Send this change")


class NotConfirmed(ProjectOpsError):
    """The person declined or cancelled, or could not be asked: nothing was sent."""

    kind = "not_confirmed"


class NeedsInput(Exception):  # noqa: N818 - a control-flow signal
    """The client must answer a question first (2026-07-28): the call returns `result` and is sent again."""

    def __init__(self, result: InputRequiredResult):
        super().__init__("input required")
        self.result = result


def question(title: str, tool: str, backend: str, request: dict[str, Any], kind: str) -> str:
    what = (
        "This deletes the record permanently; it cannot be undone."
        if kind == "delete"
        else "This replaces the whole record: fields not given are cleared."
    )
    text = f"{title} ({tool}): {request['method']} {request['path']} on {backend}. {what}"
    if "body" in request:
        body = json.dumps(request["body"], ensure_ascii=False, separators=(", ", ": "))
        text += " New values: " + (body if len(body) <= _BODY_SHOWN else body[: _BODY_SHOWN - 3] + "...")
    return text + " Send it?"


async def ask(mcp_context: Any, message: str, tool: str) -> None:
    """Returns when the person accepted; raises NotConfirmed (nothing sent) or NeedsInput (ask, then re-run)."""
    if mcp_context is None:
        raise _unsupported(tool, "there is no client session to ask through")

    async def confirm_destructive_write() -> Elicit[Confirmation]:
        return Elicit(message, Confirmation)

    resolved = {"confirmation": (Resolve(confirm_destructive_write), True)}
    try:
        outcome = await resolve_arguments(resolved, build_resolver_plans(resolved, set()), {}, mcp_context)
    except MCPError as exc:  # no elicitation capability, or no back-channel (stateless / JSON-response HTTP)
        raise _unsupported(tool, f"the client cannot be asked ({exc.message})") from None
    except ToolError as exc:  # an answer that does not fit the question
        raise NotConfirmed(f"The confirmation answer was not usable ({exc}); nothing was sent. Call again.") from None
    if isinstance(outcome, InputRequiredResult):
        raise NeedsInput(outcome)
    answer = outcome["confirmation"]
    if isinstance(answer, AcceptedElicitation) and answer.data.confirm:
        return
    if isinstance(answer, CancelledElicitation):
        raise NotConfirmed(
            f"The person dismissed the confirmation for {tool}; nothing was sent. Ask them in the conversation "
            "whether to go ahead, then call again (they will be asked once more)."
        )
    raise NotConfirmed(f"The person declined {tool}; nothing was sent. Do not retry unless they ask for it again.")


def _unsupported(tool: str, why: str) -> NotConfirmed:
    return NotConfirmed(
        f"{tool} needs the person's confirmation on this server (PROJECTOPS_CONFIRM_DESTRUCTIVE), but {why}; "
        "nothing was sent. Use a client that supports MCP elicitation, or ask the operator to turn the setting off."
    )
