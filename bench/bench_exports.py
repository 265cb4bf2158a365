"""Time the exports on the synthetic 100,000-record database (each in its own process).

    uv run python bench/bench_exports.py [--db FILE] [--repeat 3]

Targets (issue 4), on a 2-core machine: the 10-year workbook with every data sheet under
15 s and under 250 MB peak memory; the roster PDF under 0.5 s; a half-year report PDF
under 2 s. Peak memory is the child process's ru_maxrss (Python, SQLAlchemy and the
libraries included). PDF times are of a second export in the same process (as in the GUI);
the first one in a new process, which also imports reportlab and loads the fonts, is shown
beside it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"workbook": (15.0, 250.0), "roster": (0.5, None), "report": (2.0, None),
           "tables": (None, None)}

CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from db.periods import Period
from db.session import open_database
from exports import api
kind, db_path, out, first, last = sys.argv[1:6]
database = open_database(db_path, read_only=True)

def once():
    t = time.perf_counter()
    if kind == "workbook":
        api.export_workbook(database, Period.parse(first), Period.parse(last), Path(out))
    elif kind == "tables":
        api.export_tables(database, Period.parse(first), Period.parse(last), Path(out))
    elif kind == "roster":
        api.export_roster(database, Period.parse(last).end, Path(out))
    else:
        api.export_report(database, Period.parse(last), Path(out))
    return time.perf_counter() - t

cold = once()  # includes importing openpyxl/reportlab and loading the fonts
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
warm = cold if kind == "workbook" else once()  # a second export in the same session
print(json.dumps({{"seconds": warm, "cold": cold, "peak_mb": peak_mb,
                  "bytes": Path(out).stat().st_size}}))
"""


def run_one(kind: str, db: str, out: Path, first: str, last: str) -> dict:
    """One export in a fresh interpreter: its time and its peak memory."""
    code = CHILD.format(root=str(ROOT))
    res = subprocess.run([sys.executable, "-c", code, kind, db, str(out), first, last],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing synthetic database (default: generate one)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dure-bench-"))
    path = args.db
    if path is None:
        try:
            from bench.generate import generate
        except ImportError:
            print("bench/generate.py가 없어 벤치마크를 건너뜁니다.")
            return
        path = str(work / "bench.sqlite")
        t0 = time.perf_counter()
        counts = generate(path, records=100_000, years=10)
        print(f"generated {counts['total_rows']:,} rows in {time.perf_counter() - t0:.1f} s")
    jobs = [
        ("workbook", "2013", "2022", "w.xlsx"),
        ("roster", "2022", "2022-06-30", "r.pdf"),
        ("report", "2022", "2022H1", "b.pdf"),
        ("tables", "2013", "2022", "t.pdf"),
    ]
    failed = False
    for kind, first, last, name in jobs:
        runs = [run_one(kind, path, work / name, first, last) for _ in range(args.repeat)]
        best = min(r["seconds"] for r in runs)
        cold = min(r["cold"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        size = runs[-1]["bytes"] / 1e6
        t_target, m_target = TARGETS[kind]
        ok = (t_target is None or best < t_target) and (m_target is None or peak < m_target)
        failed |= not ok
        limits = " / ".join(x for x in (t_target and f"< {t_target} s",
                                         m_target and f"< {m_target:.0f} MB") if x) or "-"
        print(f"{kind:9s} best {best:6.2f} s (first in a new process {cold:5.2f} s)  "
              f"peak {peak:6.0f} MB  file {size:6.1f} MB  "
              f"target {limits:18s} {'OK' if ok else 'MISSED'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
