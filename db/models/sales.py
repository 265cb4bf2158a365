"""판로지원: sales-channel events, their days and venues, and the enterprises taking part."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, money, nonneg, ordered
from .choices import SALES_KINDS
from .organization import Organization


class SalesEvent(IdMixin, Base):
    """An exhibition, market, live-commerce broadcast or online promotion."""

    __tablename__ = "sales_event"
    __label__ = "판로 행사"
    __title__ = "{name}"
    __table_args__ = (
        *nonneg("booths", "applied", "selected", "participant_count", "sales_amount"),
        ordered("start_date", "end_date"),
        CheckConstraint("selected <= applied OR applied = 0", name="selected_le_applied"),
        Index("ix_sales_event_period", "start_date", "kind"),
    )

    kind: Mapped[str] = field("구분", choices=SALES_KINDS)
    name: Mapped[str] = field("행사명")
    content: Mapped[str | None] = field("내용")
    channel: Mapped[str | None] = field("장소·채널")
    start_date: Mapped[dt.date] = field("시작일")
    end_date: Mapped[dt.date | None] = field("종료일")
    booths: Mapped[int] = field("부스", unit="개", default=0)
    applied: Mapped[int] = field("신청 기업", unit="개사", default=0)
    selected: Mapped[int] = field("선정 기업", unit="개사", default=0)
    # Enterprises taking part when not all are listed as participants ("두레협동조합 등 17개 기업").
    participant_count: Mapped[int | None] = field("참여 기업 수", unit="개")
    sales_amount: Mapped[int | None] = money("매출액", nullable=True)
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    schedules: Mapped[list[SalesSchedule]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="SalesSchedule.start_date"
    )
    participants: Mapped[list[SalesParticipant]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="SalesParticipant.id"
    )


class SalesSchedule(IdMixin, Base):
    """One run of an event at one venue: 강선공원 10.20.~22. 10:00~16:00."""

    __tablename__ = "sales_schedule"
    __label__ = "일정·장소"
    __title__ = "{event.name} {venue} {start_date}"
    __table_args__ = (ordered("start_date", "end_date"), ordered("start_time", "end_time"))

    event_id: Mapped[int] = field(
        "행사", ForeignKey("sales_event.id", ondelete="CASCADE"), index=True
    )
    venue: Mapped[str | None] = field("장소")
    start_date: Mapped[dt.date] = field("시작일")
    end_date: Mapped[dt.date | None] = field("종료일")
    start_time: Mapped[dt.time | None] = field("시작 시각")
    end_time: Mapped[dt.time | None] = field("종료 시각")

    event: Mapped[SalesEvent] = relationship(back_populates="schedules")


class SalesParticipant(IdMixin, Base):
    """An enterprise at an event, with its type as shown and what it showed or sold."""

    __tablename__ = "sales_participant"
    __label__ = "참가 기업"
    __title__ = "{event.name}[ · {organization.name}]"
    __table_args__ = (*nonneg("sales"),)

    event_id: Mapped[int] = field(
        "행사", ForeignKey("sales_event.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = field(
        "기업", ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    items: Mapped[str | None] = field("참가내용(사업내용)")
    sales: Mapped[int | None] = money("매출액", nullable=True)
    note: Mapped[str | None] = field("비고")

    event: Mapped[SalesEvent] = relationship(back_populates="participants")
    organization: Mapped[Organization] = relationship()
