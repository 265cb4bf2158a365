"""A desk list as the clerk sees it (filter, sort, columns), written as xlsx or a printable PDF.

No new writer: the workbook goes through exports.xlsx's data sheet (text safety, header,
print setup) and the PDF through the report table layer and exports.pdf (font, repeated
header, page numbers), like every other export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .api import atomic_path
from .pdf import build_pdf, content_width, para, style, table_flowables
from .table_model import Cell, ReportTable, head
from .xlsx import discard, new_workbook, write_data_sheet

PRINT_MAX_ROWS = 5_000  # a longer list is a file to filter, not pages to print
NUMERIC = ("money", "int", "float")


def write_list_xlsx(out: Path, title: str, labels: Sequence[str], kinds: Sequence[str],
                    rows: Iterable[Sequence[Any]], totals: Sequence[Any] | None = None) -> int:
    """One data sheet of the list's rows (native values), a bold 합계 row under them."""
    body: list[Any] = list(rows)
    if totals is not None:
        body.append(list(totals))
    with atomic_path(out) as tmp:
        wb = new_workbook(tmp)
        try:
            count = write_data_sheet(wb, title, list(labels), list(kinds), body)
            wb.save()
        except BaseException:
            discard(wb)
            raise
    return count - (1 if totals is not None else 0)


def list_report_table(title: str, labels: Sequence[str], kinds: Sequence[str],
                      rows: Iterable[Sequence[str]], totals: Sequence[str] | None = None,
                      widths: Sequence[float] | None = None) -> ReportTable:
    """The list's shown text as a report table (header, body, 합계), numbers right-aligned."""
    def cells(texts: Sequence[str]) -> list[Cell | None]:
        return [Cell(t, "text", align="right" if k in NUMERIC else
                     "center" if k in ("date", "time", "bool") else "left")
                for t, k in zip(texts, kinds, strict=False)]

    table = ReportTable(
        title=title, sheet_name=title[:31], header_rows=[[head(x) for x in labels]],
        body=[cells(r) for r in rows],
        widths=list(widths) if widths else [10.0] * len(labels), landscape=True)
    if totals is not None:
        table.totals = [cells(totals)]
    return table


def write_list_pdf(out: Path, table: ReportTable, subtitle: str,
                   printed: dt.date | None = None) -> int:
    """The list on A4 landscape pages (header repeated, page numbers); returns pages."""
    story = [para(subtitle, style(9, align="right")), *table_flowables(table, content_width(True))]
    with atomic_path(out) as tmp:
        return build_pdf(tmp, story, title=table.title, wide=True, printed=printed,
                         footer=table.title)
