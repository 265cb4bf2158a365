"""The window's longest stall while a worker thread builds report figures (gui/collector.py).

    nice -n 5 uv run python bench/bench_stalls.py [--db /work/benchdb/v8/bench1m.sqlite]
        [--year 2021] [--rounds 4]

Each mode runs in a process of its own (a copy of --db; opening migrates an older schema):
a 5 ms QTimer on the window's thread notes every gap between its ticks while a worker thread
builds one year's report figures `--rounds` times (db.queries.report_figures, as an export
does), then lets go of 200,000 small lists (transient objects, no cycles). Printed: the five
longest gaps, the collections of cycles on each thread (gc.callbacks), peak memory.

- desk: as in Dure, cycles collected on the window's thread by gui.collector;
- reference: Python's own collector in the same run, which collects on whichever thread
  allocates (here mostly the worker, holding Python's lock while it walks the heap).

Target: no gap over 100 ms (the start-up stall target of bench_gui.py).
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 100.0
TICK_MS = 5


def measure(path: str, year: int, rounds: int, desk: bool) -> dict:
    """One mode in this process: the gaps (ms, longest last), collections by thread, peak MB."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from db import queries as q
    from db.periods import Period
    from db.session import open_database
    from gui import collector

    database = open_database(path)
    period = Period.year_of(year)
    with database.session() as s:
        q.report_figures(s, period)  # warm: the caches and the statements compiled
    if desk:
        collector.install(app)
    by_thread: collections.Counter[str] = collections.Counter()

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            by_thread[threading.current_thread().name] += 1

    gc.callbacks.append(note)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    done = threading.Event()

    def work() -> None:
        for _ in range(rounds):
            with database.session() as s:
                q.report_figures(s, period)
            transient = [[i] for i in range(200_000)]
            del transient
        done.set()

    worker = threading.Thread(target=work, name="export")
    worker.start()
    while not done.is_set():
        app.processEvents()
        time.sleep(0.001)
    worker.join()
    end = time.perf_counter() + 1.0  # a second more: the collections the work left due
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    gc.callbacks.remove(note)
    database.close()
    return {"gaps": sorted(g * 1000 for g in gaps)[-5:], "by_thread": dict(by_thread),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/work/benchdb/v8/bench1m.sqlite")
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--mode", choices=("desk", "reference"), help=argparse.SUPPRESS)
    ap.add_argument("--copy", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:  # a child: one mode, its figures as JSON
        print(json.dumps(measure(args.copy, args.year, args.rounds, args.mode == "desk")))
        return
    folder = Path(tempfile.mkdtemp(prefix="dure-bench-stalls-"))
    copy = folder / "bench.sqlite"
    shutil.copy(args.db, copy)
    env = dict(os.environ, DURE_DATA_DIR=str(folder / "data"))
    results = {}
    for mode in ("desk", "reference"):
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--copy", str(copy),
                              "--year", str(args.year), "--rounds", str(args.rounds)],
                             env=env, capture_output=True, text=True, check=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    shutil.rmtree(folder, ignore_errors=True)
    print(f"{Path(args.db).name}: a worker builds {args.year}'s report figures {args.rounds} "
          f"times; the window's {TICK_MS} ms timer's longest gaps (load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for mode, label in (("desk", "Dure (cycles collected on the window's thread)"),
                        ("reference", "reference: Python's own collector")):
        r = results[mode]
        worst = r["gaps"][-1]
        verdict = "OK  " if worst <= TARGET_MS else "MISS"
        if mode == "reference":
            verdict = "    "
        print(f"  {verdict} {label}: longest gaps {', '.join(f'{g:.0f}' for g in r['gaps'])} "
              f"ms (target {TARGET_MS:.0f}); collections by thread {r['by_thread']}; "
              f"peak {r['peak_mb']} MB")


if __name__ == "__main__":
    main()
