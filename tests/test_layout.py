"""The house's layout rules that a test can hold: no import cycle inside the package (module-level, lazy and
`if TYPE_CHECKING:` imports alike: a cycle hidden from the interpreter is still two modules that need each other),
and one name per tool."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import pytest

import projectops_mcp
from projectops_mcp.toolkit import collect_tools, tool

PACKAGE = Path(projectops_mcp.__file__).parent


def _module_name(path: Path) -> str:
    parts = ["projectops_mcp", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports (a `from pkg import name` counts as pkg.name when that is a module)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against this module's package
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    if f"{target}.{alias.name}" in modules:
                        edges.add(f"{target}.{alias.name}")
                    elif target in modules:
                        edges.add(target)
            pending.extend(ast.iter_child_nodes(node))
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "projectops_mcp.calls" in graph and "projectops_mcp.server" in graph["projectops_mcp.transports"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_calls_is_the_bottom_layer() -> None:
    """The call context needs only leaves (the redactor, the settings' type), so every layer can import it."""
    graph = import_graph()
    reached, pending = set(), ["projectops_mcp.calls"]
    while pending:
        for nxt in graph[pending.pop()] - reached:
            reached.add(nxt)
            pending.append(nxt)
    assert reached <= {"projectops_mcp.redaction", "projectops_mcp.config", "projectops_mcp"}, reached


def test_collect_tools_refuses_two_tools_with_one_name() -> None:
    async def handler(args: projectops_mcp.toolkit.InputModel, client: object, ctx: object) -> object: ...

    handler.__annotations__ = {
        "args": projectops_mcp.toolkit.InputModel,
        "return": projectops_mcp.toolkit.OutputModel,
    }
    make = tool(name="teamwork_list_things", title="T", toolset="teamwork.things", kind="read", description="d")
    first, second = types.ModuleType("first"), types.ModuleType("second")
    first.one = make(handler)
    second.imported_again = first.one  # the same Tool imported into a second module: still one tool
    assert [t.name for t in collect_tools(first, second)] == ["teamwork_list_things"]
    second.other = make(handler)
    with pytest.raises(ValueError, match="teamwork_list_things"):
        collect_tools(first, second)
