"""파일 → 가져오기: pick a workbook and sheet, map columns, preview, then import in one go.

The preview and the import run on a worker thread (gui.workers) with a progress bar; the
가져오기 button is enabled only by a clean preview and asks for confirmation first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import naming, tabular
from db.errors import DureError
from db.importer import STATUS_LABELS, commit, preview, sheet_names
from db.importer import mapping as mp
from db.importer.result import _changes_text
from db.importer.textbook import open_book
from db.importer.workbook import find_header
from db.office.versions import ConflictError
from gui.conflict_dialog import resolve

from .workers import start_job

SKIP = "(가져오지 않음)"
ALL_SHEETS = "\x00all"  # item data of "every Dure data sheet" in the sheet combo
SHOWN_ROWS = 2_000  # preview rows listed; the counts above cover every row
COLOURS = {"new": "#e3f4e3", "changed": "#fff4cc", "unchanged": "#f2f2f2",
           "duplicate": "#e3ecf7", "rejected": "#f9d6d5"}
ORDER = ("rejected", "changed", "duplicate", "new", "unchanged")


def _run_preview(database: Any, path: str, mapping: dict[str, str] | None, sheet: str | None,
                 entity: str | None, *,
                 progress: Any = None, cancelled: Any = None) -> Any:
    report = (lambda n, msg: progress(n, 0, msg)) if progress else None
    return preview(database, path, mapping, sheet=sheet, entity=entity, progress=report)


def _run_commit(database: Any, result: Any, resolutions: dict[str, str] | None = None, *,
                progress: Any = None, cancelled: Any = None) -> Any:
    """Rows written, or the ConflictError of rows another desk changed since the preview."""
    total = result.writes
    report = (lambda n, msg: progress(n, total, msg)) if progress else None
    try:
        return commit(database, result, progress=report, resolutions=resolutions)
    except ConflictError as exc:  # handed to the window: the clerk decides field by field
        return exc


class ImportDialog(QDialog):
    """Import one sheet of an .xlsx into one entity."""

    imported = Signal(int)

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.headers: list[str] = []
        self.result: Any = None
        self.job: Any = None
        self.conflict: Any = None  # a ConflictError from the last import, asked after it ends
        self.resolutions: dict[str, str] = {}
        self.setWindowTitle("Excel에서 가져오기")
        self.resize(900, 640)
        self._build()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.path = QLineEdit()
        self.path.setPlaceholderText("가져올 Excel 통합 문서(.xlsx)")
        self.path.editingFinished.connect(lambda: self.load_file(self.path.text()))
        browse = QPushButton("찾아보기…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.sheet = QComboBox()
        self.sheet.currentTextChanged.connect(self._sheet_changed)
        self.entity = QComboBox()
        for model in tabular.ENTITIES:
            self.entity.addItem(naming.label(model), model.__tablename__)
        self.entity.currentIndexChanged.connect(lambda _i: self._load_mapping())
        form = QFormLayout()
        form.addRow("파일", file_row)
        form.addRow("시트", self.sheet)
        form.addRow("대상", self.entity)
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(("시트의 열", "두레 항목"))
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().setVisible(False)
        self.preview_button = QPushButton("미리보기")
        self.preview_button.clicked.connect(self.start_preview)
        self.summary = QLabel("파일을 고르세요.")
        self.summary.setWordWrap(True)
        self.rows = QTableWidget(0, 4)
        self.rows.setHorizontalHeaderLabels(("행", "결과", "번호", "내용·사유"))
        self.rows.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.verticalHeader().setVisible(False)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.import_button = QPushButton("가져오기")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton("닫기")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.bar, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("열 연결 (처음 한 번 정하면 같은 모양의 시트에 다시 쓰입니다)"))
        layout.addWidget(self.mapping, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows, 2)
        layout.addLayout(buttons)

    def _browse(self) -> None:
        name, _f = QFileDialog.getOpenFileName(
            self, "가져올 파일", "",
            "Excel·CSV 파일 (*.xlsx *.xls *.csv *.txt *.htm *.html);;모든 파일 (*)")
        if name:
            self.load_file(name)

    # ---------------------------------------------------------------- file, sheet, mapping

    def load_file(self, path: str) -> None:
        """Open `path`, list its sheets (Dure data sheets first) and pick the first."""
        path = path.strip()
        self.path.setText(path)
        self._clear_preview()
        if not path:
            return
        try:
            names = sheet_names(path)
        except DureError as exc:
            self.sheet.clear()
            self.summary.setText(str(exc))
            return
        names.sort(key=lambda n: tabular.model_for_sheet(n) is None)
        data_sheets = sum(1 for n in names if tabular.model_for_sheet(n) is not None)
        self.sheet.blockSignals(True)
        self.sheet.clear()
        if data_sheets > 1:  # an exported workbook comes back whole, parents first
            self.sheet.addItem(f"두레 자료 시트 전부 ({data_sheets}개)", ALL_SHEETS)
        for n in names:
            self.sheet.addItem(n, n)
        self.sheet.blockSignals(False)
        self._sheet_changed(self.sheet.currentText())

    def all_sheets(self) -> bool:
        """True when the whole workbook's Dure data sheets are chosen."""
        return self.sheet.currentData() == ALL_SHEETS

    def _sheet_changed(self, name: str) -> None:
        self._clear_preview()
        every = self.all_sheets()
        self.entity.setEnabled(not every)
        self.mapping.setEnabled(not every)
        if every:
            self.headers = []
            self.mapping.setRowCount(0)
            self.summary.setText("자료 시트마다 열 제목으로 항목을 찾습니다. 미리보기를 누르세요.")
            return
        model = tabular.model_for_sheet(name) if name else None
        if model is not None:
            self.entity.blockSignals(True)
            self.entity.setCurrentIndex(self.entity.findData(model.__tablename__))
            self.entity.blockSignals(False)
        self.headers = self._read_headers(name) if name else []
        self._load_mapping()

    def _read_headers(self, name: str) -> list[str]:
        try:
            book = open_book(Path(self.path.text()))
        except DureError as exc:
            self.summary.setText(str(exc))
            return []
        try:
            head = []
            for item in book.rows(name):
                head.append(item)
                if len(head) >= 10:
                    break
        finally:
            book.close()
        at = find_header(head)
        if at is None:
            return []
        headers = [str(v).strip() if v is not None else "" for v in head[at][1]]
        return [h for h in headers if h]

    def _load_mapping(self) -> None:
        """One combo per sheet column, pre-filled from the saved mapping or matching labels."""
        self._clear_preview()
        model = mp.entity_for(self.entity.currentData())
        with self.database.session() as s:
            proposed = mp.propose(model, self.headers, s)
        fields = mp.fields(model)
        self.mapping.setRowCount(len(self.headers))
        for i, h in enumerate(self.headers):
            self.mapping.setItem(i, 0, QTableWidgetItem(h))
            combo = QComboBox()
            combo.addItem(SKIP, "")
            for c in fields:
                combo.addItem(f"{c.label} ({c.key})", c.key)
            combo.setCurrentIndex(max(combo.findData(proposed.get(h, "")), 0))
            combo.currentIndexChanged.connect(lambda _i: self._clear_preview())
            self.mapping.setCellWidget(i, 1, combo)
        self.summary.setText(f"{len(self.headers)}개 열 중 {len(proposed)}개를 연결했습니다. "
                             "확인한 뒤 미리보기를 누르세요." if self.headers
                             else "시트에 제목 행이 없습니다.")

    def current_mapping(self) -> dict[str, str]:
        out = {}
        for i, h in enumerate(self.headers):
            key = cast(QComboBox, self.mapping.cellWidget(i, 1)).currentData()
            if key:
                out[h] = key
        return out

    def set_field(self, header: str, key: str) -> None:
        """Map one sheet column to a field (what the user does with the combo)."""
        combo = cast(QComboBox, self.mapping.cellWidget(self.headers.index(header), 1))
        combo.setCurrentIndex(combo.findData(key))

    # ---------------------------------------------------------------- preview

    def _clear_preview(self) -> None:
        self.result = None
        self.rows.setRowCount(0)
        self.import_button.setEnabled(False)

    def start_preview(self) -> None:
        """Run the preview on a worker thread."""
        if self.job is not None or not self.sheet.currentText():
            return
        self._busy("미리보기를 만드는 중…")
        args: tuple[Any, ...]
        if self.all_sheets():
            args = (None, None, None)
        else:
            args = (self.current_mapping(), self.sheet.currentText(), self.entity.currentData())
        self.job = start_job(_run_preview, self.database, self.path.text(), *args)
        self.job.succeeded.connect(self._previewed)
        self._connect(self.job)

    @Slot(object)
    def _previewed(self, result: Any) -> None:
        self.result = result
        lines: list[tuple[Any, Any]] = []
        for sheet in result.sheets:
            for status in ORDER:
                lines += [(r, sheet) for r in sheet.rows if r.status == status]
        shown = lines[:SHOWN_ROWS]
        self.rows.setRowCount(len(shown))
        for i, (r, sheet) in enumerate(shown):
            text = _row_text(r, sheet)
            where = str(r.row) if len(result.sheets) == 1 else f"{sheet.name} {r.row}"
            cells = (where, STATUS_LABELS[r.status],
                     "" if r.record_id is None else str(r.record_id), text)
            brush = QBrush(QColor(COLOURS[r.status]))
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setBackground(brush)
                if j == 3:
                    item.setToolTip(value)
                self.rows.setItem(i, j, item)
        self.rows.resizeColumnsToContents()
        more = f" (앞의 {SHOWN_ROWS:,}행만 표시)" if len(lines) > SHOWN_ROWS else ""
        problems = "\n".join(result.problems)
        verdict = ("가져올 수 있습니다. 가져오기를 누르세요." if result.ok and result.writes
                   else "가져올 새 기록이나 변경이 없습니다." if result.ok
                   else result.refusal())
        parts = (problems, result.summary() + more, verdict)
        self.summary.setText("\n".join(p for p in parts if p))
        self.import_button.setEnabled(result.ok and result.writes > 0)

    # ---------------------------------------------------------------- import

    def start_import(self) -> None:
        """After confirmation, write every row in one transaction on a worker thread."""
        result = self.result
        if result is None or not result.ok or self.job is not None:
            return
        if not self.confirm("가져오기",
                            f"{result.summary()}\n\n새 기록과 변경 {result.writes:,}행을 "
                                      "한 번에 저장합니다. 가져올까요?"):
            return
        self.resolutions = {}
        self._write(result)

    def _write(self, result: Any) -> None:
        self._busy("가져오는 중…")
        self.job = start_job(_run_commit, self.database, result, dict(self.resolutions))
        self.job.succeeded.connect(self._imported)
        self._connect(self.job)

    @Slot(object)
    def _imported(self, count: Any) -> None:
        if isinstance(count, ConflictError):  # records changed on another desk since the preview
            self.conflict = count  # asked once the job has finished (_done)
            self.summary.setText(str(count))
            return
        self.summary.setText(f"가져왔습니다: {count:,}행.")
        self._clear_preview()
        self.imported.emit(int(count))

    # ---------------------------------------------------------------- worker plumbing

    def _busy(self, text: str) -> None:
        self.summary.setText(text)
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.preview_button.setEnabled(False)
        self.import_button.setEnabled(False)

    def _connect(self, job: Any) -> None:
        job.progress.connect(self._progress)
        job.failed.connect(self._failed)
        job.finished.connect(self._done)

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if message:
            self.summary.setText(message)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.summary.setText(message)
        self.show_error(message)

    @Slot()
    def _done(self) -> None:
        self.job = None
        self.bar.setVisible(False)
        self.preview_button.setEnabled(True)
        conflict, self.conflict = self.conflict, None
        if conflict is not None and self.result is not None:
            chosen = self.resolve_conflict(conflict)
            if chosen is not None:
                self.resolutions.update(chosen)
                self._write(self.result)
            else:
                self.import_button.setEnabled(self.result.ok)

    def resolve_conflict(self, error: Any) -> dict[str, str] | None:
        return resolve(self, error)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "가져오기", message)

    def reject(self) -> None:
        if self.job is not None:  # never close under a running transaction
            self.summary.setText("작업이 끝날 때까지 기다려 주세요.")
            return
        super().reject()


def _row_text(r: Any, sheet: Any) -> str:
    if r.status == "rejected":
        return " / ".join(r.messages)
    if r.status == "changed":
        return _changes_text(sheet.model, r)
    if r.status == "duplicate":
        return f"{r.duplicate_of}과 같은 기록"
    if r.warnings:
        return "주의: " + " / ".join(r.warnings)
    first = next((str(v) for v in r.values.values() if isinstance(v, str) and v), "")
    return first
