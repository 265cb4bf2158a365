"""Revert, trash restore and import rows carry the version the clerk loaded (issue 12).

A write based on an older version than the stored one is refused with the conflict dialog
(내 값 / 다른 책상의 값 / 원래 값) for the fields both desks changed, and merged without a
question for the others — on SQLite and on the real PostgreSQL server the tests start.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from db import models as m
from db import service
from db.errors import DureError
from db.importer import CHANGED, commit, preview
from db.office.versions import MINE, THEIRS, ConflictError
from db.safety import history, trash
from gui.history_panel import HistoryDialog
from gui.trash_dialog import TrashDialog
from tests import test_office_versions as two_desks
from tests.import_support import brn, header, write
from tests.test_import import ORG_SHEET
from tests.test_office_versions import answer_conflict

desks = two_desks.desks  # the fixture: one SQLite file, or two sessions on the real server

D = dt.date


def _org(database, **kw):
    values = dict(name="마을숲", kind="사회적기업", representative="김하나", phone="031-111-1111")
    return service.save(database, m.Organization(**(values | kw))).id


def _edit(database, ident, **values):
    with database.session() as s:
        obj = s.get(m.Organization, ident)
    for k, v in values.items():
        setattr(obj, k, v)
    service.save(database, obj)


def _stored(database, ident):
    with database.session() as s:
        return s.get(m.Organization, ident)


def _history(qtbot, database, ident):
    dialog = HistoryDialog(database, "organization", ident)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *_a: True
    dialog.errors = []
    dialog.show_error = dialog.errors.append
    return dialog


def _select_change(dialog, kind, label):
    t = dialog.table
    row = next(r for r in range(t.rowCount())
               if t.item(r, 2).text() == kind and t.item(r, 3).text() == label)
    t.selectRow(row)


# ---------------------------------------------------------------- revert


def _older_revert(qtbot, desks):
    """A changes 대표 and opens its history; B then changes 대표 and 전화; A selects its change."""
    a_db, b_db = desks
    ident = _org(a_db)
    _edit(a_db, ident, representative="이두리")
    dialog = _history(qtbot, a_db, ident)  # desk A reads the record's history (version 2)
    _edit(b_db, ident, representative="박세나", phone="031-222-2222")  # desk B, later
    _select_change(dialog, "수정", "대표")
    return a_db, b_db, ident, dialog


def test_a_revert_based_on_an_older_version_is_refused_with_the_conflict_dialog(qtbot, desks):
    a_db, _b_db, ident, dialog = _older_revert(qtbot, desks)
    seen = answer_conflict(qtbot, accept=False)  # the clerk keeps the other desk's record
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert seen["rows"] == [("대표", "김하나", "박세나", "이두리")]
    assert "다른 책상에서" in seen["message"] and "되돌리세요" in seen["message"]
    row = _stored(a_db, ident)
    assert (row.representative, row.phone, row.version) == ("박세나", "031-222-2222", 3)
    assert "되돌렸습니다" not in dialog.status.text() and not dialog.errors
    assert dialog.table.item(0, 5).text() == "박세나"  # the window now lists B's change on top


def test_a_revert_based_on_an_older_version_keeps_my_value_when_chosen(qtbot, desks):
    _a_db, b_db, ident, dialog = _older_revert(qtbot, desks)
    answer_conflict(qtbot, pick={"representative": MINE})
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "되돌렸습니다.", dialog.errors
    row = _stored(b_db, ident)
    assert (row.representative, row.phone, row.version) == ("김하나", "031-222-2222", 4)
    with b_db.session() as s:
        assert history.for_record(s, "organization", ident)[0].source == "revert"


def test_a_revert_merges_a_field_only_the_other_desk_changed(qtbot, desks):
    a_db, b_db = desks
    ident = _org(a_db)
    _edit(a_db, ident, representative="이두리")
    dialog = _history(qtbot, a_db, ident)
    _edit(b_db, ident, phone="031-222-2222")
    _select_change(dialog, "수정", "대표")
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)  # no dialog: other field
    assert dialog.status.text() == "되돌렸습니다.", dialog.errors
    row = _stored(b_db, ident)
    assert (row.representative, row.phone) == ("김하나", "031-222-2222")


def test_a_revert_taking_the_other_desks_value_writes_nothing_of_it(desks):
    a_db, b_db = desks
    ident = _org(a_db)
    _edit(a_db, ident, representative="이두리", note="첫 메모")
    with a_db.session() as s:
        change = history.for_record(s, "organization", ident)[0].id
        from db.office.versions import snapshot

        seen = snapshot(s.get(m.Organization, ident), [])
    _edit(b_db, ident, representative="박세나")
    with pytest.raises(ConflictError) as exc:
        history.revert(a_db, change, loaded=seen)
    assert [(c.key, c.mine, c.theirs, c.base) for c in exc.value.conflicts] == [
        ("representative", "김하나", "박세나", "이두리")]
    history.revert(a_db, change, loaded=seen, resolutions={"representative": THEIRS})
    row = _stored(a_db, ident)
    assert (row.representative, row.note) == ("박세나", None)  # the 비고 went back, 대표 stayed


def test_reverting_an_insert_changed_elsewhere_is_refused_until_looked_at(qtbot, desks):
    a_db, b_db = desks
    ident = _org(a_db)
    dialog = _history(qtbot, a_db, ident)
    _edit(b_db, ident, note="B의 메모")  # a field the insert left empty
    _select_change(dialog, "추가", "기업명")
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert dialog.errors and "다른 책상에서" in dialog.errors[0]
    assert _stored(a_db, ident) is not None and trash.list_items(a_db) == []
    _select_change(dialog, "추가", "기업명")  # the window re-read the record: allowed now
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "되돌렸습니다.", dialog.errors
    assert _stored(b_db, ident) is None and len(trash.list_items(b_db)) == 1


# ---------------------------------------------------------------- trash restore


def _trash_window(qtbot, database):
    dialog = TrashDialog(database)
    qtbot.addWidget(dialog)
    dialog.errors = []
    dialog.show_error = dialog.errors.append
    dialog.table.selectRow(0)
    return dialog


def test_a_restore_from_an_older_list_asks_before_undoing_the_other_desks_edit(qtbot, desks):
    a_db, b_db = desks
    ident = _org(a_db)
    service.delete(a_db, m.Organization, ident)
    dialog = _trash_window(qtbot, a_db)  # desk A lists the trash
    stale = dialog.entries[0]
    assert stale.snapshot.row.version == 1
    trash.restore(b_db, trash.list_items(b_db)[0].id)  # desk B restores it and edits it
    _edit(b_db, ident, representative="박세나")

    seen = answer_conflict(qtbot, pick={"representative": THEIRS})
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert seen["rows"] == [("대표", "김하나", "박세나", "김하나")]
    assert "이미 복원해 고쳤습니다" in seen["message"]
    assert _stored(a_db, ident).representative == "박세나"

    assert dialog.entries == []  # the list now shows the trash as it is: empty
    with pytest.raises(ConflictError):  # the same older entry, outside the window
        trash.restore(a_db, stale.id, loaded=stale)
    trash.restore(a_db, stale.id, loaded=stale, resolutions={"representative": MINE})
    row = _stored(b_db, ident)
    assert (row.representative, row.version) == ("김하나", 3)


def test_a_restore_of_an_item_restored_and_deleted_again_names_the_newer_item(qtbot, desks):
    a_db, b_db = desks
    ident = _org(a_db)
    service.delete(a_db, m.Organization, ident)
    dialog = _trash_window(qtbot, a_db)
    trash.restore(b_db, trash.list_items(b_db)[0].id)
    _edit(b_db, ident, phone="031-999-9999")
    service.delete(b_db, m.Organization, ident)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.errors and "다시 삭제했습니다" in dialog.errors[0]
    assert _stored(a_db, ident) is None
    assert [e.snapshot.row.version for e in dialog.entries] == [2]  # the list re-read: the newer
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert _stored(a_db, ident).phone == "031-999-9999"


def test_a_restore_already_done_elsewhere_changes_nothing(desks):
    a_db, b_db = desks
    ident = _org(a_db)
    service.delete(a_db, m.Organization, ident)
    entry = trash.list_items(a_db)[0]
    trash.restore(b_db, entry.id)
    with pytest.raises(DureError, match="이미 복원했습니다"):
        trash.restore(a_db, entry.id, loaded=entry)
    assert _stored(a_db, ident).version == 1


# ---------------------------------------------------------------- import rows


def _import_preview(database, tmp_path, ident, **cells):
    row = [ident, "마을숲", "사회적기업", cells.get("representative", "김하나"), brn(1), None, None,
           None, None, None, cells.get("phone", "031-111-1111")]
    p = preview(database, write(tmp_path / "x.xlsx", {ORG_SHEET: [header(m.Organization), row]}))
    assert p.count(CHANGED) == 1, p.lines()
    return p


def test_an_import_row_based_on_an_older_version_merges_or_asks(desks, tmp_path):
    a_db, b_db = desks
    ident = _org(a_db, brn=brn(1))
    p = _import_preview(a_db, tmp_path, ident, representative="최가람", phone="031-000-0000")
    assert p.sheets[0].rows[0].version == 1
    _edit(b_db, ident, representative="박세나", note="B의 메모")  # after the preview
    with pytest.raises(ConflictError, match="미리보기 뒤에") as exc:
        commit(a_db, p)
    assert [(c.key, c.label, c.mine, c.theirs, c.base) for c in exc.value.conflicts] == [
        (f"{ORG_SHEET}!2.representative", f"'{ORG_SHEET}' 시트 2행 · 대표", "최가람", "박세나",
         "김하나")]
    assert _stored(a_db, ident).representative == "박세나"  # nothing written

    assert commit(a_db, p, resolutions={f"{ORG_SHEET}!2.representative": THEIRS}) == 1
    row = _stored(b_db, ident)  # the file's 전화, B's 대표 and 비고
    assert (row.representative, row.phone, row.note) == ("박세나", "031-000-0000", "B의 메모")


def test_an_import_row_takes_the_files_value_when_chosen(desks, tmp_path):
    a_db, b_db = desks
    ident = _org(a_db, brn=brn(1))
    p = _import_preview(a_db, tmp_path, ident, representative="최가람")
    _edit(b_db, ident, representative="박세나")
    assert commit(a_db, p, resolutions={f"{ORG_SHEET}!2.representative": MINE}) == 1
    assert _stored(b_db, ident).representative == "최가람"


def _answer_when_shown(pick):
    """Answer the conflict dialog once a background job's end opens it (polled)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.conflict_dialog import ConflictDialog

    seen: dict = {}

    def poll():
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, ConflictDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(50, poll)
            return
        dialog = shown[0]
        seen["rows"] = [tuple(dialog.table.item(r, c).text() for c in range(4))
                        for r in range(dialog.table.rowCount())]
        for key, value in pick.items():
            dialog.choose(key, value)
        dialog.ok.click()

    QTimer.singleShot(50, poll)
    return seen


def test_the_import_window_shows_the_conflict_and_imports_the_choice(qtbot, db, tmp_path):
    from gui.import_dialog import ImportDialog

    ident = _org(db, brn=brn(1))
    path = write(tmp_path / "x.xlsx", {ORG_SHEET: [header(m.Organization), [
        ident, "마을숲", "사회적기업", "최가람", brn(1), None, None, None, None, None,
        "031-111-1111"]]})
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *_a: True
    dialog.load_file(str(path))
    dialog.start_preview()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.result is not None, timeout=20000)
    _edit(db, ident, representative="박세나")  # another desk, after the preview
    seen = _answer_when_shown({f"{ORG_SHEET}!2.representative": MINE})
    dialog.start_import()
    qtbot.waitUntil(lambda: "가져왔습니다" in dialog.summary.text(), timeout=20000)
    assert seen["rows"] == [(f"'{ORG_SHEET}' 시트 2행 · 대표", "최가람", "박세나", "김하나")]
    assert _stored(db, ident).representative == "최가람"
