"""gui/qt_features.py: PySide6 reads no module's source at import, and nothing needs it to."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from gui import qt_features

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, linecache, sys
import PySide6.QtCore
if sys.argv[1] == "skip":
    from gui.qt_features import skip_source_scan
    assert skip_source_scan()
sys.path.insert(0, sys.argv[2])
import dure_probe_module
feature = sys.modules["shibokensupport.feature"]
print(json.dumps([dure_probe_module.__file__ in linecache.cache,
                  feature.pyside_feature_dict.get("dure_probe_module")]))
"""


def _probe(tmp_path: Path, mode: str) -> list:
    (tmp_path / "dure_probe_module.py").write_text(
        "from PySide6.QtCore import QObject  # mentions PySide6: PySide's scan says 'uses'\n")
    out = subprocess.run([sys.executable, "-c", PROBE, mode, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_pyside_reads_an_imported_modules_source_unless_told_not_to(tmp_path):
    # PySide's own hook: the source read (and kept by linecache), the module marked as one
    # that uses PySide (0); told not to: nothing read, the module ignored (-1)
    assert _probe(tmp_path, "scan") == [True, 0]
    assert _probe(tmp_path, "skip") == [False, -1]


def test_no_module_of_dures_selects_a_pyside_feature():
    """The skipped scan only matters to a module that selects a __feature__ (snake_case,
    true_property): none of Dure's does, so every module runs with PySide's default."""
    found = []
    for path in [ROOT / "main.py", *(p for d in ("gui", "db", "exports", "bench", "tests")
                                     for p in (ROOT / d).rglob("*.py"))]:
        tree = ast.parse(path.read_text("utf-8"))
        found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom) and n.module == "__feature__"]
    assert found == []


def test_skip_source_scan_leaves_another_pyside_alone(monkeypatch):
    """A PySide6 whose hook has no such function (or none at all) is left as it is."""
    other = ModuleType(qt_features.HOOK_MODULE)
    monkeypatch.setitem(sys.modules, qt_features.HOOK_MODULE, other)
    assert qt_features.skip_source_scan() is False and not hasattr(other, "_mod_uses_pyside")
    monkeypatch.delitem(sys.modules, qt_features.HOOK_MODULE)
    assert qt_features.skip_source_scan() is False
