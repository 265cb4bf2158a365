"""One entity's page: search, year filter, the records table and the detail form in a splitter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import service
from db.errors import DureError
from gui.forms.spec import EntitySpec
from gui.widgets import clipboard
from gui.widgets.display import fit_header
from gui.widgets.record_form import RecordForm
from gui.widgets.table_model import PeriodFilter, RecordTableModel, fetch_rows

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget, what: str) -> str:
    """저장 / 저장 안 함 / 취소 for unsaved changes."""
    box = QMessageBox(QMessageBox.Icon.Question, "저장하지 않은 변경",
                      f"{what}에 저장하지 않은 변경이 있습니다. 저장할까요?", parent=parent)
    save = box.addButton("저장", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("저장 안 함", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("취소", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


class EntityPage(QWidget):
    """List + form of one entity, with 새로 (Ctrl+N), 저장 (Ctrl+S), 삭제 (Del), 취소 (Esc)."""

    count_changed = Signal()

    def __init__(self, spec: EntitySpec, database: Any, lookups: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.database, self.lookups = spec, database, lookups
        self.stale = True
        self._sorted_once = False
        self._quiet = 0
        self.model = RecordTableModel(spec.list_fields(), spec.search_keys(), self)
        self.form = RecordForm(spec, database, lookups, self)
        self._build()
        self.form.new_record()
        self._update_buttons()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("검색 (" + ", ".join(
            f.label for f in self.spec.list_fields() if f.key in self.spec.search_keys()) + ")")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.period = QComboBox(self)
        self.period.addItem("전체", None)
        self.period.setMinimumWidth(130)
        self.period.setVisible(self.spec.period is not None)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.count_label = QLabel(self)
        self.new_button = QPushButton("새로 입력", self)
        self.save_button = QPushButton("저장", self)
        self.delete_button = QPushButton("삭제", self)
        self.cancel_button = QPushButton("취소", self)
        for button, tip in ((self.new_button, "Ctrl+N"), (self.save_button, "Ctrl+S"),
                            (self.delete_button, "Del"), (self.cancel_button, "Esc")):
            button.setToolTip(tip)
        self.new_button.clicked.connect(self.new_record)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_current)
        self.cancel_button.clicked.connect(self.cancel_edits)
        self.history_button = QPushButton("변경 이력", self)
        self.history_button.clicked.connect(self.show_history)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.period)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for b in (self.new_button, self.save_button, self.delete_button, self.cancel_button,
                  self.history_button):
            bar.addWidget(b)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        fit_header(header, self.model.fields)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(self.splitter, 1)

        self.form.edited.connect(self._update_buttons)
        self.form.validity.connect(lambda _ok: self._update_buttons())
        self._action("새로 입력", QKeySequence.StandardKey.New, self.new_record, self)
        self._action("저장", QKeySequence.StandardKey.Save, self.save, self)
        self._action("취소", QKeySequence(Qt.Key.Key_Escape), self.cancel_edits, self)
        self._action("삭제", QKeySequence(Qt.Key.Key_Delete), self.delete_current, self.view,
                     Qt.ShortcutContext.WidgetShortcut)
        self._action("복사", QKeySequence.StandardKey.Copy, self.copy_selected, self.view,
                     Qt.ShortcutContext.WidgetShortcut)

    def _action(self, text: str, key: Any, slot: Any, owner: QWidget,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut) -> None:
        act = QAction(text, owner)
        act.setShortcut(key)
        act.setShortcutContext(context)
        act.triggered.connect(slot)
        owner.addAction(act)

    def _update_buttons(self) -> None:
        writable = not getattr(self.database, "read_only", False)  # opened read-only: look only
        self.new_button.setEnabled(writable)
        self.save_button.setEnabled(writable and self.form.dirty and not self.form.has_errors)
        self.cancel_button.setEnabled(self.form.dirty)
        self.delete_button.setEnabled(writable and self.form.record_id is not None)
        self.history_button.setEnabled(self.form.record_id is not None)

    # ---------------------------------------------------------------- data

    def refresh(self) -> None:
        """Reload the rows (one query), keeping search, filter, sort and the selected record."""
        keep = self.form.record_id
        self._quiet += 1  # a reset or re-sort moves the current row: not the clerk's choice
        try:
            self._reload_rows()
        finally:
            self._quiet -= 1
        self._show_count()
        if keep is not None:
            self._select_id(keep)
            if not self.form.dirty and not self.form.load(keep):
                self.form.new_record()
        self._update_buttons()

    def _reload_rows(self) -> None:
        self.model.set_rows(fetch_rows(self.database, self.spec))
        self._fill_periods()
        # newest first unless the spec says otherwise (a clerk looks for recent records)
        default = self.spec.default_sort or ((self.spec.period, True) if self.spec.period else None)
        if self.stale and default and not self._sorted_once:
            self._sorted_once = True
            key, desc = default
            column = next((i for i, f in enumerate(self.model.fields) if f.key == key), -1)
            if column >= 0 and self.view.horizontalHeader().sortIndicatorSection() < 0:
                order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
                self.view.sortByColumn(column, order)
        self.stale = False

    def ensure_loaded(self) -> None:
        if self.stale:
            self.refresh()

    def _fill_periods(self) -> None:
        if self.spec.period is None:
            return
        current = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItem("전체", None)
        halves = self.model.period_is_date()
        for y in self.model.years():
            self.period.addItem(f"{y}년", (y, None))
            if halves:
                self.period.addItem(f"{y}년 상반기", (y, 1))
                self.period.addItem(f"{y}년 하반기", (y, 2))
        i = self.period.findData(current) if current is not None else 0
        self.period.setCurrentIndex(max(i, 0))
        self.period.blockSignals(False)

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count_label.setText(f"{shown:,}건" if shown == total else f"{shown:,} / {total:,}건")
        self.count_changed.emit()

    def record_count(self) -> int:
        return self.model.total_count()

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._after_filter()

    def _period_changed(self, _i: int) -> None:
        data = self.period.currentData()
        self.model.set_period(PeriodFilter(*data) if data else PeriodFilter())
        self._after_filter()

    def _after_filter(self) -> None:
        self._show_count()
        if self.form.record_id is not None:
            self._select_id(self.form.record_id)

    def _select_id(self, ident: int) -> None:
        row = self.model.row_of(ident)
        sel = self.view.selectionModel()
        sel.blockSignals(True)
        if row >= 0:
            index = self.model.index(row, 0)
            sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)
            # A tab built just now has no viewport size yet: scroll again once it is laid out
            QTimer.singleShot(0, self.view, lambda: self._scroll_to_id(ident))
        else:
            sel.clearSelection()
        sel.blockSignals(False)

    def _scroll_to_id(self, ident: int) -> None:
        row = self.model.row_of(ident)
        if row >= 0:
            self.view.scrollTo(self.model.index(row, 0))

    def select_record(self, ident: int) -> bool:
        """Show one record (from the dashboard): clears filters that would hide it."""
        self.ensure_loaded()
        if self.model.row_of(ident) < 0:
            self.search.clear()
            self.period.setCurrentIndex(0)
        if self.form.dirty and not self.resolve_unsaved():
            return False
        if not self.form.load(ident):
            return False
        self._select_id(ident)
        self._update_buttons()
        return True

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        ident = self.model.id_at(current.row()) if current.isValid() else None
        if self._quiet or ident is None or ident == self.form.record_id:
            return
        if self.form.dirty and not self.resolve_unsaved():
            back = self.form.record_id
            if back is not None:
                self._select_id(back)
            else:
                self.view.selectionModel().clearSelection()
            return
        self.form.load(ident)
        self._update_buttons()

    # ---------------------------------------------------------------- actions

    def resolve_unsaved(self) -> bool:
        """Ask 저장 / 저장 안 함 / 취소; True when it is fine to move on."""
        if not self.form.dirty:
            return True
        answer = ask_unsaved(self, self.spec.label)
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.cancel_edits()
            return True
        return False

    def new_record(self) -> None:
        if self.form.dirty and not self.resolve_unsaved():
            return
        self.view.selectionModel().clearSelection()
        self.form.new_record()
        self._update_buttons()
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.setFocus()

    def save(self) -> bool:
        if not self.form.dirty:
            return True
        self._quiet += 1
        try:
            ident = self.form.save()
        finally:
            self._quiet -= 1
        self._update_buttons()
        if ident is None:
            if self.form.last_error:
                QMessageBox.warning(self, "저장할 수 없음", self.form.last_error)
            return False
        if self.stale or self.model.row_of(ident) < 0:
            self.refresh()
        self._select_id(ident)
        return True

    def cancel_edits(self) -> None:
        """Esc: throw away unsaved changes and show the stored record again."""
        if self.form.record_id is None or not self.form.load(self.form.record_id):
            self.form.new_record()
        self._update_buttons()

    def delete_current(self) -> None:
        ident = self.form.record_id
        if ident is None:
            return
        if not self.form.confirm_delete(self):  # refuses first when others refer to it
            return
        try:
            service.delete(self.database, self.spec.model, ident)
        except DureError as exc:
            QMessageBox.warning(self, "삭제할 수 없음", str(exc))
            return
        self.form.new_record()
        self.refresh()

    def selected_rows(self) -> list[int]:
        """View rows of the selected records, top to bottom (the current one when none)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return rows

    def copy_selected(self) -> str:
        """Ctrl+C: the selected rows with the list's headers, tab-separated as Excel pastes."""
        return clipboard.copy_rows(self.model.table_text(self.selected_rows()))

    def show_history(self) -> None:
        """The record's change history (gui.history_panel, when it is there)."""
        if self.form.record_id is None:
            return
        try:
            from gui.history_panel import HistoryDialog
        except ImportError:
            self.history_button.setEnabled(False)
            self.history_button.setToolTip("변경 이력 기능이 아직 없습니다")
            return
        HistoryDialog(self.database, self.spec.table, self.form.record_id, self).exec()

    # ---------------------------------------------------------------- remembered layout

    def save_state(self, settings: QSettings, prefix: str) -> None:
        settings.setValue(f"{prefix}/{self.spec.table}/splitter", self.splitter.saveState())
        settings.setValue(f"{prefix}/{self.spec.table}/header",
                          self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings, prefix: str) -> None:
        splitter = settings.value(f"{prefix}/{self.spec.table}/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = settings.value(f"{prefix}/{self.spec.table}/header")
        if header is not None:
            self.view.horizontalHeader().restoreState(header)
