"""The desk as an Excel clerk uses it: paste blocks from Excel, Ctrl+C with headers, typing
into a cell replaces its value."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gui.widgets.clipboard import parse_tsv, to_tsv
from tests.gui_helpers import area_page, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture

# What Excel puts on the clipboard for three rows of 날짜 / 시작 시각 / 종료 시각
EXCEL_ROWS = "2022.04.20\t10:00\t12:00\r\n2022.04.27\t14:00\t17:00\r\n2022.5.4\t9:30\t11:30\r\n"


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=1000)


def test_excel_text_round_trip_keeps_tabs_quotes_and_line_breaks():
    rows = [["이름", "메모"], ["㈜마을숲", '두 줄\n"인용"'], ["a\tb", ""]]
    text = to_tsv(rows)
    assert text == '이름\t메모\r\n㈜마을숲\t"두 줄\n""인용"""\r\n"a\tb"\t\r\n'
    assert parse_tsv(text) == rows


def test_pasting_three_excel_rows_into_education_dates_makes_three_rows(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    assert dates.rows == []
    QGuiApplication.clipboard().setText(EXCEL_ROWS)
    _focus(qtbot, dates.table)
    qtbot.keyClick(dates.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(dates.rows) == 3
    objs, problems = dates.build()
    assert problems == []
    assert [(o.day, o.start_time, o.end_time) for o in objs] == [
        (dt.date(2022, 4, 20), dt.time(10), dt.time(12)),
        (dt.date(2022, 4, 27), dt.time(14), dt.time(17)),
        (dt.date(2022, 5, 4), dt.time(9, 30), dt.time(11, 30))]
    assert dates.rows[2][1]["day"].text() == "2022.05.04"  # shown as understood
    assert page.form.dirty


def test_a_bad_pasted_cell_is_named_by_row_and_column(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    QGuiApplication.clipboard().setText("2022.04.20\t10:00\r\n2022.13.40\t14:00\r\n")
    _focus(qtbot, dates.table)
    qtbot.keyClick(dates.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(dates.rows) == 2
    page.form.revalidate_now()
    text = dates.messages.text()
    assert "2행" in text and "날짜 '2022.13.40'" in text and "1행" not in text
    assert not page.save_button.isEnabled()


def test_paste_from_a_cell_fills_from_there_and_adds_rows(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    qtbot.mouseClick(dates.add_button, Qt.MouseButton.LeftButton)
    dates.rows[0][1]["day"].set_value(dt.date(2022, 12, 10))
    start = dates.rows[0][1]["start_time"]
    QGuiApplication.clipboard().setText("10:00\t12:00\r\n13:00\t15:00\r\n")
    _focus(qtbot, start)
    qtbot.keyClick(start, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(dates.rows) == 2
    assert [dates.rows[r][1][k].text() for r in (0, 1) for k in ("day", "start_time", "end_time")
            ] == ["2022.12.10", "10:00", "12:00", "", "13:00", "15:00"]


def test_typing_into_a_selected_cell_replaces_its_value(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    qtbot.mouseClick(dates.add_button, Qt.MouseButton.LeftButton)
    day = dates.rows[0][1]["day"]
    day.set_value(dt.date(2022, 12, 10))
    _focus(qtbot, page.search)  # the clerk was elsewhere
    qtbot.mouseClick(day, Qt.MouseButton.LeftButton)  # the click that selects the cell
    qtbot.waitUntil(day.hasFocus, timeout=1000)
    qtbot.keyClicks(day, "2022.04.20")
    assert day.text() == "2022.04.20"  # not "2022.12.102022.04.20"
    qtbot.mouseClick(day, Qt.MouseButton.LeftButton)  # a second click edits inside
    qtbot.keyClick(day, Qt.Key.Key_End)
    qtbot.keyClicks(day, "1")
    assert day.text() == "2022.04.201"
    # a single value pasted into a cell just entered replaces it too
    _focus(qtbot, page.search)
    QGuiApplication.clipboard().setText("2022.05.01")
    _focus(qtbot, day)
    qtbot.keyClick(day, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert day.text() == "2022.05.01"


def test_ctrl_c_on_two_sub_table_rows_gives_tab_separated_text(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    dates.paste_text(EXCEL_ROWS, (0, 0))
    _focus(qtbot, dates.table)
    sel = dates.table.selectionModel()
    sel.clearSelection()
    for r in (0, 2):  # rows 1 and 3, as clicked on the row numbers with Ctrl
        sel.select(dates.table.model().index(r, 0),
                   sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    qtbot.keyClick(dates.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "날짜\t시작 시각\t종료 시각\r\n2022.04.20\t10:00\t12:00\r\n2022.05.04\t09:30\t11:30\r\n")


def test_ctrl_c_on_two_list_rows_gives_headers_and_shown_text(qtbot, demo):
    page = area_page(make_window(qtbot, demo), "education")
    model = page.model
    assert model.rowCount() >= 2
    _focus(qtbot, page.view)
    sel = page.view.selectionModel()
    sel.clearSelection()
    flags = sel.SelectionFlag.Select | sel.SelectionFlag.Rows
    sel.select(model.index(0, 0), flags)
    sel.select(model.index(1, 0), flags)
    qtbot.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().split("\r\n")
    assert lines[0] == "\t".join(f.caption for f in model.fields)
    shown = [[model.index(r, c).data() for c in range(model.columnCount())] for r in (0, 1)]
    assert lines[1:] == ["\t".join(row) for row in shown] + [""]


def test_search_treats_corporate_marks_alike_and_finds_initial_consonants(qtbot, demo):
    page = area_page(make_window(qtbot, demo), "organization")
    model = page.model
    names = model.fields.index(next(f for f in model.fields if f.key == "name"))

    def found(text: str) -> list[str]:
        page.search.setText(text)
        return [model.index(r, names).data() for r in range(model.rowCount())]

    assert "㈜구민초" in found("(주)구민")
    assert "㈜구민초" in found("구민 주식회사")
    assert "(주)마을숲" in found("ㅁㅇㅅ")
    assert "㈜구민초" not in found("ㅁㅇㅅ")
    assert 0 < len(found("ㅁㅇㅅ")) < len(found(""))
    assert set(found("마을숲")) <= set(found("ㅁㅇㅅ"))


def test_rule_messages_under_a_sub_table_do_not_move_what_is_below(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    dates = page.form.children["dates"]
    dates.paste_text("2022.13.40\t10:00\r\n", (0, 0))
    page.form.revalidate_now()
    assert dates.messages.text()
    below = dates.mapTo(page.form, dates.rect().bottomLeft()).y()
    dates.rows[0][1]["day"].setText("2022.04.20")
    dates.paste_problems.clear()
    page.form.revalidate_now()
    qtbot.wait(10)
    assert dates.mapTo(page.form, dates.rect().bottomLeft()).y() == below
    assert "2022.13.40" not in dates.messages.text()
