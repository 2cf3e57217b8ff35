"""The big sandbox agency (`--sandbox-scale N`): one seeded generator that fills both simulators consistently.

The agency exists in both systems the way a real one does: staff with the same e-mail in Teamwork and Projectworks
(a few spelt with other letter case or stray spaces), a few people in one system only, client users (Teamwork
contacts), projects linked across systems (Projectworks `ExternalReference = "teamwork:<id>"`), a few matched only
by name (one with a trailing space), a few unmatched (two differ only in letter case), leave, bookings and planner
allocations (some people over-allocated), and six weeks of time in both systems with planted discrepancies (a day
missing in one system, a day with different hours). Everything the generator planted on purpose is listed in
`Agency.plan`, so tests can check each invariant against what the simulators serve.

Records are in each simulator's stored shapes (those its `_demo` seeds), added to the demo data, so every existing
route and tool reads them. At N=10: about 150 people, 80 projects, 4,000 tasks and 30,000 time records; every count
grows linearly with N. Nothing depends on today's date or on hash order: the same N gives the same agency.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from projectops_mcp.sandbox.agency import records as rec
from projectops_mcp.sandbox.simulator import Store

SEED = 15
TIME_START = date(2026, 10, 12)  # a Monday: six weeks of logged time, to Friday 2026-11-20 (the sandbox's "now")
TIME_WEEKS = 6
PLAN_WEEKS = 4  # bookings and allocations run on for four more weeks, to 2026-12-18
DOMAIN = "demo-agency.test"  # the Teamwork site owner's (company 1) domain
OWNER_COMPANY_ID = 1

FIRST = (
    "Aroha Ben Chloe Daniel Ella Finn Grace Hemi Isla Jack Kiri Liam Mia Noah Olivia Paora Quinn Ruby Sam Tama "
    "Uma Vika Wiremu Xavier Yasmin Zoe Amir Bella Caleb Divya Eli Fatima George Hana Ivan Jade Kai Lena Marco Nina"
).split()
LAST = (
    "Anderson Brown Chen Davis Edwards Fraser Gupta Hohaia Iyer Jones Kaur Lee Moana Ngata O'Brien Patel Quach Reid "
    "Singh Taylor Upton Vaifale Walker Xu Young Zhang Armstrong Bell Clarke Dunn Evans Fisher Green Hill Irwin Kemp"
).split()
CLIENT_WORDS = (
    "Kauri Tui Harbour Southern Pacific Alpine Summit Coastal Fern Rata Kiwi Totara Ocean Ridge Pohutukawa Manuka "
    "Aoraki Tasman Waka Nikau"
).split()
CLIENT_KINDS = ("Bank", "Energy", "Health", "Logistics", "Foods", "Insurance", "Council", "Media", "Retail", "Travel")
PRODUCTS = (
    "Mobile App", "Website", "Data Platform", "Portal", "CRM Rollout", "Brand Refresh", "Intranet", "API Gateway",
    "Booking System", "Analytics", "Support Retainer", "Payments",
)  # fmt: skip
PHASES = ("Discovery", "Design", "Build", "Testing", "Launch")
WORK = (
    "Workshop", "Wireframes", "Prototype", "API", "Front end", "Back end", "Integration", "Migration", "QA pass",
    "Content", "Accessibility review", "Deployment", "Performance tuning", "Documentation", "Handover",
)  # fmt: skip
TITLES = ("Developer", "Senior Developer", "Designer", "Project Manager", "Business Analyst", "Tester", "Tech Lead")
COLORS = ("#2f8de4", "#27ae60", "#e67e22", "#8e44ad", "#c0392b", "#16a085")


@dataclass(eq=False)
class Person:
    index: int
    first: str
    last: str
    email: str  # the canonical address (lower case, trimmed)
    kind: str  # "both" | "teamwork" | "projectworks" | "contact"
    title: str
    daily_hours: tuple[float, ...]  # Monday..Sunday
    tw_email: str = ""
    pw_email: str = ""
    tw_id: int | None = None
    pw_id: int | None = None
    active: bool = True
    company_id: int = OWNER_COMPANY_ID  # Teamwork company (contacts: a client's)


@dataclass(eq=False)
class Project:
    index: int
    name: str
    client: int  # index into the clients
    kind: str  # "link" | "name" | "teamwork" | "projectworks" | "case"
    tw_name: str = ""
    pw_name: str = ""
    tw_id: int | None = None
    pw_id: int | None = None
    team_tw: list[Person] = field(default_factory=list)
    team_pw: list[Person] = field(default_factory=list)
    tw_tasks: dict[int, list[int]] = field(default_factory=dict)  # Teamwork person id -> task ids assigned
    pw_tasks: dict[int, list[dict]] = field(default_factory=dict)  # Projectworks user id -> tasks assigned


@dataclass
class Plan:
    """What the generator planted on purpose, keyed by canonical e-mail and native ids, for tests to check."""

    both: list[str] = field(default_factory=list)
    spelt_differently: list[tuple[str, str]] = field(default_factory=list)  # (Teamwork e-mail, Projectworks e-mail)
    teamwork_only: list[str] = field(default_factory=list)
    projectworks_only: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)  # in both, inactive in Projectworks
    linked: list[tuple[int, int]] = field(default_factory=list)  # (Projectworks id, Teamwork id)
    by_name: list[tuple[int, int]] = field(default_factory=list)
    teamwork_unmatched: list[int] = field(default_factory=list)
    projectworks_unmatched: list[int] = field(default_factory=list)
    missing_in_projectworks: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, day)
    missing_in_teamwork: list[tuple[str, str]] = field(default_factory=list)
    hours_differ: list[tuple[str, str]] = field(default_factory=list)
    over_allocated: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, Monday of the week)


@dataclass
class Agency:
    scale: int
    teamwork: dict[str, list[dict[str, Any]]]  # store table -> records
    projectworks: dict[str, list[dict[str, Any]]]
    plan: Plan

    def counts(self) -> dict[str, int]:
        return {f"teamwork.{k}": len(v) for k, v in self.teamwork.items()} | {
            f"projectworks.{k}": len(v) for k, v in self.projectworks.items()
        }


def summary(scale: int) -> str:
    """One line for the server's instructions: what the scaled sandbox holds and when."""
    last = TIME_START + timedelta(weeks=TIME_WEEKS, days=-3)
    plan_end = last + timedelta(weeks=PLAN_WEEKS)
    return (
        f"The sandbox agency is scaled up ({scale}): about {15 * scale} people and {8 * scale} projects; time is "
        f"logged {TIME_START} to {last} and bookings run to {plan_end}."
    )


def working_days(start: date, weeks: int) -> list[date]:
    return [start + timedelta(days=d) for d in range(weeks * 7) if (start + timedelta(days=d)).weekday() < 5]


def some(n: int, per_ten: float) -> int:
    """`per_ten` of a category per 10 of scale, at least one."""
    return max(1, round(per_ten * n / 10))


class _Ids:
    def __init__(self, starts: dict[str, int]):
        self._next = dict(starts)

    def __call__(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] += 1
        return value


IDS = {
    "tw_person": 700001, "tw_company": 2001, "tw_project": 800001, "tw_tasklist": 20001, "tw_task": 100001,
    "tw_milestone": 9001, "tw_timelog": 1000001, "tw_allocation": 90001,
    "pw_user": 2001, "pw_posting": 40001, "pw_client": 3001, "pw_project": 4001, "pw_module": 5001,
    "pw_task": 10001, "pw_timesheet": 100001, "pw_leave": 20001, "pw_resource": 30001,
}  # fmt: skip


def generate(scale: int, seed: int = SEED) -> Agency:
    """The agency at this scale (N >= 1); deterministic for a given (scale, seed)."""
    if scale < 1:
        raise ValueError("the sandbox scale must be 1 or more")
    return _Generator(scale, seed).run()


class _Generator:
    def __init__(self, scale: int, seed: int):
        self.n = scale
        self.rng = random.Random(seed)
        self.ids = _Ids(IDS)
        self.plan = Plan()
        self.tw: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("companies", "people", "projects", "tasklists", "milestones", "tasks", "timelogs",
                            "allocations")
        }  # fmt: skip
        self.pw: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("clients", "users", "projects", "modules", "tasks", "timesheets", "leaves", "resources")
        }
        self.days = working_days(TIME_START, TIME_WEEKS)
        self.weeks = [TIME_START + timedelta(weeks=w) for w in range(TIME_WEEKS + PLAN_WEEKS)]
        self.leave: dict[tuple[int, date], float] = {}  # (person index, day) -> approved leave hours
        self.pw_users: dict[int, dict] = {}  # by id, for the names a timesheet shows
        self.pw_modules: dict[int, dict] = {}

    def run(self) -> Agency:
        self.clients = self._clients()
        self.people = self._people()
        self.projects = self._projects()
        self._teams()
        for project in self.projects:
            self._project_records(project)
        self._leave()
        self._time()
        self._bookings()
        return Agency(self.n, self.tw, self.pw, self.plan)

    # -- clients and people ----------------------------------------------------------------------------------------

    def _clients(self) -> list[tuple[int, int, str]]:
        """(Teamwork company id, Projectworks client id, name) per client."""
        out = []
        names = [f"{w} {k}" for k in CLIENT_KINDS for w in CLIENT_WORDS]
        self.rng.shuffle(names)
        for i in range(2 * self.n):
            name = names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            tw_id, pw_id = self.ids("tw_company"), self.ids("pw_client")
            domain = name.lower().replace(" ", "") + ".test"
            self.tw["companies"].append(rec.tw_company(tw_id, name, domain))
            self.pw["clients"].append(rec.pw_client(pw_id, name, domain, 1 + i % 2))
            out.append((tw_id, pw_id, name))
        return out

    def _people(self) -> list[Person]:
        n, rng = self.n, self.rng
        kinds = (
            ["both"] * (15 * n - some(n, 8) - some(n, 5) - some(n, 22))
            + ["projectworks"] * some(n, 8)
            + ["teamwork"] * some(n, 5)
            + ["contact"] * some(n, 22)
        )
        rng.shuffle(kinds)
        names = [(f, last) for f in FIRST for last in LAST]
        rng.shuffle(names)
        part_time = set(rng.sample(range(len(kinds)), some(n, 5)))
        people = []
        for i, kind in enumerate(kinds):
            first, last = names[i % len(names)]
            suffix = str(i // len(names) + 1) if i >= len(names) else ""
            local = f"{first}.{last}".lower().replace("'", "") + suffix
            if kind == "contact":
                company = self.clients[i % len(self.clients)]
                email = f"{local}@{company[2].lower().replace(' ', '')}.test"
            else:
                email = f"{local}@{DOMAIN}"
            hours = (8.0, 8.0, 8.0, 8.0, 0.0 if i in part_time else 8.0, 0.0, 0.0)
            person = Person(i, first, last, email, kind, rng.choice(TITLES), hours, email, email)
            if kind == "contact":
                person.company_id = company[0]
                person.title = rng.choice(("Product Owner", "Marketing Lead", "IT Manager", "CFO"))
            people.append(person)
        both = [p for p in people if p.kind == "both"]
        for p in rng.sample(both, some(n, 10)):  # the same address, spelt differently in one system
            if rng.random() < 0.5:
                p.pw_email = p.email.title() if rng.random() < 0.5 else f" {p.email} "
            else:
                p.tw_email = p.email.upper().replace(DOMAIN.upper(), DOMAIN) + " "
            self.plan.spelt_differently.append((p.tw_email, p.pw_email))
        for p in rng.sample(both, some(n, 1)):
            p.active = False
            self.plan.inactive.append(p.email)
        for p in people:
            getattr(self.plan, {"both": "both", "teamwork": "teamwork_only", "projectworks": "projectworks_only",
                                "contact": "contacts"}[p.kind]).append(p.email)  # fmt: skip
            if p.kind in ("both", "teamwork", "contact"):
                self._tw_person(p)
            if p.kind in ("both", "projectworks"):
                self._pw_user(p)
        return people

    def _tw_person(self, p: Person) -> None:
        p.tw_id = self.ids("tw_person")
        user_type = ("collaborator" if p.index % 4 == 0 else "contact") if p.kind == "contact" else "account"
        self.tw["people"].append(
            rec.tw_person(p.tw_id, p.first, p.last, p.tw_email, p.title, p.company_id, user_type, p.daily_hours)
        )

    def _pw_user(self, p: Person) -> None:
        p.pw_id = self.ids("pw_user")
        start, end = f"20{19 + p.index % 7}-0{1 + p.index % 9}-01", None if p.active else "2026-09-30"
        rate = float(self.rng.choice((85, 95, 120, 150)))
        posting = rec.pw_posting(self.ids("pw_posting"), start, end, rate, 1 + p.index % 2, p.daily_hours)
        role = 12 if "Manager" in p.title else 11 if p.title == "Designer" else 10
        self.pw["users"].append(rec.pw_user(p.pw_id, p.first, p.last, p.pw_email, p.title, role, posting, p.active))
        self.pw_users[p.pw_id] = self.pw["users"][-1]

    # -- projects ----------------------------------------------------------------------------------------------------

    def _projects(self) -> list[Project]:
        n, rng = self.n, self.rng
        kinds = (
            ["name"] * some(n, 6) + ["teamwork"] * some(n, 5) + ["projectworks"] * some(n, 5) + ["case"] * some(n, 2)
        )
        kinds = ["link"] * (8 * n - len(kinds)) + kinds
        rng.shuffle(kinds)
        projects, used = [], set()
        for i, kind in enumerate(kinds):
            client = i % len(self.clients)
            name = f"{self.clients[client][2]} {rng.choice(PRODUCTS)}"
            while name in used:
                name += " II"
            used.add(name)
            project = Project(i, name, client, kind, name, name)
            if kind == "name" and not any(p.kind == "name" and p.tw_name != p.pw_name for p in projects):
                project.tw_name = name + " "  # matched by name once trimmed
            if kind == "case":
                project.pw_name = name.lower()  # not matched: names are compared case-sensitively
            projects.append(project)
        return projects

    def _teams(self) -> None:
        rng = self.rng
        on_tw = [p for p in self.projects if p.kind != "projectworks"]
        on_pw = [p for p in self.projects if p.kind != "teamwork"]
        matched = [p for p in self.projects if p.kind in ("link", "name")]
        for person in self.people:
            if person.kind == "both":
                picks = rng.sample(matched, min(len(matched), rng.randint(2, 4)))
                for project in picks:
                    project.team_tw.append(person)
                    project.team_pw.append(person)
            elif person.kind in ("teamwork", "projectworks"):
                for project in rng.sample(on_tw if person.kind == "teamwork" else on_pw, 2):
                    (project.team_tw if person.kind == "teamwork" else project.team_pw).append(person)
        staff = [p for p in self.people if p.kind == "both"]
        for project in self.projects:  # every project has a team on each side it exists on
            if project.kind != "projectworks" and len(project.team_tw) < 2:
                project.team_tw.extend(rng.sample(staff, 2))
            if project.kind != "teamwork" and len(project.team_pw) < 2:
                project.team_pw.extend(rng.sample(staff, 2))

    def _project_records(self, project: Project) -> None:
        rng = self.rng
        tw_client, pw_client, client_name = self.clients[project.client]
        start = (date(2026, 8, 3) + timedelta(weeks=rng.randint(0, 8))).isoformat()
        end = (date(2027, 1, 29) + timedelta(weeks=rng.randint(0, 20))).isoformat()
        phases = PHASES[: rng.randint(3, 5)]
        if project.kind != "projectworks":
            project.tw_id = self.ids("tw_project")
            members = [p.tw_id for p in project.team_tw]
            about = f"{project.name} for {client_name}"
            self.tw["projects"].append(
                rec.tw_project(project.tw_id, project.tw_name, about, tw_client, members, start, end)
            )
            self._tw_tasks(project, phases)
        if project.kind != "teamwork":
            project.pw_id = self.ids("pw_project")
            manager = project.team_pw[0].pw_id
            reference = {"link": f"teamwork:{project.tw_id}", "name": f"OPP-{project.index}"}.get(project.kind)
            client, office = (pw_client, client_name), 1 + project.index % 2
            self.pw["projects"].append(
                rec.pw_project(project.pw_id, project.pw_name, client, office, manager, start, end, reference)
            )
            self._pw_tasks(project, phases)
        plan = self.plan
        if project.kind == "link":
            plan.linked.append((project.pw_id, project.tw_id))
        elif project.kind == "name":
            plan.by_name.append((project.pw_id, project.tw_id))
        if project.kind in ("teamwork", "case"):
            plan.teamwork_unmatched.append(project.tw_id)
        if project.kind in ("projectworks", "case"):
            plan.projectworks_unmatched.append(project.pw_id)

    def _tw_tasks(self, project: Project, phases: tuple[str, ...]) -> None:
        rng, team = self.rng, project.team_tw
        lists = [self.ids("tw_tasklist") for _ in phases]
        self.tw["tasklists"] += [rec.tw_tasklist(i, ph, project.tw_id) for i, ph in zip(lists, phases, strict=True)]
        deadline = (date(2026, 12, 4) + timedelta(weeks=rng.randint(0, 8))).isoformat()
        self.tw["milestones"].append(
            rec.tw_milestone(self.ids("tw_milestone"), f"{phases[-1]} sign-off", project.tw_id, deadline,
                             team[0].tw_id, lists[-1])
        )  # fmt: skip
        for k in range(rng.randint(24, 32)):
            first = team[k % len(team)]  # round-robin first, so everyone on the team has tasks
            assignees = list(dict.fromkeys([first] + ([rng.choice(team)] if rng.random() < 0.25 else [])))
            begin = date(2026, 9, 28) + timedelta(days=rng.randint(0, 90))
            due = begin + timedelta(days=rng.randint(5, 40))
            done = due < date(2026, 11, 1) and rng.random() < 0.4
            task_id = self.ids("tw_task")
            self.tw["tasks"].append(
                rec.tw_task(task_id, f"{rng.choice(WORK)} {k + 1}", lists[k % len(lists)], project.tw_id,
                            [p.tw_id for p in assignees], begin.isoformat(), due.isoformat(),
                            60 * rng.randint(2, 40), rng.choice(("none", "low", "medium", "high")),
                            first.tw_id if done else None)
            )  # fmt: skip
            for person in assignees:
                project.tw_tasks.setdefault(person.tw_id, []).append(task_id)

    def _pw_tasks(self, project: Project, phases: tuple[str, ...]) -> None:
        rng, team = self.rng, project.team_pw
        modules = []
        for phase in phases[: rng.randint(2, 4)]:
            modules.append(rec.pw_module(self.ids("pw_module"), phase, project.pw_id, rng.randint(2, 30) * 5000.0))
            self.pw_modules[modules[-1]["ModuleID"]] = modules[-1]
        self.pw["modules"] += modules
        for k in range(rng.randint(20, 28)):
            users = list(dict.fromkeys([team[k % len(team)], rng.choice(team)]))
            begin = date(2026, 9, 28) + timedelta(days=rng.randint(0, 60))
            end = begin + timedelta(days=rng.randint(14, 90))
            planned = {p.pw_id: rng.randint(2, 20) * 4.0 for p in users}
            name, percent = f"{rng.choice(WORK)} {k + 1}", rng.choice((0, 10, 25, 50, 75))
            module = modules[k % len(modules)]
            task = rec.pw_task(self.ids("pw_task"), name, module, planned, begin.isoformat(), end.isoformat(), percent)
            self.pw["tasks"].append(task)
            for person in users:
                project.pw_tasks.setdefault(person.pw_id, []).append(task)

    # -- leave, time, bookings ---------------------------------------------------------------------------------------

    def _leave(self) -> None:
        rng = self.rng
        staff = [p for p in self.people if p.kind in ("both", "projectworks") and p.active]
        plan_days = working_days(self.weeks[TIME_WEEKS], PLAN_WEEKS)
        for k, person in enumerate(rng.sample(staff, min(len(staff), some(self.n, 25)))):
            future = k % 2 == 1
            pool = plan_days if future else self.days
            first = rng.randrange(len(pool) - 5)
            days = [d for d in pool[first : first + rng.randint(1, 5)] if person.daily_hours[d.weekday()]]
            status = 2 if not future or k % 7 else rng.choice((1, 3))  # a few requested or declined, in the future
            half = not future and len(days) == 1 and rng.random() < 0.2
            taken = []
            for day in days:
                hours = person.daily_hours[day.weekday()] / (2 if half else 1)
                taken.append((day.isoformat(), rng.choice((1, 1, 1, 2)), hours))  # mostly annual leave, some sick
                if status == 2:
                    self.leave[(person.index, day)] = hours
            if taken:
                self.pw["leaves"].append(rec.pw_leave(self.ids("pw_leave"), person.pw_id, status, taken))

    def _time(self) -> None:
        rng, n = self.rng, self.n
        mine_tw: dict[int, list[Project]] = {}
        mine_pw: dict[int, list[Project]] = {}
        for project in self.projects:
            for person in project.team_tw:
                if person.tw_id in project.tw_tasks and (person.kind != "both" or person.pw_id in project.pw_tasks):
                    mine_tw.setdefault(person.index, []).append(project)  # staff in both: matched projects only
            for person in project.team_pw:
                if person.kind == "projectworks" and person.pw_id in project.pw_tasks:
                    mine_pw.setdefault(person.index, []).append(project)
        workers = [p for p in self.people if p.kind in ("both", "teamwork", "projectworks") and p.active]
        person_days = [
            (p, d) for p in workers for d in self.days if self._minutes(p, d) > 0
        ]  # days each person works, leave counted
        both_days = [(p, d) for p, d in person_days if p.kind == "both"]
        planted = rng.sample(both_days, min(len(both_days), some(n, 30) + some(n, 10) + some(n, 30)))
        special: dict[tuple[int, date], str] = {}
        for k, (p, d) in enumerate(planted):
            kind = "pw" if k < some(n, 30) else "tw" if k < some(n, 30) + some(n, 10) else "hours"
            special[(p.index, d)] = kind
            entry = (p.email, d.isoformat())
            {"pw": self.plan.missing_in_projectworks, "tw": self.plan.missing_in_teamwork,
             "hours": self.plan.hours_differ}[kind].append(entry)  # fmt: skip
        for person, day in person_days:
            total = self._minutes(person, day)
            chunks = self._split(total, rng.randint(3, 5))
            kind = special.get((person.index, day))
            tw_options = mine_tw.get(person.index, [])
            pw_options = tw_options if person.kind == "both" else mine_pw.get(person.index, [])
            clock = 9 * 60
            for i, minutes in enumerate(chunks):
                project = rng.choice(tw_options or pw_options)
                if tw_options and kind != "tw":
                    task = rng.choice(project.tw_tasks[person.tw_id])
                    first = 15 * rng.randint(2, minutes // 15 - 2) if minutes >= 120 and rng.random() < 0.3 else 0
                    pieces = [first, minutes - first] if first else [minutes]  # some work is logged in two entries
                    for piece in pieces:
                        log_id = self.ids("tw_timelog")
                        self.tw["timelogs"].append(
                            rec.tw_timelog(log_id, task, project.tw_id, person.tw_id, day.isoformat(), clock, piece)
                        )
                        clock += piece
                if pw_options and kind != "pw":
                    task = rng.choice(project.pw_tasks[person.pw_id])
                    if kind == "hours" and i == 0:
                        delta = rng.choice((-60, -30, 30, 60, 90))
                        minutes += delta if minutes + delta >= 15 else 30
                    user, entry_id = self.pw_users[person.pw_id], self.ids("pw_timesheet")
                    self.pw["timesheets"].append(rec.pw_timesheet(entry_id, user, task, day.isoformat(), minutes))

    def _minutes(self, person: Person, day: date) -> int:
        hours = person.daily_hours[day.weekday()] - self.leave.get((person.index, day), 0.0)
        return max(0, int(hours * 60))

    def _split(self, total: int, parts: int) -> list[int]:
        """`total` minutes (trimmed to 90-100% of it) in up to `parts` pieces of whole quarter hours."""
        quarters = max(parts * 2, int(total * self.rng.uniform(0.9, 1.0)) // 15)
        cuts = sorted(self.rng.sample(range(2, quarters - 1), parts - 1)) if parts > 1 else []
        bounds = [0, *cuts, quarters]
        out = [(b - a) * 15 for a, b in zip(bounds, bounds[1:], strict=False)]
        return [m for m in out if m >= 15]

    def _bookings(self) -> None:
        """Projectworks bookings (a week each) and Teamwork allocations (the six past weeks, then the four to come)
        per person per project; a few people are booked past their capacity in the weeks to come, and a few more
        end up past it once their leave is counted. `plan.over_allocated` lists every such week (bookings against
        posting capacity less approved leave)."""
        rng, n = self.rng, self.n
        staff = [p for p in self.people if p.kind == "both" and p.active]
        over = {p.index for p in rng.sample(staff, some(n, 10))}
        on_leave = {index for index, day in self.leave if day >= self.weeks[TIME_WEEKS]}  # booked near full anyway
        for person in [p for p in self.people if p.kind in ("both", "projectworks", "teamwork") and p.active]:
            pw_projects = [p for p in self.projects if person in p.team_pw and person.pw_id in p.pw_tasks]
            tw_projects = [p for p in self.projects if person in p.team_tw and person.tw_id in p.tw_tasks]
            weekly = sum(person.daily_hours)
            booked: dict[date, float] = {}
            for period, weeks in (("past", self.weeks[:TIME_WEEKS]), ("plan", self.weeks[TIME_WEEKS:])):
                target = rng.uniform(0.6, 0.9)
                if period == "plan" and person.index in over | on_leave:
                    target = rng.uniform(1.15, 1.4) if person.index in over else rng.uniform(0.85, 0.95)
                for project, share in zip(pw_projects, self._shares(len(pw_projects), target), strict=True):
                    task = rng.choice(project.pw_tasks[person.pw_id])
                    module, hours = self.pw_modules[task["ModuleID"]], round(weekly * share * 2) / 2
                    for monday in weeks:
                        friday = (monday + timedelta(days=4)).isoformat()
                        self.pw["resources"].append(
                            rec.pw_booking(self.ids("pw_resource"), person.pw_id, task, module, monday.isoformat(),
                                           friday, hours)
                        )  # fmt: skip
                        booked[monday] = booked.get(monday, 0.0) + hours
                for project, share in zip(tw_projects, self._shares(len(tw_projects), target), strict=True):
                    seconds = max(900, round(max(person.daily_hours) * share * 4) * 900)
                    self.tw["allocations"].append(
                        rec.tw_allocation(self.ids("tw_allocation"), project.tw_id, person.tw_id,
                                          weeks[0].isoformat(), (weeks[-1] + timedelta(days=4)).isoformat(), seconds,
                                          project.name, COLORS[project.index % len(COLORS)],
                                          project.tw_tasks[person.tw_id][:1])
                    )  # fmt: skip
            for monday in self.weeks[TIME_WEEKS:]:
                week = [monday + timedelta(days=d) for d in range(5)]
                capacity = weekly - sum(self.leave.get((person.index, d), 0.0) for d in week)
                if person.pw_id and booked.get(monday, 0.0) > capacity:
                    self.plan.over_allocated.append((person.email, monday.isoformat()))
        monday = self.weeks[TIME_WEEKS]
        for k in range(some(n, 5)):  # pencilled bookings: listed, but without an id of their own
            person = staff[k % len(staff)]
            project = next(p for p in self.projects if person in p.team_pw and person.pw_id in p.pw_tasks)
            module = self.pw_modules[project.pw_tasks[person.pw_id][0]["ModuleID"]]
            friday = (monday + timedelta(days=4)).isoformat()
            self.pw["resources"].append(
                rec.pw_booking(None, person.pw_id, None, module, monday.isoformat(), friday, 8.0)
            )

    def _shares(self, count: int, total: float) -> list[float]:
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(count)]
        return [total * w / sum(weights) for w in weights]


# Each Projectworks table's id key (bookings without one are stored under negative keys, as the demo's are).
PW_KEYS = {"clients": "ClientID", "users": "UserID", "projects": "ProjectID", "modules": "ModuleID",
           "tasks": "TaskID", "timesheets": "ID", "leaves": "LeaveID", "resources": "ResourceID"}  # fmt: skip


def seed_teamwork(store: Store, agency: Agency) -> None:
    for table, records in agency.teamwork.items():
        rows = store.table(table)
        for record in records:
            rows[record["id"]] = record


def seed_projectworks(store: Store, agency: Agency) -> None:
    for table, records in agency.projectworks.items():
        rows, key = store.table(table), PW_KEYS[table]
        for k, record in enumerate(records, start=1):
            rows[record[key] or -1000 - k] = record
