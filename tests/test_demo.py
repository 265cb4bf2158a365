"""The demo records: loaded from resources/demo/*.yaml, idempotent, true to the seed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import models as m
from db.demo import DEMO_DIR, load_demo
from db.errors import DureError

D = dt.date


@pytest.fixture
def demo(db):
    """The `db` fixture with the demo records loaded."""
    load_demo(db)
    return db


def count(database, model, *where) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def finance_figure(database, program: str, start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """(orgs, persons, amount) by the semantics written at the top of finance.yaml."""
    with database.session() as s:
        paid = (
            select(m.FinancePayment.grant_id, func.sum(m.FinancePayment.amount).label("amount"))
            .where(m.FinancePayment.paid_on.between(start, end))
            .group_by(m.FinancePayment.grant_id)
            .subquery()
        )
        rows = s.execute(
            select(m.FinanceGrant.organization_id, m.FinanceGrant.approved_persons, paid.c.amount)
            .join(paid, paid.c.grant_id == m.FinanceGrant.id)
            .where(m.FinanceGrant.program == program, m.FinanceGrant.year == start.year)
        ).all()
    return len({r[0] for r in rows}), sum(r[1] for r in rows), sum(r[2] for r in rows)


def millions(amount: int) -> int:
    """백만원 rounded half up, as the report prints them."""
    return (amount + 500_000) // 1_000_000


def test_seed_counts(demo):
    assert count(demo, m.Space) == 14
    assert count(demo, m.Space, m.Space.provider == "코레일") == 5
    assert count(demo, m.Space, m.Space.provider == "LH") == 9
    assert count(demo, m.Space, m.Space.status == "선정 예정") == 3
    assert count(demo, m.Space, m.Space.status == "반납") == 1
    cohort = select(m.StartupCohort.id).where(m.StartupCohort.year == 2021).scalar_subquery()
    assert count(demo, m.StartupTeam, m.StartupTeam.cohort_id == cohort) == 8
    assert count(demo, m.StartupTeam, m.StartupTeam.status == "참여 포기") == 1
    assert count(demo, m.StartupRound) == 2
    first = count(demo, m.StartupPayment, m.StartupPayment.kind == "1차(80%)",
                  m.StartupPayment.paid_on == D(2021, 6, 10), m.StartupPayment.amount == 8_000_000)
    assert first == 7


@pytest.mark.parametrize(
    ("program", "end", "orgs", "persons", "mil"),
    [
        ("사업개발비", D(2021, 6, 30), 7, 0, 42),
        ("일자리창출 인건비", D(2021, 6, 30), 24, 55, 284),
        ("사회보험료", D(2021, 6, 30), 9, 110, 80),
        ("사업개발비", D(2021, 11, 16), 13, 0, 121),
        ("일자리창출 인건비", D(2021, 11, 16), 30, 62, 550),
        ("사회보험료", D(2021, 11, 16), 9, 110, 147),
    ],
)
def test_finance_2021_reproduces_both_seed_figures(demo, program, end, orgs, persons, mil):
    got_orgs, got_persons, amount = finance_figure(demo, program, D(2021, 1, 1), end)
    assert (got_orgs, got_persons, millions(amount)) == (orgs, persons, mil)


def test_labour_and_insurance_paid_on_the_25th(demo):
    with demo.session() as s:
        days = s.scalars(
            select(m.FinancePayment.paid_on).join(m.FinanceGrant)
            .where(m.FinanceGrant.program != "사업개발비")
        ).all()
        installments = s.execute(
            select(m.FinanceGrant.id, func.count(m.FinancePayment.id)).join(m.FinancePayment)
            .where(m.FinanceGrant.program == "사업개발비").group_by(m.FinanceGrant.id)
        ).all()
    assert days and {d.day for d in days} == {25}
    assert {n for _, n in installments} == {2}


def test_loading_twice_adds_nothing(db):
    first = load_demo(db)
    before = {t: count(db, model) for t, model in _models().items()}
    assert load_demo(db) == {}
    after = {t: count(db, model) for t, model in _models().items()}
    assert before == after
    assert all(before[t] == n for t, n in first.items())  # counts are rows really added


def _models() -> dict[str, type]:
    return {mp.local_table.name: mp.class_ for mp in m.Base.registry.mappers}


def _copy_demo(tmp_path: Path, replace: dict[str, str]) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir()
    for src in DEMO_DIR.glob("*.yaml"):
        (folder / src.name).write_text(replace.get(src.name, src.read_text("utf-8")), "utf-8")
    return folder


def test_bad_yaml_names_file_and_line_and_saves_nothing(db, tmp_path):
    folder = _copy_demo(tmp_path, {"space.yaml": "spaces:\n  - provider: [코레일\n"})
    with pytest.raises(DureError, match=r"space\.yaml.*행"):
        load_demo(db, folder)
    assert count(db, m.Organization) == 0


def test_unknown_enterprise_names_entry(db, tmp_path):
    text = (DEMO_DIR / "space.yaml").read_text("utf-8").replace("organization: 웍스994", "organization: 없는기업")
    folder = _copy_demo(tmp_path, {"space.yaml": text})
    with pytest.raises(DureError) as err:
        load_demo(db, folder)
    msg = str(err.value)
    assert "space.yaml" in msg and "백마역 2번출구" in msg and "없는기업" in msg
    assert count(db, m.Organization) == 0  # one transaction: the enterprises went too


def test_bad_value_and_unknown_key_are_explained(db, tmp_path):
    bad_money = "organizations:\n  - name: 가\n\nfinance_budgets:\n  - {program: 사업개발비, year: 2022, amount: '143,818천원'}\n"
    folder = _copy_demo(tmp_path, {"finance.yaml": bad_money})
    with pytest.raises(DureError, match=r"finance\.yaml.*예산액.*정수"):
        load_demo(db, folder)
    typo = "organizations:\n  - name: 가\n    kimd: 기타\n"
    folder2 = tmp_path / "two"
    folder2.mkdir()
    (folder2 / "organizations.yaml").write_text(typo, "utf-8")
    with pytest.raises(DureError, match=r"organizations\.yaml.*\(가\).*kimd"):
        load_demo(db, folder2)
