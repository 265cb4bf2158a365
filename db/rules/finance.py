"""재정지원 rules: payments within the grant year, not above the approved amount or persons.

Labour costs and insurance are paid monthly on the 25th; that is the usual day
(`monthly_payday` gives it to forms as a default), never a rule: other days are accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..formats import dotted
from ..models import FinanceGrant, FinancePayment
from .checks import WARNING, Problem, derived, holds, loaded, money_text, parent_of, siblings
from .core import rule

PAYDAY = 25


def monthly_payday(year: int, month: int) -> dt.date:
    """The usual payment day of a month (the 25th), a default for the payment form."""
    return dt.date(year, month, PAYDAY)


def _paid_total(grant: FinanceGrant, payment: FinancePayment | None) -> int:
    """Sum of the grant's payments, with `payment` counted in its current (edited) form."""
    if payment is None or holds(grant, "payments", payment):  # the grant's payments as held
        return derived(grant, "paid_total", lambda g: _sum(loaded(g, "payments") or []))
    return _sum(siblings(payment, grant, "payments"))


def _sum(payments: list[FinancePayment]) -> int:
    return sum(a for p in payments if isinstance(a := loaded(p, "amount"), int))


def _over_approved(grant: FinanceGrant, total: int) -> Problem | None:
    approved = loaded(grant, "approved_amount")
    if approved is not None and total > approved:
        return Problem("amount", (
            f"지급 합계({money_text(total)})가 승인 금액({money_text(approved)})보다 많습니다. "
            "금액이나 승인 금액을 확인하세요."), WARNING)
    return None


def _payment(pay: FinancePayment, session: Session | None) -> Iterator[Problem]:
    grant = parent_of(pay, "grant", session)
    if grant is None:
        return
    year, paid_on = loaded(grant, "year"), loaded(pay, "paid_on")
    if year is not None and paid_on is not None and paid_on.year != year:
        yield Problem("paid_on", (
            f"지급일({dotted(paid_on)})이 지원 연도({year}년) 밖입니다. 맞으면 그대로 두세요"
            "(전년도분을 이듬해 지급하는 경우 등)."), WARNING)
    persons, approved = loaded(pay, "persons"), loaded(grant, "approved_persons")
    if persons is not None and approved and persons > approved:
        yield Problem("persons", (
            f"지급 인원({persons}명)이 승인 인원({approved}명)보다 많습니다. 인원을 확인하세요."),
            WARNING)
    if isinstance(loaded(pay, "amount"), int):
        problem = _over_approved(grant, _paid_total(grant, pay))
        if problem:
            yield problem


def _grant(grant: FinanceGrant, session: Session | None) -> Iterator[Problem]:
    if loaded(grant, "approved_amount") is not None:
        over = _over_approved(grant, _paid_total(grant, None))
        if over:
            yield Problem("approved_amount", over.message, WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(FinancePayment, reads=("grant.payments",))(_payment)
rule(FinanceGrant, reads=("payments",))(_grant)
