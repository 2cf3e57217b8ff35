"""Custom fields (v3): the site's field definitions, and their values on tasks, projects and companies.

Two ids are in play. `custom_field_id` is the definition (teamwork_list_custom_fields); `value_id` is one record's
value entry for that field (teamwork_list_custom_field_values). Values are typed by the field: dropdown, status and
multiselect take choice strings (the API refuses JSON numbers there, so numbers are sent as text), checkboxes take
booleans, number fields numbers, date fields YYYY-MM-DD.

Definition updates use PATCH, as Teamwork's own Go SDK does (its integration tests run it against live sites); the
2021 spec also lists PUT on the same path and the seed links a PUT page, but PATCH matches this tool's "send only
what changed" contract. Its body holds only name, description, required and options: the SDK sends no `entity` (only
create may set it) and no `customFieldId` (the path id is authoritative).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, no_duplicates, page_of, without_none
from projectops_mcp.teamwork._common import fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

FieldType = Literal[
    "text-short", "text-long", "number-decimal", "number-integer", "financial", "dropdown", "multiselect", "checkbox",
    "percentage", "url", "tw-url", "user", "rating", "date", "phone", "email", "status",
]  # fmt: skip
FieldEntity = Literal["project", "task", "company", "user"]
ValueEntity = Literal["task", "project", "company"]
CustomValue = str | bool | int | float | list[str | int | float]

CHOICE_TYPES = frozenset({"dropdown", "status", "multiselect"})
NUMBER_TYPES = frozenset({"number-decimal", "number-integer", "financial", "percentage", "rating"})
TEXT_TYPES = frozenset({"text-short", "text-long", "url", "tw-url", "email", "phone"})
ALL_PAGES = 500
MAX_PAGES = 20

HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


@dataclass(frozen=True)
class Owner:
    """Where one kind of record keeps its values: path segment, singular and plural wrapper keys, lookup tool."""

    path: str
    one: str
    many: str
    lookup: str


OWNERS: dict[str, Owner] = {
    "task": Owner("tasks", "customfieldTask", "customfieldTasks", "teamwork_list_tasks"),
    "project": Owner("projects", "customfieldProject", "customfieldProjects", "teamwork_list_projects"),
    "company": Owner("companies", "customfieldCompany", "customfieldCompanies", "teamwork_list_companies"),
}


# ---------------------------------------------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------------------------------------------


class CustomField(OutputModel):
    custom_field_id: int
    name: str
    entity: str | None = Field(None, description="project, task, company or user.")
    type: str | None = None
    description: str | None = None
    project_id: int | None = Field(None, description="Set on project-level fields; absent means site-wide.")
    required: bool | None = None
    choices: list[str] | None = Field(None, description="Allowed values of dropdown, status and multiselect fields.")
    deleted: bool | None = None
    raw: RawRecord = None


def choices_of(record: dict[str, Any]) -> list[str]:
    options = record.get("options") or {}
    return [str(c.get("value")) for c in options.get("choices") or [] if isinstance(c, dict)]


def to_custom_field(record: dict[str, Any], include_raw: bool = False) -> CustomField:
    return CustomField(
        custom_field_id=record["id"],
        name=record.get("name") or "",
        entity=record.get("entity"),
        type=record.get("type"),
        description=record.get("description") or None,
        project_id=rel_id(record.get("project")) or v1_int(record.get("projectId")),
        required=record.get("required"),
        choices=choices_of(record) if record.get("type") in CHOICE_TYPES else None,
        deleted=record.get("deleted") or None,
        raw=record if include_raw else None,
    )


class ListCustomFieldsInput(PageInput):
    entities: list[FieldEntity] | None = Field(
        None, min_length=1, description="Only fields for these kinds of record (project, task, company, user)."
    )
    project_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_projects")
    search: str | None = Field(None, min_length=1, description="text in the name")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_custom_fields",
    title="List Custom Fields",
    toolset="teamwork.custom_fields",
    kind="read",
    description="List the custom field definitions of the Teamwork site.",
)
async def list_custom_fields(args: ListCustomFieldsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[CustomField]:
    params = {"entities": args.entities, "projectIds": args.project_ids, "searchTerm": args.search}
    return await fetch_v3_page(tw, "/customfields.json", "customfields", params, args, to_custom_field)


async def fetch_custom_field(tw: TeamworkClient, custom_field_id: int, field: str = "custom_field_id") -> dict:
    """One live definition; a missing or deleted field is the caller's mistake, reported against `field`."""
    try:
        data = await tw.get(f"{V3}/customfields/{custom_field_id}.json")
    except UpstreamError as exc:
        if exc.status == 404:
            raise PrerequisiteError(
                f"{field}: custom field {custom_field_id} does not exist on this Teamwork site.",
                fix_with="teamwork_list_custom_fields",
            ) from None
        raise
    record = data.get("customfield") or {}
    if record.get("deleted"):
        raise PrerequisiteError(
            f"{field}: custom field {custom_field_id} has been deleted.", fix_with="teamwork_list_custom_fields"
        )
    return record


class CustomFieldIdInput(InputModel):
    custom_field_id: int = Field(gt=0, description="from teamwork_list_custom_fields")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_custom_field",
    title="Get Custom Field",
    toolset="teamwork.custom_fields",
    kind="read",
    lookup="teamwork_list_custom_fields",
    description="Get one Teamwork custom field definition.",
)
async def get_custom_field(args: CustomFieldIdInput, tw: TeamworkClient, ctx: ToolContext) -> CustomField:
    path = f"{V3}/customfields/{args.custom_field_id}.json"
    return to_custom_field(await tw.one("GET", path, "customfield"), args.include_raw)


class ChoiceInput(InputModel):
    value: str = Field(min_length=1, max_length=100, description="The text of the choice.")
    color: str | None = Field(None, pattern=HEX_COLOR, description="Its colour as #RRGGBB.")


def _options(choices: list[ChoiceInput] | None) -> dict[str, Any] | None:
    if choices is None:
        return None
    return {"choices": [c.model_dump(exclude_none=True) for c in choices]}


class CreateCustomFieldInput(InputModel):
    name: str = Field(min_length=1, max_length=100, description="The field's name.")
    type: FieldType = Field(description="The kind of value it holds.")
    entity: FieldEntity = Field(description="The kind of record it belongs to.")
    description: str | None = Field(None, max_length=1000, description="Help text shown with the field.")
    required: bool | None = Field(None, description="Whether a value must be given.")
    project_id: int | None = Field(
        None, gt=0, description="Make it a field of this project only (teamwork_list_projects); omit for site-wide."
    )
    choices: list[ChoiceInput] | None = Field(
        None, min_length=1, max_length=200, description="Required for dropdown, status and multiselect fields."
    )

    @model_validator(mode="after")
    def _choices_match_type(self) -> CreateCustomFieldInput:
        if self.type in CHOICE_TYPES and not self.choices:
            raise ValueError(f"choices are required for a {self.type} field")
        if self.type not in CHOICE_TYPES and self.choices:
            raise ValueError("choices only apply to dropdown, status and multiselect fields")
        return self


@tool(
    name="teamwork_create_custom_field",
    title="Create Custom Field",
    toolset="teamwork.custom_fields",
    kind="create",
    lookup="teamwork_list_custom_fields",
    description="Define a custom field for projects, tasks, companies or users; dropdown, status and multiselect need "
    "choices.",
)
async def create_custom_field(args: CreateCustomFieldInput, tw: TeamworkClient, ctx: ToolContext) -> CustomField:
    body = {
        "name": args.name,
        "type": args.type,
        "entity": args.entity,
        "description": args.description,
        "required": args.required,
        "projectId": args.project_id,
        "options": _options(args.choices),
    }
    sent = {"customfield": without_none(**body)}
    return to_custom_field(await tw.one("POST", f"{V3}/customfields.json", "customfield", body=sent))


class UpdateCustomFieldInput(InputModel):
    custom_field_id: int = Field(gt=0, description="from teamwork_list_custom_fields")
    name: str | None = Field(None, min_length=1, max_length=100, description="New name.")
    description: str | None = Field(None, max_length=1000, description="New help text.")
    required: bool | None = Field(None, description="Whether a value must be given.")
    choices: list[ChoiceInput] | None = Field(
        None, min_length=1, max_length=200, description="Replaces all choices (dropdown, status, multiselect only)."
    )

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateCustomFieldInput:
        if not self.model_fields_set - {"custom_field_id"}:
            raise ValueError("give at least one of name, description, required, choices")
        return self


@tool(
    name="teamwork_update_custom_field",
    title="Update Custom Field",
    toolset="teamwork.custom_fields",
    kind="update",
    lookup="teamwork_list_custom_fields",
    description="Change a Teamwork custom field's name, help text, required flag or choices.",
)
async def update_custom_field(args: UpdateCustomFieldInput, tw: TeamworkClient, ctx: ToolContext) -> CustomField:
    if args.choices is not None:
        current = await fetch_custom_field(tw, args.custom_field_id)
        if current.get("type") not in CHOICE_TYPES:
            kind = current.get("type")
            raise InputError("choices", f"only apply to dropdown, status and multiselect fields, not {kind}.")
    body = {
        "name": args.name,
        "description": args.description,
        "required": args.required,
        "options": _options(args.choices),
    }
    data = await tw.patch(f"{V3}/customfields/{args.custom_field_id}.json", {"customfield": without_none(**body)})
    record = data.get("customfield") or await fetch_custom_field(tw, args.custom_field_id)
    return to_custom_field(record)


@tool(
    name="teamwork_delete_custom_field",
    title="Delete Custom Field",
    toolset="teamwork.custom_fields",
    kind="delete",
    lookup="teamwork_list_custom_fields",
    description="Delete a custom field definition and its values everywhere.",
)
async def delete_custom_field(args: CustomFieldIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"{V3}/customfields/{args.custom_field_id}.json")
    return Deleted(id=args.custom_field_id)


# ---------------------------------------------------------------------------------------------------------------
# Values on tasks, projects and companies
# ---------------------------------------------------------------------------------------------------------------


class CustomFieldValue(OutputModel):
    value_id: int = Field(description="This record's value entry (the id bulk updates need).")
    custom_field_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    value: Any = None
    updated_at: str | None = None
    raw: RawRecord = None


def field_id_of(record: dict[str, Any]) -> int | None:
    return v1_int(record.get("customfieldId")) or rel_id(record.get("customfield"))


def to_value(
    record: dict[str, Any], entity: str, include_raw: bool = False, entity_id: int | None = None
) -> CustomFieldValue:
    return CustomFieldValue(
        value_id=record["id"],
        custom_field_id=field_id_of(record),
        entity=entity,
        entity_id=rel_id(record.get(entity)) or v1_int(record.get(f"{entity}Id")) or entity_id,
        value=record.get("value"),
        updated_at=record.get("updatedAt") or record.get("createdAt"),
        raw=record if include_raw else None,
    )


def _choice_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def typed_value(definition: dict[str, Any], value: Any, where: str) -> Any:
    """The value in the JSON type the field's type demands; refuses what the API would refuse."""
    kind = definition.get("type")
    label = f"custom field {definition.get('id')} '{definition.get('name')}' ({kind})"
    if kind in CHOICE_TYPES:
        if isinstance(value, list) and kind != "multiselect":
            raise InputError(where, f"{label} takes one choice, not a list.")
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, bool) for v in items):
            raise InputError(where, f"{label} takes choice text, not true/false.")
        texts = [_choice_text(v) for v in items]
        allowed = choices_of(definition)
        unknown = [t for t in texts if allowed and t not in allowed]
        if unknown:
            raise PrerequisiteError(
                f"{where}: {unknown[0]!r} is not a choice of {label}; its choices are: {', '.join(allowed)} "
                "(teamwork_get_custom_field lists them).",
                fix_with="a value from those choices",
            )
        return texts if kind == "multiselect" else texts[0]
    if kind == "checkbox":
        if not isinstance(value, bool):
            raise InputError(where, f"{label} takes true or false.")
        return value
    if kind in NUMBER_TYPES:
        return _number(value, kind == "number-integer", where, label)
    if kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise InputError(where, f"{label} takes a date as YYYY-MM-DD.") from None
    if kind in TEXT_TYPES:
        if isinstance(value, bool | list):
            raise InputError(where, f"{label} takes text.")
        return value if isinstance(value, str) else _choice_text(value)
    return value  # user and formula fields: passed through as given


def _number(value: Any, whole: bool, where: str, label: str) -> int | float:
    if isinstance(value, bool | list):
        raise InputError(where, f"{label} takes a number.")
    try:
        number = float(value)
    except ValueError:
        raise InputError(where, f"{label} takes a number.") from None
    if whole and not number.is_integer():
        raise InputError(where, f"{label} takes a whole number.")
    return int(number) if number.is_integer() else number


def check_entity(definition: dict[str, Any], entity: str, where: str) -> None:
    if definition.get("entity") not in (entity, "all"):
        raise PrerequisiteError(
            f"{where}: custom field {definition.get('id')} '{definition.get('name')}' belongs to "
            f"{definition.get('entity')} records, not {entity} records.",
            fix_with="teamwork_list_custom_fields",
        )


async def all_values(
    tw: TeamworkClient, entity: str, entity_id: int, where: str, custom_field_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Every value entry on one record (pages of 500); a missing record is refused against `where`."""
    owner = OWNERS[entity]
    found: list[dict[str, Any]] = []
    params = {"customFieldIds": custom_field_ids}
    for page in range(1, MAX_PAGES + 1):
        try:
            records, has_more, _, _ = await tw.v3_list(
                f"/{owner.path}/{entity_id}/customfields.json", owner.many, params, page=page, page_size=ALL_PAGES
            )
        except UpstreamError as exc:
            if exc.status == 404:
                raise PrerequisiteError(
                    f"{where}: {entity} {entity_id} does not exist on this Teamwork site.", fix_with=owner.lookup
                ) from None
            raise
        found.extend(records)
        if not has_more:
            break
    return found


class ListValuesInput(PageInput):
    entity: ValueEntity = Field(description="The kind of record.")
    entity_id: int = Field(
        gt=0, description="from teamwork_list_tasks, teamwork_list_projects or teamwork_list_companies"
    )
    custom_field_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_custom_fields")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_custom_field_values",
    title="List Custom Field Values",
    toolset="teamwork.custom_fields",
    kind="read",
    description="List the custom field values of one task, project or company, with each value_id.",
)
async def list_custom_field_values(
    args: ListValuesInput, tw: TeamworkClient, ctx: ToolContext
) -> Page[CustomFieldValue]:
    owner = OWNERS[args.entity]
    records, has_more, count, _ = await tw.v3_list(
        f"/{owner.path}/{args.entity_id}/customfields.json",
        owner.many,
        {"customFieldIds": args.custom_field_ids},
        page=args.page,
        page_size=args.page_size,
    )
    return page_of(records, lambda r, raw: to_value(r, args.entity, raw), args, has_more, count)


class SetValueInput(InputModel):
    entity: ValueEntity = Field(description="The kind of record.")
    entity_id: int = Field(
        gt=0, description="from teamwork_list_tasks, teamwork_list_projects or teamwork_list_companies"
    )
    custom_field_id: int = Field(gt=0, description="from teamwork_list_custom_fields")
    value: CustomValue = Field(
        description="Typed by the field: choice text for dropdown/status, a list of choice texts for multiselect, "
        "true/false for checkbox, a number for number fields, YYYY-MM-DD for date, text otherwise."
    )
    url_text: str | None = Field(None, max_length=200, description="For url fields: the link text to show.")


class SetValueResult(CustomFieldValue):
    created: bool = Field(description="True when the record had no value for this field before.")


@tool(
    name="teamwork_set_custom_field_value",
    title="Set Custom Field Value",
    toolset="teamwork.custom_fields",
    kind="put",
    lookup="teamwork_list_custom_field_values",
    description="Set one custom field's value on a task, project or company.",
)
async def set_custom_field_value(args: SetValueInput, tw: TeamworkClient, ctx: ToolContext) -> SetValueResult:
    owner = OWNERS[args.entity]
    definition = await fetch_custom_field(tw, args.custom_field_id)
    check_entity(definition, args.entity, "custom_field_id")
    entry = {"customfieldId": args.custom_field_id, "value": typed_value(definition, args.value, "value")}
    if args.url_text is not None:
        entry["urlTextToDisplay"] = args.url_text
    existing = await all_values(tw, args.entity, args.entity_id, "entity_id", [args.custom_field_id])
    existing = [v for v in existing if field_id_of(v) == args.custom_field_id]
    base = f"{V3}/{owner.path}/{args.entity_id}/customfields"
    if existing:
        data = await tw.patch(f"{base}/{existing[0]['id']}.json", {owner.one: entry})
    else:
        data = await tw.post(f"{base}.json", {owner.one: entry})
    record = data.get(owner.one) or {"id": existing[0]["id"] if existing else 0, **entry}
    value = to_value(record, args.entity, entity_id=args.entity_id)
    return SetValueResult(**value.model_dump(), created=not existing)


class TaskValueInput(InputModel):
    custom_field_id: int = Field(gt=0, description="from teamwork_list_custom_fields")
    value: CustomValue = Field(description="Typed by the field, as for teamwork_set_custom_field_value.")
    value_id: int | None = Field(
        None,
        gt=0,
        description="The task's value entry for this field (teamwork_list_custom_field_values); looked up, or "
        "created, when omitted.",
    )


class SetTaskValuesInput(InputModel):
    task_id: int = Field(gt=0, description="from teamwork_list_tasks")
    values: list[TaskValueInput] = Field(min_length=1, max_length=50, description="The values to set.")

    @model_validator(mode="after")
    def _one_entry_per_field(self) -> SetTaskValuesInput:
        no_duplicates([v.custom_field_id for v in self.values], "custom_field_id")
        return self


class TaskValuesResult(OutputModel):
    task_id: int
    items: list[CustomFieldValue]
    created_value_ids: list[int] = Field(description="Value entries that did not exist and were added first.")


async def _definitions(tw: TeamworkClient, ids: list[int]) -> dict[int, dict[str, Any]]:
    records, _, _, _ = await tw.v3_list("/customfields.json", "customfields", {"ids": ids}, page_size=ALL_PAGES)
    return {r["id"]: r for r in records if not r.get("deleted")}


def _resolve_entry(
    item: TaskValueInput, where: str, task_id: int, by_id: dict[int, dict], by_field: dict[int, dict]
) -> dict[str, Any] | None:
    """The task's existing value entry for this item, or None when it must be created."""
    if item.value_id is None:
        return by_field.get(item.custom_field_id)
    entry = by_id.get(item.value_id)
    if entry is None:
        raise PrerequisiteError(
            f"{where}.value_id: {item.value_id} is not a custom field value on task {task_id}. Omit value_id to have "
            "it found or created.",
            fix_with="teamwork_list_custom_field_values",
        )
    if field_id_of(entry) != item.custom_field_id:
        raise PrerequisiteError(
            f"{where}.value_id: value {item.value_id} holds custom field {field_id_of(entry)}, not "
            f"{item.custom_field_id}.",
            fix_with="teamwork_list_custom_field_values",
        )
    return entry


@tool(
    name="teamwork_set_task_custom_field_values",
    title="Set Task Custom Field Values",
    toolset="teamwork.custom_fields",
    kind="put",
    lookup="teamwork_list_custom_field_values",
    description="Set several custom field values on one task at once.",
)
async def set_task_custom_field_values(
    args: SetTaskValuesInput, tw: TeamworkClient, ctx: ToolContext
) -> TaskValuesResult:
    existing = await all_values(tw, "task", args.task_id, "task_id")
    by_id = {v["id"]: v for v in existing}
    by_field = {field_id_of(v): v for v in existing}
    definitions = await _definitions(tw, sorted({v.custom_field_id for v in args.values}))
    to_create: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for i, item in enumerate(args.values):
        where = f"values[{i}]"
        definition = definitions.get(item.custom_field_id)
        if definition is None:
            raise PrerequisiteError(
                f"{where}.custom_field_id: custom field {item.custom_field_id} does not exist on this Teamwork site.",
                fix_with="teamwork_list_custom_fields",
            )
        check_entity(definition, "task", f"{where}.custom_field_id")
        value = typed_value(definition, item.value, f"{where}.value")
        entry = _resolve_entry(item, where, args.task_id, by_id, by_field)
        if entry is None:
            to_create.append({"customfieldId": item.custom_field_id, "value": value})
        else:
            to_update.append({"id": entry["id"], "customfieldId": item.custom_field_id, "value": value})
    written: list[dict[str, Any]] = []
    try:
        for entry in to_create:
            data = await tw.post(f"{V3}/tasks/{args.task_id}/customfields.json", {"customfieldTask": entry})
            written.append(data.get("customfieldTask") or {"id": 0, **entry})
        created_ids = [r["id"] for r in written]
        if to_update:
            data = await tw.post(
                f"{V3}/tasks/{args.task_id}/customfields/bulk/update.json", {"customfieldTasks": to_update}
            )
            written.extend(data.get("customfieldTasks") or to_update)
    except UpstreamError as exc:
        if not written:
            raise
        ids = ", ".join(str(r["id"]) for r in written)
        raise exc.with_hint(f"Before this failure these value entries were already written: {ids}.") from None
    items = [to_value(r, "task", entity_id=args.task_id) for r in written]
    return TaskValuesResult(task_id=args.task_id, items=items, created_value_ids=created_ids)
