"""What can be exported from the GUI: menu entries, periods, default folder, the call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

from db import formats as f
from db.periods import Period


@dataclass(frozen=True)
class ExportKind:
    """One entry of the 내보내기 menu."""

    key: str
    label: str
    title: str
    file_stem: str
    suffixes: tuple[str, ...]  # the first is the default
    period: str  # "range" | "single" | "asof"

    @property
    def action_text(self) -> str:
        """The menu entry with the formats the dialog offers: '공약 이행 실적 보고서(PDF·한글)…'."""
        if len(self.suffixes) == 1:
            return f"{self.label}…"
        return f"{self.label}({'·'.join(FORMAT_NAMES[x] for x in self.suffixes)})…"


KINDS = {
    k.key: k for k in (
        ExportKind("workbook", "엑셀 통합 문서", "엑셀 통합 문서 내보내기", "실적", (".xlsx",),
                   "range"),
        ExportKind("roster", "입주공간 현황", "입주공간 현황 내보내기", "입주공간현황",
                   (".pdf", ".xlsx", ".hwpx"), "asof"),
        ExportKind("report", "공약 이행 실적 보고서", "공약 이행 실적 보고서 내보내기",
                   "공약이행실적", (".pdf", ".hwpx"), "single"),
        ExportKind("tables", "연도별 실적표", "연도별 실적표 내보내기", "연도별실적표",
                   (".pdf", ".hwpx"), "range"),
    )
}
FORMAT_NAMES = {".pdf": "PDF", ".xlsx": "엑셀", ".hwpx": "한글"}  # the 형식 choice
FILTERS = {".xlsx": "엑셀 통합 문서 (*.xlsx)", ".pdf": "PDF 문서 (*.pdf)",
           ".hwpx": "한글 문서 (*.hwpx)"}


def period_choices(years: list[int]) -> list[tuple[str, str]]:
    """(label, key) for every year and half-year: 2021년, 2021년 상반기, 2021년 하반기."""
    out = []
    for y in years:
        out += [(f"{y}년", str(y)), (f"{y}년 상반기", f"{y}H1"), (f"{y}년 하반기", f"{y}H2")]
    return out


def file_name(kind: ExportKind, params: dict[str, Any], suffix: str) -> str:
    """Korean file names: '2021년 하반기 공약이행실적.pdf',
    '입주공간현황 2021. 12. 31. 기준.pdf'."""
    if kind.period == "range":
        first, last = Period.parse(params["first"]), Period.parse(params["last"])
        tag = first.label if first == last else f"{first.label}~{last.label}"
        return f"{kind.file_stem} {tag}{suffix}"
    if kind.period == "single":
        p = Period.parse(params["period"])
        if params.get("whole") and p.kind == "half" and p.half == 2:
            return f"{p.year}년 {kind.file_stem}{suffix}"
        return f"{p.label} {kind.file_stem}{suffix}"
    return f"{kind.file_stem} {f.report_date(params['as_of'], weekday=False)} 기준{suffix}"


def default_folder(export_dir: str) -> Path:
    """The settings' export folder when it exists, else the user's documents folder."""
    if export_dir and Path(export_dir).is_dir():
        return Path(export_dir)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def run_export(kind: str, database: Any, params: dict[str, Any], out: Path, *,
               progress: Any = None, cancelled: Any = None) -> Path:
    """Call the exports/api.py function for `kind` (runs on the worker thread)."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports import api

    if kind == "workbook":
        return api.export_workbook(database, Period.parse(params["first"]),
                                   Period.parse(params["last"]), out, progress, cancelled)
    if kind == "tables":
        return api.export_tables(database, Period.parse(params["first"]),
                                 Period.parse(params["last"]), out, progress, cancelled)
    if kind == "report":
        period = Period.parse(params["period"])
        first = Period.half_of(period.year, 1) if params.get("whole") and period.kind == "half" \
            else period
        return api.export_report(database, first, out, progress, cancelled,
                                 last=period if params.get("whole") else None,
                                 as_of=params.get("as_of"))
    return api.export_roster(database, params["as_of"], out, progress, cancelled)
