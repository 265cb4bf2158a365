"""The same schema, rules and writes on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from db import models as m
from db import service
from db.errors import DureError
from db.migrations import runner


def test_migrations_reach_head_on_postgres(pg_db):
    with pg_db.engine.connect() as conn:
        assert runner.current_revision(conn) == runner.head_revision()
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in m.Base.metadata.sorted_tables} <= tables


def test_korean_text_and_big_amounts_round_trip(pg_db):
    with pg_db.session() as s:
        s.add(m.PurchasingResult(year=2020, as_of=dt.date(2020, 12, 31), amount=8_500_000_000,
                                 rate=4.56, grade="S"))
        s.add(m.Organization(name="㈜마을숲 — 로컬푸드 ㎡", kind="예비사회적기업(경기도형)"))
        s.commit()
    with pg_db.session() as s:
        assert s.scalar(select(m.PurchasingResult.amount)) == 8_500_000_000
        assert s.scalar(select(m.Organization.name)) == "㈜마을숲 — 로컬푸드 ㎡"


def test_constraints_hold_on_postgres(pg_db):
    with pg_db.session() as s:
        org = m.Organization(name="나루코(주)", kind="사회적기업")
        s.add(org)
        s.commit()
        with pytest.raises(IntegrityError):
            s.execute(text("INSERT INTO finance_grant (program, year, organization_id, "
                           "approved_persons, approved_amount) VALUES ('사회보험료', "
                           "2021, :o, 1, -5)"),
                      {"o": org.id})
        s.rollback()


def test_service_refuses_deleting_a_referenced_enterprise(pg_db):
    with pg_db.session() as s:
        org = m.Organization(name="웍스994", kind="예비사회적기업(경기도형)")
        s.add(org)
        s.flush()
        s.add(m.FinanceGrant(program="사회보험료", year=2021, organization_id=org.id))
        s.commit()
        org_id = org.id
    with pytest.raises(DureError):
        service.delete(pg_db, m.Organization, org_id)
    with pg_db.session() as s:
        assert s.get(m.Organization, org_id) is not None
