"""판로지원 rules: recruitment counts, participants against the stated count, schedules, sales."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import SalesEvent, SalesParticipant, SalesSchedule
from .checks import WARNING, Problem, loaded, money_text, parent_of, siblings
from .core import rule


def _event(event: SalesEvent, session: Session | None) -> Iterator[Problem]:
    applied, selected = loaded(event, "applied"), loaded(event, "selected")
    if applied and selected is not None and selected > applied:
        yield Problem("selected", (
            f"선정 기업({selected}개사)이 신청 기업({applied}개사)보다 많습니다. 수를 "
            "확인하세요(신청 수를 모르면 신청 기업을 0으로 두세요)."))
    listed = list(loaded(event, "participants") or [])
    stated = loaded(event, "participant_count")
    if stated is not None and len(listed) > stated:
        yield Problem("participant_count", (
            f"참여 기업 수({stated}개)가 명단에 있는 기업 수({len(listed)}개)보다 적습니다. "
            "참여 기업 수를 고치거나 비워 두세요(비우면 명단 수를 씁니다)."))
    orgs = [loaded(p, "organization_id") for p in listed]
    known = [o for o in orgs if o is not None]
    if len(known) != len(set(known)):
        yield Problem("participants",
                      "같은 기업이 참가 기업 명단에 두 번 있습니다. 한 줄을 지우세요.",
                      WARNING)
    total = loaded(event, "sales_amount")
    parts = [s for p in listed if isinstance(s := loaded(p, "sales"), int)]
    if isinstance(total, int) and parts and sum(parts) > total:
        yield Problem("sales_amount", (
            f"참가 기업 매출 합계({money_text(sum(parts))})가 행사 매출액({money_text(total)})보다 "
            "많습니다. 금액을 확인하세요."), WARNING)


def _schedule(sched: SalesSchedule, session: Session | None) -> Iterator[Problem]:
    event = parent_of(sched, "event", session)
    if event is None:
        return
    first, last = loaded(event, "start_date"), loaded(event, "end_date")
    last = last or first
    start, end = loaded(sched, "start_date"), loaded(sched, "end_date")
    end = end or start
    if first is None or start is None or end is None or end < start:
        return
    if start < first or end > last:
        yield Problem("start_date", (
            f"일정({dotted(start)}~{dotted(end)})이 행사 기간({dotted(first)}~{dotted(last)}) "
            "밖에 있습니다. 행사 기간이나 일정을 확인하세요."), WARNING)


def _participant(part: SalesParticipant, session: Session | None) -> Iterator[Problem]:
    event = parent_of(part, "event", session)
    if event is None or session is None:
        return
    org = loaded(part, "organization_id")
    others = [p for p in siblings(part, event, "participants") if p is not part]
    if org is not None and any(loaded(p, "organization_id") == org for p in others):
        yield Problem("organization_id", (
            "이 기업은 이미 이 행사의 참가 기업입니다. 기존 줄을 고치세요."), WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(SalesEvent, reads=("participants",))(_event)
rule(SalesSchedule, reads=("event",))(_schedule)
rule(SalesParticipant, reads=("event.participants",))(_participant)
