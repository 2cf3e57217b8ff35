"""What this server wrote to Projectworks for the caller's account, from the write journal (projectops_mcp.writes)."""

from __future__ import annotations

from projectops_mcp.models import Page
from projectops_mcp.projectworks.client import ProjectworksClient
from projectops_mcp.toolkit import ToolContext, tool
from projectops_mcp.writes.recent import RecentWrite, RecentWritesInput, recent_writes


@tool(
    name="projectworks_list_recent_writes",
    title="List Recent Writes",
    toolset="projectworks.journal",
    kind="read",
    description="Writes this server sent to Projectworks, newest first.",
)
async def list_recent_writes(args: RecentWritesInput, pw: ProjectworksClient, ctx: ToolContext) -> Page[RecentWrite]:
    return await recent_writes(args, pw)
