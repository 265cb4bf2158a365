"""기업 rules: business registration number (format and check digit), dates, look-alikes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..formats import ascii_digits as ascii_digits
from ..formats import brn_text as brn_text
from ..formats import dotted
from ..formats import normalize_brn as normalize_brn
from ..models import Organization
from .checks import ERROR, WARNING, Problem, loaded, session_cache
from .core import rule

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
# Legal-form marks that do not tell two enterprises apart ("㈜두레" and "두레 주식회사").
NAME_NOISE = ("㈜", "(주)", "（주）", "주식회사", " ")


def brn_check_digit(first9: str) -> int:
    """The 10th digit of a 사업자등록번호 from its first nine (National Tax Service rule).

    Weights 1,3,7,1,3,7,1,3,5; add floor(9th digit × 5 / 10); check = (10 − sum % 10) % 10.
    """
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def valid_brn(text: str | None) -> bool:
    """True for ten digits (hyphens allowed) whose last digit is the right check digit."""
    brn = normalize_brn(text)
    return bool(brn and re.fullmatch(r"[0-9]{10}", brn) and brn_check_digit(brn[:9]) == int(brn[9]))


def normalize_name(name: str | None) -> str:
    """A name reduced for comparison: no ㈜/(주)/주식회사, no spaces, lower case."""
    s = name or ""
    for noise in NAME_NOISE:
        s = s.replace(noise, "")
    return s.lower()


def _org_index(session: Session) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(reduced name → ids, stored BRN → ids) of the stored enterprises, once per session.

    One pass over the enterprises instead of a table scan (names) and a query (numbers) per
    record keeps `main.py check` linear in the number of enterprises.
    """

    def build() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        names: dict[str, list[int]] = {}
        numbers: dict[str, list[int]] = {}
        for ident, name, brn in session.execute(
                select(Organization.id, Organization.name, Organization.brn)):
            names.setdefault(normalize_name(name), []).append(ident)
            if brn is not None:
                numbers.setdefault(brn, []).append(ident)
        return names, numbers

    return session_cache(session, "dure.rules.org_keys", build)


def similar_organizations(session: Session, name: str | None, brn: str | None = None,
                          exclude_id: int | None = None) -> list[Organization]:
    """Enterprises that look like the one being entered: same reduced name or same BRN."""
    reduced = normalize_name(name)
    number = normalize_brn(brn)
    if not reduced and not number:
        return []  # an empty form (every start shows one): no index of every enterprise
    names, numbers = _org_index(session)
    ids = set(names.get(reduced, [])) if reduced else set()
    if number:
        ids.update(numbers.get(number, []))
    ids.discard(exclude_id)
    if not ids:
        return []
    with session.no_autoflush:
        found = session.scalars(select(Organization).where(Organization.id.in_(ids)))
        return sorted(found, key=lambda o: (o.name, o.id))


def _organization(org: Organization, session: Session | None) -> Iterator[Problem]:
    brn = loaded(org, "brn")
    if brn is not None and str(brn).strip():
        number = normalize_brn(brn)
        if number != brn:
            org.brn = number  # accept '123-45-67890' and store the ten digits
        if not re.fullmatch(r"[0-9]{10}", number or ""):
            yield Problem("brn", (
                f"사업자등록번호 '{brn}'은(는) 숫자 10자리가 아닙니다. 123-45-67890처럼 "
                "사업자등록증의 번호를 그대로 입력하세요."))
        elif not valid_brn(number):
            yield Problem("brn", (
                f"사업자등록번호 {brn_text(number)}의 마지막 자리(검증번호)가 맞지 않습니다. "
                "사업자등록증을 보고 번호를 다시 확인하세요."))
    designated, expires = loaded(org, "designated_on"), loaded(org, "expires_on")
    if designated is not None and expires is not None and expires <= designated:
        yield Problem("expires_on", (
            f"지정 만료일({dotted(expires)})은 지정·인증일({dotted(designated)})보다 뒤여야 "
            "합니다. 날짜를 확인하세요."))
    if expires is not None and designated is None:
        yield Problem("designated_on", "지정 만료일이 있으면 지정·인증일도 입력하세요.", WARNING)
    if session is not None:
        yield from _look_alikes(org, session)


def _look_alikes(org: Organization, session: Session) -> Iterator[Problem]:
    """Same BRN: refused (the database would refuse it too). Same reduced name: a warning."""
    number = normalize_brn(loaded(org, "brn"))
    for other in similar_organizations(session, loaded(org, "name"), number, loaded(org, "id")):
        if number and other.brn == number:
            yield Problem("brn", (
                f"사업자등록번호 {brn_text(number)}은(는) 이미 '{other.name}'(으)로 등록되어 "
                "있습니다. 같은 기업이면 기존 기록을 고쳐 쓰세요."), ERROR)
        else:
            extra = f", {brn_text(other.brn)}" if other.brn else ""
            yield Problem("name", (
                f"이름이 비슷한 기업 '{other.name}'(번호 {other.id}{extra})이(가) 이미 있습니다. "
                "같은 기업이면 기존 기록을 쓰고, 다른 기업이면 그대로 저장하세요."), WARNING)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(Organization)(_organization)
