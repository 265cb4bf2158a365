"""휴지통 window: what was deleted, when and by whom; 복원 puts it back, 비우기 deletes for good."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.safety import trash
from gui.conflict_dialog import write_with_choices

from .widgets.display import datetime_text
from .widgets.row_table import ask, fill, row_table, selected_row

COLUMNS = ("구분", "내용", "삭제 시각", "삭제한 사용자", "기록 수")


class TrashDialog(QDialog):
    """Lists the trash of `database`; restore one item or empty the trash."""

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.entries: list[Any] = []
        self.setWindowTitle("휴지통")
        self.resize(760, 420)
        self.note = QLabel("삭제한 기록은 하위 기록과 함께 여기에 남습니다. "
                           "비우기 전까지 복원할 수 있습니다.")
        self.note.setWordWrap(True)
        self.table = row_table(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.restore_button = QPushButton("복원")
        self.empty_button = QPushButton("비우기")
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self.empty_all)
        self.status = QLabel()
        close = QPushButton("닫기")  # a standard Close button would read in English
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(self.empty_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the database."""
        self.entries = trash.list_items(self.database)
        rows = []
        for e in self.entries:
            extra = f" (하위 기록 {e.row_count - 1}건)" if e.row_count > 1 else ""
            rows.append((e.what, e.label + extra, datetime_text(e.deleted_at),
                         e.deleted_by, f"{e.row_count:,}"))
        fill(self.table, rows, numeric={4})
        for col in (0, 2, 3, 4):
            self.table.resizeColumnToContents(col)
        self.empty_button.setEnabled(bool(self.entries))
        if not self.entries:
            self.status.setText("휴지통이 비어 있습니다.")
        self._selection_changed()

    def selected(self) -> Any:
        row = selected_row(self.table)
        return None if row is None else self.entries[row]

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def restore_selected(self) -> None:
        """Put the selected item back (same ids, children included)."""
        entry = self.selected()
        if entry is None:
            return
        try:  # restored and changed by another desk since this list was read: the clerk chooses
            refused = write_with_choices(self, lambda chosen: trash.restore(
                self.database, entry.id, loaded=entry, resolutions=chosen))
        except DureError as exc:
            self.show_error(str(exc))
            self.refresh()  # the list was older than the trash: show it as it is now
            return
        if refused is not None:
            self.refresh()
            self.status.setText(str(refused))
            return
        self.refresh()
        self.status.setText(f"복원했습니다: {entry.text}")

    def empty_all(self) -> None:
        """Delete everything in the trash for good, after asking."""
        if not self.entries or not self.confirm(
                "휴지통 비우기",
                f"휴지통의 {len(self.entries)}개 항목을 완전히 지웁니다. 다시 복원할 수 "
                "없습니다. 비울까요?"):
            return
        count = trash.empty(self.database)
        self.refresh()
        self.status.setText(f"휴지통을 비웠습니다({count}개 항목).")

    def confirm(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "복원할 수 없습니다", message)
