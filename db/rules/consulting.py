"""컨설팅 rules: a named enterprise or a count of unnamed ones, startup-team kinds, sessions."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..models import Consulting
from ..models.choices import TEAM_CONSULTING_KINDS
from .checks import WARNING, Problem, loaded
from .core import rule


def _consulting(rec: Consulting, session: Session | None) -> Iterator[Problem]:
    org, companies = loaded(rec, "organization_id"), loaded(rec, "companies")
    if org is not None and companies:
        yield Problem("companies", (
            "기업을 지정한 기록에는 '기업 수(명단 없음)'를 0으로 두세요. 여러 기업을 한꺼번에 "
            "셀 때만 기업 수를 씁니다."), WARNING)
    counted = bool(companies) or loaded(rec, "end_on") is not None  # a batch, not one team
    if loaded(rec, "kind") in TEAM_CONSULTING_KINDS and not counted \
            and loaded(rec, "startup_team_id") is None:
        yield Problem("startup_team_id", "창업팀 심화 컨설팅은 창업팀을 지정하세요(여러 팀을 묶어 "
                                         "셀 때는 기업 수를 입력).", WARNING)
    if loaded(rec, "sessions") == 0:
        yield Problem("sessions", "회수가 0회입니다. 1회 이상으로 입력하세요.", WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(Consulting)(_consulting)
