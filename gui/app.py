"""Starting the desk: font, window shown first, then the database and the data (startup speed).

Order matters for the 0.5 s target: QApplication + the bundled font + an empty window are up
before SQLAlchemy is imported; `QTimer.singleShot(0, ...)` then opens the database, takes the
startup backup and builds the tabs; each tab reads its rows the first time it is shown.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from gui import collector
from gui.qt_features import skip_source_scan
from gui.translations import install_translations as install_translations

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
FONT_DIR = RESOURCES / "fonts"
FONT_FAMILY = "NanumGothic"
BENCH_ENV = "DURE_BENCH_OUT"  # bench/bench_gui.py: write startup marks here and quit


def load_fonts(app: QApplication) -> str | None:
    """Register the bundled NanumGothic and make it the application font (Hangul everywhere)."""
    family = None
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(FONT_DIR / name))
        if font_id >= 0 and family is None:
            families = QFontDatabase.applicationFontFamilies(font_id)
            family = families[0] if families else None
    if family:
        font = QFont(family)
        font.setPointSize(max(app.font().pointSize(), 10))
        app.setFont(font)
    return family


def install_style(app: QApplication) -> None:
    """The desk's style (gui/desk_style.py: the sort arrow the way a clerk reads it)."""
    # deferred: its Qt style classes and the first paint through it cost ~25 ms (start-up)
    from gui.desk_style import DeskStyle

    if not isinstance(app.style(), DeskStyle):
        app.setStyle(DeskStyle())


def make_app(defer_style: bool = False) -> QApplication:
    """The QApplication with the desk's name, style, Korean catalogues and font.

    `defer_style`: the caller installs the style (`install_style`) once the window is on
    screen; the first window then paints through the platform style it wraps.
    """
    os.environ.setdefault("LANG", "C.UTF-8")  # Qt warns and falls back without it (docs/facts.md)
    skip_source_scan()  # before SQLAlchemy and the tabs load (gui/qt_features.py)
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv))
    app.setApplicationName("Dure")
    # No application display name: Qt appends it to every window title, and the desk's title
    # already starts with 두레 ("두레 — 두레 — dure.sqlite — 두레" before).
    app.setOrganizationName("Dure")
    if not defer_style:
        install_style(app)
    install_translations(app)
    load_fonts(app)
    return app


class Startup(QObject):
    """The steps after the window is up, with timing marks for the benchmark.

    A QObject living on the GUI thread, so the backup job's `finished` reaches `_bench_done`
    queued here rather than directly on the worker thread. The loader thread (`load_and_open`)
    holds no reference to it: its end reaches `_open` through gui.relay.
    """

    def __init__(self, window: Any, db: Any, demo: bool) -> None:
        super().__init__()
        self.window, self.db, self.demo = window, db, demo
        self.marks: dict[str, float] = {}
        self.database: Any = None
        self.bench_out = os.environ.get(BENCH_ENV)
        self.precheck: Any = None
        self.first_screen: Any = None
        self.loader: threading.Thread | None = None
        self.forms: str | None = None
        self._opened: list[Any] = []  # the database the loader thread opened, if it did
        self.dashboard: Any = None  # the 현황 tab of saved figures (gui/dashboard_screen.py)
        self._first_tab = 0  # 0: the window opens on 현황, 1: on an area's list
        self._waiting = 0  # the benchmark ends when the backup and the real figures are in
        self.fonts: threading.Thread | None = None  # registering the PDF fonts

    def mark(self, name: str) -> None:
        self.marks[name] = time.time()
        # CPU seconds of this process so far: what a start costs without other programs
        self.marks[f"{name}_cpu"] = time.process_time()

    def run(self) -> None:
        path = None
        if not self.demo:
            # deferred: the file check starts after the window shows (start-up, gui/app.py)
            from db.safety.precheck import Precheck, plain_path

            path = plain_path(self.db)
            if path is not None:
                # deferred: saved 현황 figures, a list's first screen: after the window shows
                from gui import dashboard_screen, first_screen

                # first: the saved figures' stamp is of the file as the last session left it,
                # and the first screen's read-only connection may leave a -wal beside the file,
                # which the check's verdict must already see (precheck.verdict compares them)
                self.dashboard = dashboard_screen.show(self.window, path)
                self.first_screen = self.dashboard or first_screen.show(self.window, path)
                self.precheck = Precheck(path)  # quick_check on a thread while SQLAlchemy loads
        if path is None:  # a server (its sign-in dialog), the demo: opened here
            self._open()
            return
        if self.first_screen is not None:
            QApplication.processEvents()  # the first screen is drawn
            self._first_data()
        # SQLAlchemy, the models and the first tab's widgets load, and the file opens, on a
        # thread (the loop turns between its bytecodes: the window never freezes, even on a
        # start with nothing saved); the real tab then takes the first screen's place
        self._first_tab = self._tab_to_load()
        self.window.menuBar().setEnabled(False)  # no other file is opened meanwhile
        # deferred: the relay is made on this (the window's) thread, after the window shows
        from gui.relay import sender

        self.loader = threading.Thread(
            target=load_and_open, name="dure-preload", daemon=True,
            args=(self.forms, self._first_tab == 0, self.db, self.precheck, self._opened,
                  sender(self._open)))
        self.loader.start()

    @property
    def opened(self) -> Any:
        """The database the loader thread opened (None: not yet, or its open failed)."""
        return self._opened[0] if self._opened else None

    def _tab_to_load(self) -> int:
        """The tab the window opens on (window.ini), whose code the loader imports; its
        form specs in `forms` when it is an area's."""
        # deferred: the registry is loaded with the window (no SQLAlchemy in it)
        from db import registry
        from gui.first_screen import window_settings

        if self.dashboard is not None:
            return 0
        if self.first_screen is not None:
            area = self.first_screen.area
        else:
            index = int(window_settings().value("window/tab", 0) or 0)
            if not 1 <= index <= len(registry.AREAS):
                return 0
            area = registry.AREAS[index - 1].key
        self.forms = registry.area(area).forms
        return 1

    def _open(self) -> None:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.opening import open_with_dialogs

        database = self.opened or open_with_dialogs(self.window, self.db, demo=self.demo,
                                                    precheck=self.precheck)
        self.window.menuBar().setEnabled(True)
        if database is None:
            if self.first_screen is not None:  # no rows of a file that did not open
                self.window.drop_first_screen()
            self.window.file_label.setText("데이터베이스를 열지 못했습니다. "
                                           "파일 ▸ 열기로 다른 파일을 여세요.")
            return
        self.database = database
        if self.first_screen is None:
            self.window.data_shown.connect(self._data_shown)
            self.window.open_database(database)
        else:  # the loop turns between the open and the tab's build (two shorter stalls)
            QTimer.singleShot(0, self, self._replace_first_screen)

    def _replace_first_screen(self) -> None:
        """The handover, in turns of the event loop each well under 50 ms of the window's
        thread (the window must not visibly freeze): the database into the window; the real
        tab built (not shown); the tab in the first screen's place with its first rows read;
        then (after its paint) the backup and the fonts start."""
        if self.dashboard is not None:  # the same tab reads; its figures replace the saved ones
            self.dashboard.first_shown.connect(self._real_data)
        self.window.open_database(self.database, show_later=True)
        QTimer.singleShot(0, self, self._build_real_tab)

    def _build_real_tab(self) -> None:
        self.window.prepare_tab()
        QTimer.singleShot(0, self, self._show_real_tab)

    def _show_real_tab(self) -> None:
        self.window.show_current_tab()  # the real tab takes the first screen's place
        QTimer.singleShot(0, self, self._ready)

    def _real_data(self) -> None:
        self.dashboard.first_shown.disconnect(self._real_data)
        self.mark("real_data")

    def _data_shown(self) -> None:
        self.window.data_shown.disconnect(self._data_shown)
        QApplication.processEvents()
        self._first_data()
        self._ready()

    def _first_data(self) -> None:
        self.mark("data_shown")
        if "max_gap" in self.marks:  # from here on a gap is the window freezing
            self.marks["max_gap_to_data"], self.marks["max_gap"] = self.marks["max_gap"], 0.0
            self.marks["max_gap_own"] = self.marks["max_turn"] = 0.0

    def _ready(self) -> None:
        """The real tab is on screen: take the startup backup, register the PDF fonts."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.opening import startup_backup_in_background

        self.mark("ready")
        # The safety copy waits until the clerk sees the data and runs on a worker thread (it
        # reads the whole file); a throw-away demo database needs none.
        job = None if self.demo else startup_backup_in_background(self.window, self.database)
        # PDF fonts read once, off the UI thread, once the backup is done: reportlab's import
        # and font parsing (Python) then do not compete for Python's lock with the window
        # and the 현황 tab's own read (the longest stalls after the data came then)
        if job is None:
            self._fonts()
        else:
            job.finished.connect(self._fonts)
        if self.bench_out:
            # the benchmark closes the desk when the backup is done and the 현황 tab, if it is
            # the one open, has read everything, the next days' figures too (its close then
            # saves them)
            dash = self.window.tabs.widget(0)
            waits = [] if job is None else [job.finished]
            if self.window.tabs.currentIndex() == 0 and getattr(dash, "busy", bool)():
                waits.append(dash.idle)
            self._waiting = len(waits)
            for signal in waits:
                signal.connect(self._one_done)
            if not waits:
                self._bench_done()

    def watch_gaps(self) -> None:
        """Benchmark only: the longest time the event loop did not turn (a frozen window):
        `max_gap` (wall), `max_gap_own` (the window thread's own CPU within it; the rest is
        waiting for Python's lock or a core) and `max_turn` (its longest CPU between ticks)."""
        self.marks["max_gap"] = self.marks["max_gap_own"] = self.marks["max_turn"] = 0.0
        self._last_tick = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._ticker = QTimer()
        self._ticker.setInterval(5)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        own = cpu - self._last_cpu
        if now - self._last_tick > self.marks["max_gap"]:
            self.marks["max_gap"], self.marks["max_gap_own"] = now - self._last_tick, own
            self.marks["stall_end"] = time.time()  # when it ended (beside the other marks)
        self.marks["max_turn"] = max(self.marks["max_turn"], own)
        self._last_tick, self._last_cpu = now, cpu

    @Slot()
    def _one_done(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self._bench_done()

    @Slot()
    def _fonts(self) -> None:
        # deferred: reportlab loads after the start's own work (start-up, gui/app.py)
        from exports.fonts import register_in_background

        self.fonts = register_in_background()

    @Slot()
    def _bench_done(self) -> None:
        if "backup_done" not in self.marks:
            self.mark("backup_done")
        if self.fonts is not None and self.fonts.is_alive():  # the stalls cover them too
            QTimer.singleShot(20, self, self._bench_done)
            return
        self.mark("fonts_done")
        # deferred: only the benchmark writes its marks (start-up, gui/app.py)
        import json

        Path(str(self.bench_out)).write_text(json.dumps(self.marks))
        QTimer.singleShot(0, self.window.close)


def load_and_open(forms: str | None, dashboard: bool, target: Any, precheck: Any,
                  opened: list[Any], done: Callable[[], None]) -> None:
    """The loader thread: `preload`, then open the database off the window's thread too (its
    file checks, engine and revision check cost 60-80 ms of CPU) into `opened`, then `done()`
    (gui.relay's sender of Startup._open). It holds no Qt object (crash6: a thread that holds
    the last reference to one destroys it there). Any failure: _open opens again with its
    dialogs, which say what is wrong (a file in use, damaged, too new) as at a usual start."""
    # What the imports make (modules, classes, functions: most of the heap) lives as long as
    # the program: no collection while they load (the collector walked the growing heap again
    # and again: 17 % of the imports' CPU, ~110 ms here), then frozen out of its way, so no
    # full collection walks it again while holding Python's lock (a stall of the window:
    # 200-300 ms at 1M records). Garbage already there at the freeze stays: a one-off.
    was = gc.isenabled()  # off in the desk: its window's thread collects (gui/collector.py)
    gc.disable()
    try:
        try:
            preload(forms, dashboard=dashboard)
        finally:
            gc.freeze()
            if was:
                gc.enable()
        # deferred: imported by preload just above
        from db.session import open_database

        opened.append(open_database(target, precheck=precheck))
    except Exception:  # noqa: BLE001 - the window's own open reports it
        pass
    finally:
        done()


def preload(forms: str | None, dashboard: bool = False) -> None:
    """Import what opening the database and building the first tab need (on a thread, while
    the first screen shows): SQLAlchemy, the models with their mappers configured, the
    opening dialogs, the tab's widgets and form specs (`dashboard`: the 현황 tab's queries
    instead; an area's widgets then load when its tab is first opened). Nothing here touches
    a widget."""
    # deferred: this is the import of SQLAlchemy the first screen does not wait for
    import gui.opening  # noqa: F401  (db.session, db.models, SQLAlchemy)
    from db.models import load_area_models

    load_area_models()
    # deferred: as above
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    for name in ("db.settings", "gui.live_refresh", "gui.signals", "gui.widgets.lookups",
                 "gui.export_dialog"):  # the export menu, filled just after the open
        importlib.import_module(name)
    if dashboard:
        importlib.import_module("db.queries.dashboard")
        return
    for name in ("gui.widgets.factory", "gui.widgets.area_tab"):
        importlib.import_module(name)
    # A QObject made at import time belongs to this thread: the editors' input-method filter
    # goes to the GUI thread, whose widgets it watches (tests/test_first_screen.py checks
    # that no QObject is left here).
    # deferred: imported just above
    from gui.widgets.factory import PREEDIT

    app = QApplication.instance()
    assert app is not None
    PREEDIT.moveToThread(app.thread())
    if forms is not None:
        importlib.import_module(forms)  # the first tab's specs (and the models they resolve)


def quit_on_signals(app: QApplication) -> Any:
    """Let SIGTERM/SIGINT end the event loop normally so the database lock file is removed.

    Python runs signal handlers only between bytecodes, and Qt's loop is C++: a short timer
    gives the interpreter a turn. Returns a function that puts the previous handlers back.
    """
    # deferred: the signal module builds its enums (3 ms); after the window shows (start-up)
    import signal

    wanted = [s for s in (signal.SIGTERM, signal.SIGINT) if s is not None]
    previous = {s: signal.getsignal(s) for s in wanted}

    def stop(signum: int, _frame: Any) -> None:
        app.exit(128 + signum)  # no unsaved-changes question: nobody is there to answer it

    for s in wanted:
        signal.signal(s, stop)
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(200)

    def restore() -> None:
        tick.stop()
        tick.deleteLater()
        for s, handler in previous.items():
            signal.signal(s, handler)

    return restore


def run_gui(db: Any = None, demo: bool = False) -> int:
    """Open the desk window on `db` (path, URL, Database or None = default) or the demo data."""
    app = make_app(defer_style=True)
    # before any other thread runs Python: cycles holding Qt objects are freed on this one
    collecting = collector.install(app)
    # deferred: loads after the window shows (start-up, gui/app.py)
    from gui.main_window import MainWindow

    window = MainWindow(defer_shortcuts=True)
    startup = Startup(window, db, demo)
    window.show()
    app.processEvents()
    startup.mark("window_shown")
    window.install_shortcuts()  # Ctrl+O, Ctrl+P, F1 …: the Qt enums they build cost 20 ms
    install_style(app)
    # deferred: it uses the Qt namespace (its enums cost 20 ms): after the window shows
    from gui.crash_dialog import install_crash_handler

    crashes = install_crash_handler(window)  # Korean dialog + dure.log, not a silent exit
    if startup.bench_out:
        startup.watch_gaps()
    QTimer.singleShot(0, startup.run)
    restore_signals = quit_on_signals(app)
    try:
        code = app.exec()
    finally:
        if startup.loader is not None:
            startup.loader.join()  # its imports finish before this thread imports anything
            if startup.opened is not None and startup.opened is not window.database:
                startup.opened.close()  # the loop ended before the open arrived: free the lock
        restore_signals()
        crashes.uninstall()
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.workers import cancel_all, wait_all

        cancel_all()  # a signal can end the loop while the dashboard still loads: a live
        wait_all()  # QThread destroyed with the window aborts the process and keeps the lock
        if window.database is not None:
            window.database.close()
            window.seal_screens()  # the 현황 figures saved with the closed file's state
        collecting.stop()
    return code
