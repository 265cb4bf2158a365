"""One generic lazy list model: ids from SQL (db/listing.py), row values only for rows shown.

Like Anki's browser table: the database filters and sorts and returns ids; `data()` fetches
the values of a block of rows around the one asked for and keeps them in a bounded cache.
Search runs over one compact in-memory text per list (db.listing.SearchIndex); the 합계 row is
an SQL sum, or a sum over the search index's columns when a search is typed. A list of
200,000 records costs its ids and its search text, not 200,000 Python rows.
"""

from __future__ import annotations

import itertools
import queue
import threading
import weakref
from array import array
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from db import listing, search
from db.listing import Filter, ListColumn, Listing, SearchIndex
from gui.forms.spec import EntitySpec, Field, title_key
from gui.relay import sender
from gui.widgets.display import month_text, text_of

SORT_ROLE = Qt.ItemDataRole.UserRole  # native value (date, int) for sorting
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's primary key

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ROOT = QModelIndex()  # the invalid parent of every row (a shared default argument)
_DISPLAY, _ALIGNMENT, _TOOLTIP, _SORT, _ID = map(int, (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ToolTipRole, SORT_ROLE, ID_ROLE))
_ROLES = frozenset((_DISPLAY, _ALIGNMENT, _TOOLTIP, _SORT, _ID))  # the roles data() answers
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

BLOCK = 200  # rows fetched at once around the one Qt asks for
CACHE_MAX = 5_000  # cached rows before the cache starts afresh
BACKGROUND_INDEX = 20_000  # lists this long build their search index and sort orders on a
# thread, and show their first screen before the rest of their ids are read (on a thread)
FIRST_IDS = 1_000  # ids read at once for a long list's first screen
RANKS_DELAY_MS = 400  # a pause this long after a sort or filter: its base's ranks are read
REST_DELAY_MS = 100  # a search shows its first FIRST_IDS matches, the rest placed this later


# what the list thread does first: the rest of a list's ids, a picker's options read ahead
# (gui/widgets/lookups.py), search indexes, sort orders
BASE_JOB, OPTIONS_JOB, INDEX_JOB, ORDER_JOB = range(4)


class _ListThread:
    """One thread for every list's background reads, one at a time: the rest of a list's
    ids first, then the enterprise pickers' names, then search indexes, then sort orders.
    Lists do not read side by side (their peaks of memory and of CPU do not add up), and a
    read no longer wanted is skipped.

    A job holds plain data only (the database, the listing, its _Tickets, a gui.relay
    sender), never the model: a job that held the last reference to a model ran the model's
    C++ destructor on this thread while the GUI thread delivered its queued result (the
    segfault of 19:43, tests/test_list_threads.py)."""

    def __init__(self) -> None:
        self._jobs: queue.PriorityQueue[tuple[int, int, Callable[[], None]]] = \
            queue.PriorityQueue()
        self._count = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, priority: int, job: Callable[[], None]) -> None:
        self._jobs.put((priority, next(self._count), job))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="dure-lists",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            _priority, _n, job = self._jobs.get()
            try:
                job()
            except Exception:  # noqa: BLE001 - closed meanwhile: the window reads it when asked
                pass
            del job  # its data freed now, not when the next job arrives


class _Tickets:
    """Which reads a model still wants: plain numbers its jobs compare on the list thread
    (they hold this, never the model)."""

    __slots__ = ("generation", "base")

    def __init__(self) -> None:
        self.generation = 0  # bumped by a reload or a hidden page: older reads are not kept
        self.base = 0  # which base a thread reading the whole of it reads

    def drop(self) -> None:
        """The model is gone: nothing queued for it is read."""
        self.generation = self.base = -1

    @staticmethod
    def forwarded(name: str) -> property:
        """A model attribute that reads and writes its tickets' `name` (the model keeps its
        old names; the number itself lives where the list thread can read it)."""
        return property(lambda model: getattr(model._tickets, name),
                        lambda model, value: setattr(model._tickets, name, value))


def database_open(database: Any) -> bool:
    """False once the database is closed: a read still queued for it does not run."""
    return not getattr(database, "closed", False)


_LISTS = _ListThread()


def background(priority: int, job: Callable[[], None]) -> None:
    """Run `job` on the list thread (BASE_JOB, OPTIONS_JOB, INDEX_JOB, ORDER_JOB in turn)."""
    _LISTS.submit(priority, job)


def listing_of(spec: EntitySpec) -> Listing:
    """The db-side description of a spec's list (no Qt, no widget kinds)."""
    cols = []
    for f in spec.list_fields():
        title = title_key(f.target) if f.kind in ("org", "record") and f.target else None
        cols.append(ListColumn(f.key, f.kind, f.target if title else None, title, f.labels,
                               "" if f.many_units else f.unit))
    return Listing(spec.model, tuple(cols), tuple(spec.search_keys()), spec.period)


def formatter(f: Field) -> Callable[[Any], str]:
    if f.fmt is not None:
        fmt = f.fmt
        return lambda v: "" if v is None else fmt(v)
    kind = "text" if f.kind in ("org", "record", "choice") else f.kind
    return lambda v: text_of(v, kind, f.unit)


class RecordTableModel(QAbstractTableModel):
    """The records of one entity as ids in list order; values fetched for the rows shown."""

    def __init__(self, spec: EntitySpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields: list[Field] = spec.list_fields()
        self.listing = listing_of(spec)
        self.database: Any = None
        self._formatters = [formatter(f) for f in self.fields]
        self._alignments = [_RIGHT if f.numeric else _CENTER
                            if f.kind in ("date", "month", "time", "bool") else _LEFT
                            for f in self.fields]
        keys = [f.key for f in self.fields]  # a date its row's 월 단위 makes a month: 2021. 9.
        self._months = {c: keys.index(f.month_flag) for c, f in enumerate(self.fields)
                        if f.month_flag in keys}
        self._blank = (None,) * len(self.fields)
        self._base = array("q")  # ids after the SQL filters, in sort order (maybe only the head)
        self._base_len = 0  # how many the whole base has
        self._members: set[int] | None = None  # the base's ids as a set (a filter is active)
        self._view: array = array("q")  # ids shown (the base, searched; maybe only the head)
        self._view_len = 0  # how many rows a search shows (the whole view has)
        self._view_rest: Callable[[], array] | None = None  # places the rest of the view
        self._view_token = 0  # which view a deferred placing is for
        self._cache: dict[int, tuple] = {}
        self._filter = Filter()
        self._equals: dict[str, Any] = {}
        self._needle = ""
        self._searched: tuple[array, str] | None = None  # the base and needle of the view
        self._hits: list[int] | None = None  # search-index positions of the matches
        self._hits_in_base = True  # every match is a row of the base
        self._picked: tuple[array, list[int], array] | None = None  # a base a filter picked
        # in memory, the index positions of its rows and the held order it was picked from
        self._ranks: list[tuple[array, Any]] = []  # each id's row in a few recent bases
        self._all_totals: dict[str, int] | None = None  # the unfiltered list's sums
        self._ranks_pending: array | None = None  # the base a thread reads them for
        self._sums: dict[str, int] | None = None  # the 합계 of a search, once asked
        self._index: SearchIndex | None = None
        self._orders: dict[tuple[str, bool], array] = {}  # unfiltered ids per (column, desc)
        self._tickets = _Tickets()  # what the thread still reads for it (_generation, _base_token)
        self._building = -1  # the generation a thread is building an index for
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._total = 0
        self._sql_totals: dict[str, int] = {}
        self._years: list[int] | None = None
        self._send = sender(self._take)  # what a thread read reaches _take on the GUI thread
        # dropped: its queued reads are skipped (not through `destroyed`: PySide keeps no
        # reference to a connected method's plain object, and to this __slots__ one a dangling
        # pointer, which crashed)
        weakref.finalize(self, self._tickets.drop)
        self._ranks_wait = 0  # the last sort or filter that asks for ranks once it settles

    _generation = _Tickets.forwarded("generation")
    _base_token = _Tickets.forwarded("base")

    # ---------------------------------------------------------------- data in

    def load(self, database: Any) -> None:
        """(Re)read the list from `database`, keeping search, filters and sort."""
        self.beginResetModel()
        self.database = database
        self._generation += 1
        self._cache = {}
        self._drop_index()
        self._orders = {}
        self._years = None
        self._all_totals = None
        self._total = -1  # read by _requery
        self._requery()
        self.endResetModel()

    def prefetch_search(self) -> None:
        """On a thread, for a long list: its search index (the first keystroke is quick), then
        its sort orders column by column (a sort is then a pass over an array, no query)."""
        if self._total < BACKGROUND_INDEX or self.database is None \
                or self._building == self._generation:
            return
        generation, database, lst = self._generation, self.database, self.listing
        tickets, send = self._tickets, self._send  # (never the model: see _ListThread)
        self._building = generation  # one thread per generation
        need_index = self._index is None
        current = self._sort_key()
        keys = [f.key for f in self.fields]
        if current is not None:  # the column sorted now first (its other direction)
            keys.remove(current[0])
            keys.insert(0, current[0])
        keys = [k for k in keys if (k, False) not in self._orders]

        def index() -> None:
            if tickets.generation == generation and database_open(database):  # not reloaded, hidden
                send("index", listing.search_index(database, lst), generation)  # nor closed

        def order(key: str) -> None:
            if tickets.generation == generation and database_open(database):
                send("order", (key, *listing.orders(database, lst, key)), generation)

        if need_index:
            background(INDEX_JOB, index)
        for key in keys:
            background(ORDER_JOB, partial(order, key))

    def drop_search_index(self) -> None:
        """Free a long list's search index and sort orders while its page is not shown
        (rebuilt on a thread when it is shown again)."""
        if self._total >= BACKGROUND_INDEX and not self._needle:
            self._generation += 1  # what a thread still builds for it is not kept either
            self._drop_index()
            self._orders = {}

    def _drop_index(self) -> None:
        self._index = None
        self._ranks = []  # made from it

    def _take(self, kind: str, result: Any, token: int) -> None:
        """A thread's result, kept if the list has not been reloaded since."""
        if kind == "base":
            if token == self._base_token and len(self._base) < self._base_len:
                self._whole_base(result)
        elif token != self._generation:
            return
        elif kind == "index" and self._index is None:
            self._drop_index()
            self._index = result
        elif kind == "order":
            key, asc, desc = result
            self._orders[(key, False)], self._orders[(key, True)] = asc, desc
            self._adopt_order()
        elif kind == "ranks" and (result[0] is self._base or (
                len(result[0]) == len(self._base) and result[0] == self._base)):
            self._keep_ranks(self._base, result[1])  # (the same ids: an adopted order)
        self._want_ranks()

    def _adopt_order(self) -> None:
        """The unfiltered base read from SQL is the held order of its sort, once that is
        here: the base becomes that array (what is made for the one, such as each id's row,
        then serves the other: a filter picks from the held order)."""
        key = self._sort_key()
        held = self._orders.get(key) if key is not None else None
        base = self._base
        if held is None or held is base or self._filter.active or self._needle \
                or len(base) != len(held) or base != held:
            return
        self._ranks = [(held if b is base else b, r) for b, r in self._ranks]
        if self._ranks_pending is base:
            self._ranks_pending = held  # the thread's ranks of the one serve the other
        self._set_base(held)

    def _want_ranks(self, later: bool = False) -> None:
        """Once the whole base and the search index are here: each id's row in the base (for a
        base a filter picked in memory, in the held order it was picked from), read on the
        thread (the first keystroke then does not make them); `later`: once the clerk pauses
        (RANKS_DELAY_MS), as after a sort or a filter."""
        if later:  # not while the window paints the change (the thread holds Python's lock)
            self._ranks_wait += 1
            QTimer.singleShot(RANKS_DELAY_MS, self, partial(self._settled, self._ranks_wait))
            return
        base, index = self._base, self._index
        if self._picked is not None and self._picked[0] is base:
            base = self._picked[2]
        if index is None or len(base) < self._base_len or self._base_len < BACKGROUND_INDEX \
                or any(b is base for b, _r in self._ranks) or self._ranks_pending is base:
            return
        self._ranks_pending = base
        generation, tickets, send = self._generation, self._tickets, self._send

        def ranks() -> None:
            if tickets.generation == generation:
                send("ranks", (base, listing.ranks(index.ids, base)), generation)

        background(INDEX_JOB, ranks)

    def _settled(self, wait: int) -> None:
        if wait == self._ranks_wait:  # no sort or filter since
            self._want_ranks()

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
        self._members = None
        self._picked = None
        if self._filter_in_memory():
            self._apply_search()
            return
        shown, self._sql_totals = listing.summary(self.database, self.listing, self._filter)
        if not self._filter.active:
            self._total = shown
            self._all_totals = self._sql_totals
        elif self._total < 0:
            self._total = listing.count(self.database, self.listing)
        self._read_base(shown)
        self._apply_search()

    def _filter_in_memory(self) -> bool:
        """A filter on a long list whose search index and current sort order are held: the
        base is the rows of the held order the index's filter codes pick (no query), its
        count and 합계 from memory. False when a column of the filter is not coded."""
        index, key = self._index, self._sort_key()
        if index is None or self._total < BACKGROUND_INDEX:
            return False
        held = index.ids if key is None else self._orders.get(key)
        if held is None:
            return False
        if not self._filter.active:
            base, totals = held, self._all_totals
        else:
            positions = listing.filtered_positions(index, self.listing, self._filter)
            if positions is None:
                return False
            base = listing.rows_in(held, index, positions, self._ranks_of(held))
            totals = index.sums(positions)
            self._picked = (base, positions, held)
        self._base_token += 1  # a thread reading another base: not wanted
        self._set_base(base)
        self._sql_totals = totals if totals is not None else index.sums(range(len(index)))
        return True

    def _read_base(self, shown: int) -> None:
        """The base from SQL (`shown` ids). A long list reads the ids of its first screen now,
        and the rest on a thread (or at once when a row beyond them is wanted)."""
        self._base_token += 1
        key, flt = self._sort_key(), self._filter
        if self._total < BACKGROUND_INDEX:
            self._set_base(listing.ids(self.database, self.listing, flt, key))
            return
        head = listing.ids(self.database, self.listing, flt, key, limit=FIRST_IDS)
        if len(head) < FIRST_IDS:
            self._set_base(head)
            return
        self._set_base(head, shown)
        token, database, lst = self._base_token, self.database, self.listing
        tickets, send = self._tickets, self._send

        def rest() -> None:
            if tickets.base == token and database_open(database):  # still the base shown
                send("base", listing.ids(database, lst, flt, key), token)

        # queued once the window is back in its event loop: the first screen is painted
        # before the thread reads (reading beside the paint, the two took turns at Python's
        # lock: 404-520 ms to the first screen of 200,000 consultings against 186-263 ms)
        QTimer.singleShot(0, self, partial(background, BASE_JOB, rest))

    def _set_base(self, base: array, length: int | None = None) -> None:
        self._base = base
        self._base_len = len(base) if length is None else length
        if not self._needle:
            self._view = base

    def _whole_base(self, base: array, now: bool = True) -> None:
        """The whole base in place of its head (the same rows unless the data changed in
        between: then the views are told, at once or, inside a model call, just after)."""
        head = self._base
        same = len(base) == self._base_len and base[:len(head)] == head
        if same:
            self._set_base(base)
        elif now:
            self.beginResetModel()
            self._set_base(base)
            self.endResetModel()
        else:
            self._set_base(base)
            QTimer.singleShot(0, self, self._reset_views)

    def _reset_views(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _full_base(self) -> array:
        """The whole base (read now if a thread has not brought it yet)."""
        if len(self._base) < self._base_len:
            self._base_token += 1  # the thread's copy is no longer wanted
            self._whole_base(listing.ids(self.database, self.listing, self._filter,
                                         self._sort_key()), now=False)
        return self._base

    def _apply_search(self, resorted: bool = False) -> None:
        """The view: the base's rows that match the search (`resorted`: the base holds the
        rows it held, in another order; the matches found for the needle still hold)."""
        whole_view = self._view_rest is None  # the view holds every match of its needle
        self._view_rest = None
        self._view_token += 1
        if not self._needle:
            self._searched = None
            self._hits = None
            self._view = self._base
            self._sums = None
            return
        base = self._full_base()
        index = self._search_index()
        needle = self._needle.replace(listing.ROW_SEP, "")
        # typing on: the matches of a longer needle are among those found for its start
        narrowed = self._searched is not None and self._searched[0] is base \
            and self._searched[1] in needle and self._hits is not None
        within = self._hits if narrowed else None
        if within is None and self._picked is not None and self._picked[0] is base:
            within = self._picked[1]  # a filter picked in memory: only its rows are searched
        if not (resorted and self._searched is not None and self._searched[1] == needle
                and self._hits is not None):
            self._hits = index.find(needle, within)
            # the matches are all in the base (none a filter hides) when searched among its rows
            self._hits_in_base = not self._filter.active or (
                self._hits_in_base if narrowed else within is not None)
        order = base  # a base a filter picked from a held order: its matches in that order
        if self._picked is not None and self._picked[0] is base:
            order = self._picked[2]  # (the same rows: the matches are among the picked ones)
        ranks, hits = self._ranks_of(order), self._hits
        if ranks is None and order is not base:  # the held order's ranks not read yet: a pass
            order = base  # over the rows it picked (the same rows in the same order, fewer)
            ranks = next((r for b, r in self._ranks if b is base), None)
        many = ranks is None or len(hits) * 32 >= len(order)  # not a few: a pass over ids
        if narrowed and not resorted and whole_view and len(self._view) < len(order) and many:
            # typing on: the new matches are rows of the view, in its order (a pass over the
            # view's ids, not over the whole order; not a view of the first matches only)
            self._view = listing.rows_in(self._view, index, hits)
        elif many and self._hits_in_base and len(hits) > FIRST_IDS \
                and len(order) >= BACKGROUND_INDEX:
            # a long list: its first matches now (the order read only as far as they lie),
            # the rest placed once the window is idle, or at once when a row beyond is asked
            self._view = listing.first_rows(order, index, hits, FIRST_IDS)
            self._view_rest = partial(listing.rows_in, order, index, hits, ranks)
            QTimer.singleShot(REST_DELAY_MS, self, partial(self._place_rest, self._view_token))
        else:
            self._view = listing.rows_in(order, index, hits, ranks)
        self._view_len = len(hits) if self._view_rest is not None else len(self._view)
        self._searched = (base, needle)
        self._sums = None

    def _place_rest(self, token: int) -> None:
        if token == self._view_token:  # the same search, filter and sort
            self._full_view(now=True)

    def _full_view(self, now: bool = False) -> array:
        """The whole view of a search (its rest placed now if it has not been yet); the views
        are told if it holds fewer rows than were counted (a record the index holds and the
        base no longer does): at once, or inside a model call just after."""
        rest, self._view_rest = self._view_rest, None
        if rest is not None:
            self._view = rest()
            if len(self._view) != self._view_len:
                self._view_len = len(self._view)
                if now:
                    self._reset_views()
                else:
                    QTimer.singleShot(0, self, self._reset_views)
        return self._view

    def _ranks_of(self, base: array) -> Any:
        """Each id's row in `base` (kept for the last few bases: the held orders a filter
        picks from and a filtered base a search marks); None for a long base whose ranks the
        thread has not read yet (listing.rows_in then looks its ids up instead)."""
        for b, ranks in self._ranks:
            if b is base:
                return ranks
        if len(base) >= BACKGROUND_INDEX:
            return None
        return self._keep_ranks(base, listing.ranks(self._search_index().ids, base))

    def _keep_ranks(self, base: array, ranks: Any) -> Any:
        self._ranks = [(base, ranks), *self._ranks[:2]]
        return ranks

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
        self._want_ranks(later=True)

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
        if not self._needle:
            return dict(self._sql_totals)
        if self._sums is None:
            hits = self._hits or []
            if not self._hits_in_base:  # matches the filters hide are not summed
                ranks, index = self._ranks_of(self._base), self._search_index()
                ids = listing.picked(index.ids, hits)
                if ranks is None:
                    inside = map(set(self._base).__contains__, ids)
                else:
                    inside = map(len(self._base).__ne__, listing.picked(ranks, ids))
                hits = list(itertools.compress(hits, inside))
            self._sums = self._search_index().sums(hits)
        return dict(self._sums)

    def _rows(self) -> int:
        return self._view_len if self._needle else self._base_len

    def _whole(self) -> array:
        """Every id shown (a long list's ids read now if a thread has not brought them)."""
        if not self._needle:
            self._full_base()
            return self._view
        return self._full_view()

    def shown_ids(self) -> array:
        return self._whole()

    def id_at(self, row: int) -> int | None:
        if not 0 <= row < self._rows():
            return None
        return (self._view if row < len(self._view) else self._whole())[row]

    def row_of(self, ident: int) -> int:
        try:
            return self._whole().index(ident)
        except ValueError:
            return -1

    def _row(self, row: int) -> tuple:
        if row >= len(self._view) and row >= len(self._whole()):
            return self._blank  # deleted since it was counted: blank until the views reset
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
        return 0 if parent.isValid() else self._rows()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # roles compared as ints read once (a Qt enum attribute is a Python descriptor call);
        # of the roles a paint asks each cell for, those it has no answer for leave first
        if role not in _ROLES:
            return None
        row, col = index.row(), index.column()
        if row < 0 or col < 0 or row >= self._rows() or col >= len(self.fields):
            return None  # an invalid index has row and column -1
        if role == _DISPLAY:
            values = self._row(row)
            if col in self._months and values[self._months[col]] and values[col] is not None:
                return month_text(values[col])
            return self._formatters[col](values[col])
        if role == _ALIGNMENT:
            return self._alignments[col]
        if role == _SORT:
            return self._row(row)[col]
        if role == _ID:
            return self.id_at(row)
        if role == _TOOLTIP and self.fields[col].kind in ("text", "multiline"):
            return self._formatters[col](self._row(row)[col]) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            return self.fields[section].caption
        if orientation == Qt.Orientation.Vertical and 0 <= section < self._rows():
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    # ---------------------------------------------------------------- sorting

    def set_sort(self, column: int, order: Qt.SortOrder) -> None:
        """The order the next load uses (no query now: the first load sorts in SQL)."""
        if 0 <= column < len(self.fields):
            self._sort = (column, order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column: in memory when its order has been read (a long list reads every
        column's on a thread), else in SQL."""
        if not 0 <= column < len(self.fields) or self._sort == (column, order):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        if persistent and max(p.row() for p in persistent) >= len(self._view):
            self._whole()
        shown = self._view
        old = [(shown[p.row()], p.column()) for p in persistent if p.row() < len(shown)]
        key = self.fields[column].key, order == Qt.SortOrder.DescendingOrder
        held = self._orders.get(key)
        picked = self._picked if self._picked is not None and self._picked[0] is self._base \
            else None
        if held is not None and self._filter.active and self._members is None and not picked:
            self._members = set(self._full_base())  # before the sort changes what it reads
        self._sort = (column, order)
        if self.database is not None:
            self._base_token += 1
            if held is None:
                self._read_base(self._base_len)
            elif picked is not None:  # a filter picked in memory: its rows in the new order
                base = listing.rows_in(held, self._search_index(), picked[1],
                                       self._ranks_of(held))
                self._set_base(base)
                self._picked = (base, picked[1], held)
            elif self._members is not None:
                self._set_base(listing.in_order(held, self._members))
            else:
                self._set_base(held)
            self._apply_search(resorted=True)
        if persistent:
            new = []
            rows = {ident: self.row_of(ident) for ident in dict.fromkeys(i for i, _c in old)}
            for ident, c in old:  # a row's every column: one look for its row, not one each
                r = rows[ident]
                new.append(self.index(r, c) if r >= 0 else QModelIndex())
            new += [QModelIndex()] * (len(persistent) - len(new))
            self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()
        self._want_ranks(later=True)

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
        view = self._whole()
        for start in range(0, len(view), 2_000):
            chunk = view[start:start + 2_000]
            got = listing.rows(self.database, self.listing, chunk)
            for ident in chunk:
                yield got.get(ident, self._blank)
