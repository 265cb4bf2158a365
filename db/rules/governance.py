"""소통·예산·과제 rules: budget period keys, carried-over figures, report notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..models import BudgetLine, CarriedFigure, ReportNote, Setting
from .checks import Problem, loaded, order_problem
from .core import rule

PERIOD_WORDS = {"prior": "기투자", "after": "임기후"}


def valid_period_key(period: str | None) -> bool:
    """'prior', 'after' or a four-digit year 1990–2100 (the database CHECK says the same)."""
    if period in PERIOD_WORDS:
        return True
    return bool(period and re.fullmatch(r"\d{4}", period) and 1990 <= int(period) <= 2100)


def _budget_line(line: BudgetLine, session: Session | None) -> Iterator[Problem]:
    period = loaded(line, "period")
    if period is not None and str(period).strip() and not valid_period_key(period):
        yield Problem("period", (
            f"기간 '{period}'을(를) 알아볼 수 없습니다. 2019처럼 네 자리 연도로 입력하거나, "
            "기투자는 'prior', 임기후는 'after'로 입력하세요."))


def _carried(fig: CarriedFigure, session: Session | None) -> Iterator[Problem]:
    # the table's CHECK is not an `ordered()` pair, so the shared order rule does not see it
    problem = order_problem(fig, "period_start", "period_end")
    if problem:
        yield problem


def _note(note: ReportNote, session: Session | None) -> Iterator[Problem]:
    half, level = loaded(note, "half"), loaded(note, "level")
    if half is not None and half not in (1, 2):
        yield Problem("half", "반기는 1(상반기) 또는 2(하반기)로 입력하고, 연간이면 비워 두세요.")
    if level is not None and not 0 <= level <= 3:
        yield Problem("level", "단계는 0(○)~3 사이로 입력하세요.")


def _setting(setting: Setting, session: Session | None) -> Iterator[Problem]:
    key = loaded(setting, "key")
    if key is not None and not str(key).strip():
        yield Problem("key", "설정 항목 이름을 입력하세요.")


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(BudgetLine)(_budget_line)
rule(CarriedFigure)(_carried)
rule(ReportNote)(_note)
rule(Setting)(_setting)
