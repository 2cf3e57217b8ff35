"""Who is who across both systems, the rule every cross-system answer uses: a Teamwork person and a Projectworks
user are the same person when their e-mail addresses match, trimmed and case-insensitive. Ids never match across
systems. Staff or client and active or not are what unified_list_users says (its mappings in users.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from projectops_mcp.projectworks import users as pw_users
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.projectworks.users import ListUsersInput, User
from projectops_mcp.teamwork import people as tw_people
from projectops_mcp.teamwork.client import TeamworkClient
from projectops_mcp.teamwork.people import ListPeopleInput, Person
from projectops_mcp.toolkit import InputModel, ToolContext
from projectops_mcp.unified._gather import LARGEST_PAGE, Gather
from projectops_mcp.unified.users import PROJECTWORKS_USER, TEAMWORK_USER, owner_company_id


class PeriodInput(InputModel):
    """A question about some days (at most `max_days`) and, optionally, some people by e-mail."""

    max_days: ClassVar[int]
    start: date = Field(description="first day, YYYY-MM-DD")
    end: date
    people: list[str] | None = Field(None, min_length=1, max_length=200, description="e-mail addresses; default all")

    @model_validator(mode="after")
    def _range(self) -> PeriodInput:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        if (self.end - self.start).days >= self.max_days:
            raise ValueError(f"the range may span at most {self.max_days} days")
        return self


def email_key(email: str | None) -> str | None:
    """The matching key of an e-mail address: trimmed, case-folded; None when blank."""
    key = (email or "").strip().casefold()
    return key or None


def full_name(first: str | None, last: str | None) -> str | None:
    return " ".join(p.strip() for p in (first, last) if p and p.strip()) or None


def same_name(a: str | None, b: str | None) -> bool:
    """Names compared case-insensitively, runs of spaces as one."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def pw_active(user: User) -> bool:
    return bool(PROJECTWORKS_USER.build(user).is_active is not False)


@dataclass
class Match:
    """One person across both systems (usually one record per side; more when an e-mail is shared)."""

    key: str
    teamwork: list[Person] = field(default_factory=list)
    projectworks: list[User] = field(default_factory=list)

    @property
    def tw(self) -> Person | None:
        return self.teamwork[0] if self.teamwork else None

    @property
    def pw(self) -> User | None:
        return self.projectworks[0] if self.projectworks else None

    @property
    def name(self) -> str | None:
        pw, tw = self.pw, self.tw
        return (pw and full_name(pw.first_name, pw.last_name)) or (tw and full_name(tw.first_name, tw.last_name))


@dataclass
class People:
    """Both directories, matched by e-mail; records without an e-mail are kept apart (they cannot be matched)."""

    matches: dict[str, Match]
    teamwork_without_email: list[Person]
    projectworks_without_email: list[User]
    owner_company_id: int | None
    complete: bool = True  # False when the budget stopped a directory part-way

    def client_user(self, person: Person) -> bool:
        return TEAMWORK_USER.build(person, owner_company_id=self.owner_company_id).user_type == "client"

    @staticmethod
    def tw_active(person: Person) -> bool:
        return bool(TEAMWORK_USER.build(person).is_active)

    def by_teamwork_id(self) -> dict[int, Match]:
        return {p.person_id: m for m in self.matches.values() for p in m.teamwork}

    def by_projectworks_id(self) -> dict[int, Match]:
        return {u.user_id: m for m in self.matches.values() for u in m.projectworks}

    def chosen(self, emails: Iterable[str] | None) -> list[Match]:
        """The matches for these e-mail addresses (all when None), in e-mail order."""
        if emails is None:
            return [self.matches[k] for k in sorted(self.matches)]
        keys = sorted({k for k in (email_key(e) for e in emails) if k})
        return [self.matches.get(k) or Match(k) for k in keys]


async def read_people(gather: Gather, tw: TeamworkClient, pw: ProjectworksClient, ctx: ToolContext) -> People:
    """Every Teamwork person and Projectworks user (pages of 500, both at once), matched by e-mail."""
    missing_before = len(gather.missing)
    people, users = await gather.all(
        lambda: gather.pages(
            "Teamwork people",
            lambda page: tw_people.list_people.handler(ListPeopleInput(page=page, page_size=LARGEST_PAGE), tw, ctx),
        ),
        lambda: gather.pages(
            "Projectworks users",
            lambda page: pw_users.list_users.handler(ListUsersInput(page=page, page_size=LARGEST_PAGE), pw, ctx),
        ),
    )
    owner = await gather.one("Teamwork me (the site owner's company)", lambda: owner_company_id(tw, ctx))
    matches: dict[str, Match] = {}
    tw_bare: list[Person] = []
    pw_bare: list[User] = []
    for person in people:
        key = email_key(person.email)
        if key is None:
            tw_bare.append(person)
        else:
            matches.setdefault(key, Match(key)).teamwork.append(person)
    for user in users:
        key = email_key(user.email)
        if key is None:
            pw_bare.append(user)
        else:
            matches.setdefault(key, Match(key)).projectworks.append(user)
    return People(matches, tw_bare, pw_bare, owner, complete=len(gather.missing) == missing_before)
