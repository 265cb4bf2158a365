"""The desk window: tabs and menus, list models under Qt's model tester, input behaviour,
sub-tables, the enterprise picker, refresh after a save, unsaved-change questions, memory."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from db import models as m
from db import service
from gui.main_window import AREAS
from gui.widgets.table_model import SORT_ROLE, RecordTableModel, fetch_rows
from tests.gui_helpers import (
    area_page,
    capture_warnings,
    key_text,
    make_window,
    no_modal_unsaved_question,
    type_into,
)

_ = no_modal_unsaved_question  # autouse fixture


@pytest.fixture(scope="module")
def demo():
    from db.demo import demo_database

    database = demo_database()
    yield database
    database.close()


def all_specs():
    import importlib

    for key, _label in AREAS:
        yield from importlib.import_module(f"gui.forms.{key}").SPECS


def test_tabs_in_report_order_and_menus(qtbot, db):
    window = make_window(qtbot, db)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert labels == ["현황", "기업", "아카데미", "컨설팅", "창업지원", "판로지원", "재정지원",
                      "입주공간", "사회서비스", "우선구매", "행사·시설", "소통·예산·과제"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert [t.split("(")[0] for t in menus] == ["파일", "내보내기", "설정", "도움말"]
    file_items = [a.text() for a in window.file_menu.menu.actions() if a.text()]
    for wanted in ("새 데이터베이스…", "열기…", "최근 파일", "백업…", "복원…", "휴지통…",
                   "가져오기…", "끝내기"):
        assert wanted in file_items
    assert window.export_menu.objectName() == "내보내기"
    assert str(db.path) in window.file_label.text()
    assert window.windowTitle().startswith("두레 — ")


def test_every_list_model_passes_the_model_tester(qtbot, demo):
    for spec in all_specs():
        model = RecordTableModel(spec.list_fields(), spec.search_keys())
        tester = QAbstractItemModelTester(  # kept alive: it checks on every signal
            model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        model.set_rows(fetch_rows(demo, spec))
        for column in range(model.columnCount()):
            model.sort(column, Qt.SortOrder.DescendingOrder)
        model.set_search("a")
        model.set_search("")
        assert tester is not None


def test_sort_role_gives_native_values_and_blanks_sort_last(qtbot, db):
    from gui.forms.organization import ORGANIZATION

    for name, day in (("나", dt.date(2021, 7, 9)), ("가", None), ("다", dt.date(2019, 1, 2))):
        service.save(db, m.Organization(name=name, designated_on=day))
    model = RecordTableModel(ORGANIZATION.list_fields(), ORGANIZATION.search_keys())
    model.set_rows(fetch_rows(db, ORGANIZATION))
    col = [f.key for f in model.fields].index("designated_on")
    model.sort(col, Qt.SortOrder.AscendingOrder)
    values = [model.data(model.index(r, col), SORT_ROLE) for r in range(3)]
    assert values == [dt.date(2019, 1, 2), dt.date(2021, 7, 9), None]
    assert model.data(model.index(0, col)) == "2019.01.02"


def test_data_returning_nothing_keeps_none_refcount(qtbot, demo):
    from gui.forms.space import SPACE

    model = RecordTableModel(SPACE.list_fields(), SPACE.search_keys())
    model.set_rows(fetch_rows(demo, SPACE))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(1000):
        model.data(index, Qt.ItemDataRole.DecorationRole)
        model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole)
    model.data(QModelIndex())
    assert abs(sys.getrefcount(None) - before) < 10


def test_money_and_date_inputs_are_read_and_shown_formatted(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "startup")
    money = page.form.editors["fund_per_team"]
    for typed, shown in (("800만원", "8,000,000"), ("8백만", "8,000,000"),
                         ("8,000,000", "8,000,000")):
        type_into(qtbot, money, typed)
        assert money.text() == shown and money.value() == 8_000_000
    assert money.alignment() & Qt.AlignmentFlag.AlignRight
    rounds = page.form.children["rounds"]
    qtbot.mouseClick(rounds.add_button, Qt.MouseButton.LeftButton)
    start = rounds.rows[0][1]["recruit_start"]
    for typed in ("2021.7.9", "2021-07-09", "21.7.9"):
        type_into(qtbot, start, typed)
        assert start.value() == dt.date(2021, 7, 9) and start.text() == "2021.07.09"


def test_enter_moves_to_the_next_field(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    name = page.form.editors["name"]
    name.setFocus()
    qtbot.waitUntil(name.hasFocus, timeout=1000)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is not name
    assert page.form.isAncestorOf(QApplication.focusWidget())


def test_rule_message_appears_after_typing_without_saving(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "events")
    type_into(qtbot, page.form.editors["held_on"], "2021.10.8")
    type_into(qtbot, page.form.editors["end_on"], "2021.10.1")
    message = page.form.messages["end_on"]
    qtbot.waitUntil(lambda: message.isVisibleTo(page), timeout=2000)  # debounced check
    assert "앞섭니다" in message.text()
    assert not page.save_button.isEnabled()


def test_cohort_saved_with_rounds_and_teams_then_a_row_removed(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "startup")
    page.new_record()
    type_into(qtbot, page.form.editors["year"], "2021")
    for relation, values in (("rounds", {"recruit_start": "2021.3.10", "planned": "7"}),
                             ("rounds", {"recruit_start": "2021.5.6", "round_no": "2"}),
                             ("teams", {"name": "마을숲", "representative": "이영아"})):
        table = page.form.children[relation]
        qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
        for key, text in values.items():
            type_into(qtbot, table.rows[-1][1][key], text)
    page.form.revalidate_now()
    assert page.save(), page.form.problems
    with db.session() as s:
        cohort = s.scalars(select(m.StartupCohort)).one()
        assert [(r.round_no, r.planned) for r in cohort.rounds] == [(1, 7), (2, 0)]
        assert [t.name for t in cohort.teams] == ["마을숲"]
    rounds = page.form.children["rounds"]
    rounds.table.selectRow(1)
    rounds.remove_selected()
    assert page.save()
    with db.session() as s:
        assert s.scalars(select(m.StartupRound.round_no)).all() == [1]


def test_bad_child_row_blocks_the_save(qtbot, db, monkeypatch):
    org = service.save(db, m.Organization(name="다시시작")).id
    space = service.save(db, m.Space(provider="코레일", site="백마역")).id
    tenancy = service.save(db, m.Tenancy(space_id=space, organization_id=org)).id
    window = make_window(qtbot, db)
    page = area_page(window, "space", 1)
    assert page.select_record(tenancy)
    terms = page.form.children["terms"]
    qtbot.mouseClick(terms.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, terms.rows[0][1]["start_on"], "2021.7.1")
    type_into(qtbot, terms.rows[0][1]["end_on"], "2021.6.1")
    page.form.revalidate_now()
    assert not page.save_button.isEnabled()
    assert terms.messages.isVisibleTo(page) and "1행" in terms.messages.text()
    capture_warnings(monkeypatch)
    assert not page.save()
    with db.session() as s:
        assert s.scalars(select(m.TenancyTerm)).all() == []


def test_new_enterprise_from_the_picker_dialog_warns_about_look_alikes(qtbot, db):
    from gui.widgets.org_picker import NewOrganizationDialog

    service.save(db, m.Organization(name="㈜두레상회", brn="1234567891"))
    window = make_window(qtbot, db)
    page = area_page(window, "finance")
    picker = page.form.editors["organization_id"]
    dialog = NewOrganizationDialog(db, window.lookups, "두레상회", window)
    qtbot.addWidget(dialog)
    dialog.check_similar()
    if dialog.warning.text():  # the rules helper's similarity check is present
        assert "㈜두레상회" in dialog.warning.text()
    type_into(qtbot, dialog.form.editors["name"], "새싹 협동조합")
    dialog.form.revalidate_now()
    dialog._save()
    assert dialog.saved_id is not None
    window.lookups.invalidate(frozenset({"organization"}))
    picker.reload()
    type_into(qtbot, picker, "새싹 협동조합")
    assert picker.value() == dialog.saved_id


def test_saving_an_enterprise_refreshes_other_tabs(qtbot, db):
    org = service.save(db, m.Organization(name="옛이름")).id
    service.save(db, m.FinanceGrant(program="사회보험료", year=2021, organization_id=org))
    window = make_window(qtbot, db)
    grants = area_page(window, "finance")
    col = [f.key for f in grants.model.fields].index("organization_id")
    assert grants.model.data(grants.model.index(0, col)) == "옛이름"
    orgs = area_page(window, "organization")
    assert orgs.select_record(org)
    type_into(qtbot, orgs.form.editors["name"], "새이름")
    orgs.form.revalidate_now()
    assert orgs.save()
    area_page(window, "finance")
    assert grants.model.data(grants.model.index(0, col)) == "새이름"


def test_leaving_a_tab_with_unsaved_changes_asks(qtbot, db, no_modal_unsaved_question):
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    page.new_record()
    type_into(qtbot, page.form.editors["name"], "작성 중")
    window.tabs.setCurrentIndex(2)
    assert no_modal_unsaved_question == ["기업"]
    assert not page.form.dirty  # answered 저장 안 함


def test_window_layout_is_remembered(qtbot, db):
    window = make_window(qtbot, db)
    area_page(window, "space")
    window.resize(701, 501)  # within the offscreen screen (restoreGeometry clamps to it)
    window.close()
    again = make_window(qtbot, db)
    assert again.tabs.currentIndex() == 7
    assert again.size().width() == 701


def test_a_file_that_is_not_a_database_gets_a_korean_message(qtbot, tmp_path, monkeypatch):
    from gui.opening import open_with_dialogs

    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 50)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)
                                     or QMessageBox.StandardButton.No))
    assert open_with_dialogs(None, bad) is None
    assert shown and "데이터베이스" in shown[0]


def test_search_box_filters_as_you_type(qtbot, demo):
    window = make_window(qtbot, demo)
    page = area_page(window, "organization")
    total = page.model.rowCount()
    key_text(qtbot, page.search, "협동조합")
    shown = page.model.rowCount()
    assert 0 < shown < total
    for r in range(shown):
        cells = [page.model.data(page.model.index(r, c)) for c in range(page.model.columnCount())]
        assert any("협동조합" in c for c in cells)
    assert f"{shown:,} / {total:,}건" == page.count_label.text()


def test_dashboard_link_opens_the_record_in_its_tab(qtbot, db):
    org = service.save(db, m.Organization(name="다시시작")).id
    space = service.save(db, m.Space(provider="LH", site="행신2지구 4단지")).id
    tenancy = service.save(db, m.Tenancy(space_id=space, organization_id=org)).id
    window = make_window(qtbot, db)
    window.open_record("tenancy", tenancy)
    tab = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "입주공간"
    assert tab.current_page().form.record_id == tenancy


def test_run_gui_shows_the_window_then_the_data(qtbot, db, tmp_path, monkeypatch):
    import json

    from gui import app

    out = tmp_path / "marks.json"
    monkeypatch.setenv(app.BENCH_ENV, str(out))
    service.save(db, m.Organization(name="백업될 기업"))
    path = db.path
    db.close()
    assert app.run_gui(db=str(path)) == 0
    marks = json.loads(out.read_text())
    assert marks["window_shown"] <= marks["data_shown"]
    from db.paths import backup_dir

    assert any("start" in p.name for p in backup_dir().iterdir())  # the startup backup


def test_coded_choices_show_and_search_by_their_korean_labels(qtbot, db):
    service.save(db, m.ReportNote(year=2021, half=1, area="startup", text="창업팀 선정"))
    window = make_window(qtbot, db)
    page = area_page(window, "governance", 2)
    col = [f.key for f in page.model.fields].index("area")
    assert page.model.data(page.model.index(0, col)) == "창업지원"
    assert page.form.editors["area"].currentText() in ("", "기업")
    key_text(qtbot, page.search, "창업지원")
    assert page.model.rowCount() == 1
    page.select_record(page.model.id_at(0))
    assert page.form.editors["area"].currentText() == "창업지원"
    assert page.form.editors["area"].value() == "startup"


def test_restore_accepted_reopens_the_database(qtbot, db, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from gui import menus

    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    service.save(db, m.Organization(name="복원 후에도 보임"))

    class FakeRestore:
        """Stands in for gui.backup_dialog.RestoreDialog: closes the database, says Accepted."""

        def __init__(self, database, _parent):
            database.close()

        def exec(self):
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(menus, "load_class", lambda _m, _c: FakeRestore)
    window.file_menu.run_dialog("gui.backup_dialog", "RestoreDialog", "reopen")
    assert window.database is not None and window.database is not db
    page = area_page(window, "organization")
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert "복원 후에도 보임" in names
    window.close()
    window.database.close()


def test_read_only_database_offers_no_editing(qtbot, db):
    from db.session import open_database

    service.save(db, m.Organization(name="읽기만"))
    path = db.path
    db.close()
    read_only = open_database(path, read_only=True)
    window = make_window(qtbot, read_only)
    page = area_page(window, "organization")
    page.select_record(page.model.id_at(0))
    assert not page.new_button.isEnabled() and not page.delete_button.isEnabled()
    assert "읽기 전용" in window.windowTitle()
    window.close()
    read_only.close()


def test_closing_with_unsaved_changes_asks(qtbot, db, no_modal_unsaved_question):
    window = make_window(qtbot, db)
    page = area_page(window, "events")
    page.new_record()
    type_into(qtbot, page.form.editors["name"], "미저장 행사")
    window.close()
    assert no_modal_unsaved_question == ["행사"]


def test_enter_in_the_enterprise_picker_moves_on(qtbot, db):
    service.save(db, m.Organization(name="두레상회"))
    window = make_window(qtbot, db)
    page = area_page(window, "finance")
    picker = page.form.editors["organization_id"]
    type_into(qtbot, picker, "두레상회")
    picker.combo.lineEdit().setFocus()
    qtbot.waitUntil(picker.combo.lineEdit().hasFocus, timeout=1000)
    qtbot.keyClick(picker.combo.lineEdit(), Qt.Key.Key_Return)
    assert not picker.isAncestorOf(QApplication.focusWidget())
    assert picker.value() is not None


def test_a_warning_is_shown_but_does_not_block_the_save(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "consulting")
    page.new_record()
    type_into(qtbot, page.form.editors["kind"], "기초")
    type_into(qtbot, page.form.editors["held_on"], "2021.7.9")
    type_into(qtbot, page.form.editors["sessions"], "0")
    page.form.revalidate_now()
    message = page.form.messages["sessions"]
    assert message.isVisibleTo(page) and "0회" in message.text()
    assert "border" not in page.form.editors["sessions"].styleSheet()  # not marked as an error
    assert page.save_button.isEnabled() and page.save()
    with db.session() as s:
        assert s.scalars(select(m.Consulting.sessions)).all() == [0]


def test_shared_enterprise_list_model_passes_the_model_tester(qtbot, db):
    from gui.widgets.lookups import Lookups

    service.save(db, m.Organization(name="가나다"))
    lookups = Lookups(db)
    names = lookups.options_model(m.Organization)
    tester = QAbstractItemModelTester(names, QAbstractItemModelTester.FailureReportingMode.Fatal)
    service.save(db, m.Organization(name="라마바"))
    lookups.invalidate(frozenset({"organization"}))
    assert tester is not None and names.rowCount() == 3  # the blank choice + two names
    assert names.data(names.index(names.row_of(lookups.options(m.Organization)[1][0]), 0)) \
        == "라마바"


def test_saving_a_parent_keeps_the_grandchildren(qtbot, db):
    org = service.save(db, m.Organization(name="다시시작")).id
    space = service.save(db, m.Space(provider="코레일", site="백마역")).id
    tenancy = m.Tenancy(space_id=space, organization_id=org)
    tenancy.terms = [m.TenancyTerm(start_on=dt.date(2020, 1, 1), end_on=dt.date(2021, 12, 31))]
    tenancy.rents = [m.TenancyRent(contract_year=1, amount=1_000_000)]
    service.save(db, tenancy)
    window = make_window(qtbot, db)
    page = area_page(window, "space")
    assert page.select_record(space)
    type_into(qtbot, page.form.editors["site"], "백마역 1번출구")
    page.form.revalidate_now()
    assert page.save()
    with db.session() as s:
        kept = s.scalars(select(m.Tenancy)).one()
        assert kept.space.site == "백마역 1번출구"
        assert len(kept.terms) == 1 and len(kept.rents) == 1
