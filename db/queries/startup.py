"""창업지원 figures: the yearly table and one cohort's progress."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from ..models import (
    DesignationApplication,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
)
from ..periods import Period
from .carried import carried_area
from .common import opt_float

WITHDRAWN = "참여 포기"
PASS_SCORE = 60  # final score at or above which the 20 % second payment is due


@dataclass(frozen=True)
class StartupSupport:
    """What each team of a cohort is offered (the 지원 내용 row)."""

    education_hours: float
    consulting_min: int
    consulting_max: int
    fund_per_team: int  # 원
    space_support: str | None


@dataclass(frozen=True)
class StartupYear:
    """One column of the startup yearly table."""

    period: Period
    teams_selected: int
    support: StartupSupport | None
    designated: dict[int, int]  # designation year → teams of this cohort designated then
    designated_total: int
    carried: bool  # True when carried-over figures (이월 실적) are included


def startup_yearly(session: Session, periods: list[Period]) -> list[StartupYear]:
    """선정 · 지원 내용 · 창업 결과 per period (the cohort of the period's year)."""
    return [_startup_year(session, p) for p in periods]


def _startup_year(session: Session, period: Period) -> StartupYear:
    year = period.start.year
    cohort = session.execute(
        select(StartupCohort.id, StartupCohort.education_hours, StartupCohort.consulting_min,
               StartupCohort.consulting_max, StartupCohort.fund_per_team,
               StartupCohort.space_support).where(StartupCohort.year == year)
    ).first()
    teams = 0
    designated: dict[int, int] = defaultdict(int)
    support = None
    if cohort is not None:
        support = _support(cohort)
        teams = session.scalar(
            select(func.count(StartupTeam.id)).where(
                StartupTeam.cohort_id == cohort.id, StartupTeam.status != WITHDRAWN)
        ) or 0
        for dy, n in session.execute(
            select(StartupTeam.designated_year, func.count(StartupTeam.id))
            .where(StartupTeam.cohort_id == cohort.id, StartupTeam.designated_year.is_not(None))
            .group_by(StartupTeam.designated_year)
        ):
            designated[int(dy)] += n
    carried = carried_area(session, "startup", period)
    teams += sum(v for (m, _c), v in carried.items() if m == "teams_selected")
    for (metric, cat), v in carried.items():
        if metric == "designated" and cat.strip().isdigit():
            designated[int(cat)] += v
    des = dict(sorted(designated.items()))
    return StartupYear(period=period, teams_selected=int(teams), support=support, designated=des,
                       designated_total=sum(des.values()), carried=bool(carried))


def _support(cohort: Any) -> StartupSupport:
    """The 지원 내용 of a cohort (its row or its record: the same attribute names)."""
    return StartupSupport(education_hours=float(cohort.education_hours or 0),
                          consulting_min=cohort.consulting_min or 0,
                          consulting_max=cohort.consulting_max or 0,
                          fund_per_team=int(cohort.fund_per_team or 0),
                          space_support=cohort.space_support)


@dataclass(frozen=True)
class RoundRow:
    """A recruitment round with the number of teams it selected (derived from teams)."""

    round_no: int
    kind: str
    planned: int
    recruit_start: dt.date
    recruit_end: dt.date | None
    applications: int
    review_on: dt.date | None
    selected: int
    agreement_on: dt.date | None
    note: str | None
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)
    review_mode: str | None = None  # 대면: '접수 및 대면 심사(4.13.)'
    ceremony: bool = False  # the agreement was signed at a 협약식


@dataclass(frozen=True)
class TeamRow:
    """A team of the cohort as the 선정기업 현황 table lists it."""

    id: int
    name: str
    representative: str | None
    business: str | None
    status: str
    round_kind: str | None
    agreed_on: dt.date | None
    final_score: float | None
    designated_year: int | None
    paid: int  # 원, net of recoveries (환수)


@dataclass(frozen=True)
class CohortProgress:
    """One year's cohort: rounds, teams, payments and what is still due."""

    year: int
    title: str
    support: StartupSupport
    rounds: list[RoundRow]
    teams: list[TeamRow]
    active_teams: int  # not withdrawn
    payments: dict[str, int] = field(default_factory=dict)  # kind → 원
    awaiting_evaluation: list[str] = field(default_factory=list)  # team names
    awaiting_second_payment: list[str] = field(default_factory=list)
    printed_note: str | None = None  # the cohort's ※ lines in the report
    paid_on: dict[str, dt.date] = field(default_factory=dict)  # kind → last payment day
    paid_teams: dict[str, int] = field(default_factory=dict)  # kind → teams paid


def cohort_progress(session: Session, year: int,
                    until: dt.date | None = None) -> CohortProgress | None:
    """The cohort of `year` as it stood on `until` (default: everything), or None.

    A half-year report must not show what happened later: payments after `until`, rounds
    opened after it and final scores given after it are left out.
    """
    cohort = session.scalar(select(StartupCohort).where(StartupCohort.year == year))
    if cohort is None:
        return None
    support = _support(cohort)
    selected_by_round = dict(session.execute(
        select(StartupTeam.round_id, func.count(StartupTeam.id))
        .where(StartupTeam.cohort_id == cohort.id).group_by(StartupTeam.round_id)
    ).tuples().all())
    rounds = [
        RoundRow(round_no=r.round_no, kind=r.kind, planned=r.planned,
                 recruit_start=r.recruit_start, recruit_end=r.recruit_end,
                 applications=r.applications, review_on=r.review_on,
                 selected=int(selected_by_round.get(r.id, 0)), agreement_on=r.agreement_on,
                 note=r.note, printed_note=r.printed_note, review_mode=r.review_mode,
                 ceremony=bool(r.ceremony))
        for r in session.scalars(
            select(StartupRound).where(StartupRound.cohort_id == cohort.id)
            .order_by(StartupRound.round_no))
        if until is None or r.recruit_start <= until
    ]
    pay_rows = session.execute(
        select(StartupPayment.team_id, StartupPayment.kind, func.sum(StartupPayment.amount))
        .join(StartupTeam, StartupTeam.id == StartupPayment.team_id)
        .where(StartupTeam.cohort_id == cohort.id)
        .where(true() if until is None else StartupPayment.paid_on <= until)
        .group_by(StartupPayment.team_id, StartupPayment.kind)
    ).all()
    paid: dict[int, int] = defaultdict(int)
    kinds_paid: dict[int, set[str]] = defaultdict(set)
    totals: dict[str, int] = defaultdict(int)
    for team_id, kind, amount in pay_rows:
        sign = -1 if kind == "환수" else 1
        paid[team_id] += sign * int(amount)
        kinds_paid[team_id].add(kind)
        totals[kind] += int(amount)
    round_kind: dict[int | None, str] = {r.id: r.kind for r in cohort.rounds}
    teams: list[TeamRow] = []
    awaiting_eval: list[str] = []
    awaiting_second: list[str] = []
    for t in session.scalars(
        select(StartupTeam).where(StartupTeam.cohort_id == cohort.id)
        .order_by(StartupTeam.id)
    ):
        scored = t.final_score is not None and (
            until is None or t.evaluated_on is None or t.evaluated_on <= until)
        score = opt_float(t.final_score) if scored else None
        teams.append(TeamRow(
            id=t.id, name=t.name, representative=t.representative, business=t.business,
            status=t.status, round_kind=round_kind.get(t.round_id), agreed_on=t.agreed_on,
            final_score=score, designated_year=t.designated_year, paid=paid.get(t.id, 0),
        ))
        if t.status == WITHDRAWN:
            continue
        if score is None:
            awaiting_eval.append(t.name)
        elif score >= PASS_SCORE and "2차(20%)" not in kinds_paid[t.id]:
            awaiting_second.append(t.name)
    active = sum(1 for t in teams if t.status != WITHDRAWN)
    paid_on = dict(session.execute(
        select(StartupPayment.kind, func.max(StartupPayment.paid_on))
        .join(StartupTeam, StartupTeam.id == StartupPayment.team_id)
        .where(StartupTeam.cohort_id == cohort.id)
        .where(true() if until is None else StartupPayment.paid_on <= until)
        .group_by(StartupPayment.kind)).tuples().all())
    paid_teams: dict[str, int] = defaultdict(int)
    for _team, kind, _amount in pay_rows:
        paid_teams[kind] += 1
    return CohortProgress(
        year=year, title=cohort.title, support=support, rounds=rounds, teams=teams,
        active_teams=active, payments=dict(totals), awaiting_evaluation=awaiting_eval,
        awaiting_second_payment=awaiting_second, printed_note=cohort.printed_note, paid_on=paid_on,
        paid_teams=dict(paid_teams),
    )


@dataclass(frozen=True)
class DesignationRow:
    """An application for 예비사회적기업 designation as the report's sub-table lists it."""

    id: int
    applicant: str
    representative: str | None
    kind: str
    purpose_type: str | None
    business: str | None
    applied_on: dt.date
    result: str
    result_on: dt.date | None


def designation_applications(session: Session, period: Period) -> list[DesignationRow]:
    """Applications filed within the period, oldest first (results as known today)."""
    rows = session.scalars(
        select(DesignationApplication)
        .where(DesignationApplication.applied_on >= period.start,
               DesignationApplication.applied_on <= period.end)
        .order_by(DesignationApplication.applied_on, DesignationApplication.id)
    )
    return [DesignationRow(
        id=a.id, applicant=a.applicant, representative=a.representative, kind=a.kind,
        purpose_type=a.purpose_type, business=a.business, applied_on=a.applied_on, result=a.result,
        result_on=a.result_on,
    ) for a in rows]
