"""The roster, the yearly tables and the progress report as HWPX, drawn from the same layer
as exports/pdf_docs.py and exports/report.py (ReportTables and the report's Body lines)."""

from __future__ import annotations

import datetime as dt

from db import formats as f
from db.periods import Period

from . import report_lines as lines
from .assemble import pledge_name
from .owpml import HP, TABLE_FONT, TEXT_FONT, HwpxWriter, Shapes, tables_document
from .report import ReportData, boxed_tables, report_title, sections
from .report_lines import Body
from .table_model import Cell, ReportTable, head, split_rows

FIRST_MM, NOTE_MM = 33.0, 16.0  # the report table's 구 분 and 비고 columns, as in the PDF
INDENT_MM = 3.5  # per level of ○ – · lines
CELL_PAD_MM = 4.0  # a nested table is narrower than its cell by the cell's padding


def printed_footer(title: str, printed: dt.date | None = None) -> str:
    """The PDF's footer text: '출력일 2021. 12. 31.   <title>'."""
    printed = printed or dt.date.today()
    return f"출력일 {f.report_date(printed, weekday=False)}   {title}"


def roster_writer(title: str, as_of: dt.date, tables: list[ReportTable]) -> HwpxWriter:
    """입주공간 현황: A4 landscape, one table per provider, header rows repeated."""
    day = f.report_date(as_of, weekday=False)
    footer = printed_footer(f"입주공간 현황 ({day} 기준)")
    return tables_document(HwpxWriter(landscape=True, footer=footer), title, f"기준일: {day}",
                           tables, empty="기준일 현재 등록된 입주공간이 없습니다.")


def tables_writer(office: str, first: Period, last: Period,
                  tables: list[ReportTable]) -> HwpxWriter:
    """The yearly tables alone, A4 landscape (the title block of the PDF)."""
    title = f"{office} 사회적경제 지원사업 연도별 실적"
    cols = f"{first.label} ~ {last.label}" if first != last else first.label
    return tables_document(HwpxWriter(landscape=True, footer=printed_footer(title)), title,
                           f"기간: {cols}", tables)


def body_into_cell(w: Shapes, cell: object, body: Body, width_mm: float) -> None:
    """A section's lines (■ ○ – · ※ ☞, indented by level) and sub-tables, in one cell."""
    first = True
    for kind, value, level, bold in body.items:
        if kind == "table":
            for piece in split_rows(value):  # the PDF's pieces: none taller than a page
                w.nested_table(cell, piece, width_mm - CELL_PAD_MM)
            first = False
            continue
        w.cell_paragraphs(cell, value, size=10, bold=bold, indent_mm=level * INDENT_MM,
                          font=TEXT_FONT, replace=first)
        first = False
    if first:  # a period with nothing recorded is left blank, as the PDF leaves it
        w.cell_paragraphs(cell, "", size=10, replace=True)


def main_table(w: HwpxWriter, sections: list[tuple[str, Body]]) -> None:
    """구 분 · 추진실적 및 추진계획 · 비고: one row per period, header repeated on each page."""
    mid = w.width_mm - FIRST_MM - NOTE_MM
    frame = ReportTable(
        "", "", [[head("구 분"), head("추진실적 및 추진계획"), head("비고")]],
        [[Cell(label, "head"), Cell(), Cell()] for label, _body in sections],
        [FIRST_MM, mid, NOTE_MM])
    tbl = w.grid(frame, w.width_mm)
    for (_label, body), tr in zip(sections, tbl.findall(f"{HP}tr")[1:], strict=False):
        cells = tr.findall(f"{HP}tc")
        for tc in cells:
            tc.find(f"{HP}subList").set("vertAlign", "TOP")
        body_into_cell(w, cells[1], body, mid)
    w.place(tbl, flowing=True)


def report_writer(data: ReportData) -> HwpxWriter:
    """공약 이행 실적 laid out as exports/report.py lays out the PDF, A4 portrait."""
    s = data.settings
    w = HwpxWriter(footer=printed_footer(report_title(data)))
    w.paragraph(pledge_name(s), size=15, bold=True, align="center", font=TABLE_FONT)
    w.paragraph(f"{s.report_title} ({data.period_label})", size=11, align="center")
    if data.running:
        w.paragraph(f"{f.report_date(data.as_of, weekday=False)} 기준", size=10, align="right")
    w.paragraph(s.display_office, size=10, align="right")
    main_table(w, sections(data))
    for heading, table in boxed_tables(data):
        w.paragraph(heading, size=11, bold=True, before_pt=10, font=TABLE_FONT)
        w.table(table, title=False)
    w.paragraph("□ 문제점 및 개선대책", size=11, bold=True, before_pt=10, font=TABLE_FONT)
    for _kind, value, level, bold in lines.problems_body(data.problems).items:
        w.paragraph(value, size=10, bold=bold, indent_mm=level * 4.0, before_pt=1)
    return w
