"""The seed report's figures, from the demo records through the query layer.

Each expected value is what the seed (../shared/seed/000_8b12bfe8bfaf7366.txt) prints, in the
unit it prints (천원, 백만원), compared through db/formats so rounding is the report's own.
Where the seed's hand-kept totals are wrong, the test asserts the correct sum and says why.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.formats import eok_won, million_won, thousand_won
from db.periods import Period, span
from db.queries.consulting import consulting_summary
from db.queries.education import academy_summary
from db.queries.finance import finance_as_of, finance_budget, finance_yearly
from db.queries.governance import (
    budget_table,
    participation_counts,
    period_labels,
    secured_executed,
)
from db.queries.purchasing import purchasing_results, videos
from db.queries.sales import sales_events, sales_yearly
from db.queries.social_service import social_service_projects
from db.queries.space import roster, space_milestones, tenant_calls
from db.queries.startup import cohort_progress, startup_yearly

D = dt.date
YEARLY = span(Period.parse("2018"), Period.parse("2021H1"))  # 2018년 … 2021년 6월
ROSTER_DAY = D(2021, 11, 16)  # the 하반기 report's 기준일


@pytest.fixture
def s(demo):
    """A session on the demo database."""
    with demo.session() as session:
        yield session


def test_startup_yearly_table(s):
    years = startup_yearly(s, YEARLY[:3])
    assert [y.teams_selected for y in years] == [9, 7, 7]
    assert [y.designated for y in years] == [
        {2018: 1, 2019: 5}, {2019: 1, 2020: 4, 2021: 1}, {2020: 3, 2021: 1}]
    assert [y.designated_total for y in years] == [6, 6, 4]
    support = [y.support for y in years]
    assert [x.education_hours for x in support] == [19, 15, 12]
    assert [(x.consulting_min, x.consulting_max) for x in support] == [(2, 2), (2, 2), (2, 3)]
    assert {x.fund_per_team for x in support} == {10_000_000}  # 사업개발비 1천만원
    assert "2개팀" in (support[0].space_support or "")


def test_startup_2021_cohort(s):
    (y2021,) = startup_yearly(s, [Period.year_of(2021)])
    assert y2021.teams_selected == 7  # 7 selected, 1 withdrew before the agreement, 1 added
    prog = cohort_progress(s, 2021)
    assert [(r.applications, r.review_on, r.selected, r.agreement_on) for r in prog.rounds] == [
        (10, D(2021, 4, 13), 7, D(2021, 4, 22)), (3, D(2021, 6, 4), 1, D(2021, 6, 9))]
    withdrawn = [t for t in prog.teams if t.status == "참여 포기"]
    assert [(t.name, t.representative) for t in withdrawn] == [("서진DCP", "손영욱")]
    added = [t for t in prog.teams if t.round_kind == "추가 모집"]
    assert [(t.name, t.representative) for t in added] == [("아이세상발달센터", "유명숙")]
    assert prog.active_teams == 7
    assert prog.payments["1차(80%)"] >= 7 * 8_000_000  # 7개사 800만원 (6.10.)


def test_sales_yearly_table(s):
    years = sales_yearly(s, YEARLY)
    assert [y.period.column_label for y in years] == ["2018년", "2019년", "2020년", "2021년 6월"]
    assert [y.events for y in years] == [8, 10, 11, 1]
    assert [thousand_won(y.sales_amount) for y in years] == [
        "71,922", "188,472", "270,164", "25,665"]


FINANCE_SEED = {
    # program: per column (orgs, persons or None where the seed gives none, 백만원)
    "사업개발비": [(14, None, "222"), (14, None, "207"), (12, None, "205"), (7, None, "42")],
    "일자리창출 인건비": [(25, 77, "903"), (26, 76, "832"), (26, 67, "632"), (24, 55, "284")],
    "사회보험료": [(10, 135, "129"), (8, 101, "124"), (10, 103, "94"), (9, 110, "80")],
}


def _whole_million(won: int) -> str:
    """The finance tables print whole 백만원 (147,1xx,xxx 원 → '147'), rounded half up."""
    return f"{(won + 500_000) // 1_000_000:,}"


def test_finance_yearly_table(s):
    rows = finance_yearly(s, YEARLY)
    assert [r.program for r in rows] == list(FINANCE_SEED)
    for row in rows:
        got = [(c.orgs, c.persons if want[1] is not None else None, _whole_million(c.amount))
               for c, want in zip(row.cells, FINANCE_SEED[row.program], strict=True)]
        assert got == FINANCE_SEED[row.program], row.program


def test_finance_as_of_16_november_2021(s):
    cells = {c.program: c for c in finance_as_of(s, D(2021, 11, 16))}
    bd, jobs, ins = cells["사업개발비"], cells["일자리창출 인건비"], cells["사회보험료"]
    assert (bd.orgs, _whole_million(bd.amount)) == (13, "121")
    # The seed misprints "30개 개업"; it means 30개 기업.
    assert (jobs.orgs, jobs.persons, _whole_million(jobs.amount)) == (30, 62, "550")
    assert (ins.orgs, ins.persons, _whole_million(ins.amount)) == (9, 110, "147")


def test_finance_budget_2022(s):
    budget = finance_budget(s, 2022)
    assert {p: thousand_won(a) for p, a in budget.items()} == {
        "사업개발비": "143,818", "일자리창출 인건비": "840,292", "사회보험료": "155,696"}


def _norm(text: str) -> str:
    return text.replace(" ", "")


def _firm(name: str) -> str:
    """The company without its legal-form prefix: the seed writes the same enterprise as
    '주식회사 인피루트' (코레일 table) and '(주)인피루트' (LH table); the demo keeps one record."""
    for prefix in ("주식회사 ", "(주)", "㈜"):
        name = name.removeprefix(prefix)
    return name


KORAIL = [
    # 연번, 장소, ㎡, 용도, 입주기업, 유형, first term, renewal end, rents (천원)
    ("1", "백마역 1번출구", 138.62, "사무실", "다시시작", "사회적협동조합",
     (D(2019, 8, 15), D(2021, 8, 14)), D(2022, 8, 14), ["5,665", "5,732", "5,399"]),
    ("2", "백마역 2번출구", 138.62, "사무실", "웍스994", "예비사회적기업",
     (D(2019, 8, 15), D(2021, 8, 14)), D(2021, 12, 25), ["5,665", "5,661", "2,072"]),
    ("3", "행신역 1층", 128.67, "사무실", "나루코(주)", "사회적기업",
     (D(2019, 9, 1), D(2021, 8, 31)), D(2022, 8, 31), ["8,492", "8,509", "8,778"]),
    ("4", "원흥역 맞이방", 41.0, "사무실", "인성소통협회", "사회적협동조합",
     (D(2019, 8, 15), D(2021, 8, 14)), D(2022, 8, 14), ["3,676", "3,797", "3,868"]),
    ("반납", "능곡역 2층", 45.0, "커뮤니티 공간", "주식회사 인피루트", "사회적기업",
     (D(2019, 7, 1), D(2021, 6, 30)), None, ["4,109", "4,122"]),
]


def test_korail_roster(s):
    tables = {t.provider: t.rows for t in roster(s, ROSTER_DAY)}
    rows = tables["코레일"]
    assert len(rows) == len(KORAIL)
    for row, (no, site, m2, use, tenant, kind, first, renewal_end, rents) in zip(
            rows, KORAIL, strict=False):
        assert (row.number_label, _norm(row.site), row.area_m2, row.use) == (
            no, _norm(site), m2, use)
        assert (_firm(row.tenant), row.tenant_kind.startswith(kind)) == (_firm(tenant), True), site
        assert (row.terms[0].start, row.terms[0].end, row.terms[0].months) == (*first, 24)
        assert [t.end for t in row.terms[1:]] == ([renewal_end] if renewal_end else [])
        assert [thousand_won(a) for _y, a in row.rents] == rents
        assert [y for y, _a in row.rents] == list(range(1, len(rents) + 1))
    assert rows[0].lessee_note and "국립암센터" in rows[0].lessee_note
    assert rows[-1].returned_on is not None and rows[-1].returned_on.month == 7


LH = [
    # 장소, ㎡, LH 협약 (year, month), 입주기업, first term, renewed, 입주시기 (year, month)
    ("행신2지구 4단지", 154, (2018, 12), "참다숨교육", (D(2019, 4, 25), D(2021, 4, 24)), True,
     (2019, 7)),
    ("삼송12단지", 125, (2019, 6), "(주)감쪽가치", (D(2019, 9, 27), D(2021, 9, 26)), True,
     (2019, 11)),
    ("지축 3단지", 105, (2019, 6), "(주)숨컴퍼니", (D(2019, 9, 27), D(2021, 9, 26)), True,
     (2019, 10)),
    ("향동1단지", 94, (2019, 6), "(주)인피루트", (D(2020, 2, 5), D(2022, 2, 4)), False, (2020, 2)),
    ("지축4단지", 154, (2020, 9), "(주)에이라이프", (D(2021, 8, 2), D(2023, 8, 1)), False,
     (2021, 8)),
    ("지축1단지", 180, (2020, 9), "(주)에스엔소프트", (D(2021, 12, 1), D(2023, 11, 30)), False,
     (2021, 12)),
    ("삼송A12블록", 102, (2020, 9), None, None, False, (2022, 3)),
    ("삼송A24블록", 75, (2020, 12), None, None, False, (2022, 3)),
    ("덕은A1블록", 95, (2020, 12), None, None, False, (2022, 4)),
]


def test_lh_roster(s):
    rows = {t.provider: t.rows for t in roster(s, ROSTER_DAY)}["LH"]
    assert [r.number_label for r in rows] == [str(i) for i in range(1, 10)]
    for row, (site, m2, agreed, tenant, first, renewed, moved) in zip(rows, LH, strict=True):
        assert (_norm(row.site), row.area_m2) == (_norm(site), m2)
        assert (row.agreement_on.year, row.agreement_on.month) == agreed, site
        assert row.tenant == tenant, site
        if tenant is None:
            assert row.status == "선정 예정" and row.terms == []
        else:
            assert (row.terms[0].start, row.terms[0].end) == first, site
            assert (len(row.terms) > 1) == renewed, site
        assert row.rents == []  # LH spaces are rent-free
        day = row.moved_in_on or row.expected_move_in
        assert (day.year, day.month) == moved, site


def _m(table, source, period):
    v = table.cells[(source, period)]
    return None if v is None else million_won(v)


def test_investment_plan(s):
    t = budget_table(s, "투자계획")
    assert list(period_labels(s).values()) == [
        "기투자", "'18.7.", "'19", "'20", "'21", "'22.6.", "임기후"]
    years = ["2018", "2019", "2020", "2021", "2022"]
    assert [million_won(t.column_totals[p]) for p in years] == ["625", "820", "720", "720", "720"]
    assert t.column_totals["prior"] is None and t.column_totals["after"] is None
    assert [_m(t, "국비", p) for p in years] == [None, "105", "119", "119", "119"]
    assert [_m(t, "도비", p) for p in years] == ["12.5", "35", "32", "32", "32"]
    assert [_m(t, "시비", p) for p in years] == ["612.5", "680", "569", "569", "569"]
    assert {k: (v and million_won(v)) for k, v in t.row_totals.items()} == {
        "국비": "462", "도비": "143.5", "시비": "2,999.5", "기타": None}
    assert million_won(t.grand_total) == "3,605"


def test_secured_and_executed(s):
    se = secured_executed(s)
    sec, exe = se.secured, se.executed
    years = ["2018", "2019", "2020", "2021"]
    assert [million_won(sec.column_totals[p]) for p in years] == ["625", "820", "720", "799"]
    assert [_m(sec, "국비", p) for p in years] == [None, "105", "119", "84"]
    assert [_m(sec, "도비", p) for p in years] == ["12.5", "35", "32", "32"]
    assert [_m(sec, "시비", p) for p in years] == ["612.5", "680", "569", "683"]
    assert [_m(sec, "기타", p) for p in years] == ["0", "0", "0", "0"]
    assert {k: million_won(v) for k, v in sec.row_totals.items()} == {
        "국비": "308", "도비": "111.5", "시비": "2,544.5", "기타": "0"}
    assert million_won(sec.grand_total) == "2,964"
    # Executed amounts beside each secured figure: 625 (577), 820 (635), 720 (518).
    assert [million_won(exe.column_totals[p]) for p in years[:3]] == ["577", "635", "518"]
    assert exe.column_totals["2021"] in (None, 0)
    assert [_m(exe, "국비", p) for p in years[:3]] == [None, "100", "115"]
    assert [_m(exe, "도비", p) for p in years[:3]] == ["12.2", "30", "24"]
    assert [_m(exe, "시비", p) for p in years[:3]] == ["564.8", "505", "379"]
    # The seed's executed totals were kept by hand and are wrong: it prints 계 (1,212),
    # 국비 (100), 도비 (42.2), 시비 (1,069.8). The executed cells sum to 577+635+518 = 1,730,
    # 국비 100+115 = 215, 도비 12.2+30+24 = 66.2, 시비 564.8+505+379 = 1,448.8.
    assert million_won(exe.grand_total) == "1,730"
    assert million_won(exe.row_totals["국비"]) == "215"
    assert million_won(exe.row_totals["도비"]) == "66.2"
    assert million_won(exe.row_totals["시비"]) == "1,448.8"
    assert se.cell("시비", "2018") == (612_500_000, 564_800_000)


H2 = Period.parse("2021H2")


def test_space_milestones_per_year(s):
    ms = space_milestones(s, YEARLY)
    assert list(ms) == ["코레일", "LH"]
    assert [len(col) for col in ms["코레일"]] == [2, 4, 1, 2]
    assert [len(col) for col in ms["LH"]] == [1, 4, 4, 1]
    assert "업무협약" in ms["코레일"][0][0].text and ms["코레일"][0][0].month_only


def test_tenant_call_2021(s):
    (call,) = tenant_calls(s, Period.parse("2021H1"))
    assert call.applicants == 4  # 지축4단지 2, 지축1단지 2, 능곡역 없음
    assert [(o.site, o.applicants, o.selected) for o in call.offers] == [
        ("지축4단지", 2, "(주)에이라이프"), ("지축1단지", 2, "(주)에스엔소프트"),
        ("능곡역 2층", 0, None)]


def test_sales_events_second_half_2021(s):
    events = {e.name: e for e in sales_events(s, H2)}
    live = next(e for e in events.values() if e.kind == "라이브커머스")
    assert (live.participants, thousand_won(live.sales_amount)) == (9, "6,030")
    market = next(e for e in events.values() if "꿈길마켓" in e.name)
    assert (market.participants, thousand_won(market.sales_amount)) == (17, "24,050")
    assert len(market.schedules) == 3  # 강선공원 10월·11월, 화정중앙공원 10월
    show = events["메가쇼 2021 시즌 2"]
    assert (show.applied, show.selected, show.participants) == (16, 10, 10)
    assert len(show.participant_list) == 10
    assert show.participant_list[1].name == "두레협동조합"


def test_academy_and_consulting_second_half_2021(s):
    academy = {a.course: a for a in academy_summary(s, H2)}
    basic = academy["기초과정"]
    assert (basic.sessions, basic.hours, basic.attendees) == (3, 30, 14)  # 3회 30시간, 14명
    visiting = academy["찾아가는 아카데미"]
    assert (visiting.records, visiting.attendees) == (5, 7 + 11 + 11 + 19 + 14)  # ①~⑤
    youth = academy["청소년 교육"]
    assert (youth.sessions, youth.attendees) == (9, 376)  # 9회 총 376명
    consulting = {c.kind: (c.companies, c.sessions) for c in consulting_summary(s, H2)}
    assert consulting["기초"][1] == 130  # 기초컨설팅 130회
    assert consulting["컨설팅 데이"] == (18, 50)  # 18개사 50회
    assert consulting["창업팀 심화 2차"] == (7, 7)  # 7개팀 7회


def test_purchasing_social_service_videos(s):
    latest = {r.year: r for r in purchasing_results(s, H2)}
    assert [eok_won(latest[y].amount) for y in (2019, 2020, 2021)] == ["56억", "85억", "76억"]
    assert (latest[2021].rate, latest[2021].grade, eok_won(latest[2021].target_amount)) == (
        4.56, "S", "100억")
    (happy,) = social_service_projects(s, H2)
    assert [thousand_won(v) for v in (happy.budget_total, happy.budget["국비"],
                                      happy.budget["시비"])] == ["50,000", "35,000", "15,000"]
    assert [(m.label, m.value, m.unit) for m in happy.lines[1].measures] == [
        ("이송", 140, "회"), ("동행", 16, "회")]
    h1 = videos(s, Period.parse("2021H1"))
    assert h1.count_by_year == {2020: 36, 2021: 10} and h1.carried  # 2020년 36개, 6월까지 10개
    assert len(videos(s, H2).rows) == 10  # 2021년 하반기 게시 영상물(11월 기준 10개)


def test_participation_second_half_2021(s):
    assert participation_counts(s, H2)["언론/방송 보도"] == 1


def test_half_year_cohort_progress_leaves_out_later_payments(s):
    """2021H1 report: only the 80 % payments of 6.10 exist yet; later ones are left out."""
    first_half = cohort_progress(s, 2021, D(2021, 6, 30))
    whole = cohort_progress(s, 2021)
    # seed: "7개사 사업개발비 지급(80%) : 6. 10. ☞ 기업별 800만원"
    assert first_half.payments == {"1차(80%)": 7 * 8_000_000}
    assert len(whole.payments) >= len(first_half.payments)
    assert all(t.final_score is None for t in first_half.teams)
    assert len(first_half.awaiting_evaluation) == 7
