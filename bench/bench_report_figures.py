"""Time one year's report figures (db.queries.report_figures) at 1,000,000 records.

    nice -n 19 uv run python bench/bench_report_figures.py [--db /work/benchdb/v8/bench1m.sqlite]
        [--year 2021] [--repeat 5]

Target (issue 13 point 5): under 200 ms. The reference, in the same run: the very SQL
statements the figures ran (caught on the engine), run again with the standard library's
sqlite3 on its own connection, every row fetched — the floor of reading what the report
needs. Figures are this process's CPU time (best of `--repeat` warm runs, wall beside it):
the machine is shared, so wall time says more about the other sessions than about Dure.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from db import queries as q
from db.periods import Period
from db.session import open_database

TARGET_MS = 200.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/work/benchdb/v8/bench1m.sqlite")
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.sqlite"
    shutil.copy(args.db, path)  # opening migrates an older schema: never the shared file
    database = open_database(str(path))
    year = Period.year_of(args.year)
    statements: list[tuple[str, object]] = []

    def grab(_conn, _cur, statement, params, _ctx, _many):
        statements.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", grab)
    with database.session() as s:  # the first run warms the caches and is not counted
        q.report_figures(s, year)
    event.remove(database.engine, "before_cursor_execute", grab)
    dure_cpu, dure_wall = [], []
    for _ in range(args.repeat):
        with database.session() as s:
            t, c = time.perf_counter(), time.process_time()
            q.report_figures(s, year)
            dure_cpu.append(time.process_time() - c)
            dure_wall.append(time.perf_counter() - t)
    database.close()
    con = sqlite3.connect(path)
    ref_cpu, ref_wall, rows = [], [], 0
    for _ in range(args.repeat + 1):
        t, c = time.perf_counter(), time.process_time()
        rows = sum(len(con.execute(sql, params).fetchall()) for sql, params in statements)
        ref_cpu.append(time.process_time() - c)
        ref_wall.append(time.perf_counter() - t)
    con.close()
    ref_cpu, ref_wall = ref_cpu[1:], ref_wall[1:]
    d, r = min(dure_cpu) * 1000, min(ref_cpu) * 1000
    print(f"report_figures {args.year}: best {d:.0f} ms CPU "
          f"(median {statistics.median(dure_cpu) * 1000:.0f}), "
          f"wall best {min(dure_wall) * 1000:.0f} ms")
    print(f"reference, sqlite3 running the same {len(statements)} statements ({rows:,} rows): "
          f"best {r:.0f} ms CPU (median {statistics.median(ref_cpu) * 1000:.0f}), "
          f"wall best {min(ref_wall) * 1000:.0f} ms")
    verdict = "OK" if d < TARGET_MS else "OVER TARGET"
    print(f"target < {TARGET_MS:.0f} ms: {verdict}; Dure / sqlite3 floor {d / r:.2f}x"
          + ("" if r < TARGET_MS else " (the floor alone is over the target)"))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
