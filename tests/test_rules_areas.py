"""Rules of the smaller areas: finance, purchasing, governance, sales, education, consulting,
events and social service; plus the generic date/time order that every model gets."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import service
from db.errors import ValidationFailed
from db.models import (
    BudgetLine,
    CarriedFigure,
    Consulting,
    Education,
    EducationDate,
    FacilityProject,
    FacilityRoom,
    Festival,
    FinanceBudget,
    FinanceGrant,
    FinancePayment,
    Organization,
    PurchasingResult,
    ReportNote,
    SalesEvent,
    SalesParticipant,
    SalesSchedule,
    ServiceMeasure,
    SocialServiceProject,
)
from db.rules import finance, governance
from tests.db_helpers import messages

D = dt.date
T = dt.time


# ---------------------------------------------------------------- generic order


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (Education(course="기초과정", title="t", start_date=D(2021, 9, 28),
                   end_date=D(2021, 9, 27)),
         "종료일(2021.9.27.)이 시작일(2021.9.28.)보다 앞섭니다"),
        (Festival(name="한마당", held_on=D(2021, 11, 20), end_on=D(2021, 11, 19)), "종료일"),
        (Festival(name="한마당", held_on=D(2021, 11, 20), start_time=T(15), end_time=T(14)),
         "종료 시각(14:00)이 시작 시각(15:00)보다 이릅니다"),
        (SalesSchedule(event_id=1, start_date=D(2021, 10, 22), end_date=D(2021, 10, 20)),
         "종료일(2021.10.20.)이"),
        (Consulting(kind="기초", held_on=D(2021, 6, 30), end_on=D(2021, 1, 1)), "앞섭니다"),
        (SocialServiceProject(name="고양해피케어", year=2021, start_on=D(2021, 12, 1),
                              end_on=D(2021, 3, 1)), "종료일"),
        (FacilityProject(name="전시홍보관", works_start=D(2020, 5, 1), works_end=D(2020, 4, 1)),
         "공사 종료"),
    ],
)
def test_end_before_start_is_an_error_in_every_area(obj, expected):
    assert expected in messages(obj, "error")


def test_same_day_and_same_time_are_fine():
    one_day = Festival(name="한마당", held_on=D(2021, 11, 20), end_on=D(2021, 11, 20),
                       start_time=T(10), end_time=T(10))
    assert messages(one_day) == ""


# ---------------------------------------------------------------- finance


def grant(**kw) -> FinanceGrant:
    return FinanceGrant(program="일자리창출 인건비", year=2021, organization_id=1,
                        approved_persons=3, approved_amount=3_000_000, **kw)


def test_finance_payment_outside_the_year_is_a_warning():
    g = grant()
    g.payments.append(p := FinancePayment(paid_on=D(2022, 1, 25), amount=1_000_000))
    found = service.check(p)
    assert [x.severity for x in found] == ["warning"]
    assert "2021년" in found[0].message


def test_finance_payments_over_the_approved_amount_warn():
    g = grant()
    g.payments.append(FinancePayment(paid_on=D(2021, 1, 25), amount=2_000_000))
    late = FinancePayment(paid_on=D(2021, 2, 25), amount=1_500_000, persons=4)
    g.payments.append(late)
    text = messages(late, "warning")
    assert "3,500,000원" in text and "3,000,000원" in text and "승인 인원(3명)" in text
    assert messages(late, "error") == ""
    assert "3,500,000원" in messages(g, "warning")


def test_finance_other_days_than_the_25th_are_fine_and_choices_hold():
    g = grant()
    g.payments.append(p := FinancePayment(paid_on=D(2021, 3, 10), amount=100))
    assert messages(p) == ""
    assert finance.monthly_payday(2021, 3) == D(2021, 3, 25)
    bad = FinanceGrant(program="인건비", year=21, organization_id=1)
    text = messages(bad, "error")
    assert "다음 중 하나" in text and "네 자리" in text
    assert "0원 이상" in messages(FinanceBudget(program="사회보험료", year=2022, amount=-1))


def test_finance_payment_total_counts_stored_payments(db):
    org = service.save(db, Organization(name="두레"))
    g = service.save(db, FinanceGrant(program="사회보험료", year=2021, organization_id=org.id,
                                      approved_amount=1_000_000))
    first = service.save(db, FinancePayment(grant_id=g.id, paid_on=D(2021, 1, 25),
                                            amount=600_000))
    with db.session() as s:
        found = service.check(FinancePayment(grant_id=g.id, paid_on=D(2021, 2, 25),
                                             amount=600_000), s)
        assert "1,200,000원" in found[0].message
        # Editing the stored payment down counts its new amount, not old + new.
        mine = s.get(FinancePayment, first.id)
        mine.amount = 500_000
        assert service.check(mine, s) == []


# ---------------------------------------------------------------- purchasing and governance


def test_purchasing_rate_and_grade():
    res = PurchasingResult(year=2021, as_of=D(2021, 12, 31), amount=1, rate=101, grade="E")
    text = messages(res, "error")
    assert "0~100%" in text and "다음 중 하나" in text
    ok = PurchasingResult(year=2021, as_of=D(2022, 1, 31), amount=1, rate=4.5, grade="A")
    assert messages(ok) == ""
    assert messages(PurchasingResult(year=2021, as_of=D(2019, 1, 1), amount=1), "warning")


@pytest.mark.parametrize("period", ["prior", "after", "2018", "2022"])
def test_budget_period_keys_accepted(period):
    line = BudgetLine(kind="투자계획", period=period, source="시비", amount=1)
    assert messages(line) == ""


@pytest.mark.parametrize("period", ["18", "2018년", "임기후", "3000", "'18.7."])
def test_budget_period_keys_refused_in_korean(period):
    text = messages(BudgetLine(kind="투자계획", period=period, source="시비", amount=1), "error")
    assert f"'{period}'" in text and "네 자리 연도" in text
    assert not governance.valid_period_key(period)


def test_carried_figure_and_report_note():
    fig = CarriedFigure(area="finance", metric="amount", period_start=D(2018, 12, 31),
                        period_end=D(2018, 7, 1), value=-1)
    text = messages(fig, "error")
    assert "기간 끝(2018.7.1.)" in text and "0원 이상" in text
    assert "항목" in messages(CarriedFigure(area="finance", metric=" ", value=1,
                                           period_start=D(2018, 1, 1), period_end=D(2018, 1, 1)))
    assert "반기" in messages(ReportNote(year=2021, half=3, area="sales", text="x"), "error")
    assert messages(ReportNote(year=2021, half=None, area="sales", text="x")) == ""
    assert messages(ReportNote(year=2021, half=2, area="sales", text="x")) == ""


# ---------------------------------------------------------------- sales


def event(**kw) -> SalesEvent:
    return SalesEvent(kind="장터·마켓", name="꿈길마켓", start_date=D(2021, 10, 20),
                      end_date=D(2021, 10, 22), **kw)


def test_sales_selected_not_above_applied():
    assert "선정 기업(12개사)" in messages(event(applied=10, selected=12), "error")
    assert messages(event(applied=0, selected=12)) == ""  # applications unknown
    assert messages(event(applied=12, selected=12)) == ""


def test_sales_participant_count_and_listing():
    e = event(participant_count=1)
    e.participants = [SalesParticipant(organization_id=1), SalesParticipant(organization_id=2)]
    assert "명단에 있는 기업 수(2개)" in messages(e, "error")
    e.participant_count = 17  # "두레협동조합 등 17개 기업"
    assert messages(e) == ""
    e.participants.append(SalesParticipant(organization_id=2))
    e.participant_count = None
    assert "두 번" in messages(e, "warning")


def test_sales_participant_sales_above_event_total_warn():
    e = event(sales_amount=1_000_000)
    e.participants = [SalesParticipant(organization_id=1, sales=800_000),
                      SalesParticipant(organization_id=2, sales=300_000)]
    assert "1,100,000원" in messages(e, "warning")
    assert "0원 이상" in messages(event(sales_amount=-5), "error")


def test_sales_schedule_outside_the_event_warns():
    e = event()
    inside = SalesSchedule(start_date=D(2021, 10, 20), end_date=D(2021, 10, 21))
    outside = SalesSchedule(start_date=D(2021, 10, 25))
    e.schedules = [inside, outside]
    assert messages(inside) == ""
    assert "행사 기간" in messages(outside, "warning")


# ---------------------------------------------------------------- education and consulting


def test_education_dates_and_hours():
    edu = Education(course="기초과정", title="사회적경제 이해", start_date=D(2021, 9, 28),
                    end_date=D(2021, 9, 30), hours=3.5, sessions=1, attendees=14)
    edu.dates = [EducationDate(day=D(2021, 9, 28), start_time=T(14), end_time=T(17)),
                 EducationDate(day=D(2021, 10, 5), start_time=T(14), end_time=T(15, 30))]
    text = messages(edu, "warning")
    assert "4.5시간" in text and "회수" in text
    assert "교육 기간" in messages(edu.dates[1], "warning")
    assert messages(edu.dates[0]) == ""
    assert "0 이상" in messages(Education(course="기초과정", title="t", start_date=D(2021, 1, 1),
                                         hours=-1, attendees=-3), "error")
    assert "다음 중 하나" in messages(Education(course="요리", title="t",
                                                start_date=D(2021, 1, 1)), "error")


def test_consulting_count_records():
    named = Consulting(kind="심화 1:1", held_on=D(2021, 5, 1), organization_id=1, companies=3)
    assert "기업 수" in messages(named, "warning")
    batch = Consulting(kind="기초", held_on=D(2021, 1, 1), end_on=D(2021, 6, 30),
                       sessions=130, companies=0)
    assert messages(batch) == ""
    assert "창업팀을 지정" in messages(Consulting(kind="창업팀 심화 1차", held_on=D(2021, 5, 1)))
    assert "0 이상" in messages(Consulting(kind="기초", held_on=D(2021, 5, 1), sessions=-1))


# ---------------------------------------------------------------- events and social service


def test_facility_rooms_fit_the_area():
    project = FacilityProject(name="전시홍보관", area_m2=99.17)  # 30평
    project.rooms = [FacilityRoom(name="전시실", area_pyeong=15),
                     FacilityRoom(name="교육실", area_pyeong=20)]
    assert "35평" in messages(project, "warning")
    project.rooms[1].area_pyeong = 15
    assert messages(project) == ""


def test_social_service_measures_and_year():
    assert "0 이상" in messages(ServiceMeasure(line_id=1, value=-10, unit="가구"), "error")
    assert messages(ServiceMeasure(line_id=1, value=140, unit="회", label="이송")) == ""
    project = SocialServiceProject(name="고양해피케어", year=2021, start_on=D(2020, 12, 1))
    assert "사업 연도" in messages(project, "warning")


# ---------------------------------------------------------------- through the write path


def test_save_refuses_an_invalid_record_and_writes_nothing(db):
    with pytest.raises(ValidationFailed) as err:
        service.save(db, BudgetLine(kind="투자계획", period="2018년", source="시비", amount=1))
    assert "네 자리 연도" in str(err.value)
    with pytest.raises(ValidationFailed):
        service.save(db, SalesEvent(kind="바자회", name="x", start_date=D(2021, 1, 1)))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(BudgetLine)) == 0
        assert s.scalar(select(func.count()).select_from(SalesEvent)) == 0


@pytest.mark.parametrize(
    "obj",
    [ReportNote(year=21, area="sales", text="x"),
     FinanceBudget(program="사회보험료", year=20221, amount=1),
     SocialServiceProject(name="고양해피케어", year=202)],
)
def test_calendar_years_must_have_four_digits(obj):
    assert "2021처럼 네 자리" in messages(obj, "error")
