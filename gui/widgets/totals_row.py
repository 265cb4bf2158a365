"""The 합계 row under a list: money and counts summed over the rows shown, column by column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

from gui.widgets.display import text_of

_ROOT = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class TotalsModel(QAbstractTableModel):
    """One row: '합계' in the first unsummed column, each summed column's total."""

    def __init__(self, fields: list, summed: set[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.values: dict[str, int] = {}
        self.label_column = next((i for i, f in enumerate(fields) if f.key not in summed), -1)

    def set_values(self, values: dict[str, int]) -> None:
        self.values = dict(values)
        if self.fields:
            self.dataChanged.emit(self.index(0, 0), self.index(0, len(self.fields) - 1))

    def text(self, column: int) -> str:
        f = self.fields[column]
        if f.key in self.values:  # nothing entered in the rows shown: blank, not 0
            value = self.values[f.key]
            return "" if not value else text_of(value, f.kind, f.unit)
        return "합계" if column == self.label_column else ""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() != 0 or index.column() >= len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self.fields[index.column()].key in self.values else _LEFT
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return None


class TotalsRow(QTableView):
    """A one-row table that follows the list's column widths, order and horizontal scroll."""

    def __init__(self, view: QTableView, fields: list, summed: set[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.totals = TotalsModel(fields, summed, self)
        self.setModel(self.totals)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTableView { background: #f2f2f2; }")
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        height = view.verticalHeader().defaultSectionSize()
        self.verticalHeader().setDefaultSectionSize(height)
        self.setFixedHeight(height + 2)
        header = view.horizontalHeader()
        header.sectionResized.connect(self._resized)
        header.sectionMoved.connect(lambda *_a: self._follow())
        header.geometriesChanged.connect(self._follow)
        view.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        self.setAccessibleName("합계")
        self._follow()

    def _resized(self, column: int, _old: int, new: int) -> None:
        self.setColumnWidth(column, new)

    def _follow(self) -> None:
        header = self.view.horizontalHeader()
        for c in range(self.totals.columnCount()):
            self.setColumnWidth(c, header.sectionSize(c))
            visual = header.visualIndex(c)
            mine = self.horizontalHeader()
            if mine.visualIndex(c) != visual and visual >= 0:
                mine.moveSection(mine.visualIndex(c), visual)
        self.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value())
        margin = self.view.verticalHeader().width() if self.view.verticalHeader().isVisible() \
            else 0
        self.setViewportMargins(margin + self.view.frameWidth(), 0, 0, 0)
