"""A 합계 adds up one unit: a column holding many units (이월 실적's 값) has no 합계 row."""

from __future__ import annotations

from gui.forms.governance import BUDGET_LINE, CARRIED
from gui.widgets.table_model import listing_of
from tests.gui_helpers import area_page, make_window


def test_a_column_of_many_units_is_not_summed_but_money_is():
    carried = {c.key: c for c in listing_of(CARRIED).columns}
    assert carried["value"].kind == "money" and carried["value"].unit == ""
    assert not carried["value"].summed  # 원 beside 개, 명 and 회
    budget = {c.key: c for c in listing_of(BUDGET_LINE).columns}
    assert budget["amount"].summed and budget["amount"].unit == "원"


def test_the_carried_figures_page_shows_no_total_and_the_budget_page_does(qtbot, demo):
    window = make_window(qtbot, demo)
    specs = window.area_tab("governance").specs
    carried = area_page(window, "governance", specs.index(CARRIED))
    assert carried.model.rowCount() > 1  # the demo's 이월 실적 mix 원 with counts
    assert carried.totals_row is None
    budget = area_page(window, "governance", specs.index(BUDGET_LINE))
    assert budget.totals_row is not None
    assert budget.totals_row.totals.values["amount"] > 0
