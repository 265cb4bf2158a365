"""설정 and 두레 정보 dialogs on real widgets."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from db.settings import load_settings


def type_text(widget, text: str) -> None:
    """Send one key event per character (QTest.keyClicks aborts on non-ASCII text)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_settings_round_trip_to_the_database(qtbot, db, tmp_path):
    from gui.settings_dialog import SettingsDialog

    d = SettingsDialog(db)
    qtbot.addWidget(d)
    assert d.report_title.text() == "공약 이행 실적"  # the default shows
    for edit, text in ((d.city, "파주시"), (d.office, "일자리경제과"),
                       (d.pledge, "사회적경제 활성화")):
        edit.clear()
        type_text(edit, text)
    d.term_start.setDate(QDate(2022, 7, 1))
    d.term_end.setDate(QDate(2026, 6, 30))
    d.warn_days.setValue(45)
    d.export_dir.setText(str(tmp_path))
    assert _ok(d).isEnabled()
    with qtbot.waitSignal(d.saved, timeout=2000):
        qtbot.mouseClick(_ok(d), Qt.MouseButton.LeftButton)
    with db.session() as s:
        stored = load_settings(s)
    assert (stored.city, stored.office, stored.pledge) == ("파주시", "일자리경제과",
                                                           "사회적경제 활성화")
    assert (stored.term_start, stored.term_end) == (dt.date(2022, 7, 1), dt.date(2026, 6, 30))
    assert stored.warn_days == 45
    assert stored.export_dir == str(tmp_path)
    assert stored.display_office == "파주시 일자리경제과"

    again = SettingsDialog(db)  # a second dialog shows what was stored
    qtbot.addWidget(again)
    assert again.city.text() == "파주시"
    assert again.warn_days.value() == 45
    assert again.term_end.date() == QDate(2026, 6, 30)


def test_report_day_is_a_setting_the_export_dialog_starts_from(qtbot, db):
    """설정's 보고서 기준일 is stored, shown again, read by the export dialog; unset = today."""
    from gui.export_dialog import ExportDialog
    from gui.settings_dialog import SettingsDialog

    d = SettingsDialog(db)
    qtbot.addWidget(d)
    assert not d.report_day_set.isChecked() and not d.report_day.isEnabled()  # none stored
    d.report_day_set.setChecked(True)
    assert d.report_day.isEnabled()
    d.report_day.setDate(QDate(2021, 11, 16))
    with qtbot.waitSignal(d.saved, timeout=2000):
        qtbot.mouseClick(_ok(d), Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert load_settings(s).report_day == dt.date(2021, 11, 16)

    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.report_day_set.isChecked()
    assert again.report_day.date() == QDate(2021, 11, 16)
    export = ExportDialog(db, "report")
    qtbot.addWidget(export)
    assert export.report_day.date() == QDate(2021, 11, 16)

    again.report_day_set.setChecked(False)  # back to today: the setting is emptied
    with qtbot.waitSignal(again.saved, timeout=2000):
        qtbot.mouseClick(_ok(again), Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert load_settings(s).report_date == ""


def test_end_before_start_is_refused(qtbot, db):
    from gui.settings_dialog import SettingsDialog

    d = SettingsDialog(db)
    qtbot.addWidget(d)
    d.city.setText("바뀌면 안 됨")
    d.term_start.setDate(QDate(2022, 7, 1))
    d.term_end.setDate(QDate(2021, 6, 30))
    assert not _ok(d).isEnabled()
    assert "종료일이 시작일보다 앞섭니다" in d.problems.text()
    assert not d.problems.isHidden()
    d.accept()  # even if called directly (Enter on a field), nothing is written
    with db.session() as s:
        assert load_settings(s).city == ""
    d.term_end.setDate(QDate(2026, 6, 30))
    assert _ok(d).isEnabled()
    assert d.problems.isHidden()


def test_empty_report_title_is_refused(qtbot, db):
    from gui.settings_dialog import SettingsDialog

    d = SettingsDialog(db)
    qtbot.addWidget(d)
    d.report_title.clear()
    assert not _ok(d).isEnabled()
    assert "보고서 제목" in d.problems.text()


def test_about_shows_version_paths_and_licences(qtbot, db):
    import gui
    from db.paths import data_dir
    from gui.about_dialog import AboutDialog

    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert gui.__version__ == project["version"]
    d = AboutDialog(db.url)
    qtbot.addWidget(d)
    assert d.database == str(db.path)
    assert d.data_folder == data_dir()
    text = d.licences.toPlainText()
    for name in ("SIL Open Font License", "LGPL", "SQLAlchemy", "openpyxl", "ReportLab",
                 "NAVER"):
        assert name in text


def test_about_hides_a_server_password():
    from gui.about_dialog import database_location

    shown = database_location("postgresql://clerk:secret@db.local/dure")
    assert "secret" not in shown and "db.local" in shown
