"""현황 tab: what falls due soon, this year's figures beside last year's, a yearly chart.

Data is read on a worker thread (gui.workers) so the first tab never delays the window;
`refresh()` may be called as often as records change: calls made while a load runs are
merged into one more load. This module imports no SQLAlchemy (the queries load with the
first read): at a start, the last session's figures (gui/dashboard_screen.py) show in this
same tab before SQLAlchemy has loaded, and `attach()` then hands it the database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.formats import eok_won, million_won, thousand_won
from db.safety.precheck import file_state

from .signals import records_changed
from .workers import Cancelled, Job, make_job

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#b3261e")
SOON = QColor("#a15c00")
SOON_DAYS = 30


# A start on one of the next days shows the figures saved for it (gui/dashboard_screen.py):
# read for as many days as a weekend and a holiday run (설날, 추석) can keep the desk closed.
AHEAD_DAYS = 10
# ... and only once the desk has rested on 현황 this long after its figures came in: a clerk
# who moves on at once (or closes the desk) pays for no read that competes with the next tab.
AHEAD_AFTER_MS = 2000
BENCH_TODAY = "DURE_BENCH_TODAY"  # bench/bench_gui.py: the day its saving start counts from


def clock() -> dt.date:
    """Today by the computer's clock: the day the 현황 tab counts from when no 기준일 is set
    (the one seam for another day: tests fake it, the benchmark's saving start sets
    DURE_BENCH_TODAY to save its figures on the day before the start it measures)."""
    told = os.environ.get(BENCH_TODAY)
    return dt.date.fromisoformat(told) if told else dt.date.today()


@dataclass
class DashboardData:
    """Everything the tab shows, read in one go on the worker thread."""

    today: dt.date
    warn_days: int
    due: list[Any]  # db.queries.dashboard.DueItem
    figures: list[Any]  # db.queries.dashboard.Figure
    bars: list[Any]  # db.queries.dashboard.YearBar
    # the due items of the days after `today` (load_first's `ahead`), read with `due`
    due_ahead: list[list[Any]] = field(default_factory=list)


def load_first(database: Any, today: dt.date, ahead: int = 0) -> DashboardData:
    """Settings, due items and key figures, without the chart's bars (off the GUI thread);
    the due items of the `ahead` days after `today` too, from the same read."""
    # deferred: SQLAlchemy and the queries load after the saved figures show (start-up)
    from db.queries.dashboard import due_items_days, key_figures
    from db.settings import load_settings

    with database.session() as s:
        warn = load_settings(s).warn_days
        due = due_items_days(s, [today + dt.timedelta(days=k) for k in range(ahead + 1)], warn)
        return DashboardData(today, warn, due[0], key_figures(s, today), [], due[1:])


def load_bars(database: Any, today: dt.date) -> list[Any]:
    """The chart's yearly bars (every year's sales and support: the slowest part)."""
    # deferred: as load_first
    from db.queries.dashboard import yearly_bars

    with database.session() as s:
        return yearly_bars(s, today)


def load_ahead(database: Any, data: DashboardData,
               cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[..., None] | None = None) -> list[DashboardData]:
    """What the tab would show on each of the days after `data`'s (its `due_ahead`), with
    the same queries on one session: each period's figures read once (PeriodReads)."""
    # deferred: as load_first
    from db.queries.dashboard import PeriodReads, key_figures, yearly_bars

    out = []
    with database.session() as s:
        reads = PeriodReads(s)
        for k, due in enumerate(data.due_ahead, start=1):
            if cancelled():
                raise Cancelled
            day = data.today + dt.timedelta(days=k)
            out.append(DashboardData(day, data.warn_days, due, key_figures(s, day, reads),
                                     yearly_bars(s, day, reads=reads)))
    return out


def load_dashboard(database: Any, today: dt.date) -> DashboardData:
    """Read settings, due items, figures and chart bars (runs off the GUI thread)."""
    data = load_first(database, today)
    data.bars = load_bars(database, today)
    return data


def database_state(database: Any) -> Any:
    """The state of an SQLite database's files (db.safety.precheck.file_state); None for a
    server database, whose changes no file shows."""
    path = getattr(database, "path", None)
    return None if path is None else file_state(path)


def days_text(days: int) -> str:
    """D-30, D-day, 12일 경과."""
    if days > 0:
        return f"D-{days}"
    if days == 0:
        return "D-day"
    return f"{-days}일 경과"


def figure_text(value: int | None, unit: str) -> str:
    """Money (in 원) in the unit the report uses for it; counts with their unit; blank for
    a year with no record (None), not a 0 nobody entered."""
    if value is None:
        return ""
    if unit == "천원":
        return f"{thousand_won(value)}천원"
    if unit == "백만원":
        return f"{million_won(value)}백만원"
    if unit == "억원":
        return f"{eok_won(value)}원"
    return f"{value:,}{unit}"


class DashboardTab(QWidget):
    """The first tab: due soon, key figures, chart; `open_record(table, id)` on activation.

    `database` None: the tab shows saved figures (`show_saved`) until `attach(database)`.
    """

    open_record = Signal(str, int)
    first_shown = Signal()  # due items and figures on screen (the chart still loading)
    loaded = Signal()  # everything, the chart too
    ahead_read = Signal()  # the figures of the next days, read after everything (`ahead`)
    idle = Signal()  # the last read ended and none follows (`busy()` turned False)
    load_failed = Signal(str)

    def __init__(self, database: Any, parent: QWidget | None = None,
                 today: dt.date | Callable[[], dt.date] | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._today = today
        self._job: Job | None = None
        self._job_fn: Callable[..., Any] | None = None  # what `_job` runs
        self._again = False
        self._bars_next = False  # the first part is shown: read the chart's bars next
        # The chart is shown: read the next days' figures next; they are read only while
        # the tab is on screen (a close saves them only then), else owed until it shows again.
        self._ahead_next = False
        # What the tab would show on each of the AHEAD_DAYS days after `data`'s, read while
        # the same files held (saved with `data`: gui/dashboard_screen.py): proven_ahead()
        self.ahead: list[DashboardData] = []
        self.data: DashboardData | None = None
        self._chart_view: Any = None  # a QChartView, made when the first chart shows
        self._stale = True  # nothing loaded yet, or records changed while hidden
        # The database's files when the read of `data` began (database_state); `data` is
        # what the database holds while they stay so (gui/dashboard_screen.py saves it then).
        self._reading_state: Any = None
        self.data_state: Any = None
        self.complete = False  # the chart's bars of `data` are in
        self._read_soon = QTimer(self)  # the read of a tab just shown, on the loop's next turn
        self._read_soon.setSingleShot(True)
        self._read_soon.timeout.connect(self._read_shown)
        self._ahead_soon = QTimer(self)  # the next days' read, AHEAD_AFTER_MS on screen later
        self._ahead_soon.setSingleShot(True)
        self._ahead_soon.timeout.connect(self._ahead_shown)
        self._build()

        records_changed().connect(self.on_records_changed)

    def showEvent(self, event: Any) -> None:
        """Load when first shown (and after changes made while another tab was in front)."""
        super().showEvent(event)
        if self._stale:
            self._read_on_show()
        elif self._ahead_next and self._job is None:
            self._ahead_soon.start(AHEAD_AFTER_MS)

    def hideEvent(self, event: Any) -> None:
        """Another tab, or the window closing: a read not begun waits until the tab shows
        again, the next days' read stops (owed again)."""
        super().hideEvent(event)
        self._read_soon.stop()
        self._ahead_soon.stop()
        if self._job is not None and self._job_fn is load_ahead:
            self._job.cancel()
            self._ahead_next = True

    def _read_on_show(self) -> None:
        """Read on the loop's next turn: the tab paints first, and a tab left in the same
        turn (a due item's record opened as the desk opens) reads nothing until shown again."""
        if self.database is None or self._job is not None:
            self.refresh()  # saved figures: attach() reads; a read running: one more after it
            return
        self.complete = False  # what shows is out of date: the read comes
        self._read_soon.start(0)

    @Slot()
    def _read_shown(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    @Slot()
    def _ahead_shown(self) -> None:
        if self._ahead_next and self._job is None and self.isVisible():
            self._read_ahead()

    @Slot(frozenset)
    def on_records_changed(self, _tables: frozenset = frozenset()) -> None:
        """Any write may move a figure or a due date: reload now if shown, else when shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        self.heading = QLabel("현황")
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.heading.setFont(f)
        self.status = QLabel("불러오는 중…")
        self.status.setStyleSheet("color: palette(mid);")
        self.refresh_button = QPushButton("새로 고침")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)

        self.due_tree = QTreeWidget()
        self.due_tree.setColumnCount(4)
        self.due_tree.setHeaderLabels(["기한", "구분", "대상", "내용"])
        self.due_tree.setRootIsDecorated(False)
        self.due_tree.setUniformRowHeights(True)
        # Breathing room between columns sized to their contents.
        self.due_tree.setStyleSheet("QTreeWidget::item { padding: 2px 10px 2px 2px; }")
        self.due_tree.setAlternatingRowColors(True)
        self.due_tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_tree.itemActivated.connect(self._activated)
        self.due_tree.setToolTip("두 번 누르거나 Enter를 누르면 해당 기록을 엽니다.")
        header = self.due_tree.header()
        header.setStretchLastSection(True)
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.due_box = QGroupBox("기한 임박")
        lay = QVBoxLayout(self.due_box)
        lay.addWidget(self.due_tree)
        self.due_empty = QLabel("")
        self.due_empty.setWordWrap(True)
        lay.addWidget(self.due_empty)

        self.figures = QTableWidget(0, 4)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.figures.verticalHeader().setVisible(False)
        self.figures.setAlternatingRowColors(True)
        self.figures.setStyleSheet("QTableWidget::item { padding: 0px 6px; }")
        fh = self.figures.horizontalHeader()
        fh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        fh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (2, 3):
            fh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.figures_box = QGroupBox("주요 실적 (올해 · 지난해)")
        QVBoxLayout(self.figures_box).addWidget(self.figures)

        self.chart_box = QGroupBox("연도별 판로 매출액 · 재정지원액 (백만원)")
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_empty = QLabel("표시할 실적이 없습니다.")
        self.chart_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_layout.addWidget(self.chart_empty)
        self.chart_note = QLabel("")
        self.chart_note.setStyleSheet("color: palette(mid);")
        self.chart_layout.addWidget(self.chart_note)

        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.figures_box)  # as tall as its rows (see _show_figures)
        right_lay.addWidget(self.chart_box, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.due_box)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 600])
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.splitter, 1)

    # ------------------------------------------------------------ loading

    def fixed_today(self) -> dt.date | None:
        """The day set in 설정 (the demo's 기준일), or None: the real today."""
        return self._today if isinstance(self._today, dt.date) else None

    def today(self) -> dt.date:
        """The day the dashboard counts from (injectable for tests and screenshots)."""
        if callable(self._today):
            return self._today()
        return self._today or clock()

    def show_saved(self, data: DashboardData) -> None:
        """Show figures saved by the last session (gui/dashboard_screen.py), before any read:
        the due list, the figures and the status line at once, the chart on the loop's next
        turn, as a real read shows them. Nothing is read until `attach()`."""
        self._stale = True  # the database's own read replaces these as soon as it can
        self.data = None
        self._show_first(data)
        self._bars_next = False
        QTimer.singleShot(0, self, lambda: self._show_bars(data.bars))

    @property
    def shows_saved(self) -> bool:
        """Saved figures on screen and no database yet (`attach()` comes)."""
        return self.database is None

    def attach(self, database: Any) -> None:
        """The database has opened: read it, and let its figures replace the saved ones."""
        self.database = database
        self.complete = False  # what shows was saved, not read: complete once the read is in
        if self._stale and self.isVisible():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Reload in the background; calls during a load are merged into one more load."""
        if self.database is None:  # saved figures showing: attach() reads once it can
            self._stale = True
            return
        if self._job is not None:
            if self._job_fn is load_ahead:  # the next days of figures about to be replaced
                self._job.cancel()
            self._again = True
            return
        self._stale = False
        self.complete = False
        self._reading_state = database_state(self.database)
        self.status.setText("불러오는 중…")
        self.refresh_button.setEnabled(False)
        # In two reads: due items and figures show first, the chart's yearly bars follow;
        # then, out of sight, the next days' figures (a start on one of them shows them).
        self._start(load_first, self._show_first, self.today(), self._ahead_days())

    def _ahead_days(self) -> int:
        """How many days after today to read for: none on a 기준일 (every day shows that
        day) or a server database (its figures are never saved)."""
        return AHEAD_DAYS if self.fixed_today() is None and self._reading_state is not None \
            else 0

    def _start(self, fn: Callable[..., Any], shown: Callable[[Any], None], *args: Any,
               failed: Callable[[str], None] | None = None) -> None:
        controls = fn is load_ahead  # the only one that stops early (the desk closing)
        job = make_job(fn, self.database, *args, pass_controls=controls)
        job.succeeded.connect(shown)
        job.failed.connect(failed or self._failed)
        job.finished.connect(self._job_done)
        self._job, self._job_fn = job, fn
        job.start()

    def is_loading(self) -> bool:
        return self._job is not None

    @Slot()
    def _job_done(self) -> None:
        self._job = None
        if self._bars_next and self.data is not None:  # succeeded comes before finished
            self._bars_next = False
            self._start(load_bars, self._show_bars, self.data.today)
            return
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            self._ahead_next = False
            self.refresh()
        elif self._ahead_next and self.isVisible():
            self._ahead_soon.start(AHEAD_AFTER_MS)
        if not self.busy():
            self.idle.emit()

    def busy(self) -> bool:
        """A read runs or is owed (the next days' figures' too, once the tab has rested)."""
        return self._job is not None or self._again or self._stale and self.isVisible() \
            or self._ahead_soon.isActive()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setText(f"현황을 불러오지 못했습니다: {message}")
        self.load_failed.emit(message)

    @Slot(object)
    def _show_first(self, data: DashboardData) -> None:
        if self.data is not None:
            data.bars = self.data.bars  # the old chart stays until the new bars are read
        self.data, self.ahead = data, []
        self.data_state, self.complete = self._reading_state, False
        self._show_due(data)
        self._show_figures(data)
        self.status.setText(
            f"{data.today.year}. {data.today.month}. {data.today.day}. 기준 · "
            f"만료 {data.warn_days}일 전부터 알림"
        )
        self._bars_next = True
        self.first_shown.emit()

    @Slot(object)
    def _show_bars(self, bars: list[Any]) -> None:
        assert self.data is not None
        self.data.bars = bars
        self._show_chart(self.data)
        self.complete = True
        self._ahead_next = bool(self.data.due_ahead) and self.database is not None
        self.loaded.emit()

    def _read_ahead(self) -> None:
        if self.data is None or self.database is None:
            return
        self._ahead_next = False
        self._start(load_ahead, self._show_ahead, self.data, failed=self._ahead_failed)

    @Slot(object)
    def _show_ahead(self, days: list[DashboardData]) -> None:
        self.ahead = days
        self.ahead_read.emit()

    @Slot(str)
    def _ahead_failed(self, _message: str) -> None:
        """The next days' figures are an optimisation: the clerk is not told (the worker
        logged it); tomorrow's start goes the usual way."""

    def proven_ahead(self) -> list[DashboardData]:
        """The figures of the days after `data`'s, when `data` is proven (proven_data): they
        were read after its read began and before now, the files unchanged all along."""
        return self.ahead if self.proven_data() is not None else []

    def proven_data(self) -> DashboardData | None:
        """What the tab shows, when it is provably what the database holds now: all of the
        last read in (the chart too), no read owed, and the database's files unchanged since
        that read began (any write, Dure's or another program's, changes them)."""
        if self.data is None or not self.complete or self._again or self._stale \
                or self.data_state is None or self.database is None:
            return None
        return self.data if database_state(self.database) == self.data_state else None

    # ------------------------------------------------------------ sections

    def _show_due(self, data: DashboardData) -> None:
        # The clerk's place survives a reload (the saved figures' replacement at a start,
        # any refresh): the item picked (same record, same kind) and the scroll position. An
        # item only current (Qt makes the first one so on focus) is not made selected.
        current = self.due_tree.currentItem()
        chosen = None if current is None or not current.isSelected() \
            else (current.text(1), current.data(0, RECORD_ROLE))
        scrolled = self.due_tree.verticalScrollBar().value()
        self.due_tree.clear()
        bold = QFont(self.due_tree.font())
        bold.setBold(True)
        again = None
        for item in data.due:
            row = QTreeWidgetItem([days_text(item.days_left), item.kind, item.title,
                                   item.detail])
            row.setData(0, RECORD_ROLE, (item.table, item.record_id))
            row.setToolTip(2, item.title)
            row.setToolTip(3, item.detail)
            row.setTextAlignment(0, Qt.AlignmentFlag.AlignCenter)
            if item.days_left < 0 or item.days_left <= SOON_DAYS:
                colour = OVERDUE if item.days_left < 0 else SOON
                row.setForeground(0, QBrush(colour))
                row.setFont(0, bold)
            self.due_tree.addTopLevelItem(row)
            if chosen == (item.kind, (item.table, item.record_id)):
                again = row
        if again is not None:
            self.due_tree.setCurrentItem(again)
        self.due_tree.verticalScrollBar().setValue(scrolled)
        n = len(data.due)
        self.due_box.setTitle(f"기한 임박 ({n}건)" if n else "기한 임박")
        self.due_empty.setVisible(n == 0)
        self.due_empty.setText(
            f"앞으로 {data.warn_days}일 안에 만료·심사·지급할 일이 없습니다." if n == 0 else "")

    def due_rows(self) -> list[tuple[str, ...]]:
        """The due list as shown (tests and screenshots read it)."""
        out = []
        for i in range(self.due_tree.topLevelItemCount()):
            it = cast(QTreeWidgetItem, self.due_tree.topLevelItem(i))
            out.append(tuple(it.text(c) for c in range(4)))
        return out

    @Slot(QTreeWidgetItem, int)
    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        table, record_id = item.data(0, RECORD_ROLE)
        self.open_record.emit(table, int(record_id))

    def _show_figures(self, data: DashboardData) -> None:
        y = data.today.year
        self.figures.setHorizontalHeaderLabels(
            ["구분", "항목", f"{y - 1}년", f"{y}년 ({data.today.month}. {data.today.day}.까지)"])
        self.figures.setRowCount(len(data.figures))
        last_group = None
        for r, fig in enumerate(data.figures):
            cells = [fig.group if fig.group != last_group else "", fig.label,
                     figure_text(fig.previous, fig.unit), figure_text(fig.current, fig.unit)]
            last_group = fig.group
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.figures.setItem(r, c, cell)
        self.figures.resizeRowsToContents()
        # As tall as its rows, so the chart below gets the rest of the height.
        height = (self.figures.horizontalHeader().height() + 2 * self.figures.frameWidth()
                  + sum(self.figures.rowHeight(r) for r in range(self.figures.rowCount())))
        self.figures.setFixedHeight(height)

    def figure_rows(self) -> list[tuple[str, ...]]:
        """(항목, 지난해, 올해) as shown."""
        return [tuple(cast(QTableWidgetItem, self.figures.item(r, c)).text() for c in (1, 2, 3))
                for r in range(self.figures.rowCount())]

    def _show_chart(self, data: DashboardData) -> None:
        # deferred: a dialog: loads when first opened (start-up)
        from .dashboard_chart import make_chart_view, update_chart

        if not data.bars:
            self.chart_note.clear()
            self.chart_empty.show()
            if self._chart_view is not None:
                self._chart_view.hide()
            return
        self.chart_empty.hide()
        if self._chart_view is None:
            self._chart_view = make_chart_view(self.font())
            self.chart_layout.insertWidget(0, self._chart_view, 1)
        self._chart_view.show()
        update_chart(self._chart_view, data.bars, self.font())
        t = data.today
        partial = [b for b in data.bars if b.label.endswith("*")]
        self.chart_note.setText(
            f"* {partial[0].year}년은 {t.month}. {t.day}.까지" if partial else "")
