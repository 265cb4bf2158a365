"""변경 이력 window for one record: each field's old and new value, and 되돌리기 for one change."""

from __future__ import annotations

import datetime as dt
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

from db import naming
from db.errors import DureError
from db.office import versions
from db.safety import history, trash
from db.safety.trash import entity_label
from gui.conflict_dialog import write_with_choices
from gui.forms.spec import resolve

from .widgets.display import date_text, field_text, month_text
from .widgets.row_table import ask, fill, row_table, selected_row

COLUMNS = ("시각", "사용자", "구분", "항목", "이전 값", "새 값")
SOURCES = {"import": "가져오기", "revert": "되돌리기", "restore": "휴지통 복원"}


class HistoryDialog(QDialog):
    """The change history of record `record_id` of `table_name`, newest first."""

    def __init__(self, database: Any, table_name: str, record_id: Any,
                 parent: QWidget | None = None, spec: Any = None) -> None:
        super().__init__(parent)

        self.database, self.table_name, self.record_id = database, table_name, record_id
        # the form's fields (a month shown 2018. 12., choices by label), else the columns'
        self.fields = {f.key: f for f in (*spec.form_fields(), *spec.list_fields())} \
            if spec is not None else {}
        self.row_change: list[int] = []  # table row → change id
        self.loaded: Any = None  # the record as this window read it (its version): see revert
        self.setWindowTitle(f"변경 이력 — {entity_label(table_name)} 번호 {record_id}")
        self.resize(820, 440)
        self.table = row_table(COLUMNS)
        header = self.table.horizontalHeader()
        for col in (4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.revert_button = QPushButton("되돌리기")
        self.revert_button.setToolTip("선택한 변경 하나를 되돌립니다(되돌린 것도 이력에 남습니다).")
        self.revert_button.clicked.connect(self.revert_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QPushButton("닫기")  # a standard Close button would read in English
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.revert_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Reload the record's changes: one table row per changed field."""
        rows: list[tuple[int, tuple[str, ...]]] = []
        with self.database.session() as s:
            entries = history.for_record(s, self.table_name, self.record_id)
            try:
                obj = s.get(trash.model_for_table(self.table_name), self.record_id)
            except Exception:  # noqa: BLE001 - a table dropped since: nothing to compare
                obj = None
            self.loaded = versions.snapshot(obj, []) if obj is not None else None
            for e in entries:
                kind = history.OP_LABELS.get(e.op, e.op)
                if e.source in SOURCES:
                    kind += f"({SOURCES[e.source]})"
                when = f"{date_text(e.changed_at)} {e.changed_at:%H:%M:%S}"
                fields = list(e.changes.items()) or [("", [None, None])]
                who = f"{e.dure_user} ({e.os_user})" if e.dure_user else e.os_user
                for key, (old, new) in fields:
                    label = history.field_label(self.table_name, key) if key else ""
                    rows.append((e.id, (when, who, kind, label, self.shown(s, key, old),
                                        self.shown(s, key, new))))
        self.row_change = [cid for cid, _cells in rows]
        fill(self.table, [cells for _cid, cells in rows])
        for col in range(4):
            self.table.resizeColumnToContents(col)
        self.status.setText("" if rows else "이 기록의 변경 이력이 없습니다.")
        self._selection_changed()

    def shown(self, session: Any, key: str, logged: Any) -> str:
        """A logged value as the form shows it: 2021.07.09, 8,000,000, 2018. 12., a name."""
        try:
            model = naming.model_for_table(self.table_name)
            field = self.fields.get(key) or resolve(model, key)
        except (KeyError, LookupError, DureError):  # a column dropped since, or not a field
            return history.shown(logged)
        if logged is None:
            return ""
        value = trash.from_json(model.__table__.c[key], logged)
        if field.kind in ("org", "record") and field.target is not None:
            target = session.get(field.target, value)
            return naming.title(target) if target is not None else f"번호 {value}(삭제됨)"
        if field.kind == "bool":
            return "예" if value else "아니오"
        if field.month_flag and isinstance(value, dt.date):  # the record's 월 단위, as its form
            record = session.get(model, self.record_id)
            if record is not None and getattr(record, field.month_flag, False):
                return month_text(value)
        return field_text(field, value)

    def selected_change(self) -> int | None:
        row = selected_row(self.table)
        return None if row is None else self.row_change[row]

    def _selection_changed(self) -> None:
        self.revert_button.setEnabled(self.selected_change() is not None)

    def revert_selected(self) -> None:
        """Undo the selected change (all its fields) after asking."""
        change_id = self.selected_change()
        if change_id is None or not self.confirm(
                "변경 되돌리기", "선택한 변경을 되돌릴까요? 되돌린 것도 변경 이력에 남습니다."):
            return
        try:  # another desk changed the record since this window read it: the clerk chooses
            refused = write_with_choices(self, lambda chosen: history.revert(
                self.database, change_id, loaded=self.loaded, resolutions=chosen))
        except DureError as exc:
            self.show_error(str(exc))
            return
        if refused is not None:
            if not refused.conflicts:
                self.show_error(str(refused))
            self.refresh()  # show what the other desk saved; reverting again is allowed
            self.status.setText(str(refused))
            return
        self.refresh()
        self.status.setText("되돌렸습니다.")

    def confirm(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "되돌릴 수 없습니다", message)
