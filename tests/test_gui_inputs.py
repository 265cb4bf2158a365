"""Typing into forms: parsed money and dates, Enter, rule messages and warnings, sub-tables,
the enterprise picker and its dialog, saves that keep what the form does not show."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db import models as m
from db import service
from tests.gui_helpers import (
    area_page,
    capture_warnings,
    make_window,
    no_modal_unsaved_question,
    type_into,
)

_ = no_modal_unsaved_question  # autouse fixture


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


def _tenancy_page(qtbot, db, provider: str, site: str):
    """The 입주 계약 page showing a new tenancy of an enterprise in a `provider` space."""
    org = service.save(db, m.Organization(name="다시시작")).id
    space = service.save(db, m.Space(provider=provider, site=site)).id
    tenancy = service.save(db, m.Tenancy(space_id=space, organization_id=org)).id
    page = area_page(make_window(qtbot, db), "space", 1)
    assert page.select_record(tenancy)
    return page


def _typed_row(qtbot, page, relation: str, **values: str):
    """Add a row to a sub-table by clicking 행 추가 and typing `values`; the table, revalidated."""
    table = page.form.children[relation]
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    for key, text in values.items():
        type_into(qtbot, table.rows[-1][1][key], text)
    page.form.revalidate_now()
    return table


def test_bad_child_row_blocks_the_save(qtbot, db, monkeypatch):
    page = _tenancy_page(qtbot, db, "코레일", "백마역")
    terms = _typed_row(qtbot, page, "terms", start_on="2021.7.1", end_on="2021.6.1")
    assert not page.save_button.isEnabled()
    assert terms.messages.isVisibleTo(page) and "1행" in terms.messages.text()
    capture_warnings(monkeypatch)
    assert not page.save()
    with db.session() as s:
        assert s.scalars(select(m.TenancyTerm)).all() == []


def test_new_enterprise_from_the_picker_dialog_warns_about_look_alikes(qtbot, db):
    from gui.widgets.new_organization import NewOrganizationDialog

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


def test_picker_dialog_grows_to_show_a_wrapped_field_message_in_full(qtbot, db):
    from gui.widgets.new_organization import NewOrganizationDialog

    window = make_window(qtbot, db)
    dialog = NewOrganizationDialog(db, window.lookups, "새솔협동조합", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.form.editors["brn"], "123-45-67890")  # wrong check digit
    message = dialog.form.messages["brn"]
    qtbot.waitUntil(message.isVisible, timeout=2000)
    assert "사업자등록번호" in message.text()

    def shown_in_full() -> bool:
        return message.height() >= message.heightForWidth(message.width())

    qtbot.waitUntil(shown_in_full, timeout=2000)


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


def test_a_rule_that_reads_the_parent_by_id_blocks_save_as_you_type(qtbot, db):
    """An LH space takes no rent: the form says so per row before Save, not only in a refusal."""
    page = _tenancy_page(qtbot, db, "LH", "행신2지구")
    rents = _typed_row(qtbot, page, "rents", contract_year="1", amount="120만원")
    assert "1행" in rents.messages.text() and "임대료가 없습니다" in rents.messages.text()
    assert not page.save_button.isEnabled()


def test_record_pickers_of_one_entity_share_one_list_that_follows_changes(qtbot, db):
    """The 창업팀 pickers of every form share the lookups' list (2,000 teams at 1M records
    were added one by one to each new picker); an added team shows in each, a rename keeps
    each choice, and a deleted choice goes blank, none of them counted as the clerk's edit."""
    from gui.forms.consulting import CONSULTING
    from gui.widgets.factory import make_editor
    from gui.widgets.lookups import Lookups

    cohort = service.save(db, m.StartupCohort(year=2021, title="창업지원",
                                              fund_per_team=10_000_000)).id
    first, second = (service.save(db, m.StartupTeam(cohort_id=cohort, name=name)).id
                     for name in ("마을숲", "다온"))
    lookups = Lookups(db)
    field = next(f for f in CONSULTING.form_fields() if f.key == "startup_team_id")
    one, two = make_editor(field, lookups), make_editor(field, lookups)
    for editor in (one, two):
        qtbot.addWidget(editor)
    assert one.model() is two.model() is lookups.options_model(m.StartupTeam)
    one.set_value(first)
    two.set_value(second)
    edits: list[str] = []
    one.edited.connect(lambda: edits.append("one"))
    two.edited.connect(lambda: edits.append("two"))
    third = service.save(db, m.StartupTeam(cohort_id=cohort, name="가람")).id
    lookups.invalidate(frozenset({"startup_team"}))
    texts = [one.itemText(i) for i in range(one.count())]
    assert texts == ["", "가람 (2021년)", "다온 (2021년)", "마을숲 (2021년)"]
    assert (one.value(), two.value()) == (first, second)
    assert one.currentText() == "마을숲 (2021년)"
    with db.session() as s:
        team = s.get(m.StartupTeam, first)
        team.name = "마을숲협동조합"
        service.save(db, team)
    lookups.invalidate(frozenset({"startup_team"}))
    assert one.value() == first and one.currentText() == "마을숲협동조합 (2021년)"
    service.delete(db, m.StartupTeam, second)
    lookups.invalidate(frozenset({"startup_team"}))
    assert two.value() is None and two.currentIndex() == 0
    assert one.value() == first
    assert two.findData(third) > 0 and edits == []


def test_a_calls_space_rows_share_the_space_list_and_show_each_rows_space(qtbot, db):
    """Each of a 입주 모집's space rows has a picker: at 1M records each one added 1,500 spaces
    (20 rows: 0.4-0.6 s to open the record); they now share the lookups' one list."""
    spaces = [service.save(db, m.Space(provider="LH", site=site)).id
              for site in ("지축1단지", "행신2지구", "백마역")]
    call = m.TenantCall(title="2021년 입주기업 모집", start_on=dt.date(2021, 3, 1))
    call.offers = [m.TenantCallSpace(space_id=ident, applicants=1) for ident in spaces[::-1]]
    call_id = service.save(db, call).id
    window = make_window(qtbot, db)
    page = area_page(window, "space", 2)
    assert page.select_record(call_id)
    offers = page.form.children["offers"]
    pickers = [editors["space_id"] for _ident, editors in offers.rows]
    shared = window.lookups.options_model(m.Space)
    assert all(picker.model() is shared for picker in pickers)
    assert sorted(picker.value() for picker in pickers) == sorted(spaces)
    shown = {picker.value(): picker.currentText() for picker in pickers}
    assert (shown[spaces[1]], shown[spaces[2]]) == ("행신2지구 (LH)", "백마역 (LH)")
