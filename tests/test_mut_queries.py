"""db/queries on small databases: each field in its place, each period edge on both sides.

Every record here carries a different value in every column, so a query that reads one column
for another, drops a field or mixes two records fails; each period filter is tried with a record
on the period's first and last day and one day outside. One database serves the module; each
test works in its own session and leaves nothing behind (nothing is committed).
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import (
    CarriedFigure,
    Consulting,
    Education,
    EducationDate,
    FacilityProject,
    FacilityRoom,
    FinanceBudget,
    FinanceGrant,
    FinancePayment,
    Festival,
    BudgetLine,
    Organization,
    Participation,
    ReportNote,
    ServiceLine,
    ServiceMeasure,
    SocialServiceProject,
    StartupCohort,
    StartupTeam,
)
from db.periods import Period
from db.settings import OfficeSettings, store_settings
from db.queries.carried import (
    carried_area,
    carried_by_category,
    carried_sum,
    metric_label,
    metric_of,
)
from db.queries.consulting import (
    ConsultingLine,
    ConsultingRow,
    consulting_details,
    consulting_summary,
)
from db.queries.education import (
    AcademyLine,
    EducationRow,
    SessionDate,
    academy_details,
    academy_summary,
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
from db.queries.social_service import (
    Measure,
    ServiceLineRow,
    SocialServiceRow,
    social_service_projects,
)

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


def carried(area="startup", metric="teams_selected", category="", start=D(2021, 1, 1),
            end=D(2021, 6, 30), value=1) -> CarriedFigure:
    return CarriedFigure(area=area, metric=metric, category=category, period_start=start,
                         period_end=end, value=value)


def test_carried_rows_count_when_wholly_inside_the_period(s):
    s.add_all([
        carried(value=1),                                          # exactly H1
        carried(start=D(2021, 3, 1), end=D(2021, 3, 31), value=2),
        carried(start=D(2020, 12, 31), end=D(2021, 6, 30), value=40),  # starts a day early
        carried(start=D(2021, 1, 1), end=D(2021, 7, 1), value=300),     # ends a day late
        carried(category="2019", value=5000),
        carried(metric="designated", value=60000),
        carried(area="sales", metric="events", value=700000),
    ])
    s.flush()
    assert carried_sum(s, "startup", "teams_selected", H1) == 3
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
    assert [r.topic for r in consulting_details(s, H2, "기초")] == ["첫날"]
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
    assert [n.text for n in report_notes(s, H2)] == ["21 소통 1", "21 소통 5", "21 판로", "21 하반기"]
