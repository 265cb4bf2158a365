"""Report tables built from query results: one builder per table of the report.

Builders only lay out and format what db/queries computed (docs/domain.md "The report layout");
no figure is computed here. Types live in exports.table_model and are re-exported.
"""

from __future__ import annotations

import datetime as dt
import re

from db import formats as f
from db.models.choices import FINANCE_PROGRAMS
from db.periods import Period
from db.queries.finance import FinanceCell, FinanceRow
from db.queries.governance import BudgetTable, SecuredExecuted
from db.queries.purchasing import PurchasingYear
from db.queries.sales import SalesYear
from db.queries.space import MilestoneRow
from db.queries.startup import StartupYear

from .table_model import CARRIED_MARK, Cell, ReportTable, Row, cell_text, head, spread

__all__ = [
    "Cell",
    "ReportTable",
    "Row",
    "budget_plan_table",
    "carried_note",
    "cell_text",
    "finance_as_of_table",
    "finance_table",
    "milestone_table",
    "participation_table", "participation_years_table",
    "purchasing_table",
    "sales_table",
    "secured_table",
    "startup_table",
]

YEAR_W = 22.0


def carried_note(periods: list[Period], flags: list[bool]) -> list[str]:
    """'※ 2018~2020년은 이월 실적(총계로만 관리)' for the columns holding carried figures."""
    years = [p.start.year for p, c in zip(periods, flags, strict=True) if c]
    if not years:
        return []
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        shown = f"{years[0]}~{years[-1]}년"
    else:
        shown = ", ".join(f"{y}년" for y in years)
    return [f"{CARRIED_MARK} {shown}은 이월 실적(총계로만 관리): 값 뒤의 {CARRIED_MARK} 표시"]


def _period_header(first: str, periods: list[Period]) -> Row:
    return spread(head(first), *[head(p.column_label) for p in periods])


def _man_won(n: int) -> str:
    """Prose money: 10,000,000 → '1천만원', 8,000,000 → '800만원'."""
    if n and n % 10_000_000 == 0:
        return f"{n // 10_000_000:,}천만원"
    if n and n % 10_000 == 0:
        return f"{n // 10_000:,}만원"
    return f"{f.won(n)}원"


def _hours(h: float) -> str:
    return f"{int(h)}" if float(h).is_integer() else f"{h:g}"


def _support_text(y: StartupYear) -> str | None:
    s = y.support
    if s is None:
        return None
    parts = []
    if s.education_hours:
        parts.append(f"교육 {_hours(s.education_hours)}시간")
    if s.consulting_max:
        rng = (f"{s.consulting_min}" if s.consulting_min == s.consulting_max
               else f"{s.consulting_min}~{s.consulting_max}")
        parts.append(f"컨설팅 개별 {rng}회")
    if s.fund_per_team:
        parts.append(f"사업개발비 {_man_won(s.fund_per_team)}")
    if s.space_support:
        parts.append(s.space_support)
    return ", ".join(parts)


def _designated_text(y: StartupYear) -> str | None:
    if not y.designated_total:
        return None
    inner = ", ".join(f"‘{yr % 100:02d}년 {n}" for yr, n in y.designated.items())
    return f"예비지정 {y.designated_total}개팀 ({inner})"


def startup_table(years: list[StartupYear]) -> ReportTable:
    """창업지원: 선정 · 지원 내용 · 창업 결과 per year."""
    periods = [y.period for y in years]
    body = [
        spread(head("선정"), *[Cell(y.teams_selected, "count", "개팀", carried=y.carried)
                               for y in years]),
        spread(head("지원 내용"), *[Cell(_support_text(y)) for y in years]),
        spread(head("창업 결과"), *[Cell(_designated_text(y), carried=y.carried and
                                     bool(y.designated_total)) for y in years]),
    ]
    return ReportTable(
        "사회적기업 창업지원", "창업지원", [_period_header("실적", periods)], body,
        [12.0, *[YEAR_W + 8] * len(years)],
        notes=carried_note(periods, [y.carried for y in years]),
    )


def sales_table(years: list[SalesYear]) -> ReportTable:
    """판로지원: 회수, 매출액(천원) per year."""
    periods = [y.period for y in years]
    body = [
        spread(head("회수"), *[Cell(y.events, "count", "회", carried=y.carried) for y in years]),
        spread(head("매출액"), *[Cell(y.sales_amount, "thousand", "천원", carried=y.carried)
                                 for y in years]),
    ]
    return ReportTable(
        "사회적경제기업 판로지원", "판로지원", [_period_header("실적", periods)], body,
        [12.0, *[YEAR_W] * len(years)],
        notes=carried_note(periods, [y.carried for y in years]),
    )


def finance_table(rows: list[FinanceRow], periods: list[Period]) -> ReportTable:
    """재정지원: per program and year, 기업 · 인원 · 금액(백만원) under a merged year header."""
    top = spread(head("지원사업", rowspan=2), *[head(p.column_label, colspan=3) for p in periods])
    sub: Row = [None]
    for _p in periods:
        sub += [head("기업"), head("인원"), head("금액")]
    body = []
    for r in rows:
        line: Row = [head(r.program)]
        for c in r.cells:
            persons = None if r.program == FINANCE_PROGRAMS[0] and not c.persons else c.persons
            line += [Cell(c.orgs, "count", "개 기업", carried=c.carried),
                     Cell(persons, "count", "명", carried=c.carried and persons is not None),
                     Cell(c.amount, "million0", "백만원", carried=c.carried)]
        body.append(line)
    flags = [any(r.cells[i].carried for r in rows) for i in range(len(periods))]
    return ReportTable(
        "사회적경제기업 재정지원", "재정지원", [top, sub], body,
        [16.0, *[11.0, 8.0, 12.0] * len(periods)],
        unit_line="(기업 수 · 인원 · 금액: 백만원)", landscape=True,
        notes=carried_note(periods, flags),
    )


_PAY_NOTE = {"사업개발비": "(2차례에 걸쳐 지급)", "일자리창출 인건비": "(매월 25일 지급)",
             "사회보험료": "(매월 25일 지급)"}


def support_label(program: str) -> str:
    """'일자리창출 지원': a finance program as the 누계 and budget tables head it."""
    return f"{program.removesuffix(' 인건비')} 지원"


def finance_as_of_table(cells: list[FinanceCell], day: dt.date,
                        numeric: bool = False) -> ReportTable:
    """재정지원 실적 누계 as of a date: 'N개 기업 M명 X백만원' per program.

    `numeric` (the workbook): 기업 · 인원 · 금액 number columns under each program instead.
    """
    if numeric:
        return _finance_as_of_numbers(cells, day)
    header = spread(head("사업"), *[head(f"{support_label(c.program)} "
                                        f"{_PAY_NOTE.get(c.program, '')}") for c in cells])
    texts = []
    for c in cells:
        persons = " " + f.count(c.persons, "명") if c.persons else ""
        amount = cell_text(Cell(c.amount, "million0", "백만원"))
        texts.append(Cell(f"{f.count(c.orgs, '개 기업')}{persons} {amount}", align="center",
                          carried=c.carried))
    return ReportTable(
        f"사회적경제기업 재정지원 ({f.report_date(day, weekday=False)} 기준)", "재정지원 누계",
        [header], [spread(head("실적 누계"), *texts)], [12.0, *[26.0] * len(cells)],
    )


def _finance_as_of_numbers(cells: list[FinanceCell], day: dt.date) -> ReportTable:
    top = spread(head("사업", rowspan=2),
                 *[head(f"{support_label(c.program)} {_PAY_NOTE.get(c.program, '')}".strip(),
                        colspan=3)
                   for c in cells])
    sub: Row = [None]
    line: Row = [head("실적 누계")]
    for c in cells:
        sub += [head("기업"), head("인원"), head("금액")]
        line += [Cell(c.orgs, "count", "개 기업", carried=c.carried),
                 Cell(c.persons or None, "count", "명", carried=c.carried and bool(c.persons)),
                 Cell(c.amount, "million0", "백만원", carried=c.carried)]
    return ReportTable(
        f"사회적경제기업 재정지원 ({f.report_date(day, weekday=False)} 기준)", "재정지원 누계",
        [top, sub], [line], [12.0, *[11.0, 8.0, 12.0] * len(cells)],
        unit_line="(기업 수 · 인원 · 금액: 백만원)")


def _milestone_text(items: list[MilestoneRow]) -> str | None:
    lines = []
    for m in items:
        when = f"{m.happened_on.month}월" if m.month_only else f.short_date(m.happened_on)
        text, until = m.text, re.search(r"\(~(\d+월)\)$", m.text)
        if until:  # a step over months, typed '공사(~9월)': '7월~9월 : … 공사', as the seed
            when, text = f"{when}~{until.group(1)}", text[:until.start()].rstrip()
        lines.append(f"· {when} : {text}")
    return "\n".join(lines) or None


def milestone_table(by_provider: dict[str, list[list[MilestoneRow]]],
                    periods: list[Period]) -> ReportTable:
    """입주공간 추진 경과: per provider, the steps of each year as · bullets."""
    body = [spread(head(provider), *[Cell(_milestone_text(items)) for items in cols])
            for provider, cols in by_provider.items()]
    return ReportTable(
        "사회적경제기업 입주공간 지원 (추진 경과)", "입주공간 추진 경과",
        [_period_header("기관", periods)], body, [10.0, *[32.0] * len(periods)], landscape=True,
    )


def _budget_widths(keys: list[str]) -> list[float]:
    """Room for '2,964 (1,730)' in 계 and '820 (635)' in a year column, even on portrait A4."""
    return [20.0, 6.0, 15.0, *[12.0 if k.isdigit() else 7.0 for k in keys]]


def _budget_header(labels: dict[str, str]) -> Row:
    return spread(head("공약사업명"), head("구분"), head("계"), *[head(v) for v in labels.values()])


def _budget_rows(pledge: str, sources: tuple[str, ...], keys: list[str],
                 total_row: list[Cell], source_rows: dict[str, list[Cell]]) -> list[Row]:
    rows: list[Row] = [[head(pledge, rowspan=len(sources) + 1), head("계"), *total_row]]
    for s in sources:
        rows.append([None, head(s), *source_rows[s]])
    return rows


def budget_plan_table(t: BudgetTable, labels: dict[str, str], pledge: str) -> ReportTable:
    """연도별 투자계획(사업비), 백만원, totals from the query."""
    keys = t.periods
    empty = all(v is None for v in t.row_totals.values())
    total = [Cell(None if empty else t.grand_total, "million", bold=True),
             *[Cell(t.column_totals[k], "million", bold=True) for k in keys]]
    by_src = {s: [Cell(t.row_totals[s], "million"),
                  *[Cell(t.cells[(s, k)], "million") for k in keys]] for s in t.sources}
    return ReportTable(
        "연도별 투자계획(사업비)", "연도별 투자계획", [_budget_header(labels)],
        _budget_rows(pledge, t.sources, keys, total, by_src),
        _budget_widths(keys), unit_line="(단위 : 백만원)", landscape=True,
    )


def secured_table(se: SecuredExecuted, labels: dict[str, str], pledge: str) -> ReportTable:
    """연도별 확보(집행)액: '625 (577)' = secured (executed), 백만원."""
    keys = se.secured.periods
    empty = all(v is None for v in se.secured.row_totals.values())
    total = [Cell() if empty else Cell(se.grand_total, "pair", bold=True),
             *[Cell(se.column_total(k), "pair", bold=True) if se.column_total(k)[0] is not None
               else Cell() for k in keys]]
    by_src = {}
    for s in se.secured.sources:
        cells = [Cell(se.row_total(s), "pair") if se.row_total(s)[0] is not None else Cell()]
        for k in keys:
            sec, _exe = se.cell(s, k)
            cells.append(Cell(se.cell(s, k), "pair") if sec is not None else Cell())
        by_src[s] = cells
    return ReportTable(
        "연도별 확보(집행)액", "연도별 확보(집행)액", [_budget_header(labels)],
        _budget_rows(pledge, se.secured.sources, keys, total, by_src),
        _budget_widths(keys), unit_line="(단위 : 백만원, 괄호는 집행액)",
        landscape=True,
    )


def participation_years_table(per_period: list[tuple[Period, dict[str, int]]]) -> ReportTable:
    """시민참여(소통) 실적 (회): one row per period of the span (the workbook's sheet)."""
    kinds = list(per_period[0][1]) if per_period else []
    body = [spread(Cell(p.column_label, "head"), *[Cell(v, "int") for v in counts.values()])
            for p, counts in per_period]
    return ReportTable(
        "시민참여(소통) 실적", "시민참여(소통) 실적",
        [spread(head("기간"), *[head(k) for k in kinds])], body,
        [12.0, *[16.0] * len(kinds)], unit_line="(단위 : 회)",
    )


# The report form's own headings of the stored kinds (the city's 양식 writes them so)
PARTICIPATION_HEADS = {"설명회·민생탐방": "설명회, 민생탐방"}


def participation_table(counts: dict[str, int], period: Period,
                        blank_zero: bool = False) -> ReportTable:
    """시민참여(소통) 실적 (회) for a period; `blank_zero` leaves kinds with no record empty
    (the report's form is filled in like that; the workbook keeps 0 for sums and filters).
    The headings are the report form's ('설명회, 민생탐방')."""
    cells = [Cell(None if blank_zero and not v else v, "int") for v in counts.values()]
    return ReportTable(
        f"시민참여(소통) 실적 ({period.label})", "시민참여(소통) 실적",
        [spread(*[head(PARTICIPATION_HEADS.get(k, k)) for k in counts])], [spread(*cells)],
        [16.0] * len(counts), unit_line="(단위 : 회)",
    )


def purchasing_table(rows: list[PurchasingYear]) -> ReportTable:
    """우선구매 실적 per year (the latest figure of each year)."""
    header = spread(*[head(h) for h in ("연도", "기준일", "구매액", "구매율", "등급",
                                         "목표액", "목표율", "평가")])
    body = [spread(
        Cell(f"{r.year}년", "head"), Cell(f.report_date(r.as_of, weekday=False), align="center"),
        Cell(r.amount, "million"), Cell(r.rate, "percent"),
        Cell(r.grade, align="center"), Cell(r.target_amount, "million"),
        Cell(r.target_rate, "percent"),
        Cell(r.evaluation)) for r in rows]
    return ReportTable(
        "사회적경제기업 제품 우선구매 실적", "우선구매", [header], body,
        [9.0, 14.0, 12.0, 9.0, 7.0, 12.0, 9.0, 24.0], unit_line="(단위 : 백만원)",
    )
