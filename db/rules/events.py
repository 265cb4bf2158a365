"""행사·시설 rules: dates and times in order (generic), rooms that fit the facility's area."""

from __future__ import annotations

import math
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..formats import pyeong
from ..models import FacilityProject, Festival
from .checks import WARNING, Problem, loaded
from .core import rule


def _festival(fest: Festival, session: Session | None) -> Iterator[Problem]:
    start, end = loaded(fest, "start_time"), loaded(fest, "end_time")
    if end is not None and start is None:
        yield Problem("start_time", "종료 시각이 있으면 시작 시각도 입력하세요.", WARNING)


def _facility(project: FacilityProject, session: Session | None) -> Iterator[Problem]:
    area = loaded(project, "area_m2")
    rooms = [r for r in loaded(project, "rooms") or [] if loaded(r, "area_pyeong")]
    total = sum(r.area_pyeong for r in rooms)
    # a non-finite area (a damaged or scrambled file) has its own message: no 평 to compare
    if area and rooms and math.isfinite(area) and total > pyeong(area) + 1:  # 1평 slack
        yield Problem("area_m2", (
            f"공간 구성 면적 합계({total:g}평)가 시설 면적({area:g}㎡, 약 {pyeong(area)}평)보다 "
            "큽니다. 면적을 확인하세요."), WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(Festival)(_festival)
rule(FacilityProject, reads=("rooms",))(_facility)
