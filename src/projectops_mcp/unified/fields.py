"""Fields, tags and ticket priorities (Ticketing): how tickets are classified.

Fields are Teamwork custom fields and the Projectworks custom fields in use (Projectworks has no definitions list:
projectworks_list_custom_fields gathers them from the records carrying a value); system fields are not listed, so
every field is `is_user_defined`. Tags are Teamwork's (Projectworks has none). Ticket priorities are the fixed set a
Teamwork task's `priority` takes (`teamwork.tasks.Priority`: none, low, medium, high); Teamwork has no endpoint for
them and Projectworks tasks have no priority."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from projectops_mcp.errors import InputError
from projectops_mcp.projectworks import custom_fields as pw_fields
from projectops_mcp.teamwork import custom_fields as tw_fields
from projectops_mcp.teamwork import tags as tw_tags
from projectops_mcp.teamwork.tasks import Priority
from projectops_mcp.toolkit import InputModel, ToolContext, tool
from projectops_mcp.unified._common import (
    Clients,
    Derived,
    GetResult,
    ListInput,
    ListResult,
    Record,
    Source,
    Stream,
    constant,
    from_native,
    id_text,
    mapping,
    shown,
    walk,
)
from projectops_mcp.unified._teamwork_only import TeamworkGetInput, TeamworkListInput, slice_page


class UnifiedField(Record):
    name: str | None = None
    description: str | None = None
    type: str | None = Field(None, description="the native value type")
    entity_type: str | None = Field(None, description="the kind of record it is on")
    is_user_defined: bool | None = None
    is_required: bool | None = None
    options: list[str] | None = Field(None, description="allowed values")
    collection_id: str | None = Field(None, description="set on a project-only field")


TEAMWORK_FIELD = mapping(
    "fields",
    "teamwork",
    "teamwork_list_custom_fields",
    UnifiedField,
    "custom_field_id",
    name="name",
    description="description",
    type="type",
    entity_type="entity",
    is_user_defined=constant(True),
    is_required="required",
    options="choices",
    collection_id=id_text("project_id"),
)
PROJECTWORKS_FIELD = mapping(
    "fields",
    "projectworks",
    "projectworks_list_custom_fields",
    UnifiedField,
    "field_id",
    name="name",
    type=Derived(
        "`multiselect` when a value seen is a list, else not known",
        lambda d: "multiselect" if d.get("multi_select") else None,
    ),
    entity_type="entity_type",
    is_user_defined=constant(True),
)


class ListFieldsInput(ListInput):
    entity_type: Literal["project", "task", "user"] | None = Field(
        None, description="only fields of this kind of record (both systems have these three)"
    )


@tool(
    name="unified_list_fields",
    title="List Fields (unified)",
    toolset="unified.ticketing",
    kind="read",
    description="List the custom fields of Teamwork and those in use in Projectworks as unified fields.",
)
async def list_fields(args: ListFieldsInput, clients: Clients, ctx: ToolContext) -> ListResult[UnifiedField]:
    only = [args.entity_type] if args.entity_type else None

    async def teamwork_page(page: int, size: int) -> Any:
        query = tw_fields.ListCustomFieldsInput(page=page, page_size=size, entities=only, include_raw=True)
        return from_native(
            await tw_fields.list_custom_fields.handler(query, clients.require("teamwork"), ctx), TEAMWORK_FIELD
        )

    async def projectworks_page(page: int, size: int) -> Any:
        query = pw_fields.ListCustomFieldsInput(page=page, page_size=size, entity_types=only, include_raw=True)
        return from_native(
            await pw_fields.list_custom_fields.handler(query, clients.require("projectworks"), ctx), PROJECTWORKS_FIELD
        )

    streams = [Stream("teamwork", teamwork_page), Stream("projectworks", projectworks_page)]
    return await walk(streams, args, ctx, clients=clients)


class GetFieldInput(InputModel):
    source: Source = Field(description="the field's system")
    id: int = Field(gt=0, description="from unified_list_fields")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")


@tool(
    name="unified_get_field",
    title="Get Field (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_fields",
    description="Get one Teamwork custom field or Projectworks custom field in use as a unified field.",
)
async def get_field(args: GetFieldInput, clients: Clients, ctx: ToolContext) -> GetResult[UnifiedField]:
    if args.source == "teamwork":
        query = tw_fields.CustomFieldIdInput(custom_field_id=args.id, include_raw=True)
        found = await tw_fields.get_custom_field.handler(query, clients.require("teamwork"), ctx)
        return GetResult(result=shown(TEAMWORK_FIELD.build(found, found.raw), args))
    pw = clients.require("projectworks")
    page = await pw_fields.list_custom_fields.handler(
        pw_fields.ListCustomFieldsInput(page_size=500, include_raw=True), pw, ctx
    )
    for seen in page.items:
        if seen.field_id == args.id:
            return GetResult(result=shown(PROJECTWORKS_FIELD.build(seen, seen.raw), args))
    raise InputError(
        "id",
        f"no Projectworks record carries custom field {args.id}.",
        "Fields in use: unified_list_fields (a field without any value is not visible through the API).",
    )


# ---------------------------------------------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------------------------------------------


class Tag(Record):
    name: str | None = None
    color: str | None = None
    collection_id: str | None = Field(None, description="set on a project-only tag")


TEAMWORK_TAG = mapping(
    "tags",
    "teamwork",
    "teamwork_list_tags",
    Tag,
    "tag_id",
    name="name",
    color="color",
    collection_id=id_text("project_id"),
)


class ListTagsInput(TeamworkListInput):
    search: str | None = Field(None, min_length=1, description="text in the name")


@tool(
    name="unified_list_tags",
    title="List Tags (unified)",
    toolset="unified.ticketing",
    kind="read",
    description="List Teamwork tags as unified tags.",
)
async def list_tags(args: ListTagsInput, clients: Clients, ctx: ToolContext) -> ListResult[Tag]:
    async def teamwork_page(page: int, size: int) -> Any:
        query = tw_tags.ListTagsInput(page=page, page_size=size, search=args.search, include_raw=True)
        return from_native(await tw_tags.list_tags.handler(query, clients.require("teamwork"), ctx), TEAMWORK_TAG)

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)


class GetTagInput(TeamworkGetInput):
    id: int = Field(gt=0, description="from unified_list_tags")


@tool(
    name="unified_get_tag",
    title="Get Tag (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_tags",
    description="Get one Teamwork tag as a unified tag.",
)
async def get_tag(args: GetTagInput, clients: Clients, ctx: ToolContext) -> GetResult[Tag]:
    found = await tw_tags.get_tag.handler(
        tw_tags.GetTagInput(tag_id=args.id, include_raw=True), clients.require("teamwork"), ctx
    )
    return GetResult(result=shown(TEAMWORK_TAG.build(found, found.raw), args))


# ---------------------------------------------------------------------------------------------------------------
# Ticket priorities: the fixed set of a Teamwork task's priority
# ---------------------------------------------------------------------------------------------------------------

PRIORITIES: tuple[str, ...] = get_args(Priority)  # lowest first


class TicketPriority(Record):
    name: str | None = None
    rank: int | None = Field(None, description="0 lowest")


TEAMWORK_PRIORITY = mapping(
    "ticket priorities",
    "teamwork",
    "teamwork_list_tasks",
    TicketPriority,
    "priority",
    name="priority",
    rank=Derived("position in none, low, medium, high (from 0)", lambda d: PRIORITIES.index(d["priority"])),
)


@tool(
    name="unified_list_ticket_priorities",
    title="List Ticket Priorities (unified)",
    toolset="unified.ticketing",
    kind="read",
    description="List the priorities a Teamwork task can have (a fixed set).",
)
async def list_ticket_priorities(
    args: TeamworkListInput, clients: Clients, ctx: ToolContext
) -> ListResult[TicketPriority]:
    async def teamwork_page(page: int, size: int) -> Any:
        records, has_more = slice_page(PRIORITIES, page, size)
        return [TEAMWORK_PRIORITY.build({"priority": p}) for p in records], has_more, []

    return await walk([Stream("teamwork", teamwork_page)], args, ctx, clients=clients)


class GetPriorityInput(TeamworkGetInput):
    id: Priority = Field(description="from unified_list_ticket_priorities")


@tool(
    name="unified_get_ticket_priority",
    title="Get Ticket Priority (unified)",
    toolset="unified.ticketing",
    kind="read",
    lookup="unified_list_ticket_priorities",
    description="Get one Teamwork task priority as a unified ticket priority.",
)
async def get_ticket_priority(args: GetPriorityInput, clients: Clients, ctx: ToolContext) -> GetResult[TicketPriority]:
    clients.require("teamwork")
    return GetResult(result=TEAMWORK_PRIORITY.build({"priority": args.id}))
