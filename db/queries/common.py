"""Small helpers shared by the query modules."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Executable, Row
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


_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names in __init__ order (checked once per class)."""
    names = _NAMES.get(cls)
    if names is None:
        if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
            raise TypeError(f"{cls.__name__}: built() needs a dataclass without "
                            "__post_init__ or slots")
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def built(cls: type[T], rows: Iterable[Iterable[Any]]) -> list[T]:
    """`[cls(*row) for row in rows]` for a frozen dataclass, at about half the cost.

    A frozen dataclass's __init__ sets every field through object.__setattr__, one call per
    field: for the 69,602 detail rows of a year's report at 1,000,000 records that was a
    quarter of Dure's own time. Here each object gets its whole __dict__ in one update; the
    objects are the same (equal, pickled alike). Each row holds every field, in order.
    """
    names = _field_names(cls)
    new = object.__new__
    out: list[T] = []
    append = out.append
    for row in rows:
        obj = new(cls)
        obj.__dict__.update(zip(names, row, strict=True))
        append(obj)
    return out


def grouped(cls: type[T], rows: Iterable[Iterable[Any]]) -> dict[Any, list[T]]:
    """Rows of (key, *fields) as `cls` objects (as built() makes them) by key, in row order."""
    names = _field_names(cls)
    new = object.__new__
    out: dict[Any, list[T]] = {}
    for row in rows:
        values = iter(row)
        key = next(values)
        obj = new(cls)
        obj.__dict__.update(zip(names, values, strict=True))
        mine = out.get(key)
        if mine is None:
            out[key] = [obj]
        else:
            mine.append(obj)
    return out
