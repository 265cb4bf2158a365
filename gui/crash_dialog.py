"""An unexpected error in the desk: a Korean dialog with 복사 and an entry in dure.log.

A native crash (a segfault, an abort: no Python exception, no dialog) leaves every thread's
Python stack in a file of the process's own (`FatalLog`, Python's faulthandler); the next
start moves it into dure.log and says so in the status bar.

Before this, an exception in a slot printed a traceback to a console the clerk does not have
(or, frozen, to nothing) and the window went on in an unknown state. Now `sys.excepthook` and
`threading.excepthook` write the traceback with versions and OS to dure.log in the data folder
and show what happened, with the text ready to paste into a mail to whoever supports Dure.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import gui
from db.paths import data_dir

LOG_NAME = "dure.log"
EXCERPT_LINES = 40  # of the log, in the report a clerk copies


def versions() -> str:
    """Dure, Python, Qt and OS versions, one line each (what a report needs)."""
    # deferred: about 10 ms of the window's first show; only a crash report needs it
    import platform

    frozen = " (설치본)" if getattr(sys, "frozen", False) else ""
    return "\n".join((
        f"두레 {gui.__version__}{frozen}",
        f"Python {platform.python_version()} ({sys.platform})",
        f"PySide6 {PySide6.__version__}, Qt {qVersion()}",
        f"운영체제 {platform.platform()}",
    ))


def log_path() -> Path:
    return data_dir() / LOG_NAME


def write_log(text: str) -> Path | None:
    """Append `text` to dure.log; None when the data folder cannot be written."""
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text.rstrip("\n") + "\n\n")
        return path
    except OSError:
        return None


def log_excerpt(path: Path | None, lines: int = EXCERPT_LINES) -> str:
    """The last `lines` lines of the log (the report just written, and what came before)."""
    if path is None:
        return ""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def crash_report(kind: type[BaseException], value: BaseException,
                 tb: TracebackType | None, where: str = "") -> str:
    """The log entry: time, where it happened, versions, the traceback."""
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    trace = "".join(traceback.format_exception(kind, value, tb))
    place = f" ({where})" if where else ""
    return f"=== {stamp} 예상하지 못한 오류{place}\n{versions()}\n{trace}"


FATAL_PREFIX = "dure-fatal-"  # + the process id + ".log", in the data folder
LAST_CRASH_NOTICE = ("지난번 두레가 비정상적으로 종료되었습니다. 그 기록을 데이터 폴더의 "
                     f"{LOG_NAME}에 남겼습니다. 되풀이되면 이 파일을 지원 담당자에게 보내 주세요.")


def _process_gone(pid: str) -> bool:
    """No process `pid` runs any more (on Windows the removal itself tells: a running desk
    holds its file open, and Windows refuses to remove an open file)."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (ValueError, OverflowError):
        return True  # not a process id: not a desk's file
    except OSError:
        return False  # it runs, as another user
    return False


def collect_fatal_logs(folder: Path, own: Path | None = None) -> int:
    """Move what other processes' fault handlers wrote into dure.log (each file then removed);
    the number of crashes found. An empty file is a desk still running (left alone, however
    long it has run), or one killed outright, with no crash to report: removed."""
    found = 0
    for path in sorted(folder.glob(f"{FATAL_PREFIX}*.log")):
        if path == own:
            continue
        try:
            stat = path.stat()
            pid = path.stem.removeprefix(FATAL_PREFIX)
            if stat.st_size == 0:
                if _process_gone(pid):
                    path.unlink()
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            stamp = dt.datetime.fromtimestamp(stat.st_mtime).isoformat(timespec="seconds")
            if write_log(f"=== {stamp} 두레가 비정상적으로 종료됨 (프로세스 {pid})\n"
                         f"{versions()}\n{text}") is None:
                continue  # kept for a start that can write the log
            path.unlink()
            found += 1
        except OSError:
            continue
    return found


class FatalLog:
    """While open, a native crash writes every thread's Python stack to this process's file."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self._file: Any = None
        self._was_enabled = False
        self.collected = 0  # earlier crashes moved into dure.log when it opened

    def open(self) -> FatalLog:
        try:
            folder = data_dir()
            folder.mkdir(parents=True, exist_ok=True)
            self.path = folder / f"{FATAL_PREFIX}{os.getpid()}.log"
            self.collected = collect_fatal_logs(folder, self.path)
            self._file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        except OSError:
            self.path = self._file = None  # a data folder that cannot be written: no file
            return self
        self._was_enabled = faulthandler.is_enabled()
        faulthandler.enable(self._file, all_threads=True)
        return self

    def close(self) -> None:
        """The desk ended normally: nothing to report, the file removed."""
        if self._file is None:
            return
        faulthandler.disable()
        if self._was_enabled and sys.__stderr__ is not None:
            faulthandler.enable(sys.__stderr__, all_threads=True)  # (pytest's, for one)
        self._file.close()
        self._file = None
        if self.path is not None:
            try:
                self.path.unlink()
            except OSError:
                pass


class CrashDialog(QDialog):
    """'예상하지 못한 오류' with what to do, the details, 복사 and 닫기."""

    def __init__(self, summary: str, details: str, log: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("예상하지 못한 오류")
        self.details = details
        where = f"자세한 내용은 {log} 에 기록했습니다." if log else \
            "기록 파일을 쓸 수 없어 아래 내용만 남았습니다."
        self.message = QLabel(
            f"두레가 예상하지 못한 문제를 만났습니다: {summary}\n\n"
            "저장을 마친 기록은 그대로 있습니다. 지금 고치던 내용은 저장되지 않았을 수 있으니 "
            f"확인한 뒤 다시 저장하세요.\n{where}\n"
            "[복사]를 눌러 아래 내용을 담당자에게 보내 주세요.", self)
        self.message.setWordWrap(True)
        self.text = QPlainTextEdit(details, self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("오류 내용")
        self.copy_button = QPushButton("복사", self)
        self.copy_button.setAccessibleName("오류 내용 복사")
        self.copy_button.clicked.connect(self.copy)
        close = QPushButton("닫기", self)
        close.clicked.connect(self.accept)
        close.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.text, 1)
        lay.addLayout(row)
        self.resize(720, 460)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("복사했습니다")


class _Relay(QObject):
    """Carries an error from any thread to the GUI thread (a queued signal)."""

    happened = Signal(object, object, object, str)


class CrashHandler:
    """Installed as sys.excepthook and threading.excepthook while the desk runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.shown: list[CrashDialog] = []
        self.relay = _Relay()
        self.relay.happened.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous: tuple[Any, Any] | None = None
        self.showing = False
        self.fatal = FatalLog()

    def install(self) -> CrashHandler:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.hook
        threading.excepthook = self.thread_hook
        self.fatal.open()
        status = getattr(self.parent, "statusBar", None)
        if self.fatal.collected and status is not None:
            status().showMessage(LAST_CRASH_NOTICE, 60_000)
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
            self.fatal.close()

    def hook(self, kind: type[BaseException], value: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.relay.happened.emit(kind, value, tb, "")

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "작업 스레드"
        self.relay.happened.emit(args.exc_type, args.exc_value, args.exc_traceback, name)

    def _show(self, kind: Any, value: Any, tb: Any, where: str) -> None:
        report = crash_report(kind, value, tb, where)
        log = write_log(report)
        sys.stderr.write(report)
        if self.showing or QApplication.instance() is None:
            return  # one dialog at a time: the next error is in the log
        excerpt = log_excerpt(log) or report
        details = f"{versions()}\n\n--- {LOG_NAME}의 마지막 부분 ---\n{excerpt}"
        dialog = CrashDialog(f"{kind.__name__}: {value}", details, log, self.parent)
        self.shown.append(dialog)
        self.showing = True
        try:
            dialog.exec()
        finally:
            self.showing = False


def install_crash_handler(parent: QWidget | None = None) -> CrashHandler:
    """Route unexpected errors of the GUI (any thread) to the crash dialog and dure.log."""
    return CrashHandler(parent).install()
