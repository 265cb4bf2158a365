"""기업 rules: BRN check digit and format, designation dates, look-alike enterprises."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import service
from db.errors import ValidationFailed
from db.models import Organization
from db.rules import organization as org_rules
from tests.db_helpers import messages

D = dt.date


def make_brn(first9: str) -> str:
    """A valid number built by the algorithm itself, written independently of the module."""
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    digits = [int(c) for c in first9]
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + (digits[8] * 5) // 10
    return first9 + str((10 - total % 10) % 10)


GOOD = make_brn("123456789")  # 1+6+21+4+15+42+7+24+45 = 165, + 4 = 169 → check 1
WRONG = GOOD[:9] + str((int(GOOD[9]) + 1) % 10)


def test_check_digit_worked_example():
    assert GOOD == "1234567891"
    assert org_rules.brn_check_digit("123456789") == 1
    assert org_rules.valid_brn(GOOD)
    assert org_rules.valid_brn("123-45-67891")
    assert not org_rules.valid_brn(WRONG)
    assert not org_rules.valid_brn("12345")
    assert not org_rules.valid_brn(None)


@pytest.mark.parametrize("first9", ["000000000", "999999999", "220811234", "105870001"])
def test_check_digit_matches_the_written_rule(first9):
    assert org_rules.brn_check_digit(first9) == int(make_brn(first9)[9])


def test_normalize_and_print_brn():
    assert org_rules.normalize_brn("123-45-67891") == "1234567891"
    assert org_rules.normalize_brn(" 123 45 67891 ") == "1234567891"
    assert org_rules.normalize_brn("") is None
    assert org_rules.normalize_brn("12-34") == "12-34"  # not a BRN shape: left for the rule
    assert org_rules.brn_text("1234567891") == "123-45-67891"


def test_right_number_passes_and_is_stored_without_hyphens():
    org = Organization(name="두레", brn="123-45-67891")
    assert messages(org) == ""
    assert org.brn == "1234567891"


def test_wrong_check_digit_is_an_error():
    text = messages(Organization(name="두레", brn=WRONG), "error")
    assert "검증번호" in text and "123-45-6789" in text


@pytest.mark.parametrize("brn", ["12345", "123-45-6789a", "1234567890123"])
def test_wrong_length_is_an_error(brn):
    assert "숫자 10자리" in messages(Organization(name="두레", brn=brn), "error")


def test_expiry_must_follow_designation():
    bad = Organization(name="두레", designated_on=D(2021, 1, 1), expires_on=D(2020, 12, 31))
    assert "지정 만료일(2020.12.31.)" in messages(bad, "error")
    same = Organization(name="두레", designated_on=D(2021, 1, 1), expires_on=D(2021, 1, 1))
    assert messages(same, "error")
    ok = Organization(name="두레", designated_on=D(2021, 1, 1), expires_on=D(2023, 12, 31))
    assert messages(ok) == ""


def test_bad_kind_choice():
    assert "다음 중 하나" in messages(Organization(name="두레", kind="주식회사"), "error")
    assert "기업명" in messages(Organization(name="  "), "error")


def test_normalize_name():
    assert org_rules.normalize_name("㈜ 두레 Coop") == org_rules.normalize_name("두레coop 주식회사")
    assert org_rules.normalize_name("(주)두레") == "두레"


@pytest.fixture
def stored(db):
    service.save(db, Organization(name="㈜두레마을", brn=GOOD))
    service.save(db, Organization(name="다른기업"))
    return db


def test_similar_organizations(stored):
    with stored.session() as s:
        assert [o.name for o in org_rules.similar_organizations(s, "두레 마을 (주)", None)] == [
            "㈜두레마을"
        ]
        assert [o.name for o in org_rules.similar_organizations(s, "전혀 다름", GOOD)] == [
            "㈜두레마을"
        ]
        assert org_rules.similar_organizations(s, "새 기업", None) == []
        assert org_rules.similar_organizations(s, "", None) == []
        mine = org_rules.similar_organizations(s, "㈜두레마을", None)[0]
        assert org_rules.similar_organizations(s, "㈜두레마을", None, exclude_id=mine.id) == []


def test_look_alike_name_warns_and_same_brn_is_refused(stored):
    with stored.session() as s:
        found = service.check(Organization(name="두레마을 주식회사"), s)
    assert [p.severity for p in found] == ["warning"]
    assert "㈜두레마을" in found[0].message
    service.save(stored, Organization(name="두레마을 주식회사"))  # warnings do not block
    with stored.session() as s:
        (same,) = service.check(Organization(name="새 이름", brn=GOOD), s)
    assert same.is_error and "이미 '㈜두레마을'" in same.message
    # save() runs the rules before the database's UNIQUE, so the clerk gets the same message.
    with pytest.raises(ValidationFailed, match="이미 '㈜두레마을'"):
        service.save(stored, Organization(name="새 이름", brn=GOOD))


def test_save_refuses_a_wrong_check_digit_and_writes_nothing(db):
    with pytest.raises(ValidationFailed) as err:
        service.save(db, Organization(name="두레", brn=WRONG))
    assert err.value.problems and "검증번호" in str(err.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0


def test_editing_a_stored_record_does_not_warn_about_itself(stored):
    with stored.session() as s:
        mine = s.scalars(select(Organization).where(Organization.brn == GOOD)).one()
        mine.phone = "031-000-0000"
        assert service.check(mine, s) == []


def test_name_index_follows_writes_in_the_same_session(stored):
    with stored.session() as s:
        assert org_rules.similar_organizations(s, "새마을 부엌", None) == []
        s.add(Organization(name="㈜새마을부엌"))
        s.flush()  # the session's cached name index must not hide the new record
        assert [o.name for o in org_rules.similar_organizations(s, "새마을 부엌", None)] == [
            "㈜새마을부엌"
        ]
        s.rollback()
        assert org_rules.similar_organizations(s, "새마을 부엌", None) == []
