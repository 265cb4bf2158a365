"""db/rules helpers the mutation run found untested: caches filled once per process, the
severity an order check passes on, memoised figures on light rows, a tenancy's whole status.

mutmut forks every mutant from a process that has run the clean tests, so a per-process cache
(`ordered_pairs`' table of pairs, the set of session-cache keys) is already full there and the
code that fills it never runs under a mutant; these tests empty the cache first.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db import models
from db.models import Festival, Organization, Tenancy, TenancyTerm
from db.rules import checks, rows
from db.rules import space as sp

D = dt.date


@pytest.fixture
def fresh_order_cache(monkeypatch):
    monkeypatch.setattr(checks, "_order_cache", {})


def test_ordered_pairs_are_read_from_the_table_constraints(fresh_order_cache):
    # each (start, end), by the constraints' names (end_on_after_held_on, end_time_after_…):
    # the same order in every run, so a record's messages come out in the same order
    assert checks.ordered_pairs(Festival) == [("held_on", "end_on"), ("start_time", "end_time")]
    assert checks.ordered_pairs(models.SalesSchedule) == [
        ("start_date", "end_date"), ("start_time", "end_time")]
    assert checks.ordered_pairs(models.StartupRound) == [
        ("recruit_start", "recruit_end"), ("recruit_start", "review_on")]
    assert checks.ordered_pairs(models.FacilityProject) == [("works_start", "works_end")]
    assert checks.ordered_pairs(Organization) == [("designated_on", "expires_on")]
    assert checks.ordered_pairs(Tenancy) == [("moved_in_on", "moved_out_on")]
    assert checks.ordered_pairs(models.FinancePayment) == []  # no pair declared
    assert checks._order_cache[Festival] == [("held_on", "end_on"), ("start_time", "end_time")]


def test_a_record_with_two_reversed_pairs_gets_its_messages_in_a_fixed_order(fresh_order_cache):
    from db import service

    fest = Festival(name="축제", held_on=D(2021, 5, 2), end_on=D(2021, 5, 1),
                    start_time=dt.time(11, 0), end_time=dt.time(10, 0))
    assert [(p.field, p.message) for p in service.check(fest)] == [
        ("end_on", "종료일(2021.5.1.)이 일자(2021.5.2.)보다 앞섭니다. 날짜를 확인하세요."),
        ("end_time", "종료 시각(10:00)이 시작 시각(11:00)보다 이릅니다. 시각을 확인하세요."),
    ]


def test_ordered_pairs_found_once_are_kept(fresh_order_cache):
    first = checks.ordered_pairs(Festival)
    assert checks.ordered_pairs(Festival) is first  # read from the table once per model


def test_an_order_problem_keeps_the_severity_it_was_given():
    fest = Festival(name="축제", held_on=D(2021, 5, 2), end_on=D(2021, 5, 1))
    problem = checks.order_problem(fest, "held_on", "end_on", checks.WARNING)
    assert problem == checks.Problem(
        "end_on", "종료일(2021.5.1.)이 일자(2021.5.2.)보다 앞섭니다. 날짜를 확인하세요.",
        "warning")
    assert checks.order_problem(fest, "held_on", "end_on").severity == "error"
    same_day = Festival(name="축제", held_on=D(2021, 5, 2), end_on=D(2021, 5, 2))
    assert checks.order_problem(same_day, "held_on", "end_on") is None


def test_a_session_cache_is_forgotten_after_a_write(db, monkeypatch):
    """A key first used after the others (the set of keys starts empty) is still forgotten
    when the session flushes: the next read builds it again from the stored state."""
    monkeypatch.setattr(checks, "_SESSION_CACHES", set())
    built = []

    def build():
        built.append(1)
        return len(built)

    with db.session() as session:
        assert checks.session_cache(session, "test.key", build) == 1
        assert checks.session_cache(session, "test.key", build) == 1  # cached
        assert {"test.key"} == checks._SESSION_CACHES
        session.add(Organization(name="두레협동조합", kind="협동조합"))
        session.flush()
        assert "test.key" not in session.info
        assert checks.session_cache(session, "test.key", build) == 2  # built again


def test_derived_figures_are_kept_on_light_rows_only():
    """An ORM object may have been edited since (a form): computed every time. A light row
    of `main.py check` is never edited: computed once."""
    org = Organization(name="가", kind="협동조합")
    calls = []

    def compute(obj):
        calls.append(obj)
        return obj.name

    assert checks.derived(org, "k", compute) == "가"
    org.name = "나"
    assert checks.derived(org, "k", compute) == "나"
    assert len(calls) == 2 and not hasattr(org, "_derived")

    k = rows.kind(Organization)
    row = object.__new__(k.cls)
    row.name = "가"
    assert checks.derived(row, "k", compute) == "가"
    row.name = "나"
    assert checks.derived(row, "k", compute) == "가"  # the first figure, once per row
    assert checks.derived(row, "other", compute) == "나"
    assert row._derived == {"k": "가", "other": "나"}
    assert len(calls) == 4


def test_holds_means_this_very_row_on_light_rows_too():
    k = rows.kind(models.FinanceGrant)
    pk = rows.kind(models.FinancePayment)
    grant = object.__new__(k.cls)
    mine, other = object.__new__(pk.cls), object.__new__(pk.cls)
    grant.payments = [mine]
    assert checks.holds(grant, "payments", mine)
    assert not checks.holds(grant, "payments", other)  # another row, even with the same id
    assert grant._derived == {"held:payments": {id(mine)}}


def test_the_status_on_the_first_day_of_a_renewal_is_the_renewal():
    """Every field of the status on the day the second term starts: that term is in force."""
    t = Tenancy(terms=[TenancyTerm(start_on=D(2020, 3, 1), end_on=D(2021, 2, 28)),
                       TenancyTerm(start_on=D(2021, 3, 1), end_on=D(2022, 2, 28))])
    second = t.terms[1]
    day = D(2021, 3, 1)
    assert sp.tenancy_status(t, day) == sp.TenancyStatus(
        today=day, first_start=D(2020, 3, 1), term=second, term_start=D(2021, 3, 1),
        term_end=D(2022, 2, 28), signed_end=D(2022, 2, 28), contract_year=2,
        years_covered=2, five_year_limit=D(2025, 2, 28),
        next_review=D(2022, 2, 28) - dt.timedelta(days=sp.REVIEW_LEAD_DAYS),
        days_left=364, state="계약 중")
    # the day before, the first term is still the one in force
    before = sp.tenancy_status(t, D(2021, 2, 28))
    assert (before.term, before.contract_year, before.years_covered) == (t.terms[0], 1, 2)
