"""현황 (dashboard) figures: what falls due soon, this year beside last year, yearly series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..formats import report_date
from ..models import (
    CarriedFigure,
    Consulting,
    Education,
    FinancePayment,
    Organization,
    SalesEvent,
    Space,
    StartupCohort,
    StartupPayment,
    StartupTeam,
    Tenancy,
    TenancyTerm,
)
from ..periods import Period
from ..rules.space import tenancy_status
from ..rules.startup import startup_pending
from .common import attach, bounds, core_rows
from .consulting import ConsultingLine, consulting_summary
from .education import AcademyLine, academy_summary
from .finance import FinanceCell, finance_yearly
from .purchasing import PurchasingYear, purchasing_results
from .sales import SalesYear, sales_yearly
from .startup import StartupYear, startup_yearly


@dataclass(frozen=True)
class DueItem:
    """Something that needs attention by `due_on` (negative `days_left`: already overdue)."""

    kind: str  # Korean: 계약 만료, 5년 한도, 연장 심사, 최종 평가 대기, 2차 지급 대기, 지정 만료 …
    title: str
    detail: str
    due_on: dt.date
    days_left: int
    table: str  # the record it is about, for "open record"
    record_id: int


def _in_window(day: dt.date | None, today: dt.date, warn_days: int) -> bool:
    """Within the warning window, or overdue by at most the same number of days."""
    return day is not None and -warn_days <= (day - today).days <= warn_days


class _DueTerm(NamedTuple):
    """A contract term as the due items read it (Core row)."""

    start_on: dt.date
    end_on: dt.date


@dataclass(slots=True)
class _DueTenancy:
    """A tenancy as the due items read it: what tenancy_status and an item's title need."""

    id: int
    moved_out_on: dt.date | None
    site: str
    org_name: str
    terms: list[_DueTerm]


def _tenancies(session: Session, first: dt.date, last: dt.date,
               warn_days: int) -> list[_DueTenancy]:
    """The tenancies that can have an item on a day from `first` to `last`: not moved out by
    `first`, and one of the dates an item is about within `warn_days` of those days (the
    signed end, the 5-year limit and the review date: none of them moves with the day).

    Every item needs the signed end (the latest end of a term with both dates) on or after
    `first` - `warn_days` (an end overdue by more has no item; the limit and the review only
    while under contract): only tenancies with such a term are read at all. Core rows, not ORM
    objects: at 1,000,000 records 400 such tenancies came with 2,000 terms, spaces and
    enterprises as ORM objects (90 ms, most of the 현황 tab's due items)."""
    lo, hi = first - dt.timedelta(days=warn_days), last + dt.timedelta(days=warn_days)
    recent = select(TenancyTerm.id).where(
        TenancyTerm.tenancy_id == Tenancy.id, TenancyTerm.start_on.is_not(None),
        TenancyTerm.end_on.is_not(None), TenancyTerm.end_on >= lo)
    chosen = (Space.status != "반납",
              (Tenancy.moved_out_on.is_(None)) | (Tenancy.moved_out_on >= first),
              recent.exists())
    read = {tid: _DueTenancy(tid, moved_out, site, name, []) for tid, moved_out, site, name
            in core_rows(session,
                         select(Tenancy.id, Tenancy.moved_out_on, Space.site, Organization.name)
                         .join(Space, Space.id == Tenancy.space_id)
                         .join(Organization, Organization.id == Tenancy.organization_id)
                         .where(*chosen).order_by(Tenancy.id))}
    ids = select(Tenancy.id).join(Space, Space.id == Tenancy.space_id).where(*chosen)
    attach(session, read, "terms", _DueTerm,
           select(TenancyTerm.tenancy_id, TenancyTerm.start_on, TenancyTerm.end_on)
           .where(TenancyTerm.tenancy_id.in_(ids)).order_by(TenancyTerm.id))
    out = []
    for t in read.values():
        d = tenancy_status(t, first)
        if d is not None and any(x is not None and lo <= x <= hi
                                 for x in (d.signed_end, d.five_year_limit, d.next_review)):
            out.append(t)
    return out


def _tenancy_items(tenancies: list[_DueTenancy], today: dt.date, warn_days: int) -> list[DueItem]:
    out = []
    for t in tenancies:
        if t.moved_out_on is not None and t.moved_out_on < today:
            continue  # the read's condition on this day
        d = tenancy_status(t, today)
        if d is None or d.state == "퇴거":
            continue
        # The signed end (last signed term) is what runs out, not the term in force.
        title = f"{t.site} · {t.org_name}"
        year = f"{d.contract_year}년차, " if d.contract_year else ""
        at_limit = d.signed_end == d.five_year_limit
        if _in_window(d.signed_end, today, warn_days):
            detail = f"{year}계약 종료 {_dot(d.signed_end)}"
            if at_limit:
                detail += " (5년 한도, 연장 불가)"
            out.append(_item("계약 만료", title, detail, d.signed_end, today, "tenancy", t.id))
        # Only while under contract: an expired, unrenewed contract has its own item.
        under_contract = d.signed_end >= today
        if under_contract and not at_limit and _in_window(d.five_year_limit, today, warn_days):
            out.append(_item("5년 한도", title, f"{year}입주 5년 한도 {_dot(d.five_year_limit)}",
                             d.five_year_limit, today, "tenancy", t.id))
        if under_contract and d.next_review is not None \
                and _in_window(d.next_review, today, warn_days):
            out.append(_item("연장 심사", title,
                             f"{year}계약 종료 {_dot(d.signed_end)} 전 연장 심사",
                             d.next_review, today, "tenancy", t.id))
    return out


class _DuePayment(NamedTuple):
    """A team's payment as the due items read it (Core row)."""

    kind: str
    paid_on: dt.date


@dataclass(slots=True)
class _DueTeam:
    """A startup team as the due items read it: what startup_pending and an item need."""

    id: int
    name: str
    status: str
    agreed_on: dt.date | None
    final_score: float | None
    evaluated_on: dt.date | None
    cohort_year: int
    payments: list[_DuePayment]


def _teams(session: Session, first: dt.date) -> list[_DueTeam]:
    """The teams of last year's cohort and later (of `first`'s year: later days ask fewer),
    with their payments: Core rows (400 teams at 1,000,000 records)."""
    chosen = (StartupCohort.year >= first.year - 1, StartupTeam.status != "참여 포기")
    t = StartupTeam
    teams = {}
    for tid, name, status, agreed, score, evaluated, year in core_rows(session,
            select(t.id, t.name, t.status, t.agreed_on, t.final_score, t.evaluated_on,
                   StartupCohort.year)
            .join(StartupCohort, StartupCohort.id == t.cohort_id).where(*chosen).order_by(t.id)):
        teams[tid] = _DueTeam(id=tid, name=name, status=status, agreed_on=agreed,
                              final_score=score, evaluated_on=evaluated, cohort_year=year,
                              payments=[])
    ids = select(t.id).join(StartupCohort, StartupCohort.id == t.cohort_id).where(*chosen)
    attach(session, teams, "payments", _DuePayment,
           select(StartupPayment.team_id, StartupPayment.kind, StartupPayment.paid_on)
           .where(StartupPayment.team_id.in_(ids)).order_by(StartupPayment.id))
    return list(teams.values())


def _startup_items(teams: list[_DueTeam], today: dt.date, warn_days: int) -> list[DueItem]:
    out = []
    for team in teams:
        if team.cohort_year < today.year - 1:
            continue  # the read's condition on this day
        pending = startup_pending(team, today)
        if pending is None:
            continue
        title = f"{team.cohort_year}년 창업팀 · {team.name}"
        detail = pending.message.removeprefix(f"{team.name}: ")
        if pending.kind == "최종 평가 대기":
            # The final evaluation is held towards the cohort's year end: warn only then.
            due = dt.date(team.cohort_year, 12, 31)
            if (due - today).days > warn_days:
                continue
        else:  # a payment is due now: counted from when it became due
            due = pending.since or today
        out.append(_item(pending.kind, title, detail, due, today, "startup_team", team.id))
    return out


Designation = tuple[int, str, str, dt.date | None]  # organization id, name, kind, expires_on


def _designations(session: Session, first: dt.date, last: dt.date,
                  warn_days: int) -> list[Designation]:
    return list(session.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.expires_on)
        .where(Organization.expires_on.between(first, last + dt.timedelta(days=warn_days)))
    ).tuples().all())


def _designation_items(rows: list[Designation], today: dt.date,
                       warn_days: int) -> list[DueItem]:
    last = today + dt.timedelta(days=warn_days)
    return [_item("지정 만료", name, f"{kind} 지정 만료 {_dot(exp)}", exp, today,
                  "organization", oid)
            for oid, name, kind, exp in rows if exp is not None and today <= exp <= last]


def due_items(session: Session, today: dt.date, warn_days: int = 90) -> list[DueItem]:
    """Everything due within `warn_days` of `today` (and recently overdue), by date."""
    return due_items_days(session, [today], warn_days)[0]


def due_items_days(session: Session, days: list[dt.date],
                   warn_days: int = 90) -> list[list[DueItem]]:
    """`due_items` on each of `days`, from one read of the records any of those days can
    name (each day then applies the read's own conditions to them)."""
    first, last = min(days), max(days)
    tenancies = _tenancies(session, first, last, warn_days)
    teams = _teams(session, first)
    designations = _designations(session, first, last, warn_days)
    return [sorted(_tenancy_items(tenancies, day, warn_days)
                   + _startup_items(teams, day, warn_days)
                   + _designation_items(designations, day, warn_days), key=_order)
            for day in days]


def _order(i: DueItem) -> tuple[dt.date, str, str, str, int]:
    """By date, then kind and title; the record last, so the order never rests on the order
    the database returned its rows in."""
    return i.due_on, i.kind, i.title, i.table, i.record_id


def _item(kind: str, title: str, detail: str, due: dt.date, today: dt.date, table: str,
          record_id: int) -> DueItem:
    return DueItem(kind, title, detail, due, (due - today).days, table, record_id)


def _dot(d: dt.date | None) -> str:
    """'2021. 11. 16.' or '' for no date."""
    return "" if d is None else report_date(d, weekday=False)


# ---------------------------------------------------------------- key figures


@dataclass(frozen=True)
class Figure:
    """One line of the figures table: this year (to date) beside last year."""

    group: str
    label: str
    unit: str  # a count unit (회, 명 …) or, for money in 원, how to show it: 천원 / 백만원 / 억원
    current: int | None  # None: no record of that year, shown blank (not a 0 nobody entered)
    previous: int | None
    table: str  # the area tab the figure comes from


def _total(values: Iterable[int]) -> int | None:
    """The sum of a year's records; None when the year has none (nothing was entered)."""
    found = list(values)
    return sum(found) if found else None


class PeriodReads:
    """The report figures the dashboard reads, each period's once however many days ask for
    it (the yearly queries count each period on its own: a list of periods is a list of
    single periods' figures), and the first record dates the chart starts from."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._memo: dict[tuple[str, Period], Any] = {}
        self._firsts: list[dt.date | None] | None = None

    def _read(self, name: str, period: Period, read: Callable[[Session, Period], Any]) -> Any:
        key = (name, period)
        if key not in self._memo:
            self._memo[key] = read(self.session, period)
        return self._memo[key]

    def startup(self, period: Period) -> StartupYear:
        return cast(StartupYear, self._read(
            "startup", period, lambda s, p: startup_yearly(s, [p])[0]))

    def sales(self, period: Period) -> SalesYear:
        return cast(SalesYear, self._read("sales", period, lambda s, p: sales_yearly(s, [p])[0]))

    def finance(self, period: Period) -> list[FinanceCell]:
        """Each program's cell of the period, in FINANCE_PROGRAMS order (finance_yearly's)."""
        return cast(list[FinanceCell], self._read(
            "finance", period, lambda s, p: [row.cells[0] for row in finance_yearly(s, [p])]))

    def academy(self, period: Period) -> list[AcademyLine]:
        return cast(list[AcademyLine], self._read("academy", period, academy_summary))

    def consulting(self, period: Period) -> list[ConsultingLine]:
        return cast(list[ConsultingLine], self._read("consulting", period, consulting_summary))

    def purchasing(self, period: Period) -> list[PurchasingYear]:
        return cast(list[PurchasingYear], self._read("purchasing", period, purchasing_results))

    def firsts(self) -> list[dt.date | None]:
        """The first 판로 event, 재정지원 payment and carried sales/finance figure."""
        if self._firsts is None:
            s = self.session
            self._firsts = [
                s.scalar(select(func.min(SalesEvent.start_date))),
                s.scalar(select(func.min(FinancePayment.paid_on))),
                s.scalar(select(func.min(CarriedFigure.period_start))
                         .where(CarriedFigure.area.in_(("sales", "finance")))),
            ]
        return self._firsts


def key_figures(session: Session, today: dt.date,
                reads: PeriodReads | None = None) -> list[Figure]:
    """This year up to `today` beside the whole of last year, from the report queries
    (`reads`: shared by the days read together)."""
    r = reads or PeriodReads(session)
    now, before = Period.as_of(today), Period.year_of(today.year - 1)
    out: list[Figure] = []

    a, b = r.startup(now), r.startup(before)
    out.append(Figure("창업지원", "선정 팀", "개팀", a.teams_selected, b.teams_selected,
                      "startup_cohort"))

    sa, sb = r.sales(now), r.sales(before)
    out.append(Figure("판로지원", "판로 행사", "회", sa.events, sb.events, "sales_event"))
    out.append(Figure("판로지원", "매출액", "천원", sa.sales_amount, sb.sales_amount,
                      "sales_event"))

    for fa, fb in zip(r.finance(now), r.finance(before), strict=True):
        out.append(Figure("재정지원", f"{fa.program} 기업", "개사", fa.orgs, fb.orgs,
                          "finance_grant"))
        out.append(Figure("재정지원", f"{fa.program} 금액", "백만원", fa.amount, fb.amount,
                          "finance_grant"))

    cur, prev = r.academy(now), r.academy(before)
    out.append(Figure("아카데미", "교육 회수", "회", _total(x.sessions for x in cur),
                      _total(x.sessions for x in prev), "education"))
    out.append(Figure("아카데미", "교육 인원", "명", _total(x.attendees for x in cur),
                      _total(x.attendees for x in prev), "education"))

    out.append(Figure("컨설팅", "컨설팅 회수", "회",
                      _total(x.sessions for x in r.consulting(now)),
                      _total(x.sessions for x in r.consulting(before)),
                      "consulting"))

    def bought(period: Period) -> int | None:
        return next((x.amount for x in r.purchasing(period)
                     if x.year == period.start.year), None)

    out.append(Figure("우선구매", "우선구매액", "억원", bought(now), bought(before),
                      "purchasing_result"))
    return out


# ---------------------------------------------------------------- chart series


@dataclass(frozen=True)
class YearBar:
    """One year of the chart: 판로 매출액 and 재정지원 금액 in 원."""

    year: int
    sales: int
    finance: int
    label: str  # 2020년, or 2021년* for the year still running (to `today`)


def yearly_bars(session: Session, today: dt.date, max_years: int = 8,
                reads: PeriodReads | None = None) -> list[YearBar]:
    """Yearly sales and financial support from the first year with records up to today
    (`reads`: shared by the days read together)."""
    r = reads or PeriodReads(session)
    known = [d.year for d in r.firsts() if d is not None and d <= today]
    if not known:
        return []
    first = max(min(known), today.year - max_years + 1)
    periods = [Period.year_of(y) for y in range(first, today.year)] + [Period.as_of(today)]
    return [
        YearBar(p.start.year, r.sales(p).sales_amount, sum(c.amount for c in r.finance(p)),
                f"{p.start.year}년" if p.kind == "year" or p.end.month == 12 and p.end.day == 31
                else f"{p.start.year}년*")
        for p in periods
    ]


def record_years(session: Session, today: dt.date) -> list[int]:
    """Years that have records (sales, finance, startup, education, consulting, tenancy)."""
    firsts, lasts = [], []
    for column in (SalesEvent.start_date, FinancePayment.paid_on, Education.start_date,
                   Consulting.held_on, TenancyTerm.start_on, CarriedFigure.period_start):
        lo, hi = bounds(session, column)
        if lo is not None:
            firsts.append(lo.year)
            lasts.append(hi.year)
    lo, hi = bounds(session, StartupCohort.year)
    if lo is not None:
        firsts.append(lo)
        lasts.append(hi)
    if not firsts:
        return [today.year]
    # Up to this year at least (the period being recorded now), later when plans are entered.
    return list(range(min(min(firsts), today.year), max(max(lasts), today.year) + 1))
