"""The one-folder build: PyInstaller makes it here, and the frozen program runs headless.

Slow (a PyInstaller build takes about 30 s of CPU); the plain `uv run pytest` that CI runs
includes it. The build starts in the background as soon as collection has picked these tests
(tests/conftest.py calls `start_build`), so it runs on the second core while the rest of the
suite runs on the first, and the fixture only waits for what is left of it.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.version import version
from tests.export_fixtures import assert_only_bundled_fonts, pdf_text
from tests.frozen_build import BUILD_ROOT_ENV, _build, start_build, wait_for_controller_build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import build as packaging_build  # noqa: E402 - packaging/ is put on sys.path just above

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen() -> Path:
    shared = os.environ.get(BUILD_ROOT_ENV)
    if shared and not _build:  # a pytest-xdist worker: the controller builds
        root = Path(shared)
        code = wait_for_controller_build(root)
    else:
        start_build()
        proc = _build["proc"]
        assert isinstance(proc, subprocess.Popen)
        code = proc.wait(timeout=1200)
        _build["log"].close()  # type: ignore[union-attr]
        root = Path(str(_build["root"]))
    assert code == 0, (root / "build.log").read_text(encoding="utf-8")[-4000:]
    return root / "dist" / "Dure"


def run(frozen: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    exe = frozen / ("dure-cli.exe" if os.name == "nt" else "dure-cli")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8"}
    env.pop("DURE_DATABASE_URL", None)
    env.pop("DURE_DATA_DIR", None)  # the frozen app finds its data folder as an installed one
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_folder_holds_both_programs_and_stays_in_budget(frozen):
    names = {p.name for p in frozen.iterdir()}
    assert {"Dure", "dure-cli"} <= {n.removesuffix(".exe") for n in names}
    size_mb = packaging_build.folder_size(frozen) / 2**20
    print(f"one-folder build: {size_mb:.0f} MB (budget {packaging_build.SIZE_BUDGET_MB} MB)")
    assert size_mb <= packaging_build.SIZE_BUDGET_MB
    internal = frozen / "_internal"
    # Qt's Korean catalogues are bundled (the dialogs read Korean), the other languages not.
    translations = {p.name for p in internal.rglob("*.qm")}
    assert {"qtbase_ko.qm", "qt_ko.qm"} <= translations
    assert not [t for t in translations if not t.endswith("_ko.qm")]
    libs = {p.name for p in internal.rglob("libQt6*")} | {p.name for p in internal.rglob("Qt6*")}
    assert any("Pdf" in n for n in libs) and any("Charts" in n for n in libs)
    assert not [n for n in libs if "Quick" in n or "WebEngine" in n or "Qml" in n]
    assert (internal / "db" / "migrations" / "versions").is_dir()
    assert list((internal / "resources" / "fonts").glob("NanumGothic*.ttf"))
    # Dure's own catalogue (찾는 위치, 파일 형식) beside Qt's: the spec once dropped it with them
    assert (internal / "resources" / "translations" / "dure_qt_ko.qm").is_file()


_FLAGS = ("conditional", "function", "tryexcept")  # modulegraph's DependencyInfo, in order
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
             ast.TryStar, ast.Match, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_HIGH = [f"g{i}" for i in range(260)]  # a function with more than 255 names
# What no installed module has, for test_build_shortcuts_find_what_pyinstallers_own_walks_find:
# stores and deletes past name index 255 at module level and of globals in a function, and
# imports in the body of every kind of compound statement.
CONSTRUCTS = "\n".join(
    [f"n{i} = {i}" for i in range(300)] + [f"del n{i}" for i in range(250, 300)] + [
        "def drop():", "    global n1, " + ", ".join(_HIGH), "    n1 = 1", "    del n1",
        "    " + " = ".join(_HIGH) + " = 0", "    del g258, g259",
        "    import json", "    if n2:", "        from os import path", "    try:",
        "        import zlib", "    except ImportError:", "        if n3:",
        "            import gzip",
        "async def later():", "    async with n4:", "        import csv",
        "    async for _ in n5:", "        import bz2",
        "for _ in n6:", "    import lzma", "else:", "    import heapq",
        "while n7:", "    import bisect", "with n8:", "    import pickle",
        "try:", "    import queue", "except* OSError:", "    import shutil",
        "else:", "    import glob", "finally:", "    import fnmatch",
        "match n9:", "    case 1:", "        import struct", "    case _:",
        "        from . import sibling",
        "class Holder:", "    import array", "    def method(self):",
        "        try:", "            if n10:", "                from email import message",
        "        except ImportError:", "            pass",
        "if n11:", "    import base64", "    try:", "        import decimal",
        "    except ImportError:", "        from fractions import *"])


def _holding_imports(node: ast.AST) -> set[str]:
    """The kinds of compound statement in `node` that have an import somewhere in their body."""
    kinds: set[str] = set()

    def walk(node: ast.AST) -> bool:
        held = isinstance(node, (ast.Import, ast.ImportFrom))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                held = walk(child) or held
        if held and isinstance(node, _COMPOUND):
            kinds.add(type(node).__name__)
        return held

    walk(node)
    return kinds


def test_build_shortcuts_find_what_pyinstallers_own_walks_find():
    """packaging/analysis_speedups.py: the same imports and global names, module by module."""
    import importlib
    import importlib.util

    import analysis_speedups
    from PyInstaller.lib.modulegraph.modulegraph import _Visitor
    from PyInstaller.lib.modulegraph.util import iterate_instructions

    class Node:  # what the visitor records its imports on
        def __init__(self) -> None:
            self._deferred_imports: list = []

    def imports(tree: ast.AST, fast: bool) -> list:
        node = Node()
        visitor = _Visitor(None, node)
        if fast:
            visitor.generic_visit = lambda n: analysis_speedups.statements_only(visitor, n)
        visitor.visit(tree)
        return [(star, args[0], args[2], args[3], tuple(kw["edge_attr"]))
                for star, args, kw in node._deferred_imports]

    names = {"STORE_NAME", "STORE_GLOBAL", "DELETE_NAME", "DELETE_GLOBAL"}
    # Modules chosen for their constructs (all of db/ and gui/, 176 files, cost 2.5 s of CPU
    # and held no delete and no name index over 255): Dure's modules with global stores,
    # imports deferred into functions, under `if TYPE_CHECKING` and in try/except; library
    # modules with deletes, star imports, match statements and name indexes over 255; and
    # CONSTRUCTS for what no installed module has. The last assertion checks the sample.
    ours = ("db/safety/history.py", "db/service.py", "db/office/connection.py",
            "db/office/notify.py", "gui/workers.py", "gui/signals.py", "db/session.py",
            "db/listing.py", "gui/app.py", "gui/main_window.py", "db/rules/core.py",
            "gui/widgets/table_model.py")
    library = ("copy", "signal", "dataclasses", "traceback", "lxml.html.builder", "sqlalchemy")
    sources = [(str(ROOT / f), (ROOT / f).read_bytes()) for f in ours]
    sources += [(o, Path(o).read_bytes()) for o in
                (importlib.util.find_spec(m).origin for m in library)]
    sources.append(("<constructs>", CONSTRUCTS.encode()))
    seen: set[str] = set()
    for path, source in sources:
        tree = compile(source, path, "exec", ast.PyCF_ONLY_AST, True)
        code = compile(tree, path, "exec", 0, True)
        ops = [i for i in iterate_instructions(code) if i and i.opname in names]
        slow = [(i.opname.startswith("STORE"), i.argval) for i in ops]
        assert list(analysis_speedups.global_name_ops(code)) == slow, path
        found = imports(tree, fast=False)
        assert imports(tree, fast=True) == found, path
        seen |= {i.opname + ("+extended" if i.arg > 255 else "") for i in ops}
        seen |= {"import" + "".join(f"+{f}" for f, on in zip(_FLAGS, attr[:3], strict=True) if on)
                 for *_, attr in found}
        seen |= {"star" for star, *_ in found if star} | _holding_imports(tree)
    # the sample took every branch of both shortcuts, with imports under every flag combination
    # and inside every kind of compound statement
    wanted = {n + e for n in names for e in ("", "+extended")} | {"star"}
    wanted |= {"import" + c + f + t for c in ("", "+conditional") for f in ("", "+function")
               for t in ("", "+tryexcept")}
    wanted |= {t.__name__ for t in _COMPOUND}
    assert wanted <= seen, sorted(wanted - seen)
    # the Qt hooks' module files, found without a child Python: where Python imports them from
    for name in ("PySide6", "PySide6.QtCore", "PySide6.QtWidgets", "PySide6.QtPdf",
                 "PySide6.QtCharts", "PySide6.QtPrintSupport"):
        assert analysis_speedups.submodule_file(name) == importlib.import_module(name).__file__
    assert analysis_speedups.submodule_file("PySide6.NoSuchModule") is None
    checked_here = sys.version_info[:2] == (3, 11)  # other versions keep PyInstaller's walk
    assert checked_here == analysis_speedups.SUPPORTED


def test_cached_code_is_the_code_pyinstaller_compiles_and_only_while_valid(tmp_path,
                                                                           monkeypatch):
    """analysis_speedups.cached_code: the import system's cached code, equal to what
    modulegraph compiles from the syntax tree, and refused once the source changed."""
    import importlib.util
    import py_compile

    import analysis_speedups

    class NoCompiler:  # compile_or_cached must not compile what the cache holds
        @staticmethod
        def compile(*args, **kwargs):
            raise AssertionError("compiled although the cache was valid")

    def cache_of(path: Path | str) -> Path:
        return Path(importlib.util.cache_from_source(str(path)))

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pycache"))
    module = tmp_path / "sample.py"
    module.write_text(CONSTRUCTS, encoding="utf-8")
    paths = [str(module)] + [str(ROOT / f) for f in ("db/service.py", "gui/main_window.py")]
    paths += [importlib.util.find_spec(m).origin for m in ("dataclasses", "sqlalchemy")]
    for path in paths:
        assert analysis_speedups.cached_code(path) is None  # nothing cached under the prefix
        py_compile.compile(path, cfile=str(cache_of(path)), doraise=True)  # as an import does
        tree = compile(Path(path).read_bytes(), path, "exec", ast.PyCF_ONLY_AST, True)
        compiled = compile(tree, path, "exec", 0, True)  # what modulegraph does
        assert analysis_speedups.cached_code(path) == compiled, path
        with monkeypatch.context() as m:
            m.setattr(analysis_speedups, "builtins", NoCompiler)
            assert analysis_speedups.compile_or_cached(tree, path, "exec", 0, True) == compiled
    # a changed source (another size, or the same size at another time) is compiled again
    module.write_text(CONSTRUCTS + "\nchanged = 1\n", encoding="utf-8")
    assert analysis_speedups.cached_code(str(module)) is None
    py_compile.compile(str(module), cfile=str(cache_of(module)), doraise=True)
    assert analysis_speedups.cached_code(str(module)) is not None
    stat = module.stat()
    os.utime(module, (stat.st_atime, stat.st_mtime + 5))
    assert analysis_speedups.cached_code(str(module)) is None
    tree = compile(module.read_bytes(), str(module), "exec", ast.PyCF_ONLY_AST, True)
    assert analysis_speedups.compile_or_cached(tree, str(module), "exec", 0, True) \
        == compile(tree, str(module), "exec", 0, True)
    # a cache that is valid for this file's size and time but holds another file's code
    # (a tree copied with its caches) is not taken either
    clone = tmp_path / "clone.py"
    clone.write_bytes(module.read_bytes())
    os.utime(clone, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns))
    py_compile.compile(str(module), cfile=str(cache_of(module)), doraise=True)
    cache_of(clone).write_bytes(cache_of(module).read_bytes())
    assert analysis_speedups.cached_code(str(module)) is not None
    assert analysis_speedups.cached_code(str(clone)) is None


def test_version_matches_pyproject_and_names_the_build_date(frozen, tmp_path):
    res = run(frozen, tmp_path, "--version")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"두레 {version()} ({dt.date.today().isoformat()} 빌드)"


@pytest.fixture(scope="module")
def frozen_demo(frozen, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One frozen `demo` run (2 s of CPU), its home read by both frozen export tests."""
    home = tmp_path_factory.mktemp("frozen-home")
    return home, run(frozen, home, "demo")


def test_frozen_demo_and_roster_export_in_the_user_data_folder(frozen, frozen_demo, tmp_path):
    """No --db: the frozen app uses the same data folder as `uv run main.py` (platformdirs)."""
    home, res = frozen_demo
    assert res.returncode == 0, res.stderr
    assert (home / "data" / "Dure" / "dure.sqlite").is_file()
    out = tmp_path / "입주공간.pdf"
    res = run(frozen, home, "export", "roster", "--as-of", "2021-12-31", "--out", str(out),
              "--quiet")
    assert res.returncode == 0, res.stderr
    assert_only_bundled_fonts(out)
    text = pdf_text(out)
    assert "입주공간" in text and "백마역" in text


def test_frozen_hwpx_export_validates(frozen, frozen_demo, tmp_path):
    """python-hwpx's Skeleton.hwpx and schemas are in the build: an HWPX roster is written."""
    from tests.test_export_hwpx import check_package

    home, res = frozen_demo
    assert res.returncode == 0
    out = tmp_path / "입주공간.hwpx"
    res = run(frozen, home, "export", "roster", "--as-of", "2021-12-31", "--out", str(out),
              "--quiet")
    assert res.returncode == 0, res.stderr
    check_package(out)


def test_frozen_errors_are_korean_with_exit_2(frozen, tmp_path):
    res = run(frozen, tmp_path, "--db", str(tmp_path / "x.sqlite"), "export", "report",
              "--period", "2021H9", "--out", str(tmp_path / "r.pdf"))
    assert res.returncode == 2
    assert "기간" in res.stderr
