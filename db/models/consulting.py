"""컨설팅: consulting given, one record per session or per counted batch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, nonneg, ordered
from .choices import CONSULTING_KINDS
from .organization import Organization


class Consulting(IdMixin, Base):
    """A consulting record.

    Basic consulting is often kept only as a count ("기초컨설팅(연중 수시) 130회"): then the
    record spans a date range, names no enterprise and gives `sessions` (and `companies`
    when the count of enterprises served is known without their names).
    """

    __tablename__ = "consulting"
    __label__ = "컨설팅"
    __title__ = "{kind} {held_on}[ {topic}]"
    __table_args__ = (
        *nonneg("sessions", "companies"),
        ordered("held_on", "end_on"),
        Index("ix_consulting_period", "held_on", "kind"),
        # The report's summary and detail rows read a year from this index alone (issue 13):
        # SQLite only, as a PostgreSQL index entry cannot hold a long 비고 (2,704 bytes).
        Index("ix_consulting_report", "held_on", "id", "kind", "end_on", "organization_id",
              "startup_team_id", "sessions", "companies", "topic", "consultant", "note",
              "printed_note").ddl_if(dialect="sqlite"),
    )

    kind: Mapped[str] = field("구분", choices=CONSULTING_KINDS)
    held_on: Mapped[dt.date] = field("일자")
    end_on: Mapped[dt.date | None] = field("종료일(기간 집계)")
    organization_id: Mapped[int | None] = field(
        "기업", ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    startup_team_id: Mapped[int | None] = field(
        "창업팀", ForeignKey("startup_team.id", ondelete="SET NULL"), index=True
    )
    topic: Mapped[str | None] = field("주제")
    sessions: Mapped[int] = field("회수", unit="회", default=1)
    # Enterprises served when they are not named one by one (0 when organization is set).
    companies: Mapped[int] = field("기업 수(명단 없음)", unit="개사", default=0)
    consultant: Mapped[str | None] = field("컨설턴트")
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    organization: Mapped[Organization | None] = relationship()
