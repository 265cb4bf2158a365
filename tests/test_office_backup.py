"""`main.py backup` / `restore` on a PostgreSQL server database: a file that restore brings back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import main
from db import models as m
from db import service
from db.office import pg_backup
from db.safety.backup import list_backups, read_info
from db.session import open_database
from tests.pg_server import fresh_database


@pytest.fixture
def server_db(pg_admin_url):
    url = fresh_database(pg_admin_url)
    database = open_database(url)
    service.save(database, m.Organization(name="백업 기업 1"))
    service.save(database, m.Organization(name="백업 기업 2"))
    yield url, database
    database.close()


def names(database):
    with database.session() as s:
        return sorted(s.scalars(select(m.Organization.name)))


@pytest.mark.parametrize("suffix", [".sqlite", ".dump"])
def test_backup_then_restore_brings_the_records_back(server_db, tmp_path, capsys, suffix):
    url, database = server_db
    out = tmp_path / f"office{suffix}"
    assert main.main(["--db", url, "backup", "--out", str(out)]) == 0
    assert "백업했습니다" in capsys.readouterr().out and out.stat().st_size > 0
    if suffix == ".sqlite":  # a Dure logical dump reads like any backup
        assert read_info(out).record_counts["organization"] == 2
    service.save(database, m.Organization(name="백업 뒤에 추가"))
    with database.session() as s:
        first = s.scalar(select(m.Organization).where(m.Organization.name == "백업 기업 1"))
    service.delete(database, m.Organization, first.id)
    assert names(database) == ["백업 기업 2", "백업 뒤에 추가"]
    assert main.main(["--db", url, "restore", str(out)]) == 0  # preview: nothing changes
    assert names(database) == ["백업 기업 2", "백업 뒤에 추가"]
    database.engine.dispose()  # pg_restore --clean needs no open transactions on the tables
    assert main.main(["--db", url, "restore", str(out), "--yes"]) == 0
    assert names(database) == ["백업 기업 1", "백업 기업 2"]
    # the state before the restore was kept as an automatic backup, listed for this server
    before = list_backups(stem=pg_backup.stem_of(url))
    assert [b.reason for b in before] == ["before-restore"]
    assert before[0].record_counts["organization"] == 2
    assert before[0].problem is None
    new = service.save(database, m.Organization(name="복원 뒤 새 기업"))  # sequences still fine
    assert new.id is not None


def test_automatic_backups_rotate_like_sqlite_ones(server_db, tmp_path, monkeypatch):
    url, _database = server_db
    from db.safety.backup import plan_rotation

    monkeypatch.setattr(plan_rotation, "__kwdefaults__", {"keep_last": 2, "months": 0, "now": None})
    made = [pg_backup.automatic_backup(url, "manual", folder=tmp_path) for _ in range(3)]
    left = sorted(tmp_path.glob("*.sqlite"))
    assert len(left) == 2 and made[0] not in left and made[-1] in left


def test_restore_list_shows_this_servers_backups(server_db, capsys):
    url, _database = server_db
    assert main.main(["--db", url, "restore", "--list"]) == 0
    assert "자동 백업이 아직 없습니다" in capsys.readouterr().out
    pg_backup.automatic_backup(url, "manual")
    assert main.main(["--db", url, "restore", "--list"]) == 0
    out = capsys.readouterr().out
    assert "자동 백업 1개" in out and "기록 2건" in out and pg_backup.stem_of(url) in out
