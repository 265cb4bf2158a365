"""컨설팅 figures: per-kind summary (enterprises, sessions) and detail rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Consulting, Organization
from ..models.choices import CONSULTING_KINDS, TEAM_CONSULTING_KINDS
from ..periods import Period
from .common import built, core_rows


@dataclass(frozen=True)
class ConsultingLine:
    """One kind in a period: 컨설팅 데이 18개사 50회."""

    kind: str
    companies: int  # distinct named enterprises (or startup teams) + unnamed counts
    sessions: int
    topic: str | None = None  # the topic of the kind's only record (None: several or none)


def consulting_summary(session: Session, period: Period) -> list[ConsultingLine]:
    """Consulting held in the period, per kind in CONSULTING_KINDS order."""
    rows = session.execute(
        select(Consulting.kind, func.count(func.distinct(Consulting.organization_id))
               + func.count(func.distinct(case(
                   (Consulting.organization_id.is_(None), Consulting.startup_team_id)))),
               func.coalesce(func.sum(Consulting.companies), 0),
               func.coalesce(func.sum(Consulting.sessions), 0),
               func.count(Consulting.id), func.max(Consulting.topic))
        .where(Consulting.held_on.between(period.start, period.end))
        .group_by(Consulting.kind)
    ).all()
    found = {k: ConsultingLine(k, int(named) + int(unnamed), int(s), topic if n == 1 else None)
             for k, named, unnamed, s, n, topic in rows}
    order = list(CONSULTING_KINDS) + sorted(set(found) - set(CONSULTING_KINDS))
    return [found[k] for k in order if k in found]


class ConsultingRow(NamedTuple):
    """A consulting record."""

    id: int
    kind: str
    held_on: dt.date
    end_on: dt.date | None
    organization: str | None
    topic: str | None
    sessions: int
    companies: int
    consultant: str | None
    note: str | None
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def consulting_details(session: Session, period: Period,
                       kinds: tuple[str, ...] | None = None) -> list[ConsultingRow]:
    """Consulting records held in the period (optionally of the given kinds only), by date."""
    c = Consulting
    # Plain columns rather than ORM objects: a year can hold thousands of records.
    q = (select(c.id, c.kind, c.held_on, c.end_on, Organization.name, c.topic, c.sessions,
                c.companies, c.consultant, c.note, c.printed_note)
         .outerjoin(Organization, Organization.id == c.organization_id)
         .where(c.held_on.between(period.start, period.end)))
    if kinds is not None:
        q = q.where(c.kind.in_(kinds))
    return built(ConsultingRow, core_rows(session, q.order_by(c.held_on, c.id)))


class TeamRound(NamedTuple):
    """A startup team's 1:1 round (창업팀 심화 1차/2차), as the startup block prints it."""

    kind: str
    held_on: dt.date
    companies: int  # the teams that took part that day
    topic: str | None
    printed_note: str | None


def team_rounds(session: Session, year: int, day: dt.date) -> list[TeamRound]:
    """The startup teams' rounds held from 1 January of `year` to `day`, by date.

    A record with an end date counts a batch of enterprises, not a round: left out. Only the
    columns the report prints, with no join: at 1,000,000 records the whole rows with their
    organisations cost SQLite 28 ms for a year's 7,979 rounds, these 11.5 ms.
    """
    c = Consulting
    return built(TeamRound, core_rows(session,
        select(c.kind, c.held_on, c.companies, c.topic, c.printed_note)
        .where(c.held_on.between(dt.date(year, 1, 1), day), c.kind.in_(TEAM_CONSULTING_KINDS),
               c.end_on.is_(None))
        .order_by(c.held_on, c.id)))
