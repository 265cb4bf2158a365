"""파일 → 백업 / 복원 dialogs on real widgets (offscreen): worker threads, preview, restore."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QDialog
from sqlalchemy import text

from db import service
from db.models import Education, Organization
from db.safety.backup import automatic_backup
from db.session import open_database
from gui.backup_dialog import BackupDialog, RestoreDialog


def _orgs(database) -> list[str]:
    with database.session() as s:
        return sorted(o.name for o in s.query(Organization))


def _fill(database) -> None:
    for name in ("㈜마을숲", "두레협동조합"):
        service.save(database, Organization(name=name, kind="협동조합"))
    service.save(database, Education(course="기초과정", title="사회적경제 첫걸음",
                                     start_date=dt.date(2021, 3, 2)))


def test_backup_dialog_writes_a_checked_copy_in_a_worker(qtbot, db, tmp_path):
    _fill(db)
    dialog = BackupDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dest = tmp_path / "usb" / "두레 백업"
    dest.parent.mkdir()
    dialog.path_edit.setText(str(dest))
    qtbot.mouseClick(dialog.start_button, qtbot_button())
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=10_000)
    written = dest.with_suffix(".sqlite")
    assert "백업했습니다" in dialog.message.text() and str(written) in dialog.message.text()
    assert "기록 3건" in dialog.message.text()
    copy = open_database(written, read_only=True)
    try:
        assert _orgs(copy) == _orgs(db)
    finally:
        copy.close()


def test_backup_dialog_explains_a_bad_folder_and_can_retry(qtbot, db, tmp_path):
    dialog = BackupDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "없는 폴더" / "b.sqlite"))
    dialog.start()
    qtbot.waitUntil(lambda: "하지 못했습니다" in dialog.message.text(), timeout=10_000)
    assert "폴더가 없습니다" in dialog.message.text()
    assert dialog.start_button.isEnabled()
    assert not list(tmp_path.glob("**/b.sqlite"))


def test_restore_dialog_lists_previews_and_restores_after_confirmation(qtbot, db):
    _fill(db)
    automatic_backup(db, "start")
    with db.engine.begin() as conn:  # the bad edit after the backup
        conn.execute(text("DELETE FROM organization"))
    dialog = RestoreDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list_table.rowCount() == 1, timeout=10_000)
    assert dialog.list_table.item(0, 1).text() == "시작 시"
    assert dialog.list_table.item(0, 2).text() == "3"
    taken = dialog.backups[0].taken_at  # the moment as the lists write dates: 2026.12.03 09:05
    assert dialog.list_table.item(0, 0).text() == f"{taken:%Y.%m.%d %H:%M}"
    counts = {dialog.counts_table.item(r, 0).text(): dialog.counts_table.item(r, 1).text()
              for r in range(dialog.counts_table.rowCount())}
    assert counts["기업"] == "2" and counts["교육"] == "1"
    newest = [dialog.newest_table.item(r, 2).text() for r in range(dialog.newest_table.rowCount())]
    assert any("㈜마을숲" in t for t in newest) and any("사회적경제 첫걸음" in t for t in newest)

    asked, told = [], []
    dialog.confirm = lambda info: asked.append(info) or False  # the clerk says no first
    dialog.restore_button.click()
    assert asked and dialog.result() != QDialog.DialogCode.Accepted
    assert Path(f"{db.path}.lock").exists()  # nothing closed, nothing restored

    dialog.confirm = lambda info: True
    dialog.notify = lambda title, body: told.append((title, body))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert told and told[0][0] == "복원했습니다"
    assert dialog.saved_before is not None and dialog.saved_before.exists()
    again = open_database(db.path)  # what the main window's reopen() does
    try:
        assert _orgs(again) == ["㈜마을숲", "두레협동조합"]
    finally:
        again.close()


def test_restore_is_disabled_on_a_read_only_database(qtbot, db):
    _fill(db)
    automatic_backup(db, "start")
    viewer = open_database(db.path, read_only=True)
    try:
        dialog = RestoreDialog(viewer, None)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.list_table.rowCount() == 1, timeout=10_000)
        assert dialog.counts_table.rowCount() > 0  # preview still works
        assert not dialog.restore_button.isEnabled()
        assert "읽기 전용" in dialog.message.text()
    finally:
        viewer.close()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
