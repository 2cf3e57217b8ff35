"""Custom field values on clients, projects, modules, tasks and users.

Projectworks has no endpoint listing custom-field definitions: field ids are read from the `CustomFields` of a
record fetched with `include_custom_fields=true` (e.g. projectworks_list_projects), and
projectworks_list_custom_fields gathers the distinct ones from every record of each kind. The write is
`PUT /{Clients|Projects|Modules|Tasks|Users}/{id}/Fields` with a BARE JSON array body (no wrapper object).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from projectops_mcp.errors import UpstreamError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord, no_duplicates, page_of, without_none
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
    forget_fields_in_use(pw, args.entity_type)
    return CustomFieldsSet(
        entity_type=args.entity_type,
        entity_id=args.entity_id,
        fields=[
            FieldSet(field_id=f.field_id, value=f.value, multi_select_values=f.multi_select_values) for f in args.fields
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
# The custom fields in use (no definitions endpoint: gathered from the records that carry them)
# ---------------------------------------------------------------------------------------------------------------


SCAN_PAGE_SIZE = 500  # the largest page a list tool asks for (the API's own maximum is not documented)


class CustomFieldSeen(OutputModel):
    field_id: int
    name: str | None = None
    entity_type: EntityType
    multi_select: bool | None = Field(None, description="true when a value seen is a multi-select list")
    records_with_value: int = Field(description="records of entity_type carrying it")
    raw: RawRecord = None


class ListCustomFieldsInput(PageInput):
    entity_types: list[EntityType] | None = Field(None, min_length=1, description="default all five")
    include_raw: IncludeRaw = False


async def fields_in_use(pw: ProjectworksClient, entity_type: str) -> list[dict[str, Any]]:
    """The distinct custom fields on the records of one entity type (every page, SCAN_PAGE_SIZE records each),
    each as its first value entry plus `EntityType` and `RecordsWithValue`; cached per account like other
    reference data."""

    async def load() -> list[dict[str, Any]]:
        segment = ENTITIES[entity_type][0]
        seen: dict[int, dict[str, Any]] = {}
        page = 1
        while True:
            records, has_more = await pw.list(
                f"/{segment}", {"IncludeCustomFields": True}, page=page, page_size=SCAN_PAGE_SIZE
            )
            for record in records:
                for value in pick(record, "CustomFields") or []:
                    field_id = pick(value, "FieldID", "CustomFieldID", "ID") if isinstance(value, dict) else None
                    if not isinstance(field_id, int):
                        continue
                    entry = seen.setdefault(field_id, {**value, "EntityType": entity_type, "RecordsWithValue": 0})
                    entry["RecordsWithValue"] += 1
                    if isinstance(pick(value, "MultiSelectValues"), list):
                        entry["MultiSelectValues"] = pick(value, "MultiSelectValues")
            if not has_more or not records:
                return sorted(seen.values(), key=lambda e: pick(e, "FieldID", "CustomFieldID", "ID"))
            page += 1

    return await pw.cached(f"custom_fields_in_use:{entity_type}", load)  # forget_fields_in_use drops it


def forget_fields_in_use(pw: ProjectworksClient, entity_type: str) -> None:
    """After a value is set, the next listing reads that entity type again (the field may be new)."""
    invalidate = getattr(pw.account.cache, "invalidate", None)
    if invalidate is not None:
        invalidate(f"custom_fields_in_use:{entity_type}")


def to_field_seen(record: dict[str, Any], include_raw: bool = False) -> CustomFieldSeen:
    return CustomFieldSeen(
        field_id=pick(record, "FieldID", "CustomFieldID", "ID"),
        name=pick(record, "Name", "FieldName"),
        entity_type=record["EntityType"],
        multi_select=True if isinstance(pick(record, "MultiSelectValues"), list) else None,
        records_with_value=record["RecordsWithValue"],
        raw=record if include_raw else None,
    )


@tool(
    name="projectworks_list_custom_fields",
    title="List Custom Fields",
    toolset="projectworks.custom_fields",
    kind="read",
    description="List the custom fields in use on clients, projects, modules, tasks and users (Projectworks has no "
    "definitions list: a field shows once a record has a value for it).",
)
async def list_custom_fields(
    args: ListCustomFieldsInput, pw: ProjectworksClient, ctx: ToolContext
) -> Page[CustomFieldSeen]:
    found: list[dict[str, Any]] = []
    for entity_type in args.entity_types or list(ENTITIES):
        found += await fields_in_use(pw, entity_type)
    start = (args.page - 1) * args.page_size
    chunk = found[start : start + args.page_size + 1]
    return page_of(chunk, to_field_seen, args, has_more=len(chunk) > args.page_size, total=len(found))
