"""Moving a whole Dure database between SQLite and PostgreSQL (`main.py transfer --to URL`).

The target must be empty (no tables, or a freshly created Dure schema with no rows). In one
transaction on the target: the schema (the models, which the migrations test keeps equal to
the migrations) and the migration stamp, every row of every table in parent-first order with
its id (the change history and the trash included), id sequences set past the largest id, and
the row counts compared table by table with the source; any difference rolls it all back. A
SQLite target is built beside its path and moved into place only when complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, Table, func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from ..errors import DureError
from ..migrations import runner
from ..models import Base
from ..session import _describe_db_failure, make_engine, resolve_url, sqlite_path

BATCH = 2000


@dataclass(frozen=True)
class TransferResult:
    source: str
    target: str
    counts: dict[str, int]  # table → rows copied (equal on both sides)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def shown_url(url: str) -> str:
    """A URL as shown to the clerk: never with its password."""
    if "://" not in url:
        return url
    return make_url(url).render_as_string(hide_password=True)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _counts(conn: Connection) -> dict[str, int]:
    """Rows per table, in one statement (a count per table was ~60 round trips a side)."""
    tables = _tables()
    row = conn.execute(select(*(select(func.count()).select_from(t).scalar_subquery()
                                .label(f"n{i}") for i, t in enumerate(tables)))).one()
    return {t.name: int(n) for t, n in zip(tables, row, strict=True)}


def _check_empty(conn: Connection) -> None:
    names = set(inspect(conn).get_table_names())
    if not names:
        return
    ours = {t.name for t in _tables()} | {"alembic_version"}
    if names - ours:
        raise DureError("옮길 데이터베이스에 두레가 만들지 않은 표가 있습니다. "
                        "빈 데이터베이스를 지정하세요.")
    filled = [n for n in names & {t.name for t in _tables()}
              if conn.execute(text(f'SELECT 1 FROM "{n}" LIMIT 1')).first() is not None]
    if filled:
        raise DureError(
            "옮길 데이터베이스가 비어 있지 않습니다 (기록이 있는 표: "
            + ", ".join(sorted(filled)[:5]) + "). 덮어쓰지 않았습니다. 새로 만든 빈 "
                                              "데이터베이스를 지정하세요.")


def _create_schema(conn: Connection) -> None:
    names = set(inspect(conn).get_table_names())
    Base.metadata.create_all(conn)
    if "alembic_version" not in names:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                          "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
    conn.execute(text("DELETE FROM alembic_version"))
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                 {"v": runner.head_revision()})


def _set_sequences(conn: Connection) -> None:
    """PostgreSQL: each id sequence continues after the largest copied id."""
    if conn.dialect.name != "postgresql":
        return
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT max("{pk[0].name}") FROM '
                              f'"{table.name}"), 0) + 1, false)'), {"s": seq})


def _clear(conn: Connection) -> None:
    """Remove every row of every Dure table (restoring a backup over a server database)."""
    names = ", ".join(f'"{t.name}"' for t in _tables())
    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def copy_all(source: Connection, target: Connection,
             progress: Callable[[str, int], None] | None = None, *,
             replace: bool = False) -> dict[str, int]:
    """Copy every row of every Dure table; returns the counts (compared on both sides).

    `replace` (PostgreSQL targets holding a Dure schema at head) empties the target's tables
    first, in the same transaction, instead of refusing a target with records.
    """
    revision = runner.current_revision(source)
    if revision != runner.head_revision():
        raise DureError("원본 데이터베이스의 형식이 최신이 아닙니다. "
                        "두레로 한 번 열어 형식을 갱신한 뒤 옮기세요.")
    if replace:
        if runner.current_revision(target) != runner.head_revision():
            raise DureError("복원할 서버 데이터베이스의 형식이 최신이 아닙니다. "
                            "두레로 한 번 연 뒤 복원하세요.")
        _clear(target)
    else:
        _check_empty(target)
        _create_schema(target)
    for table in _tables():
        result = source.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns))
        copied = 0
        while rows := result.fetchmany(BATCH):
            target.execute(insert(table), [dict(r._mapping) for r in rows])
            copied += len(rows)
            if progress:
                progress(table.name, copied)
    _set_sequences(target)
    before, after = _counts(source), _counts(target)
    wrong = [f"{t} {before[t]}→{after.get(t)}" for t in before if before[t] != after.get(t)]
    if wrong:
        raise DureError("옮긴 뒤 기록 수가 맞지 않아 모두 되돌렸습니다: " + ", ".join(wrong))
    return before


def _source_connection(engine: Engine) -> Connection:
    conn = engine.connect()
    if engine.dialect.name == "postgresql":  # one consistent snapshot of every table
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def transfer(source_url: str, target: str,
             progress: Callable[[str, int], None] | None = None) -> TransferResult:
    """Copy the database at `source_url` into the empty database `target` (URL or file path)."""
    src_url, dest_url = resolve_url(source_url), resolve_url(target)
    if src_url == dest_url:
        raise DureError("원본과 대상이 같은 데이터베이스입니다. 다른 대상을 지정하세요.")
    dest_path = sqlite_path(dest_url)
    build_url, partial = dest_url, None
    if dest_path is not None:
        if dest_path.exists() and dest_path.stat().st_size:
            raise DureError(f"'{dest_path}' 파일이 이미 있습니다. 덮어쓰지 않았습니다. "
                            "새 파일 이름을 지정하세요.")
        dest_path.parent.mkdir(parents=True, exist_ok=True)
        partial = dest_path.with_name(dest_path.name + ".transfer")
        partial.unlink(missing_ok=True)
        build_url = f"sqlite:///{partial}"
    src_engine, dest_engine = make_engine(src_url), make_engine(build_url)
    done = False
    try:
        with _source_connection(src_engine) as src, src.begin():
            try:
                with dest_engine.begin() as dest:
                    counts = copy_all(src, dest, progress)
                done = True
            except DureError:
                raise
            except Exception as exc:
                if type(exc).__module__.startswith("sqlalchemy"):
                    raise DureError(_describe_db_failure(dest_url, exc)) from exc
                raise
    finally:
        src_engine.dispose()
        dest_engine.dispose()
        if partial is not None and dest_path is not None:
            if done:
                os.replace(partial, dest_path)
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                leftover.unlink(missing_ok=True)
    return TransferResult(shown_url(src_url), shown_url(dest_url), counts)
