"""Every boundary the rules and parsers draw, tried on both sides (the mutation run's survivors).

Each test names the edge it pins: a score of exactly 0 and 100, a payment on the agreement day,
the first and last day of a contract, a tenancy ending exactly on its 5-year limit, zero
amounts, the two-digit-year pivot, 24:00, repeated money units.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db import service
from db.errors import DureError
from db.formats import TWO_DIGIT_PIVOT, parse_date, parse_int, parse_money, parse_time
from db.models import (
    Organization,
    Space,
    StartupCohort,
    StartupPayment,
    StartupTeam,
    Tenancy,
    TenancyRent,
    TenancyTerm,
)
from db.rules import space as sp
from db.rules import startup as st
from tests.db_helpers import messages

D = dt.date
FUND = 8_000_000
FIRST_AMOUNT, SECOND_AMOUNT = 6_400_000, 1_600_000
AGREED = D(2021, 7, 9)
EVALUATED = D(2021, 12, 10)


def team(score=None, agreed=AGREED, evaluated=EVALUATED) -> StartupTeam:
    cohort = StartupCohort(year=2021, fund_per_team=FUND)
    return StartupTeam(cohort=cohort, name="마을부엌", status="협약", agreed_on=agreed,
                       final_score=score, evaluated_on=evaluated if score is not None else None)


def pay(t: StartupTeam, kind: str, amount: int, on: dt.date) -> StartupPayment:
    p = StartupPayment(kind=kind, amount=amount, paid_on=on)
    t.payments.append(p)
    return p


# ---------------------------------------------------------------- 창업지원: scores and payments


@pytest.mark.parametrize("score", [0, 100, 0.0, 100.0])
def test_scores_0_and_100_are_in_range(score):
    assert "0~100점" not in messages(team(score=score))


@pytest.mark.parametrize("score", [-0.1, -1, 100.1, 101])
def test_scores_outside_0_to_100_are_refused(score):
    lines = messages(team(score=score), "error").splitlines()
    assert f"최종 평가 점수({score:g})는 0~100점 사이로 입력하세요." in lines


def test_score_100_pays_the_second_installment():
    t = team(score=100)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))) == ""
    assert st.passed(100) and st.passed(60) and not st.passed(59.99) and not st.passed(None)


def test_first_payment_on_the_agreement_day_itself_is_allowed():
    t = team()
    assert messages(pay(t, st.FIRST, FIRST_AMOUNT, AGREED)) == ""
    day_before = pay(team(), st.FIRST, FIRST_AMOUNT, AGREED - dt.timedelta(days=1))
    assert messages(day_before, "error") == (
        "1차(80%) 지급일(2021.7.8.)이 협약일(2021.7.9.)보다 앞섭니다. 협약 후에 지급하는 것이 "
        "규칙입니다. 날짜를 확인하세요.")


def test_second_payment_on_the_evaluation_day_itself_is_allowed():
    t = team(score=80)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 10))) == ""
    t2 = team(score=80)
    pay(t2, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    early = pay(t2, st.SECOND, SECOND_AMOUNT, D(2021, 12, 9))
    assert messages(early, "error") == (
        "2차(20%) 지급일(2021.12.9.)이 최종 평가일(2021.12.10.)보다 앞섭니다. 날짜를 확인하세요.")


def test_paid_total_counts_the_second_installment_toward_the_fund_cap():
    """1차 + 2차 exactly the fund passes; one 원 more (in the 2차) is over the cap."""
    t = team(score=90)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    assert messages(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))) == ""
    over = team(score=90)
    pay(over, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    second = pay(over, st.SECOND, SECOND_AMOUNT + 1, D(2021, 12, 20))
    text = messages(second, "error")
    assert ("'마을부엌'에게 지급한 합계(8,000,001원)가 팀당 사업개발비(8,000,000원)를 "
            "넘습니다.") in text


def test_recovery_may_take_back_both_installments_but_not_one_won_more():
    t = team(score=90)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))
    assert messages(pay(t, st.RECOVERY, FUND, D(2022, 1, 5))) == ""
    t2 = team(score=90)
    pay(t2, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    pay(t2, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20))
    assert messages(pay(t2, st.RECOVERY, FUND + 1, D(2022, 1, 5)), "error") == (
        "환수액(8,000,001원)이 지급한 금액보다 많습니다. 금액을 확인하세요.")


def test_second_installment_expected_is_the_fund_minus_what_the_first_paid():
    t = team(score=70)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    wrong = pay(t, st.SECOND, 1_000_000, D(2021, 12, 20))
    assert messages(wrong, "error") == (
        "2차 지급액은 팀당 사업개발비 8,000,000원에서 1차 6,400,000원을 뺀 1,600,000원이어야 "
        "합니다(입력: 1,000,000원).")


def test_zero_amount_payments():
    assert "0원 이상" not in messages(pay(team(score=40), st.RECOVERY, 0, D(2022, 1, 5)))
    zero_first = pay(team(), st.FIRST, 0, D(2021, 7, 20))
    assert "6,400,000원이어야 합니다(입력: 0원)" in messages(zero_first, "error")


# ---------------------------------------------------------------- 입주공간: first and last days

FIRST_TERM = (D(2019, 8, 15), D(2021, 8, 14))
FULL = [FIRST_TERM, (D(2021, 8, 15), D(2022, 8, 14)), (D(2022, 8, 15), D(2023, 8, 14)),
        (D(2023, 8, 15), D(2024, 8, 14))]


def tenancy(*spans, provider="코레일", moved_out=None) -> Tenancy:
    space = Space(provider=provider, site="백마역 1번출구")
    return Tenancy(space=space, organization_id=1, moved_out_on=moved_out,
                   terms=[TenancyTerm(start_on=a, end_on=b) for a, b in spans])


def test_first_day_of_a_contract_is_in_contract_and_the_day_before_is_not():
    t = tenancy(FIRST_TERM)
    assert sp.tenancy_status(t, D(2019, 8, 14)).state == "입주 예정"
    on_first = sp.tenancy_status(t, D(2019, 8, 15))
    assert on_first.state == "계약 중" and on_first.contract_year == 1


def test_last_day_of_a_contract_is_in_contract_and_the_day_after_has_ended():
    t = tenancy(FIRST_TERM)
    last = sp.tenancy_status(t, D(2021, 8, 14))
    assert last.state == "계약 중" and last.days_left == 0
    assert last.ends_within(0) and last.ends_within(1)
    after = sp.tenancy_status(t, D(2021, 8, 15))
    assert after.state == "계약 만료" and after.days_left == -1
    assert not after.ends_within(30)
    assert after.contract_year == 2  # counted up to the signed end: the last day is in year 2


def test_moving_out_counts_from_its_own_day():
    t = tenancy(FIRST_TERM, moved_out=D(2020, 3, 1))
    assert sp.tenancy_status(t, D(2020, 2, 29)).state == "계약 중"
    gone = sp.tenancy_status(t, D(2020, 3, 1))
    assert gone.state == "퇴거" and not gone.ends_within(10_000) and not gone.can_renew


def test_a_tenancy_ending_exactly_on_the_five_year_limit():
    t = tenancy(*FULL)
    st_ = sp.tenancy_status(t, D(2024, 1, 1))
    assert st_.signed_end == st_.five_year_limit == D(2024, 8, 14)
    assert not st_.is_past_limit
    assert not st_.can_renew
    assert st_.next_review is None and not st_.review_due()
    assert "5년" not in messages(t)
    one_day_short = tenancy(*FULL[:3], (D(2023, 8, 15), D(2024, 8, 13)))
    short = sp.tenancy_status(one_day_short, D(2024, 1, 1))
    assert short.can_renew and not short.is_past_limit
    assert short.next_review == D(2024, 8, 13) - dt.timedelta(days=sp.REVIEW_LEAD_DAYS)
    assert sp.next_renewal(one_day_short.terms) == (D(2024, 8, 14), D(2024, 8, 14))


def test_one_day_past_the_limit_is_refused_without_a_reason():
    t = tenancy(*FULL[:3], (D(2023, 8, 15), D(2024, 8, 15)))
    errors = messages(t.terms[-1], "error")
    assert "2024.8.14.까지만 할 수 있는데 이 계약은 2024.8.15.까지입니다" in errors
    assert sp.tenancy_status(t, D(2024, 1, 1)).is_past_limit


def test_review_due_from_its_day_on():
    t = tenancy(FIRST_TERM)
    review = sp.review_date(D(2021, 8, 14))
    assert review == D(2021, 6, 15)
    assert not sp.tenancy_status(t, review - dt.timedelta(days=1)).review_due()
    assert sp.tenancy_status(t, review).review_due()


def test_first_term_exactly_two_years_and_renewal_exactly_one_year_are_clean():
    assert messages(tenancy(FIRST_TERM)) == ""
    renewal = tenancy(FIRST_TERM, (D(2021, 8, 15), D(2022, 8, 14)))
    assert messages(renewal.terms[1]) == ""
    day_late = tenancy(FIRST_TERM, (D(2021, 8, 16), D(2022, 8, 14)))
    assert "1일이 빕니다" in messages(day_late.terms[1], "warning")
    overlap = tenancy(FIRST_TERM, (D(2021, 8, 14), D(2022, 8, 13)))
    assert "겹칩니다" in messages(overlap.terms[1], "error")


def rent(t: Tenancy, year: int | None, amount: int = 1_000_000) -> TenancyRent:
    r = TenancyRent(contract_year=year, amount=amount)
    t.rents.append(r)
    return r


def test_rent_for_contract_year_0_is_refused_and_year_1_is_fine():
    t = tenancy(FIRST_TERM)
    assert messages(rent(t, 0), "error") == "연차는 1년차부터입니다. 1 이상으로 입력하세요."
    assert messages(rent(tenancy(FIRST_TERM), 1)) == ""


def test_rent_years_without_terms_run_one_to_five():
    no_terms = Tenancy(space=Space(provider="코레일", site="능곡역"), organization_id=1)
    assert messages(rent(no_terms, 5)) == ""
    no_terms2 = Tenancy(space=Space(provider="코레일", site="능곡역"), organization_id=1)
    assert messages(rent(no_terms2, 6), "error") == "입주는 5년까지라 임대료 연차는 1~5년차입니다."


def test_rent_year_covered_by_the_terms_and_one_past_them():
    t = tenancy(FIRST_TERM)  # two contract years
    assert messages(rent(t, 2)) == ""
    t2 = tenancy(FIRST_TERM)
    assert "2년차까지입니다" in messages(rent(t2, 3), "error")


def test_lh_space_has_no_rent():
    t = tenancy(FIRST_TERM, provider="LH")
    assert "임대료가 없습니다" in messages(rent(t, 1), "error")


# ---------------------------------------------------------------- 기업: names are a soft key


def test_same_name_different_registration_number_is_only_a_warning(db):
    """Two enterprises may share a name (different 구, different founders); the number decides."""
    service.save(db, Organization(name="행복나눔 협동조합", brn="1234567891"))
    second = Organization(name="행복나눔 협동조합", brn="2208112341")
    with db.session() as s:
        found = service.check(second, s)
    assert [p.severity for p in found if p.field == "name"] == ["warning"]
    assert not [p for p in found if p.is_error]
    service.save(db, second)  # saved, not refused
    with db.session() as s:
        assert s.query(Organization).filter_by(name="행복나눔 협동조합").count() == 2


# ---------------------------------------------------------------- parsers


def test_parse_int_accepts_zero_and_refuses_minus_one():
    assert parse_int("0") == 0
    assert parse_int(0) == 0
    assert parse_int("0명", unit="명") == 0
    with pytest.raises(DureError, match="음수"):
        parse_int("-1")
    assert parse_int("-1", allow_negative=True) == -1


@pytest.mark.parametrize(("text", "year"), [
    (f"{TWO_DIGIT_PIVOT - 1}.1.5", 2000 + TWO_DIGIT_PIVOT - 1),
    (f"{TWO_DIGIT_PIVOT}.1.5", 1900 + TWO_DIGIT_PIVOT),
    ("00.1.5", 2000), ("99.1.5", 1999), ("21.7.9", 2021),
])
def test_two_digit_year_pivot(text, year):
    assert TWO_DIGIT_PIVOT == 70
    assert parse_date(text, check_weekday=False).year == year


@pytest.mark.parametrize(("text", "value"), [
    ("0:00", dt.time(0, 0)), ("23:59", dt.time(23, 59)), ("2359", dt.time(23, 59)),
    ("23시 59분", dt.time(23, 59)), ("0시", dt.time(0, 0)),
])
def test_times_up_to_23_59(text, value):
    assert parse_time(text) == value


@pytest.mark.parametrize("text", ["24:00", "2400", "24시", "12:60", "23:60"])
def test_24_00_and_minute_60_are_refused(text):
    with pytest.raises(DureError) as info:
        parse_time(text)
    assert str(info.value) == f"시각 '{text}'은(는) 없는 시각입니다. 0:00~23:59 사이로 입력하세요."


@pytest.mark.parametrize(("text", "value"), [
    ("만원", 10_000), ("만", 10_000), ("억", 100_000_000), ("천만원", 10_000_000),
    ("1억 2천만원", 120_000_000), ("2천3백", 2_300), ("0원", 0), ("0", 0),
    ("9천9백9십9", 9_999), ("1조", 10**12),
])
def test_money_units(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["3천2천", "1억2억", "1만2만원", "3백2천", "만억", "백백",
                                  "3천5000"])
def test_money_repeated_or_ascending_units_are_refused(text):
    with pytest.raises(DureError, match="알아볼 수 없습니다"):
        parse_money(text)


# ---------------------------------------------------------------- which field a message marks


def fields(obj, severity=None) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in service.check(obj)
            if severity in (None, p.severity)]


def test_payment_messages_mark_their_own_fields():
    no_agreement = team(agreed=None)
    no_agreement.status = "선정"
    found = fields(pay(no_agreement, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20)), "error")
    assert ("paid_on", "1차(80%)는 협약 후에 지급합니다. 이 팀의 협약일을 먼저 "
                       "입력하세요.") in found
    early = fields(pay(team(), st.FIRST, FIRST_AMOUNT, D(2021, 7, 1)), "error")
    assert [f for f, _ in early] == ["paid_on"]
    wrong = fields(pay(team(), st.FIRST, 1, D(2021, 7, 20)), "error")
    assert [f for f, _ in wrong] == ["amount"]
    t = team()
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    unscored = fields(pay(t, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20)), "error")
    assert unscored == [("kind",
                         ("2차(20%)는 최종 평가 후에 지급합니다. 팀의 최종 평가 점수를 먼저 "
                                 "입력하세요."))]
    failed = team(score=59)
    pay(failed, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    refused = fields(pay(failed, st.SECOND, SECOND_AMOUNT, D(2021, 12, 20)), "error")
    assert refused == [("kind",
                        ("최종 평가 점수가 59점으로 60점 미만(미흡)이라 2차(20%)를 지급할 수 "
                                "없습니다(필요하면 환수 검토). 점수를 확인하세요."))]
    scored = team(score=80)
    pay(scored, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    early2 = fields(pay(scored, st.SECOND, SECOND_AMOUNT, D(2021, 12, 1)), "error")
    assert [f for f, _ in early2] == ["paid_on"]


def test_pending_on_the_agreement_day_names_the_team_and_the_day():
    pending = st.startup_pending(team(), AGREED)
    assert pending is not None
    assert (pending.kind, pending.since) == ("1차 지급 대기", AGREED)
    assert pending.message == "마을부엌: 2021.7.9. 협약 후 1차(80%) 지급 기록이 없습니다."
    assert st.startup_pending(team(), AGREED - dt.timedelta(days=1)) is None
    t = team(score=75)
    pay(t, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    second = st.startup_pending(t, D(2021, 12, 31))
    assert (second.kind, second.since) == ("2차 지급 대기", EVALUATED)
    assert second.message == "마을부엌: 최종 평가 75점으로 2차(20%) 지급 대상입니다."
    t2 = team()
    pay(t2, st.FIRST, FIRST_AMOUNT, D(2021, 7, 20))
    waiting = st.startup_pending(t2, D(2021, 12, 31))
    assert (waiting.since, waiting.message) == (
        D(2021, 7, 20), "마을부엌: 1차 지급 후 최종 평가 점수가 아직 없습니다.")


# ---------------------------------------------------------------- 재정지원: approved amount


def grant_with(approved: int, *amounts: int):
    from db.models import FinanceGrant, FinancePayment

    grant = FinanceGrant(program="사업개발비", year=2021, organization_id=1,
                         approved_amount=approved)
    for i, amount in enumerate(amounts):
        grant.payments.append(FinancePayment(paid_on=D(2021, 3 + i, 25), amount=amount))
    return grant


def test_payments_exactly_at_the_approved_amount_are_fine_one_won_more_is_flagged():
    exact = grant_with(1_000_000, 600_000, 400_000)
    assert [p for p in service.check(exact.payments[1]) if "승인 금액" in p.message] == []
    over = grant_with(1_000_000, 600_000, 400_001)
    found = [(p.field, p.message, p.severity) for p in service.check(over.payments[1])]
    assert ("amount",
            ("지급 합계(1,000,001원)가 승인 금액(1,000,000원)보다 많습니다. 금액이나 승인 "
            "금액을 확인하세요."), "warning") in found
    on_grant = [(p.field, p.severity) for p in service.check(over) if "승인 금액" in p.message]
    assert on_grant == [("approved_amount", "warning")]


# ---------------------------------------------------------------- ranges: years and rates


@pytest.mark.parametrize(("key", "ok"), [
    ("1990", True), ("2100", True), ("1989", False), ("2101", False), ("prior", True),
    ("after", True), ("", False), (None, False), ("20x1", False), ("19900", False),
])
def test_budget_period_keys(key, ok):
    from db.rules.governance import valid_period_key

    assert valid_period_key(key) is ok


@pytest.mark.parametrize(("rate", "ok"), [(0, True), (100, True), (0.0, True), (4.5, True),
                                          (-0.1, False), (100.1, False)])
def test_purchase_rates_run_from_0_to_100_percent(rate, ok):
    from db.models import PurchasingResult

    res = PurchasingResult(year=2021, rate=rate)
    found = [(p.field, p.message) for p in service.check(res) if "0~100%" in p.message]
    if ok:
        assert found == []
    else:
        assert found == [("rate", f"구매율({rate:g}%)은(는) 0~100% 사이로 입력하세요.")]


# ---------------------------------------------------------------- parsers: edges and labels


def test_excel_serial_dates_up_to_9999_12_31():
    from db.formats import parse_excel_date

    assert parse_excel_date(2958465) == D(9999, 12, 31)
    assert parse_excel_date(1) == D(1900, 1, 1)
    for bad in (0, 2958466, 2958467):
        with pytest.raises(DureError) as info:
            parse_excel_date(bad, "협약일")
        assert str(info.value) == (
            f"협약일 칸의 숫자 {bad}은(는) 날짜로 볼 수 없습니다. 날짜 형식으로 입력하세요.")
    with pytest.raises(DureError) as info:
        parse_excel_date(2958466)
    assert str(info.value).startswith("날짜 칸의 숫자")
    with pytest.raises(DureError, match="^협약일 "):
        parse_excel_date("2021.13.40", "협약일")


def test_empty_time_is_named_as_empty():
    with pytest.raises(DureError) as info:
        parse_time(None)
    assert str(info.value) == (
        "시각 ''을(를) 알아볼 수 없습니다. 15:00, 9:30, 15시 30분처럼 입력하세요.")


def test_span_backwards_message_is_exact():
    from db.periods import Period, span

    with pytest.raises(DureError) as info:
        span(Period.year_of(2021), Period.year_of(2020))
    assert str(info.value) == "끝 기간이 시작 기간보다 앞섭니다. 순서를 바꿔 쓰세요."


def test_brn_text_leaves_what_is_not_a_number_alone():
    from db.rules.organization import brn_text

    assert brn_text("1234567891") == "123-45-67891"
    assert brn_text("12-34") == "12-34"
    assert brn_text("") == ""
    assert brn_text(None) == ""


# ---------------------------------------------------------------- 입주공간: one space, two tenants


def _shared_space_warnings(db, second_span, *, same_space=True, edit_first=False):
    """Warnings of a second tenancy (or of the first, re-checked) on a space already let."""
    org_a = service.save(db, Organization(name="가나 협동조합"))
    org_b = service.save(db, Organization(name="다라 협동조합"))
    space = service.save(db, Space(provider="코레일", site="백마역 1번출구"))
    other = service.save(db, Space(provider="코레일", site="능곡역 2층"))
    first = service.save(db, Tenancy(space_id=space.id, organization_id=org_a.id, terms=[
        TenancyTerm(start_on=D(2019, 8, 15), end_on=D(2021, 8, 14))]))
    with db.session() as s:
        if edit_first:
            obj = s.get(Tenancy, first.id)
            return [p.message for p in service.check(obj, s) if p.severity == "warning"
                    and "같은 공간" in p.message]
        a, b = second_span
        new = Tenancy(space_id=space.id if same_space else other.id, organization_id=org_b.id,
                      terms=[TenancyTerm(start_on=a, end_on=b)])
        return [p.message for p in service.check(new, s) if "같은 공간" in p.message]


def test_a_second_tenant_overlapping_by_one_day_is_warned(db):
    found = _shared_space_warnings(db, (D(2021, 8, 14), D(2022, 8, 13)))
    assert found == [("같은 공간(백마역 1번출구)에 다른 입주 계약(2019.8.15.~2021.8.14.)이 같은 "
                     "기간에 있습니다. 공간이나 기간을 확인하세요.")]


def test_a_second_tenant_ending_on_the_first_tenants_first_day_is_warned(db):
    assert len(_shared_space_warnings(db, (D(2019, 1, 1), D(2019, 8, 15)))) == 1


def test_a_tenant_after_the_last_day_or_in_another_space_is_not_warned(db):
    assert _shared_space_warnings(db, (D(2021, 8, 15), D(2023, 8, 14))) == []


def test_a_tenant_in_another_space_is_not_warned(db):
    assert _shared_space_warnings(db, (D(2020, 1, 1), D(2021, 12, 31)), same_space=False) == []


def test_a_tenancy_is_not_warned_about_itself(db):
    assert _shared_space_warnings(db, None, edit_first=True) == []


def test_check_digit_takes_exactly_nine_digits():
    from db.rules.organization import brn_check_digit

    assert brn_check_digit("123456789") == 1
    with pytest.raises(ValueError):
        brn_check_digit("1234567891")  # ten digits: the caller passed the whole number
