"""unified_get_time_reconciliation: Teamwork time entries against Projectworks timesheets, per person per day, listing
the days where they differ, and the people whose time is in one system only.

A Teamwork entry counts on the UTC date of its `timeLogged`; a Projectworks entry on its `Date`. People are matched
by e-mail (_people.py). Cost: both directories, Teamwork's entries in the range (pages of 500, only the asked
people's when `people` is given) and Projectworks timesheets one day at a time (its API filters by a single day,
not a range), all days at once, with the user's filter when one Projectworks user is asked about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from projectops_mcp.projectworks import timesheets as pw_timesheets
from projectops_mcp.projectworks.timesheets import ListTimesheetsInput, Timesheet
from projectops_mcp.teamwork import time_entries as tw_time
from projectops_mcp.teamwork.time_entries import ListTimeEntriesInput, TimeEntry
from projectops_mcp.toolkit import OutputModel, ToolContext, tool
from projectops_mcp.unified._common import Clients
from projectops_mcp.unified._gather import LARGEST_PAGE, CutShort, Gather, counted, start_budget
from projectops_mcp.unified._people import Match, People, PeriodInput, read_people

MAX_DAYS = 62


class TimeReconciliationInput(PeriodInput):
    max_days = MAX_DAYS
    end: date = Field(description=f"last day; at most {MAX_DAYS} days after start")
    tolerance_minutes: int = Field(0, ge=0, le=240, description="differences up to this are not listed")


class DayDifference(OutputModel):
    email: str
    name: str | None = None
    date: str
    teamwork_minutes: int
    projectworks_minutes: int
    difference_minutes: int = Field(description="Teamwork minus Projectworks")
    teamwork_person_id: int
    projectworks_user_id: int
    time_entry_ids: list[int] | None = Field(None, description="Teamwork")
    timesheet_ids: list[int] | None = Field(None, description="Projectworks")


class OneSystemOnly(OutputModel):
    source: Literal["teamwork", "projectworks"]
    id: int = Field(description="the person's (Teamwork) or user's (Projectworks) id")
    email: str | None = None
    name: str | None = None
    why: str
    minutes: int
    days: int
    entry_ids: list[int] = Field(description="time entry or timesheet ids")


class ReconciliationSummary(OutputModel):
    people_compared: int
    days_compared: int = Field(description="person-days with time in either system")
    days_differing: int
    teamwork_minutes: int
    projectworks_minutes: int


class TimeReconciliation(OutputModel):
    result: list[DayDifference]
    only_in_one_system: list[OneSystemOnly]
    summary: ReconciliationSummary | None = Field(None, description="absent when nothing was found")
    warnings: list[str] | None = None
    cut_short: CutShort | None = None


@dataclass
class Logged:
    """Minutes on one day and the entries they came from."""

    minutes: int = 0
    ids: list[int] = field(default_factory=list)

    def add(self, minutes: int | None, entry_id: int | None) -> None:
        self.minutes += minutes or 0
        if entry_id is not None:
            self.ids.append(entry_id)


@tool(
    name="unified_get_time_reconciliation",
    title="Time Reconciliation (both systems)",
    toolset="unified.insights",
    kind="read",
    description="Teamwork time entries against Projectworks timesheets per person per day: the days that differ, "
    "and people with time in one system only.",
)
async def time_reconciliation(args: TimeReconciliationInput, clients: Clients, ctx: ToolContext) -> TimeReconciliation:
    tw, pw = clients.require_both("time is compared across both systems")
    start_budget(ctx)
    gather = Gather(ctx)
    people = await read_people(gather, tw, pw, ctx)
    matches = people.chosen(args.people)
    tw_ids = [p.person_id for m in matches for p in m.teamwork]
    pw_ids = [u.user_id for m in matches for u in m.projectworks]
    days = [args.start + timedelta(n) for n in range((args.end - args.start).days + 1)]
    only_user = pw_ids[0] if args.people is not None and len(pw_ids) == 1 else None

    async def teamwork_entries() -> list[TimeEntry]:
        if args.people is not None and not tw_ids:
            return []

        def page(p: int):
            query = ListTimeEntriesInput(
                start_date=args.start,
                end_date=args.end,
                user_ids=tw_ids if args.people is not None else None,
                page=p,
                page_size=LARGEST_PAGE,
            )
            return tw_time.list_time_entries.handler(query, tw, ctx)

        return await gather.pages("Teamwork time entries", page)

    async def timesheets_on(day: date) -> list[Timesheet]:
        def page(p: int):
            query = ListTimesheetsInput(date=day, user_id=only_user, page=p, page_size=LARGEST_PAGE)
            return pw_timesheets.list_timesheets.handler(query, pw, ctx)

        return await gather.pages(f"Projectworks timesheets of {day.isoformat()}", page)

    skip_projectworks = args.people is not None and not pw_ids
    entries, *per_day = await gather.all(
        teamwork_entries, *(() if skip_projectworks else (lambda d=d: timesheets_on(d) for d in days))
    )
    timesheets = [t for day_sheets in per_day for t in day_sheets]
    return reconcile(args, people, matches, entries, timesheets, gather)


def reconcile(
    args: TimeReconciliationInput,
    people: People,
    matches: list[Match],
    entries: list[TimeEntry],
    timesheets: list[Timesheet],
    gather: Gather,
) -> TimeReconciliation:
    first, last = args.start.isoformat(), args.end.isoformat()
    tw_logged: dict[int, dict[str, Logged]] = defaultdict(lambda: defaultdict(Logged))
    pw_logged: dict[int, dict[str, Logged]] = defaultdict(lambda: defaultdict(Logged))
    for entry in entries:
        if entry.user_id is not None and entry.date and first <= entry.date <= last:
            tw_logged[entry.user_id][entry.date].add(entry.minutes, entry.time_entry_id)
    for sheet in timesheets:
        if sheet.user_id is not None and sheet.date and first <= sheet.date <= last:
            pw_logged[sheet.user_id][sheet.date].add(sheet.minutes, sheet.timesheet_id)
    rows: list[DayDifference] = []
    compared = days_compared = 0
    seen_tw: set[int] = set()
    seen_pw: set[int] = set()
    for match in matches:
        tw, pw = match.tw, match.pw
        if tw is None or pw is None:
            continue
        seen_tw.update(p.person_id for p in match.teamwork)
        seen_pw.update(u.user_id for u in match.projectworks)
        compared += 1
        tw_days, pw_days = tw_logged.get(tw.person_id, {}), pw_logged.get(pw.user_id, {})
        for day in sorted(set(tw_days) | set(pw_days)):
            days_compared += 1
            left, right = tw_days.get(day, Logged()), pw_days.get(day, Logged())
            if abs(left.minutes - right.minutes) > args.tolerance_minutes:
                rows.append(
                    DayDifference(
                        email=match.key,
                        name=match.name,
                        date=day,
                        teamwork_minutes=left.minutes,
                        projectworks_minutes=right.minutes,
                        difference_minutes=left.minutes - right.minutes,
                        teamwork_person_id=tw.person_id,
                        projectworks_user_id=pw.user_id,
                        time_entry_ids=sorted(left.ids) or None,
                        timesheet_ids=sorted(right.ids) or None,
                    )
                )
    chosen_tw = {p.person_id for m in matches for p in m.teamwork} if args.people is not None else None
    chosen_pw = {u.user_id for m in matches for u in m.projectworks} if args.people is not None else None
    tw_bare = {p.person_id for p in people.teamwork_without_email}
    pw_bare = {u.user_id for u in people.projectworks_without_email}
    alone = one_system_only("teamwork", tw_logged, seen_tw, chosen_tw, people.by_teamwork_id(), tw_bare)
    alone += one_system_only("projectworks", pw_logged, seen_pw, chosen_pw, people.by_projectworks_id(), pw_bare)
    summary = ReconciliationSummary(
        people_compared=compared,
        days_compared=days_compared,
        days_differing=len(rows),
        teamwork_minutes=sum(logged.minutes for days in tw_logged.values() for logged in days.values()),
        projectworks_minutes=sum(logged.minutes for days in pw_logged.values() for logged in days.values()),
    )
    if not people.complete:
        gather.warnings.append("A directory was not read in full: some people may be listed as in one system only.")
    return TimeReconciliation(
        result=rows,
        only_in_one_system=alone,
        summary=counted(summary),
        warnings=gather.warnings or None,
        cut_short=gather.cut_short(),
    )


def one_system_only(
    source: Literal["teamwork", "projectworks"],
    logged: dict[int, dict[str, Logged]],
    compared: set[int],
    chosen: set[int] | None,
    directory: dict[int, Match],
    without_email: set[int],
) -> list[OneSystemOnly]:
    """Who logged time in `source` but has no counterpart in the other system (or is not in the directory)."""
    other = "Projectworks user" if source == "teamwork" else "Teamwork person"
    out = []
    for native_id, days in sorted(logged.items()):
        if native_id in compared or (chosen is not None and native_id not in chosen):
            continue
        match = directory.get(native_id)
        if native_id in without_email:
            why = "has no e-mail address to match"
        elif match is None:
            why = "not in the directory (deleted, or no longer visible)"
        else:
            why = f"no {other} with this e-mail"
        out.append(
            OneSystemOnly(
                source=source,
                id=native_id,
                email=match.key if match else None,
                name=match.name if match else None,
                why=why,
                minutes=sum(d.minutes for d in days.values()),
                days=len(days),
                entry_ids=sorted(i for d in days.values() for i in d.ids),
            )
        )
    return out
