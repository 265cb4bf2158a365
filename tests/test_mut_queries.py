"""db/queries on small databases: each field in its place, each period edge on both sides.

Every record here carries a different value in every column, so a query that reads one column
for another, drops a field or mixes two records fails; each period filter is tried with a record
on the period's first and last day and one day outside. One database serves the module; each
test works in its own session and leaves nothing behind (nothing is committed).
"""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from sqlalchemy import select

from db.models import (
    BudgetLine,
    CarriedFigure,
    Consulting,
    DesignationApplication,
    Education,
    EducationDate,
    FacilityProject,
    FacilityRoom,
    Festival,
    FinanceBudget,
    FinanceGrant,
    FinancePayment,
    Organization,
    Participation,
    PromotionNotice,
    Publication,
    PurchasingResult,
    ReportNote,
    SalesEvent,
    SalesParticipant,
    SalesSchedule,
    ServiceLine,
    ServiceMeasure,
    SocialServiceProject,
    Space,
    SpaceMilestone,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
    Tenancy,
    TenancyRent,
    TenancyTerm,
    TenantCall,
    TenantCallSpace,
    Video,
)
from db.periods import Period
from db.queries.carried import (
    carried_area,
    carried_by_category,
    carried_sum,
    metric_label,
    metric_of,
)
from db.queries.common import paused_gc
from db.queries.consulting import (
    ConsultingLine,
    ConsultingRow,
    TeamRound,
    consulting_details,
    consulting_summary,
    team_rounds,
)
from db.queries.dashboard import (
    DueItem,
    Figure,
    YearBar,
    due_items,
    due_items_days,
    key_figures,
    record_years,
    yearly_bars,
)
from db.queries.education import (
    AcademyLine,
    CourseRuns,
    EducationRow,
    SessionDate,
    academy_details,
    academy_summary,
    course_runs,
    listed_runs,
)
from db.queries.events import FacilityRow, FestivalRow, RoomRow, facility_projects, festivals
from db.queries.finance import (
    FinanceCell,
    FinanceRow,
    finance_as_of,
    finance_budget,
    finance_budget_basis,
    finance_yearly,
)
from db.queries.governance import (
    NoteRow,
    budget_table,
    participation_counts,
    period_labels,
    report_notes,
    secured_executed,
)
from db.queries.purchasing import (
    NoticeRow,
    PublicationRow,
    PurchasingYear,
    VideoRow,
    VideoSummary,
    promotion_notices,
    publications,
    purchasing_results,
    videos,
)
from db.queries.sales import (
    ParticipantRow,
    SalesEventRow,
    SalesYear,
    ScheduleRow,
    sales_events,
    sales_yearly,
)
from db.queries.social_service import (
    Measure,
    ServiceLineRow,
    SocialServiceRow,
    social_service_projects,
)
from db.queries.space import (
    CallOfferRow,
    MilestoneRow,
    RosterRow,
    TenantCallRow,
    TermRow,
    roster,
    space_milestones,
    tenant_calls,
)
from db.queries.startup import (
    DesignationRow,
    RoundRow,
    StartupSupport,
    StartupYear,
    TeamRow,
    cohort_progress,
    designation_applications,
    startup_yearly,
)
from db.settings import OfficeSettings, store_settings

D, T = dt.date, dt.time
H1, H2 = Period.half_of(2021, 1), Period.half_of(2021, 2)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    from db.session import open_database

    base = tmp_path_factory.mktemp("mutq")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DURE_DATA_DIR", str(base / "data"))
        database = open_database(base / "q.sqlite")
    yield database
    database.close()


@pytest.fixture
def s(database):
    session = database.session()
    yield session
    session.rollback()
    session.close()


# ---------------------------------------------------------------- 이월 실적


def carried(area="startup", metric="teams_selected", category="", start=None, end=None,
            value=1) -> CarriedFigure:
    return CarriedFigure(area=area, metric=metric, category=category,
                         period_start=start or D(2021, 1, 1), period_end=end or D(2021, 6, 30),
                         value=value)


def test_carried_rows_count_when_wholly_inside_the_period(s):
    s.add_all([
        carried(value=1),                                          # exactly H1
        carried(start=D(2021, 3, 1), end=D(2021, 3, 31), value=2),
        carried(start=D(2020, 12, 31), end=D(2021, 6, 30), value=40),  # starts a day early
        carried(start=D(2021, 1, 1), end=D(2021, 7, 1), value=300),     # ends a day late
        carried(category="2019", value=5000),
        carried(metric="designated", value=60000),
        carried(area="sales", metric="events", value=700000),
        carried(area="education", value=8_000_000),  # the same metric in another area
    ])
    s.flush()
    assert carried_sum(s, "startup", "teams_selected", H1) == 3
    assert carried_sum(s, "education", "teams_selected", H1) == 8_000_000
    assert carried_sum(s, "startup", "teams_selected", H1, "2019") == 5000
    assert carried_sum(s, "startup", "teams_selected", H2) == 0
    assert carried_sum(s, "startup", "teams_selected", Period.year_of(2021)) == 303
    assert carried_sum(s, "sales", "events", H1) == 700000
    assert carried_by_category(s, "startup", "teams_selected", H1) == {"": 3, "2019": 5000}
    assert carried_by_category(s, "startup", "designated", H1) == {"": 60000}
    assert carried_by_category(s, "startup", "designated", H2) == {}
    assert carried_area(s, "startup", H1) == {
        ("teams_selected", ""): 3, ("teams_selected", "2019"): 5000, ("designated", ""): 60000}
    assert carried_area(s, "sales", H2) == {}


def test_carried_metric_catalogue():
    assert metric_of("designated").label == "예비지정 기업 수"
    assert metric_of("amount").unit == "원"
    assert metric_of("nonesuch") is None
    assert metric_of(None) is None
    assert metric_label("teams_selected") == "선정 팀 수(팀)"
    assert metric_label("videos") == "게시 영상물(개)"
    assert metric_label("nonesuch") == "nonesuch"


# ---------------------------------------------------------------- 사회서비스


def project(name, year, **kw) -> SocialServiceProject:
    return SocialServiceProject(name=name, year=year, **kw)


def test_social_service_rows_whole(s):
    p = project("고양해피케어", 2021, program="시범사업", purpose="돌봄", members="3개 기관",
                start_on=D(2021, 4, 1), end_on=D(2021, 12, 31), budget_national=35_000_000,
                budget_province=2_000_000, budget_city=15_000_000, budget_other=300_000,
                note="비고")
    line = ServiceLine(provider="위드메이스", service="이송동행", note="줄 비고")
    line.measures = [ServiceMeasure(label="이송", value=140, unit="회"),
                     ServiceMeasure(label=None, value=10, unit="가구")]
    p.lines = [line, ServiceLine(provider="두레", service="식사")]
    s.add_all([project("다음해", 2022), p, project("지난해", 2020, budget_city=7)])
    s.flush()
    assert social_service_projects(s, H2) == [SocialServiceRow(
        "고양해피케어", 2021, "시범사업", "돌봄", "3개 기관", D(2021, 4, 1), D(2021, 12, 31),
        {"국비": 35_000_000, "도비": 2_000_000, "시비": 15_000_000, "기타": 300_000},
        52_300_000, "비고",
        [ServiceLineRow("위드메이스", "이송동행",
                        [Measure("이송", 140, "회"), Measure(None, 10, "가구")], "줄 비고"),
         ServiceLineRow("두레", "식사", [], None)])]
    both = social_service_projects(s, Period(D(2020, 7, 1), D(2021, 6, 30), "range"))
    assert [(r.name, r.budget_total) for r in both] == [("지난해", 7), ("고양해피케어", 52_300_000)]
    assert [r.name for r in social_service_projects(s, Period.year_of(2022))] == ["다음해"]


# ---------------------------------------------------------------- 행사·시설


def test_festivals_whole_rows_on_the_period_edges(s):
    s.add_all([
        Festival(name="늦은", held_on=D(2021, 12, 31)),
        Festival(name="한마당", subtitle="부제", held_on=D(2021, 7, 1), end_on=D(2021, 7, 2),
                 start_time=T(10, 0), end_time=T(17, 30), venue="광장", programme="장터",
                 partners="시청", note="비고", printed_note="※ 우천 연기"),
        Festival(name="같은날", held_on=D(2021, 7, 1)),
        Festival(name="상반기끝", held_on=D(2021, 6, 30)),
        Festival(name="내년", held_on=D(2022, 1, 1)),
    ])
    s.flush()
    got = festivals(s, H2)
    assert [f.name for f in got] == ["한마당", "같은날", "늦은"]
    assert got[0] == FestivalRow("한마당", "부제", D(2021, 7, 1), D(2021, 7, 2), T(10, 0),
                                 T(17, 30), "광장", "장터", "시청", "비고", "※ 우천 연기")
    assert [f.name for f in festivals(s, H1)] == ["상반기끝"]


def test_facilities_overlapping_the_period_and_undated_ones(s):
    def fac(name, start, end, m2=0.0, **kw):
        return FacilityProject(name=name, works_start=start, works_end=end, area_m2=m2, **kw)

    main = fac("전시홍보관", D(2021, 12, 31), D(2022, 2, 1), 66.116, location="시청 옆",
               building="2층", note="비고")
    main.rooms = [FacilityRoom(name="전시실", area_pyeong=15.5, purpose="전시"),
                  FacilityRoom(name="창고", area_pyeong=2)]
    s.add_all([
        main,
        fac("끝난", D(2021, 1, 1), D(2021, 6, 30)),       # ends the day before H2
        fac("첫날까지", D(2021, 3, 1), D(2021, 7, 1)),    # ends on H2's first day
        fac("내년", D(2022, 1, 1), D(2022, 3, 1)),        # starts the day after
        fac("언제나", None, None),
        fac("시작만", D(2020, 1, 1), None),
        fac("끝만", None, D(2021, 8, 1)),
    ])
    s.flush()
    got = facility_projects(s, H2)
    assert {f.name for f in got} == {"끝만", "언제나", "전시홍보관", "첫날까지", "시작만"}
    (row,) = [f for f in got if f.name == "전시홍보관"]
    assert row == FacilityRow("전시홍보관", "시청 옆", "2층", D(2021, 12, 31), D(2022, 2, 1),
                              66.116, 66.116 / 3.3058, "비고",
                              [RoomRow("전시실", 15.5, "전시"), RoomRow("창고", 2.0, None)])
    assert round(row.area_pyeong, 6) == 20.0
    dated = [f.name for f in got if f.works_start is not None]
    assert dated == ["시작만", "첫날까지", "전시홍보관"]  # by works start
    assert {f.name for f in facility_projects(s, H1)} == {
        "끝난", "끝만", "언제나", "첫날까지", "시작만"}


# ---------------------------------------------------------------- 컨설팅


def test_consulting_summary_counts_named_unnamed_and_teams(s):
    a, b = Organization(name="가나"), Organization(name="다라")
    cohort = StartupCohort(year=2021, fund_per_team=8_000_000)
    t1, t2 = StartupTeam(cohort=cohort, name="팀1"), StartupTeam(cohort=cohort, name="팀2")
    s.add_all([a, b, t1, t2])
    s.flush()

    def c(kind, day, org=None, team=None, sessions=1, companies=0):
        return Consulting(kind=kind, held_on=day, organization_id=org and org.id,
                          startup_team_id=team and team.id, sessions=sessions,
                          companies=companies)

    s.add_all([
        c("컨설팅 데이", D(2021, 7, 1), a, sessions=2),
        c("컨설팅 데이", D(2021, 12, 31), a, sessions=3),     # the same enterprise again
        c("컨설팅 데이", D(2021, 9, 1), b, sessions=5),
        c("컨설팅 데이", D(2021, 9, 2), team=t1, sessions=7),
        c("컨설팅 데이", D(2021, 9, 3), a, team=t2, sessions=11),  # named: counted as 가나
        c("기초", D(2021, 8, 1), sessions=130, companies=40),
        c("기초", D(2021, 6, 30), sessions=1000, companies=1000),  # first half
        c("기초", D(2022, 1, 1), sessions=1000, companies=1000),   # next year
        c("특강", D(2021, 10, 1), b, sessions=1),
        c("가외", D(2021, 10, 2), sessions=4, companies=2),
    ])
    s.flush()
    assert consulting_summary(s, H2) == [
        ConsultingLine("기초", 40, 130),
        ConsultingLine("컨설팅 데이", 3, 28),
        ConsultingLine("가외", 2, 4),
        ConsultingLine("특강", 1, 1),
    ]
    assert consulting_summary(s, H1) == [ConsultingLine("기초", 1000, 1000)]


def test_consulting_details_whole_rows_by_date_and_kind(s):
    org = Organization(name="가나")
    s.add(org)
    s.flush()
    s.add_all([
        Consulting(kind="심화 1:1", held_on=D(2021, 12, 31), organization_id=org.id,
                   topic="회계", sessions=2, companies=0, consultant="김", note="비고",
                   printed_note="※ 주석", end_on=D(2021, 12, 31)),
        Consulting(kind="기초", held_on=D(2021, 7, 1), topic="첫날", sessions=130,
                   companies=40),
        Consulting(kind="기초", held_on=D(2021, 6, 30), topic="전날"),
    ])
    s.flush()
    got = consulting_details(s, H2)
    assert [r.topic for r in got] == ["첫날", "회계"]
    last = got[1]
    assert last == ConsultingRow(last.id, "심화 1:1", D(2021, 12, 31), D(2021, 12, 31), "가나",
                                 "회계", 2, 0, "김", "비고", "※ 주석")
    assert got[0] == ConsultingRow(got[0].id, "기초", D(2021, 7, 1), None, None, "첫날", 130,
                                   40, None, None, None)
    assert [r.topic for r in consulting_details(s, H2, ("기초",))] == ["첫날"]
    assert [r.topic for r in consulting_details(s, H2, ("심화 1:1", "기초"))] == ["첫날", "회계"]
    assert consulting_details(s, H2, ()) == []
    assert [r.topic for r in consulting_details(s, H1)] == ["전날"]


# ---------------------------------------------------------------- 아카데미


def education(course, day, hours=1.0, sessions=1, attendees=1, **kw) -> Education:
    return Education(course=course, title=kw.pop("title", course), start_date=day, hours=hours,
                     sessions=sessions, attendees=attendees, **kw)


def test_academy_summary_sums_per_course_in_course_order(s):
    s.add_all([
        education("심화과정", D(2021, 12, 31), 2.5, 2, 3),
        education("기초과정", D(2021, 7, 1), 10, 3, 14),
        education("기초과정", D(2021, 8, 1), 20, 5, 6),
        education("기초과정", D(2021, 6, 30), 100, 100, 100),   # the day before H2
        education("기초과정", D(2022, 1, 1), 100, 100, 100),    # the day after
        education("특별과정", D(2021, 9, 1), 1, 1, 1),
        education("가외과정", D(2021, 9, 2), 4, 2, 9),
    ])
    s.flush()
    assert academy_summary(s, H2) == [
        AcademyLine("기초과정", 8, 30.0, 20, 2),
        AcademyLine("심화과정", 2, 2.5, 3, 1),
        AcademyLine("가외과정", 2, 4.0, 9, 1),
        AcademyLine("특별과정", 1, 1.0, 1, 1),
    ]
    assert academy_summary(s, H1) == [AcademyLine("기초과정", 100, 100.0, 100, 1)]


def test_academy_details_whole_rows_with_their_dates(s):
    full = education("찾아가는 아카데미", D(2021, 12, 31), 12.5, 4, 19, title="마을학교",
                     content="내용", host="주관", audience="주민", mode="온라인",
                     end_date=D(2022, 1, 5), note="비고", printed_note="※ 주석")
    full.dates = [EducationDate(day=D(2022, 1, 5), start_time=T(14, 0), end_time=T(16, 0)),
                  EducationDate(day=D(2021, 12, 31))]
    first = education("기초과정", D(2021, 7, 1), 3, 1, 7)
    first.dates = [EducationDate(day=D(2021, 7, 1), start_time=T(9, 30))]
    before = education("기초과정", D(2021, 6, 30))
    before.dates = [EducationDate(day=D(2021, 7, 2))]  # a later day of a first-half run
    s.add_all([full, first, before])
    s.flush()
    got = academy_details(s, H2)
    assert got == [
        EducationRow(first.id, "기초과정", "기초과정", None, None, None, "대면", D(2021, 7, 1),
                     None, 3.0, 1, 7, None, [SessionDate(D(2021, 7, 1), T(9, 30), None)], None),
        EducationRow(full.id, "찾아가는 아카데미", "마을학교", "내용", "주관", "주민", "온라인",
                     D(2021, 12, 31), D(2022, 1, 5), 12.5, 4, 19, "비고",
                     [SessionDate(D(2021, 12, 31), None, None),
                      SessionDate(D(2022, 1, 5), T(14, 0), T(16, 0))], "※ 주석"),
    ]
    assert [r.id for r in academy_details(s, H2, "기초과정")] == [first.id]
    (early,) = academy_details(s, H1)
    assert early.id == before.id and early.dates == [SessionDate(D(2021, 7, 2), None, None)]
    assert academy_details(s, Period.year_of(2020)) == []


def test_listed_runs_are_the_visits_the_purchase_course_and_the_startup_teams_runs(s):
    visit = education("찾아가는 아카데미", D(2021, 8, 2))
    visit.dates = [EducationDate(day=D(2021, 8, 2), start_time=T(10))]
    team = education("기초과정", D(2021, 7, 1), audience="2021 창업지원사업 선정팀")
    s.add_all([
        visit, team,
        education("공공구매 담당자 교육", D(2021, 9, 1)),
        education("기초과정", D(2021, 7, 2), audience="주민"),      # counted per course
        education("기초과정", D(2021, 7, 3)),                       # no audience: counted
        education("심화과정", D(2021, 7, 4), audience="2021년 창업지원사업"),  # at the end
        education("심화과정", D(2021, 7, 5), audience="창업지원 사업"),  # not the same words
        education("찾아가는 아카데미", D(2021, 6, 30)),              # the first half's
    ])
    s.flush()
    got = listed_runs(s, H2)
    assert [(r.course, r.start_date) for r in got] == [
        ("기초과정", D(2021, 7, 1)), ("심화과정", D(2021, 7, 4)),
        ("찾아가는 아카데미", D(2021, 8, 2)), ("공공구매 담당자 교육", D(2021, 9, 1))]
    assert got == [r for r in academy_details(s, H2) if r.id in {x.id for x in got}]
    assert got[2].dates == [SessionDate(D(2021, 8, 2), T(10), None)]
    assert listed_runs(s, Period.year_of(2020)) == []


def test_course_runs_count_each_courses_other_runs_and_their_modes(s):
    s.add_all([
        education("기초과정", D(2021, 7, 1), title="기초 1기", printed_note="※ 1기"),
        education("심화과정", D(2021, 7, 2), title="심화 1기", mode="온라인 Zoom"),
        education("심화과정", D(2021, 7, 3), title="심화 2기", mode="온라인 Zoom",
                  printed_note="※ 2기"),
        education("심화과정", D(2021, 7, 4), title="심화 3기", mode="대면"),
        education("심화과정", D(2021, 7, 5), title="창업팀", audience="창업지원사업 팀"),
        education("청소년 교육", D(2021, 7, 6), title="가", mode="온라인"),
        education("청소년 교육", D(2021, 7, 7), title="나", mode="온라인", audience="학생"),
        education("창업교육", D(2021, 7, 8), audience="창업지원사업"),  # only the teams' run
        education("기초과정", D(2021, 6, 30), title="상반기"),
    ])
    s.flush()
    assert course_runs(s, H2) == {
        "기초과정": CourseRuns("기초과정", 1, frozenset({"대면"}), "기초 1기", "※ 1기"),
        "심화과정": CourseRuns("심화과정", 3, frozenset({"온라인 Zoom", "대면"}), None, None),
        "청소년 교육": CourseRuns("청소년 교육", 2, frozenset({"온라인"}), None, None),
    }
    assert course_runs(s, H1) == {
        "기초과정": CourseRuns("기초과정", 1, frozenset({"대면"}), "상반기", None)}
    assert course_runs(s, Period.year_of(2020)) == {}


# ---------------------------------------------------------------- 재정지원


def test_finance_cells_count_grants_of_the_year_paid_in_the_period(s):
    a, b, c = Organization(name="가"), Organization(name="나"), Organization(name="다")
    s.add_all([a, b, c])
    s.flush()

    def grant(program, year, org, persons, *payments):
        g = FinanceGrant(program=program, year=year, organization_id=org.id,
                         approved_persons=persons)
        g.payments = [FinancePayment(paid_on=day, amount=amount) for day, amount in payments]
        return g

    dev, jobs, ins = "사업개발비", "일자리창출 인건비", "사회보험료"
    s.add_all([
        grant(dev, 2021, a, 1, (D(2021, 7, 1), 100), (D(2021, 12, 31), 200),
              (D(2021, 6, 30), 4000)),
        grant(dev, 2021, b, 20, (D(2021, 8, 1), 30)),
        grant(jobs, 2021, c, 3, (D(2021, 10, 25), 1000)),
        grant(jobs, 2021, b, 2, (D(2022, 1, 1), 50_000)),         # paid only next year
        grant(ins, 2020, c, 5, (D(2021, 7, 5), 777)),             # last year's grant
        CarriedFigure(area="finance", metric="orgs", category=ins, value=4,
                      period_start=D(2021, 7, 1), period_end=D(2021, 12, 31)),
        CarriedFigure(area="finance", metric="amount", category=ins, value=90_000,
                      period_start=D(2021, 7, 1), period_end=D(2021, 12, 31)),
        CarriedFigure(area="finance", metric="persons", category=jobs, value=10,
                      period_start=D(2021, 7, 1), period_end=D(2021, 12, 31)),
    ])
    s.flush()
    h1 = [FinanceCell(dev, H1, 1, 1, 4000, False), FinanceCell(jobs, H1, 0, 0, 0, False),
          FinanceCell(ins, H1, 0, 0, 0, False)]
    h2 = [FinanceCell(dev, H2, 2, 21, 330, False), FinanceCell(jobs, H2, 1, 13, 1000, True),
          FinanceCell(ins, H2, 4, 0, 90_000, True)]
    assert finance_yearly(s, [H1, H2]) == [
        FinanceRow(prog, [x, y]) for prog, x, y in zip((dev, jobs, ins), h1, h2, strict=True)]
    day = D(2021, 8, 1)
    assert finance_as_of(s, day) == [
        FinanceCell(dev, Period.as_of(day), 2, 21, 4130, False),
        FinanceCell(jobs, Period.as_of(day), 0, 0, 0, False),
        FinanceCell(ins, Period.as_of(day), 0, 0, 0, False)]


def test_finance_budget_in_program_order_and_its_basis(s):
    s.add_all([
        FinanceBudget(program="일자리창출 인건비", year=2021, amount=5, basis="가내시"),
        FinanceBudget(program="사업개발비", year=2021, amount=7, basis="가내시"),
        FinanceBudget(program="사업개발비", year=2022, amount=9, basis="본예산"),
        FinanceBudget(program="사회보험료", year=2022, amount=11, basis="추경"),
    ])
    s.flush()
    budget = finance_budget(s, 2021)
    assert list(budget.items()) == [("사업개발비", 7), ("일자리창출 인건비", 5)]
    assert finance_budget(s, 2022) == {"사업개발비": 9, "사회보험료": 11}
    assert finance_budget(s, 2020) == {}
    assert finance_budget_basis(s, 2021) == "가내시"
    assert finance_budget_basis(s, 2022) is None
    assert finance_budget_basis(s, 2020) is None


# ---------------------------------------------------------------- 소통·예산·과제


@pytest.mark.parametrize("start, end, labels", [
    (D(2018, 7, 1), D(2022, 6, 30),
     ["기투자", "'18.7.", "'19", "'20", "'21", "'22.6.", "임기후"]),
    (D(2019, 1, 1), D(2020, 12, 31), ["기투자", "'19", "'20", "임기후"]),
    (D(2009, 1, 2), D(2010, 12, 30), ["기투자", "'09.1.", "'10.12.", "임기후"]),
    (D(2019, 3, 1), D(2019, 12, 31), ["기투자", "'19.3.", "임기후"]),
    (D(2019, 1, 1), D(2019, 11, 30), ["기투자", "'19.11.", "임기후"]),
])
def test_budget_period_labels_follow_the_term(s, start, end, labels):
    store_settings(s, OfficeSettings(term_start=start, term_end=end))
    got = period_labels(s)
    assert list(got.values()) == labels
    years = [str(y) for y in range(start.year, end.year + 1)]
    assert list(got) == ["prior", *years, "after"]


def test_budget_tables_total_both_ways_and_keep_zero_apart_from_empty(s):
    store_settings(s, OfficeSettings(term_start=D(2019, 1, 1), term_end=D(2020, 12, 31)))
    for kind, source, period, amount in [
        ("확보", "국비", "2019", 100), ("확보", "시비", "2019", 20), ("확보", "국비", "after", 3),
        ("확보", "기타", "prior", 0), ("확보", "도비", "2030", 999), ("집행", "국비", "2019", 7),
        ("투자계획", "시비", "2020", 5000),
    ]:
        s.add(BudgetLine(kind=kind, source=source, period=period, amount=amount))
    s.flush()
    t = budget_table(s, "확보")
    assert (t.kind, t.periods, t.sources) == (
        "확보", ["prior", "2019", "2020", "after"], ("국비", "도비", "시비", "기타"))
    assert {k: v for k, v in t.cells.items() if v is not None} == {
        ("국비", "2019"): 100, ("시비", "2019"): 20, ("국비", "after"): 3, ("기타", "prior"): 0}
    assert len(t.cells) == 16
    assert t.row_totals == {"국비": 103, "도비": None, "시비": 20, "기타": 0}
    assert t.column_totals == {"prior": 0, "2019": 120, "2020": None, "after": 3}
    assert t.grand_total == 123
    both = secured_executed(s)
    assert both.cell("국비", "2019") == (100, 7)
    assert both.cell("시비", "2019") == (20, None)
    assert both.row_total("국비") == (103, 7)
    assert both.row_total("시비") == (20, None)
    assert both.column_total("2019") == (120, 7)
    assert both.column_total("after") == (3, None)
    assert both.grand_total == (123, 7)
    assert budget_table(s, "투자계획").grand_total == 5000


def test_participation_counts_every_kind_on_the_period_edges(s):
    for kind, day in [("전문가 자문", D(2021, 7, 1)), ("전문가 자문", D(2021, 12, 31)),
                      ("기타", D(2021, 8, 1)), ("공약 관련 회의", D(2021, 6, 30)),
                      ("공약 관련 회의", D(2022, 1, 1))]:
        s.add(Participation(kind=kind, held_on=day, title=kind))
    s.flush()
    got = participation_counts(s, H2)
    assert list(got.items()) == [("공약 관련 회의", 0), ("설명회·민생탐방", 0), ("전문가 자문", 2),
                                 ("언론/방송 보도", 0), ("기타", 1)]
    assert participation_counts(s, H1)["공약 관련 회의"] == 1


def test_report_notes_overlapping_the_period_in_report_order(s):
    def note(year, half, text, area="sales", order=0, kind="추진 실적", level=0):
        return ReportNote(year=year, half=half, area=area, text=text, sort_order=order,
                          kind=kind, level=level)

    s.add_all([
        note(2021, None, "21 판로", "sales", 0),
        note(2021, None, "21 소통 5", "governance", 5, "문제점", 2),
        note(2021, None, "21 소통 1", "governance", 1),
        note(2021, 1, "21 상반기"),
        note(2021, 2, "21 하반기"),
        note(2020, 2, "20 하반기"),
        note(2020, 1, "20 상반기"),
        note(2020, None, "20 연중"),
        note(2019, None, "19 연중"),
        note(2022, None, "22 연중"),
    ])
    s.flush()
    span = Period(D(2020, 7, 1), D(2021, 6, 30), "range")
    got = report_notes(s, span)
    assert [n.text for n in got] == [
        "20 연중", "20 하반기", "21 소통 1", "21 소통 5", "21 판로", "21 상반기"]
    assert got[3] == NoteRow(2021, None, "governance", "문제점", 2, "21 소통 5")
    assert [n.text for n in report_notes(s, span, area="governance")] == ["21 소통 1", "21 소통 5"]
    assert [n.text for n in report_notes(s, H2)] == [
        "21 소통 1", "21 소통 5", "21 판로", "21 하반기"]


# ---------------------------------------------------------------- 우선구매


def test_purchasing_takes_each_years_latest_result_up_to_the_periods_end(s):
    def result(year, as_of, amount, **kw):
        return PurchasingResult(year=year, as_of=as_of, amount=amount, **kw)

    s.add_all([
        result(2020, D(2020, 6, 30), 1),
        result(2020, D(2020, 12, 31), 2, target_amount=0),
        result(2021, D(2021, 6, 30), 3, rate=1.5),
        result(2021, D(2021, 12, 31), 4, rate=4.5, grade="A", target_amount=100,
               target_rate=5.0, evaluation="우수", printed_note="※ 주석"),
        result(2021, D(2022, 1, 15), 5),          # after the period
        result(2022, D(2021, 12, 31), 99),        # a later year's figure
    ])
    s.flush()
    assert purchasing_results(s, H2) == [
        PurchasingYear(2020, D(2020, 12, 31), 2, None, None, 0, None, None, None),
        PurchasingYear(2021, D(2021, 12, 31), 4, 4.5, "A", 100, 5.0, "우수", "※ 주석"),
    ]
    assert [(r.year, r.amount, r.rate) for r in purchasing_results(s, H1)] == [
        (2020, 2, None), (2021, 3, 1.5)]


def test_promotion_notices_by_channel_then_date(s):
    def notice(channel, day, title, **kw):
        return PromotionNotice(channel=channel, notice_on=day, title=title, **kw)

    s.add_all([
        notice("교육", D(2021, 12, 31), "마지막날"),
        notice("유관기관", D(2021, 8, 1), "유관", month_only=True, recurring="매월",
               audience="공공기관", end_on=D(2021, 9, 1)),
        notice("교육", D(2021, 7, 1), "첫날"),
        notice("가외", D(2021, 9, 1), "가외"),
        notice("교육", D(2021, 6, 30), "전날"),
        notice("교육", D(2022, 1, 1), "다음날"),
    ])
    s.flush()
    got = promotion_notices(s, H2)
    assert list(got) == ["유관기관", "교육", "가외"]
    assert got["유관기관"] == [NoticeRow(D(2021, 8, 1), True, "매월", "공공기관", "유관",
                                         D(2021, 9, 1))]
    assert [n.title for n in got["교육"]] == ["첫날", "마지막날"]
    assert got["교육"][0] == NoticeRow(D(2021, 7, 1), False, None, None, "첫날", None)
    assert {c: [n.title for n in ns] for c, ns in promotion_notices(s, H1).items()} == {
        "교육": ["전날"]}


def test_publications_of_the_periods_years_issued_inside_it(s):
    def pub(year, title, issued=None, **kw):
        return Publication(year=year, title=title, issued_on=issued, **kw)

    s.add_all([
        pub(2021, "연말", D(2021, 12, 31)),
        pub(2021, "봄", D(2021, 3, 1)),
        pub(2021, "날짜 없음", None, kind="카탈로그", purpose="홍보", content="목록", copies=500,
            copies_detail="국문 400, 영문 100", distribution="공공기관", note="비고",
            printed_note="※ 주석"),
        pub(2021, "여름", D(2021, 7, 1)),
        pub(2020, "작년 것", D(2021, 8, 1)),
        pub(2022, "내년"),
    ])
    s.flush()
    got = publications(s, H2)
    assert [p.title for p in got] == ["날짜 없음", "여름", "연말"]
    assert got[0] == PublicationRow(2021, "카탈로그", "날짜 없음", "홍보", "목록", 500,
                                    "국문 400, 영문 100", "공공기관", None, "비고", "※ 주석")
    assert got[1] == PublicationRow(2021, "홍보 책자", "여름", None, None, 0, None, None,
                                    D(2021, 7, 1), None, None)
    assert [p.title for p in publications(s, H1)] == ["날짜 없음", "봄"]
    both = Period(D(2020, 1, 1), D(2021, 12, 31), "range")
    assert [p.title for p in publications(s, both)] == [
        "작년 것", "날짜 없음", "봄", "여름", "연말"]


def test_videos_rows_yearly_counts_and_carried_counts(s):
    s.add_all([
        Video(posted_on=D(2020, 5, 1), title="2020"),
        Video(posted_on=D(2021, 6, 30), title="전날"),
        Video(posted_on=D(2021, 12, 31), title="마지막날"),
        Video(posted_on=D(2021, 7, 1), title="첫날", thumbnail="a.png", url="https://x"),
        Video(posted_on=D(2022, 1, 1), title="다음날"),
        carried("purchasing", "videos", start=D(2020, 1, 1), end=D(2020, 12, 31), value=36),
        carried("purchasing", "videos", start=D(2021, 7, 1), end=D(2021, 9, 30), value=5),
        carried("purchasing", "videos", start=D(2021, 10, 1), end=D(2022, 3, 31), value=100),
        carried("sales", "events", start=D(2021, 7, 1), end=D(2021, 9, 30), value=1000),
    ])
    s.flush()
    assert videos(s, H2) == VideoSummary(
        [VideoRow(D(2021, 7, 1), "첫날", "a.png", "https://x"),
         VideoRow(D(2021, 12, 31), "마지막날", None, None)],
        {2020: 37, 2021: 8}, 7, True)
    h1 = videos(s, H1)
    assert (h1.count_by_year, h1.count, h1.carried) == ({2020: 37, 2021: 1}, 1, True)
    assert [r.title for r in h1.rows] == ["전날"]
    assert list(videos(s, H2).count_by_year) == [2020, 2021]
    assert videos(s, Period.year_of(2019)) == VideoSummary([], {}, 0, False)


# ---------------------------------------------------------------- 판로지원


def test_sales_events_and_the_yearly_table(s):
    a, b = Organization(name="가", kind="마을기업"), Organization(name="나", kind="협동조합")
    s.add_all([a, b])
    s.flush()

    def event(name, day, kind="장터·마켓", parts=(), **kw):
        e = SalesEvent(kind=kind, name=name, start_date=day, **kw)
        e.participants = [SalesParticipant(organization_id=o.id, items=items, sales=sales)
                          for o, items, sales in parts]
        return e

    fair = event("가을전", D(2021, 7, 1), "전시회", [(a, "빵", 100), (b, None, None)],
                 content="내용", channel="채널", end_date=D(2021, 7, 3), booths=3, applied=5,
                 selected=4, note="비고", printed_note="※ 주석")
    fair.schedules = [SalesSchedule(venue="광장", start_date=D(2021, 7, 2),
                                    start_time=T(10, 0), end_time=T(18, 0)),
                      SalesSchedule(venue="실내", start_date=D(2021, 7, 1),
                                    end_date=D(2021, 7, 3))]
    last = event("연말장터", D(2021, 12, 31), "프리마켓", [(a, None, 1)], participant_count=17,
                 sales_amount=5000)
    bare = event("빈행사", D(2021, 8, 1))
    unsold = event("무매출", D(2021, 9, 1), parts=[(b, None, None)])
    s.add_all([fair, last, bare, unsold, event("상반기", D(2021, 6, 30), sales_amount=7),
               event("내년", D(2022, 1, 1), sales_amount=9),
               carried("sales", "events", start=D(2021, 7, 1), end=D(2021, 12, 31), value=3),
               carried("sales", "sales_amount", start=D(2021, 7, 1), end=D(2021, 12, 31),
                       value=40_000)])
    s.flush()
    got = sales_events(s, H2)
    assert [e.name for e in got] == ["가을전", "빈행사", "무매출", "연말장터"]
    assert got[0] == SalesEventRow(
        fair.id, "전시회", "가을전", "내용", "채널", D(2021, 7, 1), D(2021, 7, 3), 3, 5, 4, 2, 100,
        "비고",
        [ScheduleRow("실내", D(2021, 7, 1), D(2021, 7, 3), None, None),
         ScheduleRow("광장", D(2021, 7, 2), None, T(10, 0), T(18, 0))],
        [ParticipantRow("가", "마을기업", "빵", 100), ParticipantRow("나", "협동조합", None, None)],
        "※ 주석")
    assert [(e.participants, e.sales_amount, e.schedules) for e in got[1:]] == [
        (0, None, []), (1, None, []), (17, 5000, [])]
    assert [e.name for e in sales_events(s, H1)] == ["상반기"]
    assert sales_events(s, Period.year_of(2019)) == []
    assert sales_yearly(s, [H1, H2]) == [SalesYear(H1, 1, 7, False),
                                         SalesYear(H2, 7, 45_100, True)]


# ---------------------------------------------------------------- 창업지원

FIRST, SECOND, BACK = "1차(80%)", "2차(20%)", "환수"


def cohort_2021(s):
    """A cohort with a team at every edge: 60 points, 59.9, withdrawn, unscored, no round."""
    c = StartupCohort(year=2021, title="창업", education_hours=12.5, consulting_min=2,
                      consulting_max=3, fund_per_team=8_000_000, space_support="2개팀",
                      printed_note="※ 기수")
    r1 = StartupRound(cohort=c, round_no=1, kind="본 모집", planned=7,
                      recruit_start=D(2021, 3, 1), recruit_end=D(2021, 3, 20), applications=10,
                      review_on=D(2021, 4, 13), agreement_on=D(2021, 4, 22), note="n1",
                      printed_note="※ 1차")
    r2 = StartupRound(cohort=c, round_no=2, kind="추가 모집", planned=1,
                      recruit_start=D(2021, 6, 1), applications=3)

    def team(name, rnd, score=None, status="협약", designated=None, pays=(), **kw):
        t = StartupTeam(cohort=c, round=rnd, name=name, status=status, final_score=score,
                        evaluated_on=kw.pop("evaluated", D(2021, 12, 10) if score else None),
                        designated_year=designated, **kw)
        t.payments = [StartupPayment(kind=k, amount=a, paid_on=d) for k, a, d in pays]
        return t

    june = D(2021, 6, 10)
    teams = [
        team("가", r1, 80, designated=2022, representative="김", business="빵",
             agreed_on=D(2021, 4, 22),
             pays=[(FIRST, 6_400_000, june), (SECOND, 1_600_000, D(2021, 12, 20))]),
        team("나", r1, 60, pays=[(FIRST, 6_400_000, june)]),
        team("다", r1, 59.9, pays=[(FIRST, 6_400_000, june), (BACK, 1_000_000, D(2021, 12, 28))]),
        team("라", r1, status="참여 포기", designated=2021),
        team("마", r2, designated=2022, pays=[(FIRST, 6_400_000, D(2021, 7, 1))]),
        team("바", None, 90, evaluated=None),
    ]
    old = StartupCohort(year=2020)
    old.teams = [StartupTeam(name="작년", status="협약", designated_year=2021)]
    s.add_all([c, old, *teams,
               carried("startup", "teams_selected", start=D(2021, 1, 1), end=D(2021, 12, 31),
                       value=2),
               carried("startup", "designated", "2019", D(2021, 1, 1), D(2021, 12, 31), 4),
               carried("startup", "designated", " 2023 ", D(2021, 1, 1), D(2021, 12, 31), 1),
               carried("startup", "designated", "미정", D(2021, 1, 1), D(2021, 12, 31), 100)])
    s.flush()
    return c, teams


def test_startup_yearly_counts_teams_designations_and_carried_figures(s):
    cohort_2021(s)
    y2021, y2019 = startup_yearly(s, [Period.year_of(2021), Period.year_of(2019)])
    assert y2021 == StartupYear(Period.year_of(2021), 7,
                                StartupSupport(12.5, 2, 3, 8_000_000, "2개팀"),
                                {2019: 4, 2021: 1, 2022: 2, 2023: 1}, 8, True)
    assert list(y2021.designated) == [2019, 2021, 2022, 2023]
    assert y2019 == StartupYear(Period.year_of(2019), 0, None, {}, 0, False)
    (y2020,) = startup_yearly(s, [Period.year_of(2020)])
    assert (y2020.teams_selected, y2020.designated, y2020.carried) == (1, {2021: 1}, False)
    assert y2020.support == StartupSupport(0.0, 0, 0, 0, None)


def test_cohort_progress_whole(s):
    c, (ga, na, da, ra, ma, ba) = cohort_2021(s)
    p = cohort_progress(s, 2021)
    assert (p.year, p.title, p.printed_note) == (2021, "창업", "※ 기수")
    assert p.support == StartupSupport(12.5, 2, 3, 8_000_000, "2개팀")
    assert p.rounds == [
        RoundRow(1, "본 모집", 7, D(2021, 3, 1), D(2021, 3, 20), 10, D(2021, 4, 13), 4,
                 D(2021, 4, 22), "n1", "※ 1차"),
        RoundRow(2, "추가 모집", 1, D(2021, 6, 1), None, 3, None, 1, None, None, None)]
    assert p.teams[0] == TeamRow(ga.id, "가", "김", "빵", "협약", "본 모집", D(2021, 4, 22), 80.0,
                                 2022, 8_000_000)
    assert [(t.name, t.round_kind, t.final_score, t.paid) for t in p.teams[1:]] == [
        ("나", "본 모집", 60.0, 6_400_000), ("다", "본 모집", 59.9, 5_400_000),
        ("라", "본 모집", None, 0), ("마", "추가 모집", None, 6_400_000), ("바", None, 90.0, 0)]
    assert p.active_teams == 5
    assert p.payments == {FIRST: 25_600_000, SECOND: 1_600_000, BACK: 1_000_000}
    assert p.awaiting_evaluation == ["마"]
    assert p.awaiting_second_payment == ["나", "바"]
    assert p.paid_on == {FIRST: D(2021, 7, 1), SECOND: D(2021, 12, 20), BACK: D(2021, 12, 28)}
    assert p.paid_teams == {FIRST: 4, SECOND: 1, BACK: 1}
    assert cohort_progress(s, 2019) is None


@pytest.mark.parametrize("until, rounds, payments, paid_teams, evaluate, second", [
    (D(2021, 5, 31), [1], {}, {}, ["가", "나", "다", "마"], ["바"]),
    (D(2021, 6, 10), [1, 2], {FIRST: 19_200_000}, {FIRST: 3}, ["가", "나", "다", "마"], ["바"]),
    (D(2021, 12, 10), [1, 2], {FIRST: 25_600_000}, {FIRST: 4}, ["마"], ["가", "나", "바"]),
    (D(2021, 12, 20), [1, 2], {FIRST: 25_600_000, SECOND: 1_600_000}, {FIRST: 4, SECOND: 1},
     ["마"], ["나", "바"]),
])
def test_cohort_progress_as_it_stood_on_a_day(s, until, rounds, payments, paid_teams, evaluate,
                                              second):
    cohort_2021(s)
    p = cohort_progress(s, 2021, until)
    assert [r.round_no for r in p.rounds] == rounds
    assert p.payments == payments
    assert p.paid_teams == paid_teams
    assert p.awaiting_evaluation == evaluate
    assert p.awaiting_second_payment == second
    assert set(p.paid_on) == set(payments)
    assert all(day <= until for day in p.paid_on.values())


def test_designation_applications_filed_in_the_period(s):
    s.add_all([
        DesignationApplication(applicant="연말", applied_on=D(2021, 12, 31), result="지정",
                               result_on=D(2022, 3, 1)),
        DesignationApplication(applicant="첫날", representative="김", kind="부처형",
                               purpose_type="일자리제공형", business="빵",
                               applied_on=D(2021, 7, 1)),
        DesignationApplication(applicant="전날", applied_on=D(2021, 6, 30)),
        DesignationApplication(applicant="다음날", applied_on=D(2022, 1, 1)),
    ])
    s.flush()
    got = designation_applications(s, H2)
    assert [a.applicant for a in got] == ["첫날", "연말"]
    assert got[0] == DesignationRow(got[0].id, "첫날", "김", "부처형", "일자리제공형", "빵",
                                    D(2021, 7, 1), "심사 중", None)
    assert got[1] == DesignationRow(got[1].id, "연말", None, "경기도형", None, None,
                                    D(2021, 12, 31), "지정", D(2022, 3, 1))
    assert [a.applicant for a in designation_applications(s, H1)] == ["전날"]


# ---------------------------------------------------------------- 현황 (dashboard)
#
# The warning window is ±90 days around 16 November 2021: a contract ending exactly 90 days on
# is listed, one ending 91 days on is not; one ended exactly 90 days ago still is. Each tenancy
# and team below stands at one edge.

TODAY = D(2021, 11, 16)


def tenancy(s, site, org, *terms, status="운영", moved_out=None):
    o = Organization(name=org)
    returned = D(2021, 1, 1) if status == "반납" else None
    t = Tenancy(space=Space(provider="코레일", site=site, status=status, returned_on=returned),
                organization=o,
                moved_out_on=moved_out)
    t.terms = [TenancyTerm(start_on=a, end_on=b) for a, b in terms]
    s.add(t)
    return t


def dash_team(cohort, name, agreed, *pays, status="협약", score=None, evaluated=None):
    t = StartupTeam(cohort=cohort, name=name, status=status, agreed_on=agreed,
                    final_score=score, evaluated_on=evaluated)
    t.payments = [StartupPayment(kind=k, amount=1, paid_on=d) for k, d in pays]
    return t


def due_records(s):
    tenancy(s, "백마역", "가게", (D(2019, 12, 15), D(2021, 12, 14)))
    tenancy(s, "능곡역", "나무", (D(2017, 1, 10), D(2019, 1, 9)), (D(2019, 1, 10), D(2020, 1, 9)),
            (D(2020, 1, 10), D(2021, 1, 9)), (D(2021, 1, 10), D(2022, 1, 9)))  # to the limit
    tenancy(s, "대곡역", "다리", (D(2016, 12, 20), D(2021, 12, 18)))  # a day short of it
    tenancy(s, "일산역", "라온", (D(2019, 8, 19), D(2021, 8, 18)))    # ended 90 days ago
    tenancy(s, "풍산역", "마루", (D(2020, 2, 15), D(2022, 2, 14)))    # ends in 90 days
    tenancy(s, "탄현역", "바다", (D(2020, 2, 16), D(2022, 2, 15)))    # in 91 days
    tenancy(s, "화정역", "사랑", (D(2020, 1, 1), D(2021, 12, 31)), moved_out=D(2021, 11, 17))
    tenancy(s, "원당역", "아침", (D(2020, 1, 1), D(2021, 12, 31)), moved_out=TODAY)
    tenancy(s, "반납역", "자리", (D(2020, 1, 1), D(2021, 12, 31)), status="반납")
    tenancy(s, "빈역", "차림")
    tenancy(s, "행신역", "카페", (D(2021, 12, 1), D(2021, 12, 31)))  # not started yet
    c2019, c2020 = StartupCohort(year=2019), StartupCohort(year=2020)
    c2021, c2022 = StartupCohort(year=2021), StartupCohort(year=2022)
    first, second = "1차(80%)", "2차(20%)"
    s.add_all([
        dash_team(c2021, "가팀", D(2021, 4, 22)),
        dash_team(c2021, "나팀", D(2021, 4, 22), (first, D(2021, 6, 10))),
        dash_team(c2020, "다팀", D(2020, 4, 1), (first, D(2020, 5, 1)), score=75,
             evaluated=D(2020, 12, 10)),
        dash_team(c2020, "사팀", D(2020, 4, 1), (first, D(2020, 5, 1)), (second, D(2020, 12, 20)),
             score=75, evaluated=D(2020, 12, 10)),
        dash_team(c2019, "라팀", D(2019, 4, 1)),
        dash_team(c2021, "마팀", D(2021, 4, 22), status="참여 포기"),
        dash_team(c2022, "바팀", D(2022, 3, 1)),
        Organization(name="지정1", kind="마을기업", expires_on=TODAY),
        Organization(name="지정2", kind="사회적기업", expires_on=D(2022, 2, 14)),
        Organization(name="지정3", kind="사회적기업", expires_on=D(2022, 2, 15)),
        Organization(name="지정4", kind="사회적기업", expires_on=D(2021, 11, 15)),
    ])
    s.flush()


def test_due_items_at_every_edge_of_the_window(s):
    due_records(s)
    got = [(i.due_on, i.days_left, i.kind, i.title, i.detail, i.table) for i in due_items(s, TODAY)]
    assert got == [
        (D(2020, 12, 10), -341, "2차 지급 대기", "2020년 창업팀 · 다팀",
         "최종 평가 75점으로 2차(20%) 지급 대상입니다.", "startup_team"),
        (D(2021, 4, 22), -208, "1차 지급 대기", "2021년 창업팀 · 가팀",
         "2021.4.22. 협약 후 1차(80%) 지급 기록이 없습니다.", "startup_team"),
        (D(2021, 8, 18), -90, "계약 만료", "일산역 · 라온", "2년차, 계약 종료 2021. 8. 18.",
         "tenancy"),
        (D(2021, 10, 15), -32, "연장 심사", "백마역 · 가게",
         "2년차, 계약 종료 2021. 12. 14. 전 연장 심사", "tenancy"),
        (D(2021, 10, 19), -28, "연장 심사", "대곡역 · 다리",
         "5년차, 계약 종료 2021. 12. 18. 전 연장 심사", "tenancy"),
        (D(2021, 11, 1), -15, "연장 심사", "행신역 · 카페", "계약 종료 2021. 12. 31. 전 연장 심사",
         "tenancy"),
        (D(2021, 11, 1), -15, "연장 심사", "화정역 · 사랑",
         "2년차, 계약 종료 2021. 12. 31. 전 연장 심사", "tenancy"),
        (TODAY, 0, "지정 만료", "지정1", "마을기업 지정 만료 2021. 11. 16.", "organization"),
        (D(2021, 12, 14), 28, "계약 만료", "백마역 · 가게", "2년차, 계약 종료 2021. 12. 14.",
         "tenancy"),
        (D(2021, 12, 16), 30, "연장 심사", "풍산역 · 마루",
         "2년차, 계약 종료 2022. 2. 14. 전 연장 심사", "tenancy"),
        (D(2021, 12, 17), 31, "연장 심사", "탄현역 · 바다",
         "2년차, 계약 종료 2022. 2. 15. 전 연장 심사", "tenancy"),
        (D(2021, 12, 18), 32, "계약 만료", "대곡역 · 다리", "5년차, 계약 종료 2021. 12. 18.",
         "tenancy"),
        (D(2021, 12, 19), 33, "5년 한도", "대곡역 · 다리", "5년차, 입주 5년 한도 2021. 12. 19.",
         "tenancy"),
        (D(2021, 12, 31), 45, "계약 만료", "행신역 · 카페", "계약 종료 2021. 12. 31.", "tenancy"),
        (D(2021, 12, 31), 45, "계약 만료", "화정역 · 사랑", "2년차, 계약 종료 2021. 12. 31.",
         "tenancy"),
        (D(2021, 12, 31), 45, "최종 평가 대기", "2021년 창업팀 · 나팀",
         "1차 지급 후 최종 평가 점수가 아직 없습니다.", "startup_team"),
        (D(2022, 1, 9), 54, "계약 만료", "능곡역 · 나무",
         "5년차, 계약 종료 2022. 1. 9. (5년 한도, 연장 불가)", "tenancy"),
        (D(2022, 2, 14), 90, "계약 만료", "풍산역 · 마루", "2년차, 계약 종료 2022. 2. 14.",
         "tenancy"),
        (D(2022, 2, 14), 90, "지정 만료", "지정2", "사회적기업 지정 만료 2022. 2. 14.",
         "organization"),
    ]
    items = due_items(s, TODAY)
    assert all(isinstance(i, DueItem) and i.record_id for i in items)
    (ga,) = [i for i in items if i.title == "2021년 창업팀 · 가팀"]
    assert ga.record_id == s.query(StartupTeam).filter_by(name="가팀").one().id


def test_due_items_read_for_days_together_are_each_days_own_at_every_edge(s):
    """The morning start's days (due_items_days: one read for the next days) give, day by day,
    each day's own due list on the edge records: a tenancy moving out within the days (then
    skipped, the ones after it still listed), one at its 5-year limit (no review date), the
    year end (last year's cohort drops out on 1 January, a later team stays), the 91st day."""
    due_records(s)
    c2021 = s.scalars(select(StartupCohort).where(StartupCohort.year == 2021)).one()
    s.add(dash_team(c2021, "아팀", D(2021, 4, 22)))  # after the 2020 teams: listed in 2022 too
    s.flush()
    for first in (D(2021, 11, 10), D(2021, 11, 16), D(2021, 12, 26)):
        days = [first + dt.timedelta(days=k) for k in range(11)]
        together = due_items_days(s, days)
        assert together == [due_items(s, day) for day in days]
        assert together[0] != together[-1]  # the lists change within the days
    jan = due_items_days(s, [D(2021, 12, 31), D(2022, 1, 1)])
    titles = [{i.title for i in day if i.table == "startup_team"} for day in jan]
    assert "2020년 창업팀 · 다팀" in titles[0] and "2020년 창업팀 · 다팀" not in titles[1]
    assert "2021년 창업팀 · 아팀" in titles[1]
    # the default window is 90 days, as due_items': 탄현역 ends on the 91st day
    assert due_items_days(s, [TODAY]) == [due_items(s, TODAY)] == [due_items(s, TODAY, 90)]
    ends = {(i.kind, i.title) for i in due_items_days(s, [TODAY])[0]}
    assert ("계약 만료", "풍산역 · 마루") in ends and ("계약 만료", "탄현역 · 바다") not in ends


def test_final_evaluation_is_listed_from_90_days_before_the_years_end(s):
    due_records(s)

    def waiting(today):
        return [i.due_on for i in due_items(s, today) if i.kind == "최종 평가 대기"]

    assert waiting(D(2021, 10, 2)) == [D(2021, 12, 31)]   # exactly 90 days before
    assert waiting(D(2021, 10, 1)) == []                  # 91
    assert [i.title for i in due_items(s, TODAY, warn_days=30) if i.table == "organization"] == [
        "지정1"]


def figure_records(s):
    x, y = Organization(name="엑스"), Organization(name="와이")
    c2021, c2020 = StartupCohort(year=2021), StartupCohort(year=2020)
    s.add_all([x, y, *[StartupTeam(cohort=c2021, name=f"팀{i}", status="협약") for i in range(3)],
               StartupTeam(cohort=c2021, name="포기", status="참여 포기"),
               *[StartupTeam(cohort=c2020, name=f"작년{i}", status="협약") for i in range(2)]])
    s.flush()

    def grant(year, org, *pays):
        g = FinanceGrant(program="사업개발비", year=year, organization_id=org.id)
        g.payments = [FinancePayment(paid_on=d, amount=a) for d, a in pays]
        return g

    s.add_all([
        SalesEvent(kind="장터·마켓", name="봄", start_date=D(2021, 3, 1), sales_amount=1000),
        SalesEvent(kind="장터·마켓", name="오늘", start_date=TODAY, sales_amount=5),
        SalesEvent(kind="장터·마켓", name="내일", start_date=D(2021, 11, 17), sales_amount=700),
        SalesEvent(kind="장터·마켓", name="작년", start_date=D(2020, 5, 5), sales_amount=20),
        grant(2021, x, (D(2021, 2, 1), 300)),
        grant(2020, x, (D(2020, 3, 1), 40)),
        grant(2020, y, (D(2020, 6, 1), 4)),
        Education(course="기초과정", title="올해", start_date=D(2021, 4, 1), sessions=3,
                  attendees=10),
        Education(course="기초과정", title="작년", start_date=D(2020, 4, 1), sessions=1,
                  attendees=2),
        Consulting(kind="기초", held_on=D(2021, 5, 1), sessions=5),
        Consulting(kind="기초", held_on=D(2020, 5, 1), sessions=7),
        PurchasingResult(year=2021, as_of=D(2021, 10, 31), amount=900),
        PurchasingResult(year=2020, as_of=D(2020, 12, 31), amount=800),
        PurchasingResult(year=2019, as_of=D(2019, 12, 31), amount=1),
    ])
    s.flush()


def test_key_figures_this_year_to_date_beside_last_year(s):
    figure_records(s)
    zero = [Figure("재정지원", f"{p} {what}", unit, 0, 0, "finance_grant")
            for p in ("일자리창출 인건비", "사회보험료") for what, unit in (("기업", "개사"),
                                                                    ("금액", "백만원"))]
    assert key_figures(s, TODAY) == [
        Figure("창업지원", "선정 팀", "개팀", 3, 2, "startup_cohort"),
        Figure("판로지원", "판로 행사", "회", 2, 1, "sales_event"),
        Figure("판로지원", "매출액", "천원", 1005, 20, "sales_event"),
        Figure("재정지원", "사업개발비 기업", "개사", 1, 2, "finance_grant"),
        Figure("재정지원", "사업개발비 금액", "백만원", 300, 44, "finance_grant"),
        *zero,
        Figure("아카데미", "교육 회수", "회", 3, 1, "education"),
        Figure("아카데미", "교육 인원", "명", 10, 2, "education"),
        Figure("컨설팅", "컨설팅 회수", "회", 5, 7, "consulting"),
        Figure("우선구매", "우선구매액", "억원", 900, 800, "purchasing_result"),
    ]


def test_yearly_bars_from_the_first_record_year(s):
    assert yearly_bars(s, TODAY) == []
    assert record_years(s, TODAY) == [2021]
    figure_records(s)
    assert yearly_bars(s, TODAY) == [YearBar(2020, 20, 44, "2020년"),
                                     YearBar(2021, 1005, 300, "2021년*")]
    assert yearly_bars(s, TODAY, max_years=1) == [YearBar(2021, 1005, 300, "2021년*")]
    assert yearly_bars(s, D(2021, 12, 31))[-1] == YearBar(2021, 1705, 300, "2021년")
    assert yearly_bars(s, D(2020, 3, 1)) == [YearBar(2020, 0, 40, "2020년*")]
    assert yearly_bars(s, D(2019, 6, 1)) == []
    s.add_all([
        CarriedFigure(area="sales", metric="sales_amount", period_start=D(2018, 1, 1),
                      period_end=D(2018, 12, 31), value=3),
        CarriedFigure(area="startup", metric="teams_selected", period_start=D(2015, 1, 1),
                      period_end=D(2015, 12, 31), value=9),
    ])
    s.flush()
    assert [(b.year, b.sales, b.finance) for b in yearly_bars(s, TODAY)] == [
        (2018, 3, 0), (2019, 0, 0), (2020, 20, 44), (2021, 1005, 300)]
    assert record_years(s, TODAY) == list(range(2015, 2022))
    s.add(StartupCohort(year=2023))
    s.flush()
    assert record_years(s, TODAY) == list(range(2015, 2024))
    assert record_years(s, D(2030, 1, 1)) == list(range(2015, 2031))


# ---------------------------------------------------------------- 입주공간


def space(s, site, provider="코레일", **kw):
    sp = Space(provider=provider, site=site, **kw)
    s.add(sp)
    s.flush()
    return sp


def lease(s, sp, org, *terms, rents=(), **kw):
    o = org if isinstance(org, Organization) else Organization(name=org)
    t = Tenancy(space=sp, organization=o, **kw)
    t.terms = [TenancyTerm(start_on=a, end_on=b, note=n) for a, b, *rest in terms
               for n in (rest[0] if rest else None,)]
    t.rents = [TenancyRent(contract_year=y, amount=a) for y, a in rents]
    s.add(t)
    s.flush()
    return t


def test_roster_row_whole(s):
    sp = space(s, "시청 별관", "기타", area_m2=41.5, use="커뮤니티 공간",
               agreement_on=D(2019, 7, 1), lessee_note="임차: 시", note="공간 비고")
    lease(s, sp, Organization(name="두레", kind="마을기업"),
          (D(2019, 8, 15), D(2021, 8, 14), "첫"), (D(2021, 8, 15), D(2022, 8, 14), "연장"),
          rents=[(1, 100), (2, 200)], moved_in_on=D(2019, 8, 20), note="입주 비고")
    (table,) = roster(s, D(2022, 7, 1), warn_days=90)
    assert table.provider == "기타"
    assert table.rows == [RosterRow(
        sp.id, 1, "시청 별관", 41.5, "커뮤니티 공간", D(2019, 7, 1), "운영", "두레", "마을기업",
        "임차: 시",
        [TermRow(D(2019, 8, 15), D(2021, 8, 14), 24, False, "첫"),
         TermRow(D(2021, 8, 15), D(2022, 8, 14), 12, True, "연장")],
        D(2019, 8, 15), D(2024, 8, 14), 3, D(2022, 6, 15), D(2019, 8, 20), None,
        [(1, 100), (2, 200)], True, None, "입주 비고", "입주 중")]
    (row,) = roster(s, D(2022, 7, 1), warn_days=43)[0].rows
    assert not row.ends_within_warning      # 44 days left
    (row,) = roster(s, D(2022, 7, 1), warn_days=44)[0].rows
    assert row.ends_within_warning


def test_roster_months_of_short_terms_and_which_tenancy_shows(s):
    sp = space(s, "능곡역")
    lease(s, sp, "짧은", (D(2020, 1, 15), D(2020, 2, 14)), (D(2020, 2, 15), D(2020, 3, 13)))
    (row,) = roster(s, D(2020, 3, 1))[0].rows
    assert [t.months for t in row.terms] == [1, 0]
    assert [t.is_renewal for t in row.terms] == [False, True]
    twins = space(s, "쌍둥이역")
    first = lease(s, twins, "먼저", (D(2020, 1, 1), D(2020, 12, 31)))
    second = lease(s, twins, "나중", (D(2020, 1, 1), D(2020, 12, 31)))
    lease(s, twins, "날짜 없음")
    by_site = {}

    def shown(day):
        for table in roster(s, day):
            for r in table.rows:
                by_site[r.site] = (r.tenant, r.occupancy)
        return by_site["쌍둥이역"]

    assert shown(D(2020, 6, 1)) == ("나중", "입주 중")      # both current: the later record
    assert shown(D(2021, 6, 1)) == ("나중", "계약 종료")    # both ended the same day
    assert shown(D(2019, 6, 1)) == ("먼저", "입주 예정")    # both to come: the earlier record
    assert (first.id, second.id) != (None, None)
    lone = space(s, "입주일만역")
    lease(s, lone, "입주일만", moved_in_on=D(2020, 5, 1))
    assert {r.site: (r.tenant, r.occupancy, r.terms, r.contract_year)
            for t in roster(s, D(2020, 6, 1)) for r in t.rows}["입주일만역"] == (
        "입주일만", "입주 중", [], None)


def test_roster_providers_returns_and_spaces_not_yet_the_citys(s):
    day = D(2021, 7, 31)
    gone = space(s, "반납역", status="반납", returned_on=day, note="반납 비고")
    lease(s, gone, "나간", (D(2019, 8, 1), D(2021, 8, 31)))       # ends within the warning days
    later = space(s, "내일반납역", status="반납", returned_on=D(2021, 8, 1))
    lease(s, later, "곧나감", (D(2019, 8, 1), D(2021, 8, 31)))
    space(s, "협약전역", "LH", agreement_on=D(2021, 8, 1))        # not the city's yet
    future = space(s, "협약전 입주역", "LH", agreement_on=D(2021, 8, 1))
    lease(s, future, "먼저온", (D(2021, 9, 1), D(2023, 8, 31)))
    space(s, "협약일역", "LH", agreement_on=day)
    planned = space(s, "예정역", "기타", status="선정 예정", expected_move_in=D(2022, 1, 1))
    lease(s, planned, "선정팀", (D(2021, 1, 1), D(2022, 12, 31)))
    tables = roster(s, day, warn_days=90)
    assert [t.provider for t in tables] == ["코레일", "LH", "기타"]
    korail, lh, other = (t.rows for t in tables)
    assert [(r.number, r.site, r.status) for r in korail] == [
        (1, "내일반납역", "운영"), (None, "반납역", "반납")]
    assert korail[0].ends_within_warning and not korail[1].ends_within_warning
    assert (korail[1].returned_on, korail[0].returned_on) == (day, None)
    assert [r.site for r in lh] == ["협약전 입주역", "협약일역"]
    assert (lh[1].tenant, lh[1].note, lh[1].occupancy) == (None, None, None)
    (p,) = other
    assert (p.number, p.status, p.tenant, p.occupancy, p.terms) == (
        1, "선정 예정", None, None, [])
    assert p.number_label == "1" and korail[1].number_label == "반납"


def test_space_milestones_per_provider_and_period(s):
    for provider, day, text, month_only in [
        ("코레일", D(2021, 12, 31), "연말", True), ("코레일", D(2021, 1, 1), "연초", True),
        ("코레일", D(2021, 6, 30), "상반기 끝", False),
        ("코레일", D(2021, 7, 1), "하반기 첫날", True),
        ("코레일", D(2020, 12, 31), "작년", True), ("코레일", D(2022, 1, 1), "내년", True),
        ("기타", D(2021, 3, 1), "별관", False),
    ]:
        s.add(SpaceMilestone(provider=provider, happened_on=day, text=text,
                             month_only=month_only))
    s.flush()
    got = space_milestones(s, [H1, H2])
    M = MilestoneRow
    second_half = [M(D(2021, 7, 1), True, "하반기 첫날"), M(D(2021, 12, 31), True, "연말")]
    assert list(got) == ["코레일", "기타"]
    assert got["코레일"] == [
        [M(D(2021, 1, 1), True, "연초"), M(D(2021, 6, 30), False, "상반기 끝")], second_half]
    assert got["기타"] == [[M(D(2021, 3, 1), False, "별관")], []]
    assert space_milestones(s, [H2]) == {"코레일": [second_half]}
    assert space_milestones(s, []) == {}


def test_tenant_calls_started_or_decided_in_the_period(s):
    ga, na, da, ra, ma = (Organization(name=n) for n in ("가", "나", "다", "라", "마"))
    s.add_all([ga, na, da, ra, ma])
    a, b = space(s, "백마역"), space(s, "능곡역", status="반납", returned_on=D(2021, 10, 31))
    c, d, e, f = space(s, "행신역"), space(s, "대곡역"), space(s, "일산역"), space(s, "풍산역")
    lease(s, a, ga, (D(2021, 9, 1), D(2023, 8, 31)))
    lease(s, c, na, moved_in_on=D(2020, 1, 1))             # before the call: not its result
    lease(s, c, na, moved_in_on=D(2021, 7, 15))
    lease(s, c, ra, (D(2021, 4, 1), D(2023, 3, 31)))       # someone else
    lease(s, d, da, (D(2021, 5, 1), D(2023, 4, 30)))
    lease(s, e, ra, moved_in_on=D(2021, 8, 1))
    lease(s, f, ma, moved_in_on=D(2021, 7, 1))

    def call(title, start, end=None, *offers, **kw):
        k = TenantCall(title=title, start_on=start, end_on=end, **kw)
        k.offers = [TenantCallSpace(space=sp, applicants=n, selected_organization=org, note=note)
                    for sp, n, org, note in offers]
        s.add(k)
        return k

    call("하반기", D(2021, 8, 1), D(2021, 8, 20), (a, 3, ga, "o1"), (b, 0, None, None),
         note="비고", printed_note="※ 신청")
    call("상반기", D(2021, 3, 1), D(2021, 3, 20), (c, 2, na, None))
    call("상반기 결과도", D(2021, 2, 1), None, (d, 1, da, None))
    call("너무 이른", D(2020, 6, 30), None, (e, 1, ra, None))
    call("1년 전", D(2020, 7, 1), None, (f, 4, ma, None))
    call("내년", D(2022, 1, 1))
    call("연말", D(2021, 12, 31), D(2022, 1, 31))
    s.flush()
    got = tenant_calls(s, H2)
    assert [r.title for r in got] == ["1년 전", "상반기", "하반기", "연말"]
    assert got[2] == TenantCallRow(
        "하반기", D(2021, 8, 1), D(2021, 8, 20), "비고",
        [CallOfferRow("코레일", "백마역", 3, "가", "o1", D(2021, 9, 1), None),
         CallOfferRow("코레일", "능곡역", 0, None, None, None, D(2021, 10, 31))], 3, "※ 신청")
    assert got[2].outcome_on == D(2021, 9, 1)
    assert got[1].offers[0].moved_in_on == D(2021, 7, 15) and got[1].outcome_on == D(2021, 7, 15)
    assert (got[0].applicants, got[0].outcome_on) == (4, D(2021, 7, 1))
    assert (got[3].offers, got[3].applicants, got[3].outcome_on) == ([], 0, D(2022, 1, 31))
    assert [r.title for r in tenant_calls(s, H1)] == ["상반기 결과도", "상반기"]
    lone = TenantCallRow("홀로", D(2021, 5, 5), None, None, [], 0)
    assert lone.outcome_on == D(2021, 5, 5)


# ---------------------------------------------------------------- the report's figures


@pytest.mark.parametrize("period, as_of, day", [
    (H2, D(2021, 11, 16), D(2021, 11, 16)),
    (H1, None, D(2021, 6, 30)),
    (H1, D(2021, 9, 1), D(2021, 6, 30)),       # a 기준일 after the period: its end
    (Period.year_of(2020), D(2020, 12, 31), D(2020, 12, 31)),
])
def test_report_figures_are_the_queries_of_the_period_as_of_its_day(demo, period, as_of, day):
    """Each field is the query of its own name, asked about the period or its 기준일."""
    from db.queries import report_figures
    from db.settings import load_settings

    with demo.session() as s:
        f = report_figures(s, period, as_of)
        warn = load_settings(s).warn_days
        year = period.start.year
        assert (f.period, f.as_of, f.running) == (period, day, day < period.end)
        assert f.startup == startup_yearly(s, [period])[0]
        assert f.cohort == cohort_progress(s, year, day)
        assert f.designations == designation_applications(s, period)
        assert f.sales == sales_yearly(s, [period])[0]
        assert f.sales_events == sales_events(s, period)
        assert f.finance == finance_yearly(s, [period])
        assert f.finance_as_of == finance_as_of(s, day)
        assert f.finance_budget_next == finance_budget(s, period.end.year + 1)
        assert f.roster == roster(s, day, warn)
        assert f.space_milestones == space_milestones(s, [period])
        assert f.tenant_calls == tenant_calls(s, period)
        assert f.academy == academy_summary(s, period)
        assert f.listed_runs == listed_runs(s, period)
        assert f.course_runs == course_runs(s, period)
        assert f.consulting == consulting_summary(s, period)
        assert f.team_rounds == team_rounds(s, year, day)
        assert f.social_service == social_service_projects(s, period)
        assert f.festivals == festivals(s, period)
        assert f.facilities == facility_projects(s, period)
        assert f.purchasing == purchasing_results(s, period)
        assert f.promotion_notices == promotion_notices(s, period)
        assert f.publications == publications(s, period)
        assert f.videos == videos(s, period)
        assert f.participation == participation_counts(s, period)
        assert f.budget_labels == period_labels(s)
        assert f.investment_plan == budget_table(s, "투자계획")
        assert f.secured_executed == secured_executed(s)
        assert f.notes == report_notes(s, period)
    if period == H2:
        # the demo holds something in each of these, so an empty list cannot pass for one
        assert f.cohort and f.sales_events and f.roster and f.listed_runs and f.course_runs
        assert f.notes
        assert f.team_rounds


# ---------------------------------------------------------------- what the mutation run found
#
# Each test below pins a boundary or a field that a mutant of db/queries changed unnoticed
# (bench/mutation.py --survivors --only db.queries): a zero kept as zero, a record on the exact
# first or last day, a field carried through, rows entered out of their printed order.


def test_consulting_summary_shows_the_topic_of_a_kinds_only_record(s):
    s.add_all([
        Consulting(kind="기초", held_on=D(2021, 7, 1), topic="회계", sessions=1, companies=2),
        Consulting(kind="특강", held_on=D(2021, 8, 1), topic="가", sessions=1),
        Consulting(kind="특강", held_on=D(2021, 8, 2), topic="나", sessions=1),
        Consulting(kind="심화 1:1", held_on=D(2021, 8, 3), sessions=2),
    ])
    s.flush()
    assert {line.kind: line.topic for line in consulting_summary(s, H2)} == {
        "기초": "회계", "특강": None, "심화 1:1": None}


def test_consulting_details_carry_each_records_own_id(s):
    later = Consulting(kind="기초", held_on=D(2021, 7, 2), sessions=1)
    first = Consulting(kind="기초", held_on=D(2021, 7, 1), sessions=1)
    s.add_all([later, first])
    s.flush()
    assert [r.id for r in consulting_details(s, H2)] == [first.id, later.id]


def test_academy_zero_hours_sessions_and_attendees_stay_zero(s):
    s.add(education("기초과정", D(2021, 7, 1), hours=0, sessions=0, attendees=0))
    s.flush()
    assert academy_summary(s, H2) == [AcademyLine("기초과정", 0, 0.0, 0, 1)]
    (row,) = academy_details(s, H2)
    assert (row.hours, row.sessions, row.attendees) == (0.0, 0, 0)


def test_facility_and_room_of_zero_area(s):
    f = FacilityProject(name="빈터", works_start=D(2021, 7, 1), area_m2=0)
    f.rooms = [FacilityRoom(name="빈방", area_pyeong=0)]
    s.add(f)
    s.flush()
    (row,) = facility_projects(s, H2)
    assert (row.area_m2, row.area_pyeong, row.rooms) == (0.0, 0.0, [RoomRow("빈방", 0.0, None)])


def test_social_service_project_keeps_its_printed_note(s):
    s.add(project("돌봄", 2021, printed_note="※ 시범사업"))
    s.flush()
    assert [r.printed_note for r in social_service_projects(s, H2)] == ["※ 시범사업"]


def test_report_notes_at_the_edges_of_their_year_and_half(s):
    for half, text in ((None, "연중"), (1, "상반기"), (2, "하반기")):
        s.add(ReportNote(year=2021, half=half, area="sales", text=text, sort_order=0,
                         kind="추진 실적", level=0))
    s.flush()

    def texts(day):
        return [n.text for n in report_notes(s, Period(day, day, "range"))]

    assert texts(D(2021, 1, 1)) == ["연중", "상반기"]
    assert texts(D(2021, 6, 30)) == ["연중", "상반기"]
    assert texts(D(2021, 7, 1)) == ["연중", "하반기"]
    assert texts(D(2021, 12, 31)) == ["연중", "하반기"]
    assert [(n.year, n.half) for n in report_notes(s, H2)] == [(2021, None), (2021, 2)]


def test_videos_keep_the_thumbnail_image_and_count_only_their_own_carried_rows(s):
    s.add_all([
        Video(posted_on=D(2021, 7, 1), title="첫", thumbnail_image=b"\x89PNG"),
        carried("purchasing", "videos", start=D(2021, 7, 1), end=D(2021, 7, 31), value=2),
        carried("purchasing", "videos", start=D(2021, 8, 1), end=D(2021, 8, 31), value=30),
        carried("education", "videos", start=D(2021, 7, 1), end=D(2021, 7, 31), value=400),
        carried("purchasing", "notices", start=D(2021, 7, 1), end=D(2021, 7, 31), value=5000),
    ])
    s.flush()
    got = videos(s, H2)
    assert got.rows == [VideoRow(D(2021, 7, 1), "첫", None, None, b"\x89PNG")]
    assert (got.count_by_year, got.count) == ({2021: 33}, 33)


def test_purchasing_results_by_year_whatever_the_entry_order(s):
    from sqlalchemy import text

    s.add(PurchasingResult(year=2021, as_of=D(2021, 12, 31), amount=2))
    s.flush()
    s.add(PurchasingResult(year=2020, as_of=D(2020, 12, 31), amount=1))
    s.flush()
    assert [(r.year, r.amount) for r in purchasing_results(s, H2)] == [(2020, 1), (2021, 2)]
    # SQLite's own check for a query that leans on the order it happens to read in: every
    # unordered scan reversed (here the years' latest dates, read in year order by the join)
    s.execute(text("PRAGMA reverse_unordered_selects = ON"))
    try:
        assert [r.year for r in purchasing_results(s, H2)] == [2020, 2021]
    finally:
        s.execute(text("PRAGMA reverse_unordered_selects = OFF"))


def test_the_package_finds_each_query_in_its_module_and_keeps_it(monkeypatch):
    import db.queries as package
    from db.queries import space as module

    monkeypatch.delitem(vars(package), "roster", raising=False)
    assert package.__getattr__("roster") is module.roster
    assert vars(package)["roster"] is module.roster
    assert package.roster is module.roster
    with pytest.raises(AttributeError, match="^module 'db.queries' has no attribute 'nonesuch'$"):
        package.__getattr__("nonesuch")


def test_cohort_support_rounds_and_payment_days_at_their_edges(s):
    c = StartupCohort(year=2021, education_hours=12.5, consulting_min=2, consulting_max=5,
                      fund_per_team=8_000_000, space_support="사무실")
    zero = StartupCohort(year=2020, education_hours=0, consulting_min=0, consulting_max=0,
                         fund_per_team=0)
    s.add_all([c, zero])
    s.flush()
    # round 2 entered before round 1; round 2 selected nobody
    s.add(StartupRound(cohort=c, round_no=2, kind="추가 모집", recruit_start=D(2021, 6, 1),
                       review_mode="대면", ceremony=True))
    s.flush()
    r1 = StartupRound(cohort=c, round_no=1, kind="본 모집", recruit_start=D(2021, 3, 1))
    team = StartupTeam(cohort=c, round=r1, name="홀로", status="협약")
    team.payments = [StartupPayment(kind=FIRST, amount=6_400_000, paid_on=D(2021, 6, 10))]
    s.add_all([r1, team])
    s.flush()
    full, none = StartupSupport(12.5, 2, 5, 8_000_000, "사무실"), StartupSupport(0.0, 0, 0, 0, None)
    p = cohort_progress(s, 2021)
    assert p.support == full
    assert [(r.round_no, r.selected, r.review_mode, r.ceremony) for r in p.rounds] == [
        (1, 1, None, False), (2, 0, "대면", True)]
    assert p.paid_on == {FIRST: D(2021, 6, 10)}  # the only team's payment
    assert [r.round_no for r in cohort_progress(s, 2021, D(2021, 6, 1)).rounds] == [1, 2]
    assert [r.round_no for r in cohort_progress(s, 2021, D(2021, 5, 31)).rounds] == [1]
    assert cohort_progress(s, 2020).support == none
    assert [y.support for y in startup_yearly(s, [Period.year_of(2021), Period.year_of(2020)])] \
        == [full, none]


def test_designation_rows_carry_each_applications_own_id(s):
    a = DesignationApplication(applicant="가", applied_on=D(2021, 8, 1))
    b = DesignationApplication(applicant="나", applied_on=D(2021, 7, 1))
    s.add_all([a, b])
    s.flush()
    assert [r.id for r in designation_applications(s, H2)] == [b.id, a.id]


def test_report_figures_year_to_date_consulting_and_the_offices_warning_days(s):
    from db.queries import report_figures

    s.add_all([Consulting(kind="창업팀 심화 1차", held_on=day, sessions=1)
               for day in (D(2020, 12, 31), D(2021, 1, 1), D(2021, 1, 2), D(2021, 11, 17))])
    store_settings(s, OfficeSettings(warn_days=30))
    lease(s, space(s, "60일역"), "육십", (D(2020, 1, 16), D(2022, 1, 15)))
    lease(s, space(s, "30일역"), "삼십", (D(2019, 12, 17), D(2021, 12, 16)))
    s.flush()
    f = report_figures(s, H2, TODAY)
    assert [r.held_on for r in f.team_rounds] == [D(2021, 1, 1), D(2021, 1, 2)]
    assert {r.site: r.ends_within_warning for t in f.roster for r in t.rows} == {
        "60일역": False, "30일역": True}


# ------------------------------------------------ 입주공간: edges of the roster and of the calls


def test_roster_on_a_contracts_first_and_last_day_and_in_sort_order(s):
    later = space(s, "둘째", sort_order=2, area_m2=0)
    first = space(s, "첫째", sort_order=1)
    lease(s, first, "오늘부터", (D(2021, 7, 1), D(2023, 6, 30)))
    lease(s, later, "오늘까지", (D(2019, 7, 2), D(2021, 7, 1)))
    (table,) = roster(s, D(2021, 7, 1))
    assert [(r.site, r.tenant, r.occupancy) for r in table.rows] == [
        ("첫째", "오늘부터", "입주 중"), ("둘째", "오늘까지", "입주 중")]
    assert table.rows[1].area_m2 == 0.0


def test_roster_rows_without_a_contract_and_the_default_warning_days(s):
    space(s, "빈 반납역", status="반납", returned_on=D(2021, 1, 1))
    space(s, "빈역")
    lease(s, space(s, "입주일만역"), "입주일만", moved_in_on=D(2020, 5, 1))
    lease(s, space(s, "91일역"), "곧", (D(2020, 1, 1), D(2021, 12, 31)))

    def rows(day):
        return {r.site: r for t in roster(s, day) for r in t.rows}

    got = rows(D(2021, 10, 1))  # 91 days before the contract's end
    assert (got["빈 반납역"].status, got["빈 반납역"].tenant) == ("반납", None)
    assert got["빈역"].ends_within_warning is False
    assert got["입주일만역"].first_start == D(2020, 5, 1)
    assert got["입주일만역"].ends_within_warning is False
    assert got["91일역"].ends_within_warning is False
    assert rows(D(2021, 10, 2))["91일역"].ends_within_warning is True


def test_roster_terms_by_start_and_rents_by_year_whatever_the_entry_order(s):
    t = Tenancy(space=space(s, "순서역"), organization=Organization(name="순서"))
    t.terms = [TenancyTerm(start_on=D(2021, 8, 15), end_on=D(2022, 8, 14))]
    t.rents = [TenancyRent(contract_year=2, amount=200)]
    s.add(t)
    s.flush()
    t.terms.append(TenancyTerm(start_on=D(2019, 8, 15), end_on=D(2021, 8, 14)))
    t.rents.append(TenancyRent(contract_year=1, amount=100))
    s.flush()
    (row,) = roster(s, D(2022, 1, 1))[0].rows
    assert [(x.start, x.is_renewal) for x in row.terms] == [
        (D(2019, 8, 15), False), (D(2021, 8, 15), True)]
    assert row.rents == [(1, 100), (2, 200)]


def test_tenant_call_move_in_on_the_calls_last_day_and_a_returned_space_taken(s):
    ga, na = Organization(name="가"), Organization(name="나")
    s.add_all([ga, na])
    taken = space(s, "첫날역")
    lease(s, taken, na, (D(2020, 1, 1), D(2021, 12, 31)))   # someone else's tenancy first
    lease(s, taken, ga, (D(2021, 8, 20), D(2023, 8, 19)))   # from the call's last day
    back = space(s, "반납 후 선정역", status="반납", returned_on=D(2021, 10, 31))
    lease(s, back, ga)                                       # no dates entered yet
    never = space(s, "미입주역")
    call = TenantCall(title="공모", start_on=D(2021, 8, 1), end_on=D(2021, 8, 20))
    call.offers = [TenantCallSpace(space=sp, applicants=1, selected_organization=org)
                   for sp, org in ((taken, ga), (back, ga), (never, na))]
    s.add(call)
    s.flush()
    (row,) = tenant_calls(s, H2)
    assert [(o.site, o.selected, o.moved_in_on, o.returned_on) for o in row.offers] == [
        ("첫날역", "가", D(2021, 8, 20), None), ("반납 후 선정역", "가", None, None),
        ("미입주역", "나", None, None)]


# ------------------------------------------------ 현황: blanks, the chart's span, the due list


def test_dashboard_dates_print_dotted_and_none_blank():
    from db.queries.dashboard import _dot

    assert (_dot(None), _dot(D(2021, 11, 6))) == ("", "2021. 11. 6.")


def test_key_figures_of_a_year_without_records_are_blank(s):
    got = {f.label: (f.current, f.previous) for f in key_figures(s, TODAY)}
    for label in ("교육 회수", "교육 인원", "컨설팅 회수", "우선구매액"):
        assert got[label] == (None, None), label
    assert got["선정 팀"] == (0, 0)


def test_yearly_bars_span_from_carried_finance_or_sales_and_the_running_years_label(s):
    s.add(CarriedFigure(area="finance", metric="amount", category="사업개발비", value=7,
                        period_start=D(2019, 1, 1), period_end=D(2019, 12, 31)))
    s.flush()
    assert [(b.year, b.finance, b.label) for b in yearly_bars(s, D(2021, 10, 31))] == [
        (2019, 7, "2019년"), (2020, 0, "2020년"), (2021, 0, "2021년*")]
    assert yearly_bars(s, D(2021, 12, 15))[-1].label == "2021년*"
    s.add(SalesEvent(kind="장터·마켓", name="옛날", start_date=D(2010, 5, 1), sales_amount=1))
    s.flush()
    assert [b.year for b in yearly_bars(s, TODAY)] == list(range(2014, 2022))  # 8 years
    assert [b.year for b in yearly_bars(s, TODAY, max_years=12)] == list(range(2010, 2022))


def test_due_items_pass_over_a_far_final_evaluation_to_the_next_team(s):
    cohort = StartupCohort(year=2021)
    s.add(cohort)
    s.flush()
    s.add(dash_team(cohort, "멀리", D(2021, 4, 22), (FIRST, D(2021, 6, 10))))
    s.flush()
    s.add(dash_team(cohort, "다음", D(2021, 4, 22)))
    s.flush()
    assert [(i.kind, i.title) for i in due_items(s, D(2021, 7, 1))] == [
        ("1차 지급 대기", "2021년 창업팀 · 다음")]


def test_renewal_review_only_while_under_contract_to_its_last_day(s):
    tenancy(s, "오늘끝역", "오늘", (D(2019, 11, 17), TODAY))
    tenancy(s, "어제끝역", "어제", (D(2019, 11, 16), D(2021, 11, 15)))
    s.flush()
    assert [(i.due_on, i.kind, i.title) for i in due_items(s, TODAY)] == [
        (D(2021, 9, 17), "연장 심사", "오늘끝역 · 오늘"),   # 60 days before its end
        (D(2021, 11, 15), "계약 만료", "어제끝역 · 어제"),
        (TODAY, "계약 만료", "오늘끝역 · 오늘"),
    ]


def _statements(s, call) -> int:
    """How many SQL statements `call()` sends, every object read afresh from the database."""
    from sqlalchemy import event

    s.expire_all()
    sent = []

    def count(*_args) -> None:
        sent.append(1)

    engine = s.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_due_list_and_tenant_calls_read_in_a_fixed_number_of_statements(s):
    """Each relation is loaded for all records at once, never one statement per record."""
    calls = []

    def add_records(n, cohort):
        for i in range(n):
            t = tenancy(s, f"역{n}-{i}", f"기업{n}-{i}", (D(2020, 1, 1), D(2021, 12, 31)))
            s.add(dash_team(cohort, f"팀{n}-{i}", D(2021, 4, 22)))
            call = TenantCall(title=f"공모{n}-{i}", start_on=D(2021, 8, 1))
            call.offers = [TenantCallSpace(space=t.space, applicants=1,
                                           selected_organization=t.organization)]
            calls.append(call)
            s.add(call)
        s.flush()

    def both():
        assert len(due_items(s, TODAY)) == 3 * len(calls)  # an unpaid team, a review, an end
        assert len(tenant_calls(s, H2)) == len(calls)

    add_records(1, StartupCohort(year=2021))
    one = _statements(s, both)
    add_records(3, StartupCohort(year=2020))  # teams of a second cohort too
    assert _statements(s, both) == one


def test_records_of_one_day_keep_their_entry_order_on_postgresql(pg_db):
    """Rows that tie on every printed key come in id order, on the server's backend too.

    SQLite returns ties in id order whatever the ORDER BY says (the id is its rowid), so only
    PostgreSQL can tell: an UPDATE writes a new version of the row after the others, and a scan
    meets the first record last unless the query orders by id after its date. Index scans are
    off, and joins are nested loops (the planner may choose otherwise on a larger table): an
    index that ends with the id, a HOT update that keeps the row's index entry in place or a
    hash table's buckets would hand the rows over in an order of their own.
    """
    from sqlalchemy import text

    with pg_db.session() as s:
        for scan in ("indexscan", "indexonlyscan", "bitmapscan", "hashjoin", "mergejoin"):
            s.execute(text(f"SET LOCAL enable_{scan} = off"))
        org = Organization(name="가")
        cohort = StartupCohort(year=2021)
        s.add_all([org, cohort])
        s.flush()
        day = D(2021, 7, 1)
        pairs = []

        def two(make, attr="note"):
            first, second = make(1), make(2)
            s.add_all([first, second])
            s.flush()
            pairs.append((first, attr))
            return first, second

        c1, c2 = two(lambda i: Consulting(kind="기초", held_on=day, topic=str(i), sessions=1))
        e1, e2 = two(lambda i: education("기초과정", day, title=str(i)))
        e1.dates = [EducationDate(day=day, start_time=T(9 + i)) for i in range(2)]
        s.flush()
        pairs.append((e1.dates[0], "end_time"))
        two(lambda i: FacilityProject(name=str(i), works_start=day, area_m2=1))
        two(lambda i: Festival(name=str(i), held_on=day))
        two(lambda i: ReportNote(year=2021, half=2, area="sales", text=str(i), sort_order=0,
                                 kind="추진 실적", level=0), "level")
        two(lambda i: PromotionNotice(channel="교육", notice_on=day, title=str(i)))
        two(lambda i: Publication(year=2021, issued_on=day, title=str(i)))
        two(lambda i: Video(posted_on=day, title=str(i)))
        ev, _ = two(lambda i: SalesEvent(kind="장터·마켓", name=str(i), start_date=day))
        ev.schedules = [SalesSchedule(venue=str(i), start_date=day) for i in range(2)]
        ev.participants = [SalesParticipant(organization_id=org.id, items=str(i)) for i in range(2)]
        s.flush()
        pairs += [(ev.schedules[0], "end_time"), (ev.participants[0], "note")]
        two(lambda i: SocialServiceProject(name=str(i), year=2021))
        sp, _ = two(lambda i: Space(provider="코레일", site=str(i)))
        lease_ = Tenancy(space=sp, organization=org)
        lease_.terms = [TenancyTerm(start_on=day, end_on=D(2022 + i, 6, 30)) for i in range(2)]
        s.add(lease_)
        s.flush()
        pairs.append((lease_.terms[0], "note"))
        two(lambda i: SpaceMilestone(provider="코레일", happened_on=day, text=str(i),
                                     month_only=False), "month_only")  # True by default
        two(lambda i: TenantCall(title=str(i), start_on=day))
        two(lambda i: DesignationApplication(applicant=str(i), applied_on=day))
        two(lambda i: StartupTeam(cohort=cohort, name=str(i), status="협약"))
        two(lambda i: PurchasingResult(year=2022 - i, as_of=D(2022 - i, 12, 31), amount=i))
        for record, attr in pairs:  # the first of each pair rewritten: now last in the heap
            setattr(record, attr, True if attr == "month_only" else
                    T(18) if attr == "end_time" else 1 if attr == "level" else "고침")
        s.flush()

        (events,) = sales_events(s, H2)[:1]
        (academy,) = academy_details(s, H2)[:1]
        assert [r.topic for r in consulting_details(s, H2)] == ["1", "2"]
        assert [r.title for r in academy_details(s, H2)] == ["1", "2"]
        assert [d.start_time for d in academy.dates] == [T(9), T(10)]
        assert [r.name for r in facility_projects(s, H2)] == ["1", "2"]
        assert [r.name for r in festivals(s, H2)] == ["1", "2"]
        assert [r.text for r in report_notes(s, H2)] == ["1", "2"]
        assert [r.title for r in promotion_notices(s, H2)["교육"]] == ["1", "2"]
        assert [r.title for r in publications(s, H2)] == ["1", "2"]
        assert [r.title for r in videos(s, H2).rows] == ["1", "2"]
        assert [r.name for r in sales_events(s, H2)] == ["1", "2"]
        assert [r.venue for r in events.schedules] == ["0", "1"]
        assert [r.items for r in events.participant_list] == ["0", "1"]
        assert [r.name for r in social_service_projects(s, H2)] == ["1", "2"]
        rows = roster(s, day)[0].rows
        assert [r.site for r in rows] == ["1", "2"]
        assert [t.end for t in rows[0].terms] == [D(2022, 6, 30), D(2023, 6, 30)]
        assert [r.text for r in space_milestones(s, [H2])["코레일"][0]] == ["1", "2"]
        assert [r.title for r in tenant_calls(s, H2)] == ["1", "2"]
        assert [r.applicant for r in designation_applications(s, H2)] == ["1", "2"]
        assert [t.name for t in cohort_progress(s, 2021).teams] == ["1", "2"]
        assert [r.year for r in purchasing_results(s, Period.year_of(2021))] == [2020, 2021]
        s.rollback()


def test_built_and_grouped_make_the_objects_the_class_would():
    """common.built/grouped: the report's listing rows as NamedTuples, every field given."""
    from dataclasses import dataclass
    from typing import NamedTuple

    from db.queries.common import built, grouped

    class Pair(NamedTuple):
        a: int
        b: str | None = None

    assert built(Pair, [(1, "x"), (2, None)]) == [Pair(1, "x"), Pair(2)]
    assert built(Pair, []) == [] and grouped(Pair, []) == {}
    got = grouped(Pair, [(7, 1, "x"), (8, 2, None), (7, 3, "z")])
    assert got == {7: [Pair(1, "x"), Pair(3, "z")], 8: [Pair(2)]}
    assert list(got) == [7, 8] and type(got[7][0]) is Pair
    for row in ((1,), (1, "x", "extra")):  # every field, no more
        with pytest.raises(TypeError):
            built(Pair, [row])
        with pytest.raises(TypeError):
            grouped(Pair, [(0, *row)])

    @dataclass(frozen=True)
    class Plain:
        a: int

    class Tuple(tuple):  # a tuple without _make
        pass

    for cls in (Plain, Tuple):
        with pytest.raises(TypeError, match=rf"^{cls.__name__}: built\(\) needs a NamedTuple "
                                            "class$"):
            built(cls, [(1,)])
        with pytest.raises(TypeError):
            grouped(cls, [(0, 1)])


def test_grouped_reads_core_rows(s):
    """SQLAlchemy's Row slices to a tuple: grouped() takes core_rows() as they come."""
    from typing import NamedTuple

    from sqlalchemy import literal, select, union_all

    from db.queries.common import core_rows, grouped

    class One(NamedTuple):
        b: str
        c: int

    rows = core_rows(s, union_all(select(literal(1), literal("x"), literal(2)),
                                  select(literal(1), literal("y"), literal(3))))
    assert grouped(One, rows) == {1: [One("x", 2), One("y", 3)]}


def test_roster_rows_without_a_tenancy_whole(s):
    """A planned space and a returned one with no tenancy: every field of both rows."""
    space(s, "예정역", "기타", status="선정 예정", area_m2=12.5, use="사무실",
          agreement_on=D(2020, 1, 2), expected_move_in=D(2022, 1, 1), lessee_note="임차: 구",
          note="예정 비고", sort_order=1)
    gone = space(s, "반납역", "기타", status="반납", returned_on=D(2021, 1, 1), area_m2=3,
                 use="창고", note="반납 비고", sort_order=2)
    (table,) = roster(s, D(2021, 7, 1))
    assert table.rows[0] == RosterRow(
        table.rows[0].space_id, 1, "예정역", 12.5, "사무실", D(2020, 1, 2), "선정 예정", None,
        None, "임차: 구", [], None, None, None, None, None, D(2022, 1, 1), [], False, None,
        "예정 비고", None)
    assert table.rows[1] == RosterRow(
        gone.id, None, "반납역", 3.0, "창고", None, "반납", None, None, None, [], None, None,
        None, None, None, None, [], False, D(2021, 1, 1), "반납 비고", None)


def test_team_rounds_are_the_startup_teams_rounds_of_the_year_to_date_only(s):
    """The report prints consulting rows only in the startup teams' block: their two kinds,
    one team's round (no end date), from 1 January to the 기준일 (a second half's report
    shows the first half's rounds too)."""
    from db.queries import report_figures

    days = (D(2020, 12, 31), D(2021, 1, 1), D(2021, 6, 30), D(2021, 7, 1), TODAY,
            D(2021, 11, 17), D(2021, 12, 31), D(2022, 1, 1))
    s.add_all([Consulting(kind=kind, held_on=day, topic=f"{kind} {day}", sessions=1,
                          companies=3, printed_note=f"※ {day}")
               for day in days for kind in ("기초", "창업팀 심화 1차", "창업팀 심화 2차")])
    s.add(Consulting(kind="창업팀 심화 1차", held_on=D(2021, 7, 2), end_on=D(2021, 7, 9),
                     sessions=4, companies=4))  # a batch over a week, counted, not a round
    s.flush()
    f = report_figures(s, H2, TODAY)
    assert [(r.held_on, r.kind) for r in f.team_rounds] == [
        (day, kind) for day in (D(2021, 1, 1), D(2021, 6, 30), D(2021, 7, 1), TODAY)
        for kind in ("창업팀 심화 1차", "창업팀 심화 2차")]
    assert f.team_rounds[0] == TeamRound("창업팀 심화 1차", D(2021, 1, 1), 3,
                                         "창업팀 심화 1차 2021-01-01", "※ 2021-01-01")
    whole = report_figures(s, Period.year_of(2021))
    assert [r.held_on for r in whole.team_rounds][::2] == list(days[1:-1])
    early = report_figures(s, H1, D(2021, 1, 1))
    assert [r.topic for r in early.team_rounds] == [
        "창업팀 심화 1차 2021-01-01", "창업팀 심화 2차 2021-01-01"]
    assert team_rounds(s, 2022, D(2022, 12, 31)) == [
        TeamRound(k, D(2022, 1, 1), 3, f"{k} 2022-01-01", "※ 2022-01-01")
        for k in ("창업팀 심화 1차", "창업팀 심화 2차")]
    assert team_rounds(s, 2021, D(2020, 12, 31)) == []


def test_team_rounds_by_date_then_record_whatever_order_they_were_entered_in(s):
    """Entered last-first, two rounds on one day entered 2차 before 1차: by day, then by id."""
    entered = [("창업팀 심화 1차", D(2021, 9, 1)), ("창업팀 심화 2차", D(2021, 7, 1)),
               ("창업팀 심화 1차", D(2021, 7, 1)), ("창업팀 심화 2차", D(2021, 3, 2))]
    rows = [Consulting(kind=k, held_on=day, sessions=1, topic=str(i))
            for i, (k, day) in enumerate(entered)]
    for row in rows:  # one flush each: the ids follow the order of entry
        s.add(row)
        s.flush()
    assert [r.topic for r in team_rounds(s, 2021, D(2021, 12, 31))] == ["3", "1", "2", "0"]


def test_paused_gc_hands_what_it_made_to_the_oldest_generation():
    """common.paused_gc: no collection inside; after it the collector runs again, the block's
    objects wait in the oldest generation (no young collection walks them), and a freeze made
    before (the window's) is neither undone nor joined by the block's objects (a cycle among
    them must stay collectable in a desk that runs all day)."""
    import gc

    # A freeze left by another test of this worker (the window's loader) is put back after.
    before = gc.get_freeze_count()
    gc.unfreeze()
    try:
        _paused_gc_cases()
    finally:
        if before:
            gc.freeze()


def _paused_gc_cases() -> None:
    class Node:
        pass

    def cycles(n: int) -> list[Node]:
        made = []
        for _ in range(n):
            a, b = Node(), Node()
            a.other, b.other = b, a
            made.append(a)
        return made

    assert gc.isenabled() and gc.get_freeze_count() == 0
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer one gives the collector back
            kept = cycles(1000)
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 100  # the youngest generation holds none of them
    oldest = gc.get_objects(generation=2)
    assert any(o is kept[0] for o in oldest) and any(o is kept[-1].other for o in oldest)
    del kept, oldest  # garbage now: frozen below with the rest, collected after the unfreeze

    gc.freeze()  # the window's freeze of what its imports made
    try:
        frozen = gc.get_freeze_count()
        with paused_gc():
            kept = cycles(1000)
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        tracked = gc.get_objects()
        assert any(o is kept[0] for o in tracked) and any(o is kept[-1].other for o in tracked)
        del tracked
        before = gc.get_freeze_count()
        del kept
        assert gc.collect() >= 2000  # the block's cycles are garbage the collector frees
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()  # the first cycles go to the oldest generation: its next pass frees them

    with pytest.raises(ZeroDivisionError), paused_gc():
        _ = 1 / 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()  # a caller that turned the collector off keeps it off
    try:
        with paused_gc():
            cycles(10)
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
