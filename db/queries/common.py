"""Small helpers shared by the query modules."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.orm import Session


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
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
