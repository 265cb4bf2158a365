"""우선구매 figures: yearly results, promotion notices, publications and videos."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from ..models import CarriedFigure, PromotionNotice, Publication, PurchasingResult, Video
from ..models.choices import PROMOTION_CHANNELS
from ..periods import Period
from .common import built, core_rows, grouped, opt_float


@dataclass(frozen=True)
class PurchasingYear:
    """A year's latest purchasing figure up to the period's end."""

    year: int
    as_of: dt.date
    amount: int  # 원
    rate: float | None  # %
    grade: str | None
    target_amount: int | None
    target_rate: float | None
    evaluation: str | None
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def purchasing_results(session: Session, period: Period) -> list[PurchasingYear]:
    """For each year up to the period's end, its latest result dated on or before that end."""
    latest = (
        select(PurchasingResult.year, func.max(PurchasingResult.as_of).label("as_of"))
        .where(PurchasingResult.as_of <= period.end, PurchasingResult.year <= period.end.year)
        .group_by(PurchasingResult.year).subquery()
    )
    rows = session.scalars(
        select(PurchasingResult).join(
            latest, (latest.c.year == PurchasingResult.year)
            & (latest.c.as_of == PurchasingResult.as_of))
        .order_by(PurchasingResult.year)
    ).all()
    return [PurchasingYear(
        year=r.year, as_of=r.as_of, amount=int(r.amount), rate=opt_float(r.rate), grade=r.grade,
        target_amount=None if r.target_amount is None else int(r.target_amount),
        target_rate=opt_float(r.target_rate), evaluation=r.evaluation, printed_note=r.printed_note,
    ) for r in rows]



class NoticeRow(NamedTuple):
    """A promotion notice as the report lists it: title (date)."""

    notice_on: dt.date
    month_only: bool
    recurring: str | None
    audience: str | None
    title: str
    end_on: dt.date | None = None


def promotion_notices(session: Session, period: Period) -> dict[str, list[NoticeRow]]:
    """Notices in the period grouped by channel (PROMOTION_CHANNELS order), by date."""
    n = PromotionNotice
    by_channel = grouped(NoticeRow, core_rows(session,
        select(n.channel, n.notice_on, n.month_only, n.recurring, n.audience, n.title, n.end_on)
        .where(n.notice_on.between(period.start, period.end))
        .order_by(n.notice_on, n.id)
    ))
    order = list(PROMOTION_CHANNELS) + sorted(set(by_channel) - set(PROMOTION_CHANNELS))
    return {c: by_channel[c] for c in order if c in by_channel}


@dataclass(frozen=True)
class PublicationRow:
    """A brochure or catalogue."""

    year: int
    kind: str
    title: str
    purpose: str | None
    content: str | None
    copies: int
    copies_detail: str | None
    distribution: str | None
    issued_on: dt.date | None
    note: str | None
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def publications(session: Session, period: Period) -> list[PublicationRow]:
    """Publications issued in the period (by issue date, else by year)."""
    rows = session.scalars(
        select(Publication).where(Publication.year.between(period.start.year, period.end.year))
        .order_by(Publication.year, Publication.issued_on, Publication.id)
    ).all()
    out = []
    for p in rows:
        if p.issued_on is not None and not period.contains(p.issued_on):
            continue
        out.append(PublicationRow(
            year=p.year, kind=p.kind, title=p.title, purpose=p.purpose, content=p.content,
            copies=p.copies, copies_detail=p.copies_detail, distribution=p.distribution,
            issued_on=p.issued_on, note=p.note, printed_note=p.printed_note,
        ))
    return out


class VideoRow(NamedTuple):
    """A posted video."""

    posted_on: dt.date
    title: str
    thumbnail: str | None
    url: str | None
    image: bytes | None = None  # the stored 썸네일 (PNG/JPEG)


@dataclass(frozen=True)
class VideoSummary:
    """Videos posted in the period, and counts per year up to the period's end."""

    rows: list[VideoRow]
    count_by_year: dict[int, int]  # each year up to the period's end (2020년 총 36개 …)
    count: int  # in the period (listed rows + carried counts)
    carried: bool  # counts include carried figures (videos known only as a number)


def videos(session: Session, period: Period) -> VideoSummary:
    """The channel's videos in the period and the yearly counts the report quotes.

    Videos known only as a count are carried figures (area purchasing, metric videos); a
    carried row counts in the year it starts, once the period's end covers all of it.
    """
    rows = built(VideoRow, core_rows(session,
        select(Video.posted_on, Video.title, Video.thumbnail, Video.url, Video.thumbnail_image)
        .where(Video.posted_on.between(period.start, period.end))
        .order_by(Video.posted_on, Video.id)))
    year = extract("year", Video.posted_on)
    counts: dict[int, int] = defaultdict(int)
    for y, n in core_rows(session,
        select(year, func.count(Video.id)).where(Video.posted_on <= period.end).group_by(year)
    ):
        counts[int(y)] += int(n)
    carried_rows = core_rows(session,
        select(CarriedFigure.period_start, CarriedFigure.period_end, CarriedFigure.value)
        .where(CarriedFigure.area == "purchasing", CarriedFigure.metric == "videos",
               CarriedFigure.period_end <= period.end)
    )
    in_period = 0
    for start, _end, value in carried_rows:
        counts[start.year] += int(value)
        if start >= period.start:
            in_period += int(value)
    return VideoSummary(rows, dict(sorted(counts.items())), len(rows) + in_period,
                        bool(carried_rows))
