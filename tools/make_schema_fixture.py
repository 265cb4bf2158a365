"""Development helper: write tests/fixtures/schema-REV.sqlite, the demo records at revision REV.

    uv run python tools/make_schema_fixture.py 0001

Run it once per released schema (docs/ARCHITECTURE.md, house style 7); tests/test_migrations.py
upgrades every fixture to head and checks that no row is lost.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.demo import load_demo
from db.migrations import runner
from db.session import make_engine, open_database

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main(rev: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.sqlite"
        database = open_database(full)
        load_demo(database)
        database.close()
        out = FIXTURES / f"schema-{rev}.sqlite"
        out.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{out}")
        runner.upgrade(engine, rev)
        engine.dispose()
        con = sqlite3.connect(out)
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("ATTACH DATABASE ? AS src", (str(full),))
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name <> 'alembic_version'")]
        for table in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA main.table_info("{table}")')]
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM src."{table}"')
        con.commit()
        con.execute("DETACH DATABASE src")
        con.execute("VACUUM")
        con.close()
        print("written", out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "0001")
