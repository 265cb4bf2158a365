"""Asking and telling: delete asks only about what can be deleted and names it, a save says so
in the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from db import models as m
from db import service
from db.safety import trash
from tests.gui_helpers import area_page, make_window, no_modal_unsaved_question

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
