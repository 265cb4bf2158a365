"""이월 실적: figures known only as totals, added to what the records give.

A carried row counts in a query period when it lies wholly inside it:
period.start <= row.period_start and row.period_end <= period.end.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from ..models import CarriedFigure
from ..periods import Period


class Metric(NamedTuple):
    """A figure the report tables read from carried rows: its name, unit, what 세부 구분 holds."""

    label: str
    unit: str
    category: str = ""  # empty: the report reads the row with an empty 세부 구분


# What the report tables read from carried figures, per area. The 이월 실적 form offers
# exactly these; a metric not listed here reaches no table.
METRICS: dict[str, dict[str, Metric]] = {
    "startup": {"teams_selected": Metric("선정 팀 수", "팀"),
                "designated": Metric("예비지정 기업 수", "곳", "지정 연도 (예: 2019)")},
    "sales": {"events": Metric("판로지원 횟수", "회"), "sales_amount": Metric("매출액", "원")},
    "finance": {"orgs": Metric("지원 기업 수", "곳", "사업명 (예: 사업개발비)"),
                "persons": Metric("지원 인원", "명", "사업명 (예: 일자리창출 인건비)"),
                "amount": Metric("지원 금액", "원", "사업명 (예: 사업개발비)")},
    "purchasing": {"videos": Metric("게시 영상물", "개")},
}


def metric_of(metric: str | None) -> Metric | None:
    """The catalogue entry of a metric key (keys are unique across areas), None if unknown."""
    return next((ms[metric] for ms in METRICS.values() if metric in ms), None)


def metric_label(metric: str) -> str:
    """'선정 팀 수(팀)': a carried metric's Korean name with its unit (the key if unknown)."""
    found = metric_of(metric)
    return f"{found.label}({found.unit})" if found else metric


def _inside(period: Period) -> ColumnElement[bool]:
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
