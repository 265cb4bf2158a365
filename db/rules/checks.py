"""Helpers the area rule modules share: related records, field labels, value text, order checks.

Validators get either a transient object (a form's `check`, no session), a pending one, or
a flushed one inside `service.save`; these helpers find parents and siblings in all three
cases without lazy-loading detached objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import CheckConstraint, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import DetachedInstanceError

from ..formats import dotted, josa, won
from ..models import Base
from ..naming import table
from .core import ERROR, WARNING, Problem, Severity, label_of, model_of, rule
from .rows import Row

__all__ = [
    "ERROR", "WARNING", "Problem", "derived", "holds", "label", "loaded", "money_text",
    "order_problem", "parent_of", "session_cache", "shown", "siblings", "with_value",
]

T = TypeVar("T")
_SESSION_CACHES: set[str] = set()


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_caches(session: Session, *_: Any) -> None:
    """Any write or rollback makes the session's cached indexes stale."""
    for key in _SESSION_CACHES:
        session.info.pop(key, None)


def session_cache(session: Session, key: str, build: Callable[[], T]) -> T:
    """`build()` (stored state, read without autoflush) once per session until it writes.

    One pass over a table for every record a session checks, instead of a query per record:
    `main.py check` stays linear, and a form's save reads the same stored state.
    """
    _SESSION_CACHES.add(key)
    if key not in session.info:
        with session.no_autoflush:
            session.info[key] = build()
    value: T = session.info[key]
    return value


def label(obj: Any, field: str) -> str:
    """The Korean label of `field` on `obj`'s model."""
    return label_of(model_of(obj), field)


def shown(value: Any) -> str:
    """A value as the clerk reads it in a message: 2021.8.15., 15:00, 8,000,000원."""
    if isinstance(value, dt.datetime):
        return f"{dotted(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return dotted(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def money_text(n: int) -> str:
    """8000000 → '8,000,000원'."""
    return f"{won(n)}원"


def loaded(obj: Any, attr: str) -> Any:
    """`obj.attr`, or None when reading it would need a session the object no longer has."""
    try:
        return getattr(obj, attr, None)
    except DetachedInstanceError:
        return None


def parent_of(obj: Any, rel: str, session: Session | None) -> Any:
    """The parent record through relationship `rel`, from memory or (by its id) the session."""
    value = loaded(obj, rel)
    if value is not None or session is None:
        return value
    prop = sa_inspect(model_of(obj)).relationships[rel]
    (col,) = prop.local_columns
    ident = loaded(obj, str(col.key))
    if ident is None:
        return None
    return session.get(prop.mapper.class_, ident)


def derived(obj: Any, key: str, compute: Callable[[Any], T]) -> T:
    """`compute(obj)`: once per light row of `main.py check` (rows.py; read, never edited,
    while the check runs), every time on an ORM object (a form may have edited it since)."""
    if not isinstance(obj, Row):
        return compute(obj)
    try:
        memo: dict[str, Any] = obj._derived
    except AttributeError:
        memo = obj._derived = {}
    if key not in memo:
        memo[key] = compute(obj)
    value: T = memo[key]
    return value


def holds(parent: Any, collection: str, obj: Any) -> bool:
    """The parent's `collection` holds `obj` itself (not a copy with its id)."""
    if isinstance(parent, Row):  # a set of the members once per parent, not a scan per child
        return id(obj) in derived(parent, f"held:{collection}", lambda p: {
            id(item) for item in getattr(p, collection)})
    return any(item is obj for item in loaded(parent, collection) or [])


def siblings(obj: Any, parent: Any, collection: str) -> list[Any]:
    """The parent's children of `obj`'s kind with `obj` itself in its own (possibly edited) form."""
    items = list(loaded(parent, collection) or []) if parent is not None else []
    if parent is not None and holds(parent, collection, obj):
        return items
    ident = loaded(obj, "id")
    if ident is not None:
        items = [item for item in items if loaded(item, "id") != ident]
    return [*items, obj]


def with_value(lbl: str, value: Any, pair: str = "이/가") -> str:
    """'계약 종료(2021.8.13.)가': the label, its value in brackets, the label's particle."""
    return f"{lbl}({shown(value)}){josa(lbl, pair)[len(lbl):]}"


def order_problem(obj: Any, start: str, end: str, severity: Severity = ERROR) -> Problem | None:
    """A Problem when `end` comes before `start` (equal is fine: a one-day event)."""
    a, b = loaded(obj, start), loaded(obj, end)
    if a is None or b is None or b >= a:
        return None
    if isinstance(a, dt.time):
        verb, fix = "이릅니다", "시각을 확인하세요"
    else:
        verb, fix = "앞섭니다", "날짜를 확인하세요"
    text = f"{with_value(label(obj, end), b)} {label(obj, start)}({shown(a)})보다 {verb}. {fix}."
    return Problem(end, text, severity)


# "end_on IS NULL OR end_on >= start_on", written by models.base.ordered()
_ORDERED = re.compile(r"^(\w+) IS NULL OR \1 >= (\w+)$")
_order_cache: dict[type[Base], list[tuple[str, str]]] = {}


def ordered_pairs(model: type[Base]) -> list[tuple[str, str]]:
    """The (start, end) column pairs a model declares with `ordered()`, read from its table,
    in the order of the constraints' names (a table's constraints are a set: its order changes
    from one run to the next, and with it the order of a record's messages)."""
    if model not in _order_cache:
        pairs = []
        for cons in sorted(table(model).constraints, key=lambda c: str(c.name)):
            if isinstance(cons, CheckConstraint):
                m = _ORDERED.match(str(cons.sqltext))
                if m:
                    pairs.append((m.group(2), m.group(1)))
        _order_cache[model] = pairs
    return _order_cache[model]


YEAR_FIELDS = ("year", "designated_year")  # calendar years (not 1년차-style contract years)
YEAR_RANGE = (2000, 2100)


def calendar_years(obj: Any, session: Session | None) -> Iterator[Problem]:
    """A calendar year typed as 21 or 20211 is caught with one message for every model."""
    for field in YEAR_FIELDS:
        year = loaded(obj, field) if hasattr(model_of(obj), field) else None
        if isinstance(year, int) and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            yield Problem(field, (
                f"{label(obj, field)} {year}은(는) 맞지 않습니다. 2021처럼 네 자리로 입력하세요."))


def date_and_time_order(obj: Any, session: Session | None) -> Iterator[Problem]:
    """Every start/end pair of every model: the end may not come before the start."""
    for start, end in ordered_pairs(model_of(obj)):
        problem = order_problem(obj, start, end)
        if problem:
            yield problem


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(Base, applies=lambda model: any(hasattr(model, f) for f in YEAR_FIELDS))(calendar_years)
rule(Base, applies=lambda model: bool(ordered_pairs(model)))(date_and_time_order)
