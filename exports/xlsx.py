"""Excel renderer: report tables and data sheets, streamed in openpyxl's write-only mode.

Write-only mode keeps a 100,000-record workbook near 80 MB (FACTS.md) and still supports
styles, merged cells, comments, frozen panes and print setup, so one mode serves both the
formatted report sheets and the plain data sheets.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from .safe_text import excel_text, looks_like_formula
from .table_model import (
    CARRIED_COMMENT,
    Cell,
    ReportTable,
    alignment,
    cell_number,
    cell_text,
    number_format,
)

FONT_NAME = "맑은 고딕"  # the Korean Windows default; Excel substitutes elsewhere
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9)
LINE_HEIGHT = 13.5  # points per text line at 10 pt


def text_cell(ws: Any, text: str) -> WriteOnlyCell:
    """A cell that holds `text` as text, never as a formula (FACTS.md: data_type then quote)."""
    safe = excel_text(text)
    cell = WriteOnlyCell(ws, value=safe)
    if looks_like_formula(safe) or cell.data_type != "s":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _value_cell(ws: Any, cell: Cell | None) -> WriteOnlyCell:
    """A styled cell for a table position (None = covered by a merge: styled, empty)."""
    if cell is None:
        return WriteOnlyCell(ws)
    number = cell_number(cell)
    if number is not None:
        out = WriteOnlyCell(ws, value=number)
        out.number_format = number_format(cell)
    else:
        out = text_cell(ws, cell_text(cell))
    if cell.carried:
        out.comment = Comment(CARRIED_COMMENT, "두레")
    return out


def _text_width(text: str) -> float:
    """Display width in Excel character units (Hangul and CJK are about two)."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column `width` characters wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in text.split("\n"))


def _row_height(table: ReportTable, row: list[Cell | None]) -> float:
    lines = 1
    for c, cell in enumerate(row):
        if cell is None or cell.rowspan > 1:
            continue
        width = sum(table.widths[c:c + cell.colspan])
        lines = max(lines, _lines(cell_text(cell), width))
    return max(18.0, lines * LINE_HEIGHT + 4)


def _merged_line(ws: Any, text: str, ncols: int, font: Font, align: str, row: int) -> list:
    cell = text_cell(ws, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if ncols > 1:
        ws.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=ncols, max_row=row))
    return [cell]


def write_table_sheet(wb: Workbook, table: ReportTable) -> None:
    """One report table on its own sheet, laid out for handing on and for A4 printing."""
    ws = wb.create_sheet(table.sheet_name[:31])
    n = table.ncols
    for i, w in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    # Write-only sheets emit their view (frozen panes) with the first row: set it first.
    ws.freeze_panes = f"A{3 + len(table.intro) + len(table.header_rows)}"
    _print_setup(ws, table.landscape or sum(table.widths) > 100)
    r = 1
    ws.row_dimensions[r].height = 26
    ws.append(_merged_line(ws, table.title, n, TITLE_FONT, "center", r))
    r += 1
    for line in table.intro:  # the provider's policy lines, as typed in the settings
        ws.append(_merged_line(ws, line, n, NOTE_FONT, "left", r))
        r += 1
    ws.append(_merged_line(ws, table.unit_line or "", n, NOTE_FONT, "right", r))
    r += 1
    head_first = r
    sections = [(table.header_rows, "head"), (table.body, "body"), (table.totals, "total")]
    for rows, part in sections:
        for row in rows:
            ws.row_dimensions[r].height = _row_height(table, row)
            out = []
            for c, cell in enumerate(row):
                x = _value_cell(ws, cell)
                x.border = BORDER
                shown = cell or Cell()
                bold = part != "body" or shown.bold or shown.kind == "head"
                x.font = BOLD_FONT if bold else BODY_FONT
                if part == "head":
                    x.fill = HEAD_FILL
                elif shown.highlight:
                    x.fill = WARN_FILL
                elif part == "total":
                    x.fill = TOTAL_FILL
                horiz = "center" if part == "head" else alignment(shown)
                x.alignment = Alignment(horizontal=horiz, vertical="center", wrap_text=True)
                if cell is not None and (cell.colspan > 1 or cell.rowspan > 1):
                    ws.merged_cells.add(CellRange(
                        min_col=c + 1, min_row=r, max_col=c + cell.colspan,
                        max_row=r + cell.rowspan - 1))
                out.append(x)
            ws.append(out)
            r += 1
    head_last = head_first + len(table.header_rows) - 1
    notes = list(table.notes) + ([table.legend] if table.legend else [])
    for note in notes:
        ws.row_dimensions[r].height = max(16.0, _lines(note, sum(table.widths)) * LINE_HEIGHT)
        ws.append(_merged_line(ws, note, n, NOTE_FONT, "left", r))
        r += 1
    ws.print_title_rows = f"{head_first}:{head_last}"


def _print_setup(ws: Any, landscape: bool) -> None:
    """A4, fit to one page wide (any number of pages tall), narrow margins, centred."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def write_data_sheet(wb: Workbook, title: str, labels: list[str], kinds: list[str],
                     rows: Iterable[list[Any]],
                     tick: Callable[[int], None] | None = None) -> int:
    """A plain data sheet: bold header of column labels, one row per record; returns rows."""
    ws = wb.create_sheet(title[:31])
    for i, label in enumerate(labels, start=1):
        width = 12 if kinds[i - 1] not in ("text",) else 24
        ws.column_dimensions[get_column_letter(i)].width = max(width, _text_width(label) + 2)
    ws.freeze_panes = "B2"
    _print_setup(ws, landscape=True)
    header = []
    for label in labels:
        c = text_cell(ws, label)
        c.font, c.fill, c.border = BOLD_FONT, HEAD_FILL, BORDER
        header.append(c)
    ws.append(header)
    ws.print_title_rows = "1:1"
    count = 0
    for values in rows:
        ws.append([_data_value(ws, v) for v in values])
        count += 1
        if tick is not None and count % 5000 == 0:
            tick(count)
    return count


def _data_value(ws: Any, value: Any) -> Any:
    """A data-sheet value: text forced to text, dates with a date format, others as they are."""
    if isinstance(value, str):
        if looks_like_formula(value) or len(value) > 32_000 or not value.isprintable():
            return text_cell(ws, value)
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def save_tables(tables: list[ReportTable], path: Any) -> None:
    """A workbook holding only report tables (the roster as .xlsx)."""
    wb = Workbook(write_only=True)
    try:
        for table in tables:
            write_table_sheet(wb, table)
        wb.save(path)
    except BaseException:
        discard(wb)
        raise


def discard(wb: Workbook) -> None:
    """Close and delete the temporary files of an unsaved write-only workbook."""
    import contextlib
    import os

    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()
        out = getattr(getattr(ws, "_writer", None), "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                os.remove(out)
