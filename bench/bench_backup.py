"""Benchmark: backup, check and restore of the 100,000-record database (target: backup < 2 s).

    uv run python bench/bench_backup.py [--records 100000] [--db FILE]

Generates the synthetic database with bench/generate.py (or uses --db), then times each
step of a backup (online copy, integrity check, whole verified backup_to), an automatic
backup with rotation, listing, the quick check open_database runs, opening, and restore.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0


def timed(label: str, fn, *args, **kw):
    """Run fn once, print its time, return (result, seconds)."""
    start = time.perf_counter()
    result = fn(*args, **kw)
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds * 1000:8.0f} ms")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing database instead of a generated one")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dure-bench-backup-"))
    os.environ["DURE_DATA_DIR"] = str(folder / "data")

    from bench.generate import generate
    from db.safety import backup as B
    from db.safety import restore as R
    from db.safety.integrity import inspect_file, quick_check
    from db.session import open_database

    path = args.db or folder / "big.sqlite"
    if args.db is None:
        print(f"generating {args.records:,} records …")
        timed("generate", generate, path, records=args.records)
    size = path.stat().st_size
    import sqlite3

    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%'")]
    rows = sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
    con.close()
    print(f"database: {path} ({size / 1e6:.1f} MB, {rows:,} rows in {len(tables)} tables)")

    print("steps:")
    timed("online backup API copy (no check)", B.copy_database, path, folder / "raw.sqlite")
    timed("PRAGMA integrity_check of the copy", inspect_file, folder / "raw.sqlite", full=True)
    timed("quick_check (run by open_database)", quick_check, path)
    database, _ = timed("open_database (check + lock + revision)", open_database, path)
    info, backup_seconds = timed("backup_to: copy + check + fsync + rename", B.backup_to,
                                 database, folder / "copy.sqlite")
    timed("automatic_backup (+ rotation)", B.automatic_backup, database, "start")
    listed, _ = timed("list_backups (counts read read-only)", B.list_backups)
    database.close()
    timed("restore (check, before-restore backup, copy)", R.restore, path, info.path)
    print(f"backup: {info.total:,} records in main tables, {info.size / 1e6:.1f} MB, "
          f"{len(listed)} automatic backup(s) listed")
    verdict = "met" if backup_seconds < TARGET_SECONDS else "MISSED"
    print(f"verified backup of the whole database: {backup_seconds:.2f} s "
          f"(target < {TARGET_SECONDS:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
