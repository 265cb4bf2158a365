"""사회서비스 figures: consortium projects with budget by source and service lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import ServiceLine, SocialServiceProject
from ..periods import Period


@dataclass(frozen=True)
class Measure:
    """A performance figure: 이송 140회 (label may be empty: 10가구)."""

    label: str | None
    value: int
    unit: str


@dataclass(frozen=True)
class ServiceLineRow:
    """수행기관 · 서비스 · 실적 · 비고."""

    provider: str
    service: str
    measures: list[Measure]
    note: str | None


@dataclass(frozen=True)
class SocialServiceRow:
    """A project with its budget per source (원), the computed total and its lines."""

    name: str
    year: int
    program: str | None
    purpose: str | None
    members: str | None
    start_on: dt.date | None
    end_on: dt.date | None
    budget: dict[str, int]  # 국비, 도비, 시비, 기타
    budget_total: int
    note: str | None
    lines: list[ServiceLineRow]
    printed_note: str | None = None  # the heading's footnote the report prints (not 비고)


def social_service_projects(session: Session, period: Period) -> list[SocialServiceRow]:
    """Projects of the years the period touches, with budget and service lines."""
    projects = session.scalars(
        select(SocialServiceProject)
        .options(selectinload(SocialServiceProject.lines).selectinload(ServiceLine.measures))
        .where(SocialServiceProject.year.between(period.start.year, period.end.year))
        .order_by(SocialServiceProject.year, SocialServiceProject.id)
    ).all()
    out = []
    for p in projects:
        budget = {"국비": int(p.budget_national), "도비": int(p.budget_province),
                  "시비": int(p.budget_city), "기타": int(p.budget_other)}
        lines = [ServiceLineRow(ln.provider, ln.service,
                                [Measure(m.label, m.value, m.unit) for m in ln.measures],
                                ln.note) for ln in p.lines]
        out.append(SocialServiceRow(name=p.name, year=p.year, program=p.program,
                                    purpose=p.purpose, members=p.members, start_on=p.start_on,
                                    end_on=p.end_on, budget=budget,
                                    budget_total=sum(budget.values()), note=p.note,
                                    lines=lines, printed_note=p.printed_note))
    return out
