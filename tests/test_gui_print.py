"""인쇄 (Ctrl+P) of the current list, the roster and the report; 도움말's 사용 설명서."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from db import models as m
from db import service
from gui import pdf_preview
from tests.gui_helpers import area_page, key_text, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture


@pytest.fixture
def printed(monkeypatch):
    """The previews whose printer dialog was asked for (no modal dialog in tests)."""
    asked = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "print_dialog", lambda self: asked.append(self))
    return asked


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_ctrl_p_prints_the_list_as_shown(qtbot, db, printed):
    for name in ("마을숲", "마을빵집", "햇살공방"):
        service.save(db, m.Organization(name=name))
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    key_text(qtbot, page.search, "마을")
    [action] = [a for a in window.file_menu.print_actions if a.text().startswith("지금 목록")]
    assert action.shortcut().toString() == "Ctrl+P"
    action.trigger()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=5000)
    preview = printed[0]
    qtbot.addWidget(preview)
    assert preview.page_count() == 1
    text = pdf_text(preview.path)
    assert "기업 목록 (2건)" in text and "마을숲" in text and "마을빵집" in text
    assert "햇살공방" not in text
    assert "검색 ‘마을’" in text


def test_roster_and_report_print_from_the_menu(qtbot, demo, printed):
    window = make_window(qtbot, demo)
    for action in window.file_menu.print_actions[1:]:
        action.trigger()
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=20000)
    roster, report = printed
    for preview in printed:
        qtbot.addWidget(preview)
        assert preview.page_count() >= 1 and preview.error is None
    assert "입주공간" in pdf_text(roster.path)
    assert report.path.name.endswith("공약이행실적.pdf")


def test_help_opens_the_korean_manual_inside_the_app(qtbot, db):
    from db.paths import data_dir
    from gui.menus import open_help

    window = make_window(qtbot, db)
    assert window.help_action.shortcut().toString() == "F1"
    dialog = open_help(window)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for wanted in ("사용 설명서", "단축키", "Ctrl+S", "백업", "휴지통", str(data_dir()),
                   str(db.path)):
        assert wanted in text, wanted
