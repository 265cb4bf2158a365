"""Issue 11 (8): ids are never reused, so a record put back from the trash never meets a new one.

Before: SQLite handed the largest id + 1 to the next record; after education 12 was trashed a
new one became 12, restoring the old one was refused and the new one's history showed the
old one's entries.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, select

from db import service
from db.migrations import runner
from db.models import Education, Organization, TrashItem
from db.safety import history, trash
from db.session import open_database

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _education(n: int) -> Education:
    return Education(course="기초과정", title=f"교육 {n}", start_date=dt.date(2021, 3, n % 28 + 1))


def test_a_trashed_id_is_never_handed_out_again(db):
    saved = [service.save(db, _education(i)) for i in range(1, 13)]
    last = saved[-1].id
    service.delete(db, Education, last)
    fresh = service.save(db, _education(99))
    assert fresh.id > last  # before: fresh.id == last
    with db.session() as s:
        item = s.scalars(select(TrashItem).where(TrashItem.record_id == last)).one()
    trash.restore(db, item.id)
    with db.session() as s:
        assert {e.id for e in s.scalars(select(Education))} == {e.id for e in saved} | {fresh.id}
        mine = history.for_record(s, "education", fresh.id)
        assert [c.op for c in mine] == ["insert"]  # nothing of the trashed record's life


def test_every_table_with_an_id_is_autoincrement_on_a_new_database(db):
    con = sqlite3.connect(db.path)
    try:
        rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type='table'").fetchall()
    finally:
        con.close()
    keyed = [name for name, sql in rows if "id INTEGER NOT NULL" in (sql or "")]
    assert "education" in keyed and "change_log" in keyed
    plain = [name for name, sql in rows if name in keyed and "AUTOINCREMENT" not in sql]
    assert plain == []


def test_the_migration_keeps_every_row_and_counts_past_the_trashed_ids(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema-0001.sqlite", path)
    engine = create_engine(f"sqlite:///{path}")
    runner.upgrade(engine, "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    try:
        top = con.execute("SELECT max(id) FROM organization").fetchone()[0]
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        before = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
        # the columns of then: a later migration may add columns (compared are the old ones)
        columns = {t: [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}
        # the newest enterprise in the trash, as the old Dure left it (id free for reuse)
        con.execute("INSERT INTO trash_item (table_name, record_id, label, deleted_at, deleted_by, "
                    "row_count, payload) "
                    "VALUES ('organization', ?, 'x', '2021-01-01', 'kim', 1, ?)",
                    (top + 5,
                     f'{{"rows": {{"organization": [{{"id": {top + 5}}}]}}, "nulled": []}}'))
        con.commit()
    finally:
        con.close()
    database = open_database(path)
    try:
        new = service.save(database, Organization(name="새 기업", kind="협동조합"))
        assert new.id == top + 6
    finally:
        database.close()
    con = sqlite3.connect(path)
    try:
        for t, rows in before.items():
            listed = ", ".join(f'"{c}"' for c in columns[t])
            now = con.execute(f'SELECT {listed} FROM "{t}" ORDER BY rowid').fetchall()
            if t == "organization":
                now = now[:-1]  # the enterprise saved after the migration
            if t in ("trash_item", "change_log", "alembic_version"):
                continue
            assert now == rows, t
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
