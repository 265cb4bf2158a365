"""아카데미 figures: per-course summary and detail rows for a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, not_, or_, select
from sqlalchemy.orm import Session

from ..models import Education, EducationDate
from ..models.choices import EDUCATION_COURSES, PURCHASE_COURSE, STARTUP_AUDIENCE, VISITING_COURSE
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


class SessionDate(NamedTuple):
    """A day a course met."""

    day: dt.date
    start_time: dt.time | None
    end_time: dt.time | None


class EducationRow(NamedTuple):
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
    return _details(session, period, None if course is None else Education.course == course)


def listed_runs(session: Session, period: Period) -> list[EducationRow]:
    """The runs the report lists one by one, by date: 찾아가는 아카데미's, the 공공구매 담당자
    교육's and the startup teams' courses. It counts the other runs per course (course_runs):
    at 1,000,000 records they were 4,341 of a year's 6,064 runs, 13,023 rows with their dates.
    """
    return _details(session, period, or_(
        Education.course.in_((VISITING_COURSE, PURCHASE_COURSE)), _for_startup()))


def _for_startup() -> ColumnElement[bool]:
    """A run for the startup teams: its audience names the 창업지원사업 (NULL: not one)."""
    return Education.audience.contains(STARTUP_AUDIENCE, autoescape=True)


def _details(session: Session, period: Period,
             which: ColumnElement[bool] | None) -> list[EducationRow]:
    e = Education
    # Plain columns rather than ORM objects: a year can hold hundreds of course runs.
    in_period = e.start_date.between(period.start, period.end)
    where = in_period if which is None else in_period & which
    q = (select(e.id, e.course, e.title, e.content, e.host, e.audience, e.mode, e.start_date,
                e.end_date, e.hours, e.sessions, e.attendees, e.note, e.printed_note)
         .where(where))
    rows = core_rows(session, q.order_by(e.start_date, e.id))
    dates: dict[int, list[SessionDate]] = {}
    if rows:
        d = EducationDate
        dates = grouped(SessionDate, core_rows(session,
            select(d.education_id, d.day, d.start_time, d.end_time)
            .join(e, e.id == d.education_id)
            .where(where)
            .order_by(d.day, d.id)
        ))
    return built(EducationRow, (
        (eid, course_, title, content, host, audience, mode, start_date, end_date,
         float(hours or 0), sessions, attendees, note, dates.get(eid) or [], printed_note)
        for (eid, course_, title, content, host, audience, mode, start_date, end_date,
             hours, sessions, attendees, note, printed_note) in rows))


@dataclass(frozen=True)
class CourseRuns:
    """A course's runs in a period, the startup teams' left out: how many, in which modes, and
    the one run's title and printed note when it ran once (None when it ran more often)."""

    course: str
    runs: int
    modes: frozenset[str]
    title: str | None
    printed_note: str | None


def course_runs(session: Session, period: Period) -> dict[str, CourseRuns]:
    """Per course, its runs started in the period other than the startup teams' (listed_runs)."""
    e = Education
    rows = core_rows(session,
        select(e.course, e.mode, func.count(e.id), func.min(e.title), func.min(e.printed_note))
        .where(e.start_date.between(period.start, period.end),
               or_(e.audience.is_(None), not_(_for_startup())))
        .group_by(e.course, e.mode))
    counts: dict[str, int] = {}
    modes: dict[str, set[str]] = {}
    one: dict[str, tuple[str, str | None]] = {}
    for course, mode, n, title, printed_note in rows:
        counts[course] = counts.get(course, 0) + n
        modes.setdefault(course, set()).add(mode)
        one[course] = (title, printed_note)
    return {c: CourseRuns(c, n, frozenset(modes[c]), *(one[c] if n == 1 else (None, None)))
            for c, n in counts.items()}
