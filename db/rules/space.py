"""입주공간 rules and the tenancy derivations the queries, dashboard and exports share.

The rule (docs/domain.md): the first contract runs 2 years (start + 2 years − 1 day, 2019.8.15.~
2021.8.14.); after a yearly review it is renewed for at most 1 year at a time, each renewal
starting the day after the previous term ends; at most 5 years in all from the first start
(limit = first start + 5 years − 1 day). A renewal past the limit is refused unless the term
gives an override reason. Shorter terms are allowed (a renewal may end at a designation expiry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import Space, Tenancy, TenancyRent, TenancyTerm, TenantCallSpace
from .checks import ERROR, WARNING, Problem, loaded, parent_of, session_cache, siblings
from .core import rule

FIRST_TERM_YEARS = 2
RENEWAL_YEARS = 1
LIMIT_YEARS = 5
# The yearly review is due this many days before the signed term ends (one place to change).
REVIEW_LEAD_DAYS = 60
RENT_FREE_PROVIDERS = ("LH",)  # LH spaces: no rent, the tenant pays monthly upkeep


class TermLike(Protocol):
    start_on: dt.date
    end_on: dt.date
    override_reason: str | None


# ---------------------------------------------------------------- pure date arithmetic


def add_years(d: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March (so the term ends on the 28th)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return dt.date(d.year + years, 3, 1)


def term_end(start: dt.date, years: int) -> dt.date:
    """Last day of a term of `years` starting on `start`: 2019.8.15. + 2 → 2021.8.14."""
    return add_years(start, years) - dt.timedelta(days=1)


def first_term_end(start: dt.date) -> dt.date:
    """Where a first contract starting on `start` ends (2 years)."""
    return term_end(start, FIRST_TERM_YEARS)


def five_year_limit(first_start: dt.date) -> dt.date:
    """The last day a tenant may stay: first start + 5 years − 1 day."""
    return term_end(first_start, LIMIT_YEARS)


def contract_year_on(first_start: dt.date, day: dt.date) -> int:
    """1-based contract year of `day`, counted from the first start (1년차, 2년차 …)."""
    years = day.year - first_start.year
    if add_years(first_start, years) > day:
        years -= 1
    return years + 1


def review_date(signed_end: dt.date) -> dt.date:
    """When the yearly review for a renewal is due: REVIEW_LEAD_DAYS before the signed end."""
    return signed_end - dt.timedelta(days=REVIEW_LEAD_DAYS)


def next_renewal(terms: Sequence[TermLike]) -> tuple[dt.date, dt.date] | None:
    """The longest renewal allowed after the last term: (start, end), or None at the limit."""
    dated = _dated(terms)
    if not dated:
        return None
    limit = five_year_limit(dated[0].start_on)
    last_end = max(t.end_on for t in dated)
    if last_end >= limit:
        return None
    start = last_end + dt.timedelta(days=1)
    return start, min(term_end(start, RENEWAL_YEARS), limit)


def _dated(terms: Sequence[Any]) -> list[Any]:
    """Terms with both dates, in order of start (then end)."""
    ok = [t for t in terms if loaded(t, "start_on") and loaded(t, "end_on")]
    return sorted(ok, key=lambda t: (t.start_on, t.end_on))


# ---------------------------------------------------------------- status for screens and exports


class _StatusFields(NamedTuple):
    """Where a tenancy stands on `today` (a NamedTuple: the roster derives 1,500 at once).

    `signed_end` is the end of the last signed term; `days_left` counts to it, and the next
    review is due REVIEW_LEAD_DAYS before it (None when no renewal is possible any more).
    """

    today: dt.date
    first_start: dt.date
    term: Any  # the TenancyTerm in force (or the first upcoming / the last ended one)
    term_start: dt.date
    term_end: dt.date
    signed_end: dt.date
    contract_year: int | None  # None before the first start
    years_covered: int  # contract years the signed terms reach (rent rows up to this)
    five_year_limit: dt.date
    next_review: dt.date | None
    days_left: int
    state: str  # 입주 예정 / 계약 중 / 계약 만료 / 퇴거


class TenancyStatus(_StatusFields):
    """Where a tenancy stands on `today` (_StatusFields), with what follows from it."""

    __slots__ = ()

    def _is_past_limit(self) -> bool:
        """The signed terms run past the 5-year limit (only possible with an override)."""
        return self.signed_end > self.five_year_limit

    def _can_renew(self) -> bool:
        return self.signed_end < self.five_year_limit and self.state != "퇴거"

    # property() calls rather than @property: the mutation run reaches undecorated bodies only
    is_past_limit = property(_is_past_limit)
    can_renew = property(_can_renew)

    def ends_within(self, days: int) -> bool:
        """The signed contract ends in the next `days` days (today included)."""
        return self.state != "퇴거" and 0 <= self.days_left <= days

    def review_due(self) -> bool:
        """The review date has come and no renewal is signed yet."""
        return self.next_review is not None and self.can_renew and self.today >= self.next_review


def tenancy_status(tenancy: Any, today: dt.date) -> TenancyStatus | None:
    """Derive contract year, term, review date and 5-year limit; None when no term is entered."""
    terms = _dated(loaded(tenancy, "terms") or [])
    if not terms:
        return None
    first = terms[0].start_on
    limit = five_year_limit(first)
    started = [t for t in terms if t.start_on <= today]
    current = started[-1] if started else terms[0]
    signed_end = max(t.end_on for t in terms)
    moved_out = loaded(tenancy, "moved_out_on")
    if moved_out is not None and moved_out <= today:
        state = "퇴거"
    elif today < first:
        state = "입주 예정"
    elif today <= signed_end:
        state = "계약 중"
    else:
        state = "계약 만료"
    return TenancyStatus(
        today=today,
        first_start=first,
        term=current,
        term_start=current.start_on,
        term_end=current.end_on,
        signed_end=signed_end,
        contract_year=contract_year_on(first, min(today, signed_end)) if today >= first else None,
        years_covered=contract_year_on(first, signed_end),
        five_year_limit=limit,
        next_review=review_date(signed_end) if signed_end < limit else None,
        days_left=(signed_end - today).days,
        state=state,
    )


# ---------------------------------------------------------------- the term sequence rule


def term_problems(term: Any, terms: Sequence[Any]) -> Iterator[Problem]:
    """Problems of one term within its tenancy's terms (`terms` includes `term`)."""
    dated = _dated(terms)
    if term not in dated or any(t.end_on < t.start_on for t in dated):
        return  # missing or reversed dates: the generic checks say so; order them first
    first = dated[0].start_on
    limit = five_year_limit(first)
    span = f"{dotted(term.start_on)}~{dotted(term.end_on)}"
    index = dated.index(term)
    if index == 0:
        longest = first_term_end(first)
        if term.end_on > longest:
            yield Problem("end_on", (
                f"첫 계약은 2년입니다. 시작일이 {dotted(first)}이면 종료일은 {dotted(longest)}"
                f"까지입니다(입력: {dotted(term.end_on)}). 종료일을 고치고, 그 뒤는 1년씩 연장 "
                "계약으로 입력하세요."))
        elif term.end_on < longest:
            yield Problem("end_on", (
                f"첫 계약 기간({span})이 2년보다 짧습니다. 보통은 {dotted(first)}~"
                f"{dotted(longest)}입니다. 맞으면 그대로 두세요."), WARNING)
    else:
        before = dated[:index]
        prev_end = max(t.end_on for t in before)
        day_after = prev_end + dt.timedelta(days=1)
        if term.start_on <= prev_end:
            yield Problem("start_on", (
                f"계약 기간 {span}이 앞 계약 기간(~{dotted(prev_end)})과 겹칩니다. "
                f"연장 계약은 {dotted(day_after)}부터 시작하세요."))
        elif term.start_on > day_after:
            gap = (term.start_on - day_after).days
            yield Problem("start_on", (
                f"앞 계약이 {dotted(prev_end)}에 끝나고 이 계약은 {dotted(term.start_on)}에 "
                f"시작해 {gap}일이 빕니다. 연장 계약은 보통 {dotted(day_after)}부터입니다."),
                WARNING)
        longest = term_end(term.start_on, RENEWAL_YEARS)
        if term.end_on > longest:
            yield Problem("end_on", (
                f"연장 계약은 한 번에 1년까지입니다. 시작일이 {dotted(term.start_on)}이면 "
                f"종료일은 {dotted(longest)}까지입니다(입력: {dotted(term.end_on)})."))
        reviewed = loaded(term, "reviewed_on")
        if reviewed is not None and reviewed > term.start_on:
            yield Problem("reviewed_on", (
                f"연장 심사일({dotted(reviewed)})이 연장 계약 시작일({dotted(term.start_on)})보다 "
                "늦습니다. 심사를 마친 뒤 연장하는 것이 규칙입니다. 날짜를 확인하세요."), WARNING)
    if term.end_on > limit:
        reason = (loaded(term, "override_reason") or "").strip()
        if reason:
            yield Problem("end_on", (
                f"입주 기간이 5년 한도({dotted(limit)})를 넘습니다. 입력한 사유({reason})에 따라 "
                "예외로 저장합니다."), WARNING)
        else:
            yield Problem("end_on", (
                f"입주는 처음 계약 시작일({dotted(first)})부터 5년, 곧 {dotted(limit)}까지만 "
                f"할 수 있는데 이 계약은 {dotted(term.end_on)}까지입니다. 종료일을 "
                f"{dotted(limit)} 이전으로 고치거나, 꼭 필요하면 '5년 초과 사유'를 입력하세요."))


def _term(term: TenancyTerm, session: Session | None) -> Iterator[Problem]:
    tenancy = parent_of(term, "tenancy", session)
    yield from term_problems(term, siblings(term, tenancy, "terms"))


def _rent(rent: TenancyRent, session: Session | None) -> Iterator[Problem]:
    tenancy = parent_of(rent, "tenancy", session)
    space = parent_of(tenancy, "space", session) if tenancy is not None else None
    year = loaded(rent, "contract_year")
    if space is not None and space.provider in RENT_FREE_PROVIDERS:
        yield Problem("amount", (
            f"{space.provider} 공간({space.site})은 임대료가 없습니다(입주기업은 관리비만 냅니다). "
            "이 임대료 행을 지우세요."))
    if year is None:
        return
    if year < 1:
        yield Problem("contract_year", "연차는 1년차부터입니다. 1 이상으로 입력하세요.")
        return
    if tenancy is None:
        return
    others = [r for r in siblings(rent, tenancy, "rents") if r is not rent]
    if any(loaded(r, "contract_year") == year for r in others):
        yield Problem("contract_year", f"{year}년차 임대료가 이미 있습니다. 기존 행을 고치세요.")
    terms = _dated(loaded(tenancy, "terms") or [])
    if terms:
        covered = contract_year_on(terms[0].start_on, max(t.end_on for t in terms))
        if year > covered:
            yield Problem("contract_year", (
                f"{year}년차 임대료를 넣었지만 계약 기간({dotted(terms[0].start_on)}~"
                f"{dotted(max(t.end_on for t in terms))})은 {covered}년차까지입니다. 연차를 "
                "확인하거나 연장 계약을 먼저 입력하세요."))
    elif year > LIMIT_YEARS:
        yield Problem("contract_year", "입주는 5년까지라 임대료 연차는 1~5년차입니다.")


def _tenancy(tenancy: Tenancy, session: Session | None) -> Iterator[Problem]:
    space = parent_of(tenancy, "space", session)
    terms = _dated(loaded(tenancy, "terms") or [])
    start = terms[0].start_on if terms else loaded(tenancy, "moved_in_on")
    returned = loaded(space, "returned_on") if space is not None else None
    if returned is not None and start is not None and start > returned:
        yield Problem(None, (
            f"이 공간({space.site})은 {dotted(returned)}에 반납되어 그 뒤({dotted(start)})에는 "
            "입주를 시작할 수 없습니다. 공간이나 날짜를 확인하세요."))
    if session is not None and space is not None and terms:
        yield from _shared_space(tenancy, space, terms, session)


def _shared_space(tenancy: Tenancy, space: Space, terms: list[Any],
                  session: Session) -> Iterator[Problem]:
    """Warn when another enterprise's tenancy of the same space overlaps this one."""
    begin, end = terms[0].start_on, max(t.end_on for t in terms)
    ident = loaded(tenancy, "id")
    spans = _space_index(session)[0].get(space.id, ())
    if not any(t != ident and start <= end and stop >= begin for t, start, stop in spans):
        return
    stmt = (
        select(Tenancy.id, TenancyTerm.start_on, TenancyTerm.end_on)
        .join(TenancyTerm, TenancyTerm.tenancy_id == Tenancy.id)
        .where(Tenancy.space_id == space.id, TenancyTerm.start_on <= end,
               TenancyTerm.end_on >= begin)
        .order_by(TenancyTerm.start_on, TenancyTerm.id)  # the earliest, on every server
    )
    if ident is not None:
        stmt = stmt.where(Tenancy.id != ident)
    with session.no_autoflush:
        row = session.execute(stmt.limit(1)).first()
    if row is not None:
        yield Problem(None, (
            f"같은 공간({space.site})에 다른 입주 계약({dotted(row.start_on)}~"
            f"{dotted(row.end_on)})이 같은 기간에 있습니다. 공간이나 기간을 확인하세요."), WARNING)


def _space_index(session: Session) -> tuple[dict[int, list[tuple[int, Any, Any]]], set[int]]:
    """(space id → (tenancy id, start, end) of its dated terms, ids of spaces with rent rows).

    Two queries for the whole check instead of two per space and tenancy. Which overlapping
    term a message names still comes from the query the rule ran before (its first row).
    """

    def build() -> tuple[dict[int, list[tuple[int, Any, Any]]], set[int]]:
        spans: dict[int, list[tuple[int, Any, Any]]] = {}
        for space_id, ident, start, stop in session.execute(
                select(Tenancy.space_id, Tenancy.id, TenancyTerm.start_on, TenancyTerm.end_on)
                .join(TenancyTerm, TenancyTerm.tenancy_id == Tenancy.id)
                .where(TenancyTerm.start_on.is_not(None), TenancyTerm.end_on.is_not(None))):
            spans.setdefault(space_id, []).append((ident, start, stop))
        rented = set(session.scalars(
            select(Tenancy.space_id).join(TenancyRent, TenancyRent.tenancy_id == Tenancy.id)
            .distinct()))
        return spans, rented

    return session_cache(session, "dure.rules.space_index", build)


def _space(space: Space, session: Session | None) -> Iterator[Problem]:
    status, returned = loaded(space, "status"), loaded(space, "returned_on")
    if status == "반납" and returned is None:
        yield Problem("returned_on", "상태가 '반납'이면 반납일을 입력하세요.")
    if status != "반납" and returned is not None:
        yield Problem("returned_on", (
            f"반납일({dotted(returned)})이 있는데 상태가 '{status}'입니다. 반납했으면 상태를 "
            "'반납'으로 바꾸고, 아니면 반납일을 지우세요."), WARNING)
    if loaded(space, "provider") in RENT_FREE_PROVIDERS and session is not None and space.id \
            and space.id in _space_index(session)[1]:
        yield Problem("provider", (
            f"{space.provider} 공간은 임대료가 없는데 이 공간의 입주 계약에 임대료가 "
            "입력되어 있습니다. 제공 기관이나 임대료를 확인하세요."))


def _offer(offer: TenantCallSpace, session: Session | None) -> Iterator[Problem]:
    # applicants left empty is saved as the default 0, so judge it as 0 here too
    if loaded(offer, "selected_organization_id") is not None and not loaded(offer, "applicants"):
        yield Problem("applicants", (
            "선정 기업이 있는데 신청 기업 수가 0입니다. 신청 기업 수를 입력하세요."), ERROR)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(TenancyTerm, reads=("tenancy.terms",))(_term)
rule(TenancyRent, reads=("tenancy.space", "tenancy.rents", "tenancy.terms"))(_rent)
rule(Tenancy, reads=("space", "terms"))(_tenancy)
rule(Space)(_space)
rule(TenantCallSpace)(_offer)
