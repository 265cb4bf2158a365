"""공약 이행 실적: the progress report, for one period or as the whole cumulative document.

The report is the seed's three-column table (구 분 · 추진실적 및 추진계획 · 비고), one row per
period in the 구 분 column (상반기 추진 실적, 하반기 추진 실적, 추진 계획), then 시민참여(소통)
실적, the budget tables and 문제점 및 개선대책. In the whole document the first row opens
programs with their yearly tables and the earlier years' narrative. Each line (■ ○ – · ※ ☞) is
its own table row and sub-tables are rows of their own, so a long section flows over pages with
the header repeated and no cell is ever taller than a page.

A period still running is computed as of its 기준일 (`as_of`) and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from db import formats as f
from db import queries as q
from db.errors import DureError
from db.periods import Period
from db.queries.governance import NoteRow
from db.settings import OfficeSettings, load_settings, roster_notes

from . import report_areas as areas
from . import report_lines as lines
from .assemble import pledge_name
from .pdf import BODY_SIZE, build_pdf, content_width, keep_lines, para, style, table_flowables
from .pdf_sections import section_table
from .report_history import History, collect_history
from .report_lines import Body, RowContext
from .roster import roster_tables
from .table_model import ReportTable
from .tables import budget_plan_table, participation_table, secured_table

FIRST_W, NOTE_W = 33 * mm, 16 * mm
CHUNK = 700  # characters per paragraph row: a 40,000-character note still splits over pages
PLAN_LABEL = "추진 계획\n(향후 추진 계획)"


@dataclass(frozen=True)
class PlanContext:
    """The 추진 계획 row: the coming half-year's plans and next year's budget."""

    period: Period  # the half-year (or year) the plans are for
    notes: list[NoteRow]
    budget_next: dict[str, int]
    budget_basis: str | None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows (query results, settings), built by collect()."""

    settings: OfficeSettings
    first: Period
    last: Period
    as_of: dt.date
    rows: list[RowContext]  # one per reported period
    plans: PlanContext
    tail: q.ReportFigures  # the last period's figures: budget tables
    participation: dict[str, int]
    problems: list[NoteRow]

    @property
    def document(self) -> bool:
        return self.first != self.last or self.rows[0].history is not None

    @property
    def period_label(self) -> str:
        """'2021년 하반기', or '2021년 상반기~하반기' for the document."""
        if self.first == self.last:
            return self.first.label
        if self.first.year == self.last.year and self.first.kind == self.last.kind == "half":
            return f"{self.first.year}년 상반기~하반기"
        return f"{self.first.label}~{self.last.label}"

    @property
    def running(self) -> bool:
        return self.as_of < self.last.end


def report_day(settings: OfficeSettings, last: Period, given: dt.date | None = None,
               today: dt.date | None = None) -> dt.date:
    """The 기준일: given, else the setting, else today, never after the period's end.

    A stored 기준일 before the period began belongs to an earlier report and is not used.
    """
    today = today or dt.date.today()
    if given is not None:
        return min(given, last.end)
    base = settings.report_day
    if base is None or base < last.start:
        base = today
    return min(base, last.end)


def halves(first: Period, last: Period) -> list[Period]:
    """The periods of the document's rows: every half-year (or year) from first to last."""
    if last.end < first.start:
        raise DureError("끝 기간이 시작 기간보다 앞섭니다. 순서를 바꿔 쓰세요.")
    if first.kind not in ("half", "year") or last.kind not in ("half", "year"):
        raise DureError("보고서 기간은 연도(2021) 또는 반기(2021H1, 2021H2)로 쓰세요.")
    out, p = [], first
    while p.start <= last.end:
        out.append(p)
        p = next_period(p) if p.kind == "half" else Period.year_of(p.year + 1)
    return out


def collect(session: Any, first: Period, last: Period | None = None,
            as_of: dt.date | None = None, today: dt.date | None = None,
            whole: bool | None = None) -> ReportData:
    """Run the queries of the report (the only place it touches the database).

    `last` given (or `whole`) makes the whole document: the first row carries the yearly
    tables and the earlier years' narrative, the roster comes in the last results row.
    """
    s = load_settings(session)
    whole = last is not None if whole is None else whole
    last = last or first
    periods = halves(first, last)
    day = report_day(s, last, as_of, today)
    notes_for_roster = roster_notes(session)
    rows: list[RowContext] = []
    for i, p in enumerate(periods):
        fig = q.report_figures(session, p, min(day, p.end))
        final = i == len(periods) - 1
        rosters = report_rosters(fig, s.warn_days, notes_for_roster) if final else []
        history: History | None = None
        if whole and i == 0:
            history = collect_history(session, s, p)
        rows.append(RowContext(fig, s, rosters, history, final, whole))
    tail = rows[-1].figures
    following = next_period(last) if last.kind == "half" else Period.year_of(last.year + 1)
    plan_notes = [n for n in q.report_notes(session, following) if n.kind == "추진 계획"]
    seen = {(n.year, n.half, n.area, n.text) for n in plan_notes}
    plan_notes = [*[n for n in tail.notes if n.kind == "추진 계획"
                    and (n.year, n.half, n.area, n.text) not in seen], *plan_notes]
    basis = q.finance_budget_basis(session, following.end.year)
    plans = PlanContext(following, plan_notes, tail.finance_budget_next, basis)
    every = [n for r in rows for n in r.figures.notes]
    problems = [n for n in every if n.kind in ("문제점", "개선대책")]
    span = Period(first.start, last.end, "range")
    rows = [replace(r, figures=replace(
        r.figures, notes=[n for n in r.figures.notes if n.kind == "추진 실적"])) for r in rows]
    return ReportData(settings=s, first=first, last=last, as_of=day, rows=rows, plans=plans,
                      tail=tail, participation=q.participation_counts(session, span),
                      problems=_unique(problems))


def report_rosters(fig: q.ReportFigures, warn_days: int,
                   notes: dict[str, str]) -> list[ReportTable]:
    """지원 공간 현황 as the report prints it: as of the report's 기준일, which its header
    states, and without the clerk's 만료 임박 warning (the roster export keeps both)."""
    plain = [replace(t, rows=[r._replace(ends_within_warning=False) for r in t.rows])
             for t in fig.roster]
    return [replace(t, unit_line=None)
            for t in roster_tables(plain, fig.as_of, warn_days, notes)]


def _unique(notes: list[NoteRow]) -> list[NoteRow]:
    seen, out = set(), []
    for n in notes:
        key = (n.year, n.half, n.area, n.kind, n.text)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def next_period(p: Period) -> Period:
    """The half-year (or year) after the period."""
    if p.kind == "half":
        return Period.half_of(p.year + (p.half == 2), 1 if p.half == 2 else 2)
    return Period.year_of(p.end.year + 1)


def first_label(p: Period) -> str:
    """구 분 of a results row: '하반기 추진 실적\\n(2021. 7.~12. 실적)'."""
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


def main_table(sections: list[tuple[str, Body]], width: float) -> Flowable:
    """The 구 분 · 추진실적 및 추진계획 · 비고 table (drawn by exports.pdf_sections)."""
    return section_table(sections, width, FIRST_W, NOTE_W)


def _box_heading(text: str) -> list[Flowable]:
    return [CondPageBreak(40 * mm), Spacer(1, 4 * mm), para(text, style(BODY_SIZE + 1, True))]


def sections(data: ReportData) -> list[tuple[str, Body]]:
    """(구 분 label, body) of every row of the main table, in the seed's order."""
    out = [(first_label(r.figures.period), areas.results_body(r)) for r in data.rows]
    out.append((PLAN_LABEL, lines.plan_body(data.plans)))
    return out


def boxed_tables(data: ReportData) -> list[tuple[str, ReportTable]]:
    """The □ headed tables after the main table (their own titles left off)."""
    fig, title = data.tail, pledge_name(data.settings)
    labels = fig.budget_labels
    span = Period(data.first.start, data.last.end, "range")
    out = [
        ("□ 시민참여(소통) 실적", participation_table(data.participation, span, blank_zero=True)),
        ("□ 연도별 투자계획(사업비)", budget_plan_table(fig.investment_plan, labels, title)),
        ("□ 연도별 확보(집행)액", secured_table(fig.secured_executed, labels, title)),
    ]
    for _heading, table in out:
        table.title = ""
    return out


def story(data: ReportData) -> list[Flowable]:
    """All flowables of the report, in the seed's order."""
    s = data.settings
    width = content_width(False)
    title = pledge_name(s)
    out: list[Flowable] = [
        para(title, style(16, True, "center")), Spacer(1, 2 * mm),
        para(f"{s.report_title} ({data.period_label})", style(BODY_SIZE + 1, align="center")),
        Spacer(1, 1 * mm),
    ]
    if data.running:
        out.append(para(f"{f.report_date(data.as_of, weekday=False)} 기준",
                        style(BODY_SIZE, align="right")))
    out += [para(s.display_office, style(BODY_SIZE, align="right")), Spacer(1, 3 * mm)]
    out.append(main_table(sections(data), width))
    for heading, table in boxed_tables(data):
        head = _box_heading(heading)  # CondPageBreak, then the heading as the table's lead
        out += [head[0], *table_flowables(table, width, before=head[1:])]
    problems = lines.problems_body(data.problems)
    out += _box_heading("□ 문제점 및 개선대책")
    block: list[Flowable] = []
    for _kind, value, level, bold in problems.items:
        for piece in _chunks(value):
            block.append(para(piece, style(BODY_SIZE, bold, indent=level * 4 * mm,
                                           space_before=1)))
    return out + keep_lines(block)


def report_title(data: ReportData) -> str:
    """Document title and page footer: pledge, report title, period and 기준일."""
    day = f", {f.report_date(data.as_of, weekday=False)} 기준" if data.running else ""
    return f"{pledge_name(data.settings)} {data.settings.report_title} " \
           f"({data.period_label}{day})"


def report_pdf(out: Path, data: ReportData,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Write the report PDF (A4 portrait); returns the page count."""
    title = report_title(data)
    return build_pdf(out, story(data), title=title, footer=title, cancelled=cancelled)
