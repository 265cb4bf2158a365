"""판로지원 figures: the yearly table (회수, 매출액) and a period's events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..models import Organization, SalesEvent, SalesParticipant, SalesSchedule
from ..periods import Period
from .carried import carried_area
from .common import built, core_rows, grouped


@dataclass(frozen=True)
class SalesYear:
    """One column of the sales yearly table."""

    period: Period
    events: int
    sales_amount: int  # 원
    carried: bool


def _event_sales() -> ColumnElement[int]:
    """SQL: an event's sales — its own figure, else the sum of its participants' sales."""
    part = (
        select(func.coalesce(func.sum(SalesParticipant.sales), 0))
        .where(SalesParticipant.event_id == SalesEvent.id)
        .correlate(SalesEvent).scalar_subquery()
    )
    return func.coalesce(SalesEvent.sales_amount, part)


def sales_yearly(session: Session, periods: list[Period]) -> list[SalesYear]:
    """회수 and 매출액 per period: events starting in the period, plus carried figures."""
    out = []
    for p in periods:
        n, amount = session.execute(
            select(func.count(SalesEvent.id), func.coalesce(func.sum(_event_sales()), 0))
            .where(SalesEvent.start_date.between(p.start, p.end))
        ).one()
        carried = carried_area(session, "sales", p)
        n += sum(v for (m, _c), v in carried.items() if m == "events")
        amount += sum(v for (m, _c), v in carried.items() if m == "sales_amount")
        out.append(SalesYear(p, int(n), int(amount), bool(carried)))
    return out


class ScheduleRow(NamedTuple):
    """One run of an event at one venue."""

    venue: str | None
    start_date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None


class ParticipantRow(NamedTuple):
    """An enterprise at an event (참가기업명 · 유형 · 참가내용)."""

    name: str
    kind: str
    items: str | None
    sales: int | None


class SalesEventRow(NamedTuple):
    """An event of the period with everything the report says about it."""

    id: int
    kind: str
    name: str
    content: str | None
    channel: str | None
    start_date: dt.date
    end_date: dt.date | None
    booths: int
    applied: int
    selected: int
    participants: int  # participant_count when set, else the number listed
    sales_amount: int | None  # 원; the event's figure, else the participants' sum if any
    note: str | None
    schedules: list[ScheduleRow]
    participant_list: list[ParticipantRow]
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def sales_events(session: Session, period: Period) -> list[SalesEventRow]:
    """Events starting in the period, in date order, with schedules and participants."""
    e = SalesEvent
    in_period = e.start_date.between(period.start, period.end)
    # Plain columns rather than ORM objects: a year at 1,000,000 records holds 1,300 events.
    events = core_rows(session,
        select(e.id, e.kind, e.name, e.content, e.channel, e.start_date, e.end_date, e.booths,
               e.applied, e.selected, e.participant_count, e.sales_amount, e.note,
               e.printed_note)
        .where(in_period).order_by(e.start_date, e.id)
    )
    scheds: dict[int, list[ScheduleRow]] = {}
    parts: dict[int, list[ParticipantRow]] = {}
    if events:
        sc = SalesSchedule
        scheds = grouped(ScheduleRow, core_rows(session,
            select(sc.event_id, sc.venue, sc.start_date, sc.end_date, sc.start_time,
                   sc.end_time)
            .join(e, e.id == sc.event_id).where(in_period)
            .order_by(sc.start_date, sc.id)
        ))
        sp = SalesParticipant
        parts = grouped(ParticipantRow, core_rows(session,
            select(sp.event_id, Organization.name, Organization.kind, sp.items, sp.sales)
            .join(e, e.id == sp.event_id)
            .join(Organization, Organization.id == sp.organization_id)
            .where(in_period).order_by(sp.id)
        ))
    rows = []
    for (eid, kind, name, content, channel, start, end, booths, applied, selected,
         participant_count, sales, note, printed_note) in events:
        plist = parts.get(eid) or []
        if sales is None and any(p.sales is not None for p in plist):
            sales = sum(p.sales or 0 for p in plist)
        count = participant_count if participant_count is not None else len(plist)
        rows.append((eid, kind, name, content, channel, start, end, booths, applied, selected,
                     count, sales, note, scheds.get(eid) or [], plist, printed_note))
    return built(SalesEventRow, rows)
