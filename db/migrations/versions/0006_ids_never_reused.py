"""ids never reused: every SQLite table keyed by an integer id becomes AUTOINCREMENT

SQLite hands out the largest rowid + 1, so a record trashed while it had the largest id gave
its id to the next new record; restoring it was refused and the new record's history showed
the old one's entries. Each table is rebuilt the way SQLite documents (new table, copy every
row, drop, rename, indexes again) with `id ... PRIMARY KEY AUTOINCREMENT`, and its counter is
set past every id it ever handed out: the live rows, the rows in the trash and the ids the
change history names. PostgreSQL sequences never go back, so nothing changes there.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:10:00
"""
from typing import Sequence, Union
import json
import re

from alembic import op


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ID = re.compile(r"\bid INTEGER NOT NULL,")


def _pk(table: str) -> re.Pattern[str]:
    return re.compile(r",\s*CONSTRAINT " + re.escape(f"pk_{table}") + r" PRIMARY KEY \(id\)")


def _highest_ids(conn) -> dict[str, int]:
    """The largest id each table ever used: in the trash snapshots and the change history."""
    high: dict[str, int] = {}
    for table, top in conn.exec_driver_sql(
            "SELECT table_name, MAX(CAST(record_id AS INTEGER)) FROM change_log GROUP BY table_name"):
        if top is not None:
            high[table] = max(high.get(table, 0), int(top))
    for (payload,) in conn.exec_driver_sql("SELECT payload FROM trash_item"):
        data = json.loads(payload) if isinstance(payload, str) else payload
        for table, rows in (data or {}).get("rows", {}).items():
            for row in rows:
                if isinstance(row.get("id"), int):
                    high[table] = max(high.get(table, 0), row["id"])
    return high


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("the id rebuild needs foreign_keys=OFF (db/migrations/env.py sets it)")
    high = _highest_ids(conn)
    tables = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type='table' AND sql LIKE '%id INTEGER NOT NULL,%'"
        " AND name NOT LIKE 'sqlite_%'").fetchall()
    for name, sql in tables:
        pk = _pk(name)
        if "AUTOINCREMENT" in sql or not pk.search(sql) or not _ID.search(sql):
            continue
        new_sql = pk.sub("", _ID.sub(f"id INTEGER NOT NULL CONSTRAINT pk_{name} PRIMARY KEY "
                                     "AUTOINCREMENT,", sql, count=1), count=1)
        temp = f"_dure_new_{name}"
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {temp}")  # left by a run killed earlier
        new_sql = new_sql.replace(f"CREATE TABLE {name} ", f"CREATE TABLE {temp} ", 1)
        new_sql = new_sql.replace(f'CREATE TABLE "{name}" ', f"CREATE TABLE {temp} ", 1)
        extras = [r[0] for r in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL", (name,))]
        before = conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
        conn.exec_driver_sql(new_sql)
        conn.exec_driver_sql(f'INSERT INTO {temp} SELECT * FROM "{name}"')
        conn.exec_driver_sql(f'DROP TABLE "{name}"')
        conn.exec_driver_sql(f'ALTER TABLE {temp} RENAME TO "{name}"')
        for extra in extras:
            conn.exec_driver_sql(extra)
        after = conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
        if after != before:
            raise RuntimeError(f"{name}: {before} rows before the rebuild, {after} after")
        top = max(high.get(name, 0),
                  conn.exec_driver_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{name}"').scalar())
        conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
        conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, top))
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")


def downgrade() -> None:
    pass  # AUTOINCREMENT only stops reuse; an older Dure reads these tables as they are
