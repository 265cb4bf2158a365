"""이월 실적: figures known only as totals, added to what the records give.

A carried row counts in a query period when it lies wholly inside it:
period.start <= row.period_start and row.period_end <= period.end.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..models import CarriedFigure
from ..periods import Period


def _inside(period: Period):
    """SQL condition: the carried row lies within the period."""
    return and_(
        CarriedFigure.period_start >= period.start, CarriedFigure.period_end <= period.end
    )


def carried_sum(session: Session, area: str, metric: str, period: Period,
                category: str = "") -> int:
    """Sum of carried values for one area/metric/category inside the period (0 if none)."""
    total = session.scalar(
        select(func.coalesce(func.sum(CarriedFigure.value), 0)).where(
            CarriedFigure.area == area, CarriedFigure.metric == metric,
            CarriedFigure.category == category, _inside(period),
        )
    )
    return int(total or 0)


def carried_by_category(session: Session, area: str, metric: str,
                        period: Period) -> dict[str, int]:
    """Carried values of one area/metric inside the period, summed per category."""
    rows = session.execute(
        select(CarriedFigure.category, func.sum(CarriedFigure.value))
        .where(CarriedFigure.area == area, CarriedFigure.metric == metric, _inside(period))
        .group_by(CarriedFigure.category)
    )
    return {cat: int(v) for cat, v in rows}


def carried_area(session: Session, area: str, period: Period) -> dict[tuple[str, str], int]:
    """All carried values of an area inside the period, by (metric, category): one query."""
    rows = session.execute(
        select(CarriedFigure.metric, CarriedFigure.category, func.sum(CarriedFigure.value))
        .where(CarriedFigure.area == area, _inside(period))
        .group_by(CarriedFigure.metric, CarriedFigure.category)
    )
    return {(m, c): int(v) for m, c, v in rows}
