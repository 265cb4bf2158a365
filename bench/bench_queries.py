"""Time every report query for one year on the synthetic 100,000-record database.

    uv run python bench/bench_queries.py [--db FILE] [--year 2021]

Target (issue 2), on a 2-core machine: all of one year's report figures in under 200 ms total.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate
from db import queries
from db.periods import Period
from db.session import open_database

TARGET_MS = 200.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing synthetic database (default: generate one)")
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    path = args.db
    if path is None:
        path = str(Path(tempfile.mkdtemp()) / "bench.sqlite")
        t0 = time.perf_counter()
        counts = generate(path)
        print(f"generated {counts['total_rows']:,} rows in {time.perf_counter() - t0:.1f} s")
    database = open_database(path)
    period = Period.year_of(args.year)
    timings: dict[str, list[float]] = {}
    totals = []
    for _ in range(args.repeat):
        with database.session() as s:
            t_all = time.perf_counter()
            # the same calls report_figures makes, timed one by one
            original = {name: getattr(queries, name) for name in queries.__all__}
            def timed(name, fn):
                def run(*a, **k):
                    t = time.perf_counter()
                    try:
                        return fn(*a, **k)
                    finally:
                        timings.setdefault(name, []).append((time.perf_counter() - t) * 1000)
                return run
            for name, fn in original.items():
                if name != "report_figures":
                    setattr(queries, name, timed(name, fn))
            try:
                queries.report_figures(s, period)
            finally:
                for name, fn in original.items():
                    setattr(queries, name, fn)
            totals.append((time.perf_counter() - t_all) * 1000)
    database.close()
    print(f"report figures for {period.label} ({args.repeat} runs, median ms):")
    for name, values in sorted(timings.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"  {name:28s} {statistics.median(values):8.1f}")
    total = statistics.median(totals[1:] if len(totals) > 1 else totals)
    verdict = "OK" if total < TARGET_MS else "OVER TARGET"
    print(f"total (warm, median): {total:.1f} ms  — target {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
