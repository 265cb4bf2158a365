"""The same records give the same figures on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from db.models import (
    BudgetLine,
    CarriedFigure,
    Consulting,
    Education,
    EducationDate,
    FinanceGrant,
    FinancePayment,
    Organization,
    Participation,
    PromotionNotice,
    PurchasingResult,
    ReportNote,
    SalesEvent,
    SalesParticipant,
    Space,
    SpaceMilestone,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
    Tenancy,
    TenancyRent,
    TenancyTerm,
    Video,
)
from db.periods import Period
from db.queries import report_figures
from db.queries.finance import finance_as_of

D = dt.date


def _populate(s) -> None:
    """A little of every area, including period edges and carried figures."""
    a, b = Organization(name="가협동조합", kind="협동조합"), Organization(name="(주)나")
    s.add_all([a, b])
    s.flush()
    for org, persons, days in ((a, 3, (D(2021, 6, 30), D(2021, 7, 1))), (b, 4, (D(2021, 7, 25),))):
        g = FinanceGrant(program="일자리창출 인건비", year=2021, organization_id=org.id,
                         approved_persons=persons)
        g.payments = [FinancePayment(paid_on=d, amount=1_234_567) for d in days]
        s.add(g)
    s.add(CarriedFigure(area="finance", metric="amount", category="사회보험료",
                        period_start=D(2021, 7, 1), period_end=D(2021, 9, 30), value=5_000))
    ev = SalesEvent(kind="장터·마켓", name="꿈길마켓", start_date=D(2021, 10, 20),
                    participant_count=17, sales_amount=24_050_000)
    ev2 = SalesEvent(kind="전시회", name="메가쇼", start_date=D(2021, 11, 18), applied=16,
                     selected=10)
    ev2.participants = [SalesParticipant(organization_id=a.id, sales=100)]
    s.add_all([ev, ev2])
    c = StartupCohort(year=2021, education_hours=12, fund_per_team=10_000_000)
    c.rounds = [StartupRound(round_no=1, recruit_start=D(2021, 3, 10), applications=10)]
    s.add(c)
    s.flush()
    t = StartupTeam(cohort_id=c.id, round_id=c.rounds[0].id, name="마을숲", status="수료",
                    final_score=60, designated_year=2022)
    t.payments = [StartupPayment(kind="1차(80%)", paid_on=D(2021, 6, 10), amount=8_000_000)]
    s.add(t)
    sp = Space(provider="코레일", site="백마역", area_m2=138.62)
    s.add(sp)
    s.flush()
    ten = Tenancy(space_id=sp.id, organization_id=a.id, moved_in_on=D(2019, 10, 1))
    ten.terms = [TenancyTerm(start_on=D(2019, 8, 15), end_on=D(2021, 8, 14)),
                 TenancyTerm(start_on=D(2021, 8, 15), end_on=D(2022, 8, 14))]
    ten.rents = [TenancyRent(contract_year=1, amount=5_665_000)]
    s.add(ten)
    e = Education(course="찾아가는 아카데미", title="국립암센터", start_date=D(2021, 9, 28),
                  hours=12, sessions=4, attendees=19)
    e.dates = [EducationDate(day=D(2021, 9, 28)), EducationDate(day=D(2021, 10, 5))]
    s.add_all([
        e, SpaceMilestone(provider="코레일", happened_on=D(2021, 7, 1), text="능곡역 반납"),
        Consulting(kind="컨설팅 데이", held_on=D(2021, 8, 1), organization_id=a.id, sessions=3),
        Consulting(kind="창업팀 심화 2차", held_on=D(2021, 9, 6), startup_team_id=t.id),
        PurchasingResult(year=2021, as_of=D(2021, 9, 30), amount=7_600_000_000, rate=4.56),
        PromotionNotice(notice_on=D(2021, 7, 16), channel="유관기관", title="안내"),
        Video(posted_on=D(2021, 7, 13), title="영상"),
        Participation(kind="언론/방송 보도", held_on=D(2021, 12, 1), title="보도"),
        ReportNote(year=2021, half=2, area="sales", text="하반기"),
        BudgetLine(kind="확보", period="2021", source="시비", amount=683_000_000),
        BudgetLine(kind="집행", period="2020", source="도비", amount=24_000_000),
    ])
    s.commit()


def _figures(database) -> tuple:
    with database.session() as s:
        _populate(s)
        return report_figures(s, Period.half_of(2021, 2)), finance_as_of(s, D(2021, 11, 16))


def test_sqlite_and_postgresql_agree(db, pg_db):
    lite, pg = _figures(db), _figures(pg_db)
    figs, asof = lite
    # The figures are really there (not two empty reports agreeing) …
    assert figs.finance[1].cells[0].amount == 2 * 1_234_567  # 6-30 is the first half
    assert figs.finance[2].cells[0].carried and figs.sales.events == 2
    assert figs.roster[0].rows[0].contract_year == 3
    assert {c.kind: c.companies for c in figs.consulting} == {
        "컨설팅 데이": 1, "창업팀 심화 2차": 1}
    assert figs.videos.count_by_year == {2021: 1}
    assert asof[1].amount == 3 * 1_234_567
    # … and both backends compute them identically.
    assert repr(pg) == repr(lite)
