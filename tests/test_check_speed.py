"""`main.py check` at speed (issue 13, point 2): what makes it fast keeps it right.

The file's own checks (integrity_check, foreign_key_check) run on a thread beside the record
checks; they still decide the report and the exit code, and an error on their thread is not
lost.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest

import db.commands as commands
from tests.test_check_rows import copy_of
from tests.test_file_places import read_only_mount  # noqa: F401 (a fixture)


def test_the_file_checks_run_while_the_records_are_checked(demo, tmp_path, monkeypatch,
                                                          capsys):
    """The integrity_check waits here until the record checks have begun: done one after the
    other (the file's checks first), it would wait in vain and the records begin only after."""
    import main

    copy = copy_of(demo, tmp_path / "sound.sqlite")
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    records_begun = threading.Event()
    seen: dict[str, Any] = {}
    file_findings, record_findings = commands._file_findings, commands.record_findings

    def waiting_file_findings(execute: Any) -> Any:
        seen["overlapped"] = records_begun.wait(timeout=20)
        seen["thread"] = threading.current_thread().name
        yield from file_findings(execute)

    def signalling_record_findings(database: Any, helper: Any = None) -> Any:
        for item in record_findings(database, helper):
            records_begun.set()
            yield item

    monkeypatch.setattr(commands, "_file_findings", waiting_file_findings)
    monkeypatch.setattr(commands, "record_findings", signalling_record_findings)
    assert main.main(["--db", str(copy), "check"]) == 0
    assert seen == {"overlapped": True, "thread": "dure-check-file"}
    out = capsys.readouterr().out
    assert "무결성 검사(integrity_check, foreign_key_check): 이상 없음" in out
    assert "오류 0건" in out


def test_a_broken_reference_found_on_the_thread_fails_the_check(demo, tmp_path, monkeypatch,
                                                                capsys):
    """foreign_key_check's finding, made on the file-check thread, is printed first and makes
    the exit code 1, like a rule's error."""
    import main

    copy = copy_of(demo, tmp_path / "orphan.sqlite")
    con = sqlite3.connect(copy)
    con.execute("PRAGMA foreign_keys = OFF")
    grant = con.execute("SELECT id FROM finance_grant ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE finance_grant SET organization_id = 987654 WHERE id = ?", (grant,))
    con.commit()
    con.close()
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    assert main.main(["--db", str(copy), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "무결성 검사(integrity_check, foreign_key_check): 문제 있음" in lines
    errors = [line for line in lines if line.startswith("[오류] ")]
    assert errors[0] == (f"[오류] finance_grant #{grant}: 참조하는 organization 기록이 "
                         "없습니다(외래 키 위반).")


def test_an_error_on_the_file_check_thread_reaches_the_command(demo, tmp_path, monkeypatch):
    """A failure of the file's checks (here: the file cannot be opened read-only) is raised by
    `main.py check` itself, not lost with its thread."""
    copy = copy_of(demo, tmp_path / "gone.sqlite")
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))

    def failing_connect(*_args: Any, **_kw: Any) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    import db.safety.integrity as integrity_module

    real = integrity_module.ro_connect

    def connect(path: Any, **kw: Any) -> sqlite3.Connection:
        if threading.current_thread().name == "dure-check-file":
            return failing_connect()
        return real(path, **kw)

    monkeypatch.setattr(integrity_module, "ro_connect", connect)
    import argparse

    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        commands.run_check(argparse.Namespace(db=str(copy), warnings=False))


def test_the_collector_runs_less_often_during_the_check_and_as_before_after(demo):
    """record_findings raises the youngest generation's threshold only while it runs (also
    when stopped half-way), and leaves the older generations' thresholds as they were."""
    import gc

    before = gc.get_threshold()
    findings = commands.record_findings(demo)
    next(findings)
    during = gc.get_threshold()
    assert during == (max(before[0], commands.CHECK_GC_THRESHOLD), *before[1:])
    assert during[0] > 700
    findings.close()
    assert gc.get_threshold() == before
    list(commands.record_findings(demo))
    assert gc.get_threshold() == before


def test_the_checked_rows_leave_no_cyclic_garbage(demo):
    """A chunk's rows and their relatives hold each other (a grant and its payments) until
    rows.unlink undoes it: with the collector off, no row of the check is left for it to
    find, so memory stays flat however rarely it runs (1,000,000 records)."""
    import gc

    from db.rules.rows import Row

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds stays in gc.garbage
    try:
        checked = sum(count for count, _found in commands.record_findings(demo))
        gc.collect()
        rows_left = sum(isinstance(obj, Row) for obj in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert checked > 1_000
    assert rows_left == 0


def test_check_on_read_only_media(demo, tmp_path, read_only_mount, capsys):  # noqa: F811
    """A database on write-protected media is checked through the engine's own (immutable)
    connection, as before the thread: the same report, nothing written."""
    import shutil
    import subprocess

    import main

    shutil.copyfile(copy_of(demo, tmp_path / "seed.sqlite"), read_only_mount / "dure.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    assert main.main(["--db", str(read_only_mount / "dure.sqlite"), "check"]) == 0
    out = capsys.readouterr().out
    assert "무결성 검사(integrity_check, foreign_key_check): 이상 없음" in out
    assert "오류 0건" in out
