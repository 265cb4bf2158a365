"""소통·예산·과제 figures: budget tables with totals both ways, participation, report notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..formats import yy_month
from ..models import BudgetLine, Participation, ReportNote
from ..models.choices import FUND_SOURCES, PARTICIPATION_KINDS
from ..periods import Period
from ..settings import load_settings
from .common import core_rows

PRIOR, AFTER = "prior", "after"


def _period_keys(session: Session) -> tuple[list[str], dict[str, str]]:
    """Budget period keys in order (prior, term years…, after) and their column labels."""
    s = load_settings(session)
    start, end = s.term_start, s.term_end
    labels = {PRIOR: "기투자"}
    for y in range(start.year, end.year + 1):
        text = f"'{y % 100:02d}"
        if y == start.year and (start.month, start.day) != (1, 1):
            text = yy_month(start)
        elif y == end.year and (end.month, end.day) != (12, 31):
            text = yy_month(end)
        labels[str(y)] = text
    labels[AFTER] = "임기후"
    return list(labels), labels


def period_labels(session: Session) -> dict[str, str]:
    """Column labels of the budget tables by key, in order: prior, '18.7., '19 … '22.6., 임기후."""
    return _period_keys(session)[1]


@dataclass(frozen=True)
class BudgetTable:
    """투자계획 / 확보 / 집행 by source and period, totals computed both ways (원)."""

    kind: str
    periods: list[str]  # keys: prior, years…, after (labels from period_labels)
    sources: tuple[str, ...]
    cells: dict[tuple[str, str], int | None]  # (source, period) → 원, None when not entered
    row_totals: dict[str, int | None]  # per source; None when the row is empty
    column_totals: dict[str, int | None]  # per period; None when the column is empty
    grand_total: int


def budget_table(session: Session, kind: str) -> BudgetTable:
    """One budget table; lines outside the pledge term's years are left out of the columns."""
    keys, _labels = _period_keys(session)
    found = {
        (src, per): int(amt) for src, per, amt in session.execute(
            select(BudgetLine.source, BudgetLine.period, BudgetLine.amount)
            .where(BudgetLine.kind == kind))
    }
    cells = {(s, p): found.get((s, p)) for s in FUND_SOURCES for p in keys}
    row_totals: dict[str, int | None] = {}
    for s in FUND_SOURCES:
        vals = [v for p in keys if (v := cells[(s, p)]) is not None]
        row_totals[s] = sum(vals) if vals else None
    column_totals: dict[str, int | None] = {}
    for p in keys:
        vals = [v for s in FUND_SOURCES if (v := cells[(s, p)]) is not None]
        column_totals[p] = sum(vals) if vals else None
    grand = sum(v for v in row_totals.values() if v is not None)
    return BudgetTable(kind, keys, FUND_SOURCES, cells, row_totals, column_totals, grand)


@dataclass(frozen=True)
class SecuredExecuted:
    """연도별 확보(집행)액: the secured table with the executed amount beside each figure."""

    secured: BudgetTable
    executed: BudgetTable

    def cell(self, source: str, period: str) -> tuple[int | None, int | None]:
        """(secured, executed) for one cell."""
        return self.secured.cells[(source, period)], self.executed.cells[(source, period)]

    def row_total(self, source: str) -> tuple[int | None, int | None]:
        """(secured, executed) totals of one source."""
        return self.secured.row_totals[source], self.executed.row_totals[source]

    def column_total(self, period: str) -> tuple[int | None, int | None]:
        """(secured, executed) totals of one period."""
        return self.secured.column_totals[period], self.executed.column_totals[period]

    def _grand_total(self) -> tuple[int, int]:
        """(secured, executed) over everything."""
        return self.secured.grand_total, self.executed.grand_total

    grand_total = property(_grand_total)  # not @property: mutmut skips decorated defs


def secured_executed(session: Session) -> SecuredExecuted:
    """The secured table and the executed table, on the same periods and sources."""
    return SecuredExecuted(budget_table(session, "확보"), budget_table(session, "집행"))


def participation_counts(session: Session, period: Period) -> dict[str, int]:
    """시민참여(소통) 실적 (회) per kind, zero where none, in PARTICIPATION_KINDS order."""
    found = dict(session.execute(
        select(Participation.kind, func.count(Participation.id))
        .where(Participation.held_on.between(period.start, period.end))
        .group_by(Participation.kind)
    ).tuples().all())
    return {k: int(found.get(k, 0)) for k in PARTICIPATION_KINDS}


@dataclass(frozen=True)
class NoteRow:
    """A line of free text for the report."""

    year: int
    half: int | None
    area: str
    kind: str
    level: int
    text: str


def _note_span(year: int, half: int | None) -> tuple[dt.date, dt.date]:
    if half is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    p = Period.half_of(year, half)
    return p.start, p.end


def report_notes(session: Session, period: Period, area: str | None = None) -> list[NoteRow]:
    """Notes whose year or half-year overlaps the period, in report order."""
    n = ReportNote
    q = select(n.year, n.half, n.area, n.kind, n.level, n.text).where(
        n.year.between(period.start.year, period.end.year))
    if area is not None:
        q = q.where(n.area == area)
    q = q.order_by(n.year, n.half.nulls_first(), n.area, n.sort_order, n.id)
    out = []
    overlaps: dict[tuple[int, int | None], bool] = {}  # per (year, half): thousands of notes
    for year, half, area_, kind, level, text in core_rows(session, q):
        shown = overlaps.get((year, half))
        if shown is None:
            start, end = _note_span(year, half)
            shown = overlaps[year, half] = start <= period.end and end >= period.start
        if shown:
            out.append(NoteRow(year, half, area_, kind, level, text))
    return out
