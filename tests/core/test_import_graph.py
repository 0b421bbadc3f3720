"""Domain packages import each other without cycles, counting imports inside functions too.

Each webapp/<pkg>/ directory is one node; webapp/__init__.py (the factory wiring every domain) and
the top-level leaf modules (vocab, config, extensions) are not. Run with -s to see the whole graph.
"""
import ast
from collections import defaultdict
from pathlib import Path

import webapp

ROOT = Path(webapp.__file__).parent
DOMAINS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py")))


def _imported(node) -> list[str]:
    """Return the dotted names an import statement brings in (`from webapp import a` → webapp.a)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert node.level == 0, f"relative import of {node.module!r} at line {node.lineno}: spell it out"
    return [f"{node.module}.{alias.name}" for alias in node.names]


def import_graph() -> dict:
    """Return {package: {imported package: ["webapp/<file>:<line>", …]}} over every module in webapp/."""
    graph = {name: defaultdict(list) for name in DOMAINS}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2:
            continue  # the factory and the leaf modules
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for name in _imported(node):
                target = name.split(".")[1] if name.startswith("webapp.") else None
                site = f"webapp/{'/'.join(parts)}:{node.lineno}"
                if target in DOMAINS and target != parts[0] and site not in graph[parts[0]][target]:
                    graph[parts[0]][target].append(site)
    return graph


def _reach(graph: dict, start: str) -> set:
    """Return the packages `start` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def tangles(graph: dict) -> list[tuple]:
    """Return the groups of packages that each import each other, directly or through others."""
    reach = {pkg: _reach(graph, pkg) for pkg in graph}
    groups = {tuple(sorted(o for o in graph if pkg in reach[o] and o in reach[pkg])) for pkg in graph}
    return sorted(g for g in groups if g)


def cycles(graph: dict) -> list[list[str]]:
    """Return one shortest cycle through each package that lies on a cycle (each cycle once)."""
    found = {}
    for start in sorted(graph):
        paths, seen = [[start]], {start}
        while paths and start not in found:
            path = paths.pop(0)
            for nxt in sorted(graph[path[-1]]):
                if nxt == start:
                    found[start] = path + [start]
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    paths.append(path + [nxt])
    unique = {}
    for loop in found.values():  # the same cycle found from each of its packages: keep the first
        turn = loop.index(min(loop[:-1]))
        unique.setdefault(tuple(loop[turn:-1] + loop[:turn]), loop)
    return sorted(unique.values(), key=lambda c: (len(c), c))


def describe(graph: dict, loops: list) -> str:
    """Say the graph (package → packages), the tangles, and each cycle with the import sites of its steps."""
    lines = ["package → packages it imports:"]
    lines += [f"  {pkg:10} → {', '.join(sorted(graph[pkg])) or '—'}" for pkg in sorted(graph)]
    lines += ["tangled (each reaches the others): " + ", ".join(group) for group in tangles(graph)]
    for loop in loops:
        lines.append("cycle: " + " → ".join(loop))
        lines += [f"    {a} → {b}: {', '.join(graph[a][b])}" for a, b in zip(loop, loop[1:])]
    return "\n".join(lines)


def test_domain_packages_import_each_other_without_cycles():
    graph = import_graph()
    loops = cycles(graph)
    print("\n" + describe(graph, loops))
    assert not loops, describe(graph, loops)


def test_the_cycle_finder_finds_a_cycle_through_function_level_imports():
    graph = {"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}, "d": {"a": ["w"]}}
    assert cycles(graph) == [["a", "b", "c", "a"]] and tangles(graph) == [("a", "b", "c")]
    assert cycles({"a": {"b": ["x"]}, "b": {}}) == [] == tangles({"a": {"b": ["x"]}, "b": {}})
