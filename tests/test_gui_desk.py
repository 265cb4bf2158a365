"""Asking and telling: delete asks only about what can be deleted and names it, a save says so
in the status bar."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QMessageBox

from db import models as m
from db import service
from db.safety import trash
from tests.gui_helpers import area_page, key_text, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture


def fake_boxes(monkeypatch, answer):
    """Record (kind, title, text) of the static boxes instead of showing them."""
    seen = []

    def box(kind):
        def show(_parent, title, text, *_a, **_k):
            seen.append((kind, title, text))
            return answer
        return staticmethod(show)

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return seen


def test_delete_of_a_referred_record_is_refused_without_asking(qtbot, db, monkeypatch):
    org = service.save(db, m.Organization(name="참조된기업")).id
    service.save(db, m.FinanceGrant(program="사업개발비", year=2021, organization_id=org))
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    assert page.select_record(org)
    seen = fake_boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    page.delete_current()
    assert [kind for kind, _t, _x in seen] == ["warning"]  # no question first
    assert "참조하는 기록이 있어 삭제할 수 없습니다" in seen[0][2]
    with db.session() as s:
        assert s.get(m.Organization, org) is not None


def test_delete_names_the_record_and_says_it_goes_to_the_trash(qtbot, db, monkeypatch):
    space = m.Space(provider="LH", site="행신2지구 4단지")
    ident = service.save(db, space).id
    window = make_window(qtbot, db)
    page = area_page(window, "space")
    assert page.select_record(ident)
    seen = fake_boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    page.delete_current()
    [(kind, _title, text)] = seen
    assert kind == "question"
    assert "‘행신2지구 4단지’" in text and "휴지통" in text
    [item] = trash.list_items(db)
    assert item.label == "행신2지구 4단지"


def test_a_save_says_so_in_the_status_bar(qtbot, db):
    from tests.gui_helpers import type_into

    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    page.new_record()
    type_into(qtbot, page.form.editors["name"], "마을숲")
    page.form.revalidate_now()
    assert page.save()
    message = window.statusBar().currentMessage()
    assert message.startswith("저장했습니다: 기업 ‘마을숲’")


def preedit(widget, text):
    """The input method shows `text` as still being composed (not yet in text())."""
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, QInputMethodEvent(text, []))


def test_a_composing_syllable_is_committed_before_ctrl_s(qtbot, db):
    from PySide6.QtCore import Qt

    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    page.new_record()
    name = page.form.editors["name"]
    name.setFocus()
    key_text(qtbot, name, "한국")
    preedit(name, "어")
    assert name.text() == "한국"  # what an Enter handler saw before: the last syllable lost
    qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.session() as s:
        assert [o.name for o in s.query(m.Organization)] == ["한국어"]


def test_a_composing_syllable_is_committed_before_enter_and_a_row_change(
        qtbot, db, no_modal_unsaved_question):
    from PySide6.QtCore import Qt

    service.save(db, m.Organization(name="가나"))
    service.save(db, m.Organization(name="다라"))
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    page.view.selectRow(0)
    first = page.form.record_id
    rep = page.form.editors["representative"]
    rep.setFocus()
    key_text(qtbot, rep, "김")
    preedit(rep, "철")
    qtbot.keyClick(rep, Qt.Key.Key_Return)
    assert rep.text() == "김철"
    phone = page.form.editors["phone"]
    phone.setFocus()
    preedit(phone, "내")
    page.save()
    with db.session() as s:
        saved = s.get(m.Organization, first)
        assert (saved.representative, saved.phone) == ("김철", "내")
    note = page.form.editors["address"]
    note.setFocus()
    preedit(note, "길")
    assert not page.form.dirty
    page.view.selectRow(1)  # the committed 길 is an unsaved change: 저장 안 함 (fixture)
    assert no_modal_unsaved_question == ["기업"]
