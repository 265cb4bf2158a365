"""Academy, purchasing, social service, events and report notes on small records."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import (
    CarriedFigure,
    Education,
    EducationDate,
    FacilityProject,
    FacilityRoom,
    Festival,
    PromotionNotice,
    Publication,
    PurchasingResult,
    ReportNote,
    ServiceLine,
    ServiceMeasure,
    SocialServiceProject,
    Video,
)
from db.periods import Period
from db.queries import report_figures
from db.queries.education import academy_details, academy_summary
from db.queries.events import facility_projects, festivals
from db.queries.governance import report_notes
from db.queries.purchasing import promotion_notices, publications, purchasing_results, videos
from db.queries.social_service import social_service_projects

D = dt.date
H1, H2 = Period.half_of(2021, 1), Period.half_of(2021, 2)


@pytest.fixture
def s(db):
    """A session on the fresh database."""
    with db.session() as session:
        yield session


def test_academy_summary_and_details(s):
    def ed(course, day, hours, sessions, attendees, dates=()):
        e = Education(course=course, title=course, start_date=day, hours=hours,
                      sessions=sessions, attendees=attendees)
        e.dates = [EducationDate(day=d) for d in dates]
        return e

    s.add_all([
        ed("찾아가는 아카데미", D(2021, 7, 9), 3, 1, 7),
        ed("찾아가는 아카데미", D(2021, 9, 28), 12, 4, 19,
           dates=[D(2021, 10, 5), D(2021, 9, 28)]),
        ed("기초과정", D(2021, 7, 1), 30, 3, 14),
        ed("기초과정", D(2021, 6, 30), 10, 1, 5),  # first half
    ])
    s.flush()
    got = [(a.course, a.sessions, a.hours, a.attendees, a.records)
           for a in academy_summary(s, H2)]
    assert got == [("기초과정", 3, 30.0, 14, 1), ("찾아가는 아카데미", 5, 15.0, 26, 2)]
    rows = academy_details(s, H2, course="찾아가는 아카데미")
    assert [r.start_date for r in rows] == [D(2021, 7, 9), D(2021, 9, 28)]
    assert [d.day for d in rows[1].dates] == [D(2021, 9, 28), D(2021, 10, 5)]


def test_purchasing_latest_result_per_year_up_to_period_end(s):
    s.add_all([
        PurchasingResult(year=2020, as_of=D(2020, 12, 31), amount=8_500_000_000, grade="S"),
        PurchasingResult(year=2021, as_of=D(2021, 6, 30), amount=3_000_000_000),
        PurchasingResult(year=2021, as_of=D(2021, 9, 30), amount=7_600_000_000, rate=4.56,
                         grade="S", target_amount=10_000_000_000, target_rate=4.5),
    ])
    s.flush()
    got = [(r.year, r.amount) for r in purchasing_results(s, H1)]
    assert got == [(2020, 8_500_000_000), (2021, 3_000_000_000)]
    last = purchasing_results(s, H2)[-1]
    assert (last.amount, last.rate, last.grade, last.target_amount) == (
        7_600_000_000, 4.56, "S", 10_000_000_000)


def test_promotion_notices_grouped_by_channel_in_order(s):
    s.add_all([
        PromotionNotice(notice_on=D(2021, 3, 10), channel="유관기관", title="협조 요청"),
        PromotionNotice(notice_on=D(2021, 6, 11), channel="새올행정시스템 시정공유방",
                        title="구매실적 안내"),
        PromotionNotice(notice_on=D(2021, 4, 9), channel="새올행정시스템 시정공유방",
                        title="구매실적 안내"),
        PromotionNotice(notice_on=D(2021, 7, 16), channel="유관기관", title="다음 반기"),
    ])
    s.flush()
    got = promotion_notices(s, H1)
    assert list(got) == ["새올행정시스템 시정공유방", "유관기관"]
    assert [n.notice_on for n in got["새올행정시스템 시정공유방"]] == [
        D(2021, 4, 9), D(2021, 6, 11)]


def test_videos_and_publications(s):
    s.add_all([Video(posted_on=D(2020, 3, 3 + i % 20), title=f"v{i}") for i in range(36)])
    s.add_all([Video(posted_on=D(2021, 1 + i % 6, 5), title=f"w{i}") for i in range(10)])
    s.add(Video(posted_on=D(2021, 7, 13), title="하반기"))
    s.add_all([Publication(year=2020, title="2020 책자", copies=3000),
               Publication(year=2021, title="2021 책자", copies=2000,
                           issued_on=D(2021, 10, 15))])
    s.flush()
    v = videos(s, H1)
    assert v.count_by_year == {2020: 36, 2021: 10}  # 2020년 총 36개, 2021년 6월까지 총 10개
    assert v.count == 10
    assert videos(s, H2).count_by_year[2021] == 11
    assert not v.carried
    assert [p.title for p in publications(s, H1)] == []
    assert [p.title for p in publications(s, H2)] == ["2021 책자"]
    assert [p.title for p in publications(s, Period.year_of(2020))] == ["2020 책자"]


def test_videos_known_only_as_counts_are_carried(s):
    s.add_all([
        CarriedFigure(area="purchasing", metric="videos", period_start=D(2020, 1, 1),
                      period_end=D(2020, 12, 31), value=36),
        CarriedFigure(area="purchasing", metric="videos", period_start=D(2021, 1, 1),
                      period_end=D(2021, 6, 30), value=10),
        Video(posted_on=D(2021, 7, 13), title="하반기 첫 영상"),
    ])
    s.flush()
    h1, h2 = videos(s, H1), videos(s, H2)
    assert (h1.count_by_year, h1.count, h1.carried, h1.rows) == ({2020: 36, 2021: 10}, 10, True, [])
    assert (h2.count_by_year, h2.count, len(h2.rows)) == ({2020: 36, 2021: 11}, 1, 1)
    assert videos(s, Period(D(2021, 1, 1), D(2021, 5, 31), "range")).count_by_year == {2020: 36}


def test_social_service_budget_total_and_measures(s):
    p = SocialServiceProject(name="고양해피케어", year=2021, budget_national=35_000_000,
                             budget_city=15_000_000)
    line = ServiceLine(provider="위드메이스", service="이송동행서비스")
    line.measures = [ServiceMeasure(label="이송", value=140, unit="회"),
                     ServiceMeasure(label="동행", value=16, unit="회")]
    p.lines = [line]
    s.add(p)
    s.flush()
    (row,) = social_service_projects(s, H2)
    assert row.budget_total == 50_000_000 and row.budget["국비"] == 35_000_000
    assert [(m.label, m.value) for m in row.lines[0].measures] == [("이송", 140), ("동행", 16)]
    assert social_service_projects(s, Period.year_of(2020)) == []


def test_festivals_and_facilities(s):
    s.add(Festival(name="한마당", held_on=D(2021, 11, 13)))
    f = FacilityProject(name="전시홍보관", works_start=D(2021, 11, 15),
                        works_end=D(2021, 12, 22), area_m2=124.89)
    f.rooms = [FacilityRoom(name="전시실", area_pyeong=15)]
    s.add(f)
    s.flush()
    assert [x.name for x in festivals(s, H2)] == ["한마당"]
    assert festivals(s, H1) == []
    (fac,) = facility_projects(s, H2)
    assert round(fac.area_pyeong) == 38 and fac.rooms[0].name == "전시실"
    assert facility_projects(s, H1) == []


def test_report_notes_by_overlap(s):
    s.add_all([
        ReportNote(year=2021, half=1, area="sales", text="상반기"),
        ReportNote(year=2021, half=2, area="sales", text="하반기"),
        ReportNote(year=2021, half=None, area="governance", kind="문제점", text="연중"),
    ])
    s.flush()
    assert [n.text for n in report_notes(s, H1)] == ["연중", "상반기"]  # whole year first
    assert [n.text for n in report_notes(s, H2, area="sales")] == ["하반기"]
    assert len(report_notes(s, Period.year_of(2021))) == 3


def test_report_figures_on_an_empty_database(s):
    figs = report_figures(s, H2)
    assert figs.participation == dict.fromkeys(figs.participation, 0)
    assert figs.sales.events == 0 and figs.roster == []
    assert figs.investment_plan.grand_total == 0
