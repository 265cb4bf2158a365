"""Per-provider roster lines (임대료 / 입주기간): stored as settings, edited in 설정, printed
above each provider's table in the roster PDF and sheet, nothing by default."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from db import models as m
from db import service
from db.settings import roster_notes, store_roster_notes
from exports import api
from tests.export_fixtures import squash
from tests.gui_helpers import key_text

YEAR_END = dt.date(2021, 12, 31)
# The seed's lines above ① 철도역사 내 유휴공간 and ② LH 공동주택단지 내 사회적기업 공간.
KORAIL_RENT = "- 임대료 : 연납 임대료, 월납 공공요금 등 기업 부담"
KORAIL_RATE = "*코레일 기존 임대료를 대비 1/4 ~ 1/2 수준 임대료 책정"
LH_RENT = "- 임대료 : 임대료 없음, 월 관리비 기업부담"
TERM = "- 입주기간 : 최초 2년 계약, 1년 단위 심사를 통해 연장 가능(최대 5년)"


def test_demo_pdf_prints_each_providers_lines_between_title_and_table(demo_files):
    database, folder = demo_files
    out = api.export_roster(database, YEAR_END, folder / "r.pdf")
    text = squash("".join(p.extract_text() for p in PdfReader(str(out)).pages))
    korail = text.index(squash("철도역사 내 유휴공간"))
    lh = text.index(squash("LH 공동주택단지 내 사회적기업 공간"))
    for line in (KORAIL_RENT, KORAIL_RATE, TERM):
        at = text.index(squash(line), korail)
        assert korail < at < text.index(squash("장소(면적)"), korail) < lh
    at = text.index(squash(LH_RENT), lh)
    assert lh < at < text.index(squash(TERM), at) < text.index(squash("LH 입주단지"), lh)
    assert squash(LH_RENT) not in text[:lh]  # each provider prints its own text


def test_demo_sheet_has_the_lines_above_the_header(demo_files):
    database, folder = demo_files
    wb = load_workbook(api.export_roster(database, YEAR_END, folder / "r.xlsx"))
    ws = wb["입주공간 현황(LH)"]
    column_a = [ws.cell(row=r, column=1).value for r in range(1, 7)]
    assert column_a[1:3] == [LH_RENT, TERM]
    assert column_a[4] == "연번"  # header after the lines and the 기준 line
    assert ws.print_title_rows == "$5:$5" and ws.freeze_panes == "A6"


def test_nothing_printed_by_default(db, tmp_path):
    space = m.Space(provider="LH", site="행신2지구 4단지", area_m2=154, status="운영")
    service.save(db, space)
    with db.session() as s:
        assert roster_notes(s) == {}
    wb = load_workbook(api.export_roster(db, YEAR_END, tmp_path / "r.xlsx"))
    ws = wb["입주공간 현황(LH)"]
    assert ws["A3"].value == "연번" and ws.print_title_rows == "$3:$3"


def test_store_and_clear(db):
    with db.session() as s:
        store_roster_notes(s, {"LH": f"  {LH_RENT}\n", "코레일": ""})
        s.commit()
        assert roster_notes(s) == {"LH": LH_RENT}
        store_roster_notes(s, {"LH": "  "})
        s.commit()
        assert roster_notes(s) == {}
        assert s.get(m.Setting, "roster_note_LH") is None


def test_settings_dialog_edits_a_providers_lines(qtbot, db):
    from gui.settings_dialog import SettingsDialog

    d = SettingsDialog(db)
    qtbot.addWidget(d)
    edit = d.roster_notes["LH"]
    assert edit.toPlainText() == ""
    edit.setFocus()
    key_text(qtbot, edit, LH_RENT)
    ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(d.saved, timeout=2000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert roster_notes(s) == {"LH": LH_RENT}
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.roster_notes["LH"].toPlainText() == LH_RENT
    assert again.roster_notes["코레일"].toPlainText() == ""
