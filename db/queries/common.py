"""Small helpers shared by the query modules."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import Executable, Row, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


def opt_float(v: float | None) -> float | None:
    """A float column as a float, whatever the backend (or an unsaved object) holds."""
    return None if v is None else float(v)


def core_rows(session: Session, statement: Executable) -> Sequence[Row[Any]]:
    """All rows of a select of plain columns, through the session's connection (Core).

    `session.execute` sends even a select of columns through the ORM's loading path, and
    iterating a result fetches row by row; for the thousands of detail rows of a report at
    1,000,000 records both cost more than SQLite itself. Nothing is flushed first: the
    report reads what is committed.
    """
    return session.connection().execute(statement).all()


def bounds(session: Session, column: Any) -> tuple[Any, Any]:
    """The lowest and the highest value of `column` (None, None for no rows), in one statement
    of two scalar subqueries. A SELECT of min() and max() together makes SQLite read every row
    (its min/max optimisation takes a query of one of them only); apart, an index on the
    column gives each at once: 0.2 ms against 35 ms over 200,000 consultings."""
    low = select(func.min(column)).scalar_subquery()
    high = select(func.max(column)).scalar_subquery()
    lo, hi = session.execute(select(low, high)).one()
    return lo, hi


def attach(session: Session, parents: Mapping[int, Any], attr: str,
           make: Callable[..., Any], statement: Executable) -> None:
    """Each row of `statement` (its parent's id first, then the child's columns) appended as
    `make(*columns)` to that parent's list `attr`: a parent's children in one read."""
    for parent_id, *columns in core_rows(session, statement):
        getattr(parents[parent_id], attr).append(make(*columns))


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while the block builds its rows (re-enabled after).

    A year's report at 1,000,000 records builds about 100,000 small objects; each 700 of
    them start a collection, and the older generations' passes walk every object the
    process holds: a quarter of the report's time went there. Reference counting still
    frees what the block drops; a cycle it leaves waits for the next collection after it.

    What the block made is then handed to the oldest generation as it is (gc.freeze, then
    gc.unfreeze, which only splice lists): the first young collection after the block walked
    all of it (33-37 ms of a year's report at 1,000,000 records), and the rows live as long as
    the report. Only when nothing is frozen: in the window, which freezes what its imports
    made, gc.unfreeze would give those back too, and leaving the block's objects (and every
    other thread's) frozen would keep any cycle among them for as long as the desk runs.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _maker(cls: type[T]) -> Callable[[Iterable[Any]], T]:
    """A NamedTuple class's `_make` (one row's values, every field, in order)."""
    make = getattr(cls, "_make", None)
    if make is None or not issubclass(cls, tuple):
        raise TypeError(f"{cls.__name__}: built() needs a NamedTuple class")
    return cast(Callable[[Iterable[Any]], T], make)


def built(cls: type[T], rows: Iterable[Iterable[Any]]) -> list[T]:
    """`[cls(*row) for row in rows]` for a NamedTuple class: the report's listing rows.

    The rows a year's report lists at 1,000,000 records are tens of thousands; a frozen
    dataclass's __init__ sets each field through object.__setattr__, and even filling its
    __dict__ in one update cost 0.7 µs a row, a NamedTuple 0.15 µs. Each row holds every
    field, in order (TypeError otherwise).
    """
    return list(map(_maker(cls), rows))


def grouped(cls: type[T], rows: Iterable[Sequence[Any]]) -> dict[Any, list[T]]:
    """Rows of (key, *fields) as `cls` objects (as built() makes them) by key, in row order."""
    make = _maker(cls)
    out: dict[Any, list[T]] = {}
    for row in rows:
        key = row[0]
        obj = make(row[1:])
        mine = out.get(key)
        if mine is None:
            out[key] = [obj]
        else:
            mine.append(obj)
    return out
