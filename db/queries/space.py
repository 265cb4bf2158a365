"""입주공간 figures: the tenant-space roster per provider, milestones and tenant calls."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import (
    Organization,
    Space,
    SpaceMilestone,
    Tenancy,
    TenancyRent,
    TenancyTerm,
    TenantCall,
    TenantCallSpace,
)
from ..models.choices import SPACE_PROVIDERS
from ..periods import Period
from ..rules.space import tenancy_status
from .common import core_rows

RETURNED = "반납"
PLANNED = "선정 예정"
CURRENT, COMING, ENDED = "입주 중", "입주 예정", "계약 종료"


class TermRow(NamedTuple):
    """One contract of a tenancy: the first (2 years) or a 1-year renewal."""

    start: dt.date
    end: dt.date
    months: int  # whole months covered (24 for a 2-year first contract)
    is_renewal: bool
    note: str | None


class _RosterFields(NamedTuple):
    """A space as the roster prints it, with the tenancy it shows as of the date.

    A NamedTuple (built in 1 µs, a frozen dataclass of 22 fields in 4): a roster at 1,000,000
    records holds 1,500 spaces. RosterRow adds the printed 연번."""

    space_id: int
    number: int | None  # 1.. for spaces in operation or planned; None for returned ones
    site: str
    area_m2: float
    use: str
    agreement_on: dt.date | None  # the roster shows the month
    status: str  # 운영 / 반납 / 선정 예정, as of the roster date
    tenant: str | None
    tenant_kind: str | None
    lessee_note: str | None
    terms: list[TermRow]
    first_start: dt.date | None
    five_year_limit: dt.date | None  # last day the tenancy may run
    contract_year: int | None  # 1년차, 2년차 … as of the date (the last reached once ended)
    next_review: dt.date | None  # yearly review due (db/rules/space.py), None at the limit
    moved_in_on: dt.date | None
    expected_move_in: dt.date | None
    rents: list[tuple[int, int]]  # (contract year, 원)
    ends_within_warning: bool  # the signed contract ends within warn_days of the date
    returned_on: dt.date | None
    note: str | None
    occupancy: str | None = None  # 입주 중 / 입주 예정 / 계약 종료 as of the date; None: no tenancy


class RosterRow(_RosterFields):
    """A space as the roster prints it (_RosterFields), with its 연번 as printed."""

    __slots__ = ()

    def _number_label(self) -> str:
        """연번 as printed: '1', '2' … or '반납'."""
        return RETURNED if self.number is None else str(self.number)

    number_label = property(_number_label)  # not @property: mutmut skips decorated defs


@dataclass(frozen=True)
class RosterTable:
    """One provider's roster table."""

    provider: str
    rows: list[RosterRow]


def _months(start: dt.date, end: dt.date) -> int:
    """Whole months from start to the day after end (2019.8.15.~2021.8.14. → 24)."""
    after = end + dt.timedelta(days=1)
    m = (after.year - start.year) * 12 + after.month - start.month
    return m if after.day >= start.day else m - 1


class _Space(NamedTuple):
    """A space as the roster reads it (Core row)."""

    id: int
    provider: str
    site: str
    area_m2: float | None
    use: str
    agreement_on: dt.date | None
    status: str
    returned_on: dt.date | None
    expected_move_in: dt.date | None
    lessee_note: str | None
    note: str | None


class _Term(NamedTuple):
    """A contract term as the roster reads it (Core row, not an ORM object)."""

    start_on: dt.date
    end_on: dt.date
    note: str | None


@dataclass(slots=True)
class _Tenancy:
    """A tenancy as the roster reads it, with its terms (by start) and rents (by year)."""

    id: int
    moved_in_on: dt.date | None
    moved_out_on: dt.date | None
    note: str | None
    org_name: str
    org_kind: str
    terms: list[_Term]
    rents: list[tuple[int, int]]


def _span(t: _Tenancy) -> tuple[dt.date | None, dt.date | None]:
    """First day and last day of a tenancy (terms, cut short by an early move-out)."""
    if t.terms:
        start, end = min(x.start_on for x in t.terms), max(x.end_on for x in t.terms)
        return start, end if t.moved_out_on is None else min(end, t.moved_out_on)
    return t.moved_in_on, t.moved_out_on


def _shown_tenancy(tenancies: list[_Tenancy],
                   day: dt.date) -> tuple[_Tenancy | None, str | None]:
    """The current tenancy, else the last one that ended, else the next one to start.

    Returned with its occupancy on `day`: a contract that starts later is 입주 예정, one whose
    last term ended before the day is 계약 종료 (never shown as current).
    """
    current, ended, coming = [], [], []
    for t in tenancies:
        start, end = _span(t)
        if start is None:
            coming.append((dt.date.max, t))
        elif start > day:
            coming.append((start, t))
        elif end is not None and end < day:
            ended.append((end, t))
        else:
            current.append((start, t))
    if current:
        return max(current, key=lambda x: (x[0], x[1].id))[1], CURRENT
    if ended:
        return max(ended, key=lambda x: (x[0], x[1].id))[1], ENDED
    if coming:
        return min(coming, key=lambda x: (x[0], x[1].id))[1], COMING
    return None, None


def _row(space: _Space, tenancies: list[_Tenancy], number: int | None, status: str,
         as_of: dt.date, warn_days: int) -> RosterRow:
    t, occupancy = (None, None) if status == PLANNED else _shown_tenancy(tenancies, as_of)
    terms: list[TermRow] = []
    first = year = review = limit = None
    warn = False
    rents: list[tuple[int, int]] = []
    if t is not None:
        terms = [TermRow(x.start_on, x.end_on, _months(x.start_on, x.end_on), i > 0, x.note)
                 for i, x in enumerate(t.terms)]  # by start (_tenancies)
        first = t.moved_in_on
        st = tenancy_status(t, as_of)  # the derivations shared with the dashboard and rules
        if st is not None:
            first, year, review, limit = (st.first_start, st.contract_year, st.next_review,
                                          st.five_year_limit)
            warn = status != RETURNED and occupancy == CURRENT and st.ends_within(warn_days)
        rents = t.rents
    return RosterRow(
        space_id=space.id, number=number, site=space.site, area_m2=float(space.area_m2 or 0),
        use=space.use, agreement_on=space.agreement_on, status=status,
        tenant=t.org_name if t else None, tenant_kind=t.org_kind if t else None,
        lessee_note=space.lessee_note, terms=terms, first_start=first, five_year_limit=limit,
        contract_year=year, next_review=review, moved_in_on=t.moved_in_on if t else None,
        expected_move_in=space.expected_move_in, rents=rents, ends_within_warning=warn,
        returned_on=space.returned_on if status == RETURNED else None,
        note=t.note if t else space.note, occupancy=occupancy,
    )


def _tenancies(session: Session) -> dict[int, list[_Tenancy]]:
    """Every space's tenancies (by id) with terms and rents: Core rows, no ORM objects.

    Looked up by space and by tenancy through their indexes (`IN (SELECT …)`: the ids stay
    in SQL, where 1,500 spaces at 1,000,000 records cost 4,500 bound parameters); a year's
    roster spent 1.7 s building ORM objects with selectinload.
    """
    by_id: dict[int, _Tenancy] = {}
    out: dict[int, list[_Tenancy]] = defaultdict(list)
    spaces = select(Space.id)
    for space_id, tid, moved_in, moved_out, note, name, kind in core_rows(session,
            select(Tenancy.space_id, Tenancy.id, Tenancy.moved_in_on, Tenancy.moved_out_on,
                   Tenancy.note, Organization.name, Organization.kind)
            .join(Organization, Organization.id == Tenancy.organization_id)
            .where(Tenancy.space_id.in_(spaces)).order_by(Tenancy.id)):
        by_id[tid] = _Tenancy(id=tid, moved_in_on=moved_in, moved_out_on=moved_out, note=note,
                              org_name=name, org_kind=kind, terms=[], rents=[])
        out[space_id].append(by_id[tid])
    tenancies = select(Tenancy.id).where(Tenancy.space_id.in_(spaces))
    for tid, start, end, note in core_rows(session,
            select(TenancyTerm.tenancy_id, TenancyTerm.start_on, TenancyTerm.end_on,
                   TenancyTerm.note).where(TenancyTerm.tenancy_id.in_(tenancies))
            .order_by(TenancyTerm.start_on, TenancyTerm.id)):
        by_id[tid].terms.append(_Term(start, end, note))
    for tid, year, amount in core_rows(session,
            select(TenancyRent.tenancy_id, TenancyRent.contract_year, TenancyRent.amount)
            .where(TenancyRent.tenancy_id.in_(tenancies))
            .order_by(TenancyRent.contract_year, TenancyRent.id)):
        by_id[tid].rents.append((year, int(amount)))
    return out


def roster(session: Session, as_of: dt.date, warn_days: int = 90) -> list[RosterTable]:
    """입주공간 현황 as of a date: one table per provider (코레일, LH, 기타) that has spaces."""
    sp = Space
    # tuples with named fields: an SQLAlchemy Row's attributes cost 0.5 µs a read here
    spaces = list(map(_Space._make, core_rows(session,
        select(sp.id, sp.provider, sp.site, sp.area_m2, sp.use, sp.agreement_on, sp.status,
               sp.returned_on, sp.expected_move_in, sp.lessee_note, sp.note)
        .order_by(sp.sort_order, sp.id)
    )))
    tenancies = _tenancies(session)
    by_provider: dict[str, list[_Space]] = defaultdict(list)
    for s in spaces:
        if s.agreement_on is not None and s.agreement_on > as_of and not tenancies.get(s.id):
            continue  # not yet the city's on that date
        by_provider[s.provider].append(s)
    tables = []
    for provider in SPACE_PROVIDERS:
        live: list[_Space] = []
        returned: list[_Space] = []
        for s in by_provider.get(provider, []):
            gone = s.status == RETURNED and s.returned_on is not None and s.returned_on <= as_of
            (returned if gone else live).append(s)
        if not live and not returned:
            continue
        rows = []
        for i, s in enumerate(live, start=1):
            status = PLANNED if s.status == PLANNED else "운영"
            rows.append(_row(s, tenancies.get(s.id, []), i, status, as_of, warn_days))
        rows += [_row(s, tenancies.get(s.id, []), None, RETURNED, as_of, warn_days)
                 for s in returned]
        tables.append(RosterTable(provider, rows))
    return tables


@dataclass(frozen=True)
class MilestoneRow:
    """A dated step of the space programme (the yearly table's bullet)."""

    happened_on: dt.date
    month_only: bool
    text: str


def space_milestones(session: Session,
                     periods: list[Period]) -> dict[str, list[list[MilestoneRow]]]:
    """Per provider (that has any), per period: the milestones in that period, by date."""
    if not periods:
        return {}
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    rows = session.scalars(
        select(SpaceMilestone).where(SpaceMilestone.happened_on.between(lo, hi))
        .order_by(SpaceMilestone.happened_on, SpaceMilestone.id)
    ).all()
    out: dict[str, list[list[MilestoneRow]]] = {}
    for provider in SPACE_PROVIDERS:
        mine = [m for m in rows if m.provider == provider]
        if not mine:
            continue
        out[provider] = [
            [MilestoneRow(m.happened_on, m.month_only, m.text) for m in mine
             if p.contains(m.happened_on)]
            for p in periods
        ]
    return out


@dataclass(frozen=True)
class CallOfferRow:
    """A space offered in a call: applicants and the selected enterprise."""

    provider: str
    site: str
    applicants: int
    selected: str | None
    note: str | None
    moved_in_on: dt.date | None = None  # the selected enterprise's move-in in that space
    returned_on: dt.date | None = None  # the space's return, when nobody was selected


@dataclass(frozen=True)
class TenantCallRow:
    """입주기업 공모 with its offers and the number of applicants in all."""

    title: str
    start_on: dt.date
    end_on: dt.date | None
    note: str | None
    offers: list[CallOfferRow]
    applicants: int
    printed_note: str | None = None  # the report's detail of the applicants

    def _outcome_on(self) -> dt.date:
        """When the call's result shows: the first move-in or return after it, else its end."""
        days = [d for o in self.offers for d in (o.moved_in_on, o.returned_on) if d]
        return min(days) if days else (self.end_on or self.start_on)

    outcome_on = property(_outcome_on)


def _move_in(space: Space, org_id: int | None, after: dt.date) -> dt.date | None:
    """The selected enterprise's first move-in (or contract start) in the space after a day."""
    days = []
    for t in space.tenancies:
        if t.organization_id != org_id:
            continue
        start = t.moved_in_on or min((x.start_on for x in t.terms), default=None)
        if start is not None and start >= after:
            days.append(start)
    return min(days, default=None)


def tenant_calls(session: Session, period: Period) -> list[TenantCallRow]:
    """Calls starting in the period, or whose result (move-in, return) falls in it."""
    lo = dt.date(period.start.year - 1, period.start.month, 1)  # results come within months
    calls = session.scalars(
        select(TenantCall).options(
            selectinload(TenantCall.offers).selectinload(TenantCallSpace.space)
            .selectinload(Space.tenancies).selectinload(Tenancy.terms),
            selectinload(TenantCall.offers).selectinload(TenantCallSpace.selected_organization),
        ).where(TenantCall.start_on.between(lo, period.end))
        .order_by(TenantCall.start_on, TenantCall.id)
    ).all()
    out = []
    for c in calls:
        after = c.end_on or c.start_on
        offers = [
            CallOfferRow(o.space.provider, o.space.site, o.applicants,
                         o.selected_organization.name if o.selected_organization else None,
                         o.note,
                         _move_in(o.space, o.selected_organization_id, after)
                         if o.selected_organization_id else None,
                         o.space.returned_on if not o.selected_organization_id else None)
            for o in c.offers
        ]
        row = TenantCallRow(c.title, c.start_on, c.end_on, c.note, offers,
                            sum(o.applicants for o in offers), c.printed_note)
        if period.contains(c.start_on) or period.contains(row.outcome_on):
            out.append(row)
    return out
