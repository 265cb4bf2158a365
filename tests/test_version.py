"""One version, from pyproject.toml: `main.py --version`, the GUI and 도움말 → 정보 agree."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from db import version as v

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_main_version_agrees_with_pyproject():
    res = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"],
                         capture_output=True, text=True, check=False, timeout=60)
    assert res.returncode == 0
    assert res.stdout.strip() == f"두레 {PROJECT['version']} (소스에서 실행)"


def test_frozen_build_info_is_read_instead_of_pyproject(tmp_path, monkeypatch):
    info = tmp_path / "build_info.json"
    info.write_text(json.dumps({"version": "9.8.7", "built": "2026-12-01", "commit": "abc1234"}))
    monkeypatch.setattr(v, "BUILD_INFO", info)
    v.info.cache_clear()
    try:
        assert v.version() == "9.8.7"
        assert v.describe() == "두레 9.8.7 (2026-12-01 빌드)"
    finally:
        monkeypatch.undo()
        v.info.cache_clear()
    assert v.version() == PROJECT["version"]


def test_about_dialog_names_the_build(qtbot, db):
    from gui.about_dialog import AboutDialog, build_text

    assert build_text() == "소스에서 실행"
    d = AboutDialog(db.url)
    qtbot.addWidget(d)
    from PySide6.QtWidgets import QLabel

    shown = " ".join(label.text() for label in d.findChildren(QLabel))
    assert f"<b>버전</b></td><td>{PROJECT['version']}<" in shown
    assert "<b>빌드</b></td><td>소스에서 실행<" in shown
