"""The table layer both renderers draw: cells with spans and kinds, and report tables.

A row is a list as long as the table is wide; a position covered by another cell's
colspan/rowspan holds None. Cells carry raw values (원, counts) and a kind; how a kind is
shown lives here once (`cell_text`, `cell_number`, `number_format`) so the PDF and the
workbook cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db import formats as f

CARRIED_MARK = "※"
CARRIED_COMMENT = "이월 실적(총계로만 관리된 값)"
NUMERIC_KINDS = ("count", "thousand", "million", "million0", "int", "float")


@dataclass(frozen=True)
class Cell:
    """One cell: a raw value and how to show it.

    kind: text | head (header or row label) | count (int + unit suffix) | int | float |
    thousand (원 shown in 천원) | million (원 shown in 백만원, one decimal where needed) |
    million0 (원 shown in whole 백만원) | pair (two 원 amounts
    "625 (577)" in 백만원) | area (㎡).
    """

    value: Any = None
    kind: str = "text"
    unit: str = ""
    colspan: int = 1
    rowspan: int = 1
    carried: bool = False
    highlight: bool = False
    bold: bool = False
    align: str | None = None  # left | center | right; default from the kind


Row = list[Cell | None]


@dataclass
class ReportTable:
    """A report table as the seed prints it, drawn by exports.xlsx and exports.pdf."""

    title: str
    sheet_name: str
    header_rows: list[Row]
    body: list[Row]
    widths: list[float]  # column widths in Excel character units (the PDF scales them)
    unit_line: str | None = None
    totals: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    legend: str | None = None  # explains highlighted rows (※ 만료 예정)
    intro: list[str] = field(default_factory=list)  # lines between title and table (임대료 …)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> list[Row]:
        """Header, body and total rows in drawing order."""
        return [*self.header_rows, *self.body, *self.totals]

    @property
    def has_carried(self) -> bool:
        return any(c is not None and c.carried for r in self.rows for c in r)


def spread(*cells: Cell) -> Row:
    """A row from cells, with None placed where a colspan covers the next columns."""
    out: Row = []
    for c in cells:
        out.append(c)
        out.extend([None] * (c.colspan - 1))
    return out


def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    """A header (or row-label) cell."""
    return Cell(text, "head", colspan=colspan, rowspan=rowspan)


def _num(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def cell_text(cell: Cell | None) -> str:
    """The cell as printed (the PDF draws this; the workbook writes it for text kinds)."""
    if cell is None or cell.value is None:
        return ""
    v, k = cell.value, cell.kind
    if k == "count":
        text = f.count(int(v), cell.unit)
    elif k == "thousand":
        text = f.thousand_won(int(v)) + cell.unit
    elif k == "million":
        text = f.million_won(int(v)) + cell.unit
    elif k == "million0":
        text = f"{whole_million(int(v)):,}" + cell.unit
    elif k == "pair":
        a, b = v
        text = f.million_won(a) if b is None else f"{f.million_won(a)} ({f.million_won(b)})"
    elif k == "area":
        text = f.area(float(v))
    elif k in ("int", "float"):
        text = _num(v) + cell.unit
    elif isinstance(v, dt.date):
        text = f.dotted(v)
    else:
        text = str(v)
    return text + CARRIED_MARK if cell.carried else text


def whole_million(n: int) -> int:
    """원 → whole 백만원, half up (the finance tables print 284, not 283.9)."""
    q = (abs(n) * 2 + 1_000_000) // 2_000_000
    return -q if n < 0 else q


def cell_number(cell: Cell) -> int | float | None:
    """The number an Excel cell holds for numeric kinds (in the table's unit), else None."""
    if cell.value is None or cell.kind not in NUMERIC_KINDS:
        return None
    if cell.kind == "thousand":
        return int(f.thousand_won(int(cell.value)).replace(",", ""))
    if cell.kind == "million":
        text = f.million_won(int(cell.value)).replace(",", "")
        return float(text) if "." in text else int(text)
    if cell.kind == "million0":
        return whole_million(int(cell.value))
    return cell.value


def number_format(cell: Cell) -> str:
    """Excel number format: #,##0 (one decimal where needed), unit and ※ as literal text."""
    n = cell_number(cell)
    base = "#,##0.0" if isinstance(n, float) and not float(n).is_integer() else "#,##0"
    if cell.kind == "float" and isinstance(n, float):
        base = "#,##0.00" if round(n, 1) != n else base
    suffix = cell.unit + (CARRIED_MARK if cell.carried else "")
    return f'{base}"{suffix}"' if suffix else base


def alignment(cell: Cell) -> str:
    """Horizontal alignment: numbers right, headers centred, text left."""
    if cell.align:
        return cell.align
    if cell.kind in (*NUMERIC_KINDS, "pair", "area"):
        return "right"
    if cell.kind == "head":
        return "center"
    return "left"


def _row_lines(table: ReportTable, row: Row, chars_per_unit: float) -> int:
    """Rough height of a row in text lines (wrapping estimated from the column widths)."""
    lines = 1
    for c, cell in enumerate(row):
        if cell is None:
            continue
        room = max(1.0, sum(table.widths[c:c + cell.colspan]) * chars_per_unit)
        text = cell_text(cell)
        lines = max(lines, sum(1 + int(len(part) / room) for part in text.split("\n")))
    return lines


def split_rows(table: ReportTable, max_lines: int = 40,
               chars_per_unit: float = 0.6) -> list[ReportTable]:
    """The table cut into pieces of about `max_lines` lines, each with the header rows.

    A table drawn inside another table's cell cannot break across pages, so long ones are
    handed over as several tables. Cuts fall only between rows that start a new row group.
    """
    pieces: list[list[Row]] = [[]]
    used = 0
    for row in table.body:
        n = _row_lines(table, row, chars_per_unit)
        if pieces[-1] and used + n > max_lines and row and row[0] is not None:
            pieces.append([])
            used = 0
        pieces[-1].append(row)
        used += n
    if len(pieces) == 1:
        return [table]
    out = []
    for i, body in enumerate(pieces):
        last = i == len(pieces) - 1
        out.append(ReportTable(
            table.title, table.sheet_name, table.header_rows, body, table.widths,
            unit_line=table.unit_line if i == 0 else None,
            totals=table.totals if last else [], notes=table.notes if last else [],
            landscape=table.landscape, legend=table.legend if last else None))
    return out
