"""Desk lists at 100,000 and 1,000,000 records: the lazy list model against its floor.

    uv run python bench/bench_lists.py [DB ...]   (default: /work/benchdb/bench100k.sqlite)

In one process, on the real widgets: every area tab opened (the slowest is "the largest list
shown"), then on the longest list a search keystroke (typing a name letter by letter, and a
초성 search), a column filter, a year filter and three sorts, each with the 합계 row updated,
and the process's peak memory; while the longest list's search index and sort orders are
read on their thread, the window's longest wait (its loop turning every 2 ms: a turn waits
while the thread holds Python's lock in one long C call). Beside each figure, a reference
measured in the same run (for that wait, the loop's median turn):
sqlite3 fetching the same ids in the same order, `list.sort` on the same keys, and an SQL
LIKE search over the same columns (what searching in the database would cost).

Each figure is wall time and, in brackets, the CPU time of the GUI thread in it (what the
window itself spent; on a shared machine the wall time also holds waiting for a core). The
search index and the sort orders are read on a thread after a long list is shown: the bench
waits for them (and says how long) before typing and sorting.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

DEFAULT_DB = Path("/work/benchdb/v8/bench100k.sqlite")
TARGETS = {"largest_list": 0.3, "keystroke": 0.05, "sort": 0.05, "filter": 0.05,
           "peak_mb": 300, "stall": 0.1}  # stall: bench_gui's and bench_stalls' target


def _waited() -> float:
    """Seconds the calling thread has spent runnable but waiting for a core (Linux's
    schedstat; 0 elsewhere)."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Clock:
    """Wall time and the calling thread's CPU time of one step; also where the rest of the
    wall time went: waiting for a core (`queued`), and the CPU of the process's other threads
    (`others`: the list thread holds Python's lock while it runs Python)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()
        self.queued, self.others = _waited(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.thread_time() - self.cpu
        self.queued = _waited() - self.queued
        self.others = max(0.0, time.process_time() - self.others - self.cpu)


def _best(fn, n: int = 3) -> float:
    out = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def references(path: Path, table: str, sort_col: str, like_col: str) -> dict[str, float]:
    """The floor: raw sqlite3 reads of the same ids and keys, list.sort, an SQL LIKE."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ids = _best(lambda: con.execute(
        f"SELECT id FROM {table} ORDER BY {sort_col} DESC, id").fetchall())
    keys = [r[0] for r in con.execute(f"SELECT {sort_col} FROM {table}")]
    sort = _best(lambda: sorted(keys))
    like = _best(lambda: con.execute(
        f"SELECT id FROM {table} WHERE {like_col} LIKE '%마을%'").fetchall())
    con.close()
    return {"ids": ids, "sort": sort, "like": like}


def _open(path: Path):
    """The shared database read-only; one of an older schema through an upgraded copy."""
    import shutil

    from db.errors import DatabaseError
    from db.session import open_database, sqlite_backup

    try:
        return open_database(path, read_only=True)
    except DatabaseError:
        copy = Path(tempfile.gettempdir()) / f"dure-bench-lists-{path.name}"
        if not copy.exists() or copy.stat().st_mtime < path.stat().st_mtime:
            copy.unlink(missing_ok=True)
            sqlite_backup(path, copy)
            open_database(copy).close()  # migrate the copy once
        shutil.os.utime(copy)
        return open_database(copy, read_only=True)


def measure(path: Path) -> None:
    from PySide6.QtCore import Qt

    from gui.app import make_app

    os.environ["DURE_DATA_DIR"] = tempfile.mkdtemp(prefix="dure-bench-data-")
    app = make_app()
    from gui.main_window import AREAS, MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    db = _open(path)
    app.processEvents()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.open_database(db)
    app.processEvents()
    opened: list[tuple[Clock, str, object]] = []
    for key, _label in AREAS:
        tab = window.area_tab(key)
        for i in range(len(tab.specs)):
            with Clock() as c:  # a page is built as its inner tab first shows: timed too
                window.tabs.setCurrentWidget(tab)
                page = tab.show_page(i)
                page.ensure_loaded()
                app.processEvents()  # painted: the rows on screen fetched
            opened.append((c, f"{key}/{page.spec.table}", page))
    took, name, page = max(opened, key=lambda o: o[2].model.total_count())  # type: ignore
    slowest = max(opened, key=lambda o: o[0].wall)
    window.tabs.setCurrentWidget(window.area_tab(name.split("/")[0]))
    tab = window.area_tab(name.split("/")[0])
    tab.show_page(tab.specs.index(page.spec))
    app.processEvents()
    model = page.model
    rows = model.total_count()
    turns: list[float] = []  # the window's turns while the list thread reads (its stalls)
    ready(app, model, turns=turns)
    with Clock() as reload_c:
        page.refresh()  # the list again, as after a save elsewhere (ids, count, totals)
        app.processEvents()
    # the search index and sort orders: read on a thread after the show; wait, then type
    t = time.perf_counter()
    ready(app, model)
    index_s = time.perf_counter() - t
    strokes = []
    for text in ("마", "마을", "마을숲", "", "ㅁㅇ", "ㅁㅇㅅ", ""):
        with Clock() as c:
            page.search.setText(text)
            app.processEvents()
        strokes.append(c)
    # a search shows its first matches and places the rest of them once idle: that cost too
    page.search.setText("마")
    app.processEvents()
    with Clock() as rest:
        placed = len(model.shown_ids())
    page.search.setText("")
    app.processEvents()
    combos = list(page.filters.values())
    filters: list[Clock] = []
    if combos:
        for i in (1, 2, 0):
            with Clock() as c:
                combos[0].setCurrentIndex(i)
                app.processEvents()
            filters.append(c)
    # a keystroke with a column filter on (the 합계 row follows both)
    filtered: list[Clock] = []
    if combos:
        combos[0].setCurrentIndex(1)
        app.processEvents()
        for text in ("마", "마을", "마을숲", "", "ㅁㅇ", "ㅁㅇㅅ", ""):
            with Clock() as c:
                page.search.setText(text)
                app.processEvents()
            filtered.append(c)
        combos[0].setCurrentIndex(0)
        app.processEvents()
    years: list[Clock] = []
    if page.period.count() > 1:
        for i in (1, 0):
            with Clock() as c:
                page.period.setCurrentIndex(i)
                app.processEvents()
            years.append(c)
    t = time.perf_counter()
    ready(app, model)
    index_s += time.perf_counter() - t
    held = len({k for k, _d in model._orders})
    sorts = []
    sort_col = next(i for i, f in enumerate(model.fields) if f.kind in ("date", "text", "org"))
    other = next(i for i, f in enumerate(model.fields) if i != sort_col and f.kind != "bool")
    for col, order in ((sort_col, Qt.SortOrder.AscendingOrder),
                       (other, Qt.SortOrder.DescendingOrder),
                       (sort_col, Qt.SortOrder.DescendingOrder)):
        with Clock() as c:
            page.view.sortByColumn(col, order)
            app.processEvents()
        sorts.append(c)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spec = page.spec
    date_col = spec.period or model.fields[sort_col].key
    text_col = next(k for k in spec.search_keys() if model.listing.model.__table__.c[k].type
                    .__class__.__name__ in ("String", "VARCHAR", "Text"))
    ref = references(path, spec.table, date_col, text_col)
    window.close()
    db.close()
    load = os.getloadavg()[0]
    print(f"Dure lists on {path.name} (load average {load:.1f} on {os.cpu_count()} cores; "
          f"figures: wall [GUI thread CPU])")
    print(f"  longest list: {name} ({rows:,} rows); slowest tab: {slowest[1]} "
          f"{slowest[0].wall * 1000:.0f} [{slowest[0].cpu * 1000:.0f}] ms")
    ids_ref = f"sqlite3 reading its ids in order {ref['ids'] * 1000:.0f} ms"
    report("longest list shown (first open)", took, TARGETS["largest_list"], ids_ref)
    report("longest list reloaded (refresh)", reload_c, TARGETS["largest_list"], ids_ref)
    if turns:
        report("longest wait of the window while they are read", max(turns),
               TARGETS["stall"], f"its median turn {statistics.median(turns) * 1000:.0f} ms "
               f"(a 2 ms sleep and the events), {len(turns):,} turns in "
               f"{sum(turns):.1f} s")
    print(f"  (search index and sort orders read on a thread after the show; waited "
          f"{index_s:.2f} s for them; sort orders held at the sorts: {held} of "
          f"{len(model.fields)} columns, the others sorted in SQL)")
    worst = max(strokes, key=lambda c: c.wall)
    report("search keystroke (worst of 7)", worst, TARGETS["keystroke"],
           f"SQL LIKE '%마을%' {ref['like'] * 1000:.0f} ms")
    print("    each keystroke: " + ", ".join(_ms(c) for c in strokes) + " ms")
    print(f"    (placing the rest of the {placed:,} matches of '마' in list order, done once "
          f"the window is idle or a row beyond the first screen is asked: {_ms(rest)} ms)")
    if filters:
        report("column filter + 합계 (worst of 3)", max(filters, key=lambda c: c.wall),
               TARGETS["filter"], ids_ref)
        report("keystroke, filter on + 합계 (worst)", max(filtered, key=lambda c: c.wall),
               TARGETS["keystroke"], f"SQL LIKE '%마을%' {ref['like'] * 1000:.0f} ms")
        print(f"    filter '{combos[0].itemText(1)}', each keystroke: "
              + ", ".join(_ms(c) for c in filtered) + " ms")
    if years:
        report("year filter + 합계 (worst of 2)", max(years, key=lambda c: c.wall),
               TARGETS["filter"], ids_ref)
    print("    each sort: " + ", ".join(
        f"{model.fields[c].label} {_ms(s)}" for (c, _o), s in zip(
            ((sort_col, 0), (other, 1), (sort_col, 1)), sorts, strict=False)) + " ms")
    report("sort (worst of 3)", max(sorts, key=lambda c: c.wall), TARGETS["sort"],
           f"list.sort on the same keys {ref['sort'] * 1000:.0f} ms, "
           f"sqlite3 sorted ids {ref['ids'] * 1000:.0f} ms")
    report("peak memory (whole window, every tab)", peak, TARGETS["peak_mb"],
           f"the same process before opening the database {before_mb:.0f} MB", unit="MB")
    print(f"  (load average {os.getloadavg()[0]:.1f} at the end)")


def ready(app, model, limit: float = 240.0, turns: list[float] | None = None) -> None:
    """Wait until a long list's thread has read its search index, every sort order and
    each id's row in the base. With `turns`, the window's loop turns every 2 ms and notes
    how long each took (a turn waits while another thread holds Python's lock)."""
    from gui.widgets.table_model import BACKGROUND_INDEX

    keys = {f.key for f in model.fields}
    t = last = time.perf_counter()
    while time.perf_counter() - t < limit and (
            model._index is None or {k for k, _d in model._orders} != keys
            or len(model._base) < model.rowCount()
            or not (model._base_len < BACKGROUND_INDEX  # each id's row in the base
                    or any(b is model._base for b, _r in model._ranks))):
        app.processEvents()
        time.sleep(0.01 if turns is None else 0.002)
        if turns is not None:
            now = time.perf_counter()
            turns.append(now - last)
            last = now


def _ms(c: Clock) -> str:
    return f"{c.wall * 1000:.0f} [{c.cpu * 1000:.0f}]"


def _spent(c: Clock) -> str:
    """Where a step's wall time went beside the window's own CPU."""
    rest = c.wall - c.cpu - c.queued
    return (f"waiting for a core {c.queued * 1000:.0f} ms, other threads' CPU "
            f"{c.others * 1000:.0f} ms, the rest (Python's lock, idle) {rest * 1000:.0f} ms")


def report(name: str, value: Clock | float, target: float, reference: str,
           unit: str = "s") -> None:
    wall = value.wall if isinstance(value, Clock) else value
    ok = "OK  " if wall <= target else "MISS"
    if unit == "s":
        shown = f"{wall * 1000:7.0f} ms"
        if isinstance(value, Clock):
            cpu_ok = "OK" if value.cpu <= target else "MISS"
            shown += f" [{value.cpu * 1000:5.0f} ms CPU: {cpu_ok:<4}]"
    else:
        shown = f"{wall:7.0f} MB"
    goal = f"{target * 1000:.0f} ms" if unit == "s" else f"{target:.0f} MB"
    extra = f"; reference: {reference}" if reference else ""
    print(f"  {ok} {name:<38}{shown}   (target {goal}{extra})")
    if isinstance(value, Clock):
        print(f"       {'':<38}(of the wall time: {_spent(value)})")


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:]] or [DEFAULT_DB]
    for p in paths:
        if not p.exists():
            print(f"{p} is missing: make it with bench/generate.py {p} --records N")
            continue
        measure(p)


if __name__ == "__main__":
    main()
