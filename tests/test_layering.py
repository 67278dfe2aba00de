"""The import graph of src/storyline has no cycles: between modules, and between the top-level
packages (api, web, events, …), imports deferred into function bodies included (a deferred import
still ties the two packages together; it only hides the cycle from Python)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Package imports that still close a cycle, each with the way out. This list only shrinks: the
# test fails when an entry is gone from the code, so fixed ones get removed here too.
KNOWN_PACKAGE_BACK_EDGES: set[tuple[str, str]] = set()


# Module cycles still there, each with the way out; like the list above, it only shrinks.
KNOWN_MODULE_CYCLES: list[list[str]] = []


def module_graph() -> dict[str, set[str]]:
    """Module → the storyline modules it imports (anywhere in its body)."""
    paths = {}
    for path in (SRC / "storyline").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        paths[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & paths.keys()
                # `from package import submodule` is an import of the submodule.
                imported.update(submodules or ({node.module} & paths.keys()))
        graph[name] = imported - {name}
    return graph


def package_graph(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    def package(name: str) -> str:
        return ".".join(name.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for name, imported in modules.items():
        graph.setdefault(package(name), set()).update(
            package(other) for other in imported if package(other) != package(name)
        )
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that reach each other (each a cycle, or several sharing nodes)."""
    reach = {node: reachable(graph, node) for node in graph}
    groups = {frozenset(other for other in reach[node] if node in reach.get(other, ()))
              for node in graph if node in reach[node]}
    return sorted(sorted(group) for group in groups)


def test_cycles_finds_a_cycle_and_only_the_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back() -> None:
    assert cycles(module_graph()) == KNOWN_MODULE_CYCLES


def test_api_and_web_do_not_import_each_other() -> None:
    packages = package_graph(module_graph())
    assert "storyline.web" not in packages["storyline.api"]
    assert "storyline.api" not in packages["storyline.web"]
    assert "storyline.service" in packages["storyline.api"] & packages["storyline.web"]


def test_no_package_cycle_beyond_the_known_back_edges() -> None:
    packages = package_graph(module_graph())
    still_there = {(a, b) for a, b in KNOWN_PACKAGE_BACK_EDGES if b in packages.get(a, ())}
    assert still_there == KNOWN_PACKAGE_BACK_EDGES, "a known back edge is gone: remove it above"
    for importer, imported in KNOWN_PACKAGE_BACK_EDGES:
        packages[importer].discard(imported)
    assert cycles(packages) == []
