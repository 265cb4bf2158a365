"""입주공간: spaces lent to enterprises, tenancies with contract terms and yearly rent, calls."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, money, nonneg, ordered
from .choices import SPACE_PROVIDERS, SPACE_STATUSES, SPACE_USES
from .organization import Organization


class Space(IdMixin, Base):
    """A space the city lends (백마역 1번출구, 행신2지구 4단지 …)."""

    __tablename__ = "space"
    __label__ = "입주공간"
    __title__ = "{site}"
    __title_context__ = "({provider})"
    __title_order__ = ("provider", "sort_order", "site")
    __table_args__ = (
        *nonneg("area_m2"),
        UniqueConstraint("provider", "site"),
        CheckConstraint("status <> '반납' OR returned_on IS NOT NULL", name="returned_has_date"),
    )

    provider: Mapped[str] = field("제공 기관", choices=SPACE_PROVIDERS)
    site: Mapped[str] = field("장소")
    area_m2: Mapped[float] = field("면적", unit="㎡", default=0)
    use: Mapped[str] = field("용도", choices=SPACE_USES, default="사무실")
    # City–provider agreement; the roster shows LH agreements to the month (2018. 12.).
    agreement_on: Mapped[dt.date | None] = field("협약일")
    status: Mapped[str] = field("상태", choices=SPACE_STATUSES, default="운영")
    returned_on: Mapped[dt.date | None] = field("반납일")
    expected_move_in: Mapped[dt.date | None] = field("입주 예정 시기")
    lessee_note: Mapped[str | None] = field("임차 비고")  # ※임차: 국립암센터
    sort_order: Mapped[int] = field("연번 순서", default=0)
    note: Mapped[str | None] = field("비고")

    tenancies: Mapped[list[Tenancy]] = relationship(
        back_populates="space", cascade="all, delete-orphan", order_by="Tenancy.id"
    )


class Tenancy(IdMixin, Base):
    """An enterprise's occupation of a space: terms (2 years, then 1-year renewals, ≤ 5 years)."""

    __tablename__ = "tenancy"
    __label__ = "입주 계약"
    __title__ = "{space.site}[ · {organization.name}]"
    __table_args__ = (ordered("moved_in_on", "moved_out_on"),)

    space_id: Mapped[int] = field("공간", ForeignKey("space.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = field(
        "입주기업", ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    moved_in_on: Mapped[dt.date | None] = field("입주시기")
    moved_out_on: Mapped[dt.date | None] = field("퇴거일")
    note: Mapped[str | None] = field("비고")

    space: Mapped[Space] = relationship(back_populates="tenancies")
    organization: Mapped[Organization] = relationship()
    terms: Mapped[list[TenancyTerm]] = relationship(
        back_populates="tenancy", cascade="all, delete-orphan", order_by="TenancyTerm.start_on"
    )
    rents: Mapped[list[TenancyRent]] = relationship(
        back_populates="tenancy", cascade="all, delete-orphan", order_by="TenancyRent.contract_year"
    )


class TenancyTerm(IdMixin, Base):
    """One contract: the first (2 years) or a renewal (1 year after the yearly review)."""

    __tablename__ = "tenancy_term"
    __label__ = "계약 기간"
    __title__ = "{tenancy.space.site} {start_on}[~{end_on}]"
    __table_args__ = (
        ordered("start_on", "end_on"),
        Index("ix_tenancy_term_end", "end_on"),
    )

    tenancy_id: Mapped[int] = field(
        "입주 계약", ForeignKey("tenancy.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[dt.date] = field("계약 시작")
    end_on: Mapped[dt.date] = field("계약 종료")
    reviewed_on: Mapped[dt.date | None] = field("연장 심사일")
    # Why a renewal runs past the 5-year limit, when the user overrode the rule.
    override_reason: Mapped[str | None] = field("5년 초과 사유")
    note: Mapped[str | None] = field("비고")

    tenancy: Mapped[Tenancy] = relationship(back_populates="terms")


class TenancyRent(IdMixin, Base):
    """Yearly rent for one contract year (1년차, 2년차 …); LH spaces have none."""

    __tablename__ = "tenancy_rent"
    __label__ = "연차별 임대료"
    __title__ = "{tenancy.space.site} {contract_year}년차"
    __table_args__ = (
        UniqueConstraint("tenancy_id", "contract_year"),
        *nonneg("amount"),
        CheckConstraint("contract_year BETWEEN 1 AND 10", name="contract_year_range"),
    )

    tenancy_id: Mapped[int] = field(
        "입주 계약", ForeignKey("tenancy.id", ondelete="CASCADE"), index=True
    )
    contract_year: Mapped[int] = field("연차", unit="년차")
    amount: Mapped[int] = money("임대료(연납)")
    note: Mapped[str | None] = field("비고")

    tenancy: Mapped[Tenancy] = relationship(back_populates="rents")


class TenantCall(IdMixin, Base):
    """입주기업 공모: a call for tenants for one or more spaces."""

    __tablename__ = "tenant_call"
    __label__ = "입주기업 공모"
    __title__ = "{title}"
    __table_args__ = (ordered("start_on", "end_on"), Index("ix_tenant_call_start", "start_on"))

    title: Mapped[str] = field("공모명")
    start_on: Mapped[dt.date] = field("공모 시작")
    end_on: Mapped[dt.date | None] = field("공모 종료")
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    offers: Mapped[list[TenantCallSpace]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="TenantCallSpace.id"
    )


class TenantCallSpace(IdMixin, Base):
    """A space offered in a call, how many applied, and who was selected."""

    __tablename__ = "tenant_call_space"
    __label__ = "공모 공간"
    __title__ = "{call.title}[ · {space.site}]"
    __table_args__ = (UniqueConstraint("call_id", "space_id"), *nonneg("applicants"))

    call_id: Mapped[int] = field(
        "공모", ForeignKey("tenant_call.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = field("공간", ForeignKey("space.id", ondelete="RESTRICT"), index=True)
    applicants: Mapped[int] = field("신청 기업", unit="개사", default=0)
    selected_organization_id: Mapped[int | None] = field(
        "선정 기업", ForeignKey("organization.id", ondelete="RESTRICT")
    )
    note: Mapped[str | None] = field("비고")

    call: Mapped[TenantCall] = relationship(back_populates="offers")
    space: Mapped[Space] = relationship()
    selected_organization: Mapped[Organization | None] = relationship()


class SpaceMilestone(IdMixin, Base):
    """A dated step in the space programme (협약 체결, 공모, 공사, 입주 완료) for the yearly
    table."""

    __tablename__ = "space_milestone"
    __label__ = "공간 추진 경과"
    __title__ = "{happened_on} {text}"
    __table_args__ = (Index("ix_space_milestone_on", "provider", "happened_on"),
                      Index("ix_space_milestone_happened", "happened_on"))

    provider: Mapped[str] = field("제공 기관", choices=SPACE_PROVIDERS)
    happened_on: Mapped[dt.date] = field("일자")
    # True when only the month is known: shown as "9월" rather than "9.12.".
    month_only: Mapped[bool] = field("월 단위", default=True)
    text: Mapped[str] = field("내용")
