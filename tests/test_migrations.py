"""Migrations: the models and the migrations agree, and old databases upgrade with their rows."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from db.migrations import runner
from db.models import Base
from db.session import make_engine, open_database


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(runner.config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> tuple[Path, list[str | None]]:
    """An empty file brought to head by the revisions, one upgrade per revision, and the
    revision it reported after each: built once, only read by the tests that use it (each
    full replay of the migrations cost ~0.3 s of CPU, and three tests made the same file)."""
    path = tmp_path_factory.mktemp("migrated") / "migrated.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    seen = []
    for rev in _revisions():
        runner.upgrade(engine, rev)
        with engine.connect() as conn:
            seen.append(runner.current_revision(conn))
    engine.dispose()
    return path, seen


def test_models_and_migrations_agree(migrated):
    engine = make_engine(f"sqlite:///{migrated[0]}")  # every revision in turn, not the models
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], f"models changed without a migration (tools/regen_migration.py): {diff}"


def _schema(path) -> dict[str, object]:
    """Everything SQLite keeps about each table, columns by name (their order aside)."""
    conn = sqlite3.connect(path)
    out: dict[str, object] = {}
    for (name, sql) in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        indexes = conn.execute(f"PRAGMA index_list('{name}')").fetchall()
        out[name] = {
            "columns": sorted(row[1:] for row in conn.execute(f"PRAGMA table_xinfo('{name}')")),
            "keys": sorted(row[2:] for row in conn.execute(f"PRAGMA foreign_key_list('{name}')")),
            "indexes": sorted((ix[1], ix[2], ix[3], tuple(col[2] for col in conn.execute(
                f"PRAGMA index_info('{ix[1]}')"))) for ix in indexes),
            "checks": sorted(re.findall(r"CHECK \((.*?)\)(?=,|\s*\n|\s*\)$)", sql or "")),
            "autoincrement": "AUTOINCREMENT" in (sql or ""),
        }
    out["version"] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    other = conn.execute("SELECT type, name FROM sqlite_master WHERE type NOT IN ('table', 'index')"
                         " AND name NOT LIKE 'sqlite_%'").fetchall()
    out["views and triggers"] = sorted(other)
    conn.close()
    return out


def test_a_new_file_gets_the_schema_the_migrations_build(tmp_path, migrated):
    database = open_database(tmp_path / "new.sqlite")  # made from the models, then stamped
    database.close()
    made, expected = _schema(tmp_path / "new.sqlite"), _schema(migrated[0])
    assert set(made) == set(expected)
    assert len(made) > 40 and made["version"] == [(runner.head_revision(),)]
    for table in expected:
        assert made[table] == expected[table], table


def test_first_migration_upgrades_to_head_with_all_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    first = _revisions()[0]
    engine = make_engine(f"sqlite:///{path}")
    runner.upgrade(engine, first)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organization (id, name, kind) VALUES (1, '㈜마을숲', "
                          "'기타')"))
        conn.execute(text("INSERT INTO space (id, provider, site, area_m2, use, status, sort_order)"
                          " VALUES (1, 'LH', '행신2지구 4단지', 154, '사무실', '운영', 1)"))
        conn.execute(text("INSERT INTO tenancy (id, space_id, organization_id) VALUES (1, 1, 1)"))
        conn.execute(text("INSERT INTO tenancy_term (id, tenancy_id, start_on, end_on)"
                          " VALUES (1, 1, '2019-04-25', '2021-04-24')"))
    engine.dispose()

    database = open_database(path)  # upgrades to head, after a safety copy
    with database.engine.connect() as conn:
        assert runner.current_revision(conn) == runner.head_revision()
        assert conn.execute(text("SELECT name FROM organization")).scalar() == "㈜마을숲"
        assert conn.execute(text("SELECT end_on FROM tenancy_term")).scalar() == "2021-04-24"
    database.close()
    if len(_revisions()) > 1:
        assert database.backup_taken is not None and database.backup_taken.exists()
        copy = sqlite3.connect(database.backup_taken)
        assert copy.execute("SELECT count(*) FROM organization").fetchone() == (1,)
        copy.close()


def test_every_revision_upgrades_an_empty_database(migrated):
    """Revision by revision on one empty file: each step runs once (not every prefix again)."""
    assert migrated[1] == _revisions()


FIXTURES = sorted((__import__("pathlib").Path(__file__).parent / "fixtures")
                  .glob("schema-*.sqlite"))


def test_a_fixture_exists_for_the_first_schema():
    assert any(f.name == f"schema-{_revisions()[0]}.sqlite" for f in FIXTURES)


def _counts(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name <> 'alembic_version'")]
    out = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    con.close()
    return out


def test_every_released_schema_upgrades_with_all_rows(tmp_path):
    """Each committed database of an old schema (demo records) reaches head losing nothing."""
    import shutil

    for fixture in FIXTURES:
        path = tmp_path / fixture.name
        shutil.copy(fixture, path)
        before = _counts(path)
        assert sum(before.values()) > 500, fixture.name
        database = open_database(path)
        with database.engine.connect() as conn:
            assert runner.current_revision(conn) == runner.head_revision()
        database.close()
        after = _counts(path)
        for table, n in before.items():
            assert after[table] == n, f"{fixture.name}: {table} {n} → {after[table]}"


def _pg_schema(url: str) -> dict[str, object]:
    """Columns, constraints and indexes of every table in a PostgreSQL database."""
    engine = make_engine(url)
    with engine.connect() as conn:
        columns = sorted(conn.execute(text(
            "SELECT table_name, column_name, data_type, is_nullable, column_default,"
            " character_maximum_length FROM information_schema.columns"
            " WHERE table_schema = 'public'")).all())
        constraints = sorted(conn.execute(text(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE n.nspname = 'public'")).all())
        indexes = sorted(conn.execute(text(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )).all())
        version = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    return {"columns": columns, "constraints": constraints, "indexes": indexes,
            "version": version}


def test_a_new_postgresql_database_gets_the_schema_the_migrations_build(pg_admin_url):
    from tests.pg_server import fresh_database

    migrated = fresh_database(pg_admin_url)
    engine = make_engine(migrated)
    runner.upgrade(engine)
    engine.dispose()
    made = fresh_database(pg_admin_url)
    open_database(made).close()  # an empty database: made from the models, then stamped
    expected, got = _pg_schema(migrated), _pg_schema(made)
    assert len(got["columns"]) > 400 and got["version"] == [(runner.head_revision(),)]
    for part in ("columns", "constraints", "indexes"):
        assert got[part] == expected[part], part
