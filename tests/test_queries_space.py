"""Tenant-space roster, milestones and calls on small hand-made records."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import (
    Organization,
    Space,
    Tenancy,
    TenancyRent,
    TenancyTerm,
)
from db.queries.space import roster
from db.rules.space import review_date

D = dt.date


@pytest.fixture
def s(db):
    """A session on the fresh database."""
    with db.session() as session:
        yield session


def _tenancy(s, space, name, terms, rents=(), moved_in=None):
    org = Organization(name=name, kind="사회적협동조합")
    s.add(org)
    s.flush()
    t = Tenancy(space_id=space.id, organization_id=org.id, moved_in_on=moved_in)
    t.terms = [TenancyTerm(start_on=a, end_on=b) for a, b in terms]
    t.rents = [TenancyRent(contract_year=i, amount=a) for i, a in enumerate(rents, start=1)]
    s.add(t)
    s.flush()
    return t


def _space(s, provider, site, **kw):
    sp = Space(provider=provider, site=site, area_m2=kw.pop("area", 100.0), **kw)
    s.add(sp)
    s.flush()
    return sp


def test_roster_numbers_orders_and_derives(s):
    b = _space(s, "코레일", "백마역 1번출구", area=138.62, sort_order=1, lessee_note="국립암센터")
    ng = _space(s, "코레일", "능곡역 2층", use="커뮤니티 공간", sort_order=0, status="반납",
                returned_on=D(2021, 7, 31))
    h = _space(s, "코레일", "행신역 1층", sort_order=2)
    _space(s, "LH", "삼송A12블록", status="선정 예정", agreement_on=D(2020, 9, 1),
                expected_move_in=D(2022, 3, 1))
    _tenancy(s, b, "다시시작", [(D(2019, 8, 15), D(2021, 8, 14)), (D(2021, 8, 15), D(2022, 8, 14))],
             rents=[5_665_000, 5_732_000, 5_399_000], moved_in=D(2019, 10, 1))
    _tenancy(s, ng, "인피루트", [(D(2019, 7, 1), D(2021, 6, 30))], rents=[4_109_000, 4_122_000])
    _tenancy(s, h, "나루코(주)", [(D(2019, 9, 1), D(2021, 8, 31))])
    tables = roster(s, D(2021, 11, 16), warn_days=90)
    assert [t.provider for t in tables] == ["코레일", "LH"]
    korail = tables[0].rows
    assert [(r.number_label, r.site) for r in korail] == [
        ("1", "백마역 1번출구"), ("2", "행신역 1층"), ("반납", "능곡역 2층")]
    first = korail[0]
    assert (first.tenant, first.tenant_kind, first.lessee_note) == (
        "다시시작", "사회적협동조합", "국립암센터")
    assert [(t.start, t.months, t.is_renewal) for t in first.terms] == [
        (D(2019, 8, 15), 24, False), (D(2021, 8, 15), 12, True)]
    assert first.rents == [(1, 5_665_000), (2, 5_732_000), (3, 5_399_000)]
    assert first.contract_year == 3
    assert first.five_year_limit == D(2024, 8, 14)
    assert first.next_review == review_date(D(2022, 8, 14))  # before the signed end
    assert not first.ends_within_warning
    returned = korail[2]
    assert (returned.tenant, returned.returned_on, returned.status) == (
        "인피루트", D(2021, 7, 31), "반납")
    # 행신역: the only term ended in August; the last tenancy that ended is shown, with the
    # contract year it reached.
    assert korail[1].tenant == "나루코(주)" and korail[1].contract_year == 2
    (planned,) = tables[1].rows
    assert (planned.number, planned.status, planned.tenant) == (1, "선정 예정", None)
    assert planned.expected_move_in == D(2022, 3, 1)


def test_roster_before_return_and_warning(s):
    ng = _space(s, "코레일", "능곡역 2층", status="반납", returned_on=D(2021, 7, 31))
    _tenancy(s, ng, "인피루트", [(D(2019, 7, 1), D(2021, 6, 30))])
    (row,) = roster(s, D(2021, 4, 1), warn_days=90)[0].rows
    assert (row.number, row.status, row.returned_on) == (1, "운영", None)
    assert row.ends_within_warning  # 90 days to 30 June
    (row,) = roster(s, D(2021, 4, 1), warn_days=89)[0].rows
    assert not row.ends_within_warning


def test_roster_shows_next_tenancy_when_none_current(s):
    sp = _space(s, "LH", "지축1단지")
    _tenancy(s, sp, "(주)에스엔소프트", [(D(2021, 12, 1), D(2023, 11, 30))])
    (row,) = roster(s, D(2021, 11, 16))[0].rows
    assert row.tenant == "(주)에스엔소프트" and row.contract_year is None
    assert row.first_start == D(2021, 12, 1)


def test_roster_current_tenancy_wins_over_ended_one(s):
    sp = _space(s, "LH", "향동1단지")
    _tenancy(s, sp, "앞", [(D(2018, 1, 1), D(2019, 12, 31))])
    _tenancy(s, sp, "지금", [(D(2020, 2, 5), D(2022, 2, 4))])
    assert roster(s, D(2021, 1, 1))[0].rows[0].tenant == "지금"
    assert roster(s, D(2019, 6, 1))[0].rows[0].tenant == "앞"


def test_roster_early_move_out_ends_the_tenancy(s):
    sp = _space(s, "코레일", "원흥역")
    _tenancy(s, sp, "계속", [(D(2019, 1, 1), D(2020, 12, 31))])
    gone = _tenancy(s, sp, "먼저 나감", [(D(2019, 8, 15), D(2021, 8, 14))])
    gone.moved_out_on = D(2020, 3, 31)
    s.flush()
    # Both started; the later one would win, but it moved out before the roster date.
    assert roster(s, D(2020, 3, 15))[0].rows[0].tenant == "먼저 나감"
    assert roster(s, D(2020, 4, 15))[0].rows[0].tenant == "계속"
