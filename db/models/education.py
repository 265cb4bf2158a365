"""아카데미: education sessions (courses) and the dates they met."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, nonneg, ordered
from .choices import EDUCATION_COURSES, EDUCATION_MODES


class Education(IdMixin, Base):
    """One course run: 기초과정 온라인 3회 30시간 14명, or one 찾아가는 아카데미 visit."""

    __tablename__ = "education"
    __label__ = "교육"
    __title__ = "{title}"
    __table_args__ = (
        *nonneg("hours", "sessions", "attendees"),
        ordered("start_date", "end_date"),
        Index("ix_education_period", "start_date", "course"),
        # The report's summary and detail rows read a year from this index alone (issue 13):
        # SQLite only, as a PostgreSQL index entry cannot hold a long 내용 or 비고.
        Index("ix_education_report", "start_date", "id", "course", "mode", "end_date", "hours",
              "sessions", "attendees", "title", "content", "host", "audience", "note",
              "printed_note").ddl_if(dialect="sqlite"),
    )

    course: Mapped[str] = field("과정", choices=EDUCATION_COURSES)
    title: Mapped[str] = field("교육명")
    content: Mapped[str | None] = field("내용")
    host: Mapped[str | None] = field("주관·협력 기관")
    audience: Mapped[str | None] = field("대상")
    mode: Mapped[str] = field("방식", choices=EDUCATION_MODES, default="대면")
    start_date: Mapped[dt.date] = field("시작일")
    end_date: Mapped[dt.date | None] = field("종료일")
    hours: Mapped[float] = field("총 시간", unit="시간", default=0)
    sessions: Mapped[int] = field("회수", unit="회", default=1)
    attendees: Mapped[int] = field("참석 인원", unit="명", default=0)
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    dates: Mapped[list[EducationDate]] = relationship(
        back_populates="education", cascade="all, delete-orphan", order_by="EducationDate.day"
    )


class EducationDate(IdMixin, Base):
    """A day the course met, with its hours (2021.9.28.(화) 14:00~17:00)."""

    __tablename__ = "education_date"
    __label__ = "교육 일시"
    __title__ = "{education.title} {day}"
    __table_args__ = (
        ordered("start_time", "end_time"),
        # By course run, covering the report's dates (and the cascade from education).
        Index("ix_education_date_days", "education_id", "day", "id", "start_time", "end_time"),
    )

    education_id: Mapped[int] = field(
        "교육", ForeignKey("education.id", ondelete="CASCADE")
    )
    day: Mapped[dt.date] = field("날짜")
    start_time: Mapped[dt.time | None] = field("시작 시각")
    end_time: Mapped[dt.time | None] = field("종료 시각")

    education: Mapped[Education] = relationship(back_populates="dates")
