"""The desk window: dashboard + one tab per program area, menus, status bar, remembered layout.

The window is built and shown before SQLAlchemy is imported; `open_database()` then builds the
area tabs (cheap placeholders) and each tab loads its rows the first time it is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

from db import registry
from gui.menus import FileMenu, fill_export_menu, install_menus, install_shortcuts
from gui.translations import install_translations
from gui.window_store import settings_store as settings_store

# (key, label) of every area tab, in report order, from the registry (no SQLAlchemy in it, so
# the window shows its tabs before SQLAlchemy is imported).
AREAS = tuple((a.key, a.label) for a in registry.AREAS)


STATUS_MS = 8000  # how long a status-bar message stays


class Placeholder(QLabel):
    """An area tab not built yet (built when first shown)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        # Centred by a style property, not Qt.AlignmentFlag: the first use of the Qt namespace
        # builds its hundred Python enums (20 ms), which the window need not wait for.
        self.setStyleSheet("qproperty-alignment: AlignCenter;")


class MainWindow(QMainWindow):
    """Tabs, menus and the status bar; the database arrives later through `open_database`."""

    data_shown = Signal()  # the current tab has its data on screen (benchmarks listen)

    def __init__(self, defer_shortcuts: bool = False) -> None:
        """`defer_shortcuts`: the menus get their shortcuts from `install_shortcuts()` (the
        start calls it once the window is on screen; gui.menus.set_shortcut says why)."""
        super().__init__()
        install_translations(cast(QApplication, QApplication.instance()))  # Korean Qt dialogs
        self.pending_shortcuts: list[Any] | None = [] if defer_shortcuts else None
        self.database: Any = None
        self.last_target: Any = None  # what to reopen after a restore or a failed open
        self.lookups: Any = None
        self.bridge: Any = None
        self.area_tabs: dict[str, Any] = {}
        self._prepared: dict[str, Any] = {}  # built by prepare_tab, not in the tabs yet
        self._dash_ready = True
        self._dash_pending = False
        self._pending_open: tuple[str, int] | None = None  # a record asked for before the open
        self._pending_screen: Any = None  # the dashboard's figures to save once the file closes
        self.setWindowTitle("두레")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(Placeholder("데이터베이스를 여는 중…"), "현황")
        for _key, label in AREAS:
            self.tabs.addTab(Placeholder(""), label)
        self.tabs.setEnabled(False)
        self._tab_index = 0
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.file_label = QLabel(self)
        self.count_label = QLabel(self)
        self.statusBar().addWidget(self.file_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.file_menu: FileMenu = install_menus(self)
        self.resize(1280, 800)
        self._restore_geometry()

    def install_shortcuts(self) -> None:
        install_shortcuts(self)

    # ---------------------------------------------------------------- database

    def open_database(self, database: Any, show_later: bool = False) -> None:
        """Show `database`: build the tabs (data loads per tab when shown).

        `show_later`: the current tab is built by `show_current_tab()`, which the caller runs
        on a later turn of the event loop (the start's handover, in turns shorter than 50 ms).
        """
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui import live_refresh
        from gui.signals import bridge
        from gui.widgets.lookups import Lookups

        self._drop_tabs()
        self.database = database
        self.last_target = getattr(database, "url", None)
        self.lookups = Lookups(database, self)
        self.bridge = bridge()
        self.bridge.records_changed.connect(self._records_changed)
        live_refresh.attach(self, database)  # other desks' saves on a shared server
        settings = settings_store()
        index = int(cast(Any, settings.value("window/tab", 0)) or 0)
        index = index if 0 <= index < self.tabs.count() else 0
        self._dash_pending = True
        if index == 0:  # otherwise built when first shown: its worker would slow the start
            self._build_dashboard()
        self.tabs.setEnabled(True)
        self.tabs.tabBar().setEnabled(True)  # kept off while a first screen showed
        QTimer.singleShot(0, self, lambda: fill_export_menu(self))  # after the first data shows
        self.refresh_title()
        path = getattr(database, "path", None)
        self.file_label.setText(f"데이터베이스: {database.where}")
        if path is not None:
            self.file_menu.add_recent(str(path))
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        self._tab_index = index
        if not show_later:
            self.show_current_tab()

    def show_current_tab(self) -> None:
        """Build and load the tab on screen; then open a record asked for before the open."""
        self._show_tab(self.tabs.currentIndex())
        # queued after the list on screen has queued its own reads (table_model `_requery`)
        QTimer.singleShot(0, self, self._read_ahead_enterprises)
        if self._pending_open is not None:  # a due item opened while its figures were saved ones
            table, ident = self._pending_open
            self._pending_open = None
            self.open_record(table, ident)

    def _read_ahead_enterprises(self) -> None:
        """The enterprise pickers' names, read on the list thread (Lookups.read_ahead)."""
        # deferred: loads after the window shows (gui/app.py)
        from db import models as m
        from gui.widgets.table_model import database_open

        if self.database is not None and database_open(self.database):
            self.lookups.read_ahead(m.Organization)

    def _build_dashboard(self) -> None:
        self._dash_pending = False
        saved = self.tabs.widget(0)
        if getattr(saved, "shows_saved", False):  # the last session's figures (no database yet)
            self._attach_dashboard(saved)
            return
        self.tabs.blockSignals(True)
        current = self.tabs.currentIndex()
        old = cast(QWidget, self.tabs.widget(0))
        self.tabs.removeTab(0)
        self.tabs.insertTab(0, self._make_dashboard(), "현황")
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        old.deleteLater()

    def _make_dashboard(self) -> QWidget:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from db.settings import load_settings
        from gui.dashboard import DashboardTab

        with self.database.session() as s:
            fixed_today = load_settings(s).dashboard_today
        dash = DashboardTab(self.database, self, today=fixed_today)
        dash.open_record.connect(self.open_record)
        self._dash_ready = False  # it reads on a worker thread: data shows when it says so
        dash.first_shown.connect(self._dashboard_loaded)  # the chart may follow
        return dash

    def _attach_dashboard(self, dash: Any) -> None:
        """The tab of saved figures (gui/dashboard_screen.py) gets the database: the same
        widget stays (its selection and scroll too) and its own read replaces the figures."""
        self._dash_ready = True  # the saved figures are the data shown meanwhile
        dash.attach(self.database)

    def _dashboard_loaded(self) -> None:
        first = not self._dash_ready
        self._dash_ready = True
        if first and self.tabs.currentIndex() == 0:
            self.data_shown.emit()

    def _drop_tabs(self) -> None:
        if self.bridge is not None:
            self.bridge.records_changed.disconnect(self._records_changed)
            self.bridge = None
        for tab in self._prepared.values():
            tab.deleteLater()
        self._prepared.clear()
        for key, tab in list(self.area_tabs.items()):
            i = self.tabs.indexOf(tab)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, Placeholder(""), dict(AREAS)[key])
            self.tabs.blockSignals(False)
            tab.deleteLater()
        self.area_tabs.clear()

    def drop_first_screen(self) -> None:
        """The placeholder again where a first screen showed (its file did not open)."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.first_screen import FirstScreen

        for i in range(self.tabs.count()):
            shown = self.tabs.widget(i)
            if isinstance(shown, FirstScreen):
                self.tabs.blockSignals(True)
                self.tabs.removeTab(i)
                self.tabs.insertTab(i, Placeholder(""), dict(AREAS)[shown.area])
                self.tabs.setCurrentIndex(i)
                self.tabs.blockSignals(False)
                shown.deleteLater()
        self.tabs.tabBar().setEnabled(True)
        self.tabs.setEnabled(False)
        self.count_label.setText("")

    def close_database(self) -> None:
        if self.database is None:
            return
        self._save_layout()
        self._drop_tabs()
        self.database.close()
        self.database = None
        self.seal_screens()
        self.tabs.setEnabled(False)

    def reopen(self) -> None:
        """Close and open the same database again (after a restore replaced the file)."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.opening import open_with_dialogs

        target = self.last_target
        self.close_database()
        database = open_with_dialogs(self, target)
        if database is not None:
            self.open_database(database)

    def reopen_previous(self) -> None:
        """After a failed open, go back to the database that was open before."""
        if self.last_target is not None:
            self.reopen()

    def refresh_title(self) -> None:
        """'두레 — 고양시 사회적경제과 — dure.sqlite': the name once, the office when it is set."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from db.settings import load_settings

        with self.database.session() as s:
            office = load_settings(s).display_office
        parts = ["두레"] + ([office] if office != "두레" else [])
        path = getattr(self.database, "path", None)
        if path:
            parts.append(Path(path).name)
        if getattr(self.database, "read_only", False):
            parts[-1] += " (읽기 전용)"
        self.setWindowTitle(" — ".join(parts))

    # ---------------------------------------------------------------- tabs

    def area_tab(self, key: str) -> Any:
        """The built tab of an area (building it on first use)."""
        if key not in self.area_tabs:
            index = 1 + [k for k, _ in AREAS].index(key)
            tab = self._prepared.pop(key, None)
            tab = self._new_area_tab(key) if tab is None else tab
            self.tabs.blockSignals(True)
            current = self.tabs.currentIndex()
            old = cast(QWidget, self.tabs.widget(index))
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, dict(AREAS)[key])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            old.deleteLater()
            self.area_tabs[key] = tab
        return self.area_tabs[key]

    def _new_area_tab(self, key: str) -> Any:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.widgets.area_tab import AreaTab

        tab = AreaTab(key, self.database, self.lookups, self, settings=settings_store())
        tab.count_changed.connect(self._show_count)
        tab.record_saved.connect(self.tell_saved)
        return tab

    def prepare_tab(self) -> None:
        """Build the current area's tab without showing it: at the start's handover its build
        and its first read and paint (`show_current_tab`) fall in two turns of the loop."""
        index = self.tabs.currentIndex()
        if self.database is not None and index >= 1:
            key = AREAS[index - 1][0]
            if key not in self.area_tabs and key not in self._prepared:
                self._prepared[key] = self._new_area_tab(key)

    def _tab_changed(self, index: int) -> None:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.widgets.factory import commit_input

        commit_input()  # a composing syllable belongs to the tab being left
        previous: Any = self.tabs.widget(self._tab_index)  # an AreaTab or the dashboard
        if hasattr(previous, "has_unsaved") and previous.has_unsaved() \
                and not previous.resolve_unsaved():
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self._tab_index)
            self.tabs.blockSignals(False)
            return
        self._show_tab(index)

    def _show_tab(self, index: int) -> None:
        self._tab_index = index
        if self.database is None:
            return
        if index >= 1:
            tab = self.area_tab(AREAS[index - 1][0])
            tab.ensure_loaded()
        elif self._dash_pending:
            self._build_dashboard()
        self._show_count()
        if index >= 1 or self._dash_ready:
            self.data_shown.emit()

    def tell_saved(self, form: Any) -> None:
        """'저장했습니다: 기업 ‘마을숲’ (14:02)' in the status bar after every save."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        import datetime as dt

        name = form.record_title()
        what = f"{form.spec.label} ‘{name}’" if name else form.spec.label
        self.statusBar().showMessage(f"저장했습니다: {what} ({dt.datetime.now():%H:%M})",
                                     STATUS_MS)

    def current_area(self) -> Any:
        widget = self.tabs.currentWidget()
        return widget if hasattr(widget, "record_count") else None

    def _show_count(self) -> None:
        tab = self.current_area()
        self.count_label.setText(f"기록 {tab.record_count():,}건" if tab is not None else "")

    def _records_changed(self, tables: frozenset[str]) -> None:
        if self.lookups is not None:
            self.lookups.invalidate(tables)
        for tab in self.area_tabs.values():
            tab.on_records_changed(tables)
        if "setting" in tables:
            self.refresh_title()
        self._show_count()

    def open_record(self, table: str, ident: int) -> None:
        """Go to the tab and page that lists `table` and show record `ident` (dashboard links).
        Asked for before the database has opened (saved figures showing): done once it is."""
        if self.database is None:
            self._pending_open = (table, ident)
            return
        for key, _label in AREAS:
            if table in registry.area(key).listed:
                tab = self.area_tab(key)
                self.tabs.setCurrentWidget(tab)
                if self.tabs.currentWidget() is tab:
                    self.area_tabs[key].open_record(table, ident)  # (`is` narrowed tab)
                return

    # ---------------------------------------------------------------- layout memory

    def _restore_geometry(self) -> None:
        geometry = settings_store().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _save_layout(self) -> None:
        settings = settings_store()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/tab", self.tabs.currentIndex())
        for tab in self.area_tabs.values():
            tab.save_state(settings)
        settings.sync()
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.first_screen import remember

        remember(self, settings)  # how the next start reads this list before SQLAlchemy loads
        # deferred: as above
        from gui.dashboard_screen import capture

        self._pending_screen = capture(self)  # the dashboard's figures, saved by seal_screens()

    def seal_screens(self) -> None:
        """The database file has closed: save the dashboard's figures with its final state."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.dashboard_screen import seal

        screen, self._pending_screen = self._pending_screen, None
        seal(screen)

    def unsaved_ok(self) -> bool:
        """Ask about unsaved changes in every built tab; False when the user cancels."""
        if self.area_tabs:
            # deferred: loads after the window shows (start-up, gui/app.py)
            from gui.widgets.factory import commit_input

            commit_input()
        return all(t.resolve_unsaved() for t in self.area_tabs.values() if t.has_unsaved())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.unsaved_ok():
            event.ignore()
            return
        if self.database is not None:
            self._save_layout()
        if self.bridge is not None:
            self.bridge.records_changed.disconnect(self._records_changed)
            self.bridge = None
        event.accept()

