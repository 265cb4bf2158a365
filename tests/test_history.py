"""변경 이력: inserts, updates and deletes are logged with who/when/old/new; one can be reverted."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db import service
from db.errors import DureError
from db.models import ChangeLog, Organization, Space, Tenancy, TenancyTerm
from db.safety import history, trash
from db.session import open_database

D = dt.date


def _log(db, table="organization", ident=1):
    with db.session() as s:
        return history.for_record(s, table, ident)


def _edit(db, ident, **values):
    with db.session() as s:
        obj = s.get(Organization, ident)
    for k, v in values.items():
        setattr(obj, k, v)
    return service.save(db, obj)


def test_insert_update_delete_are_logged_with_old_and_new_values_and_survive_reopen(tmp_path):
    path = tmp_path / "h.sqlite"
    db = open_database(path)
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합",
                                        designated_on=D(2019, 8, 15)))
    _edit(db, org.id, name="㈜마을숲협동조합", designated_on=D(2019, 9, 1), phone="031-000-0000")
    service.delete(db, Organization, org.id)
    db.close()

    db = open_database(path)  # history lives in the same file
    delete, update, insert = _log(db, "organization", org.id)
    db.close()
    assert [c.op for c in (insert, update, delete)] == ["insert", "update", "delete"]
    assert insert.changes["name"] == [None, "㈜마을숲"]
    assert insert.changes["designated_on"] == [None, "2019-08-15"]
    assert update.changes == {"name": ["㈜마을숲", "㈜마을숲협동조합"],
                              "designated_on": ["2019-08-15", "2019-09-01"],
                              "phone": [None, "031-000-0000"]}
    assert delete.changes["name"] == ["㈜마을숲협동조합", None]
    assert delete.trash_id == trash.list_items(open_database(path))[0].id
    assert {c.os_user for c in (insert, update, delete)} == {trash.os_user()}
    assert insert.changed_at <= update.changed_at <= delete.changed_at
    assert history.field_label("organization", "designated_on") == "지정·인증일"


def test_revert_an_update_restores_old_values_and_is_itself_logged(db):
    org = service.save(db, Organization(name="가나다", kind="기타", phone="1"))
    _edit(db, org.id, phone="2", note="메모")
    update = _log(db)[0]
    history.revert(db, update.id)
    with db.session() as s:
        now = s.get(Organization, org.id)
        assert (now.phone, now.note) == ("1", None)
    newest = _log(db)[0]
    assert newest.op == "update" and newest.source == "revert" and newest.reverts_id == update.id
    assert newest.changes == {"phone": ["2", "1"], "note": ["메모", None]}


def test_revert_refused_when_the_same_field_changed_since(db):
    org = service.save(db, Organization(name="가나다", kind="기타", phone="1"))
    _edit(db, org.id, phone="2")
    first = _log(db)[0]
    _edit(db, org.id, phone="3")
    with pytest.raises(DureError, match="같은 항목이 다시 바뀌어.*전화"):
        history.revert(db, first.id)
    with db.session() as s:
        assert s.get(Organization, org.id).phone == "3"
    second = _log(db)[0]
    _edit(db, org.id, note="다른 항목")  # a later change in another field does not block
    history.revert(db, second.id)
    with db.session() as s:
        stored = s.get(Organization, org.id)
        assert (stored.phone, stored.note) == ("2", "다른 항목")


def test_revert_an_insert_trashes_and_a_delete_restores(db):
    org = service.save(db, Organization(name="가나다", kind="기타"))
    space = Space(provider="LH", site="행신2지구 4단지", area_m2=154)
    space.tenancies = [Tenancy(organization_id=org.id,
                               terms=[TenancyTerm(start_on=D(2019, 1, 1), end_on=D(2020, 12, 31))])]
    space = service.save(db, space)
    insert = _log(db, "space", space.id)[0]
    history.revert(db, insert.id)  # undo the insert: to the trash with its tenancy
    with db.session() as s:
        assert s.get(Space, space.id) is None
    delete = _log(db, "space", space.id)[0]
    assert delete.op == "delete" and delete.source == "revert" and delete.trash_id
    history.revert(db, delete.id)  # undo the delete: back from the trash
    with db.session() as s:
        assert s.get(Space, space.id).tenancies[0].terms[0].end_on == D(2020, 12, 31)
    assert _log(db, "space", space.id)[0].op == "insert"


def test_revert_of_a_change_whose_record_is_gone_is_refused(db):
    org = service.save(db, Organization(name="가나다", kind="기타"))
    _edit(db, org.id, phone="2")
    update = _log(db)[0]
    service.delete(db, Organization, org.id)
    trash.empty(db)
    with pytest.raises(DureError, match="이미 삭제"):
        history.revert(db, update.id)
    with pytest.raises(DureError, match="휴지통"):
        history.revert(db, _log(db)[0].id)  # the delete: the trash was emptied


def test_every_orm_write_is_logged_even_outside_the_service(db):
    with db.session() as s:
        s.add(Organization(name="직접", kind="기타"))
        s.commit()
    with db.session() as s:
        assert s.scalars(select(ChangeLog.table_name)).all() == ["organization"]
        s.info["history"] = False  # opt-out for bulk generators
        s.add(Organization(name="기록 안 함", kind="기타"))
        s.commit()
        assert len(s.scalars(select(ChangeLog)).all()) == 1


def test_history_dialog_shows_fields_with_labels_and_reverts_the_selected_change(db, qtbot):
    from PySide6.QtCore import Qt

    from gui.history_panel import HistoryDialog

    org = service.save(db, Organization(name="가나다", kind="기타", phone="1"))
    _edit(db, org.id, phone="2")
    dialog = HistoryDialog(db, "organization", org.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == f"변경 이력 — 기업 번호 {org.id}"
    t = dialog.table
    cells = [[t.item(r, c).text() for c in range(6)] for r in range(t.rowCount())]
    assert cells[0][1:] == [trash.os_user(), "수정", "전화", "1", "2"]
    assert ["추가", "기업명", "", "가나다"] in [c[2:] for c in cells]
    assert not dialog.revert_button.isEnabled()

    t.selectRow(0)
    dialog.confirm = lambda *_a: True
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert s.get(Organization, org.id).phone == "1"
    assert t.item(0, 2).text() == "수정(되돌리기)" and t.item(0, 5).text() == "1"

    errors: list[str] = []
    dialog.show_error = errors.append
    t.selectRow(1)  # the first edit again: the phone changed since (by the revert)
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert errors and "같은 항목이 다시 바뀌어" in errors[0]


def test_history_and_revert_on_postgresql(pg_db):
    org = service.save(pg_db, Organization(name="가나다", kind="기타", designated_on=D(2019, 1, 2)))
    _edit(pg_db, org.id, designated_on=D(2020, 3, 4))
    update, insert = _log(pg_db, "organization", org.id)
    assert insert.changes["designated_on"] == [None, "2019-01-02"]
    assert update.changes == {"designated_on": ["2019-01-02", "2020-03-04"]}
    history.revert(pg_db, update.id)
    with pg_db.session() as s:
        assert s.get(Organization, org.id).designated_on == D(2019, 1, 2)


def test_a_child_row_removed_in_a_form_is_logged_and_can_be_put_back(db):
    org = service.save(db, Organization(name="가나다", kind="기타"))
    space = Space(provider="LH", site="행신2지구 4단지", area_m2=154)
    space.tenancies = [Tenancy(organization_id=org.id, moved_in_on=D(2019, 1, 1))]
    space = service.save(db, space)
    tenancy_id = space.tenancies[0].id
    with db.session() as s:  # the form drops the row from the sub-table and saves
        loaded = s.get(Space, space.id)
        loaded.tenancies.clear()
        s.commit()
    delete = _log(db, "tenancy", tenancy_id)[0]
    assert delete.op == "delete" and delete.trash_id is None
    history.revert(db, delete.id)
    with db.session() as s:
        back = s.get(Tenancy, tenancy_id)
        assert (back.space_id, back.organization_id, back.moved_in_on) == (space.id, org.id,
                                                                           D(2019, 1, 1))
    with pytest.raises(DureError, match="이미 있어"):
        history.revert(db, delete.id)


def test_the_form_history_button_opens_this_record_history(db, qtbot):
    """The 변경 이력 button of a form (wired by the main window) shows the record's changes."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.history_panel import HistoryDialog
    from tests.gui_helpers import area_page, make_window

    org = service.save(db, Organization(name="가나다", kind="기타", phone="1"))
    _edit(db, org.id, phone="2")
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    window.open_record("organization", org.id)
    qtbot.waitUntil(lambda: page.form.record_id == org.id, timeout=3000)
    seen: list[tuple[str, list[str]]] = []

    def inspect_and_close() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, HistoryDialog) and w.isVisible())
        seen.append((dialog.windowTitle(), [dialog.table.item(0, c).text() for c in (2, 3, 4, 5)]))
        dialog.reject()

    QTimer.singleShot(100, inspect_and_close)
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    assert seen == [(f"변경 이력 — 기업 번호 {org.id}", ["수정", "전화", "1", "2"])]


def test_a_database_without_the_change_log_table_still_takes_writes(tmp_path):
    """An older file (before the change log existed) is written without a log, not refused."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from db.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    tables = [t for t in Base.metadata.sorted_tables if t.name != "change_log"]
    Base.metadata.create_all(engine, tables=tables)
    with Session(engine) as s:
        s.add(Organization(name="옛 기업", kind="기타"))
        s.commit()
        assert s.scalar(select(Organization.name)) == "옛 기업"
    engine.dispose()


def test_the_history_module_can_be_imported_first():
    """A new entry point importing db.safety.history before db.models must not hit a cycle."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c",
                           "import db.safety.history as h; print(h._installed)"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
