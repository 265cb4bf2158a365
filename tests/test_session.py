"""Opening databases: creation, pragmas, refusal of foreign or newer files."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from db.errors import DatabaseTooNew, NotADureDatabase
from db.models import Organization
from db.session import open_database, resolve_url


def test_new_database_has_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_default_location_is_the_data_folder(tmp_path):
    assert resolve_url().endswith(str(tmp_path / "data" / "dure.sqlite"))


def test_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DURE_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    assert resolve_url() == "sqlite:///" + str(tmp_path / "x.sqlite")


def test_random_bytes_file_is_refused_and_left_alone(tmp_path):
    bad = tmp_path / "bad.sqlite"
    content = bytes(range(256)) * 40
    bad.write_bytes(content)
    with pytest.raises(NotADureDatabase) as err:
        open_database(bad)
    assert "두레 데이터베이스가 아닙니다" in str(err.value)
    assert bad.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(NotADureDatabase):
        open_database(other)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    database = open_database(path)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    database.close()
    with pytest.raises(DatabaseTooNew) as err:
        open_database(path)
    assert "더 새로운 버전" in str(err.value)


def test_records_survive_reopen(tmp_path):
    path = tmp_path / "keep.sqlite"
    database = open_database(path)
    with database.session() as s:
        s.add(Organization(name="㈜마을숲", kind="예비사회적기업(경기도형)"))
        s.commit()
    database.close()
    again = open_database(path)
    with again.session() as s:
        assert [o.name for o in s.query(Organization)] == ["㈜마을숲"]
    again.close()


def test_a_new_database_appears_only_when_complete(tmp_path, monkeypatch):
    """A schema build that fails leaves no half-built file behind (power cut at creation)."""
    from db.migrations import runner

    path = tmp_path / "new.sqlite"

    real = runner.create_schema

    def broken(engine):
        real(engine)  # the tables are written, then the power goes
        raise OSError("simulated power cut")

    monkeypatch.setattr(runner, "create_schema", broken)
    with pytest.raises(OSError):
        open_database(path)
    assert not path.exists()
    monkeypatch.undo()
    database = open_database(path)  # the next start creates it properly
    with database.session() as s:
        assert s.query(Organization).count() == 0
    database.close()
    assert not (tmp_path / "new.sqlite.creating").exists()
