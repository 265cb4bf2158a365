"""Child records edited in place: one row of editors per child (rounds, payments, rents …)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import inspect as sa_inspect

from db import naming
from db.errors import DureError
from db.rules import Problem
from gui.forms.spec import ChildSpec, children_of, parent_key, resolve
from gui.widgets import access, clipboard
from gui.widgets.cells import ReplaceOnType, cell_text, line_of, replace_value, set_cell_text
from gui.widgets.display import fit_header
from gui.widgets.factory import Editor, make_editor, mark, restyle

if TYPE_CHECKING:
    from db.models.base import Base

MESSAGE_LINES = 3  # the message area's height once shown (it stays until another record)


class ChildTable(QWidget):
    """A sub-table of editors for one relationship of the record in the form."""

    edited = Signal()
    rows_changed = Signal()  # rows added or removed: the form re-chains its Tab order

    def __init__(self, spec: ChildSpec, parent_model: type[Base], lookups: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.lookups = spec, lookups
        self.model = children_of(parent_model, spec.relation)
        self.parent_key = parent_key(parent_model, spec.relation)
        self.fields = [resolve(self.model, c) for c in spec.columns]
        self.rows: list[tuple[int | None, dict[str, Editor]]] = []
        self.paste_problems: dict[tuple[int, str], str] = {}  # (row, key) → why it was refused
        self._replace = ReplaceOnType(self)
        self.table = QTableWidget(0, len(self.fields), self)
        self.table.setHorizontalHeaderLabels(
            [f.caption + (" *" if f.required else "") for f in self.fields])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes cell editor to cell editor (chained)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fit_header(header, self.fields)
        for i, f in enumerate(self.fields):  # an enterprise cell also holds [새 기업]
            if f.kind == "org":
                header.resizeSection(i, header.sectionSize(i) + 80)
        self.add_button = QPushButton("행 추가", self)
        self.remove_button = QPushButton("선택 행 삭제", self)
        label = naming.label(self.model)
        access.name(self.table, f"{label} 표", "Ctrl+V: 엑셀에서 복사한 행 붙여넣기")
        access.name_button(self.add_button, f"{label} 행 추가")
        access.name_button(self.remove_button, f"{label} 선택 행 삭제")
        for corner in self.table.findChildren(QAbstractButton):  # the select-all corner
            access.name(corner, f"{label} 모든 행 선택")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.messages = QLabel(self)
        self.messages.setWordWrap(True)
        self.messages.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.messages.setStyleSheet("color: #d32f2f;")
        # Messages come and go as the clerk types: in a box of fixed height that stays once
        # shown, so the rows below do not jump under the pointer at every keystroke.
        self.message_box = QScrollArea(self)
        self.message_box.setWidgetResizable(True)
        self.message_box.setFrameShape(QScrollArea.Shape.NoFrame)
        self.message_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # text to read, not a Tab stop
        self.message_box.setWidget(self.messages)
        self.message_box.setFixedHeight(self.fontMetrics().lineSpacing() * MESSAGE_LINES + 6)
        self.message_box.hide()
        self.table.installEventFilter(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        lay.addWidget(self.message_box)
        self._fit_height()

    def _fit_height(self) -> None:
        shown = min(max(len(self.rows), 2), 8)
        header = self.table.horizontalHeader().sizeHint().height()
        scrollbar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(header + 30 * shown + scrollbar + 6)

    # ---------------------------------------------------------------- rows

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace the rows with the given children (dicts of column values with 'id')."""
        self.table.setRowCount(0)
        self.rows = []
        self.paste_problems = {}
        for values in rows:
            self.add_row(values)
        self.message_box.hide()
        self.show_problems([])
        self._rows_changed()

    def _rows_changed(self) -> None:
        """Cell editors named by row ('2행 입주시기') for screen readers; Tab re-chained."""
        for r, (_ident, editors) in enumerate(self.rows):
            for f in self.fields:
                access.name(editors[f.key], f"{r + 1}행 {f.caption}")
        self.rows_changed.emit()

    def tab_widgets(self) -> list[QWidget]:
        """The table, its cells row by row, then 행 추가 and 선택 행 삭제."""
        cells = [editors[f.key] for _ident, editors in self.rows for f in self.fields]
        return [self.table, *cells, self.add_button, self.remove_button]

    def _add_clicked(self) -> None:
        self.add_row(self._new_row_values())
        self._rows_changed()
        self.edited.emit()
        first = self.rows[-1][1][self.fields[0].key]
        first.setFocus()

    def add_row(self, values: dict[str, Any]) -> dict[str, Editor]:
        row = self.table.rowCount()
        self.table.insertRow(row)
        editors: dict[str, Editor] = {}
        for col, f in enumerate(self.fields):
            editor = make_editor(f, self.lookups)
            if hasattr(editor, "setPlaceholderText") and not hasattr(editor, "combo"):
                editor.setPlaceholderText("")  # a hint in every cell reads like a value
            if f.key in values:
                editor.set_value(values[f.key])
            else:
                default = _default_of(self.model, f.key)
                if default is not None:
                    editor.set_value(default)
            editor.edited.connect(self.edited)
            editor.edited.connect(lambda e=editor, k=f.key: self._cell_edited(e, k))
            line = line_of(editor)
            if line is not None:
                self._replace.watch(line)
                line.installEventFilter(self)
            elif isinstance(editor, QWidget):
                editor.installEventFilter(self)
            self.table.setCellWidget(row, col, editor)
            editors[f.key] = editor
        self.rows.append((values.get("id"), editors))
        self._fit_height()
        return editors

    def _new_row_values(self) -> dict[str, Any]:
        """The spec's values for a new row (2차 after 1차 …), from the form it sits in."""
        if self.spec.new_row is None:
            return {}
        form = self.parent()
        while form is not None and not (hasattr(form, "editors") and hasattr(form, "database")):
            form = form.parent()
        if form is None:
            return {}
        parent_values: dict[str, Any] = {}
        for key, editor in form.editors.items():
            with contextlib.suppress(DureError):
                parent_values[key] = editor.value()
        rows = []
        for _ident, editors in self.rows:
            row: dict[str, Any] = {}
            for key, editor in editors.items():
                with contextlib.suppress(DureError):
                    row[key] = editor.value()
            rows.append(row)
        with form.database.session() as session:
            return self.spec.new_row(parent_values, rows, session)

    def remove_selected(self) -> None:
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()}
                        | ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()),
                        reverse=True)
        for r in picked:
            self.table.removeRow(r)
            del self.rows[r]
        if picked:
            self.paste_problems = {}
        if picked:
            self._fit_height()
            self._rows_changed()
            self.edited.emit()

    # ---------------------------------------------------------------- objects

    def build(self) -> tuple[list[Any], list[tuple[int, Problem]]]:
        """Transient child objects (ids kept for existing rows) and unreadable-cell problems."""
        objs, problems = [], []
        for r, (ident, editors) in enumerate(self.rows):
            values: dict[str, Any] = {}
            for key, editor in editors.items():
                refused = self.paste_problems.get((r, key))
                if refused is not None:
                    problems.append((r, Problem(key, refused)))
                    continue
                try:
                    values[key] = editor.value()
                except DureError as exc:
                    problems.append((r, Problem(key, str(exc))))
            obj = self.model(**values)
            if ident is not None:
                obj.id = ident
            objs.append(obj)
        return objs, problems

    def show_problems(self, problems: list[tuple[int, Problem]]) -> None:
        """Mark the cells that break a rule and list the messages under the table."""
        by_cell = {(r, p.field): p.message for r, p in problems if p.is_error}
        for r, (_ident, editors) in enumerate(self.rows):
            for key, editor in editors.items():
                msg = by_cell.get((r, key))
                mark(editor, msg is not None, msg or "")
        lines = [f"{r + 1}행: {p.message}" for r, p in problems
                 if p.field != self.parent_key]
        self.messages.setText("\n".join(dict.fromkeys(lines)))
        if lines:
            self.message_box.show()
        has_error = any(p.is_error for _, p in problems)
        restyle(self.messages, "color: #d32f2f;" if has_error else "color: #b35c00;")
        bad_rows = {r for r, p in problems if p.field != self.parent_key}
        for r in range(self.table.rowCount()):  # ⚠ beside a row that has a message
            item = QTableWidgetItem(f"{r + 1} ⚠" if r in bad_rows else str(r + 1))
            item.setToolTip("\n".join(line for line in dict.fromkeys(lines)
                                        if line.startswith(f"{r + 1}행:")))
            self.table.setVerticalHeaderItem(r, item)

    # ---------------------------------------------------------------- Excel-like cells

    def _cell_edited(self, editor: QWidget, key: str) -> None:
        """Typing into a refused cell takes back its refusal (the rules judge it again)."""
        where = self.cell_of(editor)
        if where is not None:
            self.paste_problems.pop((where[0], key), None)

    def cell_of(self, widget: QObject | None) -> tuple[int, int] | None:
        """(row, column) of the cell editor that holds `widget`, if any."""
        while widget is not None and widget is not self.table:
            for r, (_ident, editors) in enumerate(self.rows):
                for c, f in enumerate(self.fields):
                    if editors.get(f.key) is widget:
                        return r, c
            widget = widget.parent()
        return None

    def current_cell(self) -> tuple[int, int]:
        """Where a paste starts: the focused cell, else the table's current cell, else (0, 0)."""
        where = self.cell_of(QApplication.focusWidget())
        if where is not None:
            return where
        r, c = self.table.currentRow(), self.table.currentColumn()
        return (max(r, 0), max(c, 0))

    def copy_selected(self) -> str:
        """Ctrl+C: the selected rows (all rows when none is selected) with their headers."""
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not picked:
            picked = list(range(len(self.rows)))
        header = [f.caption for f in self.fields]
        body = [[cell_text(self.rows[r][1][f.key]) for f in self.fields] for r in picked]
        return clipboard.copy_rows([header, *body])

    def paste_text(self, text: str, start: tuple[int, int] | None = None) -> int:
        """Fill cells from Excel text from `start`, adding rows; returns the rows touched.

        A first row equal to the headers (as Ctrl+C writes it) is skipped. Every cell is set
        as if typed; one that fits no choice is refused with a message naming it, and the
        rules then judge all rows as they judge typed ones.
        """
        rows = clipboard.parse_tsv(text)
        captions = [f.caption for f in self.fields]
        if rows and [c.strip() for c in rows[0]] == captions[:len(rows[0])]:
            rows = rows[1:]
        if not rows:
            return 0
        r0, c0 = start if start is not None else self.current_cell()
        for dr, cells in enumerate(rows):
            r = r0 + dr
            while r >= len(self.rows):
                self.add_row({})
            editors = self.rows[r][1]
            for dc, text_ in enumerate(cells):
                c = c0 + dc
                if c >= len(self.fields):
                    break
                f = self.fields[c]
                refused = set_cell_text(editors[f.key], text_, f.label)
                if refused is None:
                    self.paste_problems.pop((r, f.key), None)
                else:
                    self.paste_problems[(r, f.key)] = refused
        self._rows_changed()
        self.edited.emit()
        return len(rows)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Paste):
                return self._paste_key(obj)
            if event.matches(QKeySequence.StandardKey.Copy):
                line = obj if isinstance(obj, QLineEdit) else None
                if line is not None and line.hasSelectedText() \
                        and line.selectedText() != line.text():
                    return False  # part of one value: an ordinary copy
                self.copy_selected()
                return True
        return super().eventFilter(obj, event)

    def _paste_key(self, obj: QObject) -> bool:
        text = clipboard.clipboard_text()
        if clipboard.is_block(text) or obj is self.table:
            start = self.cell_of(obj) if obj is not self.table else None
            self.paste_text(text, start)
            return True
        if isinstance(obj, QLineEdit) and self._replace.is_fresh(obj):
            replace_value(obj, text.strip())  # one value into a cell just entered: replace
            obj.textEdited.emit(obj.text())
            return True
        return False


def _default_of(model: type[Base], key: str) -> Any:
    """The column's Python-side scalar default (선정, 대면, 1 …) for a new row or form."""
    default = sa_inspect(model).columns[key].default
    if default is not None and getattr(default, "is_scalar", False):
        return getattr(default, "arg", None)  # a scalar default's value
    return None
