"""파일 → 백업 and 파일 → 복원: dialogs over db.safety.backup, work done in worker threads.

BackupDialog(database, parent): pick a file, back up in a worker, say where and how big.
RestoreDialog(database, parent): list automatic backups (date, reason, record counts), preview
one read-only (counts per main table, newest records), restore only after confirmation.

Contract with the caller (gui/menus.py): when RestoreDialog.exec() returns Accepted, the
`database` passed in HAS BEEN CLOSED (restore needs every connection closed and the lock
free), whether or not the restore succeeded; the caller must open it again
(MainWindow.reopen()), which also runs any migration the restored file needs.
`restored_from` / `saved_before` tell what happened.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.naming import table_labels
from db.safety.backup import PG_MESSAGE, backup_to, list_backups, read_info
from db.safety.restore import newest_records, restore
from db.safety.shown import human_size
from gui.widgets.display import datetime_text
from gui.widgets.row_table import fill, row_table, selected_row
from gui.workers import Job, start_job

FILTER = "두레 백업 (*.sqlite *.db);;모든 파일 (*)"


def _size(size: int) -> str:
    return human_size(size)


def _running(job: Job | None) -> bool:
    """Whether `job` still runs; a finished job may already be deleted by Qt (deleteLater)."""
    try:
        return job is not None and job.isRunning()
    except RuntimeError:
        return False


def _table(headers: list[str]) -> QTableWidget:
    """A row table whose columns fit their contents and whose last column takes the rest."""
    table = row_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _backup_work(database: Any, dest: Path, progress: Any, cancelled: Any) -> Any:
    """The worker's part (module level: the job must not keep the dialog alive)."""
    return backup_to(database, dest, progress=lambda done, total: progress(done, total, "복사"))


class BackupDialog(QDialog):
    """Back the open database up to a file the clerk picks (USB stick, shared folder…)."""

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.job: Job | None = None
        self.result_info: Any = None
        self.setWindowTitle("백업")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("데이터베이스 전체를 파일 하나로 복사합니다. "
                                "쓰는 중에도 안전하게 복사되고,\n복사본은 검사한 뒤에만 "
                                "저장됩니다. USB나 다른 컴퓨터에 보관하세요."))
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(self.default_path()))
        self.browse_button = QPushButton("찾아보기…")
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("백업", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("닫기", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self.start_button.clicked.connect(self.start)
        layout.addWidget(self.buttons)
        if not getattr(database, "is_sqlite", True):
            self._finish_failed(PG_MESSAGE)
            self.start_button.setEnabled(False)

    @staticmethod
    def default_path() -> Path:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(docs) if docs and Path(docs).is_dir() else Path.home()
        return folder / f"두레-백업-{dt.datetime.now():%Y%m%d-%H%M}.sqlite"

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "백업 파일", self.path_edit.text(), FILTER)
        if path:
            self.path_edit.setText(path)

    def start(self) -> None:
        """Run backup_to in a worker; the dialog stays responsive and shows progress."""
        text = self.path_edit.text().strip()
        if not text:
            self._finish_failed("백업 파일 경로를 입력하거나 [찾아보기]로 고르세요.")
            return
        dest = Path(text)
        if dest.suffix == "":
            dest = dest.with_suffix(".sqlite")
        self.start_button.setEnabled(False)
        self.browse_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.message.setText("백업하는 중…")

        self.job = start_job(_backup_work, self.database, dest)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._finish_ok)
        self.job.failed.connect(self._finish_failed)

    def _progress(self, done: int, total: int, _msg: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_ok(self, info: Any) -> None:
        self.job = None
        self.result_info = info
        self.progress.setVisible(False)
        self.message.setText(f"백업했습니다: {info.path}\n크기 {_size(info.size)}, "
                             f"기록 {info.total:,}건 (검사 통과)")
        self.browse_button.setEnabled(True)
        self.close_button.setFocus()

    def _finish_failed(self, text: str) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.message.setText(f"백업하지 못했습니다.\n{text}")
        self.start_button.setEnabled(True)
        self.browse_button.setEnabled(True)

    def reject(self) -> None:
        if self.job is not None and _running(self.job):
            self.job.wait(30_000)  # a backup takes well under a few seconds; never cut it
        super().reject()


class RestoreDialog(QDialog):
    """Choose a backup, look at it read-only, and restore it after confirmation."""

    COLUMNS = ("날짜", "이유", "기록 수", "크기", "상태")

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.backups: list[Any] = []
        self.job: Job | None = None
        self.restored_from: Path | None = None
        self.saved_before: Path | None = None
        self.closed_database = False
        self.setWindowTitle("복원")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("자동 백업 목록입니다(시작할 때, 형식 갱신 전, "
                                "복원 전에 만들어짐). 하나를 고르면 내용을 미리 봅니다(읽기 "
                                "전용).\n복원하면 현재 상태를 먼저 백업한 뒤 데이터베이스 내용을 "
                                "고른 백업으로 바꿉니다."))
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list_table = _table(list(self.COLUMNS))
        self.list_table.itemSelectionChanged.connect(self.show_preview)
        split.addWidget(self.list_table)
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        rlayout.addWidget(QLabel("기록 수"))
        self.counts_table = _table(["구분", "건수"])
        rlayout.addWidget(self.counts_table, 1)
        rlayout.addWidget(QLabel("가장 최근 기록"))
        self.newest_table = _table(["구분", "수정 시각", "내용"])
        rlayout.addWidget(self.newest_table, 2)
        split.addWidget(right)
        split.setSizes([480, 420])
        layout.addWidget(split, 1)
        self.message = QLabel("백업 목록을 읽는 중…")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.other_button = buttons.addButton("다른 백업 파일…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = buttons.addButton("이 백업으로 복원…",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("닫기", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(False)
        self.other_button.clicked.connect(self.choose_file)
        self.restore_button.clicked.connect(self.ask_and_restore)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.blocker = self._blocker()
        if self.blocker:
            self.message.setText(self.blocker)
        self.loader = start_job(self._load, pass_controls=False)
        self.loader.succeeded.connect(self.set_backups)
        self.loader.failed.connect(self.message.setText)

    def _blocker(self) -> str | None:
        """Why this database cannot be restored from here, or None."""
        if not getattr(self.database, "is_sqlite", True):
            return PG_MESSAGE
        if getattr(self.database, "read_only", False):
            return ("읽기 전용으로 연 데이터베이스에는 복원할 수 없습니다. "
                    "다른 두레를 닫고 쓰기 모드로 연 뒤 복원하세요. 미리보기는 할 수 있습니다.")
        return None

    def _load(self) -> list[Any]:
        path = getattr(self.database, "path", None)
        return list_backups(of=Path(path)) if path else list_backups()

    def set_backups(self, backups: list[Any]) -> None:
        """Show `backups` (BackupInfo, newest first) in the list."""
        self.backups = list(backups)
        rows = [[datetime_text(b.taken_at), b.reason_label,
                 "" if b.problem else f"{b.total:,}", _size(b.size),
                 b.problem or "정상"] for b in self.backups]
        fill(self.list_table, rows, numeric={2, 3})
        if not self.blocker:
            self.message.setText(f"백업 {len(rows)}개." if rows else
                                 "자동 백업이 아직 없습니다. [다른 백업 파일…]로 파일을 "
                                 "고를 수 있습니다.")
        if rows:
            self.list_table.selectRow(0)

    def selected(self) -> Any:
        row = selected_row(self.list_table)
        return None if row is None else self.backups[row]

    def show_preview(self) -> None:
        """Read the chosen backup read-only: counts per main table and its newest records."""
        info = self.selected()
        self.restore_button.setEnabled(bool(info and not info.problem and not self.blocker))
        if info is None or info.problem:
            fill(self.counts_table, [])
            fill(self.newest_table, [])
            if info is not None:
                self.message.setText(f"이 백업은 쓸 수 없습니다: {info.problem}")
            return
        labels = table_labels()
        fill(self.counts_table,
             [[labels.get(t, t), f"{n:,}"] for t, n in info.record_counts.items()],
              numeric={1})
        try:
            newest = newest_records(info.path)
        except DureError as exc:  # a file that vanished or broke since the listing
            newest = []
            self.message.setText(str(exc))
        fill(self.newest_table, [list(r) for r in newest])

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "백업 파일 고르기", "", FILTER)
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Put a backup file from anywhere at the top of the list and select it."""
        self.set_backups([read_info(path), *[b for b in self.backups if b.path != path]])

    def confirm(self, info: Any) -> bool:
        """Ask the clerk; tests replace this method."""
        answer = QMessageBox.question(
            self, "복원 확인",
            f"{datetime_text(info.taken_at)} 백업(기록 {info.total:,}건)으로 복원할까요?\n\n"
            "현재 상태는 먼저 자동 백업(복원 전)으로 남기므로, 필요하면 되돌릴 수 있습니다.\n"
            "복원하는 동안 데이터베이스를 닫았다가 다시 엽니다.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def notify(self, title: str, text: str) -> None:
        """Tell the outcome; tests replace this method."""
        QMessageBox.information(self, title, text)

    def ask_and_restore(self) -> None:
        info = self.selected()
        if info is None or info.problem or self.blocker or not self.confirm(info):
            return
        self.start_restore(info.path)

    def start_restore(self, backup: Path) -> None:
        """Close the database, restore in a worker, then accept (the caller reopens)."""
        target = Path(self.database.path)
        self.database.close()  # restore needs every connection closed and the lock free
        self.closed_database = True
        for w in (self.restore_button, self.other_button, self.close_button, self.list_table):
            w.setEnabled(False)
        self.message.setText("복원하는 중… 창을 닫지 마세요.")
        self.job = start_job(restore, target, backup, pass_controls=False)
        self.job.succeeded.connect(lambda saved: self._restored(backup, saved))
        self.job.failed.connect(self._restore_failed)

    def _restored(self, backup: Path, saved: Path | None) -> None:
        self.job = None
        self.restored_from, self.saved_before = backup, saved
        where = f"\n복원 전 상태는 여기에 백업했습니다:\n{saved}" if saved else ""
        self.notify("복원했습니다", f"'{backup.name}'의 내용으로 복원했습니다.{where}")
        self.accept()

    def _restore_failed(self, text: str) -> None:
        self.job = None
        self.notify("복원하지 못했습니다",
                    f"{text}\n\n현재 데이터는 바뀌지 않았습니다. 데이터베이스를 다시 엽니다.")
        self.accept()  # the database was closed: the caller must reopen it either way

    def reject(self) -> None:
        if _running(self.job):
            return  # never leave in the middle of a restore
        if self.closed_database:
            self.accept()
            return
        super().reject()
