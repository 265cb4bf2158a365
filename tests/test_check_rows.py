"""`main.py check` over rows read in bulk finds exactly what the per-object rules find.

The reference is the way the forms run the rules: every record as an ORM object through
`service.check(obj, session)` (its relatives loaded with selectinload, as `check` did before
it read rows). `db.commands.record_findings` must give the same findings, in the same order,
on the demo database, on a generated one and on a generated one scrambled so that nearly every
rule has something to say (reversed dates, negative and huge numbers, unknown choices, broken
registration numbers, blank and NUL text, orphans, duplicates).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import random
import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, Float, Integer, String, Text, Time, select
from sqlalchemy.orm import selectinload

from bench.generate import generate
from db import models, service
from db.commands import Finding, describe, record_findings
from db.rules.core import MAX_TEXT
from db.session import open_database
from tests.export_fixtures import copy_database


def orm_findings(database: Any) -> list[tuple[int, list[Finding]]]:
    """The per-object reference: each record as an ORM object through the form's rules."""
    out = []
    # no_autoflush: the BRN rule normalises `org.brn` on the object it checks, and a flush of
    # that (rolled back anyway) would only make the reference fail on a duplicate number
    with database.session() as session, session.no_autoflush:
        for mapper in sorted(models.Base.registry.mappers,
                             key=lambda mp: str(mp.class_.__tablename__)):
            model = mapper.class_
            opts: list[Any] = [selectinload("*")]
            for rel in mapper.relationships:
                back = rel.mapper.relationships.get(rel.back_populates or "")
                if rel.direction.name == "MANYTOONE" and back is not None and back.uselist:
                    opts.append(selectinload(getattr(model, rel.key))
                                .selectinload(getattr(rel.mapper.class_, back.key)))
            stmt = select(model).options(*opts)
            if "id" in mapper.columns:
                stmt = stmt.order_by(mapper.columns["id"])
            found: list[Finding] = []
            count = 0
            for obj in session.scalars(stmt):
                count += 1
                for problem in service.check(obj, session):
                    found.append(Finding(problem.severity, describe(obj), problem.message))
            out.append((count, found))
    return out


def row_findings(database: Any) -> list[tuple[int, list[Finding]]]:
    return [(count, list(found)) for count, found in record_findings(database)]


def assert_same(database: Any) -> list[Finding]:
    expected = orm_findings(database)
    got = row_findings(database)
    assert [c for c, _f in got] == [c for c, _f in expected]
    for (_c, mine), (_d, theirs) in zip(got, expected, strict=True):
        assert mine == theirs
    return [f for _c, found in got for f in found]


# ---------------------------------------------------------------- scrambling a database


def _shift(text: str, days: int) -> str:
    return (dt.date.fromisoformat(text[:10]) + dt.timedelta(days=days)).isoformat()


def _candidates(rng: random.Random, col: Any, value: Any, column: list[Any]) -> list[Any]:
    """Values that break (or only just keep) the rules for a column of this kind."""
    other = rng.choice(column) if column else None
    info = col.info
    kind = col.type
    if col.foreign_keys:
        return [other, None, 987_654]  # another parent, none, one that does not exist
    if isinstance(kind, Boolean):
        return [0, 1, None]
    if isinstance(kind, Integer):
        big = [10**9 + 1, 10**15 + 1, -(10**9) - 1] if info.get("unit") == "원" else [10**9 + 1]
        near = [value + 1, value - 1, value * 2] if isinstance(value, int) else []
        return [None, 0, -1, 1, 2, 3, 6, 21, 1989, 2101, other, *near, *big]
    if isinstance(kind, Float):
        return [None, 0.0, -1.0, 59.5, 60.0, 100.5, 2.5, float("inf"), 10.0**10, other]
    if isinstance(kind, Date):
        dates = [v for v in column if isinstance(v, str)]
        if isinstance(value, str):
            dates += [_shift(value, d) for d in (-800, -400, -60, -1, 1, 30, 400, 800)]
        return [None, "1999-12-31", "2101-01-01", *dates[-12:]]
    if isinstance(kind, Time):
        return [None, "08:00:00.000000", "23:30:00.000000", other]
    if isinstance(kind, (String, Text)):
        choices = list(info.get("choices") or ())
        texts = [None, "", "  ", "잘못된 값", "가\x00나", other, other]
        if col.key == "brn":
            texts += ["123-45-67890", "1234567890", "12-34", "１２３４５６７８９０", other]
        if col.key in ("name", "title"):
            texts += [f"㈜{other}" if other else "㈜", f"{other} 주식회사" if other else ""]
        if col.key == "period":
            texts += ["2019", "prior", "1989", "20x1"]
        return [*texts, *choices]
    return [None, other]


def scramble(path: Path, seed: int) -> None:
    """Break a fraction of the rows of every table (CHECK constraints off, foreign keys off)."""
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("PRAGMA ignore_check_constraints = ON")
    for mapper in models.Base.registry.mappers:
        table = mapper.local_table
        cols = [c for c in table.columns if not c.primary_key and not c.info.get("system")]
        if "id" not in table.c or not cols:
            continue
        names = ", ".join(f'"{c.name}"' for c in cols)
        rows = con.execute(f'SELECT id, {names} FROM "{table.name}"').fetchall()
        if not rows:
            continue
        columns = {c.name: [r[i + 1] for r in rows] for i, c in enumerate(cols)}
        for row in rng.sample(rows, max(1, len(rows) // 4)):
            for col in rng.sample(cols, min(len(cols), rng.choice((1, 1, 2, 3)))):
                value = row[1 + cols.index(col)]
                if isinstance(col.type, Date) and rng.random() < 0.3:
                    # swap with another date of the same row: reversed periods
                    dates = [c for c in cols if isinstance(c.type, Date) and c is not col]
                    if dates:
                        other = rng.choice(dates)
                        new = row[1 + cols.index(other)]
                        _update(con, table.name, row[0], {col.name: new, other.name: value})
                        continue
                new = rng.choice(_candidates(rng, col, value, columns[col.name]))
                _update(con, table.name, row[0], {col.name: new})
        if rng.random() < 0.5 and len(rows) > 3:  # an orphan or two: their parent is gone
            con.execute(f'DELETE FROM "{table.name}" WHERE id = ?', (rng.choice(rows)[0],))
    con.commit()
    con.close()


def _update(con: sqlite3.Connection, table: str, ident: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f'"{k}" = ?' for k in values)
    try:
        con.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', (*values.values(), ident))
    except sqlite3.IntegrityError:  # NOT NULL, UNIQUE: leave the row as it was
        pass


# ---------------------------------------------------------------- the tests


def assert_rows_are_core_rows(database: Any) -> None:
    """Every column of every record as the check reads it (the DBAPI cursor, the types'
    result processors applied by rows.py) is what SQLAlchemy's own Core rows hold."""
    from db.rules import rows

    with database.session() as session:
        for mapper in models.Base.registry.mappers:
            k = rows.kind(mapper.class_)
            got = [tuple(getattr(r, key) for key in k.keys)
                   for chunk in rows.stream(session, mapper.class_, {}) for r in chunk]
            stmt = k.select().order_by(*mapper.primary_key)
            want = [tuple(r) for r in session.execute(stmt)]
            if k.pk is None:  # no id: read in the server's order (and checked in it)
                got = sorted(got, key=repr)
                want = sorted(want, key=repr)
            assert got == want, mapper.class_.__name__
            assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]


def test_demo_findings_are_the_per_object_findings(demo):
    assert_rows_are_core_rows(demo)
    found = assert_same(demo)
    assert len(found) >= 2  # the demo's two warnings (기업 #20, 창업팀 #7)


_generated_template: list[Path] = []


def generated_template() -> Path:
    """The generated database, made once per process into a closed file: copy it, never open
    it (bench/mutation.py's mutants are forked from the process that ran the clean tests, and
    inherit it instead of generating 2,500 records again for every mutant)."""
    if not _generated_template:
        folder = Path(tempfile.mkdtemp(prefix="dure-check-rows-"))
        owner = os.getpid()  # a forked child must not remove it at its exit
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, True))
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DURE_DATA_DIR", str(folder / "data"))
            generate(folder / "g.sqlite", records=2_500, years=3)
        assert not (folder / "g.sqlite-wal").exists(), "generate left a WAL behind"
        _generated_template.append(folder / "g.sqlite")
    return _generated_template[0]


def test_chunk_and_batch_edges_give_the_same_findings(demo, monkeypatch):
    """Chunks of two records and IN (...) lists of one id: every chunk boundary, chunks
    exactly full and a last short one, every batch of parents and children read in turn."""
    from db.rules import rows

    monkeypatch.setattr(rows, "CHUNK", 2)
    monkeypatch.setattr(rows, "IN_BATCH", 1)
    found = assert_same(demo)
    assert len(found) >= 2


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("gen")
    copy_database(generated_template(), base / "g.sqlite")
    return base


def _open(base: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DURE_DATA_DIR", str(base / "data"))
    return open_database(base / name)


def test_generated_findings_are_the_per_object_findings(generated, monkeypatch):
    database = _open(generated, "g.sqlite", monkeypatch)
    try:
        found = assert_same(database)
    finally:
        database.close()
    assert found  # the generator leaves warnings (unassigned 창업팀 심화, hours)


@pytest.mark.parametrize("seed", [1, 2])
def test_scrambled_findings_are_the_per_object_findings(generated, monkeypatch, seed):
    shutil.copyfile(generated / "g.sqlite", generated / f"s{seed}.sqlite")
    scramble(generated / f"s{seed}.sqlite", seed)
    database = _open(generated, f"s{seed}.sqlite", monkeypatch)
    try:
        found = assert_same(database)
    finally:
        database.close()
    kinds = Counter((f.severity, f.where.split(" #")[0], f.message[:12]) for f in found)
    # the scrambled rows really reach the rules: many kinds of findings, errors and warnings
    assert len(kinds) >= 60, kinds
    assert {f.severity for f in found} == {"error", "warning"}


def copy_of(database: Any, path: Path) -> Path:
    """A copy of an SQLite database (sqlite3's backup: consistent while it is open)."""
    src = sqlite3.connect(database.path)
    with sqlite3.connect(path) as dst:
        src.backup(dst)
    src.close()
    return path


def test_scrambled_demo_findings_are_the_per_object_findings(demo, tmp_path, monkeypatch):
    """The demo fills the areas the generator leaves empty (시설, 사회서비스, 모집 공고…)."""
    copy = copy_of(demo, tmp_path / "demo.sqlite")
    scramble(copy, 3)
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    database = open_database(copy)
    try:
        found = assert_same(database)
    finally:
        database.close()
    assert len({f.where.split(" #")[0] for f in found}) >= 15


def test_a_path_the_rules_did_not_declare_fails_loudly(generated, monkeypatch):
    from db.rules import rows

    database = _open(generated, "g.sqlite", monkeypatch)
    try:
        with database.session() as session:
            (first, *_rest) = next(rows.stream(session, models.FinancePayment, {}))
            with pytest.raises(rows.NotLoaded):
                _ = first.grant  # not asked for: an error, never a silent None
            (pay, *_rest) = next(rows.stream(session, models.FinancePayment,
                                             rows.tree_of(["grant.payments"])))
            assert pay.grant.id == pay.grant_id
            assert any(p is pay for p in pay.grant.payments)  # the very row being checked
            first.grant_id = None
            assert first.grant is None  # an empty key reads as no parent, declared or not
    finally:
        database.close()


def test_the_column_sieve_clears_clean_records(generated, monkeypatch):
    from db.rules import rows
    from db.rules.core import _suspects

    database = _open(generated, "g.sqlite", monkeypatch)
    try:
        with database.session() as session:
            seen = 0
            for mapper in models.Base.registry.mappers:
                model = mapper.class_
                for chunk in rows.stream(session, model, {}):
                    seen += len(chunk)
                    assert _suspects(model, chunk) == set(), model  # nothing for _generic
            assert seen > 1_000  # every model's records, not a few
    finally:
        database.close()


def test_the_column_sieve_never_clears_a_record_the_generic_checks_object_to():
    """`_suspects` may keep clean records for `_generic`, never drop one it finds wrong."""
    from db.rules import rows
    from db.rules.core import MAX_MONEY, MAX_NUMBER, _generic, _suspects

    service.check(models.Organization(name="x"))  # the rule modules, registered
    rng = random.Random(13)
    pool = [None, "", "  ", "가", "가\x00나", "x" * (MAX_TEXT + 1), 0, -1, 1, MAX_NUMBER,
            MAX_NUMBER + 1, -MAX_NUMBER - 1, MAX_MONEY, MAX_MONEY + 1, 2.5, -0.5, float("inf"),
            float("nan"), True, False, dt.date(2021, 8, 15), dt.time(9, 30)]
    flagged = checked = 0
    for mapper in models.Base.registry.mappers:
        k = rows.kind(mapper.class_)
        choices = [c for col in k.columns for c in col.info.get("choices", ())]
        records = []
        for _ in range(300):
            obj = object.__new__(k.cls)
            for key in k.keys:
                setattr(obj, key, rng.choice([*pool, *choices[:4]]))
            records.append(obj)
        suspects = _suspects(mapper.class_, records)
        for i, obj in enumerate(records):
            if list(_generic(obj)):
                checked += 1
                assert i in suspects, (mapper.class_.__name__, obj, list(_generic(obj)))
        flagged += len(suspects)
    assert checked > 1_000 and flagged >= checked


def scramble_server(database: Any, seed: int) -> int:
    """`scramble` for a server: each bad value in a savepoint, kept where the server takes it
    (its CHECK, NOT NULL and foreign-key constraints stay on); the rows changed, counted."""
    from sqlalchemy import exc, update

    rng = random.Random(seed)
    kept = 0
    with database.engine.begin() as conn:
        for mapper in models.Base.registry.mappers:
            table = mapper.local_table
            cols = [c for c in table.columns if not c.primary_key and not c.info.get("system")]
            if "id" not in table.c or not cols:
                continue
            rows = conn.execute(select(table.c.id, *cols).order_by(table.c.id)).all()
            columns = {c.name: [_text(r[i + 1]) for r in rows] for i, c in enumerate(cols)}
            for row in rng.sample(rows, len(rows) // 4):
                values = {}
                for col in rng.sample(cols, min(len(cols), rng.choice((1, 1, 2, 3)))):
                    value = _text(row[1 + cols.index(col)])
                    values[col.name] = _typed(col, rng.choice(
                        _candidates(rng, col, value, columns[col.name])))
                try:
                    with conn.begin_nested():
                        conn.execute(update(table).where(table.c.id == row[0]).values(values))
                    kept += 1
                except (exc.StatementError, ValueError):
                    pass  # refused by the server: the row stays as it was
    return kept


def _text(value: Any) -> Any:
    """Dates and times as SQLite stores them (what `_candidates` works with)."""
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else value


def _typed(col: Any, value: Any) -> Any:
    if isinstance(value, str) and isinstance(col.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(value, str) and isinstance(col.type, Time):
        return dt.time.fromisoformat(value)
    if isinstance(value, int) and isinstance(col.type, Boolean):
        return bool(value)
    return value


def copy_rows(src: Any, dst: Any) -> None:
    """Every row of `src` into the same (empty) tables of `dst`, in foreign-key order."""
    with src.engine.connect() as a, dst.engine.begin() as b:
        for table in models.Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in a.execute(select(table))]
            if rows and b.execute(select(table).limit(1)).first() is None:
                b.execute(table.insert(), rows)


@pytest.mark.postgres
def test_postgresql_findings_are_the_per_object_findings(pg_db, demo):
    """On the server too: the demo with bad values the server accepts, the bulk check (the
    DBAPI cursor of SQLAlchemy's connection, psycopg's types) = the per-object rules."""
    copy_rows(demo, pg_db)
    assert scramble_server(pg_db, 4) > 150
    assert_rows_are_core_rows(pg_db)
    found = assert_same(pg_db)
    kinds = Counter((f.severity, f.where.split(" #")[0], f.message[:12]) for f in found)
    assert len(kinds) >= 40, kinds  # the bad values reach the rules of many areas
    assert {f.severity for f in found} == {"error", "warning"}


def test_the_check_gives_the_garbage_collector_back_as_it_was(demo):
    """record_findings freezes the objects made before it (gc.freeze) only while it runs."""
    import gc

    assert gc.get_freeze_count() == 0
    findings = record_findings(demo)
    next(findings)
    assert gc.get_freeze_count() > 0  # the modules, mappers and session left out meanwhile
    findings.close()  # stopped half-way: given back too
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    assert sum(len(found) for _n, found in record_findings(demo)) >= 2
    assert gc.get_freeze_count() == 0


@pytest.fixture
def file_checks(monkeypatch):
    """Every PRAGMA integrity_check / quick_check run from now on, by the file checks' own
    sqlite3 connections or through any SQLAlchemy engine."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import db.safety.integrity as integrity_module

    seen: list[str] = []
    connect = integrity_module.ro_connect

    def traced(*args: Any, **kw: Any) -> sqlite3.Connection:
        con = connect(*args, **kw)
        con.set_trace_callback(lambda sql: seen.append(sql) if "_check" in sql else None)
        return con

    def on_engine(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if "_check" in sql:
            seen.append(sql)

    monkeypatch.setattr(integrity_module, "ro_connect", traced)
    event.listen(Engine, "before_cursor_execute", on_engine)
    yield seen
    event.remove(Engine, "before_cursor_execute", on_engine)


def test_check_reports_a_damaged_index_the_quick_check_misses(demo, tmp_path, monkeypatch, capsys):
    """An index that no longer matches its table passes quick_check (so the file opens) and
    fails integrity_check: `main.py check` names every missing row, as it always did."""
    import main

    copy = copy_of(demo, tmp_path / "damaged.sqlite")
    con = sqlite3.connect(copy)
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_organization_name ON "
                "organization (kind)' WHERE name = 'ix_organization_name'")
    con.commit()
    con.close()
    orgs = sqlite3.connect(copy).execute("SELECT count(*) FROM organization").fetchone()[0]
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    assert main.main(["--db", str(copy), "check"]) == 1
    out = capsys.readouterr().out
    assert "무결성 검사(integrity_check, foreign_key_check): 문제 있음" in out
    missing = [line for line in out.splitlines()
               if line.startswith("[오류] 데이터베이스 파일: 손상: row ")
               and line.endswith(" missing from index ix_organization_name")]
    assert len(missing) == orgs > 10


def test_check_runs_the_integrity_check_once_on_a_sound_file(demo, tmp_path, monkeypatch,
                                                              capsys, file_checks):
    """The full integrity_check runs once, beside the record checks on a thread of its own
    (tests/test_check_speed.py); before it only open_database's quick_check, as at every
    open (issue 13: the integrity_check no longer holds the open back)."""
    import main

    copy = copy_of(demo, tmp_path / "sound.sqlite")
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    assert main.main(["--db", str(copy), "check"]) == 0
    assert "무결성 검사(integrity_check, foreign_key_check): 이상 없음" in capsys.readouterr().out
    assert file_checks == ["PRAGMA quick_check(20)", "PRAGMA integrity_check",
                           "PRAGMA foreign_key_check"]



def test_a_stream_over_an_index_gives_each_record_once_in_id_order(demo, monkeypatch):
    """`rows.stream` with a condition the database answers from an index (organisations by
    name, an IN list: SQLite reads them in name order, not by id): every chunk, not only the
    first, is read in id order, so `id > last` picks up exactly where the chunk before ended
    (as on PostgreSQL, whose rows come in no order at all unless asked)."""
    from db.rules import rows

    monkeypatch.setattr(rows, "CHUNK", 2)
    org = models.Organization
    with demo.session() as session:
        where = org.name.in_(session.scalars(select(org.name)).all())
        expected = session.scalars(select(org.id).where(where).order_by(org.id)).all()
        by_name = session.scalars(select(org.id).where(where).order_by(org.name)).all()
        assert len(expected) > 4 and by_name != expected  # the index's order is another
        got = [row.id for chunk in rows.stream(session, org, {}, where) for row in chunk]
    assert got == expected


@pytest.mark.parametrize("column, values", [
    ("amount", [5_000, dt.date(2021, 8, 15)]),  # a date in a 원 column, beside clean ints
    ("amount", ["5000", "6000"]),  # digits typed as text in a 원 column, nothing else wrong
    ("note", ["가", "x" * (MAX_TEXT + 1)]),  # an over-long note, no bad character
])
def test_the_column_sieve_keeps_each_wrong_value_of_an_otherwise_clean_column(
        generated, monkeypatch, column, values):
    """One column of a clean chunk given a value `_generic` objects to, beside clean ones:
    the sieve keeps that record (the random pool above mixes every kind of wrong value in one
    chunk, where another value's test would pick the record out anyway)."""
    from db.rules import rows
    from db.rules.core import _generic, _suspects, max_length

    model = models.FinancePayment
    assert max_length(model.__table__.c.note) == MAX_TEXT  # a text without a length
    database = _open(generated, "g.sqlite", monkeypatch)
    try:
        with database.session() as session:
            chunk = next(rows.stream(session, model, {}))[:len(values) + 2]
            assert _suspects(model, chunk) == set()
            for obj, value in zip(chunk, values, strict=False):
                setattr(obj, column, value)
            wrong = {i for i, obj in enumerate(chunk) if list(_generic(obj))}
            assert wrong and wrong <= _suspects(model, chunk)
    finally:
        database.close()
