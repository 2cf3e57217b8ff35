"""Project updates (status posts with a health): listed through v3, posted, edited and deleted through v1.

Evidence (no SDK support; the official server has no such tool):
- Post: `POST /projects/{id}/update.json` with `{"update": {"text", "health"}, "notifyIds": "1,2"}` — Teamwork's own
  sample "Update project health.js" and the v1 OpenAPI export ("Create a Project Update", 200
  `{"STATUS": "OK", "updateId": "310"}`).
- Edit / delete: `PUT` (`{"update": {"text"}}`, the only documented field) / `DELETE /projects/updates/{id}.json`,
  200 (v1 export). v3 has no single-update read, so an edit is checked and read back in its project's history.
- List: `GET /projects/api/v3/projects/updates.json` and `/projects/api/v3/projects/{id}/updates.json` (2021 v3
  spec), records under `projectUpdates`; `activeOnly` defaults to true upstream (only each project's current
  update), so it is always sent.
- Health scale (open question 11): the v1 export documents 0 none, 1 red "needs attention", 2 yellow, 3 green "in
  progress", and the v3 project filter 0 not set, 1 bad, 2 ok, 3 good; Teamwork's sample comment says the reverse
  (1 good … 3 needs attention). Two documented sources against one comment: the tool uses 3 good, 2 at risk, 1 needs
  attention, 0 none, and shows the number it read next to the name.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import check_people, fetch_v3_page
from projectops_mcp.teamwork.client import TeamworkClient, ikey, rel_id, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

Health = Literal["good", "at_risk", "needs_attention", "none"]
HEALTH_CODES: dict[str, int] = {"none": 0, "needs_attention": 1, "at_risk": 2, "good": 3}
HEALTH_NAMES = {code: name for name, code in HEALTH_CODES.items()}
LIST = "teamwork_list_project_updates"
ALL, MAX_PAGES = 500, 10


class ProjectUpdate(OutputModel):
    update_id: int
    project_id: int | None = None
    text: str | None = None
    health: str | None = Field(None, description="good, at_risk, needs_attention or none")
    health_code: int | None = Field(None, description="Teamwork's number for it")
    created_at: str | None = None
    created_by: int | None = None
    raw: RawRecord = None


def to_update(record: dict[str, Any], include_raw: bool = False) -> ProjectUpdate:
    code = v1_int(record.get("health"))
    return ProjectUpdate(
        update_id=v1_int(record.get("id")) or 0,
        project_id=rel_id(record.get("project")) or v1_int(record.get("projectId")),
        text=record.get("text") or None,
        health=HEALTH_NAMES.get(code) if code is not None else None,
        health_code=code,
        created_at=record.get("createdAt") or record.get("dateCreated"),
        created_by=rel_id(record.get("createdBy")) or rel_id(record.get("user")),
        raw=record if include_raw else None,
    )


class ListUpdatesInput(PageInput):
    project_id: int | None = Field(None, gt=0, description="from teamwork_list_projects; omit for every project")
    latest_only: bool = Field(False, description="only each project's current update")
    include_raw: IncludeRaw = False


def updates_path(project_id: int | None) -> str:
    return f"/projects/{project_id}/updates.json" if project_id else "/projects/updates.json"


@tool(
    name=LIST,
    title="List Project Updates",
    toolset="teamwork.projects",
    kind="read",
    description="List project status updates (text and health), newest first.",
)
async def list_project_updates(args: ListUpdatesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[ProjectUpdate]:
    params = {"activeOnly": args.latest_only, "orderBy": "date", "orderMode": "desc"}
    return await fetch_v3_page(tw, updates_path(args.project_id), "projectUpdates", params, args, to_update)


class CreateUpdateInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    text: str = Field(min_length=1, max_length=10_000, description="the update")
    health: Health = Field(description="project health now")
    notify_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=100, description="from teamwork_list_people"
    )


@tool(
    name="teamwork_create_project_update",
    title="Create Project Update",
    toolset="teamwork.projects",
    kind="create",
    lookup="teamwork_list_projects",
    description="Post a status update on a project, setting its health.",
)
async def create_project_update(args: CreateUpdateInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectUpdate:
    await fetch_project(tw, args.project_id)
    await check_people(tw, args.notify_user_ids, "notify_user_ids")
    body: dict[str, Any] = {"update": {"text": args.text, "health": HEALTH_CODES[args.health]}}
    if args.notify_user_ids:
        body["notifyIds"] = ",".join(str(i) for i in dict.fromkeys(args.notify_user_ids))
    data = await tw.post(f"/projects/{args.project_id}/update.json", body)
    update_id = v1_int(ikey(data, "updateId", "id"))
    records, _, _, _ = await tw.v3_list(
        updates_path(args.project_id), "projectUpdates", {"activeOnly": True}, page=1, page_size=50
    )
    found = [r for r in records if v1_int(r.get("id")) == update_id] if update_id else records[:1]
    if not found:
        raise UpstreamError(
            f"Teamwork accepted the update but it is not among project {args.project_id}'s current updates; check "
            f"with {LIST}.",
            backend="Teamwork",
        )
    return to_update(found[0])


async def project_update(tw: TeamworkClient, project_id: int, update_id: int) -> dict[str, Any] | None:
    """One update of a project, found in its full history (v3 has no single-update read)."""
    for page in range(1, MAX_PAGES + 1):
        records, has_more, _, _ = await tw.v3_list(
            updates_path(project_id), "projectUpdates", {"activeOnly": False}, page=page, page_size=ALL
        )
        for record in records:
            if v1_int(record.get("id")) == update_id:
                return record
        if not has_more:
            return None
    return None


class UpdateIdInput(InputModel):
    update_id: int = Field(gt=0, description=f"from {LIST}")


class EditUpdateInput(UpdateIdInput):
    project_id: int = Field(gt=0, description=f"the update's project, from {LIST}")
    text: str = Field(min_length=1, max_length=10_000, description="the new text")


@tool(
    name="teamwork_update_project_update",
    title="Edit Project Update",
    toolset="teamwork.projects",
    kind="put",
    lookup=LIST,
    description="Edit a project update's text (post a new update to change the health).",
)
async def update_project_update(args: EditUpdateInput, tw: TeamworkClient, ctx: ToolContext) -> ProjectUpdate:
    if await project_update(tw, args.project_id, args.update_id) is None:
        raise PrerequisiteError(
            f"update_id: update {args.update_id} is not one of project {args.project_id}'s updates.", fix_with=LIST
        )
    await tw.put(f"/projects/updates/{args.update_id}.json", {"update": {"text": args.text}})
    record = await project_update(tw, args.project_id, args.update_id)
    if record is None:
        raise UpstreamError(f"Update {args.update_id} was edited but can no longer be listed.", backend="Teamwork")
    return to_update(record)


@tool(
    name="teamwork_delete_project_update",
    title="Delete Project Update",
    toolset="teamwork.projects",
    kind="delete",
    lookup=LIST,
    description="Delete a project update.",
)
async def delete_project_update(args: UpdateIdInput, tw: TeamworkClient, ctx: ToolContext) -> Deleted:
    await tw.delete(f"/projects/updates/{args.update_id}.json")
    return Deleted(id=args.update_id)
