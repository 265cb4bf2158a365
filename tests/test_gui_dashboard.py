"""현황 tab on real widgets: due-soon items, activation, this year beside last year."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from db.models import (
    FinanceGrant,
    FinancePayment,
    Organization,
    SalesEvent,
    Space,
    StartupCohort,
    StartupPayment,
    StartupTeam,
    Tenancy,
    TenancyTerm,
)

TODAY = dt.date(2021, 12, 1)


def _tenancy(s, site: str, org: str, terms: list[tuple[dt.date, dt.date]]) -> Tenancy:
    space = Space(provider="LH", site=site, area_m2=30.0)
    company = Organization(name=org)
    t = Tenancy(space=space, organization=company, moved_in_on=terms[0][0])
    t.terms = [TenancyTerm(start_on=a, end_on=b) for a, b in terms]
    s.add(t)
    return t


@pytest.fixture
def records(db):
    """Tenancies ending in 30 and 200 days, one at its 5-year limit, a team awaiting 20 %."""
    with db.session() as s:
        soon = _tenancy(s, "행신2지구 4단지", "㈜곧끝남", [
            (TODAY - dt.timedelta(days=700), TODAY + dt.timedelta(days=30))])
        later = _tenancy(s, "백마역 1번출구", "나중협동조합", [
            (TODAY - dt.timedelta(days=530), TODAY + dt.timedelta(days=200))])
        start = dt.date(2017, 1, 20)  # limit 2022-01-19: 49 days after TODAY
        limit = _tenancy(s, "삼송12단지", "다섯해마을", [
            (start, dt.date(2019, 1, 19)), (dt.date(2019, 1, 20), dt.date(2020, 1, 19)),
            (dt.date(2020, 1, 20), dt.date(2021, 1, 19)),
            (dt.date(2021, 1, 20), dt.date(2022, 1, 19))])
        # Expired three years ago, never renewed nor moved out: its 5-year limit (in 19 days)
        # is no longer news, and its end is outside the window.
        _tenancy(s, "지축1단지", "오래된기업", [
            (dt.date(2016, 12, 21), dt.date(2018, 12, 1))])
        cohort = StartupCohort(year=2021, fund_per_team=10_000_000)
        team = StartupTeam(cohort=cohort, name="이십퍼센트팀", status="협약",
                           agreed_on=dt.date(2021, 6, 1), final_score=75,
                           evaluated_on=dt.date(2021, 11, 20))
        team.payments = [StartupPayment(kind="1차(80%)", paid_on=dt.date(2021, 6, 10),
                                        amount=8_000_000)]
        StartupTeam(cohort=cohort, name="포기팀", status="참여 포기",
                    withdrawn_on=dt.date(2021, 7, 1))
        s.add(cohort)
        org = Organization(name="재정기업")
        for year, amount in ((2020, 3_000_000), (2021, 5_500_000)):
            grant = FinanceGrant(program="사회보험료", year=year, organization=org,
                                 approved_persons=2, approved_amount=amount)
            grant.payments = [FinancePayment(paid_on=dt.date(year, 3, 25), amount=amount)]
            s.add(grant)
        s.add_all([
            SalesEvent(kind="장터·마켓", name="지난해 장터", start_date=dt.date(2020, 5, 1),
                       sales_amount=1_200_000),
            SalesEvent(kind="장터·마켓", name="올해 장터 1", start_date=dt.date(2021, 5, 1),
                       sales_amount=2_000_000),
            SalesEvent(kind="전시회", name="올해 전시회", start_date=dt.date(2021, 9, 1),
                       sales_amount=500_000),
        ])
        s.commit()
        return {"soon": soon.id, "later": later.id, "limit": limit.id, "team": team.id}


@pytest.fixture
def tab(qtbot, db, records):
    from gui.dashboard import DashboardTab

    w = DashboardTab(db, today=TODAY)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.refresh()
    return w


def _row_for(tab, title_part: str, kind: str | None = None):
    rows = [r for r in tab.due_rows() if title_part in r[2] and (kind is None or r[1] == kind)]
    return rows


def test_tenancy_ending_in_30_days_is_listed_and_200_days_is_not(tab):
    rows = _row_for(tab, "㈜곧끝남", "계약 만료")
    assert len(rows) == 1
    assert rows[0][0] == "D-30"
    assert "2021. 12. 31." in rows[0][3]
    assert not _row_for(tab, "나중협동조합")
    review = _row_for(tab, "㈜곧끝남", "연장 심사")  # 60 days before the end: 30 days ago
    assert review and review[0][0] == "30일 경과"
    assert not _row_for(tab, "오래된기업")


def test_five_year_limit_is_listed(tab):
    rows = _row_for(tab, "다섯해마을")
    assert rows, tab.due_rows()
    assert rows[0][0] == "D-49"
    assert "5년 한도" in rows[0][3]
    assert "2022. 1. 19." in rows[0][3]


def test_team_awaiting_twenty_percent_payment(tab):
    rows = _row_for(tab, "이십퍼센트팀")
    assert len(rows) == 1
    assert rows[0][1] == "2차 지급 대기" and "20%" in rows[0][3]
    assert not _row_for(tab, "포기팀")


def test_items_are_sorted_by_date(tab):
    dates = [item.due_on for item in tab.data.due]
    assert dates == sorted(dates)


def test_activating_an_item_emits_open_record(qtbot, tab, records):
    tree = tab.due_tree
    index = next(i for i in range(tree.topLevelItemCount())
                 if "㈜곧끝남" in tree.topLevelItem(i).text(2))
    tree.setCurrentItem(tree.topLevelItem(index))
    tree.setFocus()
    with qtbot.waitSignal(tab.open_record, timeout=2000) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args == ["tenancy", records["soon"]]
    team_row = next(i for i in range(tree.topLevelItemCount())
                    if "이십퍼센트팀" in tree.topLevelItem(i).text(2))
    with qtbot.waitSignal(tab.open_record, timeout=2000) as blocker:
        tree.itemActivated.emit(tree.topLevelItem(team_row), 0)
    assert blocker.args == ["startup_team", records["team"]]


def test_figures_show_this_year_beside_last_year(tab):
    rows = {label: (last, this) for label, last, this in tab.figure_rows()}
    assert rows["판로 행사"] == ("1회", "2회")
    assert rows["매출액"] == ("1,200천원", "2,500천원")
    assert rows["사회보험료 금액"] == ("3백만원", "5.5백만원")
    assert rows["사회보험료 기업"] == ("1개사", "1개사")
    assert rows["선정 팀"] == ("0개팀", "1개팀")  # the withdrawn team is not counted
    header = [tab.figures.horizontalHeaderItem(c).text() for c in (2, 3)]
    assert header[0] == "2020년" and header[1].startswith("2021년")


def test_a_year_with_no_record_shows_blank_not_a_zero_nobody_entered(tab):
    rows = {label: (last, this) for label, last, this in tab.figure_rows()}
    # no 아카데미, 컨설팅 or 우선구매 record in either year (the demo has none for 2020 either)
    assert rows["교육 회수"] == ("", "") and rows["교육 인원"] == ("", "")
    assert rows["컨설팅 회수"] == ("", "") and rows["우선구매액"] == ("", "")


def test_chart_has_a_bar_per_year(tab):
    bars = tab.data.bars
    assert [b.year for b in bars] == [2020, 2021]
    assert [b.label for b in bars] == ["2020년", "2021년*"]  # this year is not over
    assert tab.chart_note.text() == "* 2021년은 12. 1.까지"
    assert [b.sales for b in bars] == [1_200_000, 2_500_000]
    assert [b.finance for b in bars] == [3_000_000, 5_500_000]
    series = tab._chart_view.chart().series()[0]
    assert [series.barSets()[0].at(i) for i in range(2)] == [1.2, 2.5]


def test_warn_days_setting_widens_the_window(qtbot, db, tab):
    from db.settings import load_settings, store_settings

    with db.session() as s:
        settings = load_settings(s)
        settings.warn_days = 250
        store_settings(s, settings)
        s.commit()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    assert _row_for(tab, "나중협동조합", "계약 만료")


def test_empty_database_says_nothing_is_due(qtbot, db):
    from gui.dashboard import DashboardTab

    w = DashboardTab(db, today=TODAY)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.refresh()
    assert w.due_rows() == []
    assert "없습니다" in w.due_empty.text()
    assert not w.chart_empty.isHidden()


def test_loads_when_shown_and_reloads_after_a_save(qtbot, db):
    from db import service
    from gui.dashboard import DashboardTab

    w = DashboardTab(db, today=TODAY)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.show()  # the first tab loads itself when the window shows it
    assert w.due_rows() == []
    expiring = Organization(name="만료예정협동조합", kind="협동조합",
                            designated_on=dt.date(2019, 1, 1),
                            expires_on=TODAY + dt.timedelta(days=10))
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        saved = service.save(db, expiring)  # the one write path announces the change
    rows = _row_for(w, "만료예정협동조합", "지정 만료")
    assert rows and rows[0][0] == "D-10"
    assert w.data.due[0].table == "organization" and w.data.due[0].record_id == saved.id
