"""사회서비스: consortium projects (고양해피케어) with budget by source and service lines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, money, nonneg, ordered


class SocialServiceProject(IdMixin, Base):
    """A social-service consortium project for one year."""

    __tablename__ = "social_service_project"
    __label__ = "사회서비스 사업"
    __title__ = "{name}"
    __table_args__ = (
        Index("ix_social_service_project_year", "year"),
        *nonneg("budget_national", "budget_province", "budget_city", "budget_other"),
        ordered("start_on", "end_on"),
    )

    name: Mapped[str] = field("사업명")
    year: Mapped[int] = field("연도")
    program: Mapped[str | None] = field("공모 사업")  # 보건복지부 주관 … 시범사업
    purpose: Mapped[str | None] = field("내용·목적")
    members: Mapped[str | None] = field("컨소시엄")
    start_on: Mapped[dt.date | None] = field("시작일")
    end_on: Mapped[dt.date | None] = field("종료일")
    budget_national: Mapped[int] = money("사업비(국비)", default=0)
    budget_province: Mapped[int] = money("사업비(도비)", default=0)
    budget_city: Mapped[int] = money("사업비(시비)", default=0)
    budget_other: Mapped[int] = money("사업비(기타)", default=0)
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    lines: Mapped[list[ServiceLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ServiceLine.sort_order"
    )


class ServiceLine(IdMixin, Base):
    """A service delivered in the project by one or more providers."""

    __tablename__ = "service_line"
    __label__ = "서비스 실적"
    __title__ = "{service}"

    project_id: Mapped[int] = field(
        "사업", ForeignKey("social_service_project.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = field("수행기관")
    service: Mapped[str] = field("서비스")
    sort_order: Mapped[int] = field("순서", default=0)
    note: Mapped[str | None] = field("비고")

    project: Mapped[SocialServiceProject] = relationship(back_populates="lines")
    measures: Mapped[list[ServiceMeasure]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="ServiceMeasure.id"
    )


class ServiceMeasure(IdMixin, Base):
    """Performance as number + unit, optionally labelled: 10가구, 이송 140회, 동행 16회."""

    __tablename__ = "service_measure"
    __label__ = "실적 수치"
    __title__ = "{line.service} {label}"
    __table_args__ = (*nonneg("value"),)

    line_id: Mapped[int] = field(
        "서비스", ForeignKey("service_line.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = field("항목")
    value: Mapped[int] = field("수치")
    unit: Mapped[str] = field("단위")

    line: Mapped[ServiceLine] = relationship(back_populates="measures")
