"""Opening a database from the window: every failure becomes a Korean dialog, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseError, DatabaseInUse, DureError
from db.office.connection import is_server_url
from db.safety.backup import startup_backup as take
from db.session import open_database, resolve_url
from gui.workers import start_job


def open_with_dialogs(parent: QWidget | None, target: Any = None, *, demo: bool = False,
                      read_only: bool = False, precheck: Any = None) -> Any:
    """A Database for `target` (path, URL, Database or None = default), or None after telling why.

    A PostgreSQL URL opens through the sign-in dialog (gui/sign_in_dialog.py): None when the
    clerk cancels it. An SQLite file opens without signing in.

    DatabaseInUse offers a read-only open; a damaged file with a good automatic backup offers
    to open that backup instead (the damaged file is left as it is).

    `precheck`: the start's integrity check running on a thread (db/safety/precheck.py).
    """
    if target is not None and hasattr(target, "session"):
        return target
    try:
        if not demo:
            url = resolve_url(target)
            if is_server_url(url):  # a shared server: the clerk signs in as their Dure user
                # deferred: only a server's start needs the sign-in dialog (start-up: 35 ms)
                from gui.sign_in_dialog import sign_in

                return sign_in(parent, url)
        if demo:
            # deferred: only --demo loads the demo records (and YAML: 25 ms at each start)
            from db.demo import demo_database

            return demo_database()  # a Database, opened
        return open_database(target, read_only=read_only, precheck=precheck)
    except DatabaseInUse as exc:
        answer = QMessageBox.question(
            parent, "다른 곳에서 사용 중",
            f"{exc}\n\n읽기 전용으로 열어 내용만 볼까요? (저장은 할 수 없습니다)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            return open_with_dialogs(parent, target, read_only=True)
        return None
    except DatabaseError as exc:
        backup: Path | None = getattr(exc, "suggested_backup", None)
        if backup is not None:
            answer = QMessageBox.question(
                parent, "데이터베이스를 열 수 없음",
                f"{exc}\n\n정상인 최근 백업이 있습니다:\n{backup}\n\n"
                "이 백업을 읽기 전용으로 열까요?\n"
                "(복원하려면 파일 ▸ 복원을 쓰세요. 원래 파일은 바꾸지 않습니다)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer == QMessageBox.StandardButton.Yes:
                return open_with_dialogs(parent, backup, read_only=True)
            return None
        QMessageBox.critical(parent, "데이터베이스를 열 수 없음", str(exc))
        return None
    except DureError as exc:
        QMessageBox.critical(parent, "데이터베이스를 열 수 없음", str(exc))
        return None
    except OSError as exc:
        QMessageBox.critical(parent, "데이터베이스를 열 수 없음",
                             f"파일을 열 수 없습니다: {exc.strerror or exc}\n"
                             "경로와 권한을 확인하세요.")
        return None


def startup_backup(database: Any) -> None:
    """The automatic backup at start (db.safety.backup)."""
    take(database)


def startup_backup_in_background(window: Any, database: Any) -> Any:
    """Take the startup backup on a worker thread: the window stays responsive meanwhile.

    At a million records the copy took 1.7 s on the GUI thread (issue 13). The job reads
    the file through its own SQLite connection; quitting waits for it (gui.workers). Returns
    the job (tests wait on it).
    """
    job = start_job(startup_backup, database, pass_controls=False)
    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is not None:
        job.failed.connect(
            lambda message: bar.showMessage(f"시작 백업을 만들지 못했습니다: {message}"))
    window.backup_job = job
    return job
