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


def test_a_native_crash_leaves_every_threads_stack_and_the_next_start_reports_it(
        qtbot, tmp_path, monkeypatch):
    """A segfault raises no exception and shows no dialog: the fault handler's file of the
    crashed process holds the stacks, and the next desk moves them into dure.log."""
    import os
    import subprocess
    import sys

    from gui.main_window import MainWindow

    data = tmp_path / "data"
    monkeypatch.setenv("DURE_DATA_DIR", str(data))
    crash = ("import threading, time, faulthandler\n"
             "from gui.crash_dialog import FatalLog\n"
             "FatalLog().open()\n"
             "def list_thread():\n    time.sleep(30)\n"
             "threading.Thread(target=list_thread, name='dure-lists', daemon=True).start()\n"
             "time.sleep(0.2)\n"
             "faulthandler._sigsegv()\n")
    done = subprocess.run([sys.executable, "-c", crash], env={**os.environ, "QT_QPA_PLATFORM":
                          "offscreen"}, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    (left,) = data.glob(f"{crash_dialog.FATAL_PREFIX}*.log")
    text = left.read_text(encoding="utf-8")
    assert "Segmentation fault" in text and "list_thread" in text  # every thread's stack
    window = MainWindow()
    qtbot.addWidget(window)
    handler = install_crash_handler(window)
    try:
        assert handler.fatal.collected == 1
        assert window.statusBar().currentMessage() == crash_dialog.LAST_CRASH_NOTICE
        log = crash_dialog.log_path().read_text(encoding="utf-8")
        assert "두레가 비정상적으로 종료됨" in log and "Segmentation fault" in log
        assert "list_thread" in log and "PySide6 " in log
        own = data / f"{crash_dialog.FATAL_PREFIX}{os.getpid()}.log"
        assert sorted(data.glob(f"{crash_dialog.FATAL_PREFIX}*.log")) == [own]
    finally:
        handler.uninstall()
    assert not own.exists()  # a desk that ended normally leaves no file
    second = MainWindow()
    qtbot.addWidget(second)
    again = install_crash_handler(second)
    try:
        assert again.fatal.collected == 0  # reported once
    finally:
        again.uninstall()


def test_another_running_desks_empty_file_is_left_however_old_and_a_killed_ones_removed(
        tmp_path):
    """A desk left open for days keeps its file; a desk killed outright (no crash, so an
    empty file) leaves one that the next start removes."""
    import os
    import subprocess
    import sys
    import time

    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    try:
        alive = tmp_path / f"{crash_dialog.FATAL_PREFIX}{running.pid}.log"
        gone = tmp_path / f"{crash_dialog.FATAL_PREFIX}{killed.pid}.log"
        alive.write_text("")
        gone.write_text("")
        week = time.time() - 7 * 24 * 3600
        os.utime(alive, (week, week))  # open since last week
        assert crash_dialog.collect_fatal_logs(tmp_path) == 0
        assert alive.exists() and not gone.exists()
        assert not crash_dialog.log_path().exists()  # nothing to report
    finally:
        running.kill()
        running.wait()


def test_an_unwritable_data_folder_opens_no_fatal_log(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DURE_DATA_DIR", str(blocker / "data"))
    fatal = crash_dialog.FatalLog().open()
    assert fatal.path is None and fatal.collected == 0
    fatal.close()  # nothing to close
