"""Tenancy rule: 2-year first term, 1-year renewals, 5 years in all; derived status; rent."""

from __future__ import annotations

import datetime as dt

import pytest

from db import service
from db.errors import ValidationFailed
from db.models import Organization, Space, Tenancy, TenancyRent, TenancyTerm, TenantCallSpace
from db.rules import space as sp
from tests.db_helpers import row_count as count

D = dt.date


def terms(*spans: tuple[dt.date, dt.date], reason: str | None = None) -> list[TenancyTerm]:
    out = [TenancyTerm(start_on=a, end_on=b) for a, b in spans]
    if reason:
        out[-1].override_reason = reason
    return out


def tenancy(*spans, provider: str = "코레일", reason: str | None = None, **space_kw) -> Tenancy:
    space = Space(provider=provider, site="백마역 1번출구", **space_kw)
    return Tenancy(space=space, organization_id=1, terms=terms(*spans, reason=reason))


def problems(obj, severity=None):
    """Problems of a record and of the sub-table rows saved with it (as service.save checks)."""
    found = service.check(obj)
    for rel in ("terms", "rents"):
        for child in getattr(obj, rel, None) or []:
            found += service.check(child)
    return [p for p in found if severity is None or p.severity == severity]


def messages(obj, severity=None) -> str:
    return "\n".join(p.message for p in problems(obj, severity))


FIRST = (D(2019, 8, 15), D(2021, 8, 14))  # the seed's 백마역 first contract
FULL = [FIRST, (D(2021, 8, 15), D(2022, 8, 14)), (D(2022, 8, 15), D(2023, 8, 14)),
        (D(2023, 8, 15), D(2024, 8, 14))]


# ---------------------------------------------------------------- pure derivations


def test_term_arithmetic():
    assert sp.first_term_end(D(2019, 8, 15)) == D(2021, 8, 14)
    assert sp.five_year_limit(D(2019, 8, 15)) == D(2024, 8, 14)
    assert sp.term_end(D(2020, 2, 29), 1) == D(2021, 2, 28)  # leap day start
    assert sp.contract_year_on(D(2019, 8, 15), D(2019, 8, 15)) == 1
    assert sp.contract_year_on(D(2019, 8, 15), D(2020, 8, 14)) == 1
    assert sp.contract_year_on(D(2019, 8, 15), D(2020, 8, 15)) == 2
    assert sp.contract_year_on(D(2019, 8, 15), D(2024, 8, 14)) == 5
    assert sp.review_date(D(2021, 8, 14)) == D(2021, 8, 14) - dt.timedelta(sp.REVIEW_LEAD_DAYS)


def test_next_renewal_is_one_year_capped_at_the_limit():
    assert sp.next_renewal(terms(FIRST)) == (D(2021, 8, 15), D(2022, 8, 14))
    short_last = terms(*FULL[:3], (D(2023, 8, 15), D(2024, 2, 1)))
    assert sp.next_renewal(short_last) == (D(2024, 2, 2), D(2024, 8, 14))
    assert sp.next_renewal(terms(*FULL)) is None
    assert sp.next_renewal([]) is None


def test_status_in_the_third_year():
    t = tenancy(FIRST, (D(2021, 8, 15), D(2021, 12, 25)))
    st = sp.tenancy_status(t, D(2021, 9, 1))
    assert st.state == "계약 중"
    assert st.contract_year == 3
    assert st.term is t.terms[1]
    assert (st.term_start, st.term_end) == (D(2021, 8, 15), D(2021, 12, 25))
    assert st.five_year_limit == D(2024, 8, 14)
    assert st.next_review == D(2021, 12, 25) - dt.timedelta(days=sp.REVIEW_LEAD_DAYS)
    assert st.days_left == (D(2021, 12, 25) - D(2021, 9, 1)).days
    assert st.ends_within(st.days_left) and not st.ends_within(st.days_left - 1)
    assert not st.is_past_limit and st.can_renew and not st.review_due()
    assert sp.tenancy_status(t, st.next_review).review_due()


def test_status_before_start_after_end_and_at_limit():
    t = tenancy(*FULL)
    before = sp.tenancy_status(t, D(2019, 1, 1))
    assert before.state == "입주 예정" and before.contract_year is None
    assert before.term is t.terms[0]
    last = sp.tenancy_status(t, D(2024, 1, 1))
    assert last.contract_year == 5 and last.next_review is None and not last.can_renew
    after = sp.tenancy_status(t, D(2025, 1, 1))
    assert after.state == "계약 만료" and after.days_left < 0 and not after.ends_within(30)
    t.moved_out_on = D(2023, 3, 1)
    assert sp.tenancy_status(t, D(2023, 3, 2)).state == "퇴거"
    assert sp.tenancy_status(Tenancy(), D(2021, 1, 1)) is None


def test_status_past_limit_with_override():
    t = tenancy(*FULL, (D(2024, 8, 15), D(2024, 12, 31)), reason="대체 공간 준비 중")
    assert sp.tenancy_status(t, D(2024, 9, 1)).is_past_limit


# ---------------------------------------------------------------- the rule


def test_full_five_years_is_clean():
    assert problems(tenancy(*FULL)) == []


def test_renewal_past_five_years_is_an_error():
    t = tenancy(*FULL, (D(2024, 8, 15), D(2025, 8, 14)))
    errs = problems(t, "error")
    assert len(errs) == 1
    assert "2024.8.14." in errs[0].message and "5년 초과 사유" in errs[0].message


def test_renewal_past_five_years_with_reason_is_only_a_warning():
    t = tenancy(*FULL, (D(2024, 8, 15), D(2025, 8, 14)), reason="공간 재배치 지연")
    assert problems(t, "error") == []
    assert "공간 재배치 지연" in messages(t, "warning")


def test_short_renewal_to_designation_expiry_is_allowed():
    assert problems(tenancy(FIRST, (D(2021, 8, 15), D(2021, 12, 25)))) == []


def test_first_term_longer_than_two_years_is_an_error_shorter_a_warning():
    long = tenancy((D(2019, 8, 15), D(2021, 8, 15)))
    assert "2021.8.14." in messages(long, "error")
    short = tenancy((D(2019, 8, 15), D(2020, 8, 14)))
    assert problems(short, "error") == []
    assert "2년보다 짧습니다" in messages(short, "warning")


def test_renewal_longer_than_one_year_is_an_error():
    t = tenancy(FIRST, (D(2021, 8, 15), D(2022, 8, 15)))
    assert "1년까지" in messages(t, "error")


def test_overlapping_terms_are_an_error_and_gaps_a_warning():
    overlap = tenancy(FIRST, (D(2021, 8, 1), D(2022, 7, 31)))
    assert "겹칩니다" in messages(overlap, "error")
    gap = tenancy(FIRST, (D(2021, 9, 1), D(2022, 8, 31)))
    assert problems(gap, "error") == []
    assert "2021.8.15.부터" in messages(gap, "warning")


def test_contract_ending_the_day_it_starts_is_fine_end_before_start_is_not():
    one_day = TenancyTerm(tenancy_id=1, start_on=D(2021, 8, 15), end_on=D(2021, 8, 15))
    assert problems(one_day, "error") == []
    assert problems(tenancy(FIRST, (D(2021, 8, 15), D(2021, 8, 15)))) == []
    reversed_ = TenancyTerm(tenancy_id=1, start_on=D(2021, 8, 15), end_on=D(2021, 8, 13))
    (err,) = problems(reversed_, "error")
    assert err.field == "end_on"
    assert err.message == (
        "계약 종료(2021.8.13.)가 계약 시작(2021.8.15.)보다 앞섭니다. 날짜를 확인하세요."
    )


def test_review_after_renewal_start_is_a_warning():
    t = tenancy(FIRST, (D(2021, 8, 15), D(2022, 8, 14)))
    t.terms[1].reviewed_on = D(2021, 9, 1)
    assert "연장 심사일" in messages(t, "warning")


def test_returned_space_needs_a_date_and_takes_no_new_tenant():
    assert "반납일을 입력하세요" in messages(Space(provider="코레일", site="x", status="반납"))
    late = tenancy(FIRST, status="반납", returned_on=D(2019, 3, 1))
    assert "반납되어" in messages(late, "error")
    warn = Space(provider="코레일", site="x", status="운영", returned_on=D(2020, 1, 1))
    assert problems(warn, "error") == [] and problems(warn, "warning")


def test_lh_space_charges_no_rent():
    t = tenancy(FIRST, provider="LH")
    t.rents = [TenancyRent(contract_year=1, amount=0)]
    assert "임대료가 없습니다" in messages(t, "error")
    korail = tenancy(FIRST)
    korail.rents = [TenancyRent(contract_year=1, amount=1_200_000)]
    assert problems(korail) == []


def test_rent_years_follow_the_terms():
    t = tenancy(FIRST)
    t.rents = [TenancyRent(contract_year=3, amount=1_000_000)]
    assert "2년차까지" in messages(t, "error")
    t.terms.append(TenancyTerm(start_on=D(2021, 8, 15), end_on=D(2022, 8, 14)))
    assert problems(t) == []
    t.rents.append(TenancyRent(contract_year=3, amount=1_000_000))
    assert "이미 있습니다" in messages(t, "error")
    assert "0원 이상" in messages(TenancyRent(tenancy_id=1, contract_year=1, amount=-5))
    assert "원 단위 정수" in messages(TenancyRent(tenancy_id=1, contract_year=1, amount=1.5))


def test_selected_tenant_without_applicants():
    offer = TenantCallSpace(call_id=1, space_id=1, applicants=0, selected_organization_id=3)
    assert "신청 기업 수" in messages(offer, "error")


def test_bad_provider_choice():
    assert "다음 중 하나" in messages(Space(provider="서울시", site="x"), "error")


# ---------------------------------------------------------------- through the database


@pytest.fixture
def korail(db):
    org = service.save(db, Organization(name="두레협동조합"))
    space = service.save(db, Space(provider="코레일", site="백마역 1번출구", area_m2=138.62))
    return db, org, space


def test_save_refuses_a_renewal_past_five_years_and_writes_nothing(korail):
    db, org, space = korail
    bad = Tenancy(space_id=space.id, organization_id=org.id,
                  terms=terms(*FULL, (D(2024, 8, 15), D(2025, 8, 14))))
    with pytest.raises(ValidationFailed) as err:
        service.save(db, bad)
    assert "5년 초과 사유" in str(err.value)
    assert count(db, Tenancy) == 0 and count(db, TenancyTerm) == 0
    ok = Tenancy(space_id=space.id, organization_id=org.id, terms=terms(*FULL))
    saved = service.save(db, ok)
    assert count(db, TenancyTerm) == 4
    # A term saved on its own is checked against its stored siblings.
    extra = TenancyTerm(tenancy_id=saved.id, start_on=D(2024, 8, 15), end_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        service.save(db, extra)
    extra.override_reason = "시 요청으로 연장"
    service.save(db, extra)
    assert count(db, TenancyTerm) == 5


def test_other_tenancy_in_the_same_space_is_a_warning(korail):
    db, org, space = korail
    service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=terms(FIRST)))
    other = Tenancy(space_id=space.id, organization_id=org.id,
                    terms=terms((D(2020, 1, 1), D(2021, 12, 31))))
    with db.session() as s:
        found = service.check(other, s)
    assert [p.severity for p in found] == ["warning"]
    assert "다른 입주 계약" in found[0].message


def test_lh_space_with_stored_rent_is_refused(korail):
    db, org, space = korail
    service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=terms(FIRST),
                             rents=[TenancyRent(contract_year=1, amount=500_000)]))
    with db.session() as s:
        stored = s.get(Space, space.id)
        stored.provider = "LH"
        assert "임대료" in " ".join(p.message for p in service.check(stored, s))
