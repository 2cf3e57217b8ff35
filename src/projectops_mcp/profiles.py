"""Profiles (`--profile`, `PROJECTOPS_PROFILE`): named unions of toolsets and tools for the people behind the agents.

A profile adds to the allow-lists (`PROJECTOPS_TOOLSETS`, `PROJECTOPS_TOOLS`); read-only mode and the deny-list still
apply. Each profile brings the lookups its writes need (a timesheet needs a user and a task id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Profile:
    name: str
    purpose: str
    toolsets: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    every_read_tool: bool = False

    def tool_names(self, tools: Iterable[Any]) -> list[str]:
        """The names of the given tools this profile serves."""
        chosen = set(self.tools)
        return [
            t.name
            for t in tools
            if t.name in chosen or t.toolset in self.toolsets or (self.every_read_tool and t.read_only)
        ]


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "timesheets",
            "log and fix time in both systems",
            toolsets=("projectworks.time", "teamwork.time", "teamwork.time_reminders", "teamwork.timers"),
            tools=(
                "projectworks_list_users",
                "projectworks_search_users",
                "projectworks_list_projects",
                "projectworks_search_projects",
                "projectworks_list_modules",
                "projectworks_list_tasks",
                "teamwork_list_projects",
                "teamwork_list_tasks",
                "teamwork_list_people",
                "teamwork_get_me",
                "unified_get_time_reconciliation",
            ),
        ),
        Profile(
            "finance",
            "expenses, invoices, budgets and rates",
            toolsets=("projectworks.finance", "teamwork.budgets", "teamwork.rates"),
            tools=(
                "projectworks_list_users",
                "projectworks_search_users",
                "projectworks_list_clients",
                "projectworks_search_clients",
                "projectworks_list_projects",
                "projectworks_search_projects",
                "projectworks_list_modules",
                "teamwork_list_projects",
                "teamwork_list_people",
            ),
        ),
        Profile(
            "people-ops",
            "users, roles, postings, leave and workload",
            toolsets=(
                "projectworks.people",
                "projectworks.leave",
                "projectworks.reference",
                "teamwork.people",
                "teamwork.teams",
                "teamwork.roles",
                "teamwork.planning",
                "teamwork.calendars",
                "unified.directory",
            ),
            tools=(
                "projectworks_list_resources",
                "teamwork_get_workload",
                "teamwork_list_companies",
                "teamwork_list_industries",
                "unified_get_people_directory",
                "unified_get_capacity",
            ),
        ),
        Profile(
            "delivery",
            "projects, tasks, milestones, reminders, custom fields and resourcing",
            toolsets=(
                "teamwork.projects",
                "teamwork.tasks",
                "teamwork.workflows",
                "teamwork.messages",
                "teamwork.milestones",
                "teamwork.reminders",
                "teamwork.custom_fields",
                "teamwork.tags",
                "teamwork.comments",
                "teamwork.content",
                "teamwork.search",
                "teamwork.files",
                "teamwork.boards",
                "projectworks.projects",
                "projectworks.custom_fields",
                "projectworks.resourcing",
                "unified.ticketing",
            ),
            tools=(
                "teamwork_list_people",
                "teamwork_list_companies",
                "projectworks_list_users",
                "unified_get_capacity",
                "unified_get_planned_vs_actual",
            ),
        ),
        Profile("analyst", "every read tool of both systems and the unified ones", every_read_tool=True),
    )
}


def apply_profile(settings: Any, tools: Iterable[Any]) -> Any:
    """Settings whose tool allow-list includes the profile's tools among `tools` (the ones this server can serve)."""
    name = settings.projectops_profile
    if not name:
        return settings
    profile = PROFILES.get(name.strip().lower())
    if profile is None:
        raise ValueError(f"unknown profile '{name}'. Profiles: {', '.join(PROFILES)}.")
    names = profile.tool_names(tools)
    if not names:
        raise ValueError(f"profile '{profile.name}' has no tool on this server: are its backends configured?")
    return settings.model_copy(update={"projectops_tools": list(dict.fromkeys(settings.projectops_tools + names))})
