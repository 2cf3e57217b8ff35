"""Custom field values on clients, projects, modules, tasks and users.

Projectworks has no endpoint listing custom-field definitions: field ids are read from the `CustomFields` of a
record fetched with `include_custom_fields=true` (e.g. projectworks_list_projects). The write is
`PUT /{Clients|Projects|Modules|Tasks|Users}/{id}/Fields` with a BARE JSON array body (no wrapper object).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from projectops_mcp.errors import UpstreamError
from projectops_mcp.models import no_duplicates, without_none
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

EntityType = Literal["client", "project", "module", "task", "user"]

# entity_type -> (path segment, the list tool that finds that entity's ids and shows its custom fields)
ENTITIES: dict[str, tuple[str, str]] = {
    "client": ("Clients", "projectworks_list_clients"),
    "project": ("Projects", "projectworks_list_projects"),
    "module": ("Modules", "projectworks_list_modules"),
    "task": ("Tasks", "projectworks_list_tasks"),
    "user": ("Users", "projectworks_list_users"),
}


class CustomFieldValue(OutputModel):
    """One custom field value as a record carries it (read with include_custom_fields=true)."""

    field_id: int | None = None
    name: str | None = None
    value: str | None = None
    multi_select_values: list[str] | None = None


def to_custom_fields(record: dict[str, Any]) -> list[CustomFieldValue] | None:
    """The record's CustomFields list, trimmed; None when the record was read without custom fields."""
    values = pick(record, "CustomFields")
    if not isinstance(values, list):
        return None
    return [
        CustomFieldValue(
            field_id=pick(v, "FieldID", "CustomFieldID", "ID"),
            name=pick(v, "Name", "FieldName"),
            value=_text(pick(v, "Value")),
            multi_select_values=pick(v, "MultiSelectValues"),
        )
        for v in values
        if isinstance(v, dict)
    ]


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)


class FieldInput(InputModel):
    field_id: int = Field(
        gt=0,
        description="Custom field id: the FieldID in the record's custom_fields (projectworks_list_projects etc. "
        "with include_custom_fields=true).",
    )
    value: str | None = Field(
        None, description="The value as text ('42', 'true', '2026-12-01'); '' clears it. Not for multi-select."
    )
    multi_select_values: list[str] | None = Field(
        None, description="For a multi-select field: the full set of selected options."
    )

    @model_validator(mode="after")
    def _exactly_one_value(self) -> FieldInput:
        if (self.value is None) == (self.multi_select_values is None):
            raise ValueError(f"field {self.field_id}: give exactly one of value or multi_select_values")
        return self


class SetCustomFieldsInput(InputModel):
    entity_type: EntityType = Field(description="Which kind of record the values belong to.")
    entity_id: int = Field(
        gt=0,
        description="from projectworks_list_clients, projectworks_list_projects, projectworks_list_modules, "
        "projectworks_list_tasks or projectworks_list_users (by entity_type)",
    )
    fields: list[FieldInput] = Field(min_length=1, max_length=100, description="The values to set.")

    @field_validator("fields")
    @classmethod
    def _distinct_fields(cls, fields: list[FieldInput]) -> list[FieldInput]:
        no_duplicates([f.field_id for f in fields], "field_id")
        return fields


class FieldSet(OutputModel):
    field_id: int
    value: str | None = None
    multi_select_values: list[str] | None = None


class CustomFieldsSet(OutputModel):
    entity_type: str
    entity_id: int
    fields: list[FieldSet]
    updated: bool = True


@tool(
    name="projectworks_set_custom_fields",
    title="Set Custom Fields",
    toolset="projectworks.custom_fields",
    kind="put",
    description="Set custom field values on a client, project, module, task or user; field ids come from a record read"
    " with include_custom_fields=true.",
)
async def set_custom_fields(args: SetCustomFieldsInput, pw: ProjectworksClient, ctx: ToolContext) -> CustomFieldsSet:
    segment, lookup = ENTITIES[args.entity_type]
    # Only the key the agent chose is sent per item (value or multiSelectValues), as Autohive passes items through.
    body = [
        without_none(fieldID=f.field_id, value=f.value, multiSelectValues=f.multi_select_values) for f in args.fields
    ]
    try:
        await pw.put(f"/{segment}/{args.entity_id}/Fields", body)  # the answer carries nothing we need
    except UpstreamError as exc:
        if exc.status == 404:
            raise exc.with_hint(f"Find valid {args.entity_type} ids with {lookup}.") from None
        raise
    return CustomFieldsSet(
        entity_type=args.entity_type,
        entity_id=args.entity_id,
        fields=[
            FieldSet(field_id=f.field_id, value=f.value, multi_select_values=f.multi_select_values) for f in args.fields
        ],
    )
