"""재정지원 figures: per program and period, enterprises, persons and amount paid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..models import FinanceBudget, FinanceGrant, FinancePayment
from ..models.choices import FINANCE_PROGRAMS
from ..periods import Period
from .carried import carried_area


@dataclass(frozen=True)
class FinanceCell:
    """One program in one period: N개 기업 M명 X원."""

    program: str
    period: Period
    orgs: int
    persons: int
    amount: int  # 원
    carried: bool


@dataclass(frozen=True)
class FinanceRow:
    """One program across the periods of the yearly table."""

    program: str
    cells: list[FinanceCell]


def _cells(session: Session, period: Period) -> list[FinanceCell]:
    """All programs for one period, in FINANCE_PROGRAMS order.

    Counted: grants of the period's (start) year with at least one payment in the period;
    persons are those grants' approved persons; amount is the payments in the period.
    """
    # One row per grant of the year with a payment in the period (its payments summed through
    # ix_finance_payment_grant_paid), the grants read in (program, id) order from
    # ix_finance_grant_year: no sort of the period's payments (at 1,000,000 records a year
    # holds 28,000) and no index built on them at every call. A grant is one enterprise's in
    # its program and year (uq_finance_grant_program_year_organization_id): counting the
    # grants counts the enterprises.
    per_grant = (
        select(FinanceGrant.program, FinanceGrant.approved_persons,
               func.sum(FinancePayment.amount).label("paid"))
        .join(FinancePayment, and_(FinancePayment.grant_id == FinanceGrant.id,
                                   FinancePayment.paid_on.between(period.start, period.end)))
        .where(FinanceGrant.year == period.start.year)
        .group_by(FinanceGrant.program, FinanceGrant.id).subquery()
    )
    rows = session.execute(
        select(per_grant.c.program, func.count(),
               func.coalesce(func.sum(per_grant.c.approved_persons), 0),
               func.coalesce(func.sum(per_grant.c.paid), 0))
        .group_by(per_grant.c.program)
    ).all()
    found = {prog: (int(o), int(p), int(a)) for prog, o, p, a in rows}
    carried = carried_area(session, "finance", period)
    out = []
    for prog in FINANCE_PROGRAMS:
        o, p, a = found.get(prog, (0, 0, 0))
        c_o = carried.get(("orgs", prog), 0)
        c_p = carried.get(("persons", prog), 0)
        c_a = carried.get(("amount", prog), 0)
        has_carried = any(k[1] == prog for k in carried)
        out.append(FinanceCell(prog, period, o + c_o, p + c_p, a + c_a, has_carried))
    return out


def finance_yearly(session: Session, periods: list[Period]) -> list[FinanceRow]:
    """The finance yearly table: one row per program, one cell per period."""
    columns = [_cells(session, p) for p in periods]
    return [
        FinanceRow(prog, [col[i] for col in columns]) for i, prog in enumerate(FINANCE_PROGRAMS)
    ]


def finance_as_of(session: Session, day: dt.date) -> list[FinanceCell]:
    """Running totals from 1 January to `day` (실적 누계, 2021. 11. 16. 기준)."""
    return _cells(session, Period.as_of(day))


def finance_budget(session: Session, year: int) -> dict[str, int]:
    """A year's budget per program (원), in FINANCE_PROGRAMS order; missing programs omitted."""
    rows = dict(session.execute(
        select(FinanceBudget.program, FinanceBudget.amount).where(FinanceBudget.year == year)
    ).tuples().all())
    return {p: int(rows[p]) for p in FINANCE_PROGRAMS if p in rows}


def finance_budget_basis(session: Session, year: int) -> str | None:
    """What a year's budget rests on ('국도비 보조금 가내시'), when every program says the same."""
    bases = set(session.scalars(
        select(FinanceBudget.basis).where(FinanceBudget.year == year)).all())
    return bases.pop() if len(bases) == 1 else None
