"""Lists: the 합계 row over the rows shown, column filters, a hidden record leaves the form,
the right-click menu's 엑셀로 내보내기 and 인쇄, and the models under the model tester."""

from __future__ import annotations

import subprocess

import pytest
from openpyxl import load_workbook
from PySide6.QtTest import QAbstractItemModelTester

from db import formats
from gui.widgets import list_export
from gui.widgets.table_model import SORT_ROLE
from tests.gui_helpers import area_page, key_text, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture


def _column(model, key: str) -> int:
    return [f.key for f in model.fields].index(key)


def _shown_sum(model, key: str) -> int:
    col = _column(model, key)
    return sum(model.index(r, col).data(SORT_ROLE) or 0 for r in range(model.rowCount()))


def test_totals_row_equals_the_sum_of_the_rows_shown_after_a_filter(qtbot, demo):
    page = area_page(make_window(qtbot, demo), "finance")
    model, totals = page.model, page.totals_row.totals
    all_rows = model.rowCount()
    everything = _shown_sum(model, "approved_amount")
    assert totals.values["approved_amount"] == everything > 0
    program = page.filters["program"]
    program.setCurrentIndex(program.findText("사회보험료"))
    assert 0 < model.rowCount() < all_rows
    part = _shown_sum(model, "approved_amount")
    assert totals.values["approved_amount"] == part < everything
    col = _column(model, "approved_amount")
    assert totals.data(totals.index(0, col)) == formats.won(part)
    assert totals.data(totals.index(0, totals.label_column)) == "합계"
    key_text(qtbot, page.search, "구민")  # a search on top of the filter
    assert totals.values["approved_amount"] == _shown_sum(model, "approved_amount")
    assert totals.values["approved_persons"] == _shown_sum(model, "approved_persons")
    program.setCurrentIndex(0)
    page.search.clear()
    assert model.rowCount() == all_rows and totals.values["approved_amount"] == everything


def test_organization_filter_and_a_hidden_record_clears_the_form(qtbot, demo):
    page = area_page(make_window(qtbot, demo), "finance")
    model = page.model
    first = model.id_at(0)
    assert page.select_record(first)
    org_filter = page.filters["organization_id"]
    shown_org = model.index(0, _column(model, "organization_id")).data()
    other = next(i for i in range(1, org_filter.count())
                 if org_filter.itemText(i) not in ("", shown_org))
    org_filter.setCurrentIndex(other)
    names = {model.index(r, _column(model, "organization_id")).data()
             for r in range(model.rowCount())}
    assert names <= {org_filter.itemText(other)}
    assert model.row_of(first) < 0
    assert page.form.record_id is None  # the form no longer shows a record the list hides
    org_filter.setCurrentIndex(0)
    assert model.row_of(first) >= 0


def test_list_exports_as_shown_to_xlsx_and_pdf(qtbot, demo, tmp_path):
    page = area_page(make_window(qtbot, demo), "finance")
    program = page.filters["program"]
    program.setCurrentIndex(program.findText("사회보험료"))
    shown = [[page.model.index(r, c).data() for c in range(page.model.columnCount())]
             for r in range(page.model.rowCount())]
    out = tmp_path / "재정지원 목록.xlsx"
    assert list_export.write_xlsx(page, out) == len(shown)
    ws = load_workbook(out).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == [f.caption for f in page.model.fields]
    amount = _column(page.model, "approved_amount")
    assert [r[amount] for r in rows[1:-1]] == [
        page.model.index(r, amount).data(SORT_ROLE) for r in range(len(shown))]
    assert rows[-1][amount] == _shown_sum(page.model, "approved_amount")
    assert "합계" in rows[-1]
    pdf = tmp_path / "목록.pdf"
    assert list_export.write_pdf(page, pdf) >= 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=False).stdout if _has("pdftotext") else None
    if text is not None:
        assert "사회보험료" in text and "합계" in text
        assert formats.won(_shown_sum(page.model, "approved_amount")) in text


def _has(tool: str) -> bool:
    import shutil

    return shutil.which(tool) is not None


def test_right_click_menu_offers_the_list_actions(qtbot, demo):
    page = area_page(make_window(qtbot, demo), "finance")
    page.view.selectRow(0)
    menu = page.list_menu()
    assert [a.text() for a in menu.actions() if a.text()] == [
        "복사", "붙여넣기", "엑셀로 내보내기…", "인쇄…", "새로 입력", "삭제"]


@pytest.mark.parametrize("area", ["finance", "consulting", "space"])
def test_totals_model_passes_the_model_tester(qtbot, demo, area):
    page = area_page(make_window(qtbot, demo), area)
    if page.totals_row is None:
        pytest.skip("no money or count column")
    tester = QAbstractItemModelTester(page.totals_row.totals,
                                      QAbstractItemModelTester.FailureReportingMode.Fatal)
    key_text(qtbot, page.search, "a")
    page.search.clear()
    assert tester is not None


def test_new_payment_row_is_the_next_installment_with_the_expected_amount(qtbot, db):
    import datetime as dt

    from PySide6.QtCore import Qt

    from db import models as m
    from db import service

    cohort = service.save(db,
                          m.StartupCohort(year=2021, title="창업지원", fund_per_team=10_000_000))
    team = service.save(db, m.StartupTeam(cohort_id=cohort.id, name="마을숲", status="협약",
                                          agreed_on=dt.date(2021, 7, 1))).id
    page = area_page(make_window(qtbot, db), "startup", 1)
    assert page.select_record(team)
    payments = page.form.children["payments"]
    qtbot.mouseClick(payments.add_button, Qt.MouseButton.LeftButton)
    first = payments.rows[0][1]
    assert first["kind"].value() == "1차(80%)" and first["amount"].value() == 8_000_000
    first["amount"].set_value(7_999_000)  # what was really paid first counts for the rest
    qtbot.mouseClick(payments.add_button, Qt.MouseButton.LeftButton)
    second = payments.rows[1][1]
    assert second["kind"].value() == "2차(20%)" and second["amount"].value() == 2_001_000


def test_teams_added_in_a_cohort_get_their_round_and_enterprise(qtbot, db):
    import datetime as dt

    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from db import models as m
    from db import service

    org = service.save(db, m.Organization(name="㈜마을숲")).id
    cohort = m.StartupCohort(year=2021, title="창업지원", fund_per_team=10_000_000)
    cohort.rounds = [m.StartupRound(round_no=1, kind="본 모집", recruit_start=dt.date(2021, 3, 2))]
    cohort = service.save(db, cohort).id
    page = area_page(make_window(qtbot, db), "startup", 0)
    assert page.select_record(cohort)
    teams = page.form.children["teams"]
    assert {"round_id", "organization_id"} <= {f.key for f in teams.fields}
    qtbot.mouseClick(teams.add_button, Qt.MouseButton.LeftButton)
    row = teams.rows[0][1]
    row["name"].setText("마을숲")
    round_editor = row["round_id"]
    round_editor.setCurrentIndex(round_editor.findText("2021년 1차 (본 모집)"))
    row["organization_id"].set_value(org)
    page.form.mark_dirty()
    page.form.revalidate_now()
    assert page.save(), page.form.problems
    with db.session() as s:
        saved = s.scalars(select(m.StartupTeam)).one()
        assert saved.round_id is not None and saved.organization_id == org
