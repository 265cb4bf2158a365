"""`main.py check` beside its floor: reading every row of every table with sqlite3.

    uv run python bench/bench_check.py [DB.sqlite ...]    # default /work/benchdb/bench100k.sqlite

Runs the same record checks `check` runs (db.commands.record_findings, every rule on every
record) and, in the same run, sqlite3 reading every row of every table; prints both times
(process CPU, the load-independent figure on a shared machine; and wall), the ratio, the peak
memory and the findings counted. Targets (issue 13): under 1 s at 100,000 records, under 10 s
and 300 MB at 1,000,000.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT = Path("/work/benchdb/bench100k.sqlite")


def timed(fn):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - w0


def read_all(path: Path) -> int:
    con = sqlite3.connect(path)
    n = 0
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for _row in con.execute(f'SELECT * FROM "{table}"'):
            n += 1
    con.close()
    return n


def run_checks(path: Path) -> tuple[int, int]:
    from db.commands import record_findings
    from db.session import open_database

    database = open_database(path)
    try:
        records = findings = 0
        for count, found in record_findings(database):
            records += count
            findings += len(found)
        return records, findings
    finally:
        database.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dbs", nargs="*", type=Path, default=[DEFAULT])
    args = ap.parse_args()
    for src in args.dbs:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DURE_DATA_DIR"] = str(Path(tmp) / "data")
            path = Path(tmp) / src.name
            shutil.copyfile(src, path)
            run_checks(path)  # migrate the copy and warm the imports before measuring
            rows, ref_cpu, ref_wall = timed(lambda p=path: read_all(p))
            (records, findings), cpu, wall = timed(lambda p=path: run_checks(p))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{src.name}: {records:,} records, {findings:,} findings")
            print(f"  check       cpu {cpu:6.2f} s  wall {wall:6.2f} s  peak {peak:.0f} MB")
            print(f"  sqlite3 all cpu {ref_cpu:6.2f} s  wall {ref_wall:6.2f} s  ({rows:,} rows)")
            print(f"  ratio (cpu) {cpu / ref_cpu:5.1f}x")


if __name__ == "__main__":
    main()
