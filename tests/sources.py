"""Dure's own sources parsed once per process, for the tests that read the code: the import
graph, the rows built by name, the one write path, the Korean buttons (each walked the same
~190 files again)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def tree(path: Path) -> ast.Module:
    """The parsed source of `path` (read once per process: the tests never change it)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def nodes(root: ast.AST) -> tuple[ast.AST, ...]:
    """Every node below and including `root`, in ast.walk's order, listed once."""
    return tuple(ast.walk(root))
