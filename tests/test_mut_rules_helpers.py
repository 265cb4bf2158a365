"""db/rules helpers the mutation run found untested: caches filled once per process, the
severity an order check passes on, memoised figures on light rows, a tenancy's whole status.

mutmut forks every mutant from a process that has run the clean tests, so a per-process cache
(`ordered_pairs`' table of pairs, the set of session-cache keys) is already full there and the
code that fills it never runs under a mutant; these tests empty the cache first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from db import models
from db.models import Festival, Organization, Space, Tenancy, TenancyTerm
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


# ---------------------------------------------------------------- rules, whole messages


def problems_in(obj, session=None):
    from db import service

    return [(p.field, p.severity, p.message) for p in service.check(obj, session)]


def test_a_returned_space_with_its_return_day_is_fine():
    from db.models import Space

    assert problems_in(Space(provider="코레일", site="백마역", status="반납",
                             returned_on=D(2021, 7, 31))) == []
    assert problems_in(Space(provider="코레일", site="백마역", status="운영",
                             returned_on=D(2021, 7, 31))) == [("returned_on", "warning", (
        "반납일(2021.7.31.)이 있는데 상태가 '운영'입니다. 반납했으면 상태를 '반납'으로 "
        "바꾸고, 아니면 반납일을 지우세요."))]


def test_a_team_that_withdrew_with_its_day_is_fine_and_one_without_is_told():
    from db.models import StartupCohort, StartupTeam

    def team(**kw):
        return StartupTeam(cohort=StartupCohort(year=2021, fund_per_team=8_000_000),
                           name="마을부엌", agreed_on=D(2021, 7, 9), **kw)

    assert problems_in(team(status="참여 포기", withdrawn_on=D(2021, 9, 1))) == []
    assert problems_in(team(status="참여 포기")) == [
        ("withdrawn_on", "warning", "참여 포기한 팀은 포기일을 입력하세요.")]


def test_a_designation_under_review_needs_no_result_day():
    from db.models import DesignationApplication

    assert problems_in(DesignationApplication(applicant="가", applied_on=D(2021, 1, 1),
                                              result="심사 중")) == []
    assert problems_in(DesignationApplication(applicant="가", applied_on=D(2021, 1, 1))) == []


def test_a_new_team_is_held_against_its_cohort_read_through_the_session(db):
    """A form's team has only the cohort's id: the rule reads the cohort by it."""
    from db import service
    from db.models import StartupCohort, StartupTeam

    cohort = service.save(db, StartupCohort(year=2021, fund_per_team=8_000_000))
    with db.session() as s:
        new = StartupTeam(cohort_id=cohort.id, name="마을부엌", status="협약",
                          agreed_on=D(2021, 7, 9), designated_year=2020)
        assert problems_in(new, s) == [("designated_year", "error", (
            "예비 지정 연도(2020년)가 창업지원 연도(2021년)보다 앞섭니다. 연도를 확인하세요."))]
        assert problems_in(new) == []  # without a session the cohort is not known


def test_a_new_tenancys_rent_is_held_against_the_space_read_through_the_session(db):
    """A tenancy being entered has only its space's id; its rent rows are checked with it."""
    from db import service
    from db.models import Space, TenancyRent

    org = service.save(db, Organization(name="가", kind="협동조합"))
    lh = service.save(db, Space(provider="LH", site="삼송"))
    with db.session() as s:
        lease = Tenancy(space_id=lh.id, organization_id=org.id)
        rent = TenancyRent(tenancy=lease, contract_year=1, amount=5)
        assert problems_in(rent, s) == [("amount", "error", (
            "LH 공간(삼송)은 임대료가 없습니다(입주기업은 관리비만 냅니다). 이 임대료 행을 "
            "지우세요."))]
        s.expunge_all()


def test_an_enterprise_is_found_by_its_number_alone(db):
    """A name that reduces to nothing ('', '(주)') looks up the number only: not every
    enterprise whose name also reduces to nothing."""
    from db import service
    from db.rules.organization import similar_organizations

    service.save(db, Organization(name="(주)", kind="협동조합"))
    numbered = service.save(db, Organization(name="두레", kind="협동조합", brn="2208162517"))
    with db.session() as s:
        for name in ("", "(주)", None):
            assert [o.id for o in similar_organizations(s, name, "220-81-62517")] == [
                numbered.id]
        assert similar_organizations(s, "", None) == []


def test_an_overlapping_tenancy_names_the_earliest_overlapping_term(db):
    """Of the other tenancies of the same space, the message names the earliest term that
    overlaps (not the first stored): never this tenancy's own, one that ended before it, or
    another space's."""
    from db import service
    from db.models import Space

    org = service.save(db, Organization(name="가", kind="협동조합"))
    space = service.save(db, Space(provider="코레일", site="능곡역 2층"))
    elsewhere = service.save(db, Space(provider="코레일", site="백마역"))
    service.save(db, Tenancy(space_id=elsewhere.id, organization_id=org.id, terms=[
        TenancyTerm(start_on=D(2020, 6, 1), end_on=D(2021, 3, 31))]))
    mine = service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=[
        TenancyTerm(start_on=D(2021, 1, 1), end_on=D(2022, 12, 31))]))
    service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=[
        TenancyTerm(start_on=D(2019, 1, 1), end_on=D(2020, 12, 31))]))
    service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=[  # later start
        TenancyTerm(start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))]))
    service.save(db, Tenancy(space_id=space.id, organization_id=org.id, terms=[
        TenancyTerm(start_on=D(2023, 6, 1), end_on=D(2024, 5, 31)),
        TenancyTerm(start_on=D(2021, 6, 1), end_on=D(2023, 5, 31))]))
    with db.session() as s:
        assert problems_in(s.get(Tenancy, mine.id), s) == [(None, "warning", (
            "같은 공간(능곡역 2층)에 다른 입주 계약(2021.6.1.~2023.5.31.)이 같은 기간에 "
            "있습니다. 공간이나 기간을 확인하세요."))]


# ---------------------------------------------------------------- light rows (rows.py)


def test_a_light_row_reads_as_the_check_needs():
    """Its repr names the model and id; a relationship not read raises NotLoaded (a rule
    walking an undeclared path fails loudly); a many-to-one with no key (None, blank) is None;
    a private name is an AttributeError (getattr(row, '_x', None) and hasattr work)."""
    k = rows.kind(models.FinancePayment)
    row = object.__new__(k.cls)
    row.id = 3
    assert repr(row) == "FinancePaymentRow(3)"
    assert k.cls.__name__ == "FinancePaymentRow" and k.cls.__model__ is models.FinancePayment
    row.grant_id = 5
    with pytest.raises(rows.NotLoaded, match=r"^FinancePayment\.grant was not read for the "
                                              r"check$"):
        _ = row.grant
    with pytest.raises(rows.NotLoaded, match=r"^FinancePayment\.nothing_such was not read"):
        _ = row.nothing_such
    for blank in (None, "", "  "):
        row.grant_id = blank
        assert row.grant is None
    assert getattr(row, "_private", "absent") == "absent"
    assert not hasattr(row, "_derived")
    with pytest.raises(AttributeError, match="^_private$"):  # named, as Python names it
        _ = row._private


def test_relationship_paths_become_trees_and_merge():
    assert rows.tree_of(["grant.payments", "grant.organization", "space"]) == {
        "grant": {"payments": {}, "organization": {}}, "space": {}}
    assert rows.tree_of([]) == {}
    a = {"grant": {"payments": {}}}
    b = {"grant": {"organization": {"members": {}}}, "space": {}}
    assert rows.merge(a, b) == {"grant": {"payments": {}, "organization": {"members": {}}},
                                "space": {}}
    assert a == {"grant": {"payments": {}}}  # the inputs are left as they were
    assert rows._covered({"grant": {}}, {"grant": {"payments": {}}})
    assert not rows._covered({"grant": {"payments": {}}}, {"grant": {}})
    assert rows._covered({}, {})


def test_ids_are_read_in_batches_and_relatives_listed_once(monkeypatch):
    monkeypatch.setattr(rows, "IN_BATCH", 2)
    assert list(rows._batches([1, 2, 3, 4, 5])) == [[1, 2], [3, 4], [5]]
    assert list(rows._batches([1, 2])) == [[1, 2]]
    assert list(rows._batches([])) == []

    class R:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    shared, other = R(id=1), R(id=1)  # equal ids, two objects: both kept (by identity)
    parents = [R(grant=shared), R(grant=shared), R(grant=None), R(grant=other)]
    assert rows._values(parents, "grant", False) == [shared, other]
    kids = [R(payments=[shared, other]), R(payments=[]), R(payments=[shared])]
    assert rows._values(kids, "payments", True) == [shared, other]


# ---------------------------------------------------------------- the generic column checks


def test_bad_characters_name_the_first_three():
    assert problems_in(Organization(name="가\x00\ud800\ud801\ud802", kind="협동조합")) == [
        ("name", "error", "기업명에 저장할 수 없는 문자(U+0000, U+D800, U+D801)가 있습니다. 다른 "
                          "프로그램에서 붙여 넣은 글자가 깨졌을 수 있습니다. 그 글자를 지우고 "
                          "다시 입력하세요.")]


def test_a_nul_in_ascii_text_is_found_too():
    """ASCII text skips the search only when it holds no NUL (bad_characters' fast path)."""
    from db.rules.core import bad_characters

    assert bad_characters("ab\x00c") == ["U+0000"] and bad_characters("x" * 10) == []
    assert bad_characters("가\ud800") == ["U+D800"]  # not ASCII: searched, NUL or not
    assert [p[0] for p in problems_in(Organization(name="ab\x00", kind="협동조합"))] == ["name"]


def test_the_columns_after_a_yes_no_column_are_checked_too():
    from db.models import PromotionNotice

    assert problems_in(PromotionNotice(month_only=True, channel="없는 채널")) == [
        ("notice_on", "error", "일자를 입력하세요."),
        ("channel", "error", "채널은 다음 중 하나여야 합니다: 새올행정시스템 시정공유방, 유관기관, "
                             "전국 지자체, 부서 방문·전화, 계획·보고, 교육, 기타"),
        ("title", "error", "제목을 입력하세요.")]


def test_a_column_of_declared_length_is_not_told_it_is_too_long_for_any_text():
    """The 100,000-character limit is for free text; a column with its own length (the BRN's
    ten digits) has its own rule and only that one speaks."""
    from db.rules.core import MAX_TEXT, max_length

    long_brn = "1" * (MAX_TEXT + 1)
    found = problems_in(Organization(name="가", kind="협동조합", brn=long_brn))
    assert [(field, severity) for field, severity, _m in found] == [("brn", "error")]
    assert found[0][2].startswith("사업자등록번호 '111") and "숫자 10자리가 아닙니다" in found[0][2]
    assert max_length(Organization.__table__.c.brn) == 10
    assert max_length(Organization.__table__.c.name) == MAX_TEXT


@pytest.mark.parametrize("size", [2, 3])  # 3: the next chunk starts after the last row
def test_records_are_read_a_chunk_at_a_time_in_id_order(demo, monkeypatch, size):
    """CHUNK records at a time (memory stays flat), ordered by id, none twice or left out;
    a table keyed otherwise (settings) in one query, handed over CHUNK rows at a time."""
    from sqlalchemy import func, select

    monkeypatch.setattr(rows, "CHUNK", size)
    with demo.session() as session:
        total = session.scalar(select(func.count()).select_from(Organization))
        chunks = [[r.id for r in chunk]
                  for chunk in rows.stream(session, Organization, {})]
        assert total > 2 * size and len(chunks) == (total + size - 1) // size
        assert all(len(c) == size for c in chunks[:-1]) and 1 <= len(chunks[-1]) <= size
        ids = [i for c in chunks for i in c]
        assert ids == sorted(ids) and len(set(ids)) == total == len(ids)
        stored = session.scalar(select(func.count()).select_from(models.Setting))
        settings = list(rows.stream(session, models.Setting, {}))
        assert sum(map(len, settings)) == stored > 2 and all(len(c) <= size for c in settings)


def test_children_whose_rules_walk_to_their_parent_are_read_as_its_collections():
    """A payment's rule reads its grant's payments, so payments are read once, as the grants'
    collections (db.commands.record_findings); a model that is a parent stays one (a team is
    a cohort's child, but its payments make it a parent: the cohort keeps no members)."""
    from db import service
    from db.rules.core import reads_of

    service._load_rule_modules()
    order = sorted((mp.class_ for mp in models.Base.registry.mappers),
                   key=lambda model: str(model.__tablename__))
    reads = {model: rows.tree_of(reads_of(model)) for model in order}
    assert rows.families(order, reads) == {
        models.Education: [(models.EducationDate, "dates", "education")],
        models.FinanceGrant: [(models.FinancePayment, "payments", "grant")],
        models.SalesEvent: [(models.SalesParticipant, "participants", "event"),
                            (models.SalesSchedule, "schedules", "event")],
        models.StartupTeam: [(models.StartupPayment, "payments", "team")],
        models.StartupCohort: [],
        Space: [],
        Tenancy: [(models.TenancyRent, "rents", "tenancy"),
                  (models.TenancyTerm, "terms", "tenancy")],
    }
    assert rows.families([models.FinancePayment], {}) == {}  # reads nothing: no family


# The kinds (rows._KINDS) cache row builders and compiled statements per process; mutmut forks
# its mutants from a process where they are full, so these tests start from empty ones.


def _dialects() -> tuple[Any, Any]:
    from sqlalchemy.dialects.postgresql import psycopg
    from sqlalchemy.dialects.sqlite import pysqlite

    return pysqlite.dialect(), psycopg.dialect()


# psycopg's type codes (PostgreSQL oids) for the column types of Space
_PG_CODES = {"Integer": 23, "Float": 701, "String": 1043, "Date": 1082}


def _pg_codes(k: Any) -> tuple[int, ...]:
    return tuple(_PG_CODES[type(col.type).__name__] for col in k.columns)


def test_a_row_builder_is_made_for_its_dialect_and_cursor_types():
    """SQLite hands dates over as text (its builder parses them); psycopg as dates, and its
    numbers by type code (a float8 column needs none): each dialect gets its own builder."""
    sqlite_dialect, pg_dialect = _dialects()
    k = rows._Kind(Space)  # caches of its own
    day = k.keys.index("agreement_on")
    area = k.keys.index("area_m2")
    stored: list[Any] = [None] * len(k.keys)
    stored[day], stored[area], stored[k.keys.index("id")] = "2024-03-05", 12.5, 7
    (lite,) = k.builder(sqlite_dialect, (None,) * len(k.keys))([tuple(stored)], k.cls)
    assert lite.agreement_on == D(2024, 3, 5) and lite.id == 7
    served = list(stored)
    served[day] = D(2024, 3, 5)
    (pg,) = k.builder(pg_dialect, _pg_codes(k))([tuple(served)], k.cls)
    assert pg.agreement_on == D(2024, 3, 5) and pg.area_m2 == 12.5 and pg.id == 7
    (again,) = k.builder(sqlite_dialect, (None,) * len(k.keys))([tuple(stored)], k.cls)
    assert again.agreement_on == D(2024, 3, 5)


def test_a_statement_is_compiled_once_per_dialect_and_name():
    from sqlalchemy import bindparam

    sqlite_dialect, pg_dialect = _dialects()
    k = rows._Kind(models.FinancePayment)
    col = k.mapper.columns

    def by(column: Any) -> Any:
        return lambda: k.select().where(column.in_(bindparam("ids", expanding=True)))

    by_grant = k.query(sqlite_dialect, "grant", by(col["grant_id"]))
    by_id = k.query(sqlite_dialect, "id", by(col["id"]))
    assert "WHERE finance_payment.grant_id IN" in by_grant.string
    assert "WHERE finance_payment.id IN" in by_id.string
    on_pg = k.query(pg_dialect, "grant", by(col["grant_id"]))
    assert on_pg.dialect is pg_dialect and by_grant.dialect is sqlite_dialect
    assert "WHERE finance_payment.grant_id IN" in on_pg.string
    assert k.query(sqlite_dialect, "id", by(col["grant_id"])).string == by_id.string  # kept


class _PsycopgLikeCursor:
    """A DBAPI cursor describing its columns as psycopg does (PEP 249: name, type code, …)
    over an SQLite one: SQLite's own description has no type codes at all."""

    def __init__(self, cursor: Any, codes: dict[str, int]) -> None:
        self.cursor, self.codes = cursor, codes

    @property
    def description(self) -> list[tuple[Any, ...]]:
        return [(d[0], self.codes[d[0]], None, None, None, None, None)
                for d in self.cursor.description]

    def execute(self, *args: Any) -> None:
        self.cursor.execute(*args)

    def fetchmany(self, size: int) -> list[Any]:
        return self.cursor.fetchmany(size)

    def close(self) -> None:
        self.cursor.close()


def test_rows_are_built_by_the_type_codes_the_cursor_describes(demo):
    """psycopg's numbers are converted by their type code (a float8 needs nothing, a numeric
    would): _run hands the builder each column's type code, the description's second field."""
    from types import SimpleNamespace

    _sqlite, pg_dialect = _dialects()
    k = rows._Kind(Space)
    codes = dict(zip(k.keys, _pg_codes(k), strict=True))
    with demo.session() as session:
        raw = session.connection().connection.dbapi_connection
        conn = SimpleNamespace(dialect=pg_dialect, connection=SimpleNamespace(
            dbapi_connection=SimpleNamespace(
                cursor=lambda: _PsycopgLikeCursor(raw.cursor(), codes))))
        compiled = k.select().order_by(k.pk).compile(dialect=pg_dialect)  # no parameters
        got = [(r.id, r.area_m2) for part in rows._run(conn, k, compiled, {}) for r in part]
        want = session.execute(select(Space.id, Space.area_m2).order_by(Space.id)).all()
    assert got == [tuple(r) for r in want] and len(got) > 2


def test_every_statement_of_the_reads_is_compiled_for_the_sessions_dialect(demo, monkeypatch):
    """Records, parents and children, the first chunk and the next ones, a table without an
    id: each statement is compiled for the connection's dialect (PostgreSQL's parameters are
    written otherwise than SQLite's), none for SQLAlchemy's default one."""
    monkeypatch.setattr(rows, "_KINDS", {})
    monkeypatch.setattr(rows, "CHUNK", 2)
    seen: list[Any] = []
    run = rows._run

    def spy(conn: Any, k: Any, compiled: Any, values: Any) -> Any:
        seen.append((k.model.__name__, compiled.dialect is conn.dialect))
        return run(conn, k, compiled, values)

    monkeypatch.setattr(rows, "_run", spy)
    with demo.session() as session:
        pays = [r for chunk in rows.stream(session, models.FinancePayment,
                                           rows.tree_of(["grant.payments"])) for r in chunk]
        assert len(pays) > 2 and all(any(p is q for q in p.grant.payments) for p in pays)
        # each grant's payments, those of other chunks too (read, not taken from the chunk)
        pay = models.FinancePayment
        want: dict[int, list[int]] = {}
        for pid, grant_id in session.execute(select(pay.id, pay.grant_id)
                                             .order_by(pay.paid_on, pay.id)):
            want.setdefault(grant_id, []).append(pid)
        assert all([q.id for q in p.grant.payments] == want[p.grant_id] for p in pays)
        assert list(rows.stream(session, models.Setting, {}))
    assert {name for name, _ok in seen} == {"FinancePayment", "FinanceGrant", "Setting"}
    assert all(ok for _name, ok in seen), seen


def test_relatives_already_set_are_not_read_again_and_those_below_them_are(demo):
    """resolve() with part of the tree done: what is done is kept as it is (the very lists),
    what hangs below it is read, through a many-to-one and through a collection."""
    with demo.session() as session:
        pays = [r for c in rows.stream(session, models.FinancePayment, {"grant": {}}) for r in c]
        grants = {id(p.grant): p.grant for p in pays}
        kept = {key: [] for key in grants}
        for key, grant in grants.items():
            grant.payments = kept[key]
        rows.resolve(session, models.FinancePayment, pays,
                     {"grant": {"payments": {}, "organization": {}}}, {"grant": {"payments": {}}},
                     pays)
        assert len(grants) > 1
        for grant in grants.values():
            assert grant.payments is kept[id(grant)]  # done: not read again
            assert grant.organization is not None and grant.organization.id == grant.organization_id

        held = [r for c in rows.stream(session, models.FinanceGrant, {"payments": {}}) for r in c]
        rows.resolve(session, models.FinanceGrant, held, {"payments": {"grant": {}}},
                     {"payments": {}}, held)
        below = [p for g in held for p in g.payments]
        assert len(below) > 2 and all(p.grant.id == p.grant_id == g.id
                                      for g in held for p in g.payments)


def test_a_collection_comes_in_its_relationships_order_then_by_id(tmp_path, monkeypatch):
    """A grant's payments by paid_on (the relationship's order_by), equal days by id, as the
    ORM gives them, whatever order the ids or an index would give: here paid_on runs against
    the ids, pairs of payments share a day, and an index sorts equal days by amount, downwards
    (PostgreSQL gives equal days in no order at all)."""
    from sqlalchemy import text

    from tests.export_fixtures import open_demo

    monkeypatch.setattr(rows, "_KINDS", {})
    database = open_demo(tmp_path)
    pay = models.FinancePayment
    try:
        with database.session() as session:
            for sql in ("UPDATE finance_payment SET amount = id * 1000, "
                        "paid_on = date('2024-12-31', '-' || (id / 2) || ' days')",
                        "DROP INDEX ix_finance_payment_grant_paid",
                        "CREATE INDEX ix_by_day ON finance_payment "
                        "(grant_id, paid_on, amount DESC)"):
                session.execute(text(sql))
            session.commit()
        with database.session() as session:
            want: dict[int, list[int]] = {}
            for pid, grant_id in session.execute(select(pay.id, pay.grant_id)
                                                 .order_by(pay.paid_on, pay.id)):
                want.setdefault(grant_id, []).append(pid)
            days = session.execute(select(pay.grant_id, pay.paid_on)).all()
            got = {g.id: [p.id for p in g.payments]
                   for chunk in rows.stream(session, models.FinanceGrant, {"payments": {}})
                   for g in chunk if g.payments}
    finally:
        database.close()
    assert any(len(ids) > 2 and ids != sorted(ids) for ids in want.values())
    assert len(days) > len(set(days))  # some payments of a grant share a day
    assert got == want


def test_a_table_of_one_column_is_read_as_rows_of_it(tmp_path, monkeypatch):
    """The builder unpacks each cursor row into the columns' values: a row of one value too
    (`for v0, in rows`), not the row as the value."""
    from sqlalchemy import Integer, create_engine
    from sqlalchemy.orm import DeclarativeBase, Session, mapped_column

    class Single(DeclarativeBase):  # a registry of its own: Dure's models stay as they are
        pass

    class Tag(Single):
        __tablename__ = "tag"
        __label__ = "태그"
        __title__ = "{id}"
        __title_context__ = ""
        id = mapped_column(Integer, primary_key=True)  # the only column

    monkeypatch.setattr(rows, "_KINDS", {})
    monkeypatch.setattr(rows, "CHUNK", 2)
    engine = create_engine(f"sqlite:///{tmp_path / 'tags.sqlite'}")
    Single.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Tag(id=i) for i in (3, 5, 8)])
        session.commit()
        assert [[r.id for r in chunk] for chunk in rows.stream(session, Tag, {})] == [[3, 5], [8]]
    engine.dispose()
