"""소통·예산·과제: citizen participation, investment plan and secured/executed budget, notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped

from .base import Base, IdMixin, field, money, nonneg
from .choices import AREAS, BUDGET_KINDS, FUND_SOURCES, NOTE_KINDS, PARTICIPATION_KINDS


class Participation(IdMixin, Base):
    """One act of citizen participation (a meeting, a briefing, an article); counts are summed."""

    __tablename__ = "participation"
    __label__ = "시민참여(소통)"
    __title__ = "{title}"
    __table_args__ = (Index("ix_participation_on", "held_on", "kind"),)

    kind: Mapped[str] = field("구분", choices=PARTICIPATION_KINDS)
    held_on: Mapped[dt.date] = field("일자")
    title: Mapped[str] = field("내용")
    note: Mapped[str | None] = field("비고")


class BudgetLine(IdMixin, Base):
    """One cell of the investment plan or the secured/executed table.

    `period` is "prior" (기투자), a year ("2018" … shown as '18.7. / '22.6. at the pledge
    term's edges, from the settings) or "after" (임기후). Totals both ways are computed.
    """

    __tablename__ = "budget_line"
    __label__ = "사업비"
    __title__ = "{period} {kind} {source}"
    __table_args__ = (
        UniqueConstraint("kind", "period", "source"),
        *nonneg("amount"),
        CheckConstraint(
            "period IN ('prior', 'after') OR (length(period) "
            "= 4 AND period BETWEEN '1990' AND '2100')",
            name="period_key",
        ),
    )

    kind: Mapped[str] = field("구분", choices=BUDGET_KINDS)
    period: Mapped[str] = field("기간")
    source: Mapped[str] = field("재원", choices=FUND_SOURCES)
    amount: Mapped[int] = money("금액")
    note: Mapped[str | None] = field("비고")


class ReportNote(IdMixin, Base):
    """Free text for a period's report: results, plans, problems, measures (○ / – / · levels)."""

    __tablename__ = "report_note"
    __label__ = "보고 문안"
    __title__ = "{text}"
    __table_args__ = (
        CheckConstraint("half IS NULL OR half IN (1, 2)", name="half_value"),
        CheckConstraint("level BETWEEN 0 AND 3", name="level_range"),
        Index("ix_report_note_period", "year", "half", "area"),
    )

    year: Mapped[int] = field("연도")
    half: Mapped[int | None] = field("반기")  # 1 = 상반기, 2 = 하반기, NULL = whole year
    area: Mapped[str] = field("분야", choices=AREAS)
    kind: Mapped[str] = field("구분", choices=NOTE_KINDS, default="추진 실적")
    level: Mapped[int] = field("단계", default=0)
    text: Mapped[str] = field("내용")
    sort_order: Mapped[int] = field("순서", default=0)


class CarriedFigure(IdMixin, Base):
    """이월 실적: a figure known only as a total (earlier years before Dure, or a count).

    The report queries add these to what individual records give, and the exports mark
    them as carried over. `metric` names what is counted (teams, events, sales, orgs,
    persons, amount, designated …); `category` narrows it (a finance program, a year).
    """

    __tablename__ = "carried_figure"
    __label__ = "이월 실적"
    __title__ = "{metric}[ {category}]"
    __table_args__ = (
        UniqueConstraint("area", "metric", "category", "period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        Index("ix_carried_figure_lookup", "area", "metric", "period_start"),
    )

    area: Mapped[str] = field("분야", choices=AREAS)
    metric: Mapped[str] = field("항목")
    category: Mapped[str] = field("세부 구분", default="")
    period_start: Mapped[dt.date] = field("기간 시작")
    period_end: Mapped[dt.date] = field("기간 끝")
    value: Mapped[int] = money("값")  # BIGINT: amounts in 원, counts as they are
    source: Mapped[str | None] = field("출처")
    note: Mapped[str | None] = field("비고")


class Setting(Base):
    """Office-wide settings kept with the data: city, office, pledge, term, warning days."""

    __tablename__ = "setting"
    __label__ = "설정"
    __title__ = "{key}"

    key: Mapped[str] = field("항목", primary_key=True)
    value: Mapped[str] = field("값")



