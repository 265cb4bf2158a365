"""Issue 11 (9): leftovers of killed writers, file modes, odd paths, the OS account, passwords."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from db import service
from db.errors import DatabaseError
from db.models import ChangeLog, Organization
from db.session import open_database, resolve_url, shown_url
from tests import zygote

ROOT = Path(__file__).resolve().parent.parent


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _age(path: Path, seconds: float = 3600) -> Path:
    if not path.exists():
        path.write_bytes(b"\0" * 1024)
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _run(tmp_path, *args, env=None):
    """`main.py ARGS` in its own process (forked by the tests' zygote: Dure already imported)."""
    base = {"DURE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return zygote.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env={**base, **(env or {})}, timeout=120, check=False)


def test_a_killed_backups_and_exports_temporaries_are_removed_at_start(tmp_path):
    from db.paths import backup_dir

    folder = tmp_path / "office"
    folder.mkdir()
    dead = _dead_pid()
    backups = backup_dir()
    killed = [_age(p) for p in (
        backups / f".test-20261201-093000-start.sqlite.{dead}.tmp",
        backups / f".test-20261201-093000-start.sqlite.{dead}.tmp-journal",
        folder / f".test.sqlite.{dead}.restore",
        folder / f".dure-{dead}-k3j4h5.xlsx")]
    fresh = folder / f".dure-{dead}-abc123.pdf"  # another PC may be writing it right now
    fresh.write_bytes(b"")
    mine = folder / "notes.tmp"  # not Dure's: never touched
    mine.write_bytes(b"x")
    database = open_database(folder / "test.sqlite")
    database.close()
    assert [p for p in killed if p.exists()] == []
    assert fresh.exists() and mine.exists()


def test_an_export_clears_old_temporaries_and_gets_the_normal_mode(db, tmp_path):
    from db.periods import Period
    from exports.api import export_tables

    dead = _dead_pid()
    left = _age(tmp_path / f".dure-{dead}-zz99.xlsx")
    old = os.umask(0o022)
    try:
        out = export_tables(db, Period.parse("2021"), Period.parse("2021"), tmp_path / "표.pdf")
    finally:
        os.umask(old)
    assert not left.exists()
    assert (out.stat().st_mode & 0o777) == 0o644  # before: 0600 from mkstemp
    assert not list(tmp_path.glob(".dure-*"))


def test_a_path_with_a_question_mark_is_refused_not_cut(tmp_path):
    with pytest.raises(DatabaseError, match="물음표"):
        resolve_url(str(tmp_path / "a?b.sqlite"))
    run = _run(tmp_path, "--db", str(tmp_path / "a?b.sqlite"), "check")
    assert run.returncode == 2 and "물음표" in run.stderr
    assert not (tmp_path / "a").exists()


def test_check_on_a_missing_file_creates_nothing(tmp_path):
    target = tmp_path / "no" / "such" / "dure.sqlite"
    run = _run(tmp_path, "--db", str(target), "check")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "파일이 없습니다" in run.stderr and "오류 없음" not in run.stdout
    assert not (tmp_path / "no").exists()


def test_the_history_names_the_os_account_not_logname(db, monkeypatch):
    import pwd

    from db.safety import history

    monkeypatch.setenv("LOGNAME", "김과장(위조)")
    monkeypatch.setenv("USER", "김과장(위조)")
    monkeypatch.setenv("USERNAME", "김과장(위조)")
    monkeypatch.setattr(history, "_user", None)  # forget the cached name
    service.save(db, Organization(name="두레", kind="협동조합"))
    with db.session() as s:
        users = {row.os_user for row in s.query(ChangeLog)}
    assert users == {pwd.getpwuid(os.getuid()).pw_name}


def test_a_postgresql_password_is_never_shown():
    url = "postgresql+psycopg://dure:s3cr3t-pw@db.office.local:5432/dure"
    assert "s3cr3t-pw" not in shown_url(url) and "***" in shown_url(url)
    assert make_url(shown_url(url)).host == "db.office.local"


def test_check_and_demo_do_not_print_the_password(tmp_path, pg_admin_url):
    from tests.pg_server import fresh_database

    url = make_url(fresh_database(pg_admin_url)).set(password="s3cr3t-pw")  # trust: accepted
    text = url.render_as_string(hide_password=False)
    for command in ("demo", "check"):
        run = _run(tmp_path, "--db", text, command)
        assert run.returncode in (0, 1), run.stdout + run.stderr
        assert "s3cr3t-pw" not in run.stdout + run.stderr
        assert "***" in run.stdout


def test_the_status_bar_masks_the_password(qtbot, pg_admin_url):
    from tests.gui_helpers import make_window
    from tests.pg_server import fresh_database

    url = make_url(fresh_database(pg_admin_url)).set(password="s3cr3t-pw")
    database = open_database(url.render_as_string(hide_password=False))
    try:
        window = make_window(qtbot, database)
        shown = window.file_label.text()
        assert "s3cr3t-pw" not in shown and "***" in shown
    finally:
        database.close()
