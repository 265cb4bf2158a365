"""아카데미 rules: course days within the course period, sessions and hours that add up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import Education, EducationDate
from .checks import WARNING, Problem, loaded, parent_of
from .core import rule


def met_hours(dates: list[EducationDate]) -> float:
    """Hours the course met by its dated times (days without both times count 0)."""
    total = 0.0
    for d in dates:
        a, b = loaded(d, "start_time"), loaded(d, "end_time")
        if a is not None and b is not None and b >= a:
            span = dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)
            total += span.total_seconds() / 3600
    return total


def _education(edu: Education, session: Session | None) -> Iterator[Problem]:
    sessions = loaded(edu, "sessions")
    if sessions == 0:
        yield Problem("sessions", "회수가 0회입니다. 교육이 열렸으면 1회 이상으로 입력하세요.",
                      WARNING)
    dates = list(loaded(edu, "dates") or [])
    hours = loaded(edu, "hours")
    timed = met_hours(dates)
    if isinstance(hours, (int, float)) and timed > hours + 1e-9:
        yield Problem("hours", (
            f"교육 일시의 시간을 더하면 {timed:g}시간인데 총 시간은 {hours:g}시간입니다. "
            "총 시간을 확인하세요."), WARNING)
    if dates and sessions is not None and len(dates) > sessions:
        yield Problem("sessions", (
            f"교육 일시가 {len(dates)}번인데 회수는 {sessions}회입니다. 회수를 확인하세요."),
            WARNING)


def _date(day: EducationDate, session: Session | None) -> Iterator[Problem]:
    edu = parent_of(day, "education", session)
    when = loaded(day, "day")
    if edu is None or when is None:
        return
    start, end = loaded(edu, "start_date"), loaded(edu, "end_date")
    end = end or start
    if start is not None and end is not None and end >= start and not start <= when <= end:
        yield Problem("day", (
            f"교육 날짜({dotted(when)})가 교육 기간({dotted(start)}~{dotted(end)}) 밖입니다. "
            "날짜나 교육 기간을 확인하세요."), WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(Education, reads=("dates",))(_education)
rule(EducationDate, reads=("education",))(_date)
