"""The synthetic benchmark database: valid, rule-abiding, and at the scale asked for."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.generate import _brn, generate
from db import models as m
from db.session import open_database


def test_small_generated_database_is_consistent(tmp_path):
    counts = generate(tmp_path / "g.sqlite", records=2_000, years=3)
    assert 1_500 <= counts["total_rows"] <= 3_000
    database = open_database(tmp_path / "g.sqlite")
    with database.session() as s:
        years = s.scalars(select(m.StartupCohort.year).order_by(m.StartupCohort.year)).all()
        assert years == [2020, 2021, 2022]
        # every first tenancy term runs exactly two years (start + 2 y - 1 d)
        for t in s.scalars(select(m.TenancyTerm).where(m.TenancyTerm.reviewed_on.is_(None))):
            two_years_back = t.end_on.replace(year=t.end_on.year - 2)
            assert two_years_back.toordinal() + 1 == t.start_on.toordinal()
        assert s.scalar(select(func.count()).select_from(m.FinancePayment)) > 0
    database.close()


def test_registration_numbers_carry_a_valid_check_digit():
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    for i in (0, 1, 17, 999):
        brn = _brn(i)
        total = (sum(int(d) * w for d, w in zip(brn[:9], weights, strict=False))
                 + int(brn[8]) * 5 // 10)
        assert len(brn) == 10 and int(brn[9]) == (10 - total % 10) % 10
