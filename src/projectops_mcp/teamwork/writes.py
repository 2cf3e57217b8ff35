"""What this server wrote to Teamwork for the caller's account, from the write journal (projectops_mcp.writes)."""

from __future__ import annotations

from projectops_mcp.models import Page
from projectops_mcp.teamwork.client import TeamworkClient
from projectops_mcp.toolkit import ToolContext, tool
from projectops_mcp.writes.recent import RecentWrite, RecentWritesInput, recent_writes


@tool(
    name="teamwork_list_recent_writes",
    title="List Recent Writes",
    toolset="teamwork.journal",
    kind="read",
    description="Writes this server sent to Teamwork, newest first.",
)
async def list_recent_writes(args: RecentWritesInput, tw: TeamworkClient, ctx: ToolContext) -> Page[RecentWrite]:
    return await recent_writes(args, tw)
