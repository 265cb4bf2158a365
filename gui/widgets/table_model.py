"""One generic list model: rows as tuples from one SQL query, Python-side search, filter, sort.

A 100,000-row table stays fast because no ORM object is built per row, display text is made
only for the cells Qt asks for, search runs over precomputed lowercased strings, and sorting is
`list.sort` plus `layoutChanged` (QSortFilterProxyModel is about 100× slower, FACTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import Date, String, select, type_coerce
from sqlalchemy.orm import aliased

from db import search
from gui.forms.spec import EntitySpec, Field, title_key
from gui.widgets.display import text_of

SORT_ROLE = Qt.ItemDataRole.UserRole  # native value (date, int) for sorting
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's primary key

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ROOT = QModelIndex()  # the invalid parent of every row (a shared default argument)


def fetch_rows(database: Any, spec: EntitySpec) -> list[tuple]:
    """(id, *list columns, period value) for every record, in one SELECT with joins for names."""
    model = spec.model
    exprs: list[Any] = [model.id]
    query_joins = []
    kinds = [f.kind for f in spec.list_fields()]
    period_kind = spec.model.__table__.c[spec.period].type if spec.period else None
    for f in spec.list_fields():
        if f.kind in ("org", "record") and f.target is not None:
            target = aliased(f.target)
            exprs.append(getattr(target, title_key(f.target)))
            query_joins.append((target, getattr(model, f.key) == target.id))
        else:
            exprs.append(_raw(getattr(model, f.key), f.kind))
    if spec.period:
        kinds.append("date" if isinstance(period_kind, Date) else "int")
        exprs.append(_raw(getattr(model, spec.period), kinds[-1]))
    else:
        kinds.append("id")
        exprs.append(model.id)
    stmt = select(*(e.label(f"c{i}") for i, e in enumerate(exprs)))  # a column may repeat
    for target, on in query_joins:
        stmt = stmt.outerjoin(target, on)
    convert = [(i + 1, _PARSE[k]) for i, k in enumerate(kinds) if k in _PARSE]
    with database.session() as s:
        rows = s.connection().execute(stmt.order_by(model.id)).all()  # Core rows, no ORM
    if not convert:
        return [tuple(r) for r in rows]
    out = []
    for r in rows:
        row = list(r)
        for i, parse in convert:
            v = row[i]
            if v.__class__ is str:
                row[i] = parse(v)
        out.append(tuple(row))
    return out


# Dates and times come back from SQLite as ISO text: fromisoformat (C) is about twice as fast
# as SQLAlchemy's per-value processing over 20,000 rows. Other backends return dates already.
_PARSE = {"date": dt.date.fromisoformat, "time": dt.time.fromisoformat}


def _raw(column: Any, kind: str) -> Any:
    return type_coerce(column, String) if kind in _PARSE else column


class PeriodFilter:
    """A year or half-year test on the period column's native value (date or year)."""

    def __init__(self, year: int | None = None, half: int | None = None) -> None:
        self.year, self.half = year, half

    def accepts(self, value: Any) -> bool:
        if self.year is None:
            return True
        if isinstance(value, dt.date):
            if value.year != self.year:
                return False
            return self.half is None or (value.month <= 6) == (self.half == 1)
        return value == self.year


class RecordTableModel(QAbstractTableModel):
    """Rows of one entity: id + list columns (+ period value), filtered and sorted in Python."""

    def __init__(self, fields: Sequence[Field], search_keys: Sequence[str] = (),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)
        keys = [f.key for f in self.fields]
        self._search_idx = [keys.index(k) + 1 for k in search_keys if k in keys]
        self._items: list[tuple[tuple, str]] = []  # (row, lowercased search text)
        self._view: list[tuple] = []
        self._needle = ""
        self._period = PeriodFilter()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._formatters: list[Callable[[Any], str]] = [self._formatter(f) for f in self.fields]

    @staticmethod
    def _formatter(f: Field) -> Callable[[Any], str]:
        if f.fmt is not None:
            return lambda v: "" if v is None else f.fmt(v)
        kind = "text" if f.kind in ("org", "record", "choice") else f.kind
        return lambda v: text_of(v, kind, f.unit)

    # ---------------------------------------------------------------- data in

    def set_rows(self, rows: list[tuple]) -> None:
        """Replace every row (inside a model reset), keeping search, filter and sort."""
        idx = self._search_idx
        # coded values (area keys) are searched by what the clerk sees (기업, 아카데미)
        shown = {i: self._formatters[i - 1] for i in idx if self.fields[i - 1].fmt is not None}
        items = []
        for r in rows:
            parts = [shown[i](r[i]) if i in shown else r[i] for i in idx]
            items.append((r, "\x1f".join(search.normalize(str(p)) for p in parts
                                          if p is not None)))
        self._items = items
        if self._sort is not None:
            self._sort_items(*self._sort)
        self.beginResetModel()
        self._refilter()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        needle = search.needle(text)
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._refilter()
        self.endResetModel()

    def set_period(self, period: PeriodFilter) -> None:
        self.beginResetModel()
        self._period = period
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        needle, period = self._needle, self._period
        test = search.matcher(needle)
        if test is not None:
            view = [r for r, s in self._items if test(s)]
        else:
            view = [r for r, _ in self._items]
        if period.year is not None:
            view = [r for r in view if period.accepts(r[-1])]
        self._view = view

    # ---------------------------------------------------------------- reading

    def total_count(self) -> int:
        return len(self._items)

    def years(self) -> list[int]:
        """Years present in the period column, newest first (for the filter combo)."""
        found = set()
        for r, _ in self._items:
            v = r[-1]
            if isinstance(v, dt.date):
                found.add(v.year)
            elif isinstance(v, int):
                found.add(v)
        return sorted(found, reverse=True)

    def period_is_date(self) -> bool:
        return any(isinstance(r[-1], dt.date) for r, _ in self._items[:50])

    def id_at(self, row: int) -> int | None:
        return self._view[row][0] if 0 <= row < len(self._view) else None

    def row_of(self, ident: int) -> int:
        for i, r in enumerate(self._view):
            if r[0] == ident:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= len(self._view) or col >= len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._formatters[col](self._view[row][col + 1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            f = self.fields[col]
            if f.numeric:
                return _RIGHT
            return _CENTER if f.kind in ("date", "time", "bool") else _LEFT
        if role == SORT_ROLE:
            return self._view[row][col + 1]
        if role == ID_ROLE:
            return self._view[row][0]
        if role == Qt.ItemDataRole.ToolTipRole and self.fields[col].kind in ("text", "multiline"):
            return self._formatters[col](self._view[row][col + 1]) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            return self.fields[section].caption
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._view):
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ---------------------------------------------------------------- sorting

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = [(self._view[p.row()][0], p.column()) for p in persistent]
        self._sort = (column, order)
        self._sort_items(column, order)
        self._refilter()
        if persistent:
            pos = {r[0]: i for i, r in enumerate(self._view)}
            new = [self.index(pos[i], c) if i in pos else QModelIndex() for i, c in old]
            self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    def _sort_items(self, column: int, order: Qt.SortOrder) -> None:
        c = column + 1
        desc = order == Qt.SortOrder.DescendingOrder
        present = [it for it in self._items if it[0][c] is not None]
        missing = [it for it in self._items if it[0][c] is None]
        present.sort(key=lambda it: it[0][c], reverse=desc)
        self._items = present + missing  # blanks last either way

    # ---------------------------------------------------------------- as text

    def table_text(self, rows: Sequence[int]) -> list[list[str]]:
        """The header captions and the shown text of `rows` (for the clipboard, exports)."""
        out = [[f.caption for f in self.fields]]
        for r in rows:
            out.append([self._formatters[c](self._view[r][c + 1]) for c in range(len(self.fields))])
        return out
