"""unified_get_planned_vs_actual: one project's planned hours (Projectworks task assignments and resourcing bookings)
against its actual hours (Projectworks timesheets, Teamwork time entries), per task and per person.

The project is matched across systems by the one rule of docs/unified-model.md: a Projectworks project whose
`ExternalReference` is `teamwork:<Teamwork project id>` is linked to it (`matched_by: "link"`); else the names must
be equal, trimmed and case-sensitive (`"name"`). Tasks inside it are matched the same way (a Projectworks task's
`ExternalReference` `teamwork:<task id>`, else the same name); people by e-mail. The two actuals are shown side by
side, never added: the same hours are often logged in both systems.

Cost: the project on each side (a get, or a list by name or external reference), both directories, the project's
tasks, bookings and Teamwork entries (pages of 500), then per Projectworks task its assignments and its timesheets
(the timesheet API filters by task, not by project).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError, UpstreamError
from projectops_mcp.projectworks import projects as pw_projects
from projectops_mcp.projectworks import resources as pw_resources
from projectops_mcp.projectworks import tasks as pw_tasks
from projectops_mcp.projectworks import timesheets as pw_timesheets
from projectops_mcp.projectworks.resources import ListResourcesInput, Resource
from projectops_mcp.projectworks.timesheets import ListTimesheetsInput, Timesheet
from projectops_mcp.teamwork import projects as tw_projects
from projectops_mcp.teamwork import tasks as tw_tasks
from projectops_mcp.teamwork import time_entries as tw_time
from projectops_mcp.teamwork.time_entries import ListTimeEntriesInput, TimeEntry
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool
from projectops_mcp.unified._common import Clients
from projectops_mcp.unified._gather import LARGEST_PAGE, CutShort, Gather, start_budget
from projectops_mcp.unified._people import Match, People, read_people

LINK_PREFIX = "teamwork:"
MatchedBy = Literal["link", "name"]


def linked_teamwork_id(external_reference: str | None) -> int | None:
    """The Teamwork id a Projectworks `ExternalReference` of `teamwork:<id>` links to (prefix in any case)."""
    text = (external_reference or "").strip()
    if text[: len(LINK_PREFIX)].casefold() != LINK_PREFIX:
        return None
    rest = text[len(LINK_PREFIX) :].strip()
    return int(rest) if rest.isdigit() else None


PROJECT_ID = re.compile(r"^(projectworks|teamwork):(\d+)$", re.IGNORECASE)


class PlannedVsActualInput(InputModel):
    project: str = Field(
        min_length=1,
        max_length=255,
        description="projectworks:<id> (from projectworks_list_projects), teamwork:<id> (from "
        "teamwork_list_projects), or the exact name in either system",
    )

    def native_id(self) -> tuple[str, int] | None:
        """("projectworks" | "teamwork", id) when `project` names one by id."""
        found = PROJECT_ID.match(self.project)
        return (found.group(1).lower(), int(found.group(2))) if found else None


class Hours(OutputModel):
    assigned_hours: float = Field(description="Projectworks task assignments")
    booked_hours: float = Field(description="Projectworks bookings")
    projectworks_hours: float = Field(description="Projectworks timesheets")
    teamwork_hours: float = Field(description="Teamwork time entries")


class Sources(OutputModel):
    booking_ids: list[int] | None = None
    bookings_without_id: int | None = None
    timesheet_ids: list[int] | None = None
    time_entry_ids: list[int] | None = None


class TaskRow(Hours):
    name: str
    projectworks_task_id: int | None = None
    teamwork_task_id: int | None = None
    matched_by: MatchedBy | None = None
    sources: Sources


class PersonRow(Hours):
    email: str | None = None
    name: str | None = None
    projectworks_user_id: int | None = None
    teamwork_person_id: int | None = None
    sources: Sources


class ProjectRef(OutputModel):
    id: int
    name: str | None = None
    external_reference: str | None = None


class PlannedVsActual(OutputModel):
    projectworks_project: ProjectRef | None = None
    teamwork_project: ProjectRef | None = None
    matched_by: MatchedBy | None = Field(None, description="absent when the project is in one system only")
    tasks: list[TaskRow]
    people: list[PersonRow]
    totals: Hours
    warnings: list[str] | None = None
    cut_short: CutShort | None = None


# ---------------------------------------------------------------------------------------------------------------
# Finding the project on both sides
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Pair:
    pw: pw_projects.Project | None = None
    tw: tw_projects.Project | None = None
    matched_by: MatchedBy | None = None


class ProjectFinder:
    def __init__(self, gather: Gather, tw: Any, pw: Any, ctx: ToolContext):
        self.gather, self.tw, self.pw, self.ctx = gather, tw, pw, ctx

    async def pw_get(self, project_id: int) -> pw_projects.Project | None:
        query = pw_projects.GetProjectInput(project_id=project_id)
        return await self._get(
            f"Projectworks project {project_id}", lambda: pw_projects.get_project.handler(query, self.pw, self.ctx)
        )

    async def tw_get(self, project_id: int) -> tw_projects.Project | None:
        query = tw_projects.GetProjectInput(project_id=project_id)
        return await self._get(
            f"Teamwork project {project_id}", lambda: tw_projects.get_project.handler(query, self.tw, self.ctx)
        )

    async def _get(self, label: str, read: Any) -> Any:
        try:
            return await self.gather.one(label, read)
        except UpstreamError as exc:
            if exc.status == 404:
                return None
            raise

    async def pw_where(self, label: str, **filters: Any) -> list[pw_projects.Project]:
        def page(p: int):
            query = pw_projects.ListProjectsInput(**filters, page=p, page_size=LARGEST_PAGE)
            return pw_projects.list_projects.handler(query, self.pw, self.ctx)

        return await self.gather.pages(label, page)

    async def tw_named(self, name: str) -> list[tw_projects.Project]:
        def page(p: int):
            query = tw_projects.ListProjectsInput(search=name, include_archived=True, page=p, page_size=LARGEST_PAGE)
            return tw_projects.list_projects.handler(query, self.tw, self.ctx)

        found = await self.gather.pages(f"Teamwork projects named {name!r}", page)
        return [p for p in found if p.name.strip() == name.strip()]

    async def teamwork_side(self, project: pw_projects.Project) -> tuple[tw_projects.Project | None, MatchedBy | None]:
        linked = linked_teamwork_id(project.external_reference)
        if linked is not None:
            found = await self.tw_get(linked)
            if found is not None:
                return found, "link"
            self.gather.warnings.append(
                f"Projectworks project {project.project_id} links to Teamwork project {linked}, which was not found; "
                "matched by name instead."
            )
        named = await self.tw_named(project.name or "") if project.name else []
        return self._single(named, "Teamwork", project.name), "name" if len(named) == 1 else None

    async def projectworks_side(
        self, project: tw_projects.Project
    ) -> tuple[pw_projects.Project | None, MatchedBy | None]:
        reference = f"{LINK_PREFIX}{project.project_id}"
        linked = await self.pw_where(f"Projectworks projects linked to {reference}", external_reference=reference)
        if linked:
            return self._single(linked, "Projectworks", reference) or linked[0], "link"
        if not project.name.strip():
            return None, None
        named = await self.pw_where(f"Projectworks projects named {project.name!r}", name=project.name.strip())
        named = [
            p
            for p in named
            if (p.name or "").strip() == project.name.strip()
            and linked_teamwork_id(p.external_reference) in (None, project.project_id)
        ]
        return self._single(named, "Projectworks", project.name), "name" if len(named) == 1 else None

    def _single(self, found: list[Any], system: str, wanted: str | None) -> Any:
        if len(found) > 1:
            ids = ", ".join(str(getattr(p, "project_id", "?")) for p in found)
            self.gather.warnings.append(
                f"{len(found)} {system} projects match {wanted!r} (ids {ids}): none was chosen."
            )
            return None
        return found[0] if found else None

    async def find(self, args: PlannedVsActualInput) -> Pair:
        by_id = args.native_id()
        if by_id and by_id[0] == "projectworks":
            pw = await self.pw_get(by_id[1])
            if pw is None:
                raise InputError(
                    "project", f"no Projectworks project {by_id[1]}.", "Find it with projectworks_list_projects."
                )
            tw, by = await self.teamwork_side(pw)
            return Pair(pw, tw, by)
        if by_id:
            tw = await self.tw_get(by_id[1])
            if tw is None:
                raise InputError("project", f"no Teamwork project {by_id[1]}.", "Find it with teamwork_list_projects.")
            pw, by = await self.projectworks_side(tw)
            return Pair(pw, tw, by)
        name = args.project
        named = await self.pw_where(f"Projectworks projects named {name!r}", name=name)
        named = [p for p in named if (p.name or "").strip() == name]
        if len(named) > 1:
            ids = ", ".join(str(p.project_id) for p in named)
            raise InputError("project", f"{len(named)} Projectworks projects have this name (ids {ids}).",
                             "Pass projectworks:<id> instead.")  # fmt: skip
        if named:
            tw, by = await self.teamwork_side(named[0])
            return Pair(named[0], tw, by)
        tw_named = await self.tw_named(name)
        if len(tw_named) > 1:
            ids = ", ".join(str(p.project_id) for p in tw_named)
            raise InputError("project", f"{len(tw_named)} Teamwork projects have this name (ids {ids}).",
                             "Pass teamwork:<id> instead.")  # fmt: skip
        if not tw_named:
            raise InputError(
                "project",
                "no project has exactly this name in either system.",
                "Find it with projectworks_search_projects or teamwork_list_projects (search).",
            )
        pw, by = await self.projectworks_side(tw_named[0])
        return Pair(pw, tw_named[0], by)


# ---------------------------------------------------------------------------------------------------------------
# The tool
# ---------------------------------------------------------------------------------------------------------------


@tool(
    name="unified_get_planned_vs_actual",
    title="Planned vs Actual Hours (both systems)",
    toolset="unified.insights",
    kind="read",
    description="One project's planned hours (Projectworks assignments, bookings) against actual hours (Projectworks "
    "timesheets, Teamwork time), per task and per person.",
)
async def planned_vs_actual(args: PlannedVsActualInput, clients: Clients, ctx: ToolContext) -> PlannedVsActual:
    tw, pw = clients.require_both("the project is matched across both systems")
    start_budget(ctx)
    gather = Gather(ctx)
    pair = await ProjectFinder(gather, tw, pw, ctx).find(args)
    if pair.matched_by is None:
        missing = "Teamwork" if pair.tw is None else "Projectworks"
        gather.warnings.append(f"No {missing} project is linked to it or has its name: only one system's figures.")

    async def nothing() -> list[Any]:
        return []

    def listing(project: Any, client: Any, label: str, read: Any, query: Any) -> Any:
        """Every page of one native list of the project, or nothing when the project is not in that system."""
        if project is None:
            return nothing
        return lambda: gather.pages(label, lambda p: read(query(page=p, page_size=LARGEST_PAGE), client, ctx))

    pw_id = pair.pw.project_id if pair.pw else 0
    tw_id = pair.tw.project_id if pair.tw else 0
    people, pw_task_list, bookings, tw_task_list, entries = await gather.all(
        lambda: read_people(gather, tw, pw, ctx),
        listing(
            pair.pw,
            pw,
            "Projectworks tasks",
            pw_tasks.list_tasks.handler,
            lambda **kw: pw_tasks.ListTasksInput(project_id=pw_id, **kw),
        ),
        listing(
            pair.pw,
            pw,
            "Projectworks bookings",
            pw_resources.list_resources.handler,
            lambda **kw: ListResourcesInput(project_id=pw_id, **kw),
        ),
        listing(
            pair.tw,
            tw,
            "Teamwork tasks",
            tw_tasks.list_tasks.handler,
            lambda **kw: tw_tasks.ListTasksInput(project_id=tw_id, include_completed=True, **kw),
        ),
        listing(
            pair.tw,
            tw,
            "Teamwork time entries",
            tw_time.list_time_entries.handler,
            lambda **kw: ListTimeEntriesInput(project_id=tw_id, **kw),
        ),
    )

    async def timesheets_of(task_id: int) -> list[Timesheet]:
        def page(p: int):
            return pw_timesheets.list_timesheets.handler(
                ListTimesheetsInput(task_id=task_id, page=p, page_size=LARGEST_PAGE), pw, ctx
            )

        return await gather.pages(f"Projectworks timesheets of task {task_id}", page)

    task_ids = [t.task_id for t in pw_task_list]

    def assignments_of(task_id: int) -> str:
        return f"Projectworks assignments of task {task_id}"

    assignments, *timesheets = await gather.all(
        lambda: gather.each(task_ids, assignments_of, lambda t: pw_tasks.task_users(pw, t)),
        *(lambda t=t: timesheets_of(t) for t in task_ids),
    )
    assigned: list[pw_tasks.TaskUser] = []
    for task_id, users in zip(task_ids, assignments, strict=True):
        if users is None and assignments_of(task_id) not in gather.missing:
            gather.warnings.append(f"Assignments of Projectworks task {task_id} could not be read (404/405).")
        assigned += [u for u in users or [] if u.is_active is not False]
    sheets = [s for per_task in timesheets for s in per_task]
    ledger = Ledger(bookings, sheets, entries, assigned)
    return PlannedVsActual(
        projectworks_project=ProjectRef(
            id=pair.pw.project_id, name=pair.pw.name, external_reference=pair.pw.external_reference
        )
        if pair.pw
        else None,
        teamwork_project=ProjectRef(id=pair.tw.project_id, name=pair.tw.name) if pair.tw else None,
        matched_by=pair.matched_by,
        tasks=task_rows(ledger, pw_task_list, tw_task_list),
        people=person_rows(ledger, people),
        totals=ledger.total(),
        warnings=gather.warnings or None,
        cut_short=gather.cut_short(),
    )


# ---------------------------------------------------------------------------------------------------------------
# The arithmetic
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Hours of one row and the records they came from."""

    assigned: float = 0.0
    booked: float = 0.0
    pw_minutes: int = 0
    tw_minutes: int = 0
    bookings: set[int] = field(default_factory=set)
    unnumbered: set[int] = field(default_factory=set)
    timesheets: set[int] = field(default_factory=set)
    entries: set[int] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.assigned or self.booked or self.pw_minutes or self.tw_minutes or self.bookings)

    def hours(self) -> dict[str, float]:
        return {
            "assigned_hours": round(self.assigned, 2),
            "booked_hours": round(self.booked, 2),
            "projectworks_hours": round(self.pw_minutes / 60, 2),
            "teamwork_hours": round(self.tw_minutes / 60, 2),
        }

    def sources(self) -> Sources:
        return Sources(
            booking_ids=sorted(self.bookings) or None,
            bookings_without_id=len(self.unnumbered) or None,
            timesheet_ids=sorted(self.timesheets) or None,
            time_entry_ids=sorted(self.entries) or None,
        )


Key = tuple[str, int | None]  # ("pw" | "tw", native id; None = no task)


@dataclass
class Ledger:
    """The project's records, tallied per task and per person (native ids on both sides)."""

    bookings: list[Resource]
    timesheets: list[Timesheet]
    entries: list[TimeEntry]
    assignments: list[pw_tasks.TaskUser]
    by_task: dict[Key, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_person: dict[Key, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def __post_init__(self) -> None:
        for a in self.assignments:
            for tally in (self.by_task[("pw", a.task_id)], self.by_person[("pw", a.user_id)]):
                tally.assigned += a.hours or 0
        for index, b in enumerate(self.bookings):
            targets = [self.by_task[("pw", b.task_id)]] + ([self.by_person[("pw", b.user_id)]] if b.user_id else [])
            for tally in targets:
                tally.booked += b.hours or 0
                if b.resource_id is None:
                    tally.unnumbered.add(index)
                else:
                    tally.bookings.add(b.resource_id)
        for s in self.timesheets:
            for tally in (self.by_task[("pw", s.task_id)], self.by_person[("pw", s.user_id)]):
                tally.pw_minutes += s.minutes or 0
                if s.timesheet_id is not None:
                    tally.timesheets.add(s.timesheet_id)
        for e in self.entries:
            for tally in (self.by_task[("tw", e.task_id)], self.by_person[("tw", e.user_id)]):
                tally.tw_minutes += e.minutes or 0
                tally.entries.add(e.time_entry_id)

    def total(self) -> Hours:
        return Hours(**merge(list(self.by_task.values())).hours())


def merge(tallies: list[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.assigned += t.assigned
        out.booked += t.booked
        out.pw_minutes += t.pw_minutes
        out.tw_minutes += t.tw_minutes
        out.bookings |= t.bookings
        out.unnumbered |= t.unnumbered
        out.timesheets |= t.timesheets
        out.entries |= t.entries
    return out


def task_rows(ledger: Ledger, pw_list: list[pw_tasks.Task], tw_list: list[tw_tasks.Task]) -> list[TaskRow]:
    """One row per Projectworks task (with its Teamwork twin's time), one per unmatched Teamwork task with time,
    and one for hours on no task."""
    tw_by_id = {t.task_id: t for t in tw_list}
    tw_by_name: dict[str, list[tw_tasks.Task]] = defaultdict(list)
    for t in tw_list:
        tw_by_name[t.name.strip()].append(t)
    used: set[int] = set()
    rows: list[TaskRow] = []
    for task in pw_list:
        twin, by = None, None
        linked = linked_teamwork_id(task.external_reference)
        if linked is not None and linked not in used:
            twin, by = linked, "link"
        else:
            named = [t for t in tw_by_name.get((task.name or "").strip(), []) if t.task_id not in used]
            if len(named) == 1:
                twin, by = named[0].task_id, "name"
        if twin is not None:
            used.add(twin)
        tally = merge([ledger.by_task[("pw", task.task_id)]] + ([ledger.by_task[("tw", twin)]] if twin else []))
        rows.append(
            TaskRow(
                name=task.name or f"Projectworks task {task.task_id}",
                projectworks_task_id=task.task_id,
                teamwork_task_id=twin,
                matched_by=by,  # type: ignore[arg-type]
                sources=tally.sources(),
                **tally.hours(),
            )
        )
    for (side, task_id), tally in sorted(ledger.by_task.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        if side != "tw" or task_id is None or task_id in used or tally.empty:
            continue
        name = tw_by_id[task_id].name if task_id in tw_by_id else f"Teamwork task {task_id}"
        rows.append(TaskRow(name=name, teamwork_task_id=task_id, sources=tally.sources(), **tally.hours()))
    loose = merge([ledger.by_task[("pw", None)], ledger.by_task[("tw", None)]])
    if not loose.empty:
        rows.append(TaskRow(name="(no task)", sources=loose.sources(), **loose.hours()))
    return rows


def person_rows(ledger: Ledger, people: People) -> list[PersonRow]:
    """One row per person with any figure, Projectworks and Teamwork sides joined by e-mail."""
    pw_dir, tw_dir = people.by_projectworks_id(), people.by_teamwork_id()
    grouped: dict[str, list[Key]] = defaultdict(list)
    for side, native_id in ledger.by_person:
        if native_id is None:
            continue
        match = (pw_dir if side == "pw" else tw_dir).get(native_id)
        grouped[match.key if match else f"{side}:{native_id}"].append((side, native_id))
    rows = []
    for key in sorted(grouped):
        keys = grouped[key]
        tally = merge([ledger.by_person[k] for k in keys])
        if tally.empty:
            continue
        match: Match | None = people.matches.get(key)
        pw_id = next((i for s, i in keys if s == "pw"), None) or (match.pw.user_id if match and match.pw else None)
        tw_id = next((i for s, i in keys if s == "tw"), None) or (match.tw.person_id if match and match.tw else None)
        rows.append(
            PersonRow(
                email=match.key if match else None,
                name=match.name if match else None,
                projectworks_user_id=pw_id,
                teamwork_person_id=tw_id,
                sources=tally.sources(),
                **tally.hours(),
            )
        )
    return rows
