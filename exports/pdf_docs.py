"""The roster PDF and the yearly-tables PDF, drawn from ReportTables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from db import formats as f
from db.periods import Period

from .pdf import build_pdf, content_width, para, style, table_flowables
from .table_model import ReportTable


def _title_block(title: str, subtitle: str) -> list[Flowable]:
    return [para(title, style(16, True, "center")), Spacer(1, 2 * mm),
            para(subtitle, style(10, align="right")), Spacer(1, 4 * mm)]


def roster_pdf(out: Path, title: str, as_of: dt.date, tables: list[ReportTable],
               cancelled: Callable[[], bool] | None = None) -> int:
    """입주공간 현황: A4 landscape, one table per provider, header repeated on every page."""
    stamp = f"{f.report_date(as_of, weekday=False)} 기준"
    story = _title_block(title, f"기준일: {stamp}")
    width = content_width(True)
    for t in tables:
        story.append(CondPageBreak(45 * mm))  # a provider title never sits alone at a page foot
        story += table_flowables(t, width)
    if not tables:
        story.append(para("기준일 현재 등록된 입주공간이 없습니다.", style(10)))
    return build_pdf(out, story, title=title, wide=True, footer=f"입주공간 현황 ({stamp})",
                     cancelled=cancelled)


def tables_pdf(out: Path, office: str, first: Period, last: Period,
               tables: list[ReportTable], cancelled: Callable[[], bool] | None = None) -> int:
    """The yearly tables alone, A4 landscape."""
    title = f"{office} 사회적경제 지원사업 연도별 실적"
    cols = f"{first.label} ~ {last.label}" if first != last else first.label
    story = _title_block(title, f"기간: {cols}")
    width = content_width(True)
    for t in tables:
        story.append(CondPageBreak(45 * mm))
        story += table_flowables(t, width)
    return build_pdf(out, story, title=title, wide=True, footer=title, cancelled=cancelled)
