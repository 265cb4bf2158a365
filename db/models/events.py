"""행사·시설: festivals (한마당) and facility projects (전시홍보관 조성)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, nonneg, ordered


class Festival(IdMixin, Base):
    """A festival or fair the office holds."""

    __tablename__ = "festival"
    __label__ = "행사"
    __title__ = "{name}"
    __table_args__ = (ordered("held_on", "end_on"), ordered("start_time", "end_time"),
                      Index("ix_festival_held", "held_on"))

    name: Mapped[str] = field("행사명")
    subtitle: Mapped[str | None] = field("부제")
    held_on: Mapped[dt.date] = field("일자")
    end_on: Mapped[dt.date | None] = field("종료일")
    start_time: Mapped[dt.time | None] = field("시작 시각")
    end_time: Mapped[dt.time | None] = field("종료 시각")
    venue: Mapped[str | None] = field("장소")
    programme: Mapped[str | None] = field("내용")
    partners: Mapped[str | None] = field("협력·연계")
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not


class FacilityProject(IdMixin, Base):
    """Building or refitting a facility: location, works period, area, rooms."""

    __tablename__ = "facility_project"
    __label__ = "시설 조성"
    __title__ = "{name}"
    __table_args__ = (*nonneg("area_m2"), ordered("works_start", "works_end"))

    name: Mapped[str] = field("사업명")
    location: Mapped[str | None] = field("위치")
    building: Mapped[str | None] = field("건물 현황")
    works_start: Mapped[dt.date | None] = field("공사 시작")
    works_end: Mapped[dt.date | None] = field("공사 종료")
    area_m2: Mapped[float] = field("면적", unit="㎡", default=0)
    note: Mapped[str | None] = field("비고")

    rooms: Mapped[list[FacilityRoom]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="FacilityRoom.sort_order"
    )


class FacilityRoom(IdMixin, Base):
    """A room of a facility: 전시실 (15평) — 사회적경제기업 제품 전시홍보."""

    __tablename__ = "facility_room"
    __label__ = "공간 구성"
    __title__ = "{project.name} {name}"
    __table_args__ = (*nonneg("area_pyeong"),)

    project_id: Mapped[int] = field(
        "시설", ForeignKey("facility_project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = field("공간명")
    area_pyeong: Mapped[float] = field("면적", unit="평", default=0)
    purpose: Mapped[str | None] = field("구성 내용")
    sort_order: Mapped[int] = field("순서", default=0)

    project: Mapped[FacilityProject] = relationship(back_populates="rooms")
