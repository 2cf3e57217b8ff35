"""unified_get_capacity: per person per ISO week, the hours they can work (Projectworks postings, minus approved
leave) against the hours planned for them (Projectworks resourcing bookings, Teamwork planner allocations).

Per day of the range, for one person:
- capacity: the `capacityDays` hours of that weekday (DayOfWeekID 1 = Monday ... 7 = Sunday, ISO) in the posting
  covering the day (the latest-starting one when postings overlap); 0 outside every posting;
- leave: the hours of approved leave days (a leave status whose name contains "approved");
- available: capacity - leave, never below 0;
- booked: each Projectworks booking's hours spread evenly over its Monday-to-Friday days (all its days when it has
  none);
- allocated: each Teamwork allocation's minutes per day on its Monday-to-Friday days.
A week adds up its days inside the range. The two plans are often one plan kept in two places, so they are not
added: utilisation is the larger of booked and allocated over available, and `over_allocated` is true when either
exceeds available (or anything is planned on a week with no available hours).

Cost: both directories, leave statuses (cached), then at once: leave in the range, bookings (the API's date
filters drop bookings that cross the range's edges, so bookings are read without dates: for each person when
three or fewer are asked about, else all), allocations in the range, and one postings read per Projectworks user
in scope (the API has no list of everyone's postings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from projectops_mcp.projectworks import leave as pw_leave
from projectops_mcp.projectworks import resources as pw_resources
from projectops_mcp.projectworks.leave import Leave, ListLeavesInput
from projectops_mcp.projectworks.postings import Posting, read_user_records, to_posting
from projectops_mcp.projectworks.reference import all_leave_statuses
from projectops_mcp.projectworks.resources import ListResourcesInput, Resource
from projectops_mcp.projectworks.users import User
from projectops_mcp.teamwork import allocations as tw_allocations
from projectops_mcp.teamwork.allocations import Allocation, ListAllocationsInput
from projectops_mcp.toolkit import OutputModel, ToolContext, tool
from projectops_mcp.unified._common import Clients
from projectops_mcp.unified._gather import LARGEST_PAGE, CutShort, Gather, counted, start_budget
from projectops_mcp.unified._people import Match, PeriodInput, read_people

MAX_DAYS = 92
MAX_ROWS = 300
PER_PERSON_READS = 3  # at most this many people: bookings and leave are read per person, else for everyone


class CapacityInput(PeriodInput):
    max_days = MAX_DAYS
    end: date = Field(description=f"last day; at most {MAX_DAYS} days after start")
    only_over_allocated: bool = Field(False, description="only over-allocated weeks")


class CapacitySources(OutputModel):
    posting_ids: list[int] | None = None
    leave_ids: list[int] | None = None
    booking_ids: list[int] | None = None
    bookings_without_id: int | None = Field(None, description="capacity or pencilled bookings (no ResourceID)")
    allocation_ids: list[int] | None = None


class CapacityWeek(OutputModel):
    email: str | None = None
    name: str | None = None
    projectworks_user_id: int | None = None
    teamwork_person_id: int | None = None
    week: str = Field(description="ISO week, e.g. 2026-W49")
    week_start: str = Field(description="its Monday")
    days: int = Field(description="days of the range in this week")
    capacity_hours: float | None = Field(None, description="absent without a Projectworks user")
    leave_hours: float
    available_hours: float | None = None
    booked_hours: float = Field(description="Projectworks bookings")
    allocated_hours: float | None = Field(None, description="Teamwork allocations; absent without a Teamwork person")
    utilisation_percent: float | None = Field(None, description="larger plan / available")
    over_allocated: bool | None = None
    exceeded_by: list[Literal["bookings", "allocations"]] | None = Field(None, description="the plans over available")
    sources: CapacitySources


class CapacitySummary(OutputModel):
    people: int
    weeks: int
    over_allocated_weeks: int
    rows_left_out: int | None = Field(None, description=f"rows beyond {MAX_ROWS}; narrow people or the range")


class Capacity(OutputModel):
    result: list[CapacityWeek]
    summary: CapacitySummary | None = Field(None, description="absent when nothing was found")
    warnings: list[str] | None = None
    cut_short: CutShort | None = None


# ---------------------------------------------------------------------------------------------------------------
# Days
# ---------------------------------------------------------------------------------------------------------------


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def weekdays(first: date, last: date) -> int:
    return sum(1 for d in days_between(first, last) if d.weekday() < 5)


def employed_during(user: User, first: date, last: date) -> bool:
    """The user's employment dates (when given) share a day with [first, last]."""
    return overlaps(user.employee_start_date, user.employee_end_date, first, last)


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def overlaps(start: str | None, end: str | None, first: date, last: date) -> bool:
    """A record's [start, end] (missing = open) shares a day with [first, last]."""
    return (not start or start[:10] <= last.isoformat()) and (not end or end[:10] >= first.isoformat())


@dataclass
class Day:
    """One person's figures on one day, and the records they came from."""

    capacity: float = 0.0
    leave: float = 0.0
    booked: float = 0.0
    allocated: float = 0.0
    postings: set[int] = field(default_factory=set)
    leaves: set[int] = field(default_factory=set)
    bookings: set[int] = field(default_factory=set)
    unnumbered_bookings: set[int] = field(default_factory=set)  # index in the booking list
    allocations: set[int] = field(default_factory=set)


def posting_hours(postings: list[Posting], day: date) -> tuple[float, int | None]:
    """The weekday's hours in the posting covering `day` (latest start wins), and that posting's id."""
    text = day.isoformat()
    covering = [p for p in postings if p.start_date and p.start_date <= text and (not p.end_date or p.end_date >= text)]
    if not covering:
        return 0.0, None
    posting = max(covering, key=lambda p: p.start_date or "")
    hours = sum(d.hours for d in posting.capacity_days or [] if d.day_of_week == day.isoweekday())
    return float(hours), posting.posting_id


def spread(booking: Resource, first: date, last: date) -> dict[date, float]:
    """A booking's hours per day of [first, last]: its total over its Monday-to-Friday days."""
    start, end = parse_day(booking.start_date), parse_day(booking.end_date)
    if start is None or end is None or end < start or not booking.hours:
        return {}
    span = days_between(start, end)
    working = [d for d in span if d.weekday() < 5] or span
    share = booking.hours / len(working)
    return {d: share for d in working if first <= d <= last}


# ---------------------------------------------------------------------------------------------------------------
# The tool
# ---------------------------------------------------------------------------------------------------------------


@tool(
    name="unified_get_capacity",
    title="Capacity vs Planned (both systems)",
    toolset="unified.insights",
    kind="read",
    description="Per person per ISO week: Projectworks capacity minus approved leave against Projectworks bookings "
    "and Teamwork allocations, with utilisation and an over-allocation flag.",
)
async def capacity(args: CapacityInput, clients: Clients, ctx: ToolContext) -> Capacity:
    tw, pw = clients.require_both("capacity is in Projectworks, allocations in Teamwork")
    start_budget(ctx)
    gather = Gather(ctx)
    first, last = args.start, args.end
    people, statuses = await gather.all(
        lambda: read_people(gather, tw, pw, ctx),
        lambda: gather.one("Projectworks leave statuses", lambda: all_leave_statuses(pw)),
    )
    matches = people.chosen(args.people)
    pw_ids = [u.user_id for m in matches for u in m.projectworks]
    tw_ids = [p.person_id for m in matches for p in m.teamwork]  # used when people are asked about
    per_person = args.people is not None and len(pw_ids) <= PER_PERSON_READS
    if args.people is None:  # postings of everyone employed during the range
        pw_ids = [u.user_id for m in matches for u in m.projectworks if employed_during(u, first, last)]

    async def leave_of(user_id: int | None) -> list[Leave]:
        def page(p: int):
            query = ListLeavesInput(start_date=first, end_date=last, user_id=user_id, page=p, page_size=LARGEST_PAGE)
            return pw_leave.list_leaves.handler(query, pw, ctx)

        return await gather.pages("Projectworks leave" + (f" of user {user_id}" if user_id else ""), page)

    async def bookings_of(user_id: int | None) -> list[Resource]:
        def page(p: int):
            return pw_resources.list_resources.handler(
                ListResourcesInput(user_id=user_id, page=p, page_size=LARGEST_PAGE), pw, ctx
            )

        return await gather.pages("Projectworks bookings" + (f" of user {user_id}" if user_id else ""), page)

    async def allocations() -> list[Allocation]:
        if args.people is not None and not tw_ids:
            return []

        def page(p: int):
            query = ListAllocationsInput(
                start_date=first,
                end_date=last,
                user_ids=tw_ids if args.people else None,
                page=p,
                page_size=LARGEST_PAGE,
            )
            return tw_allocations.list_allocations.handler(query, tw, ctx)

        return await gather.pages("Teamwork allocations", page)

    def postings_of(user_id: int) -> str:
        return f"Projectworks postings of user {user_id}"

    async def all_of(read, ids: list[int]) -> list:
        if not per_person:
            return await read(None)
        return [r for part in await gather.all(*(lambda i=i: read(i) for i in ids)) for r in part]

    leaves, bookings, allocated, postings = await gather.all(
        lambda: all_of(leave_of, pw_ids),
        lambda: all_of(bookings_of, pw_ids),
        allocations,
        lambda: gather.each(pw_ids, postings_of, lambda uid: read_user_records(pw, uid, "Postings")),
    )
    approved = {s.status_id for s in statuses or [] if "approved" in (s.name or "").casefold()}
    if statuses is not None and not approved:
        gather.warnings.append("No Projectworks leave status is named Approved: no leave was subtracted.")
    posting_table: dict[int, list[Posting]] = {}
    for user_id, records in zip(pw_ids, postings, strict=True):
        if records is None and postings_of(user_id) not in gather.missing:
            gather.warnings.append(f"Postings of Projectworks user {user_id} could not be read (404/405).")
        elif records is not None:
            posting_table[user_id] = [to_posting(user_id, r) for r in records]
    approved_leave = [lv for lv in leaves if lv.status_id in approved]
    days = build_days(posting_table, approved_leave, bookings, allocated, first, last)
    rows = [row for m in matches for row in weeks_of(m, days, posting_table, first, last)]
    if args.people is not None:
        shown = {r.email for r in rows}
        for m in matches:
            if not m.teamwork and not m.projectworks:
                gather.warnings.append(f"{m.key}: in neither system.")
            elif m.key not in shown:
                gather.warnings.append(f"{m.key}: no posting, leave, booking or allocation in the range.")
    summary = CapacitySummary(
        people=len({(r.email, r.projectworks_user_id, r.teamwork_person_id) for r in rows}),
        weeks=len(rows),
        over_allocated_weeks=sum(1 for r in rows if r.over_allocated),
    )
    if args.only_over_allocated:
        rows = [r for r in rows if r.over_allocated]
    if len(rows) > MAX_ROWS:
        summary.rows_left_out = len(rows) - MAX_ROWS
        rows = rows[:MAX_ROWS]
    return Capacity(
        result=rows, summary=counted(summary), warnings=gather.warnings or None, cut_short=gather.cut_short()
    )


Key = tuple[str, int]  # ("pw" | "tw", native id): whose day it is


def build_days(
    postings: dict[int, list[Posting]],
    leaves: list[Leave],
    bookings: list[Resource],
    allocations: list[Allocation],
    first: date,
    last: date,
) -> dict[Key, dict[date, Day]]:
    """Every figure of every day, per Projectworks user and per Teamwork person."""
    table: dict[Key, dict[date, Day]] = defaultdict(lambda: defaultdict(Day))
    for user_id, user_postings in postings.items():
        for day in days_between(first, last):
            hours, posting_id = posting_hours(user_postings, day)
            if posting_id is not None:
                slot = table[("pw", user_id)][day]
                slot.capacity += hours
                slot.postings.add(posting_id)
    for leave in leaves:
        for leave_day in leave.days or []:
            day = parse_day(leave_day.date)
            if leave.user_id is not None and day is not None and first <= day <= last:
                slot = table[("pw", leave.user_id)][day]
                slot.leave += leave_day.hours or 0
                slot.leaves.add(leave.leave_id)
    for index, booking in enumerate(bookings):
        if booking.user_id is None:
            continue
        for day, hours in spread(booking, first, last).items():
            slot = table[("pw", booking.user_id)][day]
            slot.booked += hours
            if booking.resource_id is None:
                slot.unnumbered_bookings.add(index)
            else:
                slot.bookings.add(booking.resource_id)
    for allocation in allocations:
        start, end = parse_day(allocation.start_date), parse_day(allocation.end_date)
        if allocation.user_id is None or start is None or end is None or allocation.status == "deleted":
            continue
        for day in days_between(max(start, first), min(end, last)):
            if day.weekday() < 5:
                slot = table[("tw", allocation.user_id)][day]
                slot.allocated += (allocation.minutes_per_day or 0) / 60
                slot.allocations.add(allocation.allocation_id)
    return table


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_of(
    match: Match, table: dict[Key, dict[date, Day]], postings: dict[int, list[Posting]], first: date, last: date
) -> Iterable[CapacityWeek]:
    """One person's rows, one per ISO week of the range; none when nothing at all is known for them."""
    pw, tw = match.pw, match.tw
    pw_days = table.get(("pw", pw.user_id), {}) if pw else {}
    tw_days = table.get(("tw", tw.person_id), {}) if tw else {}
    if not pw_days and not tw_days:
        return
    knows_capacity = pw is not None and pw.user_id in postings
    weeks: dict[str, list[date]] = defaultdict(list)
    for day in days_between(first, last):
        weeks[iso_week(day)].append(day)
    for week, week_days in weeks.items():
        mine = [pw_days[d] for d in week_days if d in pw_days]
        theirs = [tw_days[d] for d in week_days if d in tw_days]
        capacity = sum(d.capacity for d in mine)
        leave = sum(d.leave for d in mine)
        available = sum(max(0.0, d.capacity - d.leave) for d in mine)
        booked = sum(d.booked for d in mine)
        allocated = sum(d.allocated for d in theirs)
        planned = max(booked, allocated)
        over, exceeded, utilisation = None, None, None
        if knows_capacity:
            plans = (("bookings", booked), ("allocations", allocated))
            exceeded = [name for name, hours in plans if hours > available + 0.005] or None
            over = exceeded is not None
            utilisation = round(100 * planned / available, 1) if available else None
        yield CapacityWeek(
            email=match.key or None,
            name=match.name,
            projectworks_user_id=pw.user_id if pw else None,
            teamwork_person_id=tw.person_id if tw else None,
            week=week,
            week_start=(week_days[0] - timedelta(week_days[0].weekday())).isoformat(),
            days=len(week_days),
            capacity_hours=round(capacity, 2) if knows_capacity else None,
            leave_hours=round(leave, 2),
            available_hours=round(available, 2) if knows_capacity else None,
            booked_hours=round(booked, 2),
            allocated_hours=round(allocated, 2) if tw else None,
            utilisation_percent=utilisation,
            over_allocated=over,
            exceeded_by=exceeded,
            sources=CapacitySources(
                posting_ids=sorted({i for d in mine for i in d.postings}) or None,
                leave_ids=sorted({i for d in mine for i in d.leaves}) or None,
                booking_ids=sorted({i for d in mine for i in d.bookings}) or None,
                bookings_without_id=len({i for d in mine for i in d.unnumbered_bookings}) or None,
                allocation_ids=sorted({i for d in theirs for i in d.allocations}) or None,
            ),
        )
