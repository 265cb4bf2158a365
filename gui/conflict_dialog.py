"""저장 충돌: another desk changed the same record; the clerk picks, field by field, whose
value stays.

Shown by the record form when the write path raises db.office.versions.ConflictError. Fields
only one desk changed were already merged by the write path; the ones both changed are listed
with 내 값 / 다른 책상의 값 / 원래 값 and a choice per row. A record deleted on the other desk
offers to keep the clerk's values as a new record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.office.versions import MINE, THEIRS, ConflictError
from db.safety.history import shown as history_shown


def shown(value: Any) -> str:
    text = history_shown(value)
    return text if text else "(비어 있음)"


class ConflictDialog(QDialog):
    """Field-by-field choice between my value and the other desk's value."""

    COLUMNS = ("항목", "내 값", "다른 책상의 값", "원래 값", "남길 값")

    def __init__(self, error: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.setWindowTitle("저장 충돌 — 다른 책상에서 먼저 고쳤습니다")
        self.groups: dict[str, QButtonGroup] = {}
        lay = QVBoxLayout(self)
        self.message = QLabel(str(error), self)
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.table = QTableWidget(len(error.conflicts), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, c in enumerate(error.conflicts):
            for col, text in enumerate((c.label, shown(c.mine), shown(c.theirs), shown(c.base))):
                self.table.setItem(row, col, QTableWidgetItem(text))
            self.table.setCellWidget(row, 4, self._choice(c.key))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setVisible(bool(error.conflicts))
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        if error.conflicts:
            self.all_mine = QPushButton("모두 내 값으로", self)
            self.all_theirs = QPushButton("모두 다른 책상의 값으로", self)
            self.all_mine.clicked.connect(lambda: self.choose_all(MINE))
            self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
            choose_all = QHBoxLayout()
            choose_all.addWidget(self.all_mine)
            choose_all.addWidget(self.all_theirs)
            choose_all.addStretch(1)
            lay.addLayout(choose_all)
            self.ok: QPushButton | None = buttons.addButton(
                "고른 값으로 저장", QDialogButtonBox.ButtonRole.AcceptRole)
        elif error.deleted:
            self.ok = buttons.addButton("내 값을 새 기록으로 저장",
                                        QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            self.ok = None
        self.cancel = buttons.addButton("저장하지 않음" if self.ok else "확인",
                                        QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(720, 200 + 32 * len(error.conflicts))

    def _choice(self, key: str) -> QWidget:
        cell = QWidget(self.table)
        lay = QHBoxLayout(cell)
        lay.setContentsMargins(4, 0, 4, 0)
        group = QButtonGroup(cell)
        for n, (text, value) in enumerate((("내 값", MINE), ("다른 책상의 값", THEIRS))):
            button = QRadioButton(text, cell)
            button.setProperty("choice", value)
            button.setChecked(n == 0)  # the clerk's own value unless they pick the other
            group.addButton(button)
            lay.addWidget(button)
        self.groups[key] = group
        return cell

    def choose(self, key: str, value: str) -> None:
        for button in self.groups[key].buttons():
            button.setChecked(button.property("choice") == value)

    def choose_all(self, value: str) -> None:
        for key in self.groups:
            self.choose(key, value)

    def resolutions(self) -> dict[str, str]:
        """key → "mine" | "theirs" for every listed field ({"*": "new"} for a deleted record)."""
        if not self.error.conflicts:
            return {"*": "new"} if self.error.deleted else {}
        return {key: cast(QAbstractButton, group.checkedButton()).property("choice")
                for key, group in self.groups.items()}


def resolve(parent: QWidget | None, error: ConflictError) -> dict[str, str] | None:
    """Ask the clerk; their choices, or None when they keep the form unsaved."""
    dialog = ConflictDialog(error, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.ok is None:
        return None
    return dialog.resolutions()


def write_with_choices(parent: QWidget | None,
                       attempt: Callable[[dict[str, str]], Any]) -> ConflictError | None:
    """Run `attempt(resolutions)`; when another desk changed the record since the clerk read
    it, ask field by field (this dialog) and try again with their choices.

    None once written; else the ConflictError the clerk declined, or one with no field to
    choose (a record changed before a revert trashes it): the caller shows it and re-reads.
    """
    resolutions: dict[str, str] = {}
    while True:
        try:
            attempt(resolutions)
            return None
        except ConflictError as exc:
            chosen = resolve(parent, exc) if exc.conflicts else None
            if chosen is None:
                return exc
            resolutions.update(chosen)
