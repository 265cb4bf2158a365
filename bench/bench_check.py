"""`main.py check` beside its floor: reading every row of every table with sqlite3.

    uv run python bench/bench_check.py [DB.sqlite ...] [--repeat N] [--in-place]
    # default /work/benchdb/v8/bench100k.sqlite; run it with nice -n 10 (-n 19 at 1M)
    # --in-place: use the file itself (already migrated), not a copy

Runs, on a copy of each database, in one process and one run:
- the reference: sqlite3 reading every row of every table;
- the record checks `check` runs (db.commands.record_findings: every rule on every record);
- the whole `main.py check` (db.commands.run_check: quick_check, then integrity_check and
  foreign_key_check on their own thread beside the record checks, and the printed report,
  sent to /dev/null);
- SQLite's own checks alone (quick_check, integrity_check, foreign_key_check), for scale.
Prints process CPU (all threads; the load-independent figure on a shared machine; the lowest
of --repeat runs) and wall time, the ratio to the reference, the process's peak memory
(ru_maxrss), the findings counted and the load average before and after. Targets (issue 13):
under 1 s at 100,000 records, under 10 s and 300 MB at 1,000,000.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT = Path("/work/benchdb/v8/bench100k.sqlite")


def timed(fn, repeat: int = 1):
    """(result, lowest CPU seconds, wall seconds of that run) of `repeat` runs of fn."""
    best = None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        if best is None or cpu < best[1]:
            best = (out, cpu, wall)
    return best


def loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def read_all(path: Path) -> int:
    con = sqlite3.connect(path)
    n = 0
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for _row in con.execute(f'SELECT * FROM "{table}"'):
            n += 1
    con.close()
    return n


def file_checks(path: Path) -> str:
    """SQLite's own checks alone, as `main.py check` runs them: their CPU and wall seconds."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    parts = []
    for pragma in ("quick_check(20)", "integrity_check", "foreign_key_check"):
        c0, w0 = time.process_time(), time.perf_counter()
        con.execute(f"PRAGMA {pragma}").fetchall()
        parts.append(f"{pragma.split('(')[0]} {time.process_time() - c0:.2f}"
                     f"/{time.perf_counter() - w0:.2f}")
    con.close()
    return ", ".join(parts)


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


def run_command(path: Path) -> int:
    """`main.py check --db PATH` in this process, its report thrown away; the exit code."""
    from db.commands import run_check

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        return run_check(argparse.Namespace(db=str(path), warnings=False))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dbs", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the lowest CPU counts")
    ap.add_argument("--in-place", action="store_true",
                    help="check the file itself (migrated already), not a copy of it")
    args = ap.parse_args()
    for src in args.dbs:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DURE_DATA_DIR"] = str(Path(tmp) / "data")
            load = loadavg()
            path = src if args.in_place else Path(tmp) / src.name
            if not args.in_place:
                shutil.copyfile(src, path)
            run_checks(path)  # migrate the copy and warm the imports before measuring
            rows, ref_cpu, ref_wall = timed(lambda p=path: read_all(p), args.repeat)
            (records, findings), cpu, wall = timed(lambda p=path: run_checks(p), args.repeat)
            code, cmd_cpu, cmd_wall = timed(lambda p=path: run_command(p), args.repeat)
            parts = file_checks(path)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            target = "1 s" if records < 500_000 else "10 s and 300 MB"
            print(f"{src.name}: {records:,} records, {findings:,} findings "
                  f"(target: under {target})")
            print(f"  record checks cpu {cpu:6.2f} s  wall {wall:7.2f} s  ({cpu / ref_cpu:4.1f}x)")
            print(f"  main.py check cpu {cmd_cpu:6.2f} s  wall {cmd_wall:7.2f} s  "
                  f"({cmd_cpu / ref_cpu:4.1f}x, exit {code})")
            print(f"  sqlite3 all   cpu {ref_cpu:6.2f} s  wall {ref_wall:7.2f} s  ({rows:,} rows)")
            print(f"  SQLite's own checks alone, cpu/wall s: {parts}")
            print(f"  peak memory of the process (ru_maxrss): {peak:.0f} MB")
            print(f"  load average before: {load}, after: {loadavg()}")


if __name__ == "__main__":
    main()
