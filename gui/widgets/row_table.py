"""The read-only, one-row-at-a-time list used by the trash, history and backup windows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def row_table(columns: Sequence[str]) -> QTableWidget:
    """A read-only list with whole-row single selection."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[str]], numeric: Iterable[int] = ()) -> None:
    """Replace the table's rows with `rows` of text; columns in `numeric` align right."""
    right = set(numeric)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(_RIGHT)
            table.setItem(r, c, item)


def selected_row(table: QTableWidget) -> int | None:
    """The index of the selected row, or None when nothing is selected."""
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes
