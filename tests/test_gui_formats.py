"""Issue 10.1 formats on the real widgets: months as 2018. 12. in lists and forms, values
nobody entered blank (not 0) and saved as they were, the same formats in 변경 이력."""

from __future__ import annotations

import datetime as dt

import pytest

from db import models as m
from db import service
from db.errors import DureError
from gui.widgets.inputs import parse_month
from tests.gui_helpers import area_page, make_window, type_into


def cell(page, row: int, key: str) -> str:
    col = next(i for i, f in enumerate(page.model.fields) if f.key == key)
    return page.model.index(row, col).data()


def row_of(page, ident: int) -> int:
    return page.model.row_of(ident)


@pytest.fixture
def spaces(db):
    lh = service.save(db, m.Space(provider="LH", site="행신2지구 4단지", area_m2=154,
                                  agreement_on=dt.date(2018, 12, 1),
                                  expected_move_in=dt.date(2022, 3, 15)))
    blank = service.save(db, m.Space(provider="코레일", site="백마역 1번출구"))
    return lh.id, blank.id


def test_months_show_as_the_roster_writes_them_in_list_and_form(qtbot, db, spaces):
    lh, _blank = spaces
    page = area_page(make_window(qtbot, db), "space")
    r = row_of(page, lh)
    assert cell(page, r, "agreement_on") == "2018. 12."
    assert cell(page, r, "expected_move_in") == "2022. 3."
    page.view.selectRow(r)
    assert page.form.editors["agreement_on"].text() == "2018. 12."
    assert page.form.editors["returned_on"].placeholderText() == "예) 2021.7.9"  # a day


def test_a_month_shown_keeps_its_stored_day_and_a_typed_month_is_read(qtbot, db, spaces):
    lh, _blank = spaces
    page = area_page(make_window(qtbot, db), "space")
    page.view.selectRow(row_of(page, lh))
    type_into(qtbot, page.form.editors["site"], "행신2지구 4단지 A")
    assert page.save()
    with db.session() as s:  # shown '2022. 3.', stored 15 March: the day is not lost
        assert s.get(m.Space, lh).expected_move_in == dt.date(2022, 3, 15)
    editor = page.form.editors["agreement_on"]
    type_into(qtbot, editor, "2019.6")
    assert editor.text() == "2019. 6."
    assert page.save()
    with db.session() as s:
        assert s.get(m.Space, lh).agreement_on == dt.date(2019, 6, 1)


def test_month_text_is_read_in_the_forms_the_clerk_writes_it():
    for text in ("2018. 12.", "2018.12", "2018-12", "18.12", "2018년 12월", "2018/12"):
        assert parse_month(text, "협약일") == dt.date(2018, 12, 1), text
    assert parse_month("2018.12.15", "협약일") == dt.date(2018, 12, 15)
    with pytest.raises(DureError, match="협약일 '2018.13'은 달력에 없는 달입니다"):
        parse_month("2018.13", "협약일")
    with pytest.raises(DureError, match="알아볼 수 없습니다"):
        parse_month("12월쯤", "협약일")


def test_a_row_marked_month_only_shows_its_date_as_a_month(qtbot, db):
    month = service.save(db, m.SpaceMilestone(provider="LH", happened_on=dt.date(2019, 9, 1),
                                              month_only=True, text="공사"))
    day = service.save(db, m.SpaceMilestone(provider="LH", happened_on=dt.date(2019, 9, 12),
                                            month_only=False, text="협약"))
    page = area_page(make_window(qtbot, db), "space", 3)
    assert cell(page, row_of(page, month.id), "happened_on") == "2019. 9."
    assert cell(page, row_of(page, day.id), "happened_on") == "2019.09.12"
    page.view.selectRow(row_of(page, day.id))
    editor = page.form.editors["happened_on"]
    assert editor.text() == "2019.09.12"
    page.form.editors["month_only"].setChecked(True)  # ticking 월 단위 shows the month
    assert editor.text() == "2019. 9."
    assert page.form.editors["happened_on"].value() == dt.date(2019, 9, 12)
    page.cancel_edits()

    from gui.history_panel import HistoryDialog

    page.view.selectRow(row_of(page, month.id))
    type_into(qtbot, page.form.editors["happened_on"], "2019.10")
    assert page.save()
    dialog = HistoryDialog(db, "space_milestone", month.id, spec=page.spec)
    qtbot.addWidget(dialog)
    t = dialog.table
    assert [t.item(0, c).text() for c in (3, 4, 5)] == ["일자", "2019. 9.", "2019. 10."]


def test_values_nobody_entered_are_blank_in_list_form_and_totals(qtbot, db, spaces):
    lh, blank = spaces
    page = area_page(make_window(qtbot, db), "space")
    r = row_of(page, blank)
    assert cell(page, r, "area_m2") == "" and cell(page, r, "sort_order") == ""
    assert cell(page, row_of(page, lh), "area_m2") == "154.00"
    page.view.selectRow(r)
    assert page.form.editors["area_m2"].text() == ""
    type_into(qtbot, page.form.editors["site"], "백마역 2번출구")
    assert page.save()  # blank saves the column's 0, not NULL
    with db.session() as s:
        assert s.get(m.Space, blank).area_m2 == 0
    page.new_record()
    assert page.form.editors["sort_order"].text() == ""

    cohort = service.save(db, m.StartupCohort(year=2021, title="창업"))
    page = area_page(make_window(qtbot, db), "startup")
    totals = page.totals_row.totals
    column = next(i for i, f in enumerate(page.model.fields) if f.key == "fund_per_team")
    assert cohort.fund_per_team == 0
    assert totals.text(column) == ""  # nothing entered in the rows shown: blank, not 0


def test_history_shows_dates_numbers_and_months_as_the_form_does(qtbot, db, spaces):
    from gui.history_panel import HistoryDialog

    lh, _blank = spaces
    page = area_page(make_window(qtbot, db), "space")
    page.view.selectRow(row_of(page, lh))
    type_into(qtbot, page.form.editors["area_m2"], "1234.5")
    type_into(qtbot, page.form.editors["agreement_on"], "2019.6")
    assert page.save()
    dialog = HistoryDialog(db, "space", lh, spec=page.spec)
    qtbot.addWidget(dialog)
    t = dialog.table
    rows = {t.item(r, 3).text(): (t.item(r, 4).text(), t.item(r, 5).text())
            for r in range(t.rowCount()) if t.item(r, 2).text() == "수정"}
    assert rows["면적"] == ("154.00", "1,234.50")
    assert rows["협약일"] == ("2018. 12.", "2019. 6.")
    assert t.item(0, 0).text()[:10] == dt.date.today().strftime("%Y.%m.%d")

    org = service.save(db, m.Organization(name="가나다", kind="기타",
                                          designated_on=dt.date(2019, 1, 2)))
    with db.session() as s:
        obj = s.get(m.Organization, org.id)
    obj.designated_on = dt.date(2020, 3, 4)
    service.save(db, obj)
    dialog = HistoryDialog(db, "organization", org.id)  # without a spec: the columns' kinds
    qtbot.addWidget(dialog)
    t = dialog.table
    assert [t.item(0, c).text() for c in (3, 4, 5)] == ["지정·인증일", "2019.01.02", "2020.03.04"]
