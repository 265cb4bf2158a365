"""창업지원 rules: 80 % after agreement, 20 % only for a final score of 60 or more."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import service
from db.errors import ValidationFailed
from db.models import StartupCohort, StartupPayment, StartupRound, StartupTeam
from db.rules import startup as st
from tests.db_helpers import messages

D = dt.date
FUND = 8_000_000
FIRST_AMOUNT = FUND * 80 // 100  # 6,400,000: the fund divides evenly, no rounding involved
SECOND_AMOUNT = FUND - FIRST_AMOUNT


AGREED = D(2021, 7, 9)


def team(score=None, status="협약", agreed=AGREED, **kw) -> StartupTeam:
    cohort = StartupCohort(year=2021, fund_per_team=FUND)
    return StartupTeam(cohort=cohort, name="마을부엌", status=status, agreed_on=agreed,
                       final_score=score, evaluated_on=D(2021, 12, 10) if score else None, **kw)


def pay(t: StartupTeam, kind: str, amount: int, on: dt.date) -> StartupPayment:
    p = StartupPayment(kind=kind, amount=amount, paid_on=on)
    t.payments.append(p)
    return p


def test_installment_helpers():
    assert st.first_installment(FUND) == FIRST_AMOUNT
    assert st.first_installment(10_000_001) == 8_000_001  # 8,000,000.8 rounds up
    assert st.first_installment(10_000_002) == 8_000_002  # 8,000,001.6 rounds up
    assert st.second_installment(FUND, 60) == SECOND_AMOUNT
    assert st.second_installment(FUND, 59.9) == 0
    assert st.second_installment(FUND, None) == 0
    for fund in (1, 3, 7_777_777, 10_000_001):
        assert st.first_installment(fund) + st.second_installment(fund, 100) == fund


def test_first_installment_after_agreement_with_the_right_amount():
    t = team()
    assert messages(pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))) == ""


def test_first_installment_before_agreement_or_without_one():
    early = pay(team(), st.FIRST, FIRST_AMOUNT, D(2021, 7, 1))
    assert "협약일(2021.7.9.)보다 앞섭니다" in messages(early, "error")
    no_agreement = pay(team(agreed=None, status="선정"), st.FIRST, FIRST_AMOUNT, D(2021, 7, 1))
    assert "협약일을 먼저 입력" in messages(no_agreement, "error")


def test_first_installment_wrong_amount_names_both_amounts():
    text = messages(pay(team(), st.FIRST, 6_000_000, D(2021, 7, 20)), "error")
    assert "6,400,000원" in text and "6,000,000원" in text and "8,000,000원" in text


def test_score_of_exactly_60_allows_the_second_payment():
    t = team(score=60)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))) == ""


@pytest.mark.parametrize("score", [59, 59.9])
def test_score_below_60_refuses_the_second_payment(score):
    t = team(score=score)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    text = messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20)), "error")
    assert "미흡" in text and f"{score:g}점" in text
    assert "미흡" in messages(t, "error")  # the team itself shows the contradiction too


def test_second_payment_needs_a_score_and_the_rest_of_the_fund():
    t = team()
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert "최종 평가 점수를 먼저" in messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 1)))
    t2 = team(score=80)
    pay(t2, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert "1,600,000원이어야" in messages(pay(t2, st.SECOND, 2_000_000, D(2021, 12, 20)), "error")
    t3 = team(score=80)
    pay(t3, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    early = pay(t3, st.SECOND, SECOND_AMOUNT, D(2021, 12, 1))
    assert "최종 평가일" in messages(early, "error")


def test_no_payment_to_a_team_that_withdrew_before_agreement():
    t = team(status="참여 포기", agreed=None, withdrawn_on=D(2021, 7, 1))
    assert "참여를 포기한" in messages(pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20)), "error")
    later = team(status="참여 포기", withdrawn_on=D(2021, 9, 1))  # after agreeing: 1차 was due
    assert messages(pay(later, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20)), "error") == ""


def test_total_never_above_the_fund_and_no_double_payment():
    t = team(score=90)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    double = pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 8, 20))
    text = messages(double, "error")
    assert "이미 지급" in text and "넘습니다" in text


def test_recovery_cannot_exceed_what_was_paid():
    t = team(score=40)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert "환수액" in messages(pay(t, st.RECOVERY, FIRST_AMOUNT + 1, D(2022, 1, 5)), "error")
    assert messages(pay(team(score=40), st.RECOVERY, 0, D(2022, 1, 5))) == ""


def test_missing_fund_is_reported():
    t = team()
    t.cohort.fund_per_team = 0
    assert "팀당 사업개발비가 입력되지" in messages(pay(t, st.FIRST, 1, D(2021, 7, 20)))


def test_negative_and_fractional_amounts():
    assert "0원 이상" in messages(pay(team(), st.FIRST, -1, D(2021, 7, 20)))
    assert "원 단위 정수" in messages(pay(team(), st.FIRST, 6_400_000.5, D(2021, 7, 20)))


def test_bad_kind_and_score_range():
    assert "다음 중 하나" in messages(pay(team(), "3차", 1, D(2021, 7, 20)), "error")
    assert "0~100점" in messages(team(score=101), "error")


def test_team_status_consistency():
    assert "협약일을 입력" in messages(team(agreed=None), "warning")
    assert "포기일을 입력" in messages(team(status="참여 포기"), "warning")
    late = team(designated_year=2020)
    assert "예비 지정 연도" in messages(late, "error")
    wrong_eval = team(score=70)
    wrong_eval.evaluated_on = D(2021, 7, 1)
    assert "최종 평가일" in messages(wrong_eval, "error")


def test_round_and_cohort_order():
    r = StartupRound(cohort_id=1, recruit_start=D(2021, 3, 2), recruit_end=D(2021, 3, 19),
                     review_on=D(2021, 3, 10), agreement_on=D(2021, 3, 5))
    text = messages(r)
    assert "모집 종료(2021.3.19.) 전" in text and "협약일(2021.3.5.)" in text
    assert "모집 종료(2021.2.1.)가" in messages(
        StartupRound(cohort_id=1, recruit_start=D(2021, 3, 2), recruit_end=D(2021, 2, 1)))
    assert "최대(2회)" in messages(StartupCohort(year=2021, consulting_min=3, consulting_max=2))


def test_pending_steps_for_the_dashboard():
    today = D(2021, 12, 31)
    t = team()
    assert st.startup_pending(t, today).kind == "1차 지급 대기"
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert st.startup_pending(t, today).kind == "최종 평가 대기"
    t.final_score = 60
    pending = st.startup_pending(t, today)
    assert pending.kind == "2차 지급 대기" and "60점" in pending.message
    pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))
    assert st.startup_pending(t, today) is None
    failed = team(score=59)
    pay(failed, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert st.startup_pending(failed, today) is None
    assert st.startup_pending(team(status="참여 포기"), today) is None
    assert st.startup_pending(team(), D(2021, 7, 1)) is None  # not yet agreed on that day


def test_save_refuses_a_second_payment_below_60_and_writes_nothing(db):
    cohort = service.save(db, StartupCohort(year=2021, fund_per_team=FUND))
    t = service.save(db, StartupTeam(cohort_id=cohort.id, name="마을부엌", status="수료",
                                     agreed_on=D(2021, 7, 9), final_score=59,
                                     evaluated_on=D(2021, 12, 10)))
    service.save(db, StartupPayment(team_id=t.id, kind=st.FIRST, amount=FIRST_AMOUNT,
                                    paid_on=D(2021, 7, 20)))
    with pytest.raises(ValidationFailed) as err:
        service.save(db, StartupPayment(team_id=t.id, kind=st.SECOND, amount=SECOND_AMOUNT,
                                        paid_on=D(2021, 12, 20)))
    assert "미흡" in str(err.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(StartupPayment)) == 1
