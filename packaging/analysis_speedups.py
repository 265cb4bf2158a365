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

PyInstaller also asks child Pythons (a fifth of a second each): for the file of every PySide6
module the Qt hooks look at, which `submodule_file` finds as Python's import system would,
without importing PySide6; and some questions twice in one build (the SQLAlchemy dialects, the
encodings' submodules), answered the second time from the first.

The build process also collects cyclic garbage far less often (`fewer_collections`): the
module graph keeps millions of objects alive (code objects, graph nodes) and every syntax tree
it parses adds millions more that die young, so with Python's default thresholds each full
collection walked the whole graph again; a fifth of the build's CPU went to the collector
(user+sys 37.8 s before, 28-30 s after, the same folder and the same peak memory, 273 MB).

Each module's code object is compiled from its syntax tree again (a third of that compile's
time), although Python's import system has usually cached the very same code already: the
tests' workers import most of these modules before the build needs them. `cached_code` takes
it from the cache when the cache is valid for the file as Python itself checks it (magic
number, source mtime and size) and names the same file; otherwise PyInstaller compiles.

tests/test_packaging.py checks the shortcuts give what PyInstaller's own walks give.
"""

from __future__ import annotations

import ast
import builtins
import gc
import importlib.util
import marshal
import opcode
import os
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


def submodule_file(name: str) -> str | None:
    """The file of module `name` in a plain folder package, found without importing its parent.

    PyInstaller's get_module_file_attribute starts a child Python that imports the parent
    package for any dotted name (a fifth of a second each; the Qt hooks ask for every PySide6
    module). For a package whose folders hold its modules the finder's answer is the same.
    """
    import importlib.machinery

    parts = name.split(".")
    spec = importlib.machinery.PathFinder.find_spec(parts[0])
    for depth in range(1, len(parts)):
        locations = spec.submodule_search_locations if spec else None
        if not locations:
            return None
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[:depth + 1]), locations)
    return spec.origin if spec and spec.has_location else None


_FOLDER_PACKAGES = ("PySide6",)  # their hooks ask for submodules' files; no import-time __path__


def _memoized_calls() -> None:
    """The same query asked twice of a child Python within one build gets the first answer.

    Hooks ask some twice (SQLAlchemy's list of dialects, the encodings' submodules): the
    installed packages do not change during a build, so the answer does not either.
    """
    import copy
    import functools
    import marshal

    from PyInstaller import isolated
    from PyInstaller.depend import analysis
    from PyInstaller.isolated import _parent
    from PyInstaller.utils import hooks

    answers: dict[object, object] = {}

    def remembered(key, compute):
        if key not in answers:
            answers[key] = compute()
        return copy.deepcopy(answers[key])

    isolated_call = _parent.call

    @functools.wraps(isolated_call)
    def call(function, *args, **kwargs):
        if function.__closure__:  # not a plain query: ask each time
            return isolated_call(function, *args, **kwargs)
        key = (marshal.dumps(function.__code__), repr(args), repr(sorted(kwargs.items())))
        return remembered(key, lambda: isolated_call(function, *args, **kwargs))

    collect = hooks.collect_submodules
    default_filter = collect.__defaults__[0]  # type: ignore[index]

    @functools.wraps(collect)
    def collect_submodules(package, filter=default_filter, on_error="warn once"):  # noqa: A002
        if filter is not default_filter:
            return collect(package, filter, on_error)
        return remembered(("collect_submodules", package, on_error),
                          lambda: collect(package, filter, on_error))

    module_file = hooks.get_module_file_attribute

    @functools.wraps(module_file)
    def get_module_file_attribute(package):
        found = submodule_file(package) if package.startswith(_FOLDER_PACKAGES) else None
        return found or module_file(package)

    _parent.call = isolated.call = call
    hooks.collect_submodules = analysis.collect_submodules = collect_submodules
    hooks.get_module_file_attribute = get_module_file_attribute


BUILD_GC_THRESHOLDS = (100_000, 50, 100)  # Python's default is (700, 10, 10)


def fewer_collections() -> None:
    """This process (the build) collects cyclic garbage after 100,000 new objects, not 700.

    Reference counting still frees every syntax tree as soon as its module is scanned; only
    cycles wait longer, and the build's peak memory did not change.
    """
    gc.set_threshold(*BUILD_GC_THRESHOLDS)


def cached_code(path: str) -> CodeType | None:
    """The code Python's import system cached for source file `path`, if valid; else None.

    Valid as the import system decides for a timestamp pyc (this interpreter's magic number,
    the source's mtime and size), at the place it would read it (sys.pycache_prefix
    included), and compiled from this very path. Hash-based pycs are left to the compiler.
    """
    try:
        pyc = importlib.util.cache_from_source(path)
        source = os.stat(path)
        with open(pyc, "rb") as file:
            data = file.read()
    except (OSError, ValueError, NotImplementedError):
        return None
    if len(data) < 16 or data[:4] != importlib.util.MAGIC_NUMBER or any(data[4:8]):
        return None
    if int.from_bytes(data[8:12], "little") != int(source.st_mtime) & 0xFFFFFFFF \
            or int.from_bytes(data[12:16], "little") != source.st_size & 0xFFFFFFFF:
        return None
    try:
        code = marshal.loads(memoryview(data)[16:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) and code.co_filename == path else None


def compile_or_cached(source, filename, mode, flags=0, dont_inherit=False, optimize=-1):
    """`compile` for modulegraph: a module's syntax tree to code, from the cache when valid."""
    if isinstance(source, ast.Module) and mode == "exec" and flags == 0 and dont_inherit \
            and optimize == -1 and sys.flags.optimize == 0 and isinstance(filename, str):
        code = cached_code(filename)
        if code is not None:
            return code
    return builtins.compile(source, filename, mode, flags, dont_inherit, optimize)


def install() -> bool:
    """Use the shortcuts above in PyInstaller's analysis; False if left as it was."""
    from PyInstaller.lib.modulegraph import modulegraph
    from PyInstaller.lib.modulegraph.modulegraph import ModuleGraph, _Visitor

    fewer_collections()
    original = ModuleGraph._scan_bytecode
    if not SUPPORTED or getattr(original, "dure_fast", False):
        return False
    _Visitor.generic_visit = statements_only  # type: ignore[method-assign]
    modulegraph.compile = compile_or_cached  # type: ignore[attr-defined]  # shadows the builtin
    _memoized_calls()

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
