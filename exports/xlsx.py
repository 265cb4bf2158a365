"""Excel renderer: report tables and data sheets, streamed with XlsxWriter's constant memory.

XlsxWriter writes each row to a temporary file as soon as the next one starts, so a
million-record workbook keeps one row in memory; it is about twice as fast as openpyxl's
write-only mode with the same cells (docs/facts.md, bench/bench_exports.py). openpyxl stays the
reader (db/importer). Rows must be written top to bottom: a table sheet writes every
position of a row (covered cells as styled blanks) before the next, and records merges as
it goes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from db.safe_text import EXCEL_MAX, FORMULA_LEADS, excel_text, looks_like_formula

from .table_model import (
    CARRIED_COMMENT,
    Cell,
    ReportTable,
    alignment,
    cell_number,
    cell_text,
    explode,
    is_bold,
    number_format,
    parts,
)

FONT_NAME = "맑은 고딕"  # the Korean Windows default; Excel substitutes elsewhere
HEAD_FILL, TOTAL_FILL, WARN_FILL = "#D9D9D9", "#F2F2F2", "#FFF2CC"
LINE_HEIGHT = 13.5  # points per text line at 10 pt
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
FOOTER = "&C&P / &N"  # "n / N" on every printed page
_TEXT_SAFE_MAX = 32_000


class Book:
    """An XlsxWriter workbook in constant-memory mode, with its cached cell formats."""

    def __init__(self, path: Path | str) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        })
        self._formats: dict[tuple, Any] = {}
        self.closed = False

    def fmt(self, **props: Any) -> Any:
        """A Format with these properties (one object per distinct set), in our font."""
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.wb.add_format(
                {"font_name": FONT_NAME, "font_size": 10, **props})
        return found

    def sheet(self, name: str) -> Worksheet:
        return self.wb.add_worksheet(name[:31])

    def save(self) -> None:
        self.wb.close()
        self.closed = True


def new_workbook(path: Path | str) -> Book:
    return Book(path)


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


def write_text(ws: Worksheet, r: int, c: int, text: str, fmt: Any, book: Book) -> None:
    """Text as text: cleaned, cut with a mark, never a formula or an error value.

    XlsxWriter's write_string never reads '=', '#N/A' or '+1' as anything but text; text
    Excel would take for a formula when retyped also gets the quote prefix (shown as typed).
    """
    safe = excel_text(text)
    if looks_like_formula(safe):
        fmt = book.fmt(**{**_props(fmt), "quote_prefix": True})
    ws.write_string(r, c, safe, fmt)


def _props(fmt: Any) -> dict:
    """The properties a cached Format was made with (to derive a variant)."""
    return dict(getattr(fmt, "_dure_props", ()))


def _cell_format(book: Book, cell: Cell | None, part: str, numfmt: str | None) -> Any:
    shown = cell or Cell()
    props: dict[str, Any] = {
        "border": 1, "valign": "vcenter", "text_wrap": True,
        "align": "center" if part == "head" else alignment(shown),
        "bold": is_bold(cell, part),
    }
    fill = HEAD_FILL if part == "head" else WARN_FILL if shown.highlight else (
        TOTAL_FILL if part == "total" else None)
    if fill:
        props.update(pattern=1, bg_color=fill)
    if numfmt:
        props["num_format"] = numfmt
    return _tagged(book, props)


def _tagged(book: Book, props: dict) -> Any:
    f = book.fmt(**props)
    f._dure_props = tuple(sorted(props.items()))
    return f


def _merged_line(book: Book, ws: Worksheet, r: int, ncols: int, text: str, props: dict) -> None:
    fmt = _tagged(book, {"valign": "vcenter", "text_wrap": True, **props})
    if ncols > 1:
        ws.merge_range(r, 0, r, ncols - 1, "", fmt)  # one row: safe in constant memory
    write_text(ws, r, 0, text, fmt, book)


def _print_setup(ws: Worksheet, landscape: bool, header: str) -> None:
    """A4, fit to one page wide (any number tall), narrow margins, centred, n / N footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    # "1" as text: XlsxWriter leaves out a fitToWidth of 1 (Excel's default), and readers
    # such as openpyxl then report no fit width at all; written out, every reader sees 1.
    ws.fit_to_pages("1", 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("&C" + header.replace("&", "&&")[:200])
    ws.set_footer(FOOTER)


def write_table_sheet(book: Book, table: ReportTable) -> None:
    """One report table on its own sheet, laid out for handing on and for A4 printing.

    Pair and rent columns become number columns (table_model.explode): figures a clerk
    can sum, in the same #,##0 formats.
    """
    table = explode(table)
    ws = book.sheet(table.sheet_name)
    n = table.ncols
    for i, w in enumerate(table.widths):
        ws.set_column(i, i, w)
    _print_setup(ws, table.landscape or sum(table.widths) > 100, table.title or table.sheet_name)
    r = 0
    ws.set_row(r, 26)
    _merged_line(book, ws, r, n, table.title, {"bold": True, "font_size": 14, "align": "center"})
    r += 1
    for line in table.intro:  # the provider's policy lines, as typed in the settings
        _merged_line(book, ws, r, n, line, {"font_size": 9, "align": "left"})
        r += 1
    _merged_line(book, ws, r, n, table.unit_line or "", {"font_size": 9, "align": "right"})
    r += 1
    head_first = r
    ws.freeze_panes(head_first + len(table.header_rows), 0)
    for row, part in zip(table.rows, parts(table), strict=True):
        ws.set_row(r, _row_height(table, row))
        for c, cell in enumerate(row):
            _write_table_cell(book, ws, r, c, cell, part)
            if cell is not None and cell.colspan > 1 and cell.rowspan == 1:
                ws.merge.append([r, c, r, c + cell.colspan - 1])
            elif cell is not None and cell.rowspan > 1:
                # Covered rows come later; their styled blanks are written in turn and the
                # range recorded now (merge_range would write ahead of the current row).
                ws.merge.append([r, c, r + cell.rowspan - 1, c + cell.colspan - 1])
        r += 1
    if table.header_rows:
        ws.repeat_rows(head_first, head_first + len(table.header_rows) - 1)
    for note in [*table.notes, *([table.legend] if table.legend else [])]:
        ws.set_row(r, max(16.0, _lines(note, sum(table.widths)) * LINE_HEIGHT))
        _merged_line(book, ws, r, n, note, {"font_size": 9, "align": "left"})
        r += 1


def _write_table_cell(book: Book, ws: Worksheet, r: int, c: int, cell: Cell | None,
                      part: str) -> None:
    if cell is None:  # covered by a merge: styled, empty
        ws.write_blank(r, c, None, _cell_format(book, cell, part, None))
        return
    number = cell_number(cell)
    if number is not None:
        ws.write_number(r, c, number, _cell_format(book, cell, part, number_format(cell)))
    elif cell.value is None:
        ws.write_blank(r, c, None, _cell_format(book, cell, part, None))
    else:
        write_text(ws, r, c, cell_text(cell), _cell_format(book, cell, part, None), book)
    if cell.carried:
        ws.write_comment(r, c, CARRIED_COMMENT, {"author": "두레"})


def _writer(book: Book, ws: Worksheet, kind: str) -> Callable[[int, int, Any], Any]:
    """The cell writer of one data-sheet column kind (chosen once per column, not per cell)."""
    money = book.fmt(num_format=MONEY_FORMAT)
    date = book.fmt(num_format=DATE_FORMAT)
    write_string, write_number = ws.write_string, ws.write_number

    def text(r: int, c: int, v: Any) -> Any:
        if isinstance(v, str):
            if len(v) < _TEXT_SAFE_MAX and v.isprintable() and not v.startswith(FORMULA_LEADS):
                return write_string(r, c, v)
            return write_text(ws, r, c, v, None, book)
        return value(r, c, v)

    def value(r: int, c: int, v: Any) -> Any:
        if isinstance(v, bool):
            return write_string(r, c, "예" if v else "아니오")
        if isinstance(v, int | float):
            return write_number(r, c, v, money if kind == "money" else None)
        if isinstance(v, dt.datetime):
            return write_string(r, c, v.isoformat(sep=" ", timespec="seconds"))
        if isinstance(v, dt.date):
            return ws.write_datetime(r, c, v, date)
        if isinstance(v, dt.time):
            return write_string(r, c, v.strftime("%H:%M"))
        return text(r, c, str(v))

    if kind == "money":
        return lambda r, c, v: write_number(r, c, v, money) if type(v) is int else value(r, c, v)
    if kind in ("int", "id", "fk", "float"):
        return lambda r, c, v: write_number(r, c, v) if type(v) in (int, float) else value(r, c, v)
    if kind == "date":
        return lambda r, c, v: ws.write_datetime(r, c, v, date) if type(v) is dt.date \
            else value(r, c, v)
    return text


def write_data_sheet(book: Book, title: str, labels: list[str], kinds: list[str],
                     rows: Iterable[list[Any]],
                     tick: Callable[[int], None] | None = None) -> int:
    """A plain data sheet: bold header of column labels, one row per record; returns rows."""
    ws = book.sheet(title)
    for i, label in enumerate(labels):
        width = 24 if kinds[i] in ("text", "image") else 12
        ws.set_column(i, i, max(width, _text_width(label) + 2))
    ws.freeze_panes(1, 1)
    _print_setup(ws, True, title)
    ws.repeat_rows(0)
    head = _tagged(book, {"bold": True, "border": 1, "pattern": 1, "bg_color": HEAD_FILL})
    for c, label in enumerate(labels):
        write_text(ws, 0, c, label, head, book)
    writers = [_writer(book, ws, k) for k in kinds]
    count = 0
    r = 1
    for values in rows:
        for c, v in enumerate(values):
            if v is not None:
                writers[c](r, c, v)
        r += 1
        count += 1
        if tick is not None and count % 5000 == 0:
            tick(count)
    return count


def save_tables(tables: list[ReportTable], path: Any) -> None:
    """A workbook holding only report tables (the roster as .xlsx)."""
    book = Book(path)
    try:
        for table in tables:
            write_table_sheet(book, table)
        book.save()
    except BaseException:
        discard(book)
        raise


def discard(book: Book) -> None:
    """Drop an unsaved workbook: close the temporary row files XlsxWriter holds open."""
    if book.closed:
        return
    for ws in book.wb.worksheets():
        fh = getattr(ws, "row_data_fh", None)
        if fh is not None:
            with contextlib.suppress(Exception):
                fh.close()
    book.closed = True


__all__ = ["EXCEL_MAX", "Book", "discard", "new_workbook", "save_tables", "write_data_sheet",
           "write_table_sheet", "write_text"]
