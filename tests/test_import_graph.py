"""The import graph of Dure's own modules, walked from the source with ast: no cycles,
nothing imported from a layer above.

Every import counts, also those inside functions (an import moved into a function still makes
the cycle, it only hides it). Imports under `if TYPE_CHECKING:` do not run and are left out.
There is none (issue 14 point 4): the test fails on any.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

from tests import sources

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("db", "gui", "exports")



def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "versions" in path.parts:  # generated Alembic revisions
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    found["main"] = ROOT / "main.py"
    return found


_tree = sources.tree  # each source parsed once per process (several tests read the code)


_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every statement below `node`, with the except and case clauses that hold statements.

    An import is a statement, and statements only sit in other statements' bodies, so this
    finds what ast.walk finds without visiting the expressions (most of the nodes).
    """
    for _field, value in ast.iter_fields(node):
        if isinstance(value, list):
            for child in value:
                if isinstance(child, _BLOCKS):
                    yield child
                    yield from _statements(child)


def _targets(mods: dict[str, Path], name: str, is_package: bool, node: ast.AST) -> set[str]:
    wanted: list[str] = []
    if isinstance(node, ast.Import):
        wanted = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = name.split(".")
            if not is_package:
                base.pop()
            base = base[: len(base) - node.level + 1]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module or ""
        wanted = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in mods else prefix
                  for a in node.names]
    out = set()
    for target in wanted:
        while target and target not in mods:
            target = target.rpartition(".")[0]
        if target and target != name:
            out.add(target)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports (a new copy of the graph made once per process)."""
    return {name: set(edges) for name, edges in _import_graph().items()}


@functools.cache
def _import_graph() -> dict[str, set[str]]:
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        edges: set[str] = set()
        todo: list[ast.AST] = [_tree(path)]
        while todo:
            for child in _children(todo.pop()):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                edges.update(_targets(mods, name, path.name == "__init__.py", child))
                todo.append(child)
        graph[name] = edges
    return graph


def _children(node: ast.AST) -> Iterator[ast.AST]:
    """The statements (and except and case clauses) directly in `node`'s bodies."""
    for _field, value in ast.iter_fields(node):
        if isinstance(value, list):
            yield from (child for child in value if isinstance(child, _BLOCKS))


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[tuple[str, ...]] = set()

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.add(tuple(sorted(component)))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


LAYERS = {"db": 0, "exports": 1, "gui": 2, "main": 3}  # each may import only those below it


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a module from a layer above its own (docs/ARCHITECTURE.md, the layers)."""
    def layer(name: str) -> int:
        return LAYERS[name.partition(".")[0]]

    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if layer(b) > layer(a))


def test_the_walker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}


def test_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 100 and "db.registry" in graph
    assert graph["db.registry"] == set() and graph["db.changes"] == set()  # the two leaves
    assert cycles(graph) == set()


def test_the_layer_check_finds_an_upward_import():
    graph = {"db.importer.plan": {"exports.safe_text", "db.models"}, "exports.xlsx": {"db.models"},
             "gui.app": {"exports.xlsx"}, "exports.pdf": {"gui.workers"}}
    assert upward(graph) == ["db.importer.plan -> exports.safe_text", "exports.pdf -> gui.workers"]


def test_layers_import_downward_only():
    """db never imports exports or gui (queries included), exports never imports gui."""
    assert upward(import_graph()) == []


def test_every_import_inside_a_function_says_why():
    """Imports inside functions are for start-up speed only, each with a `# deferred:` line."""
    silent = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for fn in _statements(_tree(path)):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in _statements(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    j = node.lineno - 2  # the comment heads the block of imports it is in
                    while j >= 0 and lines[j].lstrip().startswith(("from ", "import ")):
                        j -= 1
                    if "# deferred:" not in lines[node.lineno - 1] and (
                            j < 0 or "# deferred:" not in lines[j]):
                        silent.append(f"{name}:{node.lineno}")
    assert silent == []
