"""Small helpers shared by the query modules."""

from __future__ import annotations

from collections.abc import Sequence
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
