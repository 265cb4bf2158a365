"""Small read helpers the tests share: row counts, record snapshots, rule messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db import service, tabular
from db.changes import Op


def row_count(db: Any, model: type, *where: Any) -> int:
    """How many rows of `model` (matching `where`, if given) the database holds."""
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def records(db: Any, model: type) -> list[tuple]:
    """Every row of `model` as a sorted tuple of its sheet columns: equal lists, same records."""
    cols = [c.key for c in tabular.columns(model)]
    with db.session() as s:
        return sorted(tuple(getattr(o, k) for k in cols) for o in s.scalars(select(model)))


def messages(obj: Any, severity: str | None = None) -> str:
    """The rule messages `service.check` gives for `obj` (of one severity, if given), one a line."""
    return "\n".join(p.message for p in service.check(obj) if severity in (None, p.severity))


def save_all(db: Any, objs: list[Any]) -> list[Any]:
    """Save `objs` in one write, each validated and logged in the change history as a form's
    save is (one transaction instead of one per record: a setup's hundreds of records)."""
    with service.write(db, Op.SAVE) as w:
        for obj in objs:
            w.session.add(obj)
            w.validate(obj)
    return objs
