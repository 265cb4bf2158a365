"""엑셀로 내보내기 and 인쇄 of a desk list: the rows shown, in their order, with a 합계 row."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from db.errors import DureError
from db.paths import data_dir


def _subtitle(page: Any) -> str:
    """What the list shows: its filters and search, and how many rows."""
    parts = []
    if page.period.isVisible() and page.period.currentIndex() > 0:
        parts.append(page.period.currentText())
    for combo in page.filters.values():
        if combo.currentIndex() > 0:
            parts.append(combo.currentText())
    if page.search.text().strip():
        parts.append(f"검색 '{page.search.text().strip()}'")
    shown = f"{page.model.rowCount():,}건"
    return " · ".join([*parts, shown]) if parts else f"전체 {shown}"


def _totals_values(page: Any, text: bool) -> list[Any] | None:
    if page.totals_row is None:
        return None
    totals = page.totals_row.totals
    if text:
        return [totals.text(c) for c in range(totals.columnCount())]
    return [totals.values.get(f.key, "합계" if c == totals.label_column else None)
            for c, f in enumerate(page.model.fields)]


def _kind(field: Any) -> str:
    """The exported kind: a month is a date cell (formatted as Excel formats dates)."""
    return "date" if field.kind == "month" else field.kind


def _native(page: Any) -> list[list[Any]]:
    """Values of the shown rows for a workbook: numbers and dates stay typed, codes shown."""
    fields = page.model.fields
    out = []
    for values in page.model.shown_values():
        row = []
        for f, v in zip(fields, values, strict=False):
            if f.labels and v is not None:
                v = f.labels.get(v, v)
            elif f.kind == "bool":
                v = "예" if v else ""
            row.append(v)
        out.append(row)
    return out


def write_xlsx(page: Any, out: Path) -> int:
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports.list_table import write_list_xlsx

    fields = page.model.fields
    return write_list_xlsx(out, page.spec.label, [f.caption for f in fields],
                           [_kind(f) for f in fields], _native(page), _totals_values(page, False))


def write_pdf(page: Any, out: Path, printed: dt.date | None = None) -> int:
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports.list_table import PRINT_MAX_ROWS, list_report_table, write_list_pdf

    model = page.model
    if model.rowCount() > PRINT_MAX_ROWS:
        raise DureError(f"인쇄는 {PRINT_MAX_ROWS:,}행까지입니다(지금 {model.rowCount():,}행). "
                        "검색이나 필터로 목록을 줄이거나 엑셀로 내보내세요.")
    header = page.view.horizontalHeader()
    widths = [max(header.sectionSize(c), 40) / 8 for c in range(model.columnCount())]
    texts = list(model.row_texts(range(model.rowCount())))
    table = list_report_table(page.spec.label, [f.caption for f in model.fields],
                              [_kind(f) for f in model.fields], texts,
                              _totals_values(page, True), widths)
    return write_list_pdf(out, table, _subtitle(page), printed)


def save_xlsx(page: Any) -> Path | None:
    """Ask where, write the workbook, say so in Korean."""
    suggested = str(Path.home() / f"{page.spec.label} 목록.xlsx")
    chosen, _ = QFileDialog.getSaveFileName(page, "엑셀로 내보내기", suggested,
                                            "Excel 통합 문서 (*.xlsx)")
    if not chosen:
        return None
    out = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
    try:
        count = write_xlsx(page, out)
    except DureError as exc:
        QMessageBox.warning(page, "엑셀로 내보내기", str(exc))
        return None
    QMessageBox.information(page, "엑셀로 내보내기", f"{count:,}행을 저장했습니다.\n{out}")
    return out


def print_list(page: Any) -> Any:
    """The list as printable pages in the PDF preview (print from there)."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from gui.pdf_preview import show_pdf

    folder = data_dir() / "print" if data_dir() else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{page.spec.label} 목록.pdf"
    try:
        write_pdf(page, out)
    except DureError as exc:
        QMessageBox.warning(page, "인쇄", str(exc))
        return None
    return show_pdf(out, page)
