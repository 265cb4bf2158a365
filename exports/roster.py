"""입주공간 현황 tables: one ReportTable per provider, in the seed's columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from db import formats as f
from db.queries.space import COMING, ENDED, PLANNED, RETURNED, RosterRow, RosterTable, TermRow

from .table_model import Cell, ReportTable, head, spread

KORAIL, LH = "코레일", "LH"
RENEWAL = "1년 재계약"
WARN_LINE = "※ 만료 임박"  # printed too, so the warning survives black-and-white printing
_TITLES = {KORAIL: "철도역사 내 유휴공간", LH: "LH 공동주택단지 내 사회적기업 공간"}


def _months_text(months: int) -> str:
    return f"({months // 12}년)" if months % 12 == 0 else f"({months}개월)"


def _terms_text(terms: list[TermRow], fmt: Callable[[dt.date], str],
                break_after: bool = False) -> list[str]:
    """'2019.8.15.~' / '2021.8.14.(2년)' for the first contract; '1년 재계약' for renewals."""
    lines: list[str] = []
    for t in terms:
        note = t.note if t.note != RENEWAL else None
        if t.is_renewal and t.months == 12:
            lines.append(RENEWAL)
        elif t.is_renewal:
            end = fmt(t.end)
            if t.end.year == t.start.year and fmt is f.dotted:
                end = f"{t.end.month}.{t.end.day}."  # 2021.8.15.~12.25. as the seed writes it
            lines.append(f"{fmt(t.start)}~{end}")
        else:
            sep = "~\n" if break_after else "~"
            lines.append(f"{fmt(t.start)}{sep}{fmt(t.end)}{_months_text(t.months)}")
        if note:
            lines.append(note)
    return lines


def _tenant_text(r: RosterRow, with_kind: bool = True) -> str:
    if r.status == PLANNED or r.tenant is None:
        return PLANNED
    lines = [r.tenant]
    if with_kind and r.tenant_kind and r.tenant_kind != "기타":
        lines.append(f"({r.tenant_kind})")
    if r.lessee_note:
        note = r.lessee_note.strip()
        lines.append(note if note.startswith("※") else f"※{note}")
    if r.occupancy == COMING and r.status != RETURNED:
        lines.append(f"({COMING})")
    return "\n".join(lines)


def _ended_line(r: RosterRow) -> list[str]:
    """'계약 종료(2021. 12. 25.)' for a tenancy whose contract ended before the date."""
    if r.occupancy != ENDED or r.status == RETURNED or not r.terms:
        return []
    return [f"{ENDED}({f.report_date(r.terms[-1].end, weekday=False)})"]


def _rents(r: RosterRow, hl: bool) -> Cell:
    """'1년차 : 5,665천원' lines (+ '공간 반납'); a spreadsheet shows them as 천원 numbers."""
    return Cell(tuple(r.rents) or None, "rents", highlight=hl,
                note="공간 반납" if r.status == RETURNED else "")


def _number(r: RosterRow) -> Cell:
    return Cell(r.number_label, "head", highlight=r.ends_within_warning)


def _korail_row(r: RosterRow) -> list:
    period = _terms_text(r.terms, f.dotted, break_after=True) + _ended_line(r)
    if r.status == RETURNED and r.note:
        period.append(r.note)
    hl = r.ends_within_warning
    if hl:
        period.append(WARN_LINE)
    return spread(
        _number(r), Cell(f"{r.site}\n({_area(r.area_m2)})", highlight=hl),
        Cell(r.use, align="center", highlight=hl), Cell(_tenant_text(r), highlight=hl),
        Cell("\n".join(period) or None, highlight=hl), _rents(r, hl),
    )


def _lh_row(r: RosterRow) -> list:
    hl = r.ends_within_warning
    period: str | None
    if r.status == PLANNED:
        period = PLANNED
        move = f"{f.yy_month(r.expected_move_in)} 예정" if r.expected_move_in else None
    else:
        lines = _terms_text(r.terms, f.yy_date) + _ended_line(r)
        if r.status == RETURNED:
            lines.append(f"{RETURNED} {f.dotted(r.returned_on)}" if r.returned_on else RETURNED)
        if hl:
            lines.append(WARN_LINE)
        period = "\n".join(lines) or None
        move = f.yy_month(r.moved_in_on) if r.moved_in_on else None
        if move and r.occupancy == COMING:
            move += " 예정"
    agree = f.year_month(r.agreement_on) if r.agreement_on else None
    return spread(
        _number(r), Cell(f"{r.site}\n({_area(r.area_m2)})", highlight=hl),
        Cell(agree, align="center", highlight=hl), Cell(_tenant_text(r, False), highlight=hl),
        Cell(period, highlight=hl), Cell(move, align="center", highlight=hl),
    )


def roster_tables(tables: list[RosterTable], as_of: dt.date, warn_days: int,
                  notes: dict[str, str] | None = None) -> list[ReportTable]:
    """One ReportTable per provider; rows ending within `warn_days` are shaded.

    `notes` (provider → text, from the settings) are printed between a provider's title and
    its table, line by line, as the seed's "- 임대료 : …" / "- 입주기간 : …".
    """
    notes = notes or {}
    out = []
    for i, t in enumerate(tables, start=1):
        if t.provider == LH:
            cols = ("연번", "LH 입주단지\n(면적)", "LH 협약\n(무상 임대)", "입주기업", "입주기간",
                    "입주시기")
            # sized so '2018. 12.', "'19.4.25.~'21.4.24.(2년)" and "'22.3. 예정" keep to one
            # line even in the portrait report, where the table is only 129 mm wide; the
            # area goes under the site (as in the Korail table) rather than break inside it
            widths = [7.0, 24.0, 16.5, 25.0, 38.0, 17.0]
            body = [_lh_row(r) for r in t.rows]
        else:
            cols = ("연번", "장소(면적)", "용도", "입주기업", "입주기간", "임대료(연납)")
            widths = [7.0, 22.5, 12.0, 29.5, 29.5, 27.0]
            body = [_korail_row(r) for r in t.rows]
        gone = [r.site.split()[0] for r in t.rows if r.status == RETURNED]
        tail = f" ※ {', '.join(gone)} 공간 반납" if gone else ""
        name = _TITLES.get(t.provider, f"{t.provider} 제공 공간")
        legend = None
        if any(r.ends_within_warning for r in t.rows):
            legend = (f"{WARN_LINE}(음영): 계약 만료까지 {warn_days}일 이내 — "
                      "재계약 심사 또는 퇴거 준비 대상")
        out.append(ReportTable(
            f"{_circled(i)} {name}({_places(t)}){tail}",
            f"입주공간 현황({t.provider})"[:31], [spread(*[head(c) for c in cols])], body, widths,
            unit_line=f"{f.report_date(as_of, weekday=False)} 기준", landscape=True,
            legend=legend,
            intro=[line.rstrip() for line in notes.get(t.provider, "").splitlines()
                   if line.strip()],
        ))
    return out


def _area(m2: float) -> str:
    """'41㎡', '138.62㎡': the area as the seed writes it (no trailing zeros)."""
    return f"{m2:,.2f}".rstrip("0").rstrip(".") + "㎡"


def _places(t: RosterTable) -> str:
    """'3개 역사내 4개 공간': distinct stations (or complexes) and spaces in operation."""
    live = [r for r in t.rows if r.status != RETURNED]
    places = {r.site.split()[0] for r in live}
    unit = {KORAIL: "역사", LH: "단지"}.get(t.provider)
    return f"{len(places)}개 {unit}내 {len(live)}개 공간" if unit else f"{len(live)}개 공간"


def _circled(i: int) -> str:
    return chr(0x2460 + i - 1) if 1 <= i <= 20 else f"{i}."
