"""Lists in SQL: the ids of a list in its order, filtered and summed by the database; the
values of only the rows on screen; and a compact in-memory search index.

Anki's browser table works this way (ids and sort keys in SQL, row text on demand): a list of
1,000,000 records costs its ids, not a million Python rows. The GUI model
(gui/widgets/table_model.py) asks these functions and draws what they return.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import time
from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, String, and_, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from . import search
from .naming import table_of
from .queries.common import bounds

if TYPE_CHECKING:
    from .models.base import Base

COLUMN_SEP = "\x1f"  # between a row's searched columns: a search never spans two
ROW_SEP = "\x1e"  # between rows (not a character search.normalize removes)
TOTAL_KINDS = ("money",)  # summed in the 합계 row, with counts (int columns with a unit)


@dataclass(frozen=True)
class ListColumn:
    """One list column: its key and kind; a foreign key shows its target's title column."""

    key: str
    kind: str
    target: type[Base] | None = None
    title: str | None = None  # the target's title column (name, site, year …)
    labels: dict[Any, str] | None = None  # shown text of stored codes
    unit: str | None = None

    @property
    def summed(self) -> bool:
        """Money and counts with a unit; a column of many units (unit "") is never summed."""
        if self.unit == "":  # 이월 실적's 값: 원 beside 개, 명 and 회 add up to nothing
            return False
        return self.kind in TOTAL_KINDS or (self.kind == "int" and bool(self.unit))


@dataclass(frozen=True)
class Listing:
    """What a list shows of one model: columns, searched columns and the period column."""

    model: type[Base]
    columns: tuple[ListColumn, ...]
    search: tuple[str, ...] = ()
    period: str | None = None

    @property
    def table(self) -> str:
        return table_of(self.model)

    @property
    def period_is_date(self) -> bool:
        if self.period is None:
            return False
        return isinstance(self.model.__table__.c[self.period].type, Date)

    def column(self, key: str) -> ListColumn:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Filter:
    """The list's filters: a year (and half) of the period column, and equal-to columns."""

    year: int | None = None
    half: int | None = None  # 1 or 2, with a date period
    equals: tuple[tuple[str, Any], ...] = ()  # (column key, stored value or id)

    @property
    def active(self) -> bool:
        return self.year is not None or bool(self.equals)


@dataclass
class _Query:
    """Expressions of one listing: what each column shows and sorts by, and the joins."""

    shown: dict[str, Any] = field(default_factory=dict)
    joins: list[tuple[Any, Any]] = field(default_factory=list)

    def select_from(self, stmt: Any) -> Any:
        for target, on in self.joins:
            stmt = stmt.outerjoin(target, on)
        return stmt


def _query(listing: Listing, keys: Iterable[str] | None = None) -> _Query:
    """Column expressions, joining a target only for the columns in `keys` (all by default)."""
    model = listing.model
    wanted = set(keys) if keys is not None else {c.key for c in listing.columns}
    q = _Query()
    for c in listing.columns:
        if c.key not in wanted:
            continue
        if c.target is not None and c.title is not None:
            target = aliased(c.target)
            q.shown[c.key] = getattr(target, c.title)
            q.joins.append((target, getattr(model, c.key) == target.id))
        else:
            q.shown[c.key] = getattr(model, c.key)
    return q


def conditions(listing: Listing, flt: Filter) -> list[Any]:
    """SQL conditions of a filter (a period range the database can use an index for)."""
    model = listing.model
    out: list[Any] = []
    if flt.year is not None and listing.period is not None:
        col = getattr(model, listing.period)
        if listing.period_is_date:
            first, last = (1, 12) if flt.half is None else ((1, 6) if flt.half == 1 else (7, 12))
            start = dt.date(flt.year, first, 1)
            end = dt.date(flt.year + 1, 1, 1) if last == 12 else dt.date(flt.year, 7, 1)
            out += [col >= start, col < end]
        else:
            out.append(col == flt.year)
    for key, value in flt.equals:
        out.append(getattr(model, key) == value)
    return out


def _ordered(listing: Listing, stmt: Any, q: _Query, sort: tuple[str, bool] | None) -> Any:
    model = listing.model
    if sort is None:
        return stmt.order_by(model.id)
    key, desc = sort
    expr = q.shown[key]
    nullable = key in {c.key for c in listing.columns if c.target is not None} or \
        model.__table__.c[key].nullable
    order = [expr.desc() if desc else expr.asc(), model.id]
    if nullable:  # blanks last either way
        order.insert(0, expr.is_(None))
    return stmt.order_by(*order)


def ids(database: Any, listing: Listing, flt: Filter = Filter(),
        sort: tuple[str, bool] | None = None, limit: int | None = None) -> array[int]:
    """The ids of the filtered list in its order (one query, no row values); with `limit`
    only the first ones (the first screen of a long list, while the rest loads)."""
    model = listing.model
    q = _query(listing, [sort[0]] if sort else [])
    stmt = q.select_from(select(model.id).select_from(model)).where(*conditions(listing, flt))
    stmt = _ordered(listing, stmt, q, sort)
    if limit is not None:
        stmt = stmt.limit(limit)
    with database.session() as s:
        return _compact(_raw_ids(s, stmt))


def orders(database: Any, listing: Listing, key: str) -> tuple[array[int], array[int]]:
    """The unfiltered list's ids sorted by column `key`, ascending and descending: what
    `ids` gives for those sorts (blanks last, ties by id).

    Held in memory, a later sort on this column, with any filter or search, is a pass over an
    array, not a query. Both are sorted by the database (it sorts without holding Python's
    lock, so the window stays responsive while a thread reads them) and read in chunks.
    """
    return ids(database, listing, sort=(key, False)), ids(database, listing, sort=(key, True))


def in_order(order: Sequence[int], wanted: set[int]) -> array[int]:
    """The ids of `order` that are in `wanted`, in `order`'s order (one C-level pass)."""
    return array("q", filter(wanted.__contains__, order))


def _raw_ids(session: Any, stmt: Any) -> array[int]:
    """The first column of the rows as the driver returns them, read in chunks: the statement
    runs through SQLAlchemy (bound values processed), the rows skip its per-row processing
    (4× faster for 200,000 ids) and never sit in memory all at once."""
    out = array("q")
    result = session.connection().execute(stmt)
    try:
        while chunk := result.cursor.fetchmany(20_000):
            out.extend(map(operator.itemgetter(0), chunk))
    finally:
        result.close()
    return out


def _compact(values: array[int]) -> array[int]:
    """4-byte ids when they fit (every id of an INTEGER key on PostgreSQL does): half the
    memory of a long list's ids and held sort orders."""
    try:
        return array("i", values)
    except OverflowError:
        return values


def count(database: Any, listing: Listing, flt: Filter = Filter()) -> int:
    """How many records the list has (without filters unless `flt` is given)."""
    model = listing.model
    stmt = select(func.count()).select_from(model).where(*conditions(listing, flt))
    with database.session() as s:
        return int(s.scalar(stmt) or 0)


def rows(database: Any, listing: Listing, wanted: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """id → (value of each column in order) for the given ids (the rows on screen)."""
    if not wanted:
        return {}
    model = listing.model
    q = _query(listing)
    exprs = [q.shown[c.key] for c in listing.columns]
    out: dict[int, tuple[Any, ...]] = {}
    with database.session() as s:
        conn = s.connection()
        for start in range(0, len(wanted), 500):
            chunk = list(wanted[start:start + 500])
            stmt = q.select_from(select(model.id, *exprs).select_from(model))
            for r in conn.execute(stmt.where(model.id.in_(chunk))):
                out[r[0]] = tuple(r[1:])
    return out


def summary(database: Any, listing: Listing, flt: Filter = Filter()) -> tuple[int, dict[str, int]]:
    """How many records the filtered list has and its sums (`totals`), in one pass."""
    keys = [c.key for c in listing.columns if c.summed]
    model = listing.model
    stmt = select(func.count(), *(func.coalesce(func.sum(getattr(model, k)), 0) for k in keys)) \
        .select_from(model).where(*conditions(listing, flt))
    with database.session() as s:
        values = s.execute(stmt).one()
    return int(values[0]), {k: int(v) for k, v in zip(keys, values[1:], strict=False)}


def totals(database: Any, listing: Listing, flt: Filter = Filter()) -> dict[str, int]:
    """Sums of the money and count columns over the filtered list."""
    keys = [c.key for c in listing.columns if c.summed]
    if not keys:
        return {}
    model = listing.model
    stmt = select(*(func.coalesce(func.sum(getattr(model, k)), 0) for k in keys)) \
        .where(*conditions(listing, flt))
    with database.session() as s:
        values = s.execute(stmt).one()
    return {k: int(v) for k, v in zip(keys, values, strict=False)}


def years(database: Any, listing: Listing) -> list[int]:
    """Years present in the period column, newest first (the filter's choices).

    Reads the first and last value (an index serves them: `bounds`) and asks once per year
    whether a record falls in it, instead of scanning every row for its year.
    """
    if listing.period is None:
        return []
    model = listing.model
    col = getattr(model, listing.period)
    with database.session() as s:
        low, high = bounds(s, col)
        if low is None:
            return []
        if listing.period_is_date:
            low, high = _as_date(low).year, _as_date(high).year
        found = []
        for y in range(int(high), int(low) - 1, -1):
            cond = conditions(listing, Filter(year=y))
            if s.execute(select(literal(1)).where(and_(*cond)).limit(1)).first() is not None:
                found.append(y)
    return found


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------- search


def _search_text(listing: Listing, q: _Query) -> Any:
    """One SQL text per row: the searched columns as shown, joined by COLUMN_SEP."""
    parts = []
    listed = {c.key: c for c in listing.columns}
    for key in listing.search:
        c = listed.get(key)  # a searched column the list does not show is searched as stored
        expr = q.shown[key] if c is not None else getattr(listing.model, key)
        if c is not None and c.labels:
            expr = case(c.labels, value=expr, else_=cast(expr, String))
        parts.append(func.coalesce(cast(expr, String), ""))
    text: Any = parts[0]
    for p in parts[1:]:
        text = text + literal(COLUMN_SEP) + p
    return text


class SearchIndex:
    """Every row's searched text, normalised, one string per row in id order, and the 초성
    of every row.

    A search is one C-level pass over the texts (`find`): `in` for each row, in the order the
    rows were read (the strings lie in memory in that order, so the pass reads memory in
    order: ~7× faster than visiting them in a list's sort order). A longer needle searches
    only the rows found for its start. A needle of initial consonants only (ㅁㅇㅅ) runs the
    same pass over `initials`: each row's text as one character per syllable, its initial
    consonant (see `initial_rows`), so its cost is one `in` per row however many syllables
    match (a split of all the rows' initials at every match cost 125 ms for "ㅇ" at 200,000
    rows).
    """

    def __init__(self, ids_: array[int], texts: list[str],
                 values: dict[str, array[int]] | None = None,
                 initials: list[str] | None = None) -> None:
        """`texts`: the rows' normalised texts in `ids_` order (ids ascending); `values`:
        summed columns aligned with them; `initials`: the texts' `initial_rows` (made from
        `texts` when not given)."""
        self.ids = ids_
        self.texts = texts
        self.values = values or {}
        self.codes: dict[str, FilterCodes] = {}  # filter columns (search_index fills them)
        if initials is None:
            initials = initial_rows(ROW_SEP.join(texts)) if texts else []
        self.initials = initials
        # ids ascending with no gap (no record deleted): an id's position is id - ids[0]
        self.contiguous = bool(len(ids_)) and ids_[0] >= 0 \
            and ids_[-1] - ids_[0] + 1 == len(ids_)
        self._found: tuple[list[int], list[bool]] | None = None  # the last whole-index find

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def blob(self) -> str:
        """Every row's text joined by ROW_SEP."""
        return ROW_SEP.join(self.texts)

    def positions(self, text: str) -> list[int] | None:
        """Index positions of the rows that match `text` (None: an empty search)."""
        needle = search.needle(text).replace(ROW_SEP, "")
        if not needle:
            return None
        return self.find(needle)

    def find(self, needle: str, within: Sequence[int] | None = None) -> list[int]:
        """Positions of the rows holding a normalised `needle`, in order; with `within`, only
        among those positions (the rows found for a shorter needle it starts with)."""
        rows = self.texts
        regex = None
        if only_initials(needle):  # the consonants' codes in the rows' initials
            rows, needle = self.initials, needle.translate(_CODES)
        else:
            regex = search.pattern(needle)
        texts: Iterable[str] = rows
        scope: Iterable[int] = range(len(rows))
        if within is not None:
            # (a map, not `picked`: over a list of strings it is faster, 24 ms against 35 for
            # 178,000 positions; picked wins over arrays, whose items are made as read)
            scope, texts = within, map(rows.__getitem__, within)
        if regex is not None:
            return list(itertools.compress(scope, map(regex.search, texts)))
        answers = map(operator.contains, texts, itertools.repeat(needle))
        if within is not None:
            return list(itertools.compress(scope, answers))
        held = list(answers)  # each row's answer, kept for `id_mask`
        found = list(itertools.compress(scope, held))
        self._found = (found, held)
        return found

    def id_mask(self, positions: Sequence[int]) -> bytes | None:
        """A byte per id from 0 to the last, 1 at the ids of `positions`, made from the
        answers of the search that found them, when it can be: `positions` are what the
        last search of the whole index found, the ids have no gap, and at least a tenth of
        the rows match. None otherwise (the caller sets a byte for each match's id).

        One C-level pass over the answers (3.7 ms for 200,000 rows), where setting the
        bytes costs a tenth of a microsecond per match: 13 ms for the 129,909 consultings
        of 200,000 holding '2' at 1M, and their ids as many again."""
        found = self._found
        if found is None or found[0] is not positions or len(positions) != len(found[0]) \
                or not self.contiguous or len(positions) * 10 < len(self.ids):
            return None
        return bytes(self.ids[0]) + bytes(found[1])

    def matching_ids(self, text: str) -> set[int] | None:
        found = self.positions(text)
        if found is None:
            return None
        ids_ = self.ids
        return {ids_[p] for p in found}

    def sums(self, positions: Sequence[int]) -> dict[str, int]:
        """Sums of the summed columns over index positions (the rows a search shows)."""
        return {k: sum(picked(col, positions)) for k, col in self.values.items()}


def picked(values: Any, keys: Sequence[Any]) -> Sequence[Any]:
    """`values[k]` for each of `keys`, in order, in one C-level call (operator.itemgetter):
    2.4× faster than `map(values.__getitem__, keys)` for 40,000 keys (5.5 ms against 2.3
    over an array of 200,000 sums), which a search of a long list pays for its ids, their
    rows and each 합계."""
    if len(keys) > 1:
        return operator.itemgetter(*keys)(values)  # type: ignore[no-any-return]
    return [values[k] for k in keys]  # itemgetter of one key gives the value, not a tuple


def only_initials(needle: str) -> bool:
    """A needle of initial consonants only (searched over the initials, not the texts)."""
    return bool(needle) and not needle.strip(search.INITIALS)


# One character per syllable: its initial consonant as chr(1..19), ROW_SEP as itself; a run
# of anything else one NUL (a consonant typed alone in a record is no syllable: 초성 search
# never matches it, nor a match across a digit, a letter or another column).
_INITIAL_TABLE = [0] * 0x10000
for _c in range(0xAC00, 0xD7A4):
    _INITIAL_TABLE[_c] = 1 + (_c - 0xAC00) // (21 * 28)
_INITIAL_TABLE[ord(ROW_SEP)] = ord(ROW_SEP)
_CODES = {ord(ch): 1 + i for i, ch in enumerate(search.INITIALS)}
_NOT_INITIAL = re.compile(f"[^\x01-\x13{ROW_SEP}]+")  # (characters beyond the table too)


def initial_rows(text: str) -> list[str]:
    """The initials of `text`'s rows (joined by ROW_SEP), one string per row (see
    _INITIAL_TABLE), no NUL at either end. (Rows with the same initials are not made one
    string: the pass over strings scattered in memory took twice as long.)"""
    coded = _NOT_INITIAL.sub("\0", text.translate(_INITIAL_TABLE))
    return [r.strip("\0") for r in coded.split(ROW_SEP)]


def ranks(ids_: Sequence[int], order: Sequence[int]) -> Any:
    """Each id's row in `order`, len(order) for an id of `ids_` it does not hold: an array
    indexed by id when the ids are dense (as autoincrement ids are), else a dict; either is
    read by `__getitem__`."""
    outside = len(order)
    top = max(max(ids_, default=0), max(order, default=0))
    table: Any
    if top > 4 * len(ids_) + 1024 or min(ids_, default=0) < 0 or min(order, default=0) < 0:
        table = dict.fromkeys(ids_, outside)
    else:
        table = array("i", [outside]) * (top + 1)
    for start in range(0, outside, 5_000):  # in chunks: a thread lets the window run between
        deque(map(table.__setitem__, order[start:start + 5_000], range(start, outside)),
              maxlen=0)
        time.sleep(0)  # Python's lock handed to the window's thread if it waits for it
    return table


def rows_in(order: Sequence[int], index: SearchIndex, positions: Sequence[int],
            ranks_: Any = None) -> array[int]:
    """The ids of `order` at the index `positions` (unique), in `order`'s order: each
    position's id, its row in `order` (`ranks_`, from `ranks`), a byte set there, the order
    compressed by those bytes (C-level passes over the positions, and one over the order).
    Without `ranks_` (not read yet for this order): the order's ids looked up in a byte per
    id, or in a set (see `_rows_by_id`)."""
    typecode = order.typecode if isinstance(order, array) else "q"
    if ranks_ is None:
        return _rows_by_id(order, index, positions, typecode)
    rows = picked(ranks_, picked(index.ids, positions))
    outside = len(order)
    if len(positions) * 32 < outside:  # a few: their rows sorted, no pass over the order
        return array(typecode, map(order.__getitem__, sorted(filter(outside.__ne__, rows))))
    found = bytearray(outside + 1)  # the last byte takes ids the order does not hold
    deque(map(found.__setitem__, rows, itertools.repeat(1)), maxlen=0)
    return array(typecode, itertools.compress(order, found))


def first_rows(order: Sequence[int], index: SearchIndex, positions: Sequence[int],
               count: int) -> array[int]:
    """The first `count` ids of what `rows_in(order, index, positions)` gives: the order read
    only as far as they lie (the first screen of a search, before the rest is placed)."""
    typecode = order.typecode if isinstance(order, array) else "q"
    ids_ = index.ids
    top = ids_[-1] if len(ids_) else 0
    if count > 0 and len(ids_) and ids_[0] >= 0 and top <= 4 * len(ids_) + 1024:
        mark = _marks(index, positions, top)  # a byte per id (dense ids), set for the wanted
        try:
            rows = list(itertools.islice(itertools.compress(
                range(len(order)), map(mark.__getitem__, order)), count))
            # the part of the order read holds no negative id (it would read a byte from
            # the end of the marks)
            if not rows or min(order[:rows[-1] + 1]) >= 0:
                return array(typecode, map(order.__getitem__, rows))
        except IndexError:  # an id added since the index was read: beyond its top
            pass
    return _rows_by_id(order, index, positions, typecode, count)


def _rows_by_id(order: Sequence[int], index: SearchIndex, positions: Sequence[int],
                typecode: str, limit: int | None = None) -> array[int]:
    """The ids of `order` at the index `positions`, in `order`'s order, with no ranks: a byte
    set for each wanted id in an array indexed by id (dense ids), else a set of them; with
    `limit`, only the first ones."""
    ids_ = index.ids
    top = ids_[-1] if len(ids_) else 0  # the index's ids are ascending
    if len(ids_) and ids_[0] >= 0 and top <= 4 * len(ids_) + 1024 \
            and (not order or min(order) >= 0):
        mark = _marks(index, positions, top)
        try:
            return array(typecode, itertools.islice(
                itertools.compress(order, map(mark.__getitem__, order)), limit))
        except IndexError:  # an id added since the index was read: beyond its top
            pass
    wanted = set(picked(ids_, positions))
    return array(typecode, itertools.islice(filter(wanted.__contains__, order), limit))


def _marks(index: SearchIndex, positions: Sequence[int], top: int) -> bytes | bytearray:
    """A byte per id up to `top` (the index's last), 1 at the ids of `positions`."""
    mark = index.id_mask(positions)
    if mark is not None:
        return mark
    made = bytearray(top + 1)
    deque(map(made.__setitem__, picked(index.ids, positions), itertools.repeat(1)), maxlen=0)
    return made


# Rows of a search index read, normalised and coded at a time. Each step over a chunk (its
# str.replace and translate, the regular expression of its initials) is one C call that holds
# Python's lock: over 20,000 rows of 컨설팅 text (740,000 characters) the translate alone took
# 36 ms, and while the 1M list's index and sort orders were read the window's longest wait was
# 67-86 ms (bench/bench_lists.py, two runs); at 5,000 rows 26-28 ms, the read as long.
INDEX_CHUNK = 5_000


def search_index(database: Any, listing: Listing) -> SearchIndex:
    """The list's search index, with its summed columns (for a 합계 row under a search) and
    its filter columns as codes (`FilterCodes`: a filter is then a pass in memory)."""
    model = listing.model
    summed = [c.key for c in listing.columns if c.summed]
    coded = filter_keys(listing)
    q = _query(listing, listing.search)
    text = _search_text(listing, q) if listing.search else literal("")
    stmt = q.select_from(select(model.id, text, *(getattr(model, k) for k in summed + coded))
                         .select_from(model)).order_by(model.id)
    ids_ = array("q")
    texts: list[str] = []
    initials: list[str] = []
    cols: dict[str, array[int]] = {k: array("q") for k in summed}
    codes = {k: _Coder(_period_group(listing) if k == listing.period else None)
             for k in coded}
    with database.session() as s:  # in chunks: the rows never sit in memory all at once
        result = s.connection().execute(stmt)
        try:
            while chunk := result.cursor.fetchmany(INDEX_CHUNK):
                ids_.extend(r[0] for r in chunk)
                # normalised chunk by chunk: the copies str.replace makes stay small
                joined = search.normalize(_joined([r[1] or "" for r in chunk]))
                texts += joined.split(ROW_SEP)
                initials += initial_rows(joined)
                for i, k in enumerate(summed):
                    cols[k].extend(r[2 + i] or 0 for r in chunk)
                for i, k in enumerate(coded, 2 + len(summed)):  # coded chunk by chunk
                    codes[k].add(list(map(operator.itemgetter(i), chunk)))
        finally:
            result.close()
    index = SearchIndex(ids_, texts, cols, initials)
    for k, coder in codes.items():
        if coder.codes is not None:
            index.codes[k] = FilterCodes(bytes(coder.codes), coder.code_of)
    return index


def filter_keys(listing: Listing) -> list[str]:
    """The columns a list filters on that fit a byte code: the period and choice columns."""
    keys = [c.key for c in listing.columns if c.kind == "choice" and c.target is None]
    if listing.period is not None and listing.period not in keys:
        keys.insert(0, listing.period)
    return keys


def _period_group(listing: Listing) -> Any:
    """A period value's (year, half) (half None for a year column): what a Filter picks."""
    if listing.period_is_date:
        def group(value: Any) -> tuple[int, int | None]:
            day = _as_date(value)
            return day.year, 1 if day.month <= 6 else 2
        return group
    return lambda value: (int(value), None)


@dataclass(frozen=True)
class FilterCodes:
    """One filter column in memory: a byte per index row (0 for a blank) and the code of each
    value (or, for the period, of each (year, half)). A filter on it is bytes.translate."""

    codes: bytes
    code_of: dict[Any, int]

    def mask(self, wanted: Iterable[Any]) -> bytes:
        """1 for each row holding one of the `wanted` values (groups), else 0."""
        table = bytearray(256)
        for w in wanted:
            if w in self.code_of:
                table[self.code_of[w]] = 1
        return self.codes.translate(table)


class _Coder:
    """Codes one filter column chunk by chunk (no column of 200,000 values held at once):
    a byte per row, the next code for each new kind; None once a value has no kind (a
    period value that is no date) or there are more than 255 kinds."""

    def __init__(self, group: Any = None) -> None:
        self.group = group
        self.codes: bytearray | None = bytearray()
        self.code_of: dict[Any, int] = {}  # kind → code
        self.by_value: dict[Any, int] = {None: 0}

    def add(self, values: list[Any]) -> None:
        if self.codes is None:
            return
        for v in set(values).difference(self.by_value):
            try:
                kind = self.group(v) if self.group is not None else v
            except (TypeError, ValueError):
                self.codes = None
                return
            if kind not in self.code_of:
                if len(self.code_of) == 255:
                    self.codes = None
                    return
                self.code_of[kind] = len(self.code_of) + 1
            self.by_value[v] = self.code_of[kind]
        self.codes.extend(map(self.by_value.__getitem__, values))


def filtered_positions(index: SearchIndex, listing: Listing, flt: Filter) -> list[int] | None:
    """Index positions of the rows a filter shows, from the index's filter codes (None: a
    column of the filter is not coded, or a value was never seen: ask SQL)."""
    masks: list[bytes] = []
    if flt.year is not None and listing.period is not None:
        codes = index.codes.get(listing.period)
        if codes is None:
            return None
        halves: tuple[int | None, ...] = (None,)
        if listing.period_is_date:
            halves = (1, 2) if flt.half is None else (flt.half,)
        masks.append(codes.mask((flt.year, h) for h in halves))
    for key, value in flt.equals:
        codes = index.codes.get(key)
        if codes is None or value not in codes.code_of:
            return None
        masks.append(codes.mask([value]))
    if not masks:
        return list(range(len(index)))
    both = masks[0]
    if len(masks) > 1:  # the rows every condition holds: the masks as integers, and-ed
        value = int.from_bytes(both, "little")
        for m in masks[1:]:
            value &= int.from_bytes(m, "little")
        both = value.to_bytes(len(index), "little")
    return list(itertools.compress(range(len(index)), both))


def _joined(texts: Sequence[str]) -> str:
    """Rows' texts joined by ROW_SEP (a separator stored in a record becomes a space)."""
    blob = ROW_SEP.join(texts)
    if blob.count(ROW_SEP) != max(len(texts) - 1, 0):
        blob = ROW_SEP.join(t.replace(ROW_SEP, " ") for t in texts)
    return blob
