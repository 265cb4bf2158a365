"""Property: any generated sheet ends in saved, valid records or Korean messages — never an
exception, never a partial write."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db import rules, service, tabular
from db.errors import DureError
from db.importer import commit, preview
from db.models import FinanceGrant, FinancePayment, Organization
from tests.db_helpers import records as _snapshot
from tests.db_helpers import row_count as _count
from tests.import_support import brn, header, write

HANGUL = re.compile(r"[가-힣]")
JUNK = st.sampled_from(["", " ", "abc", "2021.13.1", "-5", "1,2,3", "=SUM(A1)", "12.5", "null",
                        "㈜", "0", "1e9", "2021-02-30", "예", "#N/A"])
dates = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
                  st.integers(-10, 80_000), st.dates().map(lambda d: d.strftime("%Y.%m.%d")), JUNK)
numbers = st.one_of(st.integers(-1_000, 10**10), st.floats(allow_nan=False, allow_infinity=False,
                                                        width=32), JUNK)
texts = st.one_of(st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                     max_size=12), JUNK)

org_row = st.tuples(
    st.one_of(st.none(), st.integers(1, 5), JUNK),                  # 번호
    st.one_of(texts, st.sampled_from(["두레상회", "㈜마을숲"])),     # 기업명
    st.one_of(st.sampled_from(["협동조합", "마을기업", "기타"]), texts),  # 기업 유형
    texts,                                                         # 대표
    st.one_of(st.integers(0, 40).map(brn), texts),                 # 사업자등록번호
    texts, st.one_of(st.none(), st.sampled_from(["혼합형", "기타형"]), JUNK),
    dates, dates, texts, texts, texts,
).map(list)


def _korean(messages: list[str]) -> None:
    assert messages and all(HANGUL.search(m) for m in messages), messages


def _check(db, model, path) -> None:
    before = _snapshot(db, model)
    try:
        p = preview(db, path)
    except DureError as exc:  # the file as a whole refused
        event("file refused")
        _korean([str(exc)])
        assert _snapshot(db, model) == before
        return
    for sheet in p.sheets:
        for r in sheet.rows:
            if r.status == "rejected":
                _korean(r.messages)
    if not p.ok:
        _korean(p.problems + [m for s in p.sheets for r in s.rows for m in r.messages])
    try:
        written = commit(db, p)
    except DureError as exc:
        event("refused, nothing written")
        _korean([str(exc)])
        assert _snapshot(db, model) == before  # nothing half-written
        return
    event("written" if written else "nothing to write")
    assert p.ok and written == p.writes
    assert _count(db, model) == len(before) + p.count("new")
    with db.session() as s:  # everything saved passes the form rules
        for obj in s.scalars(select(model)):
            assert not rules.errors(rules.validate(obj, s)), obj


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


names = st.text(st.sampled_from("가나다라마바사아두레숲"), min_size=1, max_size=6)
good_org = st.tuples(
    st.none(), names, st.sampled_from(["협동조합", "마을기업", "기타"]), st.none(),
    st.one_of(st.none(), st.integers(41, 10**6).map(brn)), st.none(), st.none(),
    st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2029, 12, 31))),
).map(list)
org_sheets = st.one_of(st.lists(good_org, min_size=1, max_size=6),
                       st.lists(st.one_of(good_org, org_row), min_size=1, max_size=6))


@SETTINGS
@given(rows=org_sheets)
def test_generated_organization_sheets(db, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("x") / "orgs.xlsx"
    write(path, {tabular.sheet_name(Organization): [header(Organization), *rows]})
    _check(db, Organization, path)


pay_row = st.tuples(st.one_of(st.none(), st.integers(1, 3), JUNK),
                    st.one_of(st.integers(1, 3), JUNK),
                    dates, numbers, st.one_of(st.none(), numbers), texts).map(list)


good_pay = st.tuples(st.none(), st.integers(1, 2),
                     st.dates(dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
                     st.one_of(st.integers(0, 10**8),
                               st.integers(0, 10**4).map(lambda n: f"{n}만원")),
                     st.one_of(st.none(), st.integers(0, 30))).map(list)
pay_sheets = st.one_of(st.lists(good_pay, min_size=1, max_size=6),
                       st.lists(st.one_of(good_pay, pay_row), min_size=1, max_size=6))


@SETTINGS
@given(rows=pay_sheets)
def test_generated_payment_sheets(db, tmp_path_factory, rows):
    if _count(db, FinanceGrant) == 0:
        org = service.save(db, Organization(name="두레상회", kind="기타"))
        for program in ("사업개발비", "사회보험료"):
            service.save(db, FinanceGrant(program=program, year=2021, organization_id=org.id))
    path = tmp_path_factory.mktemp("x") / "pays.xlsx"
    write(path, {tabular.sheet_name(FinancePayment): [header(FinancePayment), *rows]})
    _check(db, FinancePayment, path)


free_text = st.one_of(st.none(),
                      st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                                       exclude_characters="\ufffe\uffff"),
                                         min_size=1, max_size=15),
                      st.sampled_from(["=1+2", "'0012", "031-000-0000", "  공백  ", "R&D <b>"]))


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(orgs=st.lists(st.tuples(names, free_text, free_text, st.one_of(
    st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2029, 12, 31)))), min_size=1, max_size=5))
def test_export_then_import_finds_the_same_records(db, tmp_path_factory, orgs):
    from db.periods import Period
    from exports.api import export_workbook

    for name, rep, note, day in orgs:
        try:
            service.save(db, Organization(name=name, kind="기타", representative=rep, note=note,
                                          designated_on=day))
        except DureError:
            pass  # a generated value the form would refuse as well
    out = export_workbook(db, Period.parse("2021"), Period.parse("2021"),
                          tmp_path_factory.mktemp("rt") / "두레.xlsx")
    p = preview(db, out, sheet=tabular.sheet_name(Organization))
    changed = [(r.row, r.changes) for s in p.sheets for r in s.rows if r.status != "unchanged"]
    assert p.ok and changed == [], changed
