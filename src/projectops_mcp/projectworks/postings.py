"""Employment: a user's postings and leave balances, written and read back.

A posting (office, team, position, cost rate, weekly capacity) is what Projectworks needs before it keeps leave
balances. `PUT /Users/{id}/Postings` creates one (despite PUT) and nothing in the API ends or deletes one, so a
second posting starting the same day is refused unless `allow_overlap` is set, and other overlaps are reported.
Reading postings and balances back (GET on the same paths) is not in Autohive's reference: where an account
answers 404/405 there, the tools say so.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import no_duplicates, without_none
from projectops_mcp.projectworks._common import date_part, require_user, sub_records
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.projectworks.reference import all_leave_types, require_leave_types, require_office
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LIST_POSTINGS = "projectworks_list_user_postings"
NO_POSTING_FIX = "projectworks_update_user_posting"


async def read_user_records(pw: ProjectworksClient, user_id: int, what: str) -> list[dict[str, Any]] | None:
    """GET /Users/{id}/{what}; None when this account does not serve that read. A missing user is refused."""
    records = await sub_records(pw, f"/Users/{user_id}/{what}")
    if records is None:
        await require_user(pw, user_id, "user_id")  # a 404 for the user itself names the tool that finds users
    return records


def unreadable(user_id: int, what: str, sub_path: str) -> UpstreamError:
    return UpstreamError(
        f"This Projectworks account does not let the API read {what} (GET /Users/{user_id}/{sub_path} "
        "answered 404/405)",
        backend="Projectworks",
        status=404,
        method="GET",
        path=f"/Users/{user_id}/{sub_path}",
        then=("The result of the write that set them is the only record available through the API.",),
    )


# ---------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------


class CapacityDay(InputModel):
    day_of_week: int = Field(ge=1, le=7, description="Day of the week, 1-7 (Projectworks day-of-week id).")
    hours: float = Field(ge=0, le=24, description="Working hours on that day.")


def _posting_id_field(what: str) -> Any:
    return Field(gt=0, description=f"{what}, from projectworks_list_reference_ids.")


class UpdateUserPostingInput(InputModel):
    user_id: int = Field(gt=0, description="from projectworks_list_users")
    start_date: date = Field(description="First day of the posting, YYYY-MM-DD.")
    end_date: date | None = Field(None, description="Last day of the posting; omit for open-ended.")
    is_billable: bool = Field(description="Whether the user's time is billable.")
    recoverable: int = Field(description="Recoverable code, from projectworks_list_reference_ids.")
    rate: float = Field(ge=0, description="Cost rate per hour.")
    office_id: int = Field(gt=0, description="Office; from projectworks_list_offices")
    location_id: int = _posting_id_field("Location")
    team_id: int = _posting_id_field("Team")
    position_id: int = _posting_id_field("Position")
    agreement_type_id: int = _posting_id_field("Agreement type")
    currency_id: int = _posting_id_field("Currency")
    rank_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    holiday_calendar_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    manager_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    capacity_days: list[CapacityDay] | None = Field(
        None, description="Working hours per weekday, e.g. [{day_of_week: 1, hours: 8}]; each day at most once."
    )
    allow_overlap: bool = Field(
        False, description="Create it even if a posting starts the same day (postings cannot be deleted via the API)."
    )
    allow_unverified_ids: bool = ALLOW_UNVERIFIED

    @field_validator("capacity_days")
    @classmethod
    def _one_entry_per_day(cls, value: list[CapacityDay] | None) -> list[CapacityDay] | None:
        if value:
            no_duplicates([d.day_of_week for d in value], "day_of_week")
        return value

    def reference_ids(self) -> dict[str, tuple[str, int | None]]:
        """The posting dimensions with no lookup endpoint, checked against known_ids.py."""
        return {
            "recoverable": ("recoverable", self.recoverable),
            "location_id": ("location", self.location_id),
            "team_id": ("team", self.team_id),
            "position_id": ("position", self.position_id),
            "agreement_type_id": ("agreement_type", self.agreement_type_id),
            "currency_id": ("currency", self.currency_id),
            "rank_id": ("rank", self.rank_id),
            "holiday_calendar_id": ("holiday_calendar", self.holiday_calendar_id),
        }


class CapacityDayOut(OutputModel):
    day_of_week: int
    hours: float


class Posting(OutputModel):
    user_id: int
    posting_id: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    is_billable: bool | None = None
    recoverable: int | None = None
    rate: float | None = None
    office_id: int | None = None
    location_id: int | None = None
    team_id: int | None = None
    position_id: int | None = None
    agreement_type_id: int | None = None
    currency_id: int | None = None
    rank_id: int | None = None
    holiday_calendar_id: int | None = None
    manager_id: int | None = None
    capacity_days: list[CapacityDayOut] | None = None
    warning: str | None = Field(None, description="Set when the new posting overlaps an existing one.")


def posting_body(args: UpdateUserPostingInput) -> dict[str, Any]:
    """Body of reference §2.4 #55: camelCase, userID NOT in the body (path only), capacityDays typed."""
    capacity = None
    if args.capacity_days is not None:
        capacity = [{"dayOfWeekID": d.day_of_week, "hours": d.hours} for d in args.capacity_days]
    return without_none(
        startDate=args.start_date.isoformat(),
        endDate=args.end_date.isoformat() if args.end_date else None,
        isBillable=args.is_billable,
        recoverable=args.recoverable,
        rate=args.rate,
        officeID=args.office_id,
        locationID=args.location_id,
        teamID=args.team_id,
        positionID=args.position_id,
        agreementTypeID=args.agreement_type_id,
        currencyID=args.currency_id,
        rankID=args.rank_id,
        holidayCalendarID=args.holiday_calendar_id,
        managerID=args.manager_id,
        capacityDays=capacity,
    )


def to_posting(user_id: int, record: dict[str, Any]) -> Posting:
    """A posting from either a PascalCase response record or our own camelCase body (when the reply was empty)."""
    days = pick(record, "CapacityDays")
    return Posting(
        user_id=user_id,
        posting_id=pick(record, "PostingID", "ID"),
        start_date=date_part(pick(record, "StartDate")),
        end_date=date_part(pick(record, "EndDate")),
        is_billable=pick(record, "IsBillable"),
        recoverable=pick(record, "Recoverable"),
        rate=pick(record, "Rate"),
        office_id=pick(record, "OfficeID"),
        location_id=pick(record, "LocationID"),
        team_id=pick(record, "TeamID"),
        position_id=pick(record, "PositionID"),
        agreement_type_id=pick(record, "AgreementTypeID"),
        currency_id=pick(record, "CurrencyID"),
        rank_id=pick(record, "RankID"),
        holiday_calendar_id=pick(record, "HolidayCalendarID"),
        manager_id=pick(record, "ManagerID"),
        capacity_days=None
        if days is None
        else [CapacityDayOut(day_of_week=pick(d, "DayOfWeekID"), hours=pick(d, "Hours")) for d in days],
    )


def span(posting: Posting) -> str:
    return f"posting {posting.posting_id} ({posting.start_date} to {posting.end_date or 'open-ended'})"


def overlaps(posting: Posting, start: date, end: date | None) -> bool:
    """Whether two date ranges share a day (None = open-ended)."""
    if not posting.start_date:
        return False
    other_end = posting.end_date or "9999-12-31"
    return posting.start_date <= (end.isoformat() if end else "9999-12-31") and other_end >= start.isoformat()


@tool(
    name="projectworks_update_user_posting",
    title="Update User Posting",
    toolset="projectworks.people",
    kind="create",
    lookup=LIST_POSTINGS,
    description="Create a user's employment posting (billability, cost rate, office, team, weekly capacity); leave "
    "balances need one.",
)
async def update_user_posting(args: UpdateUserPostingInput, pw: ProjectworksClient, ctx: ToolContext) -> Posting:
    if args.end_date is not None and args.end_date < args.start_date:
        raise InputError("end_date", "is before start_date.")
    await require_office(pw, args.office_id)
    existing = [to_posting(args.user_id, r) for r in await read_user_records(pw, args.user_id, "Postings") or []]
    same_start = [p for p in existing if p.start_date == args.start_date.isoformat()]
    if same_start and not args.allow_overlap:
        raise PrerequisiteError(
            f"User {args.user_id} already has {span(same_start[0])}, starting the same day: this would be a second "
            "posting, and the API cannot end or delete one, so it could not be undone here. Send allow_overlap: "
            "true if the user really needs both.",
            fix_with=LIST_POSTINGS,
        )
    body = posting_body(args)
    async with vouched(pw, args.reference_ids(), args.allow_unverified_ids):
        # Despite PUT, this creates a posting: never re-send it after it may have landed.
        data = await pw.put(f"/Users/{args.user_id}/Postings", body, idempotent=False)
    posting = to_posting(args.user_id, data if isinstance(data, dict) and data else body)
    clashes = [p for p in existing if overlaps(p, args.start_date, args.end_date)]
    if clashes:
        posting.warning = (
            f"It overlaps {', '.join(span(p) for p in clashes)}; check with {LIST_POSTINGS} that Projectworks "
            "ended the earlier one as intended."
        )
    return posting


class UserIdInput(InputModel):
    user_id: int = Field(gt=0, description="from projectworks_list_users")


class UserPostings(OutputModel):
    items: list[Posting]
    page: int = 1
    page_size: int
    has_more: bool = False
    active_posting_id: int | None = Field(None, description="The posting covering today, if any.")


@tool(
    name=LIST_POSTINGS,
    title="List User Postings",
    toolset="projectworks.people",
    kind="read",
    description="A user's employment postings, oldest first, and which one covers today.",
)
async def list_user_postings(args: UserIdInput, pw: ProjectworksClient, ctx: ToolContext) -> UserPostings:
    records = await read_user_records(pw, args.user_id, "Postings")
    if records is None:
        raise unreadable(args.user_id, "postings", "Postings")
    postings = sorted((to_posting(args.user_id, r) for r in records), key=lambda p: p.start_date or "")
    active = next((p for p in postings if covers_today(p, date.today())), None)
    return UserPostings(
        items=postings, page_size=max(len(postings), 1), active_posting_id=active.posting_id if active else None
    )


# ---------------------------------------------------------------------------------------------------------------
# Leave balances (prerequisite: a posting covering today)
# ---------------------------------------------------------------------------------------------------------------


class LeaveBalance(InputModel):
    leave_type_id: int = Field(gt=0, description="from projectworks_list_leave_types")
    balance: float = Field(description="The balance to set (may be negative).")
    unit: Literal["Hours", "Days"] = Field(description="Unit of balance: Hours or Days.")


class UpdateUserLeaveBalancesInput(InputModel):
    user_id: int = Field(gt=0, description="The user (projectworks_list_users); needs a posting covering today.")
    balances: list[LeaveBalance] = Field(
        min_length=1, description="The balances to set, one per leave type; types not listed are left alone."
    )

    @field_validator("balances")
    @classmethod
    def _one_per_type(cls, value: list[LeaveBalance]) -> list[LeaveBalance]:
        no_duplicates([b.leave_type_id for b in value], "leave_type_id")
        return value


class LeaveBalanceOut(OutputModel):
    leave_type_id: int
    leave_type_name: str | None = None
    balance: float | None = None
    unit: str | None = None


class UserLeaveBalances(OutputModel):
    user_id: int
    balances: list[LeaveBalanceOut]
    updated: bool | None = Field(None, description="True on the result of a write.")
    note: str | None = Field(None, description="How the posting prerequisite was checked, when not directly.")


def covers_today(posting: Posting, today: date) -> bool:
    day = today.isoformat()
    return bool(posting.start_date) and posting.start_date <= day and (not posting.end_date or posting.end_date >= day)


def why_not_today(posting: Posting, today: date) -> str:
    """Why a posting does not count for leave balances, e.g. 'posting 9101 starts 2026-12-07, after today'."""
    if not posting.start_date:
        return f"posting {posting.posting_id} has no start date"
    if posting.start_date > today.isoformat():
        return f"posting {posting.posting_id} starts {posting.start_date}, after today"
    return f"posting {posting.posting_id} ended {posting.end_date}"


def no_posting_today(user_id: int, postings: list[Posting], today: date) -> PrerequisiteError:
    needs = f"Leave balances need a posting covering today ({today.isoformat()})"
    if not postings:
        return PrerequisiteError(f"User {user_id} has no posting at all. {needs}.", fix_with=NO_POSTING_FIX)
    reasons = "; ".join(why_not_today(p, today) for p in postings)
    later = [p.start_date for p in postings if p.start_date and p.start_date > today.isoformat()]
    then = f" Set the balances on or after {min(later)}, or create" if later else " Create"
    return PrerequisiteError(
        f"User {user_id} has postings, but none covers today: {reasons}. {needs}.{then} one starting today or "
        f"earlier with {NO_POSTING_FIX}.",
        fix_with=NO_POSTING_FIX,
    )


@tool(
    name="projectworks_update_user_leave_balances",
    title="Update User Leave Balances",
    toolset="projectworks.people",
    kind="put",
    lookup="projectworks_get_user_leave_balances",
    description="Set a user's leave balances per leave type; the user needs an active posting "
    "(projectworks_update_user_posting).",
)
async def update_user_leave_balances(
    args: UpdateUserLeaveBalancesInput, pw: ProjectworksClient, ctx: ToolContext
) -> UserLeaveBalances:
    await require_leave_types(pw, [b.leave_type_id for b in args.balances], "balances[].leave_type_id")
    records = await read_user_records(pw, args.user_id, "Postings")
    today = date.today()
    if records is not None:
        postings = [to_posting(args.user_id, r) for r in records]
        if not any(covers_today(p, today) for p in postings):
            raise no_posting_today(args.user_id, postings, today)
    body = {"balances": [{"leaveTypeID": b.leave_type_id, "balance": b.balance, "unit": b.unit} for b in args.balances]}
    try:
        # Empty 200 body (reference §2.4 #54): the result echoes what was set.
        await pw.put(f"/Users/{args.user_id}/LeaveBalances", body)
    except UpstreamError as exc:
        if records is None and exc.status in (400, 409, 422):
            raise PrerequisiteError(
                f"{exc} Postings could not be read beforehand, and this rejection usually means the user has no "
                "posting covering today.",
                fix_with=NO_POSTING_FIX,
            ) from None
        raise
    names = {t.type_id: t.name for t in await all_leave_types(pw)}
    balances = [
        LeaveBalanceOut(
            leave_type_id=b.leave_type_id, leave_type_name=names.get(b.leave_type_id), balance=b.balance, unit=b.unit
        )
        for b in args.balances
    ]
    note = None
    if records is None:
        note = "Postings could not be listed (GET /Users/{id}/Postings unavailable); the write itself was accepted."
    return UserLeaveBalances(user_id=args.user_id, balances=balances, updated=True, note=note)


@tool(
    name="projectworks_get_user_leave_balances",
    title="Get User Leave Balances",
    toolset="projectworks.people",
    kind="read",
    description="A user's leave balances per leave type, as Projectworks holds them.",
)
async def get_user_leave_balances(args: UserIdInput, pw: ProjectworksClient, ctx: ToolContext) -> UserLeaveBalances:
    records = await read_user_records(pw, args.user_id, "LeaveBalances")
    if records is None:
        raise unreadable(args.user_id, "leave balances", "LeaveBalances")
    names = {t.type_id: t.name for t in await all_leave_types(pw)}
    balances = [
        LeaveBalanceOut(
            leave_type_id=pick(r, "LeaveTypeID", "TypeID"),
            leave_type_name=names.get(pick(r, "LeaveTypeID", "TypeID")),
            balance=pick(r, "Balance"),
            unit=pick(r, "Unit"),
        )
        for r in records
    ]
    return UserLeaveBalances(user_id=args.user_id, balances=balances)
