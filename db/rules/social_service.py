"""사회서비스 rules: project period within its year, performance figures non-negative."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import ServiceMeasure, SocialServiceProject
from .checks import WARNING, Problem, loaded
from .core import rule


def _project(project: SocialServiceProject, session: Session | None) -> Iterator[Problem]:
    year, start = loaded(project, "year"), loaded(project, "start_on")
    if year is not None and 2000 <= year <= 2100 and start is not None and start.year != year:
        yield Problem("start_on", (
            f"시작일({dotted(start)})이 사업 연도({year}년)와 다릅니다. 연도나 시작일을 "
            "확인하세요."), WARNING)


def _measure(measure: ServiceMeasure, session: Session | None) -> Iterator[Problem]:
    value = loaded(measure, "value")
    if isinstance(value, (int, float)) and value < 0:
        yield Problem("value", f"수치({value})는 0 이상이어야 합니다. 실적 수치를 확인하세요.")
    if isinstance(value, float) and not value.is_integer():
        yield Problem("value", f"수치({value:g})는 10가구, 140회처럼 정수로 입력하세요.")


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(SocialServiceProject)(_project)
rule(ServiceMeasure)(_measure)
