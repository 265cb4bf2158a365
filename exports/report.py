"""공약 이행 실적: the progress report for a period, generated from the period's records.

The report is the seed's three-column table (구 분 · 추진실적 및 추진계획 · 비고). Each line
(■ ○ – · ※ ☞) is its own table row and sub-tables are rows of their own, so a long section
flows over pages with the header repeated and no cell is ever taller than a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from db import queries as q
from db.periods import Period
from db.queries.finance import finance_as_of
from db.settings import OfficeSettings, load_settings, roster_notes

from . import report_lines as lines
from .assemble import pledge_name
from .pdf import HEAD_BG, build_pdf, content_width, grid_table, para, style, table_flowables
from .report_lines import Body
from .roster import roster_tables
from .table_model import split_rows
from .tables import budget_plan_table, participation_table, secured_table

FIRST_W, NOTE_W = 33 * mm, 16 * mm
CHUNK = 700  # characters per paragraph row: a 40,000-character note still splits over pages


@dataclass
class ReportData:
    """Everything the report shows for one period (query results, settings)."""

    period: Period
    settings: OfficeSettings
    figures: dict[str, Any]
    finance_as_of: list
    rosters: list


def collect(session: Any, period: Period) -> ReportData:
    """Run the period's queries (the only place the report touches the database)."""
    s = load_settings(session)
    figures = q.report_figures(session, period)
    # Plans for the coming half-year may be filed under it: shown with this period's plans.
    following = _next_period(period)
    seen = {(n.year, n.half, n.area, n.kind, n.text) for n in figures["notes"]}
    figures["notes"] = figures["notes"] + [
        n for n in q.report_notes(session, following)
        if n.kind == "추진 계획" and (n.year, n.half, n.area, n.kind, n.text) not in seen]
    rosters = roster_tables(figures["roster"], period.end, s.warn_days, roster_notes(session))
    return ReportData(period, s, figures, finance_as_of(session, period.end), rosters)


def _next_period(p: Period) -> Period:
    """The half-year (or year) after the period."""
    if p.kind == "half":
        return Period.half_of(p.year + (p.half == 2), 1 if p.half == 2 else 2)
    return Period.year_of(p.end.year + 1)


def _first_label(p: Period) -> str:
    if p.kind == "half":
        months = f"{p.start.month}.~{p.end.month}."
        return f"{'상' if p.half == 1 else '하'}반기 추진 실적\n({p.year}. {months} 실적)"
    if p.kind == "year":
        return f"{p.year}년 추진 실적\n({p.year}. 1.~12. 실적)"
    return f"추진 실적\n({p.label})"


def _chunks(text: str) -> list[str]:
    """Split very long text at spaces into pieces that each fit well within a page."""
    if len(text) <= CHUNK:
        return [text]
    out, rest = [], text
    while len(rest) > CHUNK:
        cut = rest.rfind(" ", CHUNK // 2, CHUNK)
        cut = CHUNK if cut < 0 else cut
        out.append(rest[:cut])
        rest = rest[cut:].lstrip()
    return [*out, rest] if rest else out


def _section_rows(label: str, body: Body, mid_w: float) -> list[list]:
    """One row per line; a table shares its row with the line just before it (its caption)."""
    rows: list[list] = []
    for kind, value, level, bold in body.items:
        if kind == "table":  # `level` of a table item: how many lines before it are caption
            pieces: list[Any] = [grid_table(p, mid_w - 8 * mm) for p in split_rows(value)]
            keep = 0
            while (keep < level and keep < len(rows) and rows[-1 - keep][0] == ""
                   and isinstance(rows[-1 - keep][1], Paragraph)):
                keep += 1
            if keep:  # keep "– 서비스 제공" (or a title and its lines) on the page of its table
                captions = [r[1] for r in rows[len(rows) - keep:]]
                del rows[len(rows) - keep + 1:]
                rows[-1][1] = [*captions, Spacer(1, 1), pieces.pop(0)]
            rows += [["", piece, ""] for piece in pieces]  # a nested table cannot break
            continue
        for piece in _chunks(value):
            rows.append(["", para(piece, style(9, bold, indent=level * 3.5 * mm)), ""])
    if not rows:
        rows.append(["", para("해당 기간의 기록이 없습니다.", style(9)), ""])
    rows[0][0] = para(label, style(8.5, True, "center"))
    return rows


def main_table(sections: list[tuple[str, Body]], width: float) -> Table:
    """The 구 분 · 추진실적 및 추진계획 · 비고 table, one row per line, header repeated."""
    mid_w = width - FIRST_W - NOTE_W
    data: list[list] = [[para("구 분", style(9, True, "center")),
                         para("추진실적 및 추진계획", style(9, True, "center")),
                         para("비고", style(9, True, "center"))]]
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), "NanumGothic"),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("LINEAFTER", (0, 0), (1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for label, body in sections:
        rows = _section_rows(label, body, mid_w)
        start = len(data)
        data += rows
        cmds.append(("LINEABOVE", (0, start), (-1, start), 0.8, colors.black))
        cmds.append(("TOPPADDING", (0, start), (-1, start), 5))
    t = Table(data, colWidths=[FIRST_W, mid_w, NOTE_W], repeatRows=1)
    t.setStyle(TableStyle(cmds))
    return t


def _box_heading(text: str) -> list[Flowable]:
    return [CondPageBreak(40 * mm), Spacer(1, 4 * mm), para(text, style(11, True))]


def story(data: ReportData) -> list[Flowable]:
    """All flowables of the report, in the seed's order."""
    s, p, fig = data.settings, data.period, data.figures
    width = content_width(False)
    title = pledge_name(s)
    out: list[Flowable] = [
        para(title, style(15, True, "center")), Spacer(1, 2 * mm),
        para(f"{s.report_title} ({p.label})", style(11, align="center")), Spacer(1, 1 * mm),
        para(s.display_office, style(9, align="right")), Spacer(1, 3 * mm),
    ]
    results = lines.results_body(data)
    plans = lines.plan_body(data)
    out.append(main_table([(_first_label(p), results), ("추진 계획\n(향후 추진 계획)", plans)],
                          width))
    labels = fig["budget_labels"]
    extra = [
        ("□ 시민참여(소통) 실적", participation_table(fig["participation"], p, blank_zero=True)),
        ("□ 연도별 투자계획(사업비)", budget_plan_table(fig["investment_plan"], labels, title)),
        ("□ 연도별 확보(집행)액", secured_table(fig["secured_executed"], labels, title)),
    ]
    for heading, table in extra:
        table.title = ""
        head = _box_heading(heading)  # CondPageBreak, then what must stay on one page
        out += [head[0], KeepTogether([*head[1:], *table_flowables(table, width)[2:]])]
    out += _box_heading("□ 문제점 및 개선대책")
    problems = lines.problems_body(data)
    for _kind, value, level, bold in problems.items:
        for piece in _chunks(value):
            out.append(para(piece, style(9.5, bold, indent=level * 4 * mm, space_before=1)))
    return out


def report_pdf(out: Path, data: ReportData,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Write the report PDF (A4 portrait); returns the page count."""
    title = f"{pledge_name(data.settings)} {data.settings.report_title} ({data.period.label})"
    return build_pdf(out, story(data), title=title, footer=title, cancelled=cancelled)
