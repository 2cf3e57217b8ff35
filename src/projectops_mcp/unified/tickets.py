"""Tickets (Ticketing): Teamwork tasks and milestones (`type`), Projectworks tasks. Reads here; the writes that
route to the native tools are in ticket_writes.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.projectworks import tasks as pw_tasks
from projectops_mcp.teamwork import milestones as tw_milestones
from projectops_mcp.teamwork import tasks as tw_tasks
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    Derived,
    GetResult,
    ListInput,
    ListResult,
    Record,
    Source,
    constant,
    id_text,
    ids_text,
    mapping,
    native_stream,
    shown,
    walk,
)

TicketType = Literal["task", "milestone"]
CLOSED_WORDS = ("complete", "closed", "done", "finished", "cancel")


class Ticket(Record):
    type: TicketType
    name: str | None = None
    description: str | None = None
    status: Literal["open", "closed"] | None = None
    native_status: str | None = Field(None, description="the status word of the source system")
    priority: str | None = None
    start_date: str | None = None
    due_date: str | None = None
    assignee_ids: list[str] | None = Field(None, description="user ids in the same source")
    collection_id: str | None = Field(None, description="from unified_list_collections")
    collection_type: str | None = None
    project_id: str | None = None
    parent_id: str | None = None
    tag_ids: list[str] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    completed_at: str | None = None


def _teamwork_status(data: dict[str, Any]) -> str:
    return "closed" if data.get("status") in ("completed", "deleted") or data.get("completed") else "open"


def _projectworks_status(data: dict[str, Any]) -> str | None:
    word = (data.get("status") or "").lower()
    if not word:
        return None
    return "closed" if any(w in word for w in CLOSED_WORDS) else "open"


TEAMWORK_STATUS = Derived("`closed` if status is completed or deleted, else `open`", _teamwork_status)

TEAMWORK_TASK = mapping(
    "tickets",
    "teamwork",
    "teamwork_list_tasks",
    Ticket,
    "task_id",
    type=constant("task"),
    name="name",
    description="description",
    status=TEAMWORK_STATUS,
    native_status="status",
    priority="priority",
    start_date="start_date",
    due_date="due_date",
    assignee_ids=ids_text("assignee_user_ids"),
    collection_id=id_text("tasklist_id"),
    collection_type=constant("tasklist"),
    parent_id=id_text("parent_task_id"),
    tag_ids=ids_text("tag_ids"),
    created_at="created_at",
    updated_at="updated_at",
    completed_at="completed_at",
)
TEAMWORK_MILESTONE = mapping(
    "tickets",
    "teamwork",
    "teamwork_list_milestones",
    Ticket,
    "milestone_id",
    type=constant("milestone"),
    name="name",
    description="description",
    status=TEAMWORK_STATUS,
    native_status="status",
    due_date="deadline",
    assignee_ids=ids_text("responsible_user_ids"),
    collection_id=id_text("project_id"),
    collection_type=constant("project"),
    project_id=id_text("project_id"),
    tag_ids=ids_text("tag_ids"),
    created_at="created_at",
    updated_at="updated_at",
    completed_at="completed_at",
)
PROJECTWORKS_TASK = mapping(
    "tickets",
    "projectworks",
    "projectworks_list_tasks",
    Ticket,
    "task_id",
    type=constant("task"),
    name="name",
    status=Derived(f"`closed` if status contains {'/'.join(CLOSED_WORDS)}, else `open`", _projectworks_status),
    native_status="status",
    start_date="start_date",
    due_date="end_date",
    assignee_ids=ids_text("user_ids"),
    collection_id=id_text("module_id"),
    collection_type=constant("module"),
    project_id=id_text("project_id"),
    updated_at="modified_at",
)


class ListTicketsInput(ListInput):
    type: TicketType | None = Field(None, description="only tasks or only milestones")
    project_id: int | None = Field(None, gt=0, description="with source; from unified_list_collections")
    include_completed: bool = Field(False, description="also closed tickets")
    updated_after: datetime | None = Field(None, description="changed after this date-time")

    @model_validator(mode="after")
    def _project_needs_source(self) -> ListTicketsInput:
        if self.project_id is not None and self.source is None:
            raise ValueError("project_id is an id of one system: give source as well")
        return self


def _kept(ticket: Ticket, args: ListTicketsInput) -> bool:
    """The filters a native list cannot apply itself (milestones have no completed or date filter)."""
    if not args.include_completed and ticket.status == "closed":
        return False
    if args.updated_after and ticket.updated_at:
        try:
            return utc(datetime.fromisoformat(ticket.updated_at.replace("Z", "+00:00"))) > utc(args.updated_after)
        except ValueError:
            return True
    return True


def utc(moment: datetime) -> datetime:
    """A date-time without a zone is UTC (Projectworks' ModifiedDateUTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@tool(
    name="unified_list_tickets",
    title="List Tickets (both systems)",
    toolset="unified.ticketing",
    kind="read",
    description="List Teamwork tasks and milestones and Projectworks tasks as tickets.",
)
async def list_tickets(args: ListTicketsInput, clients: Clients, ctx: ToolContext) -> ListResult[Ticket]:
    def keep(ticket: Ticket) -> bool:
        return _kept(ticket, args)

    streams = [
        native_stream(clients, ctx, tw_tasks.list_tasks, TEAMWORK_TASK, kind="task", keep=keep,
                      project_id=args.project_id, include_completed=args.include_completed,
                      updated_after=args.updated_after),
        native_stream(clients, ctx, tw_milestones.list_milestones, TEAMWORK_MILESTONE, kind="milestone", keep=keep,
                      project_id=args.project_id),
        native_stream(clients, ctx, pw_tasks.list_tasks, PROJECTWORKS_TASK, kind="task", keep=keep,
                      project_id=args.project_id, modified_since_date=args.updated_after),
    ]  # fmt: skip
    return await walk([s for s in streams if args.type in (None, s.kind)], args, ctx, clients=clients)


class GetTicketInput(InputModel):
    source: Source = Field(description="the ticket's system")
    id: int = Field(gt=0, description="from unified_list_tickets")
    type: TicketType = Field("task", description="milestone only in teamwork")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")

    @model_validator(mode="after")
    def _milestones_are_teamwork(self) -> GetTicketInput:
        if self.type == "milestone" and self.source != "teamwork":
            raise ValueError("only Teamwork has milestones: use type task for projectworks")
        return self


@tool(
    name="unified_get_ticket",
    title="Get Ticket (either system)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_tickets",
    description="Get one Teamwork task or milestone or Projectworks task as a ticket.",
)
async def get_ticket(args: GetTicketInput, clients: Clients, ctx: ToolContext) -> GetResult[Ticket]:
    return GetResult(result=shown(await fetch_ticket(clients, ctx, args.source, args.type, args.id), args))


async def fetch_ticket(clients: Clients, ctx: ToolContext, source: Source, kind: str, ticket_id: int) -> Ticket:
    if source == "teamwork" and kind == "milestone":
        tw = clients.require("teamwork")
        query = tw_milestones.GetMilestoneInput(milestone_id=ticket_id, include_raw=True)
        found = await tw_milestones.get_milestone.handler(query, tw, ctx)
        return TEAMWORK_MILESTONE.build(found, found.raw)
    if source == "teamwork":
        tw = clients.require("teamwork")
        task = await tw_tasks.get_task.handler(tw_tasks.GetTaskInput(task_id=ticket_id, include_raw=True), tw, ctx)
        return TEAMWORK_TASK.build(task, task.raw)
    pw = clients.require("projectworks")
    task = await pw_tasks.get_task.handler(pw_tasks.GetTaskInput(task_id=ticket_id, include_raw=True), pw, ctx)
    return PROJECTWORKS_TASK.build(task, task.raw)
