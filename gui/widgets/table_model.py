"""One generic lazy list model: ids from SQL (db/listing.py), row values only for rows shown.

Like Anki's browser table: the database filters and sorts and returns ids; `data()` fetches
the values of a block of rows around the one asked for and keeps them in a bounded cache.
Search runs over one compact in-memory text per list (db.listing.SearchIndex); the 합계 row is
an SQL sum, or a sum over the search index's columns when a search is typed. A list of
200,000 records costs its ids and its search text, not 200,000 Python rows.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from db import listing, search
from db.listing import Filter, ListColumn, Listing, SearchIndex
from gui.forms.spec import EntitySpec, Field, title_key
from gui.widgets.display import month_text, text_of

SORT_ROLE = Qt.ItemDataRole.UserRole  # native value (date, int) for sorting
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's primary key

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ROOT = QModelIndex()  # the invalid parent of every row (a shared default argument)

BLOCK = 200  # rows fetched at once around the one Qt asks for
CACHE_MAX = 5_000  # cached rows before the cache starts afresh
BACKGROUND_INDEX = 20_000  # lists this long build their search index on a thread


def listing_of(spec: EntitySpec) -> Listing:
    """The db-side description of a spec's list (no Qt, no widget kinds)."""
    cols = []
    for f in spec.list_fields():
        title = title_key(f.target) if f.kind in ("org", "record") and f.target else None
        cols.append(ListColumn(f.key, f.kind, f.target if title else None, title, f.labels,
                               f.unit))
    return Listing(spec.model, tuple(cols), tuple(spec.search_keys()), spec.period)


def formatter(f: Field) -> Callable[[Any], str]:
    if f.fmt is not None:
        fmt = f.fmt
        return lambda v: "" if v is None else fmt(v)
    kind = "text" if f.kind in ("org", "record", "choice") else f.kind
    return lambda v: text_of(v, kind, f.unit)


class RecordTableModel(QAbstractTableModel):
    """The records of one entity as ids in list order; values fetched for the rows shown."""

    _index_ready = Signal(object, int)  # a search index built on a thread, its generation

    def __init__(self, spec: EntitySpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields: list[Field] = spec.list_fields()
        self.listing = listing_of(spec)
        self.database: Any = None
        self._formatters = [formatter(f) for f in self.fields]
        keys = [f.key for f in self.fields]  # a date its row's 월 단위 makes a month: 2021. 9.
        self._months = {c: keys.index(f.month_flag) for c, f in enumerate(self.fields)
                        if f.month_flag in keys}
        self._blank = (None,) * len(self.fields)
        self._base = array("q")  # ids after the SQL filters, in sort order
        self._view: array = array("q")  # ids shown (the base, searched)
        self._cache: dict[int, tuple] = {}
        self._filter = Filter()
        self._equals: dict[str, Any] = {}
        self._needle = ""
        self._hits: list[int] | None = None  # search-index positions of the matches
        self._rank: array | None = None  # id → row in the base (-1: filtered out)
        self._index: SearchIndex | None = None
        self._generation = 0
        self._building = -1  # the generation a thread is building an index for
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._total = 0
        self._sql_totals: dict[str, int] = {}
        self._years: list[int] | None = None
        self._index_ready.connect(self._take_index)

    # ---------------------------------------------------------------- data in

    def load(self, database: Any) -> None:
        """(Re)read the list from `database`, keeping search, filters and sort."""
        self.beginResetModel()
        self.database = database
        self._generation += 1
        self._cache = {}
        self._index = None
        self._years = None
        self._total = listing.count(database, self.listing)
        self._requery()
        self.endResetModel()

    def prefetch_search(self) -> None:
        """Build a long list's search index on a thread, so the first keystroke is quick."""
        if self._index is not None or self._total < BACKGROUND_INDEX or self.database is None \
                or self._building == self._generation:
            return
        generation, database = self._generation, self.database
        self._building = generation  # one thread per generation

        def work() -> None:
            try:
                index = listing.search_index(database, self.listing)
                self._index_ready.emit(index, generation)
            except Exception:  # noqa: BLE001 - closed meanwhile; the keystroke builds it
                return

        threading.Thread(target=work, name="dure-search-index", daemon=True).start()

    def drop_search_index(self) -> None:
        """Free a long list's search index while its page is not shown (rebuilt on return)."""
        if self._total >= BACKGROUND_INDEX and not self._needle:
            self._generation += 1  # an index still being built for it is not kept either
            self._index = None

    def _take_index(self, index: SearchIndex, generation: int) -> None:
        if generation == self._generation and self._index is None:
            self._index = index

    def _search_index(self) -> SearchIndex:
        if self._index is None:
            self._index = listing.search_index(self.database, self.listing)
        return self._index

    def _sort_key(self) -> tuple[str, bool] | None:
        if self._sort is None:
            return None
        column, order = self._sort
        return self.fields[column].key, order == Qt.SortOrder.DescendingOrder

    def _requery(self) -> None:
        """Base ids from SQL (filters, sort), then the search; the SQL totals."""
        if self.database is None:
            return
        self._set_base(listing.ids(self.database, self.listing, self._filter, self._sort_key()))
        self._sql_totals = listing.totals(self.database, self.listing, self._filter)
        self._apply_search()

    def _set_base(self, base: array) -> None:
        self._base = base
        self._rank = None

    def _ranks(self, index: SearchIndex) -> array:
        """Each id's row in the base, built once per base (then a keystroke sorts only its
        matches by it instead of scanning the whole list)."""
        if self._rank is None:
            top = max(index.ids[-1] if len(index.ids) else 0,
                      max(self._base) if len(self._base) else 0)
            rank = array("q", [-1]) * (top + 1)
            for r, ident in enumerate(self._base):
                rank[ident] = r
            self._rank = rank
        return self._rank

    def _apply_search(self) -> None:
        if not self._needle:
            self._hits = None
            self._view = self._base
            return
        index = self._search_index()
        hits = index.positions(self._needle) or []
        rank = self._ranks(index)
        ranks = list(map(rank.__getitem__, map(index.ids.__getitem__, hits)))
        if self._filter.active:  # matches the SQL filters hide are not shown nor summed
            hits = [p for p, r in zip(hits, ranks, strict=False) if r >= 0]
            ranks = [r for r in ranks if r >= 0]
        ranks.sort()
        self._hits = hits
        self._view = array("q", map(self._base.__getitem__, ranks))

    def set_search(self, text: str) -> None:
        needle = search.needle(text)
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        if self.database is not None:
            self._apply_search()
        self.endResetModel()

    def set_period(self, year: int | None = None, half: int | None = None) -> None:
        self._set_filter(Filter(year, half, self._filter.equals))

    def set_equals(self, key: str, value: Any) -> None:
        """Show only rows whose `key` column holds `value` (None: no filter on it)."""
        if value is None:
            self._equals.pop(key, None)
        else:
            self._equals[key] = value
        self._set_filter(Filter(self._filter.year, self._filter.half,
                                tuple(sorted(self._equals.items()))))

    def _set_filter(self, flt: Filter) -> None:
        if flt == self._filter:
            return
        self.beginResetModel()
        self._filter = flt
        self._requery()
        self.endResetModel()

    # ---------------------------------------------------------------- reading

    def total_count(self) -> int:
        return self._total

    def years(self) -> list[int]:
        """Years present in the period column, newest first (for the filter combo)."""
        if self._years is None:
            self._years = listing.years(self.database, self.listing) if self.database else []
        return self._years

    def period_is_date(self) -> bool:
        return self.listing.period_is_date

    def totals(self) -> dict[str, int]:
        """Sums of the money and count columns over the rows shown."""
        if self._hits is None:
            return dict(self._sql_totals)
        return listing.sum_over(self._search_index(), self._hits)

    def shown_ids(self) -> array:
        return self._view

    def id_at(self, row: int) -> int | None:
        return self._view[row] if 0 <= row < len(self._view) else None

    def row_of(self, ident: int) -> int:
        try:
            return self._view.index(ident)
        except ValueError:
            return -1

    def _row(self, row: int) -> tuple:
        ident = self._view[row]
        values = self._cache.get(ident)
        if values is None:
            block = self._view[max(0, row - BLOCK // 4): row + BLOCK]
            missing = [i for i in block if i not in self._cache]
            if len(self._cache) + len(missing) > CACHE_MAX:
                self._cache = {}
                missing = list(block)
            self._cache.update(listing.rows(self.database, self.listing, missing))
            values = self._cache.get(ident)
            if values is None:  # deleted since the ids were read: blank until the refresh
                values = self._cache[ident] = self._blank
        return values

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
            values = self._row(row)
            if col in self._months and values[self._months[col]] and values[col] is not None:
                return month_text(values[col])
            return self._formatters[col](values[col])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            f = self.fields[col]
            if f.numeric:
                return _RIGHT
            return _CENTER if f.kind in ("date", "month", "time", "bool") else _LEFT
        if role == SORT_ROLE:
            return self._row(row)[col]
        if role == ID_ROLE:
            return self._view[row]
        if role == Qt.ItemDataRole.ToolTipRole and self.fields[col].kind in ("text", "multiline"):
            return self._formatters[col](self._row(row)[col]) or None
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

    def set_sort(self, column: int, order: Qt.SortOrder) -> None:
        """The order the next load uses (no query now: the first load sorts in SQL)."""
        if 0 <= column < len(self.fields):
            self._sort = (column, order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields) or self._sort == (column, order):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = [(self._view[p.row()], p.column()) for p in persistent if p.row() < len(self._view)]
        self._sort = (column, order)
        if self.database is not None:
            self._set_base(listing.ids(self.database, self.listing, self._filter,
                                       self._sort_key()))
            self._apply_search()
        if persistent:
            new = []
            for ident, c in old:
                r = self.row_of(ident)
                new.append(self.index(r, c) if r >= 0 else QModelIndex())
            new += [QModelIndex()] * (len(persistent) - len(new))
            self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    # ---------------------------------------------------------------- as text

    def row_texts(self, rows: Sequence[int]) -> Iterator[list[str]]:
        """The shown text of view rows, in the order given."""
        for r in rows:
            values = self._row(r)
            texts = [fmt(v) for fmt, v in zip(self._formatters, values, strict=False)]
            for c, flag in self._months.items():
                if values[flag] and values[c] is not None:
                    texts[c] = month_text(values[c])
            yield texts

    def table_text(self, rows: Sequence[int]) -> list[list[str]]:
        """The header captions and the shown text of `rows` (for the clipboard)."""
        return [[f.caption for f in self.fields], *self.row_texts(rows)]

    def shown_values(self) -> Iterator[tuple]:
        """Native values of every row shown, in list order (exports), fetched in blocks."""
        view = self._view
        for start in range(0, len(view), 2_000):
            chunk = view[start:start + 2_000]
            got = listing.rows(self.database, self.listing, chunk)
            for ident in chunk:
                yield got.get(ident, self._blank)
