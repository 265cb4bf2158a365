"""The one-folder build: PyInstaller makes it here, and the frozen program runs headless.

Slow (a PyInstaller build takes about 30 s of CPU); the plain `uv run pytest` that CI runs
includes it. The build starts in the background as soon as collection has picked these tests
(tests/conftest.py calls `start_build`), so it runs on the second core while the rest of the
suite runs on the first, and the fixture only waits for what is left of it.
"""

from __future__ import annotations

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


def test_build_shortcuts_find_what_pyinstallers_own_walks_find():
    """packaging/analysis_speedups.py: the same imports and global names, module by module."""
    import ast
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
    files = sorted((ROOT / "db").rglob("*.py")) + sorted((ROOT / "gui").rglob("*.py"))
    files += [Path(importlib.util.find_spec(m).origin) for m in
              ("typing", "dataclasses", "enum", "argparse", "sqlalchemy.orm.session", "openpyxl")]
    found = 0
    for path in files:
        tree = compile(path.read_bytes(), str(path), "exec", ast.PyCF_ONLY_AST, True)
        code = compile(tree, str(path), "exec", 0, True)
        slow = [(i.opname.startswith("STORE"), i.argval) for i in iterate_instructions(code)
                if i and i.opname in names]
        assert list(analysis_speedups.global_name_ops(code)) == slow, path
        assert imports(tree, fast=True) == imports(tree, fast=False), path
        found += len(slow)
    assert found > 1000  # the walks saw the modules' global names
    # the Qt hooks' module files, found without a child Python: where Python imports them from
    for name in ("PySide6", "PySide6.QtCore", "PySide6.QtWidgets", "PySide6.QtPdf",
                 "PySide6.QtCharts", "PySide6.QtPrintSupport"):
        assert analysis_speedups.submodule_file(name) == importlib.import_module(name).__file__
    assert analysis_speedups.submodule_file("PySide6.NoSuchModule") is None
    checked_here = sys.version_info[:2] == (3, 11)  # other versions keep PyInstaller's walk
    assert checked_here == analysis_speedups.SUPPORTED


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
