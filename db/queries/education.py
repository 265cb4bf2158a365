"""아카데미 figures: per-course summary and detail rows for a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Education, EducationDate
from ..models.choices import EDUCATION_COURSES
from ..periods import Period
from .common import built, core_rows, grouped


@dataclass(frozen=True)
class AcademyLine:
    """One course in a period: 기초과정 3회 30시간 14명 (records = course runs)."""

    course: str
    sessions: int
    hours: float
    attendees: int
    records: int


def academy_summary(session: Session, period: Period) -> list[AcademyLine]:
    """Courses started in the period, summed, in EDUCATION_COURSES order."""
    rows = session.execute(
        select(Education.course, func.sum(Education.sessions), func.sum(Education.hours),
               func.sum(Education.attendees), func.count(Education.id))
        .where(Education.start_date.between(period.start, period.end))
        .group_by(Education.course)
    ).all()
    found = {c: AcademyLine(c, int(s or 0), float(h or 0), int(a or 0), int(n))
             for c, s, h, a, n in rows}
    order = list(EDUCATION_COURSES) + sorted(set(found) - set(EDUCATION_COURSES))
    return [found[c] for c in order if c in found]


@dataclass(frozen=True)
class SessionDate:
    """A day a course met."""

    day: dt.date
    start_time: dt.time | None
    end_time: dt.time | None


@dataclass(frozen=True)
class EducationRow:
    """A course run with its dates, as the ① ② … items of the report list it."""

    id: int
    course: str
    title: str
    content: str | None
    host: str | None
    audience: str | None
    mode: str
    start_date: dt.date
    end_date: dt.date | None
    hours: float
    sessions: int
    attendees: int
    note: str | None
    dates: list[SessionDate]
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def academy_details(session: Session, period: Period,
                    course: str | None = None) -> list[EducationRow]:
    """Course runs started in the period (optionally one course), by date."""
    e = Education
    # Plain columns rather than ORM objects: a year can hold hundreds of course runs.
    q = (select(e.id, e.course, e.title, e.content, e.host, e.audience, e.mode, e.start_date,
                e.end_date, e.hours, e.sessions, e.attendees, e.note, e.printed_note)
         .where(e.start_date.between(period.start, period.end)))
    if course is not None:
        q = q.where(e.course == course)
    rows = core_rows(session, q.order_by(e.start_date, e.id))
    dates: dict[int, list[SessionDate]] = {}
    if rows:
        d = EducationDate
        dates = grouped(SessionDate, core_rows(session,
            select(d.education_id, d.day, d.start_time, d.end_time)
            .join(e, e.id == d.education_id)
            .where(e.start_date.between(period.start, period.end))
            .order_by(d.day, d.id)
        ))
    return built(EducationRow, (
        (eid, course_, title, content, host, audience, mode, start_date, end_date,
         float(hours or 0), sessions, attendees, note, dates.get(eid) or [], printed_note)
        for (eid, course_, title, content, host, audience, mode, start_date, end_date,
             hours, sessions, attendees, note, printed_note) in rows))
