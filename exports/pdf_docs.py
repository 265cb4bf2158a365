"""The roster PDF and the yearly-tables PDF, drawn from ReportTables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from db import formats as f
from db.periods import Period

from .pdf import MARGIN, build_pdf, content_width, para, style, table_flowables
from .table_model import ReportTable


def _title_block(title: str, subtitle: str) -> list[Flowable]:
    return [para(title, style(16, True, "center")), Spacer(1, 2 * mm),
            para(subtitle, style(10, align="right")), Spacer(1, 4 * mm)]


def roster_pdf(out: Path, title: str, as_of: dt.date, tables: list[ReportTable],
               cancelled: Callable[[], bool] | None = None) -> int:
    """입주공간 현황: A4 landscape, one table per provider, header repeated on every page."""
    day = f.report_date(as_of, weekday=False)
    stamp = f"{day} 기준"
    story = _title_block(title, f"기준일: {day}")
    width = content_width(True)
    for t in tables:
        story.append(CondPageBreak(45 * mm))  # a provider title never sits alone at a page foot
        # A provider's table that fits on a page starts on a fresh one rather than leave two
        # rows behind; a longer one flows from where it is.
        parts = table_flowables(t, width)
        story += [KeepTogether(parts)] if _fits_a_page(parts, width) else parts
    if not tables:
        story.append(para("기준일 현재 등록된 입주공간이 없습니다.", style(10)))
    return build_pdf(out, story, title=title, wide=True, footer=f"입주공간 현황 ({stamp})",
                     cancelled=cancelled)


def _fits_a_page(parts: list[Flowable], width: float) -> bool:
    """Whether the flowables together are shorter than a landscape page's frame."""
    frame = landscape(A4)[1] - MARGIN - 14 * mm - 12  # top and bottom margins, frame padding
    return sum(p.wrap(width, frame)[1] for p in parts) <= frame


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
