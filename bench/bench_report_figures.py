"""Time one year's report figures (db.queries.report_figures) at 1,000,000 records.

    nice -n 19 uv run python bench/bench_report_figures.py [--db /work/benchdb/v8/bench1m.sqlite]
        [--year 2021] [--repeat 7] [--in-place]

Target (issue 13 point 5): one year's report figures at 1M in under 200 ms. The reference, in
the same run: the very SQL statements Dure ran (caught on the engine), run again with the
standard library's sqlite3 on its own connection (with the page cache Dure's connections
have: its `PRAGMA cache_size`), every row fetched: the floor of reading what the report needs
with those statements. Figures are this process's CPU time (best and
median of `--repeat` warm runs; wall beside it, and the load average, since the machine is
shared). The database is copied first (opening migrates an older schema) unless --in-place.

Three lines are measured against the target, each beside its own sqlite3 reference:
- the report's *figures*: counts, sums and the small grouped tables (the yearly tables,
  per-kind summaries, budgets, cohort, festivals …): what the issue calls the grouped queries;
- its *listing rows*: the parts that list every record of the period (the startup teams'
  consulting rounds, courses with their dates, sales events with schedules and participants,
  notices, notes, videos, the roster …), 43,771 rows for 2021 at 1M;
- the whole report_figures call (both, as the report document asks for them).
Each group is timed as one run of its parts in a row (not a sum of per-part bests); the
slowest parts are listed after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event
from sqlalchemy.orm import Session

from db import queries as q
from db.periods import Period
from db.queries.common import paused_gc
from db.session import open_database
from db.settings import load_settings

TARGET_MS = 200.0
DETAIL, AGGREGATE = "listing rows", "figures"


def parts(period: Period) -> list[tuple[str, str, Callable[[Session], Any]]]:
    """report_figures' calls one by one (name, group, call), as report.py makes them."""
    day = period.end
    p = period
    running = Period.as_of(day)  # a whole year's running totals are its yearly cells
    again = [] if (running.start, running.end) == (p.start, p.end) else [
        ("finance_as_of", AGGREGATE, lambda s: q.finance_as_of(s, day))]
    return again + [
        ("team_rounds", DETAIL, lambda s: q.team_rounds(s, p.start.year, day)),
        ("listed_runs", DETAIL, lambda s: q.listed_runs(s, p)),
        ("course_runs", AGGREGATE, lambda s: q.course_runs(s, p)),
        ("sales_events", DETAIL, lambda s: q.sales_events(s, p)),
        ("roster", DETAIL, lambda s: q.roster(s, day, load_settings(s).warn_days)),
        ("promotion_notices", DETAIL, lambda s: q.promotion_notices(s, p)),
        ("report_notes", DETAIL, lambda s: q.report_notes(s, p)),
        ("videos", DETAIL, lambda s: q.videos(s, p)),
        ("publications", DETAIL, lambda s: q.publications(s, p)),
        ("tenant_calls", DETAIL, lambda s: q.tenant_calls(s, p)),
        ("designation_applications", DETAIL, lambda s: q.designation_applications(s, p)),
        ("startup_yearly", AGGREGATE, lambda s: q.startup_yearly(s, [p])),
        ("cohort_progress", AGGREGATE, lambda s: q.cohort_progress(s, p.start.year, day)),
        ("sales_yearly", AGGREGATE, lambda s: q.sales_yearly(s, [p])),
        ("finance_yearly", AGGREGATE, lambda s: q.finance_yearly(s, [p])),
        ("finance_budget", AGGREGATE, lambda s: q.finance_budget(s, p.end.year + 1)),
        ("space_milestones", AGGREGATE, lambda s: q.space_milestones(s, [p])),
        ("academy_summary", AGGREGATE, lambda s: q.academy_summary(s, p)),
        ("consulting_summary", AGGREGATE, lambda s: q.consulting_summary(s, p)),
        ("social_service_projects", AGGREGATE, lambda s: q.social_service_projects(s, p)),
        ("festivals", AGGREGATE, lambda s: q.festivals(s, p)),
        ("facility_projects", AGGREGATE, lambda s: q.facility_projects(s, p)),
        ("purchasing_results", AGGREGATE, lambda s: q.purchasing_results(s, p)),
        ("participation_counts", AGGREGATE, lambda s: q.participation_counts(s, p)),
        ("period_labels", AGGREGATE, lambda s: q.period_labels(s)),
        ("budget_table", AGGREGATE, lambda s: q.budget_table(s, "투자계획")),
        ("secured_executed", AGGREGATE, lambda s: q.secured_executed(s)),
    ]


def timed(call: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of `repeat` runs of call()."""
    cpu, wall = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        call()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return cpu, wall


def ms(values: list[float]) -> str:
    """'best 123 (median 130)' in milliseconds."""
    return f"best {min(values) * 1000:4.0f} (median {statistics.median(values) * 1000:4.0f})"


def load() -> str:
    """The load averages (1, 5, 15 minutes), as `uptime` prints them."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/work/benchdb/v8/bench1m.sqlite")
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--in-place", action="store_true",
                    help="open --db itself (a copy of yours already at the newest schema)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = Path(args.db)
    if not args.in_place:
        path = folder / "bench.sqlite"
        shutil.copy(args.db, path)  # opening migrates an older schema: never the shared file
    started = time.perf_counter()
    database = open_database(str(path))
    opened = time.perf_counter() - started
    load_before = load()
    year = Period.year_of(args.year)
    todo = parts(year)
    caught: list[tuple[str, object]] = []

    def grab(_conn, _cur, statement, params, _ctx, _many):
        caught.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", grab)
    with database.session() as s:  # the first run warms the caches and is not counted
        q.report_figures(s, year)
    statements = list(caught)
    by_part: dict[str, list[tuple[str, object]]] = {}
    with database.session() as s:
        for name, _group, call in todo:
            caught.clear()
            with paused_gc():
                call(s)
            by_part[name] = list(caught)
    event.remove(database.engine, "before_cursor_execute", grab)
    with database.engine.connect() as c:  # after the listener: not one of the report's
        cache_size = int(c.exec_driver_sql("PRAGMA cache_size").scalar_one())

    def whole() -> None:
        with database.session() as s:
            q.report_figures(s, year)

    def group_run(group: str) -> Callable[[], None]:
        calls = [call for _n, g, call in todo if g == group]

        def run() -> None:
            with database.session() as s, paused_gc():
                for call in calls:
                    call(s)
        return run

    dure = {"whole": timed(whole, args.repeat)}
    for group in (AGGREGATE, DETAIL):
        dure[group] = timed(group_run(group), args.repeat)
    part_cpu: dict[str, float] = {}
    for name, _group, call in todo:
        def one(call: Callable[[Session], Any] = call) -> None:
            with database.session() as s, paused_gc():
                call(s)
        part_cpu[name] = min(timed(one, args.repeat)[0])
    database.close()

    con = sqlite3.connect(path)
    con.execute(f"PRAGMA cache_size={cache_size}")  # the same page cache as Dure's
    fetched: dict[str, int] = {}

    def run(name: str, todo: list[tuple[str, object]]) -> None:
        fetched[name] = sum(len(con.execute(sql, params).fetchall()) for sql, params in todo)

    run("all", statements)  # warm
    ref = {"whole": timed(lambda: run("all", statements), args.repeat)}
    for group in (AGGREGATE, DETAIL):
        mine = [st for n, g, _c in todo if g == group for st in by_part[n]]
        ref[group] = timed(lambda g=group, m=mine: run(g, m), args.repeat)
    ref_part = {name: min(timed(lambda n=name, t=todo_: run(n, t), args.repeat)[0])
                for name, todo_ in by_part.items()}
    con.close()

    print(f"{Path(args.db).name} at {path} (opened in {opened:.1f} s), "
          f"{dt.datetime.now(dt.UTC):%H:%M} UTC, load {load_before} before, {load()} after")
    print(f"report_figures {args.year}, ms CPU over {args.repeat} warm runs "
          f"(target < {TARGET_MS:.0f} ms); the reference is sqlite3 running the same statements"
          f" (cache_size {cache_size} on both)")
    lines = [
        (AGGREGATE, "figures (counts, sums, grouped tables)", AGGREGATE),
        (DETAIL, "listing rows (every record listed)", DETAIL),
        ("whole", "whole report_figures", "all"),
    ]
    for key, label, rows_key in lines:
        names = [n for n, g, _c in todo if g == key] if key != "whole" else list(by_part)
        n_statements = (len(statements) if key == "whole"
                        else sum(len(by_part[n]) for n in names))
        best = min(dure[key][0]) * 1000
        floor = min(ref[key][0]) * 1000
        print(f"  {label}: {n_statements} statements, {fetched[rows_key]:,} rows")
        print(f"      Dure {ms(dure[key][0])}   sqlite3 {ms(ref[key][0])}   {best / floor:.2f}x"
              f"   wall best {min(dure[key][1]) * 1000:.0f} / {min(ref[key][1]) * 1000:.0f}"
              f"   < {TARGET_MS:.0f} ms: {'met' if best < TARGET_MS else 'NOT met'}"
              + ("" if floor < TARGET_MS else " (the sqlite3 floor alone is over)"))
    print("  slowest parts, each called alone (best ms CPU):")
    for name in sorted(part_cpu, key=part_cpu.get, reverse=True)[:8]:  # type: ignore[arg-type]
        print(f"    {name:24s} Dure {part_cpu[name] * 1000:6.1f}   "
              f"sqlite3 {ref_part[name] * 1000:6.1f}   ({fetched[name]:,} rows, "
              f"{len(by_part[name])} statements)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
