"""Profiles: named unions of toolsets/tools, served through the normal filters and listed by the CLI."""

from __future__ import annotations

import pytest
from mcp import Client

from projectops_mcp.cli import main
from projectops_mcp.profiles import PROFILES
from projectops_mcp.server import build_server, registered_tools
from tests.conftest import make_settings


def test_every_profile_names_real_tools_and_toolsets() -> None:
    tools = registered_tools()
    names, toolsets = {t.name for t in tools}, {t.toolset for t in tools}
    for profile in PROFILES.values():
        assert set(profile.tools) <= names, profile.name
        assert set(profile.toolsets) <= toolsets, profile.name
        assert profile.tool_names(tools), profile.name


@pytest.mark.parametrize("name", list(PROFILES))
async def test_a_profile_serves_exactly_its_tools(sandbox, name: str) -> None:
    server = build_server(make_settings(sandbox, projectops_profile=name))
    async with Client(server) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
    assert listed == set(PROFILES[name].tool_names(registered_tools()))


async def test_profiles_add_to_the_allow_lists_and_the_filters_still_hold(sandbox) -> None:
    settings = make_settings(
        sandbox,
        projectops_profile="timesheets",
        projectops_tools=["teamwork_list_tags"],
        projectops_exclude_tools=["teamwork_log_time"],
        projectops_read_only=True,
    )
    server = build_server(settings)
    assert "teamwork_list_tags" in server.tools and "teamwork_list_time_entries" in server.tools
    assert "teamwork_log_time" not in server.tools and "projectworks_create_timesheet" not in server.tools
    analyst = build_server(make_settings(sandbox, projectops_profile="analyst"))
    assert analyst.tools and all(t.read_only for t in analyst.tools.values())
    assert len(analyst.tools) == sum(t.read_only for t in registered_tools())


def test_unknown_profile_is_refused_with_the_choices(sandbox) -> None:
    with pytest.raises(ValueError, match="unknown profile 'sales'.*timesheets"):
        build_server(make_settings(sandbox, projectops_profile="sales"))


def test_cli_lists_the_profiles(capsys) -> None:
    assert main(["tools", "--profiles"]) == 0
    out = capsys.readouterr().out
    for name in PROFILES:
        assert f"\n{name} (" in "\n" + out
    assert "projectworks_create_timesheet" in out
