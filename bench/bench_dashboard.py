"""Benchmark: the 현황 tab on the synthetic 100,000-record database.

    uv run python bench/bench_dashboard.py [--db FILE] [--today 2022-06-30]

Prints the time of each dashboard query (due items, key figures, chart bars), the whole
background load, the GUI filling once data arrives, and the cost of importing the module
(the dashboard is the first tab, so its import counts towards the window's start).

Each query's line: its CPU, best and median of `--repeat` warm runs, beside the reference
measured in the same run: the very SQL statements it ran (caught on the engine), run again
with the standard library's sqlite3 on its own connection, every row fetched (the floor of
reading what the tab needs with those statements), and the ratio of the two bests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--today", default="2022-06-30")
    ap.add_argument("--repeat", type=int, default=7, help="warm runs of each query")
    args = ap.parse_args()
    today = dt.date.fromisoformat(args.today)
    tmp = Path(tempfile.mkdtemp(prefix="dure-bench-dash-"))
    os.environ["DURE_DATA_DIR"] = str(tmp / "data")
    path = args.db
    if path is None:
        from bench.generate import generate

        path = tmp / "big.sqlite"
        t0 = time.perf_counter()
        generate(path)
        print(f"generated 100,000 records in {time.perf_counter() - t0:.1f} s")

    code = "import time; t=time.perf_counter(); import gui.dashboard; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    print(f"  import gui.dashboard (new process)       {ms(float(out.stdout))}")

    import sqlite3

    from sqlalchemy import event

    from bench.bench_report_figures import ms as best_median
    from bench.bench_report_figures import timed
    from db.queries.dashboard import due_items, key_figures, yearly_bars
    from db.session import open_database

    database = open_database(path)
    caught: list[tuple[str, object]] = []

    def grab(_conn, _cur, statement, params, _ctx, _many):  # type: ignore[no-untyped-def]
        caught.append((statement, params))

    queries = (("due_items", lambda s: due_items(s, today, 90)),
               ("key_figures", lambda s: key_figures(s, today)),
               ("yearly_bars", lambda s: yearly_bars(s, today)))
    ran: dict[str, list[tuple[str, object]]] = {}
    with database.session() as s:
        for label, fn in queries:
            t0 = time.perf_counter()
            result = fn(s)
            print(f"  {label:<40} {ms(time.perf_counter() - t0)}  ({len(result)} rows, "
                  "the first run)")
            caught.clear()
            event.listen(database.engine, "before_cursor_execute", grab)
            fn(s)
            event.remove(database.engine, "before_cursor_execute", grab)
            ran[label] = list(caught)
        dure = {label: timed(lambda fn=fn: fn(s), args.repeat)[0] for label, fn in queries}
    con = sqlite3.connect(path)
    with database.engine.connect() as c:  # the same page cache as Dure's connections
        con.execute(f"PRAGMA cache_size={int(c.exec_driver_sql('PRAGMA cache_size').scalar())}")

    def floor(todo: list[tuple[str, object]]) -> None:
        for sql, params in todo:
            con.execute(sql, params).fetchall()  # type: ignore[arg-type]

    for label, todo in ran.items():
        floor(todo)  # warm
        ref = timed(lambda todo=todo: floor(todo), args.repeat)[0]
        print(f"  {label:<20} warm, CPU ms: Dure {best_median(dure[label])}   sqlite3 "
              f"{best_median(ref)}   {min(dure[label]) / max(min(ref), 1e-9):.2f}x   "
              f"({len(todo)} statements)")
    con.close()

    from PySide6.QtWidgets import QApplication

    from gui.dashboard import DashboardTab

    app = QApplication.instance() or QApplication([])
    tab = DashboardTab(database, today=today)
    tab.resize(1280, 760)
    done: list[float] = []
    tab.loaded.connect(lambda: done.append(time.perf_counter()))
    t0 = time.perf_counter()
    tab.show()  # starts the background load
    shown = time.perf_counter() - t0
    while not done:
        app.processEvents()
        time.sleep(0.001)
    print(f"  show() returns (GUI thread free)        {ms(shown)}")
    print(f"  show() to data on screen                {ms(done[0] - t0)}")
    data = tab.data
    assert data is not None
    t0 = time.perf_counter()
    tab._show_due(data)  # what a read's arrival fills (the chart's bars come with it here)
    tab._show_figures(data)
    tab._show_chart(data)
    print(f"  filling the widgets from loaded data    {ms(time.perf_counter() - t0)}")
    print(f"  due items: {len(tab.data.due)}, figures: {len(tab.data.figures)}, "
          f"bars: {len(tab.data.bars)}")
    from gui.workers import wait_all

    wait_all()
    database.close()


if __name__ == "__main__":
    main()
