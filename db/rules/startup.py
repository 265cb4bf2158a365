"""창업지원 rules: rounds, teams and the business development fund (80 % then 20 % if ≥ 60).

The fund per team is paid in two parts: 1차 80 % after the team's agreement, 2차 the rest
after the final evaluation, only for a score of 60 or more (below 60 = 미흡: no second
payment, possibly a recovery, 환수). Amounts are whole 원; 80 % is rounded half up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import (
    DesignationApplication,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
)
from .checks import (
    ERROR,
    WARNING,
    Problem,
    loaded,
    money_text,
    order_problem,
    parent_of,
    siblings,
)
from .core import rule

PASS_SCORE = 60
FIRST_SHARE_PERCENT = 80
FIRST, SECOND, RECOVERY = "1차(80%)", "2차(20%)", "환수"


def first_installment(fund: int) -> int:
    """80 % of the fund per team, in whole 원 (half up)."""
    return (fund * FIRST_SHARE_PERCENT * 2 + 100) // 200


def passed(score: float | None) -> bool:
    """A final score of 60 or more (exactly 60 passes)."""
    return score is not None and score >= PASS_SCORE


def second_installment(fund: int, score: float | None) -> int:
    """The rest of the fund after the final evaluation; 0 below 60 (미흡) or without a score."""
    return fund - first_installment(fund) if passed(score) else 0


def withdrew_before_agreement(team: Any) -> bool:
    """참여 포기 with no agreement, or given up before the agreement date."""
    if loaded(team, "status") != "참여 포기":
        return False
    agreed, withdrawn = loaded(team, "agreed_on"), loaded(team, "withdrawn_on")
    return agreed is None or (withdrawn is not None and withdrawn < agreed)


@dataclass(frozen=True)
class StartupPending:
    """What a team is waiting for, for the dashboard: kind, since when, a Korean sentence."""

    kind: str  # "1차 지급 대기" | "최종 평가 대기" | "2차 지급 대기"
    since: dt.date | None
    message: str


def startup_pending(team: Any, today: dt.date) -> StartupPending | None:
    """The next step a team is waiting for on `today`, or None (nothing due, or withdrawn)."""
    if loaded(team, "status") == "참여 포기":
        return None
    agreed = loaded(team, "agreed_on")
    if agreed is None or agreed > today:
        return None
    payments = loaded(team, "payments") or []
    kinds = {loaded(p, "kind") for p in payments if loaded(p, "paid_on") is not None}
    name = loaded(team, "name")
    score = loaded(team, "final_score")
    if FIRST not in kinds:
        return StartupPending("1차 지급 대기", agreed,
                              f"{name}: {dotted(agreed)} 협약 후 1차(80%) 지급 기록이 없습니다.")
    if score is None:
        first_paid = min(p.paid_on for p in payments if loaded(p, "kind") == FIRST)
        return StartupPending("최종 평가 대기", first_paid,
                              f"{name}: 1차 지급 후 최종 평가 점수가 아직 없습니다.")
    if passed(score) and SECOND not in kinds:
        evaluated = loaded(team, "evaluated_on")
        return StartupPending("2차 지급 대기", evaluated,
                              f"{name}: 최종 평가 {score:g}점으로 2차(20%) 지급 대상입니다.")
    return None


def _fund(team: Any, session: Session | None) -> int | None:
    cohort = parent_of(team, "cohort", session)
    return loaded(cohort, "fund_per_team") if cohort is not None else None


def _paid(payments: list[Any], kind: str) -> int:
    return sum(loaded(p, "amount") or 0 for p in payments if loaded(p, "kind") == kind)


def _payment(pay: StartupPayment, session: Session | None) -> Iterator[Problem]:
    team = parent_of(pay, "team", session)
    kind, paid_on, amount = loaded(pay, "kind"), loaded(pay, "paid_on"), loaded(pay, "amount")
    if team is None or not isinstance(amount, int):
        return
    name = loaded(team, "name")
    if withdrew_before_agreement(team) and kind != RECOVERY:
        yield Problem("kind", (
            f"'{name}'은(는) 협약 전에 참여를 포기한 팀이라 사업개발비를 지급할 수 없습니다. "
            "팀 상태와 협약일을 확인하세요."))
        return
    fund = _fund(team, session)
    if fund is not None and fund <= 0 and kind != RECOVERY:
        yield Problem("amount", (
            "이 기수의 팀당 사업개발비가 입력되지 않았습니다. 창업지원 기수에서 팀당 사업개발비를 "
            "먼저 입력하세요."))
        return
    payments = siblings(pay, team, "payments")
    same_kind = [p for p in payments if p is not pay and loaded(p, "kind") == kind]
    if kind in (FIRST, SECOND) and same_kind:
        when = loaded(same_kind[0], "paid_on")
        yield Problem("kind", (
            f"'{name}'에게 {kind}가 이미 지급되어 있습니다"
            f"{f'({dotted(when)})' if when else ''}. 같은 지급을 두 번 입력하지 마세요."))
    if kind == FIRST:
        yield from _first(pay, team, fund, paid_on, amount)
    elif kind == SECOND:
        yield from _second(pay, team, fund, paid_on, amount, payments)
    elif kind == RECOVERY and amount > _paid(payments, FIRST) + _paid(payments, SECOND):
        yield Problem("amount", (
            f"환수액({money_text(amount)})이 지급한 금액보다 많습니다. 금액을 확인하세요."))
    if fund and kind in (FIRST, SECOND):
        total = _paid(payments, FIRST) + _paid(payments, SECOND)
        if total > fund:
            yield Problem("amount", (
                f"'{name}'에게 지급한 합계({money_text(total)})가 팀당 사업개발비"
                f"({money_text(fund)})를 넘습니다. 금액을 확인하세요."))


def _first(pay: Any, team: Any, fund: int | None, paid_on: dt.date | None,
           amount: int) -> Iterator[Problem]:
    agreed = loaded(team, "agreed_on")
    if agreed is None:
        yield Problem("paid_on", (
            "1차(80%)는 협약 후에 지급합니다. 이 팀의 협약일을 먼저 입력하세요."))
    elif paid_on is not None and paid_on < agreed:
        yield Problem("paid_on", (
            f"1차(80%) 지급일({dotted(paid_on)})이 협약일({dotted(agreed)})보다 앞섭니다. "
            "협약 후에 지급하는 것이 규칙입니다. 날짜를 확인하세요."))
    if fund and amount != first_installment(fund):
        yield Problem("amount", (
            f"1차 지급액은 팀당 사업개발비 {money_text(fund)}의 80%인 "
            f"{money_text(first_installment(fund))}이어야 합니다(입력: {money_text(amount)})."))


def _second(pay: Any, team: Any, fund: int | None, paid_on: dt.date | None, amount: int,
            payments: list[Any]) -> Iterator[Problem]:
    score = loaded(team, "final_score")
    if score is None:
        yield Problem("kind", (
            "2차(20%)는 최종 평가 후에 지급합니다. 팀의 최종 평가 점수를 먼저 입력하세요."))
        return
    if not passed(score):
        yield Problem("kind", (
            f"최종 평가 점수가 {score:g}점으로 60점 미만(미흡)이라 2차(20%)를 지급할 수 "
            "없습니다(필요하면 환수 검토). 점수를 확인하세요."))
        return
    evaluated = loaded(team, "evaluated_on")
    if evaluated is not None and paid_on is not None and paid_on < evaluated:
        yield Problem("paid_on", (
            f"2차(20%) 지급일({dotted(paid_on)})이 최종 평가일({dotted(evaluated)})보다 "
            "앞섭니다. 날짜를 확인하세요."))
    if fund:
        first_paid = _paid(payments, FIRST) or first_installment(fund)
        expected = max(fund - first_paid, 0)
        if amount != expected:
            yield Problem("amount", (
                f"2차 지급액은 팀당 사업개발비 {money_text(fund)}에서 1차 "
                f"{money_text(first_paid)}을 뺀 {money_text(expected)}이어야 합니다"
                f"(입력: {money_text(amount)})."))


def _team(team: StartupTeam, session: Session | None) -> Iterator[Problem]:
    status = loaded(team, "status")
    agreed, withdrawn = loaded(team, "agreed_on"), loaded(team, "withdrawn_on")
    score = loaded(team, "final_score")
    if score is not None and not 0 <= score <= 100:
        yield Problem("final_score", f"최종 평가 점수({score:g})는 0~100점 사이로 입력하세요.")
    if status in ("협약", "수료") and agreed is None:
        yield Problem("agreed_on", f"상태가 '{status}'이면 협약일을 입력하세요.", WARNING)
    if status == "참여 포기" and withdrawn is None:
        yield Problem("withdrawn_on", "참여 포기한 팀은 포기일을 입력하세요.", WARNING)
    if withdrawn is not None and status != "참여 포기":
        yield Problem("status", (
            f"포기일({dotted(withdrawn)})이 있는데 상태가 '{status}'입니다. 상태를 "
            "'참여 포기'로 바꾸거나 포기일을 지우세요."), WARNING)
    early = order_problem(team, "agreed_on", "evaluated_on")
    if early:
        yield early
    cohort = parent_of(team, "cohort", session)
    year, designated = loaded(cohort, "year"), loaded(team, "designated_year")
    if year is not None and designated is not None and designated < year:
        yield Problem("designated_year", (
            f"예비 지정 연도({designated}년)가 창업지원 연도({year}년)보다 앞섭니다. 연도를 "
            "확인하세요."))
    payments = loaded(team, "payments") or []
    if score is not None and not passed(score) and any(
        loaded(p, "kind") == SECOND for p in payments
    ):
        yield Problem("final_score", (
            f"최종 평가 점수 {score:g}점은 60점 미만(미흡)인데 2차(20%) 지급 기록이 있습니다. "
            "점수나 지급 기록을 확인하세요."), ERROR)


def _round(rnd: StartupRound, session: Session | None) -> Iterator[Problem]:
    start, end, review = (loaded(rnd, f) for f in ("recruit_start", "recruit_end", "review_on"))
    # A review before the recruitment starts is refused by date_and_time_order (checks.py reads
    # the review_after constraint), once: only the softer warning is this rule's own.
    if review is not None and end is not None and review < end and not (
            start is not None and review < start):
        yield Problem("review_on", (
            f"심사일({dotted(review)})이 모집 종료({dotted(end)}) 전입니다. 맞는지 확인하세요."),
            WARNING)
    agreement = order_problem(rnd, "review_on", "agreement_on")
    if agreement:
        yield agreement


def _cohort(cohort: StartupCohort, session: Session | None) -> Iterator[Problem]:
    low, high = loaded(cohort, "consulting_min"), loaded(cohort, "consulting_max")
    if low is not None and high is not None and high < low:
        yield Problem("consulting_max", (
            f"개별 컨설팅 최대({high}회)가 최소({low}회)보다 적습니다. 횟수를 확인하세요."))


def _designation(app: DesignationApplication, session: Session | None) -> Iterator[Problem]:
    result, result_on = loaded(app, "result"), loaded(app, "result_on")
    if result in ("지정", "미지정") and result_on is None:
        yield Problem("result_on", f"결과가 '{result}'이면 결과 발표일을 입력하세요.", WARNING)
    if result == "심사 중" and result_on is not None:
        yield Problem("result", (
            f"결과 발표일({dotted(result_on)})이 있는데 결과가 '심사 중'입니다. 결과를 "
            "'지정' 또는 '미지정'으로 바꾸거나 발표일을 지우세요."), WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(StartupPayment, reads=("team.payments", "team.cohort"))(_payment)
rule(StartupTeam, reads=("cohort", "payments"))(_team)
rule(StartupRound)(_round)
rule(StartupCohort)(_cohort)
rule(DesignationApplication)(_designation)
