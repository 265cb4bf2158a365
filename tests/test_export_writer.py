"""The writers themselves: XlsxWriter output read back, error-like text, print furniture,
and what a PDF export loads (no openpyxl; fonts read once per process)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from exports import fonts
from exports.table_model import Cell, ReportTable, head, spread
from exports.xlsx import Book, save_tables, write_data_sheet

ROOT = Path(__file__).resolve().parents[1]
ERRORS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]


def test_error_like_text_is_written_as_text(tmp_path):
    table = ReportTable("오류값", "오류값", [spread(*[head(e) for e in ERRORS])],
                        [spread(*[Cell(e) for e in ERRORS])], [10.0] * len(ERRORS))
    save_tables([table], tmp_path / "t.xlsx")
    out = tmp_path / "d.xlsx"
    book = Book(out)
    write_data_sheet(book, "목록", ["가"] * len(ERRORS), ["text"] * len(ERRORS), [ERRORS])
    book.save()
    for path, row in ((tmp_path / "t.xlsx", 4), (out, 2)):
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any('t="e"' in x for x in sheets)  # no Excel error value anywhere
        ws = load_workbook(path).worksheets[0]
        cells = list(ws[row])
        assert [c.value for c in cells] == ERRORS
        assert all(c.data_type == "s" for c in cells)


def test_every_sheet_prints_with_a_header_and_n_of_n_footer(demo_files):
    from db.periods import Period
    from exports import api

    database, folder = demo_files
    out = api.export_workbook(database, Period.parse("2021"), Period.parse("2021H1"),
                              folder / "머리글.xlsx")
    wb = load_workbook(out)
    assert len(wb.worksheets) > 30
    for ws in wb.worksheets:
        assert ws.oddFooter.center.text == "&P / &N", ws.title
        assert ws.oddHeader.center.text, ws.title
        assert ws.page_setup.paperSize in (9, "9") and ws.sheet_properties.pageSetUpPr.fitToPage


def test_pdf_exports_load_no_openpyxl_and_read_the_fonts_once(demo_files, tmp_path):
    database, _folder = demo_files
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
import datetime as dt
from pathlib import Path
from reportlab.pdfbase import ttfonts
made = []
real = ttfonts.TTFont.__init__
def counting(self, *a, **k):
    made.append(a[0])
    real(self, *a, **k)
ttfonts.TTFont.__init__ = counting
from db.periods import Period
from db.session import open_database
from exports import api, fonts
fonts.register_in_background().join()
d = open_database({str(database.path)!r}, read_only=True)
out = Path({str(tmp_path)!r})
api.export_roster(d, dt.date(2021, 12, 31), out / "r.pdf")
api.export_report(d, Period.parse("2021H2"), out / "b.pdf")
api.export_tables(d, Period.parse("2021"), Period.parse("2021H1"), out / "t.pdf")
print(json.dumps({{"openpyxl": "openpyxl" in sys.modules,
                  "xlsxwriter": "xlsxwriter" in sys.modules, "fonts": made}}))
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["openpyxl"] is False and got["xlsxwriter"] is False
    assert sorted(got["fonts"]) == ["NanumGothic", "NanumGothicBold"]  # each face read once


def test_fonts_register_once_from_two_threads(monkeypatch):
    from reportlab.pdfbase import ttfonts

    made = []
    real = ttfonts.TTFont.__init__

    def counting(self, *a, **k):
        made.append(a[0])
        real(self, *a, **k)

    monkeypatch.setattr(fonts, "_registered", False)
    monkeypatch.setattr(ttfonts.TTFont, "__init__", counting)
    background = fonts.register_in_background()
    other = threading.Thread(target=fonts.register_fonts)
    other.start()
    fonts.register_fonts()
    background.join()
    other.join()
    assert sorted(made) == ["NanumGothic", "NanumGothicBold"]


def test_rates_and_rents_are_numbers_in_a_sheet_and_text_in_print(tmp_path):
    from exports.table_model import cell_text, explode

    rate = Cell(4.5, "percent")
    assert cell_text(rate) == "4.5%"
    rents = Cell(((1, 5_665_000), (2, 5_732_000)), "rents", note="공간 반납")
    assert cell_text(rents) == "1년차 : 5,665천원\n2년차 : 5,732천원\n공간 반납"
    table = ReportTable("표", "표", [spread(head("구매율"), head("임대료"))],
                        [spread(rate, rents)], [10.0, 20.0])
    assert explode(table).ncols == 4  # 구매율 | 1년차 | 2년차 | 비고
    save_tables([table], tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["표"]
    assert [c.value for c in ws[4]] == [None, "1년차", "2년차", "비고"]
    row = list(ws[5])
    assert [c.value for c in row] == [4.5, 5665, 5732, "공간 반납"]
    assert row[0].number_format == '0.00"%"' and row[1].number_format == '#,##0"천원"'


def test_data_sheets_show_codes_by_label_and_money_as_numbers(demo_files):
    from db.models.choices import AREA_LABELS
    from db.periods import Period
    from exports import api

    database, folder = demo_files
    out = api.export_workbook(database, Period.parse("2021"), Period.parse("2021H2"),
                              folder / "라벨.xlsx")
    wb = load_workbook(out)
    sheets = [s for s in wb.worksheets if any(c.value == "분야" for c in s[1])]
    assert sheets
    for ws in sheets:
        at = [c.value for c in ws[1]].index("분야")
        shown = {r[at] for r in ws.iter_rows(min_row=2, values_only=True)} - {None}
        assert shown and shown <= set(AREA_LABELS.values()), (ws.title, shown)
    money = [c for s in wb.worksheets for c in s[2] if c.number_format == "#,##0"]
    assert money and all(isinstance(c.value, int) for c in money)
