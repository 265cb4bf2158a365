"""창업지원: one cohort a year, its recruitment rounds, teams, payments and final evaluation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, relationship

from .base import Base, IdMixin, field, money, nonneg, ordered
from .choices import (
    DESIGNATION_KINDS,
    DESIGNATION_RESULTS,
    PURPOSE_TYPES,
    ROUND_KINDS,
    STARTUP_PAYMENT_KINDS,
    TEAM_STATUSES,
)
from .organization import Organization


class StartupCohort(IdMixin, Base):
    """The year's 사회적기업 창업지원사업 and what each team is offered."""

    __tablename__ = "startup_cohort"
    __label__ = "창업지원 기수"
    __title__ = "{year}년"
    __table_args__ = (
        *nonneg("education_hours", "consulting_min", "consulting_max", "fund_per_team"),
        CheckConstraint("consulting_max >= consulting_min", name="consulting_range"),
    )

    year: Mapped[int] = field("연도", unique=True)
    title: Mapped[str] = field("사업명", default="사회적기업 창업지원사업")
    education_hours: Mapped[float] = field("교육 시간", unit="시간", default=0)
    consulting_min: Mapped[int] = field("개별 컨설팅(최소)", unit="회", default=0)
    consulting_max: Mapped[int] = field("개별 컨설팅(최대)", unit="회", default=0)
    fund_per_team: Mapped[int] = money("팀당 사업개발비", default=0)
    space_support: Mapped[str | None] = field("공간 지원")
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    rounds: Mapped[list[StartupRound]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="StartupRound.round_no"
    )
    teams: Mapped[list[StartupTeam]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="StartupTeam.id"
    )


class StartupRound(IdMixin, Base):
    """A recruitment round (본 모집 or 추가 모집 after a withdrawal)."""

    __tablename__ = "startup_round"
    __label__ = "모집 차수"
    __title__ = "{cohort.year}년 {round_no}차[ ({kind})]"
    __table_args__ = (
        UniqueConstraint("cohort_id", "round_no"),
        *nonneg("applications", "planned"),
        ordered("recruit_start", "recruit_end"),
        CheckConstraint("review_on IS NULL OR review_on >= recruit_start", name="review_after"),
        CheckConstraint(
            "agreement_on IS NULL OR review_on IS NULL OR agreement_on >= review_on",
            name="agreement_after",
        ),
    )

    cohort_id: Mapped[int] = field(
        "기수", ForeignKey("startup_cohort.id", ondelete="CASCADE"), index=True
    )
    round_no: Mapped[int] = field("차수", default=1)
    kind: Mapped[str] = field("구분", choices=ROUND_KINDS, default="본 모집")
    planned: Mapped[int] = field("모집 팀 수", unit="개팀", default=0)
    recruit_start: Mapped[dt.date] = field("모집 시작")
    recruit_end: Mapped[dt.date | None] = field("모집 종료")
    applications: Mapped[int] = field("접수", unit="개사", default=0)
    review_on: Mapped[dt.date | None] = field("심사일")
    review_mode: Mapped[str | None] = field("심사 방식")  # 대면, 서면 …: '접수 및 대면 심사(4.13.)'
    agreement_on: Mapped[dt.date | None] = field("협약일")
    # '6개팀 협약식 개최(4.22.)'; the server default is the one migration 0009 gave old rows
    ceremony: Mapped[bool] = field("협약식 개최", default=False, server_default=false())
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not

    cohort: Mapped[StartupCohort] = relationship(back_populates="rounds")


class StartupTeam(IdMixin, Base):
    """A selected team: 선정 → 협약 → 참여 포기 / 수료, with its final evaluation."""

    __tablename__ = "startup_team"
    __label__ = "창업팀"
    __title__ = "{name}[ ({cohort.year}년)]"
    __table_args__ = (
        CheckConstraint(
            "final_score IS NULL OR (final_score >= 0 AND final_score <= 100)", name="score_range"
        ),
        Index("ix_startup_team_designated", "designated_year"),
    )

    cohort_id: Mapped[int] = field(
        "기수", ForeignKey("startup_cohort.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = field(
        "모집 차수", ForeignKey("startup_round.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int | None] = field(
        "기업", ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = field("팀(사업자)명")
    representative: Mapped[str | None] = field("대표")
    business: Mapped[str | None] = field("사업내용 및 분야")
    status: Mapped[str] = field("상태", choices=TEAM_STATUSES, default="선정")
    agreed_on: Mapped[dt.date | None] = field("협약일")
    withdrawn_on: Mapped[dt.date | None] = field("포기일")
    final_score: Mapped[float | None] = field("최종 평가 점수", unit="점")
    evaluated_on: Mapped[dt.date | None] = field("최종 평가일")
    designated_year: Mapped[int | None] = field("예비 지정 연도")
    note: Mapped[str | None] = field("비고")

    cohort: Mapped[StartupCohort] = relationship(back_populates="teams")
    round: Mapped[StartupRound | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    payments: Mapped[list[StartupPayment]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="StartupPayment.paid_on"
    )


class StartupPayment(IdMixin, Base):
    """Business development fund paid to a team (80 % after agreement, 20 % after ≥ 60)."""

    __tablename__ = "startup_payment"
    __label__ = "사업개발비 지급"
    __title__ = "{team.name} {kind} {paid_on}"
    __table_args__ = (*nonneg("amount"), Index("ix_startup_payment_paid", "paid_on"))

    team_id: Mapped[int] = field(
        "창업팀", ForeignKey("startup_team.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = field("구분", choices=STARTUP_PAYMENT_KINDS)
    paid_on: Mapped[dt.date] = field("지급일")
    amount: Mapped[int] = money("금액")
    note: Mapped[str | None] = field("비고")

    team: Mapped[StartupTeam] = relationship(back_populates="payments")


class DesignationApplication(IdMixin, Base):
    """An application for 예비사회적기업 designation (지정 신청) and its result.

    Kept with 창업지원 because the report lists it there (a cohort's outcome), but the
    applicant may be any enterprise: the team and the enterprise are both optional links and
    the name, representative and business are stored as written in the application.
    """

    __tablename__ = "designation_application"
    __label__ = "예비사회적기업 지정 신청"
    __title__ = "{applicant} {applied_on}"
    __table_args__ = (
        ordered("applied_on", "result_on"),
        Index("ix_designation_application_applied", "applied_on"),
    )

    applicant: Mapped[str] = field("신청 기업명")  # as written in the application
    representative: Mapped[str | None] = field("대표")
    organization_id: Mapped[int | None] = field(
        "기업", ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int | None] = field(
        "창업팀", ForeignKey("startup_team.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = field("지정 구분", choices=DESIGNATION_KINDS, default="경기도형")
    purpose_type: Mapped[str | None] = field("사회적목적 유형", choices=PURPOSE_TYPES)
    business: Mapped[str | None] = field("주 사업내용 및 분야")
    applied_on: Mapped[dt.date] = field("신청일")
    result: Mapped[str] = field("결과", choices=DESIGNATION_RESULTS, default="심사 중")
    result_on: Mapped[dt.date | None] = field("결과 발표일")
    note: Mapped[str | None] = field("비고")

    organization: Mapped[Organization | None] = relationship()
    team: Mapped[StartupTeam | None] = relationship()
