"""아카데미 figures: per-course summary and detail rows for a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Education, EducationDate
from ..models.choices import EDUCATION_COURSES
from ..periods import Period


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


def academy_details(session: Session, period: Period,
                    course: str | None = None) -> list[EducationRow]:
    """Course runs started in the period (optionally one course), by date."""
    q = select(Education).where(Education.start_date.between(period.start, period.end))
    if course is not None:
        q = q.where(Education.course == course)
    eds = session.scalars(q.order_by(Education.start_date, Education.id)).all()
    dates: dict[int, list[SessionDate]] = defaultdict(list)
    if eds:
        for d in session.scalars(
            select(EducationDate).where(EducationDate.education_id.in_([e.id for e in eds]))
            .order_by(EducationDate.day, EducationDate.id)
        ):
            dates[d.education_id].append(SessionDate(d.day, d.start_time, d.end_time))
    return [EducationRow(e.id, e.course, e.title, e.content, e.host, e.audience, e.mode,
                         e.start_date, e.end_date, float(e.hours or 0), e.sessions,
                         e.attendees, e.note, dates.get(e.id, [])) for e in eds]
