"""Time the whole 2018–2021 공약 이행 실적 document on the 100,000-record database.

    uv run python bench/bench_report.py [--db /work/benchdb/bench100k.sqlite] [--repeat 3]

The database is copied first (opening it migrates). Target (issue 8): under 3 s warm.
A one-half-year report is timed in the same run as the reference.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.periods import Period
from db.session import open_database
from exports import api

TARGET_S = 3.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/work/benchdb/bench100k.sqlite")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.sqlite"
    shutil.copy(args.db, path)
    database = open_database(str(path))
    runs: dict[str, list[float]] = {"document 2021H1–H2": [], "one half-year 2021H2": []}
    for _ in range(args.repeat + 1):  # the first run warms caches and is not counted
        t = time.perf_counter()
        api.export_report(database, Period.half_of(2021, 1), folder / "doc.pdf",
                          last=Period.half_of(2021, 2))
        runs["document 2021H1–H2"].append(time.perf_counter() - t)
        t = time.perf_counter()
        api.export_report(database, Period.half_of(2021, 2), folder / "h2.pdf")
        runs["one half-year 2021H2"].append(time.perf_counter() - t)
    database.close()
    for name, values in runs.items():
        print(f"{name:24s} median {statistics.median(values[1:]):.2f} s (warm)")
    doc = statistics.median(runs["document 2021H1–H2"][1:])
    print(f"target {TARGET_S:.0f} s: {'OK' if doc < TARGET_S else 'OVER TARGET'}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
