"""Project templates (list v3, create v1) and cloning a project or template (v1 `POST /projects/{id}/clone.json`).

Wire facts (SDK project_template.go, project.go; reference §6.1, §8):
- A template is created with the project create body at `POST /projects/template.json` (201 `{"id"}`); templates
  are listed at `GET /projects/api/v3/projects/templates.json` in the project list's envelope.
- The clone body has no wrapper. Teamwork copies only custom fields unless told otherwise, so when `what_to_copy`
  is given every copy flag is sent, true for the listed items and false for the rest: the clone holds exactly that.
- A new start date means two different things upstream: from a template it is `targetDate` (v1 `YYYYMMDD`) with
  `newFromTemplate: true`; from a project it is `daysOffset`, the shift from the source's own start date. The tool
  reads the source first and sends the right one.
- The SDK's `MOVE` action renames the source in place; it is not offered (teamwork_update_project renames).
- Clone answers 200 `{"projectId": ...}` (quirk 18); the new project is read back through v3.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import IncludeRaw, Page, PageInput
from projectops_mcp.teamwork._common import fetch_v3_page
from projectops_mcp.teamwork.client import TeamworkClient, ikey, to_v1_date, v1_int
from projectops_mcp.teamwork.projects import CreateProjectInput, Project, fetch_project, project_body, to_project
from projectops_mcp.toolkit import InputModel, ToolContext, tool

TEMPLATE_TYPE = "projects-template"
LIST = "teamwork_list_project_templates"

# What a clone can carry, in the tool's words, and the SDK's flag for each.
COPY_FLAGS = {
    "tasklists": "copyTasklists",
    "tasks": "copyTasks",
    "milestones": "copyMilestones",
    "messages": "copyMessages",
    "files": "copyFiles",
    "notebooks": "copyNotebooks",
    "links": "copyLinks",
    "comments": "copyComments",
    "followers": "copyFollowers",
    "people": "copyPeople",
    "project_roles": "copyProjectRoles",
    "project_privacy": "copyProjectPrivacy",
    "custom_fields": "copyCustomFields",
    "custom_items": "copyCustomItems",
    "project_updates": "copyProjectUpdates",
    "timelogs": "copyTimelogs",
    "expenses": "copyExpenses",
    "invoices": "copyInvoices",
    "budgets": "copyBudgets",
    "allocations": "copyAllocations",
    "risks": "copyRisks",
    "forms": "copyForms",
    "automations": "copyAutomations",
    "webhooks": "copyWebhooks",
    "logo": "copyLogo",
    "preferences": "copyProjectPrefs",
}
CopyItem = Literal[
    "tasklists", "tasks", "milestones", "messages", "files", "notebooks", "links", "comments", "followers", "people",
    "project_roles", "project_privacy", "custom_fields", "custom_items", "project_updates", "timelogs", "expenses",
    "invoices", "budgets", "allocations", "risks", "forms", "automations", "webhooks", "logo", "preferences",
]  # fmt: skip


class ListTemplatesInput(PageInput):
    search: str | None = Field(None, min_length=1, description="text in the name")
    include_raw: IncludeRaw = False


@tool(
    name=LIST,
    title="List Project Templates",
    toolset="teamwork.projects",
    kind="read",
    description="List project templates (clone one with teamwork_clone_project).",
)
async def list_project_templates(args: ListTemplatesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Project]:
    params = {"searchTerm": args.search}
    return await fetch_v3_page(tw, "/projects/templates.json", "projects", params, args, to_project)


@tool(
    name="teamwork_create_project_template",
    title="Create Project Template",
    toolset="teamwork.projects",
    kind="create",
    lookup=LIST,
    description="Create an empty project template.",
)
async def create_project_template(args: CreateProjectInput, tw: TeamworkClient, ctx: ToolContext) -> Project:
    body = await project_body(tw, args)
    data = await tw.post("/projects/template.json", {"project": body})
    template_id = v1_int(ikey(data, "id", "projectId"))
    if not template_id:
        raise UpstreamError(
            f"Teamwork accepted the template but did not say its id; find it with {LIST}.", backend="Teamwork"
        )
    return await fetch_project(tw, template_id)


class CloneProjectInput(InputModel):
    project_id: int = Field(gt=0, description=f"project or template to copy; from teamwork_list_projects or {LIST}")
    name: str | None = Field(None, min_length=1, max_length=255, description="default: the source's name + number")
    description: str | None = Field(None, max_length=10_000, description="default: the source's")
    company_id: int | None = Field(None, gt=0, description="from teamwork_list_companies")
    what_to_copy: list[CopyItem] | None = Field(
        None, min_length=1, description="exactly these; default: Teamwork's (custom fields only)"
    )
    start_date: date | None = Field(None, description="new start date; the project's dates move with it")
    to_template: bool = Field(False, description="make the copy a template")


def clone_body(args: CloneProjectInput, source: Project) -> dict[str, Any]:
    from_template = source.type == TEMPLATE_TYPE
    body: dict[str, Any] = {}
    if args.name is not None:
        body["cloneProjectName"] = args.name
    if args.description is not None:
        body["description"] = args.description
    if args.company_id is not None:
        body["companyId"] = args.company_id
    if args.what_to_copy is not None:
        body.update({flag: item in args.what_to_copy for item, flag in COPY_FLAGS.items()})
    if from_template and not args.to_template:
        body["newFromTemplate"] = True
    if args.to_template:
        body["toTemplate"] = True
    if args.start_date is None:
        return body
    if from_template and not args.to_template:
        body["templateDateTarget"] = "start"
        body["targetDate"] = to_v1_date(args.start_date)
    elif source.start_date:
        body["daysOffset"] = (args.start_date - date.fromisoformat(source.start_date)).days
    else:
        raise PrerequisiteError(
            f"start_date: {source.type or 'project'} {source.project_id} has no start date to move from; leave "
            "start_date out, or give the source one with teamwork_update_project.",
            fix_with="teamwork_update_project",
        )
    return body


@tool(
    name="teamwork_clone_project",
    title="Clone Project",
    toolset="teamwork.projects",
    kind="create",
    lookup="teamwork_list_projects",
    description="Copy a project, or start a project from a template, choosing what to copy and a new start date.",
)
async def clone_project(args: CloneProjectInput, tw: TeamworkClient, ctx: ToolContext) -> Project:
    if args.what_to_copy and "tasks" in args.what_to_copy and "tasklists" not in args.what_to_copy:
        raise InputError("what_to_copy", "tasks live in task lists: add 'tasklists' to copy tasks.")
    source = await fetch_project(tw, args.project_id)
    data = await tw.post(f"/projects/{args.project_id}/clone.json", clone_body(args, source))
    new_id = v1_int(ikey(data, "projectId", "id"))
    if not new_id:
        raise UpstreamError(
            "Teamwork accepted the clone but did not say the new project's id; find it with teamwork_list_projects.",
            backend="Teamwork",
        )
    return await fetch_project(tw, new_id)
