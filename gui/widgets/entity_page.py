"""One entity's page: search, year filter, the records table and the detail form in a splitter."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import models as m
from db import service
from db.errors import DureError
from gui.forms.spec import EntitySpec
from gui.widgets import (
    access,
    clipboard,
    list_paste,
    new_organization,  # noqa: F401 (the pickers' [새 기업] dialog)
)
from gui.widgets.display import fit_header
from gui.widgets.record_form import RecordForm
from gui.widgets.table_model import RecordTableModel
from gui.widgets.totals_row import TotalsRow

# The columns a clerk filters on beside the search (구분, 상태 …): choice columns of the list
FILTER_KEYS = ("kind", "status", "course", "program", "result", "provider", "mode", "level",
               "area", "channel", "category")
MAX_CHOICE_FILTERS = 2
MIN_ROWS = 12  # rows a list keeps on screen however tall the form is (1366x768 included)

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


def _shrinkable(combo: QComboBox, letters: int = 0) -> None:
    """A filter combo wants its text's width but gives way on a narrow window."""
    if letters:  # an enterprise list: sizing to the longest of 3,000 names would read them all
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(letters)
    combo.setMinimumWidth(48)


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
        self.model = RecordTableModel(spec, self)
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
        self.period.setMinimumWidth(96)
        self.period.setVisible(self.spec.period is not None)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.filters: dict[str, QComboBox] = {}
        self._build_filters()
        self.count_label = QLabel(self)
        self.new_button = QPushButton("새로 입력", self)
        self.save_button = QPushButton("저장", self)
        self.delete_button = QPushButton("삭제", self)
        self.cancel_button = QPushButton("취소", self)
        for button, tip in ((self.new_button, "Ctrl+N"), (self.save_button, "Ctrl+S"),
                            (self.delete_button, "Del"), (self.cancel_button, "Esc")):
            button.setToolTip(tip)
            access.name_button(button, f"{self.spec.label} {button.text()}")
        self.new_button.clicked.connect(self.new_record)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_current)
        self.cancel_button.clicked.connect(self.cancel_edits)
        self.history_button = QPushButton("변경 이력", self)
        self.history_button.clicked.connect(self.show_history)
        access.name_button(self.history_button, f"{self.spec.label} 변경 이력")
        access.name(self.search, f"{self.spec.label} 검색", self.search.placeholderText())
        access.name(self.period, f"{self.spec.label} 연도 필터")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.period)
        for combo in self.filters.values():
            bar.addWidget(combo)
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
        self.view.setTabKeyNavigation(False)  # Tab leaves the list for the form (arrows move)
        access.name(self.view, f"{self.spec.label} 목록")
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        fit_header(header, self.model.fields)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        summed = {c.key for c in self.model.listing.columns if c.summed}
        self.totals_row = TotalsRow(self.view, self.model.fields, summed, self) if summed else None
        top = QWidget(self)
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.setSpacing(0)
        top_lay.addWidget(self.view)
        if self.totals_row is not None:
            top_lay.addWidget(self.totals_row)

        self.form_scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)  # a taller window gives the list more rows
        self.splitter.setStretchFactor(1, 0)
        self.splitter.splitterMoved.connect(self._split_moved)
        self._split_by_hand = False  # the clerk moved the splitter: kept, and remembered
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(self.splitter, 1)

        for table in self.form.children.values():
            table.rows_changed.connect(self.chain_tabs)
        self.chain_tabs()
        self.form.edited.connect(self._update_buttons)
        self.form.validity.connect(lambda _ok: self._update_buttons())
        self._action("새로 입력", QKeySequence.StandardKey.New, self.new_record, self)
        self._action("저장", QKeySequence.StandardKey.Save, self.save, self)
        self._action("취소", QKeySequence(Qt.Key.Key_Escape), self.cancel_edits, self)
        self._action("삭제", QKeySequence(Qt.Key.Key_Delete), self.delete_current, self.view,
                     Qt.ShortcutContext.WidgetShortcut)
        self._action("복사", QKeySequence.StandardKey.Copy, self.copy_selected, self.view,
                     Qt.ShortcutContext.WidgetShortcut)
        self._action("붙여넣기", QKeySequence.StandardKey.Paste, self.paste_rows, self.view,
                     Qt.ShortcutContext.WidgetShortcut)

    def _action(self, text: str, key: Any, slot: Any, owner: QWidget,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                ) -> None:
        act = QAction(text, owner)
        act.setShortcut(key)
        act.setShortcutContext(context)
        act.triggered.connect(slot)
        owner.addAction(act)

    def chain_tabs(self) -> list[QWidget]:
        """Tab goes as the eye does: search bar, list, form fields, sub-table rows, buttons."""
        return access.chain([*access.tab_bars_above(self), self.search, self.period,
                             *self.filters.values(),
                             self.new_button, self.save_button, self.delete_button,
                             self.cancel_button, self.history_button, self.view,
                             *self.form.tab_widgets()])

    def list_height(self, rows: int) -> int:
        """Height of the list part showing `rows` rows with its header, scroll bar and 합계."""
        view = self.view
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth() \
            + view.horizontalScrollBar().sizeHint().height() \
            + rows * view.verticalHeader().defaultSectionSize()
        if self.totals_row is not None:
            height += self.totals_row.height()
        return height

    def fit_split(self) -> None:
        """The form gets the height it needs, the list the rest, never under MIN_ROWS rows.

        At 1366x768 the list keeps 12 rows and the form scrolls (or the clerk moves the
        splitter); on a tall window the list grows instead of the form leaving space empty.
        """
        if self._split_by_hand:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        scroll = self.form_scroll
        need = self.form.sizeHint().height() + 2 * scroll.frameWidth()
        list_h = max(self.list_height(MIN_ROWS), total - need)
        list_h = min(list_h, total - scroll.minimumSizeHint().height())
        self.splitter.setSizes([list_h, total - list_h])

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._split_by_hand = True

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_split()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.fit_split()
        self.chain_tabs()  # now inside the window: its tab bars lead to this page's search
        if not self.stale:
            QTimer.singleShot(0, self.model, self.model.prefetch_search)

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self.model.drop_search_index()  # one long list's search text in memory at a time

    def _build_filters(self) -> None:
        """구분 / 상태 combos for the list's choice columns, and 기업 when it lists one."""
        choices = [f for f in self.model.fields if f.kind == "choice" and f.choices
                   and f.key in FILTER_KEYS][:MAX_CHOICE_FILTERS]
        for f in choices:
            combo = QComboBox(self)
            combo.addItem(f"{f.label} 전체", None)
            labels = f.labels or {}
            for choice in f.choices or ():
                combo.addItem(labels.get(choice, choice), choice)
            combo.setAccessibleName(f"{f.label} 필터")
            _shrinkable(combo)
            combo.currentIndexChanged.connect(lambda _i, k=f.key, c=combo: self._equals_changed(
                k, c.currentData()))
            self.filters[f.key] = combo
        org = next((f for f in self.model.fields if f.kind == "org"), None)
        if org is not None and self.lookups is not None:
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setModel(self.lookups.options_model(m.Organization))
            _shrinkable(combo, 12)
            cast(QLineEdit, combo.lineEdit()).setPlaceholderText(f"{org.label} 전체")
            completer = QCompleter(combo.model(), combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.setCompleter(completer)
            combo.setAccessibleName(f"{org.label} 필터")
            combo.setCurrentIndex(0)
            combo.currentIndexChanged.connect(
                lambda _i, k=org.key, c=combo: self._equals_changed(k, c.currentData()))
            line = cast(QLineEdit, combo.lineEdit())
            line.editingFinished.connect(lambda c=combo: self._org_typed(c))
            self.filters[org.key] = combo

    def _org_typed(self, combo: QComboBox) -> None:
        if not combo.currentText().strip() and combo.currentIndex() != 0:
            combo.setCurrentIndex(0)  # the name erased: every enterprise again

    def _equals_changed(self, key: str, value: Any) -> None:
        self.model.set_equals(key, value)
        self._after_filter()

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
        # newest first unless the spec says otherwise (a clerk looks for recent records);
        # set before the load, so the first query already sorts (no second query)
        default = self.spec.default_sort or ((self.spec.period, True) if self.spec.period else None)
        header = self.view.horizontalHeader()
        if default and not self._sorted_once:
            self._sorted_once = True
            key, desc = default
            column = next((i for i, f in enumerate(self.model.fields) if f.key == key), -1)
            if column >= 0 and header.sortIndicatorSection() < 0:
                order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
                self.model.set_sort(column, order)
                header.blockSignals(True)
                header.setSortIndicator(column, order)
                header.blockSignals(False)
        self.model.load(self.database)
        self._fill_periods()
        self.stale = False
        QTimer.singleShot(0, self.model, self.model.prefetch_search)

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
        if self.totals_row is not None:
            self.totals_row.totals.set_values(self.model.totals())
        self.count_changed.emit()

    def record_count(self) -> int:
        return self.model.total_count()

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._after_filter()

    def _period_changed(self, _i: int) -> None:
        data = self.period.currentData()
        self.model.set_period(*(data or (None, None)))
        self._after_filter()

    def _after_filter(self) -> None:
        """Recount and re-select; a record the filter hides leaves the form (unless edited)."""
        self._show_count()
        ident = self.form.record_id
        if ident is None:
            return
        if self.model.row_of(ident) >= 0:
            self._select_id(ident)
        elif not self.form.dirty:
            self.view.selectionModel().clearSelection()
            self.form.new_record()
            self._update_buttons()

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
            for combo in self.filters.values():
                combo.setCurrentIndex(0)
        if self.form.dirty and not self.resolve_unsaved():
            return False
        if not self.form.load(ident):
            return False
        self._select_id(ident)
        self._update_buttons()
        return True

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.form.commit_input()  # a syllable still composing belongs to the record left
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
        self.form.commit_input()  # the syllable being composed is part of what is saved
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
        base = self.form.base  # the version the clerk saw: a stale delete is refused
        try:
            service.delete(self.database, self.spec.model, ident, initiator=self,
                           version=base.row.version if base is not None else None)
        except DureError as exc:
            QMessageBox.warning(self, "삭제할 수 없음", str(exc))
            if base is not None and not self.form.dirty:
                self.form.load(ident)  # show what the other desk saved; deleting again is allowed
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

    def paste_rows(self) -> int:
        """Ctrl+V on the list: Excel rows become new records (all or none); how many saved."""
        rows = clipboard.parse_tsv(clipboard.clipboard_text())
        if not rows or not self.new_button.isEnabled():
            return 0
        if self.form.dirty and not self.resolve_unsaved():
            return 0
        current = self.view.currentIndex()
        objs, problems = list_paste.records_from(self, rows,
                                                 current.column() if current.isValid() else 0)
        if problems:
            QMessageBox.warning(self, "붙여넣기", list_paste.refusal_text(problems))
            return 0
        try:
            list_paste.save_all(self, objs)
        except DureError as exc:
            QMessageBox.warning(self, "붙여넣기", f"붙여 넣은 행을 저장하지 않았습니다.\n{exc}")
            return 0
        self.refresh()
        return len(objs)

    def _context_menu(self, pos: Any) -> None:
        """Right click on the list: 복사, 엑셀로 내보내기, 인쇄, 새로 입력, 삭제."""
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        menu = self.list_menu()
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def list_menu(self) -> QMenu:
        # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
        from gui.widgets import list_export

        menu = QMenu(self)
        copy = menu.addAction("복사", self.copy_selected)
        copy.setEnabled(bool(self.selected_rows()))
        paste = menu.addAction("붙여넣기", self.paste_rows)
        paste.setEnabled(self.new_button.isEnabled() and bool(clipboard.clipboard_text()))
        menu.addAction("엑셀로 내보내기…", lambda: list_export.save_xlsx(self))
        menu.addAction("인쇄…", lambda: list_export.print_list(self))
        menu.addSeparator()
        new = menu.addAction("새로 입력", self.new_record)
        new.setEnabled(self.new_button.isEnabled())
        delete = menu.addAction("삭제", self.delete_current)
        delete.setEnabled(self.delete_button.isEnabled())
        return menu

    def show_history(self) -> None:
        """The record's change history (gui.history_panel)."""
        # deferred: a dialog: loaded when first asked for
        from gui.history_panel import HistoryDialog

        if self.form.record_id is None:
            return
        HistoryDialog(self.database, self.spec.table, self.form.record_id, self,
                      spec=self.spec).exec()

    # ---------------------------------------------------------------- remembered layout

    def save_state(self, settings: QSettings, prefix: str) -> None:
        key = f"{prefix}/{self.spec.table}/splitter"
        if self._split_by_hand:  # only the clerk's own split: otherwise it fits each window
            settings.setValue(key, self.splitter.saveState())
        else:
            settings.remove(key)
        settings.setValue(f"{prefix}/{self.spec.table}/header",
                          self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings, prefix: str) -> None:
        splitter = settings.value(f"{prefix}/{self.spec.table}/splitter")
        if splitter is not None and self.splitter.restoreState(splitter):
            self._split_by_hand = True
        header = settings.value(f"{prefix}/{self.spec.table}/header")
        if header is not None:
            self.view.horizontalHeader().restoreState(header)
