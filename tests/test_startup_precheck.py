"""The start's integrity check on a thread (db/safety/precheck.py, issue 13.3): its verdict is
used only for a sound, unchanged file; a damaged file is refused as before, unchanged."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from db.errors import DatabaseDamaged
from db.models import Organization
from db.safety import integrity
from db.safety.precheck import Precheck, plain_path
from db.session import open_database, resolve_url, sqlite_path
from tests.export_fixtures import copy_database, organizations_template


@pytest.fixture(scope="session")
def closed_template(tmp_path_factory) -> Path:
    """200 records saved once per process (saving them for every test cost 0.3 s of CPU each)."""
    return organizations_template(tmp_path_factory.mktemp("closed"), "closed", 200, 60)


@pytest.fixture
def closed_db(tmp_path, closed_template) -> Path:
    """A closed database of 200 records, opened once in this test's data folder as db's is."""
    path = copy_database(closed_template, tmp_path / "test.sqlite")
    open_database(path).close()
    return path


@pytest.fixture
def checks(monkeypatch) -> list[Path]:
    """Every call of open_database's own integrity check."""
    seen: list[Path] = []
    real = integrity.ensure_openable

    def counting(path, **kw):
        seen.append(Path(path))
        return real(path, **kw)

    monkeypatch.setattr(integrity, "ensure_openable", counting)
    return seen


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for at in range(4096 * 3, len(data) - 4096, 4096):
        data[at + 8: at + 200] = os.urandom(192)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("given", ["file", "path", "relative", "home", "none", "env"])
def test_plain_path_is_the_file_resolve_url_names(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    target: object = {"file": str(tmp_path / "a.sqlite"), "path": tmp_path / "b.sqlite",
                      "relative": "sub/../c.sqlite", "home": "~/d.sqlite", "none": None,
                      "env": None}[given]
    if given == "env":
        monkeypatch.setenv("DURE_DATABASE_URL", str(tmp_path / "e.sqlite"))
    assert plain_path(target) == sqlite_path(resolve_url(target))


@pytest.mark.parametrize("target", ["sqlite:///x.sqlite", "postgresql://u@h/db", "a?b.sqlite"])
def test_urls_and_odd_names_get_no_precheck(target):
    assert plain_path(target) is None


def test_env_url_of_a_server_gets_no_precheck(monkeypatch):
    monkeypatch.setenv("DURE_DATABASE_URL", "postgresql://u@h/db")
    assert plain_path(None) is None


def test_a_sound_unchanged_file_is_not_checked_twice(closed_db, checks):
    pre = Precheck(closed_db)
    database = open_database(closed_db, precheck=pre)
    try:
        assert checks == []  # the thread's verdict stood in for the check
        with database.session() as s:
            assert s.query(Organization).count() == 200
    finally:
        database.close()
    again = open_database(closed_db)  # without a precheck: checked as always
    again.close()
    assert checks == [closed_db]


def test_a_file_changed_after_the_precheck_is_checked_again(closed_db, checks):
    pre = Precheck(closed_db)
    assert pre.verdict(closed_db) is not None
    con = sqlite3.connect(closed_db)
    con.execute("UPDATE organization SET name = name || '!' WHERE id = 1")
    con.commit()
    con.close()
    assert pre.verdict(closed_db) is None
    open_database(closed_db, precheck=pre).close()
    assert checks == [closed_db]


def test_damaged_after_a_good_precheck_is_refused_unchanged(closed_db, checks):
    pre = Precheck(closed_db)
    assert pre.verdict(closed_db) is not None
    _damage(closed_db)
    before = closed_db.read_bytes()
    with pytest.raises(DatabaseDamaged) as err:
        open_database(closed_db, precheck=pre)
    assert "손상되었습니다" in str(err.value)
    assert closed_db.read_bytes() == before
    assert not Path(f"{closed_db}.lock").exists()
    assert checks == [closed_db]


def test_a_damaged_file_gets_no_verdict_and_the_same_refusal(closed_db, tmp_path, checks):
    _damage(closed_db)
    pre = Precheck(closed_db)
    assert pre.verdict(closed_db) is None
    with pytest.raises(DatabaseDamaged) as without:
        open_database(closed_db)
    before = closed_db.read_bytes()
    with pytest.raises(DatabaseDamaged) as with_pre:
        open_database(closed_db, precheck=pre)
    assert str(with_pre.value) == str(without.value)
    assert closed_db.read_bytes() == before
    assert checks == [closed_db, closed_db]


def test_a_journal_beside_the_file_is_left_to_open_database(closed_db, checks):
    Path(f"{closed_db}-journal").write_bytes(integrity.JOURNAL_MAGIC + b"\0" * 504)
    pre = Precheck(closed_db)
    assert pre.verdict(closed_db) is None


def test_a_precheck_of_another_file_is_not_used(closed_db, tmp_path, checks):
    other = tmp_path / "other.sqlite"
    other.write_bytes(closed_db.read_bytes())
    pre = Precheck(other)
    assert pre.verdict(closed_db) is None


def test_window_start_on_a_damaged_file_shows_the_same_korean_message(qtbot, closed_db,
                                                                      monkeypatch):
    from gui.app import Startup
    from gui.main_window import MainWindow
    from gui.opening import open_with_dialogs

    _damage(closed_db)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)
                                     or QMessageBox.StandardButton.No))
    before = closed_db.read_bytes()
    window = MainWindow()
    qtbot.addWidget(window)
    startup = Startup(window, str(closed_db), False)
    startup.run()  # the start path, with its precheck (the file opens on its loader thread)
    qtbot.waitUntil(lambda: "열지 못했습니다" in window.file_label.text(), timeout=30_000)
    startup.loader.join()
    assert open_with_dialogs(None, closed_db) is None  # the plain path, for comparison
    assert len(shown) == 2 and shown[0] == shown[1] and "손상되었습니다" in shown[0]
    assert window.database is None and "열지 못했습니다" in window.file_label.text()
    assert closed_db.read_bytes() == before
    assert not Path(f"{closed_db}.lock").exists()
