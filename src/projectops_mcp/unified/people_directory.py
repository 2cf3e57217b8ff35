"""unified_get_people_directory: everyone in Teamwork or Projectworks, matched by e-mail (see _people.py), with where
each person exists, staff or client user, active or not, and what disagrees between the two systems.

Mismatches: `only_in_teamwork` (staff in Teamwork without a Projectworks user; a client user only in Teamwork is
expected), `only_in_projectworks`, `name_differs`, `active_differs`, `client_in_teamwork` (a Teamwork client user
who is a Projectworks user, i.e. staff), `shared_email` (two records of one system share the address), `no_email`
(cannot be matched), `not_found` (an asked-for e-mail in neither system). Cost: both directories in pages of 500
and Teamwork's `me` (the owner company).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from projectops_mcp.projectworks.users import User
from projectops_mcp.teamwork.people import Person
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool
from projectops_mcp.unified._common import Clients
from projectops_mcp.unified._gather import CutShort, Gather, counted, start_budget
from projectops_mcp.unified._people import Match, People, full_name, pw_active, read_people, same_name

Mismatch = Literal[
    "only_in_teamwork",
    "only_in_projectworks",
    "name_differs",
    "active_differs",
    "client_in_teamwork",
    "shared_email",
    "no_email",
    "not_found",
]


class PeopleDirectoryInput(InputModel):
    emails: list[str] | None = Field(None, min_length=1, max_length=500, description="only these people")
    only_mismatches: bool = Field(False, description="only people with a mismatch")


class TeamworkPerson(OutputModel):
    person_id: int
    name: str | None = None
    user_type: str | None = None
    company_id: int | None = None
    client_user: bool
    active: bool


class ProjectworksUser(OutputModel):
    user_id: int
    name: str | None = None
    active: bool


class DirectoryEntry(OutputModel):
    email: str | None = Field(None, description="trimmed, lower case")
    name: str | None = None
    kind: Literal["staff", "client"]
    teamwork: TeamworkPerson | None = None
    projectworks: ProjectworksUser | None = None
    other_ids: list[str] | None = Field(None, description="further records sharing the e-mail")
    mismatches: list[Mismatch] | None = None


class DirectorySummary(OutputModel):
    people: int
    in_both: int
    only_teamwork: int
    only_projectworks: int
    client_users: int
    with_mismatches: int


class PeopleDirectory(OutputModel):
    result: list[DirectoryEntry]
    summary: DirectorySummary | None = Field(None, description="absent when nothing was found")
    warnings: list[str] | None = None
    cut_short: CutShort | None = None


def teamwork_side(people: People, person: Person) -> TeamworkPerson:
    return TeamworkPerson(
        person_id=person.person_id,
        name=full_name(person.first_name, person.last_name),
        user_type=person.user_type,
        company_id=person.company_id,
        client_user=people.client_user(person),
        active=people.tw_active(person),
    )


def projectworks_side(user: User) -> ProjectworksUser:
    return ProjectworksUser(
        user_id=user.user_id, name=full_name(user.first_name, user.last_name), active=pw_active(user)
    )


def entry(people: People, match: Match) -> DirectoryEntry:
    tw = teamwork_side(people, match.tw) if match.tw else None
    pw = projectworks_side(match.pw) if match.pw else None
    found: list[Mismatch] = []
    if tw and not pw and not tw.client_user:
        found.append("only_in_teamwork")
    if pw and not tw:
        found.append("only_in_projectworks")
    if tw and pw:
        if not same_name(tw.name, pw.name):
            found.append("name_differs")
        if tw.active != pw.active:
            found.append("active_differs")
        if tw.client_user:
            found.append("client_in_teamwork")
    others = [f"teamwork:{p.person_id}" for p in match.teamwork[1:]]
    others += [f"projectworks:{u.user_id}" for u in match.projectworks[1:]]
    if others:
        found.append("shared_email")
    if not tw and not pw:
        found.append("not_found")
    return DirectoryEntry(
        email=match.key,
        name=match.name,
        kind="client" if tw and tw.client_user and not pw else "staff",
        teamwork=tw,
        projectworks=pw,
        other_ids=others or None,
        mismatches=found or None,
    )


@tool(
    name="unified_get_people_directory",
    title="People Directory (both systems)",
    toolset="unified.insights",
    kind="read",
    description="Everyone in Teamwork or Projectworks matched by e-mail: where each exists, staff or client, "
    "active, and the mismatches.",
)
async def people_directory(args: PeopleDirectoryInput, clients: Clients, ctx: ToolContext) -> PeopleDirectory:
    tw, pw = clients.require_both("people are matched across both systems")
    start_budget(ctx)
    gather = Gather(ctx)
    people = await read_people(gather, tw, pw, ctx)
    rows = [entry(people, m) for m in people.chosen(args.emails)]
    if args.emails is None:
        rows += [
            DirectoryEntry(
                name=full_name(p.first_name, p.last_name),
                kind="client" if people.client_user(p) else "staff",
                teamwork=teamwork_side(people, p),
                mismatches=["no_email"],
            )
            for p in people.teamwork_without_email
        ]
        rows += [
            DirectoryEntry(
                name=full_name(u.first_name, u.last_name),
                kind="staff",
                projectworks=projectworks_side(u),
                mismatches=["no_email"],
            )
            for u in people.projectworks_without_email
        ]
    summary = DirectorySummary(
        people=len(rows),
        in_both=sum(1 for r in rows if r.teamwork and r.projectworks),
        only_teamwork=sum(1 for r in rows if r.teamwork and not r.projectworks),
        only_projectworks=sum(1 for r in rows if r.projectworks and not r.teamwork),
        client_users=sum(1 for r in rows if r.kind == "client"),
        with_mismatches=sum(1 for r in rows if r.mismatches),
    )
    if args.only_mismatches:
        rows = [r for r in rows if r.mismatches]
    return PeopleDirectory(
        result=rows, summary=counted(summary), warnings=gather.warnings or None, cut_short=gather.cut_short()
    )
