"""An unexpected error shows a Korean dialog with 복사 and is written to dure.log (issue 15.5)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from gui import crash_dialog
from gui.crash_dialog import CrashDialog, install_crash_handler


def test_a_fault_in_a_slot_and_in_a_thread_shows_the_dialog_and_logs(qtbot, monkeypatch):
    monkeypatch.setattr(CrashDialog, "exec", lambda self: self.show() or 0)  # not modal here
    handler = install_crash_handler()
    try:
        def broken_slot():
            raise RuntimeError("주입한 고장")

        QTimer.singleShot(0, broken_slot)  # an exception in a Qt slot, as a button click would
        qtbot.waitUntil(lambda: len(handler.shown) == 1, timeout=3000)
        worker = threading.Thread(target=lambda: 1 / 0, name="백업")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(handler.shown) == 2, timeout=3000)
    finally:
        handler.uninstall()
    first, second = handler.shown
    for dialog in handler.shown:
        qtbot.addWidget(dialog)
    assert first.windowTitle() == "예상하지 못한 오류"
    assert "RuntimeError: 주입한 고장" in first.message.text()
    assert "dure.log" in first.message.text()
    details = first.text.toPlainText()
    assert "두레 " in details and "PySide6 " in details and "운영체제 " in details
    assert "broken_slot" in details  # the traceback excerpt from the log
    first.copy_button.click()
    assert QGuiApplication.clipboard().text() == details
    assert "ZeroDivisionError" in second.message.text()
    log = crash_dialog.log_path().read_text(encoding="utf-8")
    assert log.count("예상하지 못한 오류") == 2 and "(백업)" in log
    assert "RuntimeError: 주입한 고장" in log and "ZeroDivisionError" in log
