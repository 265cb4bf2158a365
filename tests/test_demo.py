"""The demo records: loaded from resources/demo/*.yaml, idempotent, true to the seed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import models as m
from db.demo import DEMO_DIR, load_demo
from db.errors import DureError
from tests.db_helpers import row_count as count

D = dt.date


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


def test_loading_twice_adds_nothing(tmp_path):
    """The first load is the one that built the demo template (into an empty database)."""
    from tests.export_fixtures import demo_added, open_demo

    first = demo_added()
    assert first  # the demo adds records to an empty database
    db = open_demo(tmp_path)
    before = {t: count(db, model) for t, model in _models().items()}
    assert load_demo(db) == {}
    after = {t: count(db, model) for t, model in _models().items()}
    assert before == after
    assert all(before[t] == n for t, n in first.items())  # counts are rows really added
    db.close()


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
    text = (DEMO_DIR / "space.yaml").read_text("utf-8").replace("organization: 웍스994",
                                                                "organization: 없는기업")
    folder = _copy_demo(tmp_path, {"space.yaml": text})
    with pytest.raises(DureError) as err:
        load_demo(db, folder)
    msg = str(err.value)
    assert "space.yaml" in msg and "백마역 2번출구" in msg and "없는기업" in msg
    assert count(db, m.Organization) == 0  # one transaction: the enterprises went too


def test_bad_value_and_unknown_key_are_explained(db, tmp_path):
    bad_money = ("organizations:\n  - name: 가\n\nfinance_budgets:\n  - {program: 사업개발비, "
                 "year: 2022, amount: '143,818천원'}\n")
    folder = _copy_demo(tmp_path, {"finance.yaml": bad_money})
    with pytest.raises(DureError, match=r"finance\.yaml.*예산액.*정수"):
        load_demo(db, folder)
    typo = "organizations:\n  - name: 가\n    kimd: 기타\n"
    folder2 = tmp_path / "two"
    folder2.mkdir()
    (folder2 / "organizations.yaml").write_text(typo, "utf-8")
    with pytest.raises(DureError, match=r"organizations\.yaml.*\(가\).*kimd"):
        load_demo(db, folder2)


def test_seed_records_of_each_area(demo):
    season2 = (select(m.SalesEvent.id).where(m.SalesEvent.name == "메가쇼 2021 시즌 2")
               .scalar_subquery())
    assert count(demo, m.SalesParticipant, m.SalesParticipant.event_id == season2) == 10
    market = (select(m.SalesEvent.id).where(m.SalesEvent.name == "사회적경제 꿈길마켓")
              .scalar_subquery())
    assert count(demo, m.SalesSchedule, m.SalesSchedule.event_id == market) == 3
    first_half = m.SalesEvent.start_date.between(D(2021, 1, 1), D(2021, 6, 30))
    assert count(demo, m.SalesEvent, first_half) == 1
    assert count(demo, m.Education, m.Education.course == "찾아가는 아카데미",
                 m.Education.start_date >= D(2021, 7, 1)) == 5
    assert count(demo, m.Video, m.Video.posted_on >= D(2021, 7, 1)) == 10
    assert count(demo, m.TenancyRent) == 14  # 4 Korail tenancies × 3 years + 능곡역 × 2
    assert count(demo, m.Organization, m.Organization.name.like("%곰길%")) == 0
    with demo.session() as s:
        consulting = dict(s.execute(
            select(m.Consulting.kind, func.sum(m.Consulting.sessions))
            .where(m.Consulting.held_on >= D(2021, 7, 1)).group_by(m.Consulting.kind)
        ).all())
        budget = s.scalar(select(func.sum(m.BudgetLine.amount))
                          .where(m.BudgetLine.kind == "투자계획"))
        offers = {o.space.site: (o.applicants,
                                 o.selected_organization and o.selected_organization.name)
                  for o in s.scalars(select(m.TenantCallSpace))}
        education_days = set(s.scalars(select(m.EducationDate.day)))
    assert consulting == {"기초": 130, "컨설팅 데이": 50, "창업팀 심화 1차": 1,
                          "창업팀 심화 2차": 7}
    assert budget == 3_605_000_000  # 연도별 투자계획 계 3,605백만원
    assert offers == {"지축4단지": (2, "(주)에이라이프"), "지축1단지": (2, "(주)에스엔소프트"),
                      "능곡역 2층": (0, None)}
    assert D(2021, 10, 19) in education_days


def test_misprints_are_corrected(demo):
    """docs/domain.md's misprint list: none of the wrong forms reaches the database."""
    wrong = ("곰길", "복건복지부", "삼성12단지", "개업", "143,5", "새울", "영력", "경제경제",
             "기업기업", "LNH")
    with demo.session() as s:
        texts = []
        for mapper in m.Base.registry.mappers:
            cols = [c for c in mapper.columns if c.type.python_type is str]
            for obj in s.scalars(select(mapper.class_)):
                texts += [getattr(obj, c.key) or "" for c in cols]
    assert texts
    assert [t for t in texts for w in wrong if w in t] == []


def test_carried_figures_stop_before_2021(demo):
    with demo.session() as s:
        rows = s.scalars(select(m.CarriedFigure)).all()
    assert {r.period_start.year for r in rows if r.area in ("startup", "sales", "finance")} == {
        2018, 2019, 2020}
    finance = {(r.category, r.metric, r.period_start.year): r.value
               for r in rows if r.area == "finance"}
    assert finance[("일자리창출 인건비", "amount", 2018)] == 903_000_000
    assert finance[("사회보험료", "persons", 2019)] == 101
    assert {r.category for r in rows if r.area == "finance"} == set(m_choices().FINANCE_PROGRAMS)


def m_choices():
    from db.models import choices

    return choices


def test_settings_are_read_by_the_settings_module(demo):
    from db.settings import load_settings

    with demo.session() as s:
        got = load_settings(s)
    assert (got.city, got.office, got.warn_days) == ("고양시", "사회적경제과", 90)
    assert (got.term_start, got.term_end) == (D(2018, 7, 1), D(2022, 6, 30))
    assert got.pledge == "사회적경제 지원시스템 구축 및 공공기관 우선구매"


def test_every_demo_record_passes_the_rules(demo):
    from db import service
    from db.commands import describe

    found = []
    with demo.session() as s:
        for mapper in m.Base.registry.mappers:
            for obj in s.scalars(select(mapper.class_)):
                found += [f"{describe(obj)}: {p.message}"
                          for p in service.check(obj, s) if p.is_error]
    assert found == []


def test_cli_demo_then_check(tmp_path, capsys):
    import main

    path = str(tmp_path / "cli.sqlite")
    assert main.main(["--db", path, "demo"]) == 0
    out = capsys.readouterr().out
    assert "데모 기록을 넣었습니다" in out and "입주공간: 14건" in out
    assert main.main(["demo", "--db", path]) == 0
    assert "추가한 기록 없음" in capsys.readouterr().out
    assert main.main(["--db", path, "check"]) == 0
    out = capsys.readouterr().out
    assert "오류 0건" in out and "[오류]" not in out and "오류 없음" in out


def test_check_reports_rule_errors_and_broken_references(tmp_path, capsys):
    from sqlalchemy import text

    import main
    from db.session import open_database

    path = tmp_path / "bad.sqlite"
    database = open_database(path)
    with database.session() as s:
        s.add(m.Organization(name="가나다", kind="없는유형"))
        s.commit()
    with database.engine.connect() as conn:  # a row whose enterprise does not exist
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text("INSERT INTO finance_grant (program, year, organization_id, "
                          "approved_persons, approved_amount) VALUES ('사회보험료', "
                          "2021, 999, 1, 0)"))
        conn.commit()
    database.close()
    assert main.main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert "[오류] 기업 #1 (가나다): 기업 유형은 다음 중 하나여야 합니다" in out
    assert "finance_grant" in out and "외래 키" in out


def test_demo_database_is_a_fresh_temporary_file():
    from db.demo import demo_database

    database = demo_database()
    try:
        assert database.path is not None and "dure-demo-" in str(database.path.parent)
        assert count(database, m.Space) == 14
    finally:
        database.close()


@pytest.mark.postgres
def test_demo_loads_into_postgresql_once(pg_db):
    """The same YAML loads into PostgreSQL with the same rows as into an empty SQLite file (the
    demo template's load), idempotently, and passes check."""
    from db.commands import integrity_findings, record_findings
    from tests.export_fixtures import demo_added

    added = load_demo(pg_db)
    assert added == demo_added()
    assert load_demo(pg_db) == {}
    assert list(integrity_findings(pg_db)) == []  # SQLite-only checks: nothing on a server
    errors = [f for _n, found in record_findings(pg_db) for f in found if f.severity == "error"]
    assert errors == []
    got = finance_figure(pg_db, "일자리창출 인건비", D(2021, 1, 1), D(2021, 11, 16))
    assert (got[0], got[1], millions(got[2])) == (30, 62, 550)


def test_the_fast_yaml_loader_reads_the_demo_files_as_the_pure_one_does():
    import yaml

    from db import demo

    if yaml.__with_libyaml__:
        assert demo._LOADER is yaml.CSafeLoader
    for path in sorted(demo.DEMO_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=demo._LOADER) == yaml.safe_load(text), path.name
