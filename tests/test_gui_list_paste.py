"""Rows pasted from Excel into a list become new records, all or none, a bad cell named."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from db import models as m
from tests.gui_helpers import area_page, capture_warnings, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture


def _paste(qtbot, page, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    page.view.setFocus()
    qtbot.waitUntil(page.view.hasFocus, timeout=1000)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_pasted_rows_become_records_in_the_list(qtbot, db):
    page = area_page(make_window(qtbot, db), "education")
    _paste(qtbot, page, "기초과정\t사회적경제 이해\t\t\t대면\t2022.4.20\r\n"
                        "심화과정\t협동조합 회계\t\t\t온라인\t2022-05-04\r\n")
    with db.session() as s:
        got = [(e.course, e.title, e.mode, e.start_date)
               for e in s.scalars(select(m.Education).order_by(m.Education.id))]
    assert got == [("기초과정", "사회적경제 이해", "대면", dt.date(2022, 4, 20)),
                   ("심화과정", "협동조합 회계", "온라인", dt.date(2022, 5, 4))]
    assert page.model.rowCount() == 2


def test_a_bad_pasted_cell_is_named_and_nothing_is_saved(qtbot, db, monkeypatch):
    shown = capture_warnings(monkeypatch)
    page = area_page(make_window(qtbot, db), "education")
    _paste(qtbot, page, "기초과정\t사회적경제 이해\t\t\t대면\t2022.4.20\r\n"
                        "심화과정\t협동조합 회계\t\t\t편지\t2022.13.40\r\n")
    assert shown and "2행 '방식'" in shown[0] and "2행 '시작일'" in shown[0]
    assert "1행" not in shown[0]
    with db.session() as s:
        assert s.scalars(select(m.Education)).all() == []
