"""기업: the social economy enterprises every other record refers to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped

from .base import Base, IdMixin, field, ordered
from .choices import ORG_KINDS, PURPOSE_TYPES


class Organization(IdMixin, Base):
    __tablename__ = "organization"
    __label__ = "기업"
    __title__ = "{name}"
    __table_args__ = (
        ordered("designated_on", "expires_on"),
        Index("ix_organization_name", "name"),
    )

    name: Mapped[str] = field("기업명")  # kept exactly as typed, ㈜/(주) included
    kind: Mapped[str] = field("기업 유형", choices=ORG_KINDS, default="기타")
    representative: Mapped[str | None] = field("대표")
    # 10 digits, no hyphens; unique where known (NULLs do not collide).
    brn: Mapped[str | None] = field("사업자등록번호", String(10), unique=True)
    business: Mapped[str | None] = field("사업내용 및 분야")
    purpose_type: Mapped[str | None] = field("사회적목적 유형", choices=PURPOSE_TYPES)
    designated_on: Mapped[dt.date | None] = field("지정·인증일")
    expires_on: Mapped[dt.date | None] = field("지정 만료일")
    address: Mapped[str | None] = field("주소")
    phone: Mapped[str | None] = field("전화")
    note: Mapped[str | None] = field("비고")

    def __repr__(self) -> str:
        return f"Organization({self.id}, {self.name!r})"
