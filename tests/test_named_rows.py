"""Wide rows are built by name (issue 14 point 3): a dataclass or NamedTuple of eight fields or
more is constructed with at most five positional arguments in db/, exports/ and gui/.

`RosterRow(space.id, number, site, …)` with 22 values by position breaks silently when a field
is added in the middle; `RosterRow(space_id=…, number=…)` does not, and mypy checks the names.
(`Row(*row)` from a select's column list, the list written beside the row type, is not counted.)
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests import sources

ROOT = Path(__file__).resolve().parent.parent
WIDE = 8  # fields
POSITIONAL = 5  # arguments


def _sources() -> list[Path]:
    return [p for d in ("db", "exports", "gui") for p in (ROOT / d).rglob("*.py")
            if "versions" not in p.parts]


def wide_rows(trees: dict[str, ast.Module]) -> set[str]:
    """Names of the dataclasses and NamedTuples with at least WIDE fields."""
    out = set()
    for tree in trees.values():
        for node in sources.nodes(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            row = any("dataclass" in ast.unparse(d) for d in node.decorator_list) or any(
                ast.unparse(b).endswith("NamedTuple") for b in node.bases)
            fields = [s for s in node.body if isinstance(s, ast.AnnAssign)]
            if row and len(fields) >= WIDE:
                out.add(node.name)
    for tree in trees.values():  # a subclass that adds methods to a wide row is one too
        for node in sources.nodes(tree):
            if isinstance(node, ast.ClassDef) and any(
                    ast.unparse(b) in out for b in node.bases):
                out.add(node.name)
    return out


def positional_calls(trees: dict[str, ast.Module], wide: set[str]) -> list[str]:
    found = []
    for name, tree in trees.items():
        for node in sources.nodes(tree):
            if isinstance(node, ast.Call):
                plain = [a for a in node.args if not isinstance(a, ast.Starred)]
                if len(plain) <= POSITIONAL:
                    continue  # few arguments: no need to print the callee (ast.unparse is slow)
                called = ast.unparse(node.func).rpartition(".")[2]
                if called in wide and len(plain) > POSITIONAL:
                    found.append(f"{name}:{node.lineno} {called}({len(plain)} by position)")
    return found


def test_the_check_finds_a_wide_row_built_by_position():
    tree = ast.parse("@dataclass\nclass R:\n" + "".join(f"    f{i}: int\n" for i in range(9))
                     + "a = R(1, 2, 3, 4, 5, 6, 7, 8, 9)\nb = R(1, 2, f3=3, f4=4, f5=5, f6=6, "
                     "f7=7, f8=8, f9=9)\n"
                     "class Sub(R):\n    pass\nc = Sub(1, 2, 3, 4, 5, 6, 7, 8, 9)\n")
    trees = {"toy": tree}
    assert wide_rows(trees) == {"R", "Sub"}
    assert positional_calls(trees, {"R"}) == ["toy:12 R(9 by position)"]
    assert positional_calls(trees, {"R", "Sub"}) == [
        "toy:12 R(9 by position)", "toy:16 Sub(9 by position)"]


def test_wide_rows_are_built_by_name():
    trees = {str(p.relative_to(ROOT)): sources.tree(p) for p in _sources()}
    wide = wide_rows(trees)
    assert {"RosterRow", "TenancyStatus", "SalesEventRow", "SocialServiceRow", "RoundRow",
            "Field"} <= wide
    assert positional_calls(trees, wide) == []
