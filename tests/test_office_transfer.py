"""`main.py transfer`: the demo database moves to PostgreSQL and back with every row kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

import main
from db import models as m
from db import service
from db.errors import DureError
from db.models import Base
from db.office.transfer import transfer
from db.session import open_database
from tests.export_fixtures import open_demo
from tests.pg_server import fresh_database


def rows_of(database):
    """Every row of every table, as sorted tuples (ids, history and trash included)."""
    out = {}
    with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            out[table.name] = sorted(tuple(r) for r in conn.execute(select(table)))
    return out


def test_demo_database_moves_to_postgres_and_back_with_every_row(tmp_path, pg_admin_url, capsys):
    demo = open_demo(tmp_path)
    org = service.save(demo, m.Organization(name="옮길기업", note="이력 남김"))
    service.delete(demo, m.Organization, org.id)  # a trash item and its history
    before = rows_of(demo)
    assert sum(map(len, before.values())) > 100 and before["change_log"] and before["trash_item"]
    url = fresh_database(pg_admin_url)
    assert main.main(["--db", str(demo.path), "transfer", "--to", url]) == 0
    out = capsys.readouterr().out
    assert "옮겼습니다" in out and "모두 기록 수가 같습니다" in out
    demo.close()

    pg = open_database(url)
    assert rows_of(pg) == before
    # the id sequences continue past the copied ids: a new record gets a fresh id
    with pg.session() as s:
        biggest = s.scalar(select(func.max(m.Organization.id)))
    new = service.save(pg, m.Organization(name="서버에서 새로"))
    assert new.id > biggest
    after_pg = rows_of(pg)
    pg.close()

    back = tmp_path / "back.sqlite"
    result = transfer(url, str(back))
    assert result.total == sum(map(len, after_pg.values()))
    again = open_database(back)
    assert rows_of(again) == after_pg
    again.close()


def test_transfer_refuses_a_target_with_records_and_changes_nothing(tmp_path, pg_admin_url):
    source = open_database(tmp_path / "a.sqlite")
    service.save(source, m.Organization(name="원본기업"))
    source.close()
    url = fresh_database(pg_admin_url)
    target = open_database(url)
    service.save(target, m.Organization(name="이미 있는 기업"))
    target.close()
    with pytest.raises(DureError, match="비어 있지 않습니다"):
        transfer(str(tmp_path / "a.sqlite"), url)
    target = open_database(url)
    with target.session() as s:
        assert s.scalars(select(m.Organization.name)).all() == ["이미 있는 기업"]
    target.close()


def test_a_failed_transfer_leaves_an_empty_target(tmp_path, pg_admin_url, monkeypatch):
    source = open_database(tmp_path / "a.sqlite")
    service.save(source, m.Organization(name="원본기업"))
    source.close()
    url = fresh_database(pg_admin_url)
    from db.office import transfer as mod

    real = mod._set_sequences

    def broken(conn):
        real(conn)
        raise DureError("중간에 끊김")

    monkeypatch.setattr(mod, "_set_sequences", broken)
    with pytest.raises(DureError, match="끊김"):
        transfer(str(tmp_path / "a.sqlite"), url)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:  # one transaction: not even the tables stayed
        assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname='public'")
                            ).scalar() == 0
    engine.dispose()


def test_transfer_window_moves_the_open_database_to_a_new_file(qtbot, tmp_path):
    from gui.connect_dialog import TransferDialog

    source = open_database(tmp_path / "open.sqlite")
    service.save(source, m.Organization(name="창에서 옮김"))
    dialog = TransferDialog(source)
    qtbot.addWidget(dialog)
    target = tmp_path / "moved.sqlite"
    assert dialog.run(str(target))
    assert "모두 기록 수가 같습니다" in dialog.status.text()
    assert not dialog.run(str(target))  # an existing file is never overwritten
    assert "덮어쓰지 않았습니다" in dialog.status.text()
    source.close()
    moved = open_database(target)
    with moved.session() as s:
        assert s.scalars(select(m.Organization.name)).all() == ["창에서 옮김"]
    moved.close()



def test_a_row_lost_on_the_way_is_named_and_nothing_is_kept(db, tmp_path, monkeypatch):
    """Both sides' rows are counted per table after the copy: one row missing on the target
    names its table and counts, and the target file is not left behind."""
    from sqlalchemy import delete

    from db.office import transfer as mod

    for name in ("가기업", "나기업", "다기업"):
        service.save(db, m.Organization(name=name))
    db.close()
    real = mod._set_sequences

    def lose_one(conn):
        real(conn)
        table = m.Organization.__table__
        conn.execute(delete(table).where(table.c.name == "나기업"))

    monkeypatch.setattr(mod, "_set_sequences", lose_one)
    with pytest.raises(DureError, match="기록 수가 맞지 않아 .*organization 3→2"):
        transfer(str(db.path), str(tmp_path / "copy.sqlite"))
    assert [p.name for p in tmp_path.glob("copy.sqlite*")] == []
