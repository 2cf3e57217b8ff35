"""People: the site's users (staff, collaborators, client contacts)."""

from __future__ import annotations

from typing import Any

from projectops_mcp.errors import PrerequisiteError, UpstreamError
from projectops_mcp.teamwork.client import V3, TeamworkClient


async def fetch_person(tw: TeamworkClient, person_id: int, field: str = "user_ids") -> dict[str, Any]:
    """One person (v3 record); a missing person is the caller's input error, not an upstream failure."""
    try:
        data = await tw.get(f"{V3}/people/{person_id}.json")
    except UpstreamError as exc:
        if exc.status == 404:
            raise PrerequisiteError(
                f"{field}: {person_id} is not a person on this Teamwork site.", fix_with="teamwork_list_people"
            ) from None
        raise
    return data.get("person") or {}
