"""A Teamwork person's settings: localisation, permissions, notification preferences, the daily 'Project Report'
e-mail and working hours. `teamwork_update_person_settings` and `teamwork_update_person_permissions` change them
and `teamwork_create_person` takes them as `settings`; they live apart from the identity fields so the person
tools stay light for the model that reads them. `SETTINGS_KEYS` gives each field's key in Teamwork's `person`
body, spelled as Teamwork's own sample (seed 003)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from projectops_mcp.toolkit import InputModel

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")

SETTINGS_KEYS: dict[str, dict[str, str]] = {
    "localisation": {
        "language": "language",
        "date_format_id": "dateFormatId",
        "time_format_id": "timeFormatId",
        "timezone_id": "timezoneId",
        "calendar_starts_on_sunday": "calendarStartsOnSunday",
        "length_of_day": "lengthOfDay",
        "change_for_everyone": "changeForEveryone",
    },
    "permissions": {
        "administrator": "administrator",
        "can_add_projects": "canAddProjects",
        "can_manage_people": "canManagePeople",
        "auto_give_project_access": "autoGiveProjectAccess",
        "can_access_calendar": "canAccessCalendar",
        "can_access_templates": "canAccessTemplates",
        "can_access_portfolio": "canAccessPortfolio",
        "can_manage_custom_fields": "canManageCustomFields",
        "can_add_custom_reports": "canAddCustomReports",
        "can_manage_portfolio": "canManagePortfolio",
        "can_manage_project_templates": "canManageProjectTemplates",
        "can_view_project_templates": "canViewProjectTemplates",
        "can_view_schedule": "canViewSchedule",
        "can_manage_schedule": "canManageSchedule",
        "can_manage_time_reminders": "canManageTimeReminders",
    },
    "preferences": {
        "notify_on_task_complete": "notifyOnTaskComplete",
        "notify_on_added_as_follower": "notify-on-added-as-follower",
        "notify_on_status_update": "notify-on-status-update",
        "sound_alerts_enabled": "soundAlertsEnabled",
        "text_format": "textFormat",
        "use_shorthand_durations": "useShorthandDurations",
        "receive_notify_warnings": "userReceiveNotifyWarnings",
        "receive_my_notifications_only": "userReceiveMyNotificationsOnly",
        "allow_email_notifications": "allowEmailNotifications",
    },
    "daily_report": {
        "receive": "receiveDailyReports",
        "sort": "dailyReportSort",
        "at_weekend": "receiveDailyReportsAtWeekend",
        "if_empty": "receiveDailyReportsIfEmpty",
        "events_type": "dailyReportEventsType",
        "at_hour": "receiveDailyReportsAtTime",
        "days_filter": "dailyReportDaysFilter",
    },
}


def whole_hours(hours: float) -> int | float:
    """8, not 8.0, as in Teamwork's sample."""
    return int(hours) if float(hours).is_integer() else hours


# Field names say most of it; descriptions only where a value needs explaining (model-facing tokens, issue 11).
class Localisation(InputModel):
    language: str | None = Field(None, pattern=r"^[A-Za-z]{2}([-_][A-Za-z]{2})?$", description="e.g. EN")
    date_format_id: int | None = Field(None, ge=1, description="1 dd/mm/yyyy, 2 mm/dd/yyyy, ...")
    time_format_id: int | None = Field(None, ge=1, le=2, description="1 24-hour, 2 12-hour")
    timezone_id: int | None = Field(None, ge=1, description="Teamwork's timezone number")
    calendar_starts_on_sunday: bool | None = None
    length_of_day: float | None = Field(None, gt=0, le=24, description="working hours")
    change_for_everyone: bool | None = Field(None, description="apply to every user (administrators only)")


class Permissions(InputModel):
    administrator: bool | None = None
    can_add_projects: bool | None = None
    can_manage_people: bool | None = None
    auto_give_project_access: bool | None = Field(None, description="added to new projects")
    can_access_calendar: bool | None = None
    can_access_templates: bool | None = None
    can_access_portfolio: bool | None = None
    can_manage_custom_fields: bool | None = None
    can_add_custom_reports: bool | None = None
    can_manage_portfolio: bool | None = None
    can_manage_project_templates: bool | None = None
    can_view_project_templates: bool | None = None
    can_view_schedule: bool | None = Field(None, description="resource scheduling")
    can_manage_schedule: bool | None = Field(None, description="resource scheduling")
    can_manage_time_reminders: bool | None = None


class Preferences(InputModel):
    notify_on_task_complete: bool | None = Field(None, description="e-mail when a followed task is completed")
    notify_on_added_as_follower: bool | None = None
    notify_on_status_update: bool | None = None
    sound_alerts_enabled: bool | None = None
    text_format: Literal["TEXT", "HTML"] | None = Field(None, description="editor format")
    use_shorthand_durations: bool | None = Field(None, description="1h 30m")
    receive_notify_warnings: bool | None = Field(None, description="warn before notifying others")
    receive_my_notifications_only: bool | None = None
    allow_email_notifications: bool | None = None


class DailyReport(InputModel):
    receive: bool | None = None
    sort: Literal["DATE", "PROJECT"] | None = Field(None, description="group items by")
    at_weekend: bool | None = None
    if_empty: bool | None = Field(None, description="send even when empty")
    events_type: Literal["ALL", "MINE"] | None = Field(None, description="MINE: events the person attends")
    at_hour: int | None = Field(None, ge=0, le=23, description="24-hour clock")
    days_filter: int | None = Field(None, ge=0, le=365, description="days ahead of tasks to include")


class WorkingHours(InputModel):
    """Task hours per weekday."""

    sunday: float = Field(ge=0, le=24)
    monday: float = Field(ge=0, le=24)
    tuesday: float = Field(ge=0, le=24)
    wednesday: float = Field(ge=0, le=24)
    thursday: float = Field(ge=0, le=24)
    friday: float = Field(ge=0, le=24)
    saturday: float = Field(ge=0, le=24)


class PersonSettings(InputModel):
    """What teamwork_update_person_settings changes."""

    localisation: Localisation | None = Field(None, description="Language, formats, timezone, length of day.")
    preferences: Preferences | None = Field(None, description="Notification and editing preferences.")
    daily_report: DailyReport | None = Field(None, description="the daily 'Project Report' e-mail")
    working_hours: WorkingHours | None = Field(None, description="task hours per weekday (all seven)")


class NewPersonSettings(PersonSettings):
    """teamwork_create_person's `settings`: the settings and the permissions."""

    permissions: Permissions | None = Field(None, description="What the person may do on the site.")
