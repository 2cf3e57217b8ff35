"""Users (Ticketing and User Directory) and Me: Teamwork people and Projectworks users.

A Teamwork person is a `client` user when Teamwork calls them a contact or their company is not the site owner's
(the company of the API key's own person, from /me, when that person is in the owner company); everyone else, and
every Projectworks user, is `staff`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.projectworks import users as pw_users
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.teamwork import people as tw_people
from projectops_mcp.teamwork.client import TeamworkClient
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
    full_name,
    id_text,
    mapping,
    native_stream,
    shown,
    walk,
)

UserType = Literal["staff", "client"]


class User(Record):
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    title: str | None = None
    is_active: bool | None = None
    user_type: UserType | None = Field(None, description="staff, or client (a client's contact)")
    organization_id: str | None = Field(None, description="from unified_list_organizations")


def _teamwork_user_type(data: dict[str, Any]) -> str:
    if data.get("user_type") == "contact":
        return "client"
    owner = data.get("owner_company_id")
    if data.get("in_owner_company") is False or (owner and data.get("company_id") not in (None, owner)):
        return "client"
    return "staff"


TEAMWORK_USER = mapping(
    "users",
    "teamwork",
    "teamwork_list_people",
    User,
    "person_id",
    name=full_name("first_name", "last_name"),
    first_name="first_name",
    last_name="last_name",
    email="email",
    title="title",
    is_active=Derived("not deleted", lambda d: not d.get("deleted")),
    user_type=Derived(
        "`client` if user_type is contact or company_id is not the site owner's company, else `staff`",
        _teamwork_user_type,
    ),
    organization_id=id_text("company_id"),
)
PROJECTWORKS_USER = mapping(
    "users",
    "projectworks",
    "projectworks_list_users",
    User,
    "user_id",
    name=full_name("first_name", "last_name"),
    first_name="first_name",
    last_name="last_name",
    email="email",
    title="job_title",
    is_active="is_active",
    user_type=constant("staff"),
)


async def owner_company_id(tw: TeamworkClient, ctx: ToolContext) -> int | None:
    """The site owner's company: the API key's own person's company when it is the owner company (cached per
    account)."""

    async def load() -> int | None:
        me = await tw_people.get_me.handler(tw_people.GetMeInput(), tw, ctx)
        return me.company_id if me.in_owner_company else None

    return await tw.cached("unified:owner_company", load)


# ---------------------------------------------------------------------------------------------------------------
# unified_list_users / unified_get_user
# ---------------------------------------------------------------------------------------------------------------


class ListUsersInput(ListInput):
    email: str | None = Field(None, min_length=3, description="exact e-mail, any case")


@tool(
    name="unified_list_users",
    title="List Users (both systems)",
    toolset="unified.directory",
    kind="read",
    description="List the people of Teamwork and the users of Projectworks as one user list.",
)
async def list_users(args: ListUsersInput, clients: Clients, ctx: ToolContext) -> ListResult[User]:
    wanted = args.email.lower() if args.email else None

    async def owner(tw: TeamworkClient) -> dict[str, Any]:
        return {"owner_company_id": await owner_company_id(tw, ctx)}

    def same_email(user: User) -> bool:  # Teamwork's search matches part of a name or e-mail
        return wanted is None or (user.email or "").lower() == wanted

    streams = [
        native_stream(clients, ctx, tw_people.list_people, TEAMWORK_USER, context=owner, keep=same_email,
                      search=args.email),
        native_stream(clients, ctx, pw_users.list_users, PROJECTWORKS_USER, email=args.email),
    ]  # fmt: skip
    return await walk(streams, args, ctx, clients=clients)


class GetUserInput(InputModel):
    source: Source = Field(description="the user's system")
    id: int = Field(gt=0, description="from unified_list_users")
    include_remote_data: bool = Field(False, description="add the native record as remote_data")


@tool(
    name="unified_get_user",
    title="Get User (either system)",
    toolset="unified.directory",
    kind="read",
    lookup="unified_list_users",
    description="Get one Teamwork person or Projectworks user as a unified user.",
)
async def get_user(args: GetUserInput, clients: Clients, ctx: ToolContext) -> GetResult[User]:
    if args.source == "teamwork":
        tw = clients.require("teamwork")
        person = await tw_people.get_person.handler(
            tw_people.GetPersonInput(person_id=args.id, include_raw=True), tw, ctx
        )
        owner = await owner_company_id(tw, ctx)
        user = TEAMWORK_USER.build(person, person.raw, owner_company_id=owner)
    else:
        pw: ProjectworksClient = clients.require("projectworks")
        found = await pw_users.get_user.handler(pw_users.GetUserInput(user_id=args.id, include_raw=True), pw, ctx)
        user = PROJECTWORKS_USER.build(found, found.raw)
    return GetResult(result=shown(user, args))


# ---------------------------------------------------------------------------------------------------------------
# unified_get_me
# ---------------------------------------------------------------------------------------------------------------


class GetMeInput(InputModel):
    include_remote_data: bool = Field(False, description="add the native records as remote_data")


class Me(GetResult[User]):
    same_person: list[User] | None = Field(None, description="the same e-mail in Projectworks")


@tool(
    name="unified_get_me",
    title="Get Me (both systems)",
    toolset="unified.directory",
    kind="read",
    description="Get the Teamwork person whose credentials this server uses, and the Projectworks user with the "
    "same e-mail.",
)
async def get_me(args: GetMeInput, clients: Clients, ctx: ToolContext) -> Me:
    tw = clients.require("teamwork", "Projectworks API accounts are not people; 'me' is the Teamwork user")
    person = await tw_people.get_me.handler(tw_people.GetMeInput(include_raw=True), tw, ctx)
    owner = person.company_id if person.in_owner_company else None
    me = shown(TEAMWORK_USER.build(person, person.raw, owner_company_id=owner), args)
    same: list[User] | None = None
    if clients.projectworks is not None and person.email:
        query = pw_users.ListUsersInput(email=person.email, page_size=10, include_raw=True)
        found = await pw_users.list_users.handler(query, clients.projectworks, ctx)
        wanted = person.email.strip().lower()
        same = [
            shown(PROJECTWORKS_USER.build(u, u.raw), args)
            for u in found.items
            if (u.email or "").strip().lower() == wanted
        ]
    return Me(result=me, same_person=same)
