"""Query layer on small hand-made records: periods' edges, carried figures, totals."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import (
    BudgetLine,
    CarriedFigure,
    Consulting,
    FinanceBudget,
    FinanceGrant,
    FinancePayment,
    Organization,
    Participation,
    SalesEvent,
    SalesParticipant,
    Setting,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
)
from db.periods import Period
from db.queries.carried import carried_by_category, carried_sum
from db.queries.consulting import consulting_summary
from db.queries.finance import finance_as_of, finance_budget, finance_yearly
from db.queries.governance import (
    budget_table,
    participation_counts,
    period_labels,
    secured_executed,
)
from db.queries.sales import sales_events, sales_yearly
from db.queries.startup import cohort_progress, startup_yearly

D = dt.date
H1 = Period.half_of(2021, 1)
Y2021 = Period.year_of(2021)


@pytest.fixture
def s(db):
    """A session on the fresh database, closed after the test."""
    with db.session() as session:
        yield session


def _org(s, name: str) -> Organization:
    o = Organization(name=name, kind="사회적기업")
    s.add(o)
    s.flush()
    return o


def _grant(s, org, program="일자리창출 인건비", year=2021, persons=2, payments=()):
    g = FinanceGrant(program=program, year=year, organization_id=org.id, approved_persons=persons)
    g.payments = [FinancePayment(paid_on=d, amount=a) for d, a in payments]
    s.add(g)
    s.flush()
    return g


def test_carried_counts_only_rows_inside_the_period(s):
    s.add_all([
        CarriedFigure(area="sales", metric="events", period_start=D(2018, 1, 1),
                      period_end=D(2018, 12, 31), value=8),
        CarriedFigure(area="sales", metric="events", period_start=D(2018, 7, 1),
                      period_end=D(2019, 6, 30), value=5),  # straddles 2018 and 2019
        CarriedFigure(area="finance", metric="amount", category="사회보험료",
                      period_start=D(2018, 1, 1), period_end=D(2018, 12, 31), value=7),
        CarriedFigure(area="finance", metric="amount", category="사업개발비",
                      period_start=D(2018, 1, 1), period_end=D(2018, 6, 30), value=3),
    ])
    s.flush()
    y2018 = Period.year_of(2018)
    assert carried_sum(s, "sales", "events", y2018) == 8
    assert carried_sum(s, "sales", "events", Period.year_of(2019)) == 0
    assert carried_sum(s, "sales", "events", Period(D(2018, 1, 1), D(2019, 12, 31), "range")) == 13
    assert carried_by_category(s, "finance", "amount", y2018) == {"사회보험료": 7, "사업개발비": 3}
    assert carried_by_category(s, "finance", "amount", Period.half_of(2018, 1)) == {"사업개발비": 3}


def test_finance_payment_on_june_30_counts_in_h1_and_july_1_does_not(s):
    a, b = _org(s, "가"), _org(s, "나")
    _grant(s, a, persons=3, payments=[(D(2021, 6, 30), 1_000_000), (D(2021, 7, 1), 500_000)])
    _grant(s, b, persons=4, payments=[(D(2021, 7, 1), 2_000_000)])
    h1, h2, year = finance_yearly(s, [H1, Period.half_of(2021, 2), Y2021])[1].cells
    assert (h1.program, h1.orgs, h1.persons, h1.amount) == ("일자리창출 인건비", 1, 3, 1_000_000)
    assert (h2.orgs, h2.persons, h2.amount) == (2, 7, 2_500_000)
    assert (year.orgs, year.persons, year.amount) == (2, 7, 3_500_000)
    assert not year.carried


def test_finance_counts_grants_of_the_period_year_and_adds_carried(s):
    a = _org(s, "가")
    # A 2020 grant paid in January 2021 (late payment) is not a 2021 grant.
    _grant(s, a, program="사회보험료", year=2020, persons=9, payments=[(D(2021, 1, 25), 100)])
    _grant(s, a, program="사회보험료", year=2021, persons=2, payments=[(D(2021, 1, 25), 40)])
    _grant(s, _org(s, "다"), program="사회보험료", year=2021, persons=5)  # nothing paid yet
    s.add_all([CarriedFigure(area="finance", metric=m, category="사회보험료",
                             period_start=D(2021, 1, 1), period_end=D(2021, 1, 31), value=v)
               for m, v in (("orgs", 10), ("persons", 100), ("amount", 1000))])
    s.flush()
    rows = finance_yearly(s, [Y2021])
    assert [r.program for r in rows] == ["사업개발비", "일자리창출 인건비", "사회보험료"]
    cell = rows[2].cells[0]
    assert (cell.orgs, cell.persons, cell.amount, cell.carried) == (11, 102, 1040, True)
    assert rows[0].cells[0].carried is False
    # The carried January figure counts only once the as-of date covers all of January.
    assert finance_as_of(s, D(2021, 1, 30))[2].amount == 40
    assert finance_as_of(s, D(2021, 1, 31))[2].amount == 1040


def test_finance_budget(s):
    s.add_all([FinanceBudget(program="사회보험료", year=2022, amount=155_696_000),
               FinanceBudget(program="사업개발비", year=2022, amount=143_818_000)])
    s.flush()
    assert finance_budget(s, 2022) == {"사업개발비": 143_818_000, "사회보험료": 155_696_000}
    assert finance_budget(s, 2023) == {}


def test_sales_yearly_counts_events_by_start_and_uses_participant_sales(s):
    o = _org(s, "두레협동조합")
    s.add_all([
        SalesEvent(kind="전시회", name="A", start_date=D(2021, 6, 30), end_date=D(2021, 7, 2),
                   sales_amount=25_665_000),
        SalesEvent(kind="장터·마켓", name="B", start_date=D(2021, 7, 1), sales_amount=1_000),
    ])
    ev = SalesEvent(kind="프리마켓", name="C", start_date=D(2021, 3, 1))
    ev.participants = [SalesParticipant(organization_id=o.id, sales=300),
                       SalesParticipant(organization_id=o.id, sales=200)]
    s.add(ev)
    s.add(CarriedFigure(area="sales", metric="sales_amount", period_start=D(2021, 2, 1),
                        period_end=D(2021, 2, 28), value=7))
    s.flush()
    h1, h2 = sales_yearly(s, [H1, Period.half_of(2021, 2)])
    assert (h1.events, h1.sales_amount, h1.carried) == (2, 25_665_500 + 7, True)
    assert (h2.events, h2.sales_amount, h2.carried) == (1, 1_000, False)
    listed = sales_events(s, H1)
    assert [e.name for e in listed] == ["C", "A"]
    assert (listed[0].participants, listed[0].sales_amount) == (2, 500)
    assert [p.name for p in listed[0].participant_list] == ["두레협동조합"] * 2


def _cohort(s, year=2021) -> StartupCohort:
    c = StartupCohort(year=year, education_hours=12, consulting_min=2, consulting_max=3,
                      fund_per_team=10_000_000)
    s.add(c)
    s.flush()
    return c


def test_startup_yearly_excludes_withdrawn_and_adds_carried_designations(s):
    c = _cohort(s)
    r1 = StartupRound(cohort_id=c.id, round_no=1, recruit_start=D(2021, 3, 10),
                      applications=10, agreement_on=D(2021, 4, 22))
    r2 = StartupRound(cohort_id=c.id, round_no=2, kind="추가 모집",
                      recruit_start=D(2021, 5, 6), applications=3)
    s.add_all([r1, r2])
    s.flush()
    teams = [StartupTeam(cohort_id=c.id, round_id=r1.id, name=f"팀{i}", status="협약")
             for i in range(6)]
    teams[0].designated_year = 2021
    teams[1].designated_year = 2022
    teams[2].designated_year = 2022
    teams.append(StartupTeam(cohort_id=c.id, round_id=r1.id, name="포기", status="참여 포기",
                             designated_year=2023))  # still an outcome of the cohort
    teams.append(StartupTeam(cohort_id=c.id, round_id=r2.id, name="추가", status="협약"))
    s.add_all(teams)
    s.add(CarriedFigure(area="startup", metric="designated", category="2022",
                        period_start=D(2021, 1, 1), period_end=D(2021, 12, 31), value=1))
    s.flush()
    (y,) = startup_yearly(s, [Y2021])
    assert y.teams_selected == 7
    assert y.designated == {2021: 1, 2022: 3, 2023: 1}
    assert y.designated_total == 5 and y.carried
    assert y.support.education_hours == 12 and y.support.fund_per_team == 10_000_000
    (none,) = startup_yearly(s, [Period.year_of(2019)])
    assert (none.teams_selected, none.support, none.designated, none.carried) == (
        0, None, {}, False)
    prog = cohort_progress(s, 2021)
    assert [(r.round_no, r.selected) for r in prog.rounds] == [(1, 7), (2, 1)]
    assert prog.active_teams == 7


def test_cohort_progress_payments_and_what_is_due(s):
    c = _cohort(s)
    scores = {"낮음": 59.9, "딱60": 60, "높음": 90, "미평가": None}
    for name, score in scores.items():
        t = StartupTeam(cohort_id=c.id, name=name, status="협약", final_score=score)
        t.payments = [StartupPayment(kind="1차(80%)", paid_on=D(2021, 6, 10), amount=8_000_000)]
        if name == "높음":
            t.payments.append(StartupPayment(kind="2차(20%)", paid_on=D(2021, 12, 1),
                                             amount=2_000_000))
        s.add(t)
    s.flush()
    prog = cohort_progress(s, 2021)
    assert prog.payments == {"1차(80%)": 32_000_000, "2차(20%)": 2_000_000}
    assert prog.awaiting_evaluation == ["미평가"]
    assert prog.awaiting_second_payment == ["딱60"]  # 60 is enough; 59.9 is 미흡
    assert {t.name: t.paid for t in prog.teams}["높음"] == 10_000_000
    assert cohort_progress(s, 2030) is None


def _lines(s, kind, table):
    s.add_all([BudgetLine(kind=kind, period=p, source=src, amount=a)
               for (src, p), a in table.items()])
    s.flush()


def test_budget_table_totals_both_ways_and_empty_cells(s):
    _lines(s, "투자계획", {("국비", "2019"): 105, ("국비", "2020"): 119,
                          ("시비", "2018"): 612, ("시비", "2019"): 680, ("기타", "2019"): 0})
    t = budget_table(s, "투자계획")
    assert t.periods == ["prior", "2018", "2019", "2020", "2021", "2022", "after"]
    assert t.cells[("국비", "2018")] is None and t.cells[("국비", "2019")] == 105
    assert t.row_totals == {"국비": 224, "도비": None, "시비": 1292, "기타": 0}
    assert t.column_totals["2019"] == 785 and t.column_totals["prior"] is None
    assert t.grand_total == 224 + 1292
    assert t.grand_total == sum(v for v in t.column_totals.values() if v is not None)


def test_secured_executed_pairs_cells(s):
    _lines(s, "확보", {("국비", "2019"): 105, ("국비", "2020"): 119})
    _lines(s, "집행", {("국비", "2019"): 100, ("국비", "2020"): 115})
    se = secured_executed(s)
    assert se.cell("국비", "2019") == (105, 100)
    assert se.row_total("국비") == (224, 215)
    assert se.column_total("2020") == (119, 115)
    assert se.grand_total == (224, 215)


def test_period_labels_follow_the_term_settings(s):
    assert list(period_labels(s).values()) == [
        "기투자", "'18.7.", "'19", "'20", "'21", "'22.6.", "임기후"]
    s.add_all([Setting(key="term_start", value="2022-07-01"),
               Setting(key="term_end", value="2026-06-30")])
    s.flush()
    labels = period_labels(s)
    assert list(labels) == ["prior", "2022", "2023", "2024", "2025", "2026", "after"]
    assert labels["2022"] == "'22.7." and labels["2026"] == "'26.6."


def test_participation_counts_zero_where_none(s):
    s.add_all([Participation(kind="언론/방송 보도", held_on=D(2021, 7, 1), title="기사"),
               Participation(kind="언론/방송 보도", held_on=D(2021, 6, 30), title="기사")])
    s.flush()
    counts = participation_counts(s, Period.half_of(2021, 2))
    assert counts == {"공약 관련 회의": 0, "설명회·민생탐방": 0, "전문가 자문": 0,
                      "언론/방송 보도": 1, "기타": 0}


def test_consulting_companies_distinct_named_plus_unnamed(s):
    a, b = _org(s, "가"), _org(s, "나")
    s.add_all([
        Consulting(kind="기초", held_on=D(2021, 7, 1), end_on=D(2021, 12, 31), sessions=130),
        Consulting(kind="컨설팅 데이", held_on=D(2021, 8, 1), organization_id=a.id, sessions=3),
        Consulting(kind="컨설팅 데이", held_on=D(2021, 9, 1), organization_id=a.id, sessions=2),
        Consulting(kind="컨설팅 데이", held_on=D(2021, 9, 1), organization_id=b.id, sessions=1),
        Consulting(kind="컨설팅 데이", held_on=D(2021, 9, 2), companies=4, sessions=4),
    ])
    s.flush()
    got = {c.kind: (c.companies, c.sessions) for c in consulting_summary(s, Y2021)}
    assert got == {"기초": (0, 130), "컨설팅 데이": (6, 10)}
