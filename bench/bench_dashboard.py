"""Benchmark: the 현황 tab on the synthetic 100,000-record database.

    uv run python bench/bench_dashboard.py [--db FILE] [--today 2022-06-30]

Prints the time of each dashboard query (due items, key figures, chart bars), the whole
background load, the GUI filling once data arrives, and the cost of importing the module
(the dashboard is the first tab, so its import counts towards the window's start).
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

    from db.queries.dashboard import due_items, key_figures, yearly_bars
    from db.session import open_database

    database = open_database(path)
    with database.session() as s:
        for label, fn in (("due_items", lambda: due_items(s, today, 90)),
                          ("key_figures", lambda: key_figures(s, today)),
                          ("yearly_bars", lambda: yearly_bars(s, today))):
            t0 = time.perf_counter()
            result = fn()
            print(f"  {label:<40} {ms(time.perf_counter() - t0)}  ({len(result)} rows)")

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
