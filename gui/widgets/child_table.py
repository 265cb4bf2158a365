"""Child records edited in place: one row of editors per child (rounds, payments, rents …)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.rules import Problem
from gui.forms.spec import ChildSpec, children_of, parent_key, resolve
from gui.widgets.display import fit_header
from gui.widgets.factory import make_editor, mark


class ChildTable(QWidget):
    """A sub-table of editors for one relationship of the record in the form."""

    edited = Signal()

    def __init__(self, spec: ChildSpec, parent_model: type, lookups: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.lookups = spec, lookups
        self.model = children_of(parent_model, spec.relation)
        self.parent_key = parent_key(parent_model, spec.relation)
        self.fields = [resolve(self.model, c) for c in spec.columns]
        self.rows: list[tuple[int | None, dict[str, QWidget]]] = []
        self.table = QTableWidget(0, len(self.fields), self)
        self.table.setHorizontalHeaderLabels(
            [f.caption + (" *" if f.required else "") for f in self.fields])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fit_header(header, self.fields)
        for i, f in enumerate(self.fields):  # an enterprise cell also holds [새 기업]
            if f.kind == "org":
                header.resizeSection(i, header.sectionSize(i) + 80)
        self.add_button = QPushButton("행 추가", self)
        self.remove_button = QPushButton("선택 행 삭제", self)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.messages = QLabel(self)
        self.messages.setWordWrap(True)
        self.messages.setStyleSheet("color: #d32f2f;")
        self.messages.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        lay.addWidget(self.messages)
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
        for values in rows:
            self.add_row(values)
        self.show_problems([])

    def _add_clicked(self) -> None:
        self.add_row({})
        self.edited.emit()
        first = self.rows[-1][1][self.fields[0].key]
        first.setFocus()

    def add_row(self, values: dict[str, Any]) -> dict[str, QWidget]:
        row = self.table.rowCount()
        self.table.insertRow(row)
        editors: dict[str, QWidget] = {}
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
            self.table.setCellWidget(row, col, editor)
            editors[f.key] = editor
        self.rows.append((values.get("id"), editors))
        self._fit_height()
        return editors

    def remove_selected(self) -> None:
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()}
                        | ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()),
                        reverse=True)
        for r in picked:
            self.table.removeRow(r)
            del self.rows[r]
        if picked:
            self._fit_height()
            self.edited.emit()

    # ---------------------------------------------------------------- objects

    def build(self) -> tuple[list[Any], list[tuple[int, Problem]]]:
        """Transient child objects (ids kept for existing rows) and unreadable-cell problems."""
        objs, problems = [], []
        for r, (ident, editors) in enumerate(self.rows):
            values: dict[str, Any] = {}
            for key, editor in editors.items():
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
        self.messages.setVisible(bool(lines))
        has_error = any(p.is_error for _, p in problems)
        self.messages.setStyleSheet("color: #d32f2f;" if has_error else "color: #b35c00;")


def _default_of(model: type, key: str) -> Any:
    """The column's Python-side scalar default (선정, 대면, 1 …) for a new row or form."""
    from sqlalchemy import inspect as sa_inspect

    default = sa_inspect(model).columns[key].default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    return None
