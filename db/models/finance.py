"""재정지원: grants per enterprise per year per program, their payments, and budgets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, money, nonneg
from .choices import FINANCE_PROGRAMS
from .organization import Organization


class FinanceGrant(IdMixin, Base):
    """An enterprise's approval under one program for one year (persons, amount)."""

    __tablename__ = "finance_grant"
    __label__ = "재정지원 선정"
    __title__ = "{year} {program}"
    __title_context__ = "[· {organization.name}]"
    __table_args__ = (
        UniqueConstraint("program", "year", "organization_id"),
        *nonneg("approved_persons", "approved_amount"),
        Index("ix_finance_grant_year", "year", "program"),
    )

    program: Mapped[str] = field("지원사업", choices=FINANCE_PROGRAMS)
    year: Mapped[int] = field("연도")
    organization_id: Mapped[int] = field(
        "기업", ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    approved_persons: Mapped[int] = field("승인 인원", unit="명", default=0)
    approved_amount: Mapped[int] = money("승인 금액", default=0)
    note: Mapped[str | None] = field("비고")

    organization: Mapped[Organization] = relationship()
    payments: Mapped[list[FinancePayment]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="FinancePayment.paid_on"
    )


class FinancePayment(IdMixin, Base):
    """One payment of a grant (monthly on the 25th for labour costs and insurance)."""

    __tablename__ = "finance_payment"
    __label__ = "지급"
    __title__ = "{grant.year} {grant.program} {paid_on}"
    __table_args__ = (
        *nonneg("amount", "persons"),
        Index("ix_finance_payment_paid", "paid_on", "grant_id", "amount"),
        # a grant's payments in a period, from the index alone (db/queries/finance.py)
        Index("ix_finance_payment_grant_paid", "grant_id", "paid_on", "amount"),
    )

    grant_id: Mapped[int] = field("선정", ForeignKey("finance_grant.id", ondelete="CASCADE"))
    paid_on: Mapped[dt.date] = field("지급일")
    amount: Mapped[int] = money("금액")
    persons: Mapped[int | None] = field("지급 인원", unit="명")
    note: Mapped[str | None] = field("비고")

    grant: Mapped[FinanceGrant] = relationship(back_populates="payments")


class FinanceBudget(IdMixin, Base):
    """A program's budget for a year (2022년 예산, 국도비 보조금 가내시)."""

    __tablename__ = "finance_budget"
    __label__ = "재정지원 예산"
    __title__ = "{year} {program}"
    __table_args__ = (UniqueConstraint("program", "year"), *nonneg("amount"),
                      Index("ix_finance_budget_year", "year", "program", "amount", "basis"))

    program: Mapped[str] = field("지원사업", choices=FINANCE_PROGRAMS)
    year: Mapped[int] = field("연도")
    amount: Mapped[int] = money("예산액")
    basis: Mapped[str | None] = field("근거")
    note: Mapped[str | None] = field("비고")
