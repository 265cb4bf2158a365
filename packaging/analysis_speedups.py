"""Faster, equivalent scans for PyInstaller's module graph, installed by packaging/dure.spec.

For every module with source, PyInstaller's modulegraph reads the imports from the syntax tree
and then walks the module's whole bytecode again, through `dis.get_instructions`, only to
collect the names the module stores or deletes at global scope (STORE_NAME, STORE_GLOBAL,
DELETE_NAME, DELETE_GLOBAL: how it tells `from pkg import name` of an attribute from a
submodule). That walk built ~3 million `dis.Instruction` objects for Dure's ~1,650 modules,
a fifth of the build's CPU. `global_name_ops` reads the same opcodes straight from
`co_code`, in the same order (each code object, then its nested ones depth first, as
modulegraph's `iterate_instructions` does), and the patched method applies them exactly as the
original does. The import scan itself (the syntax tree, or the bytecode of a module without
source) is left to PyInstaller.

Its syntax-tree scan visits every node of every module (~2 million) to find the import
statements; a statement is only ever inside another statement's body (or an except handler's, a
match case's), never inside an expression, so `statements_only` descends into those and skips
every expression, in the same order: the same imports with the same if/def/try flags.

tests/test_packaging.py checks both shortcuts give what PyInstaller's own walks give.
"""

from __future__ import annotations

import ast
import opcode
import sys
from collections.abc import Iterator
from types import CodeType

_STORES = frozenset(opcode.opmap[n] for n in ("STORE_NAME", "STORE_GLOBAL"))
_DELETES = frozenset(opcode.opmap[n] for n in ("DELETE_NAME", "DELETE_GLOBAL"))
_EXTENDED_ARG = opcode.EXTENDED_ARG
_CACHES = getattr(opcode, "_inline_cache_entries", None)
# The layout read here (two-byte units, inline caches after an instruction, the name index in
# the argument) is CPython 3.11's, checked here; any other version keeps PyInstaller's own walk.
SUPPORTED = sys.version_info[:2] == (3, 11) and _CACHES is not None


def global_name_ops(code: CodeType) -> Iterator[tuple[bool, str]]:
    """(True, name) for each global store, (False, name) for each delete, in bytecode order."""
    raw, names, extended = code.co_code, code.co_names, 0
    i, end = 0, len(raw)
    while i < end:
        op = raw[i]
        if op == _EXTENDED_ARG:
            extended = (extended | raw[i + 1]) << 8
            i += 2
            continue
        if op in _STORES:
            yield True, names[extended | raw[i + 1]]
        elif op in _DELETES:
            yield False, names[extended | raw[i + 1]]
        extended = 0
        i += 2 * (1 + _CACHES[op])  # type: ignore[index]
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from global_name_ops(constant)


_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


def statements_only(visitor: ast.NodeVisitor, node: ast.AST) -> None:
    """`generic_visit` for modulegraph's import visitor: visit the child statements only."""
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, _STATEMENTS):
                    visitor.visit(item)
        elif isinstance(value, _STATEMENTS):
            visitor.visit(value)


def install() -> bool:
    """Use the shortcuts above in modulegraph's two walks; False if left as they were."""
    from PyInstaller.lib.modulegraph.modulegraph import ModuleGraph, _Visitor

    original = ModuleGraph._scan_bytecode
    if not SUPPORTED or getattr(original, "dure_fast", False):
        return False
    _Visitor.generic_visit = statements_only  # type: ignore[method-assign]

    def _scan_bytecode(self, module, module_code_object, is_scanning_imports):
        if is_scanning_imports:  # a module without source: PyInstaller reads its imports
            return original(self, module, module_code_object, is_scanning_imports)
        for stored, name in global_name_ops(module_code_object):
            if stored:
                module.add_global_attr(name)
            else:
                module.remove_global_attr_if_found(name)
        return None

    _scan_bytecode.dure_fast = True  # type: ignore[attr-defined]
    ModuleGraph._scan_bytecode = _scan_bytecode
    return True
