"""Ticket writes: `unified_create_ticket` and `unified_update_ticket` route to the native tools' handlers
(teamwork_create_task, teamwork_update_task, teamwork_complete_task, ..., projectworks_create_task,
projectworks_update_task, projectworks_update_task_user). Each native input is validated by the native tool's own
validation first, so every native refusal applies and names the native field; `native` passes arguments the
unified model has no name for (a Teamwork priority, a Projectworks task type)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, PrerequisiteError, ProjectOpsError
from projectops_mcp.projectworks import known_ids
from projectops_mcp.projectworks import tasks as pw_tasks
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.teamwork import milestones as tw_milestones
from projectops_mcp.teamwork import tasks as tw_tasks
from projectops_mcp.toolkit import InputModel, Tool, ToolContext, tool
from projectops_mcp.unified._common import Clients, GetResult, Source, native_input, native_names
from projectops_mcp.unified.tickets import (
    CLOSED_WORDS,
    PROJECTWORKS_TASK,
    TEAMWORK_TASK,
    Ticket,
    TicketType,
    fetch_ticket,
)

NativeArguments = dict[str, Any]


class CreateTicketInput(InputModel):
    source: Source = Field(description="where to create it")
    collection_id: int = Field(gt=0, description="a tasklist or module, from unified_list_collections")
    name: str = Field(min_length=1, max_length=200, description="title")
    description: str | None = Field(None, max_length=50_000, description="teamwork only")
    start_date: date | None = Field(None, description="first day")
    due_date: date | None = Field(None, description="last day")
    assignee_ids: list[int] | None = Field(None, max_length=100, description="teamwork only; from unified_list_users")
    native: NativeArguments | None = Field(None, description="more arguments of the native create tool")


async def _run(native: Tool, values: dict[str, Any], extra: NativeArguments | None, client: Any, ctx: ToolContext,
               renamed: dict[str, str]) -> Any:  # fmt: skip
    """Validate as the native tool does, then run its handler."""
    args = native_input(native, values, extra, renamed)
    with native_names(native, renamed):
        return await native.handler(args, client, ctx)


@tool(
    name="unified_create_ticket",
    title="Create Ticket",
    toolset="unified.ticketing",
    kind="create",
    lookup="unified_list_tickets",
    description="Create a Teamwork task in a task list or a Projectworks task in a module.",
)
async def create_ticket(args: CreateTicketInput, clients: Clients, ctx: ToolContext) -> GetResult[Ticket]:
    if args.source == "teamwork":
        tw = clients.require("teamwork")
        values = {
            "tasklist_id": args.collection_id,
            "name": args.name,
            "description": args.description,
            "start_date": args.start_date,
            "due_date": args.due_date,
            "assignee_user_ids": args.assignee_ids,
        }
        renamed = {"tasklist_id": "collection_id", "assignee_user_ids": "assignee_ids"}
        task = await _run(tw_tasks.create_task, values, args.native, tw, ctx, renamed)
        return GetResult(result=TEAMWORK_TASK.build(task))
    for name in ("description", "assignee_ids"):
        if getattr(args, name) is not None:
            fix = " Assign users afterwards with unified_update_ticket." if name == "assignee_ids" else ""
            raise InputError(name, "Projectworks tasks take no " + name.replace("_", " ") + "; nothing was sent.", fix)
    pw = clients.require("projectworks")
    values = {"module_id": args.collection_id, "task_name": args.name, "start_date": args.start_date,
              "end_date": args.due_date}  # fmt: skip
    renamed = {"module_id": "collection_id", "task_name": "name", "end_date": "due_date"}
    task = await _run(pw_tasks.create_task, values, args.native, pw, ctx, renamed)
    return GetResult(result=PROJECTWORKS_TASK.build(task))


class UpdateTicketInput(InputModel):
    source: Source = Field(description="the ticket's system")
    id: int = Field(gt=0, description="from unified_list_tickets")
    type: TicketType = Field("task", description="milestone only in teamwork")
    status: Literal["open", "closed"] | None = Field(None, description="closed completes it, open reopens it")
    assignee_ids: list[int] | None = Field(None, max_length=100, description="replace them; from unified_list_users")
    due_date: date | None = Field(None, description="last day")
    native: NativeArguments | None = Field(None, description="more arguments of the native update tool")

    @model_validator(mode="after")
    def _something_and_a_real_type(self) -> UpdateTicketInput:
        if self.type == "milestone" and self.source != "teamwork":
            raise ValueError("only Teamwork has milestones: use type task for projectworks")
        if self.status is None and self.assignee_ids is None and self.due_date is None and not self.native:
            raise ValueError("nothing to change: give status, assignee_ids, due_date or native")
        return self


class PartlyApplied(ProjectOpsError):
    """A later step of a multi-step update failed after an earlier one was applied."""

    kind = "upstream"


@tool(
    name="unified_update_ticket",
    title="Update Ticket",
    toolset="unified.ticketing",
    kind="update",
    lookup="unified_get_ticket",
    description="Change a ticket's status, assignees or due date in its own system.",
)
async def update_ticket(args: UpdateTicketInput, clients: Clients, ctx: ToolContext) -> GetResult[Ticket]:
    if args.source == "projectworks":
        steps = await _projectworks_steps(args, clients.require("projectworks"), ctx)
    else:
        steps = _teamwork_steps(args, clients.require("teamwork"), ctx)
    prepared = [(what, native, native_input(native, values, extra, renamed), client)
                for what, native, values, extra, renamed, client in steps]  # fmt: skip
    renamed_of = {native.name: renamed for _, native, _, _, renamed, _ in steps}
    done: list[str] = []
    for what, native, native_args, client in prepared:
        try:
            with native_names(native, renamed_of[native.name]):
                await native.handler(native_args, client, ctx)
        except ProjectOpsError as exc:
            if not done:
                raise
            raise PartlyApplied(
                f"{native.name} failed after {' and '.join(done)} {'was' if len(done) == 1 else 'were'} applied: "
                f"{exc} Check the ticket with unified_get_ticket before trying the rest again."
            ) from exc
        done.append(what)
    ticket = await fetch_ticket(clients, ctx, args.source, args.type, args.id)
    ticket.remote_data = None
    return GetResult(result=ticket)


Step = tuple[str, Tool, dict[str, Any], NativeArguments | None, dict[str, str], Any]


def _teamwork_steps(args: UpdateTicketInput, tw: Any, ctx: ToolContext) -> list[Step]:
    """The field changes first (their prerequisite checks run before anything is written), then the status."""
    steps: list[Step] = []
    milestone = args.type == "milestone"
    key = "milestone_id" if milestone else "task_id"
    if args.assignee_ids is not None or args.due_date is not None or args.native:
        if milestone:
            values = {key: args.id, "deadline": args.due_date, "responsible_user_ids": args.assignee_ids}
            renamed = {"deadline": "due_date", "responsible_user_ids": "assignee_ids", key: "id"}
            steps.append(("the field changes", tw_milestones.update_milestone, values, args.native, renamed, tw))
        else:
            values = {key: args.id, "due_date": args.due_date, "assignee_user_ids": args.assignee_ids}
            renamed = {"assignee_user_ids": "assignee_ids", key: "id"}
            steps.append(("the field changes", tw_tasks.update_task, values, args.native, renamed, tw))
    if args.status is not None:
        module: Any = tw_milestones if milestone else tw_tasks
        verb = "complete" if args.status == "closed" else "reopen"
        native = getattr(module, f"{verb}_{args.type}")
        steps.append((f"the status change ({verb})", native, {key: args.id}, None, {key: "id"}, tw))
    return steps


async def _projectworks_steps(args: UpdateTicketInput, pw: ProjectworksClient, ctx: ToolContext) -> list[Step]:
    """One PATCH for the due date, status and native fields; then each assignee added or made inactive."""
    steps: list[Step] = []
    values: dict[str, Any] = {"task_id": args.id, "end_date": args.due_date}
    if args.status is not None and "status_id" not in (args.native or {}):
        values["status_id"] = await _projectworks_status_id(pw, args.status)
    if args.due_date is not None or args.native or args.status is not None:
        renamed = {"end_date": "due_date", "task_id": "id", "status_id": "status"}
        steps.append(("the task changes", pw_tasks.update_task, values, args.native, renamed, pw))
    if args.assignee_ids is not None:
        current = await pw_tasks.get_task.handler(pw_tasks.GetTaskInput(task_id=args.id), pw, ctx)
        now, wanted = set(current.user_ids or []), set(args.assignee_ids)
        for user_id, active in [(u, True) for u in sorted(wanted - now)] + [(u, False) for u in sorted(now - wanted)]:
            what = f"{'assigning' if active else 'unassigning'} user {user_id}"
            values = {"task_id": args.id, "user_id": user_id, "is_active": active}
            steps.append((what, pw_tasks.update_task_user, values, None, {"user_id": "assignee_ids"}, pw))
    return steps


async def _projectworks_status_id(pw: ProjectworksClient, status: str) -> int:
    """The account's task status that means `status`: the most used one whose name says closed (or does not)."""
    known = await known_ids.known(pw, "task_status")
    fitting = [
        (count, status_id)
        for status_id, (name, count, _) in known.ids.items()
        if name and any(w in name.lower() for w in CLOSED_WORDS) == (status == "closed")
    ]
    if not fitting:
        raise PrerequisiteError(
            f"status: no Projectworks task status in use means '{status}' (known: {known.describe() or 'none'}); "
            'pass native: {"status_id": <id>} instead.',
            fix_with=known_ids.LOOKUP,
        )
    return max(fitting)[1]
