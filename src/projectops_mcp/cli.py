"""Command line: `serve` (stdio | sse | http), `tools`, `call`, `manifests`. Flags mirror the environment variables
and win over them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio

from projectops_mcp import __version__
from projectops_mcp.config import Settings
from projectops_mcp.profiles import PROFILES

MANIFEST_DIR = Path("tool_manifests")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="projectops-mcp", description="MCP server for Teamwork.com and Projectworks")
    parser.add_argument("--version", action="version", version=f"projectops-mcp {__version__}")
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--sandbox", action="store_true", default=None, help="serve the built-in simulators")
        p.add_argument(
            "--sandbox-scale",
            type=int,
            metavar="N",
            help="with --sandbox: add a bigger agency to both simulators (N=10: ~150 people, 30,000 time records)",
        )
        p.add_argument("--read-only", action="store_true", default=None, help="hide and refuse every write tool")
        p.add_argument("--toolsets", help="comma-separated toolsets to enable (e.g. teamwork.tasks,projectworks)")
        p.add_argument("--tools", help="comma-separated tool names to enable")
        p.add_argument("--exclude-tools", help="comma-separated tool names to disable")
        p.add_argument("--profile", help="a named set of tools: " + ", ".join(PROFILES))
        p.add_argument(
            "--discovery",
            action="store_true",
            default=None,
            help="tools/list shows only find_tools, call_tool and enable_tools",
        )
        p.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
        p.add_argument("--log-format", choices=["text", "json"])

    serve = sub.add_parser("serve", help="run the MCP server (default: stdio)")
    common(serve)
    serve.add_argument("--transport", choices=["stdio", "sse", "http", "streamable-http"], default="stdio")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--stateless", action="store_true", help="streamable HTTP without sessions (multi-replica)")
    serve.add_argument("--json-response", action="store_true", help="streamable HTTP answers as JSON, not SSE")
    serve.add_argument(
        "--allow-unauthenticated",
        action="store_true",
        default=None,
        help="allow a non-loopback bind without PROJECTOPS_HTTP_TOKEN",
    )
    serve.add_argument(
        "--header-credentials",
        action="store_true",
        default=None,
        help="accept per-request backend credentials in X-Teamwork-*/X-Projectworks-* headers",
    )

    tools = sub.add_parser("tools", help="list the tools this configuration serves")
    common(tools)
    tools.add_argument("--json", action="store_true", help="print the full manifests as JSON")
    tools.add_argument("--all", action="store_true", help="list every tool, ignoring credentials and filters")
    tools.add_argument("--profiles", action="store_true", help="list the profiles and the tools each serves")

    call = sub.add_parser("call", help="run one tool and print its structured result")
    common(call)
    call.add_argument("tool")
    call.add_argument("--args", default="{}", help="the tool arguments as a JSON object")

    journal = sub.add_parser("journal", help="list the write journal, newest first (PROJECTOPS_JOURNAL)")
    journal.add_argument("--since", default="24h", help="ISO date/time or an age like 30m, 2h, 7d (default 24h)")
    journal.add_argument("--tool", help="only this tool's writes")
    journal.add_argument("--outcome", choices=["sent", "succeeded", "failed", "unknown"])
    journal.add_argument("--limit", type=int, default=200)
    journal.add_argument("--json", action="store_true", help="one JSON array of full entries")

    manifests = sub.add_parser("manifests", help="write or check tool_manifests/<backend>.json")
    group = manifests.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    mapping = {
        "sandbox": "projectops_sandbox",
        "sandbox_scale": "projectops_sandbox_scale",
        "read_only": "projectops_read_only",
        "toolsets": "projectops_toolsets",
        "tools": "projectops_tools",
        "exclude_tools": "projectops_exclude_tools",
        "profile": "projectops_profile",
        "discovery": "projectops_discovery",
        "log_level": "projectops_log_level",
        "log_format": "projectops_log_format",
        "allow_unauthenticated": "projectops_allow_unauthenticated",
        "header_credentials": "projectops_header_credentials",
    }
    for flag, field in mapping.items():
        value = getattr(args, flag, None)
        if value is not None:
            overrides[field] = value
    base = Settings()
    return Settings(**{**base.model_dump(), **overrides}) if overrides else base


def _setup_logging(settings: Settings) -> None:
    from projectops_mcp.http import Redactor
    from projectops_mcp.observability import configure_logging

    configure_logging(settings.projectops_log_level, settings.projectops_log_format, Redactor(settings.secret_values()))


def _build(settings: Settings):
    from projectops_mcp.server import build_server

    try:
        return build_server(settings)
    except ValueError as exc:
        print(f"projectops-mcp: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_serve(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    _setup_logging(settings)
    server = _build(settings)
    if args.transport == "stdio":
        from projectops_mcp.stdio import serve_stdio

        anyio.run(serve_stdio, server)
    else:
        from projectops_mcp import transports

        transport = "sse" if args.transport == "sse" else "http"

        async def main() -> None:
            await transports.serve_http(
                server,
                transport=transport,
                host=args.host,
                port=args.port,
                stateless=args.stateless,
                json_response=args.json_response,
            )

        anyio.run(main)
    return 0


def cmd_tools(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.profiles:
        return _print_profiles()
    if args.all:
        from projectops_mcp.server import registered_tools

        tools = registered_tools()
    else:
        _setup_logging(settings.model_copy(update={"projectops_log_level": "error"}))
        from projectops_mcp import server as server_module

        server = _build(settings)
        tools = list(server.tools.values())
        for backend in server.missing_backends:  # an MCP client would just see fewer tools: say why here
            print(server_module.missing_backend_note(backend), file=sys.stderr)
    if args.json:
        print(json.dumps([t.manifest() for t in tools], indent=2, ensure_ascii=False))
        return 0
    width = max((len(t.name) for t in tools), default=10)
    for t in tools:
        access = "read" if t.read_only else ("write!" if t.annotations.destructive_hint else "write")
        print(f"{t.name:<{width}}  {access:<6}  {t.toolset:<26}  {t.title}")
    print(f"{len(tools)} tools", file=sys.stderr)
    return 0


def _print_profiles() -> int:
    from projectops_mcp.server import catalogue_tools

    tools = catalogue_tools()
    for profile in PROFILES.values():
        names = profile.tool_names(tools)
        print(f"{profile.name} ({len(names)} tools): {profile.purpose}")
        print("  " + ", ".join(names))
    return 0


def cmd_call(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    _setup_logging(settings.model_copy(update={"projectops_log_level": "warning"}))
    try:
        arguments = json.loads(args.args)
    except ValueError as exc:
        print(f"--args is not valid JSON: {exc}", file=sys.stderr)
        return 2
    if not isinstance(arguments, dict):
        print("--args must be a JSON object", file=sys.stderr)
        return 2
    server = _build(settings)

    async def main() -> int:
        from mcp import Client

        async with Client(server) as client:
            result = await client.call_tool(args.tool, arguments)
        if result.is_error:
            print(result.content[0].text if result.content else "error", file=sys.stderr)
            return 1
        print(json.dumps(result.structured_content, indent=2, ensure_ascii=False))
        return 0

    return anyio.run(main)


def manifest_files() -> dict[Path, str]:
    """{path: content} of everything generated from the tool code: tool_manifests/<backend>.json (the published
    catalogue), tool_manifests/CATALOGUE.md (for people) and the packaged catalogue.json start-up lists from."""
    from projectops_mcp.server import CATALOGUE, registered_tools

    tools = sorted(registered_tools(), key=lambda t: (t.backend, t.toolset, t.name))
    backends = sorted({t.backend for t in tools})
    files: dict[Path, str] = {}
    for backend in backends:
        entries = sorted((t.manifest() for t in tools if t.backend == backend), key=lambda m: m["name"])
        files[MANIFEST_DIR / f"{backend}.json"] = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    lines = ["# Tool catalogue", "", "Generated by `projectops-mcp manifests --write`; do not edit.", ""]
    for backend in backends:
        group = [t for t in tools if t.backend == backend]
        lines += [f"## {backend} ({len(group)} tools)", "", "| tool | access | toolset | what it does |"]
        lines.append("|---|---|---|---|")
        for t in group:
            access = "read" if t.read_only else ("destructive" if t.annotations.destructive_hint else "write")
            lines.append(f"| `{t.name}` | {access} | {t.toolset} | {t.description.replace('|', '/')} |")
        lines.append("")
    files[MANIFEST_DIR / "CATALOGUE.md"] = "\n".join(lines)
    catalogue = [t.catalogue_entry() for t in sorted(tools, key=lambda t: (t.backend == "teamwork", t.name))]
    files[CATALOGUE.relative_to(Path.cwd()) if CATALOGUE.is_relative_to(Path.cwd()) else CATALOGUE] = (
        json.dumps(catalogue, separators=(",", ":"), ensure_ascii=False) + "\n"
    )
    return files


def cmd_manifests(args: argparse.Namespace) -> int:
    wanted = manifest_files()
    if args.write:
        for path, text in wanted.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"wrote {', '.join(str(p) for p in wanted)}", file=sys.stderr)
        return 0
    stale = [str(p) for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if stale:
        print(f"generated files are out of date: {', '.join(stale)}; run 'make manifests'", file=sys.stderr)
        return 1
    print("tool manifests are up to date", file=sys.stderr)
    return 0


def cmd_journal(args: argparse.Namespace) -> int:
    from projectops_mcp.writes.journal_cli import print_journal

    return print_journal(
        Settings(), since=args.since, tool=args.tool, outcome=args.outcome, limit=args.limit, as_json=args.json
    )


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    handlers = {"serve": cmd_serve, "tools": cmd_tools, "call": cmd_call, "manifests": cmd_manifests}
    handlers["journal"] = cmd_journal
    return handlers[args.command](args)
