"""Excel import: Dure data sheets (round trip), mapped sheets, duplicates, one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db import service, tabular
from db.errors import DureError
from db.importer import commit, preview
from db.importer.result import CHANGED, DUPLICATE, NEW, REJECTED, UNCHANGED
from db.models import ChangeLog, FinanceGrant, FinancePayment, ImportMapping, Organization
from db.periods import Period
from tests.db_helpers import records as _records
from tests.db_helpers import row_count as _count
from tests.import_support import brn, header, org_rows, write

D = dt.date
ORG_SHEET = tabular.sheet_name(Organization)


def _seed(db):
    a = service.save(db, Organization(name="㈜마을숲", kind="사회적기업", brn=brn(1),
                                      designated_on=D(2019, 8, 15), phone="031-123-4567"))
    b = service.save(db, Organization(name="두레협동조합", kind="협동조합"))
    grant = FinanceGrant(program="일자리창출 인건비", year=2021, organization_id=a.id,
                         approved_persons=3, approved_amount=45_000_000)
    grant.payments = [FinancePayment(paid_on=D(2021, m, 25), amount=3_750_000, persons=3)
                      for m in (1, 2, 3)]
    service.save(db, grant)
    service.save(db, FinanceGrant(program="사업개발비", year=2020, organization_id=b.id,
                                  approved_amount=8_000_000))
    return a, b


def test_new_rows_are_previewed_then_written_in_one_go(db, tmp_path):
    path = write(tmp_path / "orgs.xlsx", {ORG_SHEET: [header(Organization), *org_rows(20)]})
    p = preview(db, path)
    assert (p.count(NEW), p.count(REJECTED), p.ok) == (20, 0, True)
    assert _count(db, Organization) == 0  # a preview writes nothing
    assert commit(db, p) == 20
    assert _count(db, Organization) == 20
    with db.session() as s:
        logged = s.scalars(select(ChangeLog.source).where(ChangeLog.table_name == "organization"))
        assert set(logged) == {"import"}
    again = preview(db, path)  # the same file again: all duplicates by name / BRN
    assert again.count(DUPLICATE) == 20 and again.writes == 0


def test_round_trip_export_import_finds_no_changes_then_an_edit_comes_back(db, tmp_path):
    from exports.api import export_workbook

    a, _b = _seed(db)
    before = {m: _records(db, m) for m in (Organization, FinanceGrant, FinancePayment)}
    out = export_workbook(db, Period.parse("2021"), Period.parse("2021"), tmp_path / "두레.xlsx")

    p = preview(db, out)
    assert p.ok and p.writes == 0, p.lines()
    assert p.count(UNCHANGED) == 2 + 2 + 3
    assert {s.name for s in p.sheets} >= {ORG_SHEET, tabular.sheet_name(FinancePayment)}

    wb = load_workbook(out)  # the clerk edits the export in Excel and saves it
    ws = wb[ORG_SHEET]
    heads = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == a.id)
    row[heads.index("전화")].value = "031-999-0000"
    row[heads.index("지정·인증일")].value = "2019. 9. 1."  # a date typed as text
    ws.append([None, "새싹마을기업", "마을기업", None, None, None, None, 43831])  # serial date
    wb.save(out)

    p = preview(db, out)
    assert (p.count(CHANGED), p.count(NEW), p.count(REJECTED)) == (1, 1, 0), p.lines()
    [changed] = [r for s in p.sheets for r in s.rows if r.status == CHANGED]
    assert changed.changes == {"designated_on": (D(2019, 8, 15), D(2019, 9, 1)),
                               "phone": ("031-123-4567", "031-999-0000")}
    assert "전화 '031-123-4567' → '031-999-0000'" in "\n".join(p.lines())
    commit(db, p)
    with db.session() as s:
        org = s.get(Organization, a.id)
        assert (org.phone, org.designated_on) == ("031-999-0000", D(2019, 9, 1))
        new = s.scalar(select(Organization).where(Organization.name == "새싹마을기업"))
        assert new.designated_on == D(2020, 1, 1)
    for model in (FinanceGrant, FinancePayment):
        assert _records(db, model) == before[model]


def test_one_bad_row_in_ten_thousand_writes_nothing_and_names_the_row(db, tmp_path):
    rows = org_rows(10_000)
    rows[4_999][7] = "2021.13.1"  # Excel row 5,001 (the header is row 1)
    path = write(tmp_path / "big.xlsx", {ORG_SHEET: [header(Organization), *rows]})
    p = preview(db, path)
    assert (p.count(NEW), p.count(REJECTED)) == (9_999, 1)
    [bad] = [r for r in p.sheets[0].rows if r.status == REJECTED]
    assert bad.row == 5_001
    assert bad.messages[0].startswith("5001행 '지정·인증일' 열: ")
    assert "'2021.13.1'" in bad.messages[0]
    with pytest.raises(DureError, match="거부된 행이 1개"):
        commit(db, p)
    assert _count(db, Organization) == 0


def test_mapped_sheet_with_a_title_row_is_saved_and_proposed_next_time(db, tmp_path):
    rows = [["2021년 사회적경제기업 명단", None, None, None],
            ["업체명", "사업자번호", "대표자", "구분"],
            ["햇살공방", f"{brn(7)[:3]}-{brn(7)[3:5]}-{brn(7)[5:]}", "김하나", "마을기업"],
            ["푸른들", brn(8), "이두리", "자활기업"]]
    path = write(tmp_path / "명단.xlsx", {"Sheet1": rows})
    mapping = {"업체명": "name", "사업자번호": "brn", "대표자": "representative", "구분": "kind"}
    p = preview(db, path, mapping, sheet="Sheet1", entity="기업")
    assert p.sheets[0].header_row == 2 and p.count(NEW) == 2, p.lines()
    commit(db, p)
    with db.session() as s:
        assert s.scalar(select(Organization.brn).where(Organization.name == "햇살공방")) == brn(7)
        assert s.scalar(select(func.count()).select_from(ImportMapping)) == 1

    again = preview(db, path, sheet="Sheet1", entity="organization")  # no mapping given
    assert again.sheets[0].mapping == mapping
    assert again.count(DUPLICATE) == 2


def test_organization_reference_by_name_or_brn_and_unknown_names_rejected(db, tmp_path):
    a, _b = _seed(db)
    rows = [["사업", "연도", "업체", "금액"],
            ["사회보험료", 2021, "마을숲", "1,200,000"],  # ㈜ left out: same reduced name
            ["사회보험료", 2021, brn(1), 5],               # same org by BRN → duplicate key
            ["사회보험료", 2022, "없는기업", "800만원"],
            ["사회보험료", 2021, "두레협동조합", "12.5"]]  # fraction of a 원
    path = write(tmp_path / "grants.xlsx", {"지원": rows})
    mapping = {"사업": "program", "연도": "year", "업체": "organization_id",
               "금액": "approved_amount"}
    p = preview(db, path, mapping, sheet="지원", entity="finance_grant")
    status = {r.row: r.status for r in p.sheets[0].rows}
    assert status == {2: NEW, 3: DUPLICATE, 4: REJECTED, 5: REJECTED}, p.lines()
    msgs = {r.row: r.messages for r in p.sheets[0].rows}
    assert msgs[4] == [("4행 '업체' 열: 기업 '없는기업'을(를) 찾을 수 없습니다. "
                        "먼저 기업 목록에 등록하거나 이름을 확인하세요.")]
    assert "1원 미만" in msgs[5][0]
    assert p.sheets[0].rows[0].values["organization_id"] == a.id


def test_an_update_to_an_unknown_id_or_another_records_key_is_rejected(db, tmp_path):
    a, b = _seed(db)
    rows = [header(Organization),
            [999, "유령기업", "기타"],
            [b.id, "두레협동조합", "협동조합", None, brn(1)]]  # b taking a's BRN
    p = preview(db, write(tmp_path / "x.xlsx", {ORG_SHEET: rows}))
    msgs = [r.messages[0] for r in p.sheets[0].rows]
    assert "번호 999인 기업이 없습니다" in msgs[0]
    assert f"사업자등록번호가 다른 기록(번호 {a.id})과 같습니다" in msgs[1]


def test_commit_refuses_when_a_record_changed_after_the_preview(db, tmp_path):
    a, _b = _seed(db)
    rows = [header(Organization), [a.id, "㈜마을숲", "사회적기업", None, brn(1), None, None,
                                   D(2019, 8, 15), None, None, "02-000-0000"]]
    p = preview(db, write(tmp_path / "x.xlsx", {ORG_SHEET: rows}))
    assert p.count(CHANGED) == 1
    with db.session() as s:
        s.get(Organization, a.id).phone = "010-1111-2222"
        s.commit()
    with pytest.raises(DureError, match="미리보기 뒤에"):
        commit(db, p)
    with db.session() as s:
        assert s.get(Organization, a.id).phone == "010-1111-2222"


def test_import_on_postgresql(pg_db, tmp_path):
    a, _b = _seed(pg_db)
    rows = [header(Organization), *org_rows(5, start=100),
            [a.id, "㈜마을숲", "사회적기업", None, brn(1), None, None, D(2019, 8, 15), None, None,
             "031-000-1111"]]
    p = preview(pg_db, write(tmp_path / "pg.xlsx", {ORG_SHEET: rows}))
    assert (p.count(NEW), p.count(CHANGED), p.ok) == (5, 1, True), p.lines()
    assert commit(pg_db, p) == 6
    assert _count(pg_db, Organization) == 7
    with pg_db.session() as s:
        assert s.get(Organization, a.id).phone == "031-000-1111"


def test_two_enterprises_may_share_a_name_but_not_a_brn(db, tmp_path):
    a = service.save(db, Organization(name="두레", kind="기타", brn=brn(1)))
    b = service.save(db, Organization(name="두레", kind="기타"))  # allowed: the rule only warns
    rows = [header(Organization),
            [a.id, "두레", "기타", None, brn(1)],
            [b.id, "두레", "협동조합", None, brn(2)],
            [None, "두레", "기타"],                     # a third "두레": taken for the same one
            [None, "새기업", "기타", None, brn(2)]]     # the BRN b is taking in this sheet
    p = preview(db, write(tmp_path / "n.xlsx", {ORG_SHEET: rows}))
    status = [r.status for r in p.sheets[0].rows]
    assert status == [UNCHANGED, CHANGED, DUPLICATE, DUPLICATE], p.lines()
    rows[1][4] = f"{brn(1)[:3]}-{brn(1)[3:5]}-{brn(1)[5:]}"  # typed with hyphens: no change
    rows[2][4] = brn(1)  # b takes a's BRN: refused
    p = preview(db, write(tmp_path / "m.xlsx", {ORG_SHEET: rows[:3]}))
    assert p.sheets[0].rows[0].status == UNCHANGED
    assert "사업자등록번호가 다른 기록(번호 1)과 같습니다" in p.sheets[0].rows[1].messages[0]


@pytest.mark.slow
def test_the_whole_demo_workbook_round_trips_without_a_change(tmp_path):
    """Every data sheet of an export of the demo records (every program area) comes back as is.

    Slow (loading the demo records and exporting every table takes a few seconds): it is the
    one test that round-trips all 36 entities, so it stays in the suite.
    """
    from exports.api import export_workbook
    from tests.export_fixtures import open_demo

    demo = open_demo(tmp_path)
    try:
        out = export_workbook(demo, Period.parse("2018"), Period.parse("2021H1"),
                              tmp_path / "x.xlsx")
        p = preview(demo, out)
        assert p.ok and p.writes == 0, p.lines()
        assert len(p.sheets) == len(tabular.ENTITIES)
        assert p.count(UNCHANGED) == sum(_count(demo, s.model) for s in p.sheets) > 500
    finally:
        demo.close()


def test_a_grant_can_name_an_enterprise_that_is_new_in_the_same_workbook(db, tmp_path):
    orgs = [header(Organization), [None, "햇살공방", "마을기업", None, brn(77)]]
    grants = [header(FinanceGrant),
              [None, "사업개발비", 2021, None, "햇살공방", 0, "8,000,000"],  # by name
              [None, "사회보험료", 2021, brn(77), None, 1, "500,000"],      # by BRN
              [None, "사회보험료", 2022, None, "없는공방", 1, 0]]
    path = write(tmp_path / "new.xlsx", {tabular.sheet_name(FinanceGrant): grants, ORG_SHEET: orgs})
    p = preview(db, path)
    status = [r.status for s in p.sheets for r in s.rows]
    assert status == [NEW, NEW, NEW, REJECTED], p.lines()
    assert "기업 '없는공방'을(를) 찾을 수 없습니다" in p.sheets[1].rows[2].messages[0]

    del grants[3]
    p = preview(db, write(tmp_path / "new2.xlsx", {tabular.sheet_name(FinanceGrant): grants,
                                                   ORG_SHEET: orgs}))
    assert commit(db, p) == 3
    with db.session() as s:
        new_id = s.scalar(select(Organization.id).where(Organization.name == "햇살공방"))
        assert set(s.scalars(select(FinanceGrant.organization_id))) == {new_id}
