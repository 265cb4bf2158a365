"""Integrity on open: damaged or foreign files are refused, untouched, with a backup offered."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from db import service
from db.errors import DatabaseDamaged, DatabaseError, NotADureDatabase
from db.models import Organization
from db.safety.backup import automatic_backup
from db.safety.integrity import inspect_file, newest_good_backup, quick_check
from db.session import open_database
from tests.export_fixtures import copy_database, organizations_template


@pytest.fixture(scope="session")
def real_template(tmp_path_factory) -> Path:
    """300 records saved once per process (saving them for every test cost 0.6 s of CPU each)."""
    return organizations_template(tmp_path_factory.mktemp("real"), "real", 300, 80)


@pytest.fixture
def real_db(tmp_path, real_template) -> Path:
    """A closed Dure database with enough records to span many pages, and its start backup."""
    path = copy_database(real_template, tmp_path / "real.sqlite")
    database = open_database(path)
    automatic_backup(database, "start")
    database.close()
    return path


def _refused(path: Path, kind: type[DatabaseError] = NotADureDatabase) -> DatabaseError:
    """Open must raise `kind`, leave the bytes as they were and leave no lock behind."""
    before = path.read_bytes()
    with pytest.raises(kind) as err:
        open_database(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}.lock").exists()
    left = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))
    assert left == [path.name]
    return err.value


def test_good_database_passes(real_db):
    assert quick_check(real_db) == []
    assert inspect_file(real_db).kind == "ok"


def test_truncated_database_is_refused_and_a_backup_offered(real_db, tmp_path):
    cut = tmp_path / "cut.sqlite"
    data = real_db.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert quick_check(cut) and "잘려" in quick_check(cut)[0]
    err = _refused(cut, DatabaseDamaged)
    assert "손상되었습니다" in str(err) and "변경하지 않았습니다" in str(err)
    # issue 11 (1): backups belong to a database (the identity in its header), not to a file
    # name; this byte copy of real.sqlite is the same database, so real's backup is offered
    from db.safety.identity import read_identity

    assert err.suggested_backup is not None
    assert read_identity(err.suggested_backup) == read_identity(real_db)


def test_damaged_database_suggests_newest_good_backup(real_db):
    data = bytearray(real_db.read_bytes())
    page = 4096
    # scribble over every b-tree page but the first ones
    for at in range(page * 3, len(data) - page, page):
        data[at + 8: at + 200] = os.urandom(192)
    real_db.write_bytes(bytes(data))
    assert quick_check(real_db)
    err = _refused(real_db, DatabaseDamaged)
    assert err.suggested_backup is not None
    assert err.suggested_backup == newest_good_backup(real_db)
    assert str(err.suggested_backup) in str(err)
    good = open_database(err.suggested_backup, read_only=True)
    try:
        with good.session() as s:
            assert s.query(Organization).count() == 300
    finally:
        good.close()


@pytest.mark.parametrize("content", [
    os.urandom(50_000),
    b"\0" * 40_960,
    "기업명,대표\n㈜마을숲,김두레\n".encode() * 100,
], ids=["random-bytes", "zero-filled", "text-file"])
def test_non_database_files_are_refused(tmp_path, content):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    assert quick_check(bad)
    err = _refused(bad)
    assert "두레 데이터베이스가 아닙니다" in str(err)


def test_another_programs_sqlite_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    con.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    con.commit()
    con.close()
    assert inspect_file(other).kind == "foreign"
    _refused(other)


def test_empty_file_is_a_new_database(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert quick_check(empty) == []
    database = open_database(empty)
    try:
        service.save(database, Organization(name="새 기업", kind="기타"))
    finally:
        database.close()
    assert inspect_file(empty).kind == "ok"


def test_header_only_sqlite_file_is_new(tmp_path):
    fresh = tmp_path / "fresh.sqlite"
    sqlite3.connect(fresh).execute("PRAGMA user_version = 0").connection.close()
    assert inspect_file(fresh).kind in ("new", "ok")
    open_database(fresh).close()


def test_read_only_open_of_damaged_file_is_refused_too(real_db, tmp_path):
    cut = tmp_path / "real2.sqlite"
    cut.write_bytes(real_db.read_bytes()[:10_000])
    with pytest.raises(DatabaseDamaged):
        open_database(cut, read_only=True)
