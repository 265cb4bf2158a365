"""`main.py check` beside its floor: reading every row of every table with sqlite3.

    uv run python bench/bench_check.py [DB.sqlite ...] [--repeat N] [--in-place]
    # default /work/benchdb/v8/bench100k.sqlite; run it with nice -n 10 (-n 19 at 1M)
    # --in-place: use the file itself (already migrated), not a copy

Runs, on a copy of each database, in one process and one run:
- the reference: sqlite3 reading every row of every table;
- the record checks `check` runs (db.commands.record_findings: every rule on every record);
- the record checks as `main.py check` shares them with its forked helper (db/check_helper.py;
  the command's own CPU and the helper's, the findings compared with the line above);
- the whole `main.py check` in this process (db.commands.run_check, imports done: the figure
  of earlier rounds), then as a user runs it: a new Python process (start-up and imports
  included) running main.py --db FILE check, its report sent to /dev/null (quick_check, then
  integrity_check and foreign_key_check on their own thread beside the record checks, half of
  which its forked helper checks); its CPU is that of the command and its helper together,
  its memory the peak of each;
- SQLite's own checks alone (quick_check, integrity_check, foreign_key_check), for scale.
Prints process CPU (all threads; the load-independent figure on a shared machine; the lowest
of --repeat runs) and wall time, the ratio to the reference, peak memory (ru_maxrss), the
findings counted and the load average before and after. Targets (issue 13):
under 1 s at 100,000 records, under 10 s and 300 MB at 1,000,000.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def run_in_process(path: Path) -> int:
    """`main.py check --db PATH` in this process (imports done), its report thrown away."""
    from db.commands import run_check

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        return run_check(argparse.Namespace(db=str(path), warnings=False))


def run_shared(path: Path) -> tuple[tuple[int, int], float, float]:
    """The record checks shared with a forked helper: ((records, findings), CPU of this
    process, CPU of the helper)."""
    from db.check_helper import CheckHelper
    from db.commands import check_families, check_plan, record_findings
    from db.session import open_database

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    c0 = time.process_time()
    helper = CheckHelper.start(path, check_plan(), check_families)
    assert helper is not None, "no helper started"
    database = open_database(path)
    try:
        records = findings = 0
        for count, found in record_findings(database, helper):
            records += count
            findings += len(found)
    finally:
        helper.close()
        database.close()
    assert helper.returned and helper.returned == helper.handed, "the helper sent nothing"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return (records, findings), time.process_time() - c0, helper_cpu


COMMAND = """
import resource, sys
sys.argv = ["main.py", "--db", sys.argv[1], "check"]
sys.path.insert(0, {root!r})
import runpy
try:
    runpy.run_path({main!r}, run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
# VmHWM: this process's own peak (ru_maxrss would keep the bench's own, from before the exec)
own = next(int(line.split()[1]) for line in open("/proc/self/status")
           if line.startswith("VmHWM:"))
helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the forked helper's
sys.stderr.write(f"@@ {{code}} {{own}} {{helper}}\\n")
"""


def run_command(path: Path) -> tuple[int, float, float, float, float]:
    """`main.py --db PATH check` in a new process, its report thrown away: (exit code, wall,
    CPU of it and its helper, its peak MB, its helper's peak MB)."""
    script = COMMAND.format(root=str(ROOT), main=str(ROOT / "main.py"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(path)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("@@ ")]
    assert line, done.stderr
    code, own, helper = (int(x) for x in line[-1].split()[1:])
    return code, wall, cpu, own / 1024, helper / 1024


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
            shared, own_cpu, helper_cpu = min(
                (run_shared(path) for _ in range(args.repeat)), key=lambda r: r[1] + r[2])
            assert shared == (records, findings), (shared, records, findings)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            code, in_cpu, in_wall = timed(lambda p=path: run_in_process(p), args.repeat)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            in_helper = ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                         ) / args.repeat
            code, cmd_wall, cmd_cpu, own_mb, helper_mb = min(
                (run_command(path) for _ in range(args.repeat)), key=lambda r: r[1])
            parts = file_checks(path)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            target = "1 s" if records < 500_000 else "10 s and 300 MB"
            print(f"{src.name}: {records:,} records, {findings:,} findings "
                  f"(target: under {target})")
            print(f"  record checks cpu {cpu:6.2f} s  wall {wall:7.2f} s  ({cpu / ref_cpu:4.1f}x)")
            print(f"  shared checks cpu {own_cpu:6.2f} s + its helper {helper_cpu:.2f} s "
                  f"(the same {findings:,} findings)")
            print(f"  main.py check in this process (imports done) wall {in_wall:6.2f} s  cpu "
                  f"{in_cpu:.2f} s + its helper {in_helper:.2f} s (exit {code})")
            print(f"  main.py check wall {cmd_wall:6.2f} s  cpu {cmd_cpu:7.2f} s with its helper "
                  f"({cmd_wall / ref_wall:4.1f}x the reference's wall, exit {code}); "
                  f"peak memory {own_mb:.0f} MB, its helper {helper_mb:.0f} MB")
            print(f"  sqlite3 all   cpu {ref_cpu:6.2f} s  wall {ref_wall:7.2f} s  ({rows:,} rows)")
            print(f"  SQLite's own checks alone, cpu/wall s: {parts}")
            print(f"  peak memory of this process (ru_maxrss): {peak:.0f} MB")
            print(f"  load average before: {load}, after: {loadavg()}")


if __name__ == "__main__":
    main()
