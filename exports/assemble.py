"""Which tables go into which export: query calls in one place, builders for the layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, String, Time, select, type_coerce
from sqlalchemy.orm import Session

from db import images
from db import queries as q
from db.models import Organization
from db.periods import Period, span
from db.queries.finance import finance_as_of
from db.settings import OfficeSettings, load_settings, roster_notes
from db.tabular import ENTITIES, Column, columns, sheet_name

from . import tables as t
from .roster import roster_tables
from .table_model import ReportTable

if TYPE_CHECKING:
    from db.models.base import Base

ORG_NAME_LABEL = "기업명"


def pledge_name(s: OfficeSettings) -> str:
    """The pledge as the budget tables print it (a setting; a neutral default when unset)."""
    return s.pledge or "사회적경제 지원시스템 구축"


def yearly_tables(session: Session, first: Period, last: Period) -> list[ReportTable]:
    """The yearly tables of the report for span(first, last), in report order."""
    periods = span(first, last)
    s = load_settings(session)
    labels = q.period_labels(session)
    milestones = q.space_milestones(session, periods)
    out = [
        t.startup_table(q.startup_yearly(session, periods)),
        t.sales_table(q.sales_yearly(session, periods)),
        t.finance_table(q.finance_yearly(session, periods), periods),
    ]
    if milestones:
        out.append(t.milestone_table(milestones, periods))
    out += [
        t.budget_plan_table(q.budget_table(session, "투자계획"), labels, pledge_name(s)),
        t.secured_table(q.secured_executed(session), labels, pledge_name(s)),
        t.participation_years_table([(p, q.participation_counts(session, p)) for p in periods]),
    ]
    purchasing = q.purchasing_results(session, last)
    if purchasing:
        out.append(t.purchasing_table(purchasing))
    return out


def workbook_tables(session: Session, first: Period, last: Period) -> list[ReportTable]:
    """The workbook's report sheets: the yearly tables, the as-of finance and the roster."""
    s = load_settings(session)
    out = yearly_tables(session, first, last)
    out.insert(3, t.finance_as_of_table(finance_as_of(session, last.end), last.end,
                                        numeric=True))
    out += roster_tables(q.roster(session, last.end, s.warn_days), last.end, s.warn_days,
                         roster_notes(session))
    return out


def roster_report(session: Session, as_of: dt.date) -> tuple[str, list[ReportTable]]:
    """The roster's document title and its tables (one per provider)."""
    s = load_settings(session)
    title = " ".join(p for p in (s.city, "사회적경제기업 입주공간 현황") if p)
    return title, roster_tables(q.roster(session, as_of, s.warn_days), as_of, s.warn_days,
                                roster_notes(session))


def data_columns(model: type[Base]) -> tuple[list[Column], list[str], list[str]]:
    """Data-sheet columns, header labels and kinds; organization references gain a name column."""
    cols = columns(model)
    labels: list[str] = []
    kinds: list[str] = []
    org_refs = [c for c in cols if c.kind == "fk" and c.target is Organization]
    for c in cols:
        labels.append(c.label)
        kinds.append(c.kind)
        if c in org_refs:
            labels.append(ORG_NAME_LABEL if len(org_refs) == 1 else f"{c.label} {ORG_NAME_LABEL}")
            kinds.append("text")
    return cols, labels, kinds


def _reader(model: type[Base], col: Column, sqlite: bool
            ) -> tuple[Any, Callable[[Any], Any] | None]:
    """The select expression of a column and how to turn what it returns into the value
    a sheet shows.

    On SQLite, dates and times are read as their stored ISO text and parsed with
    `fromisoformat` (SQLAlchemy's own regular-expression parsing was a fifth of the
    workbook's time); time stamps are shown to the second, as value_of shows them.
    """
    attr = getattr(model, col.key)
    if col.labels:  # a stored code is shown by its Korean label
        return attr, col.shown
    sql_type = attr.property.columns[0].type
    if col.kind == "image":  # a stored image: the sheet says that one is there (import skips it)
        return attr, images.shown
    if isinstance(sql_type, DateTime):
        if sqlite:
            return type_coerce(attr, String), lambda v: v[:19]
        return attr, lambda v: v.isoformat(sep=" ", timespec="seconds")
    if sqlite and isinstance(sql_type, Date):
        return type_coerce(attr, String), dt.date.fromisoformat
    if sqlite and isinstance(sql_type, Time):
        return type_coerce(attr, String), dt.time.fromisoformat
    return attr, None


def data_rows(session: Session, model: type[Base], cols: list[Column],
              org_names: dict[int, str]) -> Iterator[list[Any]]:
    """Every record of an entity as plain values, streamed in id order (Core rows)."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    readers = [_reader(model, c, sqlite) for c in cols]
    stmt = select(*(expr for expr, _fn in readers)).order_by(model.id)
    convert = [(i, fn) for i, (_e, fn) in enumerate(readers) if fn is not None]
    orgs = [i for i, c in enumerate(cols) if c.kind == "fk" and c.target is Organization]
    result = conn.execution_options(yield_per=5000).execute(stmt)
    for row in result:
        values = list(row)
        for i, fn in convert:
            v = values[i]
            if v is not None:
                values[i] = fn(v)
        for i in reversed(orgs):  # the enterprise's name right after its reference
            v = values[i]
            values.insert(i + 1, org_names.get(v) if v is not None else None)
        yield values


def entity_sheets() -> list[tuple[type[Base], str]]:
    """(model, sheet name) for every entity with a data sheet."""
    return [(m, sheet_name(m)) for m in ENTITIES]


def org_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Organization.id, Organization.name)).tuples().all())
