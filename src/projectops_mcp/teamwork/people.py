"""People: the site's users (staff, collaborators, client contacts).

Reads use v3 (typed records, `meta.page`); writes use v1 (`POST /people.json`, `PUT /people/{id}.json`) with the
`person` body exactly as Teamwork's own sample (seed 003) spells it: a mix of kebab-case and camelCase keys
(`email-address`, `notifyOnTaskComplete`, `notify-on-added-as-follower`). Agents never see those spellings: they
pass grouped, typed arguments (details, address, and the settings groups of person_settings.py) and
`PERSON_KEYS`, one table shared by every person write, turns them into the wire keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_person, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.teamwork.companies import fetch_company
from projectops_mcp.teamwork.person_settings import (
    SETTINGS_KEYS,
    WEEKDAYS,
    NewPersonSettings,
    Permissions,
    PersonSettings,
    whole_hours,
)
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


# ---------------------------------------------------------------------------------------------------------------
# Reads (v3)
# ---------------------------------------------------------------------------------------------------------------


class Person(OutputModel):
    person_id: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    title: str | None = None
    user_type: str | None = Field(None, description="account (staff), collaborator or contact.")
    is_admin: bool | None = None
    company_id: int | None = None
    length_of_day: float | None = Field(None, description="Working hours per day.")
    deleted: bool | None = None
    site_owner: bool | None = None
    in_owner_company: bool | None = None
    raw: RawRecord = None


def to_person(record: dict[str, Any], include_raw: bool = False) -> Person:
    return Person(
        person_id=record["id"],
        first_name=record.get("firstName"),
        last_name=record.get("lastName"),
        email=record.get("email") or None,
        title=record.get("title") or None,
        user_type=record.get("type"),
        is_admin=record.get("isAdmin"),
        company_id=rel_id(record.get("company")) or record.get("companyId"),
        length_of_day=record.get("lengthOfDay"),
        deleted=record.get("deleted"),
        site_owner=record.get("siteOwner"),
        in_owner_company=record.get("inOwnerCompany"),
        raw=record if include_raw else None,
    )


UserType = Literal["account", "collaborator", "contact"]


class ListPeopleInput(PageInput):
    search: str | None = Field(None, min_length=1, description="text in name or e-mail")
    user_type: UserType | None = Field(None, description="account = staff")
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_people",
    title="List People",
    toolset="teamwork.people",
    kind="read",
    description="List the people on the Teamwork site.",
)
async def list_people(args: ListPeopleInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Person]:
    path = f"/projects/{args.project_id}/people.json" if args.project_id else "/people.json"
    params = {"searchTerm": args.search, "userType": args.user_type}
    return await fetch_v3_page(tw, path, "people", params, args, to_person)


class GetPersonInput(InputModel):
    person_id: int = Field(gt=0, description="from teamwork_list_people")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_person",
    title="Get Person",
    toolset="teamwork.people",
    kind="read",
    lookup="teamwork_list_people",
    description="Get one Teamwork person.",
)
async def get_person(args: GetPersonInput, tw: TeamworkClient, ctx: ToolContext) -> Person:
    data = await tw.get(f"{V3}/people/{args.person_id}.json")
    return to_person(data.get("person") or {"id": args.person_id}, args.include_raw)


class GetMeInput(InputModel):
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_get_me",
    title="Get Me",
    toolset="teamwork.people",
    kind="read",
    description="Get the person whose credentials this server uses.",
)
async def get_me(args: GetMeInput, tw: TeamworkClient, ctx: ToolContext) -> Person:
    data = await tw.get(f"{V3}/me.json")
    return to_person(data.get("person") or {}, args.include_raw)


# ---------------------------------------------------------------------------------------------------------------
# Writes (v1): grouped arguments -> the seed's `person` keys
# ---------------------------------------------------------------------------------------------------------------

# One table for create and update: argument group -> our field -> the key inside Teamwork's "person" body, spelled
# as Teamwork's sample spells it. Group "" is the top level of the tool's arguments; "address" is sent as a nested
# object; working_hours is built separately (it is a list of weekday entries).
PERSON_KEYS: dict[str, dict[str, str]] = {
    "": {
        "email": "email-address",
        "first_name": "first-name",
        "last_name": "last-name",
        "company_id": "company-id",
        "user_type": "user-type",
        "is_client_user": "isClientUser",
        "send_invite": "sendInvite",
    },
    "details": {
        "job_title": "title",
        "phone_office": "phone-number-office",
        "phone_office_ext": "phone-number-office-ext",
        "mobile_country_code": "phone-number-mobile-countrycode",
        "mobile_prefix": "phone-number-mobile-prefix",
        "phone_mobile": "phone-number-mobile",
        "phone_home": "phone-number-home",
        "phone_fax": "phone-number-fax",
        "email_alt_1": "email-alt-1",
        "email_alt_2": "email-alt-2",
        "email_alt_3": "email-alt-3",
        "profile": "profile",
        "private_notes": "privateNotes",
        "twitter": "userTwitterName",
        "linkedin": "userLinkedin",
        "facebook": "userFacebook",
        "website": "userWebsite",
        "im_service": "im-service",
        "im_handle": "im-handle",
        "avatar_pending_file_ref": "avatarPendingFileRef",
        "remove_avatar": "removeAvatar",
    },
    "address": {
        "line1": "line1",
        "line2": "line2",
        "city": "city",
        "state": "state",
        "zipcode": "zipcode",
        "country_code": "countrycode",
    },
    **SETTINGS_KEYS,
}
NESTED_GROUPS = {"address"}


# Values Teamwork wants in a form other than the argument's: the report hour as a string ("7"), yes/no words,
# whole hours as integers (8, not 8.0, as in the sample).
WIRE_VALUE: dict[str, Callable[[Any], Any]] = {
    "at_hour": str,
    "calendar_starts_on_sunday": lambda on: "yes" if on else "no",
    "length_of_day": whole_hours,
}


class Details(InputModel):
    job_title: str | None = Field(None, max_length=255)
    phone_office: str | None = Field(None, max_length=100)
    phone_office_ext: str | None = Field(None, max_length=20, description="extension")
    mobile_country_code: str | None = Field(None, pattern=r"^([A-Za-z]{2})?$", description="ISO code, e.g. IE")
    mobile_prefix: str | None = Field(None, max_length=10, description="e.g. 21")
    phone_mobile: str | None = Field(None, max_length=100, description="without prefix")
    phone_home: str | None = Field(None, max_length=100)
    phone_fax: str | None = Field(None, max_length=100)
    email_alt_1: str | None = Field(None, max_length=255)
    email_alt_2: str | None = Field(None, max_length=255)
    email_alt_3: str | None = Field(None, max_length=255)
    profile: str | None = Field(None, max_length=10_000, description="visible to others")
    private_notes: str | None = Field(None, max_length=10_000, description="visible to admins only")
    twitter: str | None = Field(None, max_length=255)
    linkedin: str | None = Field(None, max_length=500)
    facebook: str | None = Field(None, max_length=500)
    website: str | None = Field(None, max_length=500)
    im_service: str | None = Field(None, max_length=50, description="e.g. Twitter")
    im_handle: str | None = Field(None, max_length=255, description="handle on im_service")
    avatar_pending_file_ref: str | None = Field(None, max_length=255, description="uploaded pending file ref")
    remove_avatar: bool | None = None


class Address(InputModel):
    line1: str | None = Field(None, max_length=255)
    line2: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=255)
    state: str | None = Field(None, max_length=255, description="state or region")
    zipcode: str | None = Field(None, max_length=50, description="postal code")
    country_code: str | None = Field(None, pattern=r"^([A-Za-z]{2})?$", description="ISO code, e.g. US")


class PersonFields(InputModel):
    """The optional parts of a person that create and update share (settings have their own tool)."""

    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    user_type: UserType | None = Field(None, description="contact: cannot log in")
    is_client_user: bool | None = Field(None, description="not in the owner company")
    details: Details | None = Field(None, description="title, phones, e-mails, profile, social")
    address: Address | None = Field(None, description="Postal address.")


def _group(args: BaseModel, group: str) -> Any:
    """An argument group, given at the top level or (on create) inside `settings`."""
    if group == "":
        return args
    found = getattr(args, group, None)
    settings = getattr(args, "settings", None)
    return found if found is not None or settings is None else getattr(settings, group, None)


def person_body(args: BaseModel) -> dict[str, Any]:
    """The `person` object: only what was given, keys and value forms exactly as Teamwork's sample."""
    body: dict[str, Any] = {}
    for group, keys in PERSON_KEYS.items():
        source = _group(args, group)
        if source is None:
            continue
        values = {
            keys[name]: WIRE_VALUE.get(name, lambda v: v)(value)
            for name, value in source
            if name in keys and value is not None
        }
        if group in NESTED_GROUPS:
            if values:
                body[group] = values
        else:
            body.update(values)
    hours = _group(args, "working_hours")
    if hours is not None:
        body["workingHours"] = {
            "entries": [{"weekday": day, "taskHours": whole_hours(getattr(hours, day))} for day in WEEKDAYS]
        }
    return body


async def check_company(
    tw: TeamworkClient, company_id: int | None, is_client_user: bool | None, person_id: int | None = None
) -> None:
    """The company must exist, and a client user must not be in the site owner's company."""
    if company_id is not None:
        await fetch_company(tw, company_id)
    if not is_client_user:
        return
    if company_id is None and person_id is not None:
        company_id = to_person(await fetch_person(tw, person_id, field="person_id") or {"id": person_id}).company_id
    me = (await tw.get(f"{V3}/me.json")).get("person") or {}
    owner_company = rel_id(me.get("company")) if me.get("inOwnerCompany") else None
    if company_id is None or company_id == owner_company:
        raise PrerequisiteError(
            "is_client_user: a client user must belong to a client company, not the site owner's company. "
            "Give company_id of a client company.",
            fix_with="teamwork_list_companies",
        )


class SavedPerson(OutputModel):
    person: Person | None = Field(None, description="The person as Teamwork reads it back after the write.")
    sent: dict[str, Any] = Field(description="The `person` body Teamwork accepted, with Teamwork's own key names.")


async def find_by_email(tw: TeamworkClient, email: str) -> dict[str, Any] | None:
    """The (v3) person using this e-mail address, if any."""
    found, _, _, _ = await tw.v3_list("/people.json", "people", {"searchTerm": email}, page_size=50)
    return next((p for p in found if str(p.get("email", "")).lower() == email.lower()), None)


class CreatePersonInput(PersonFields):
    email: str = Field(pattern=EMAIL, max_length=255, description="E-mail address; must not be in use already.")
    first_name: str = Field(min_length=1, max_length=100, description="First name.")
    last_name: str = Field(min_length=1, max_length=100, description="Last name.")
    send_invite: bool | None = Field(None, description="E-mail the person an invitation to log in.")
    settings: NewPersonSettings | None = Field(
        None,
        description="Localisation, preferences, daily report, working hours and permissions.",
        json_schema_extra={"x-fields-of": "teamwork_update_person_settings and teamwork_update_person_permissions"},
    )


@tool(
    name="teamwork_create_person",
    title="Create Person",
    toolset="teamwork.people",
    kind="create",
    lookup="teamwork_list_people",
    description="Add a person to the Teamwork site; refused when the e-mail is in use.",
)
async def create_person(args: CreatePersonInput, tw: TeamworkClient, ctx: ToolContext) -> SavedPerson:
    existing = await find_by_email(tw, args.email)
    if existing:
        raise PrerequisiteError(
            f"email: {args.email} already belongs to person {existing.get('id')} "
            f"({existing.get('firstName', '')} {existing.get('lastName', '')}).",
            fix_with="teamwork_update_person",
        )
    await check_company(tw, args.company_id, args.is_client_user)
    body = person_body(args)
    data = await tw.post("/people.json", {"person": body})
    person_id = v1_int(ikey(data, "id"))  # v1 answers {"STATUS":"OK","id":"123"}
    created = await fetch_person(tw, person_id, field="person_id") if person_id else await find_by_email(tw, args.email)
    return SavedPerson(person=to_person(created) if created else None, sent=body)


class UpdatePersonInput(PersonFields):
    person_id: int = Field(gt=0, description="from teamwork_list_people")
    email: str | None = Field(None, pattern=EMAIL, max_length=255, description="New e-mail address.")
    first_name: str | None = Field(None, min_length=1, max_length=100, description="New first name.")
    last_name: str | None = Field(None, min_length=1, max_length=100, description="New last name.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdatePersonInput:
        if not person_body(self):
            raise ValueError("give at least one field to change besides person_id")
        return self


@tool(
    name="teamwork_update_person",
    title="Update Person",
    toolset="teamwork.people",
    kind="put",
    lookup="teamwork_list_people",
    description="Change a person's name, e-mail, company, type, details or address (settings and permissions: their "
    "own tools).",
)
async def update_person(args: UpdatePersonInput, tw: TeamworkClient, ctx: ToolContext) -> SavedPerson:
    await check_company(tw, args.company_id, args.is_client_user, args.person_id)
    return await _put_person(tw, args.person_id, person_body(args))


class UpdatePersonSettingsInput(PersonSettings):
    person_id: int = Field(gt=0, description="from teamwork_list_people")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdatePersonSettingsInput:
        if not person_body(self):
            raise ValueError("give at least one setting to change besides person_id")
        return self


@tool(
    name="teamwork_update_person_settings",
    title="Update Person Settings",
    toolset="teamwork.people",
    kind="put",
    lookup="teamwork_list_people",
    description="Change a person's localisation, notification preferences, daily report e-mail or working hours.",
)
async def update_person_settings(args: UpdatePersonSettingsInput, tw: TeamworkClient, ctx: ToolContext) -> SavedPerson:
    return await _put_person(tw, args.person_id, person_body(args))


class UpdatePersonPermissionsInput(InputModel):
    person_id: int = Field(gt=0, description="from teamwork_list_people")
    permissions: Permissions = Field(description="Only the permissions given change.")

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdatePersonPermissionsInput:
        if not person_body(self):
            raise ValueError("give at least one permission to change")
        return self


@tool(
    name="teamwork_update_person_permissions",
    title="Update Person Permissions",
    toolset="teamwork.people",
    kind="put",
    lookup="teamwork_list_people",
    description="Change what a person may do on the Teamwork site.",
)
async def update_person_permissions(
    args: UpdatePersonPermissionsInput, tw: TeamworkClient, ctx: ToolContext
) -> SavedPerson:
    return await _put_person(tw, args.person_id, person_body(args))


async def _put_person(tw: TeamworkClient, person_id: int, body: dict[str, Any]) -> SavedPerson:
    await tw.put(f"/people/{person_id}.json", {"person": body})
    return SavedPerson(person=to_person(await fetch_person(tw, person_id, field="person_id")), sent=body)


class DeletePersonInput(InputModel):
    person_id: int = Field(gt=0, description="from teamwork_list_people")


@tool(
    name="teamwork_delete_person",
    title="Delete Person",
    toolset="teamwork.people",
    kind="delete",
    lookup="teamwork_list_people",
    description="Remove a person from the Teamwork site (not the one whose credentials this server uses).",
)
async def delete_person(args: DeletePersonInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    me = (await tw.get(f"{V3}/me.json")).get("person") or {}
    if me.get("id") == args.person_id:
        raise PrerequisiteError(
            f"person_id: {args.person_id} is the person whose credentials this server uses; deleting them would "
            "lock the server out. Use another administrator's API key to remove this person.",
            fix_with="teamwork_get_me",
        )
    await tw.delete(f"/people/{args.person_id}.json")
    return Deleted(id=args.person_id)
