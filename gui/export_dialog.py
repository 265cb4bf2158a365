"""내보내기 menu and dialog: pick the period and the file, export on a worker, open the result.

The export functions live in exports/api.py; here they run on a gui.workers.Job while a
QProgressDialog shows their progress and can cancel them, so the window never freezes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.formats import josa
from db.periods import Period
from db.queries.dashboard import record_years
from db.settings import load_settings

from .export_kinds import FILTERS, KINDS, default_folder, file_name, period_choices, run_export
from .temp_folders import temp_folder
from .workers import Job, make_job


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt+letter moves to `widget` (a layout row has no buddy itself)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class ExportDialog(QDialog):
    """Choose period and file for one kind of export, run it, offer to open the result."""

    exported = Signal(str)

    def __init__(self, database: Any, kind: str, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)

        self.database = database
        self.kind = KINDS[kind]
        self.today = today or dt.date.today()
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None
        self.result_path: Path | None = None
        self.last_message = ""  # the export's last progress message (a filled form's summary)
        self.ask_after = True  # tests turn the "open the file?" question off
        with database.session() as s:
            self.settings = load_settings(s)
            self.years = record_years(s, self.today)
        self._name_edited = False
        self.setWindowTitle(self.kind.title)
        self._build()
        self._update_name()

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        form = QFormLayout()
        choices = period_choices(self.years)
        if self.kind.period == "range":
            self.first = QComboBox()
            self.last = QComboBox()
            for label, key in choices:
                if not key.endswith("H2"):  # a range starts at a year or a first half
                    self.first.addItem(label, key)
                self.last.addItem(label, key)
            self.first.setCurrentIndex(self.first.findData(str(self.years[0])))
            self.last.setCurrentIndex(self.last.findData(self._default_last()))
            row = QHBoxLayout()
            row.addWidget(self.first)
            row.addWidget(QLabel("부터"))
            row.addWidget(self.last)
            row.addWidget(QLabel("까지"))
            row.addStretch(1)
            form.addRow(_buddy("기간(&P)", self.first), row)
            self.first.currentIndexChanged.connect(self._changed)
            self.last.currentIndexChanged.connect(self._changed)
        elif self.kind.period == "single":
            self.period = QComboBox()
            for label, key in choices:
                self.period.addItem(label, key)
            self.period.setCurrentIndex(self.period.findData(self._default_last()))
            form.addRow("보고 기간(&P)", self.period)
            self.period.currentIndexChanged.connect(self._changed)
            self.whole = QCheckBox("그 해 상반기부터 묶은 전체 문서(누적)")
            self.whole.setToolTip("하반기를 고르면 상반기 추진 실적(연도별 표와 지난 해 실적 "
                                  "포함)부터 하반기, 추진 계획까지 한 문서로 만듭니다.")
            self.whole.toggled.connect(self._changed)
            form.addRow("", self.whole)
            day = self.settings.report_day or self.today
            self.report_day = QDateEdit(QDate(day.year, day.month, day.day))
            self.report_day.setCalendarPopup(True)
            self.report_day.setDisplayFormat("yyyy. M. d.")
            self.report_day.setToolTip("진행 중인 기간은 이 날짜 기준으로 계산합니다 "
                                       "(기간 끝보다 늦으면 기간 끝).")
            row = QHBoxLayout()
            row.addWidget(self.report_day)
            row.addStretch(1)
            form.addRow(_buddy("기준일(&D)", self.report_day), row)
            self.report_day.dateChanged.connect(self._changed)
        else:
            self.as_of = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
            self.as_of.setCalendarPopup(True)
            self.as_of.setDisplayFormat("yyyy. M. d.")
            row = QHBoxLayout()
            row.addWidget(self.as_of)
            row.addStretch(1)
            form.addRow(_buddy("기준일(&D)", self.as_of), row)
            self.as_of.dateChanged.connect(self._changed)
        self.out = QLineEdit()
        self.out.textEdited.connect(self._name_typed)
        self.out.textChanged.connect(self._revalidate)
        browse = QPushButton("찾아보기…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        form.addRow(_buddy("저장할 파일(&F)", self.out), row)
        self.format: QComboBox | None = None
        if len(self.kind.suffixes) > 1:  # PDF, 한글 (.hwpx) or 엑셀: the file name follows
            self.format = QComboBox()
            for suffix in self.kind.suffixes:
                self.format.addItem(FILTERS[suffix], suffix)
            self.format.currentIndexChanged.connect(self._format_chosen)
            form.addRow(_buddy("형식(&T)", self.format), self.format)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.status = QLabel()  # the last export's outcome
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = self.buttons.addButton("내보내기", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("닫기")
        self.go.clicked.connect(self.start)
        self.preview = None
        if ".pdf" in self.kind.suffixes:
            self.preview = self.buttons.addButton("미리보기",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
            self.preview.setToolTip("임시 PDF로 만들어 바로 미리 봅니다 (파일은 저장하지 않음).")
            self.preview.clicked.connect(self.start_preview)
        self._previewing = False
        self.preview_path: Path | None = None
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(600)

    def _default_last(self) -> str:
        """The half-year whose report is being prepared: the current one in its last two
        months (reports are written before the half ends), else the one just ended."""
        y, m = self.today.year, self.today.month
        if m in (5, 6):
            key = f"{y}H1"
        elif m in (11, 12):
            key = f"{y}H2"
        else:
            key = f"{y}H1" if m >= 7 else f"{y - 1}H2"
        last_year = self.years[-1]
        if int(key[:4]) > last_year:
            key = f"{last_year}H2"
        if int(key[:4]) < self.years[0]:
            key = f"{self.years[0]}H1"
        return key

    # ------------------------------------------------------------ values

    def params(self) -> dict[str, Any]:
        """The chosen period(s) as exports/api.py wants them."""
        if self.kind.period == "range":
            return {"first": self.first.currentData(), "last": self.last.currentData()}
        if self.kind.period == "single":
            q = self.report_day.date()
            return {"period": self.period.currentData(), "whole": self.whole.isChecked(),
                    "as_of": dt.date(q.year(), q.month(), q.day())}
        q = self.as_of.date()
        return {"as_of": dt.date(q.year(), q.month(), q.day())}

    def default_name(self) -> str:
        """'2021년 하반기 공약이행실적.pdf', '입주공간현황 2021. 12. 31. 기준.pdf' …"""
        suffix = self.kind.suffixes[0]
        current = Path(self.out.text())
        if current.suffix.lower() in self.kind.suffixes:
            suffix = current.suffix.lower()  # keep the roster's .xlsx when chosen
        return file_name(self.kind, self.params(), suffix)

    def _update_name(self) -> None:
        if self._name_edited:
            return
        folder = Path(self.out.text()).parent if self.out.text() else \
            default_folder(self.settings.export_dir)
        self.out.setText(str(folder / self.default_name()))

    def problems(self) -> list[str]:
        """Korean messages for what stops the export."""
        out = []
        if self.kind.period == "range":
            try:
                first, last = Period.parse(self.params()["first"]), \
                    Period.parse(self.params()["last"])
                if last.end < first.start:
                    out.append("끝 기간이 시작 기간보다 앞섭니다. 기간을 다시 고르세요.")
            except DureError as exc:
                out.append(str(exc))
        text = self.out.text().strip()
        if not text:
            out.append("저장할 파일을 고르세요.")
        else:
            path = Path(text)
            if path.suffix.lower() not in self.kind.suffixes:
                allowed = " 또는 ".join(self.kind.suffixes)
                out.append(f"파일 이름은 {allowed} 확장자로 끝나야 합니다.")
            elif not path.parent.is_dir():
                out.append(f"'{path.parent}' 폴더가 없습니다. 있는 폴더를 고르세요.")
        return out

    @Slot()
    def _changed(self) -> None:
        """A period changed: rename the default file, then check again."""
        self._update_name()
        self._revalidate()

    @Slot()
    def _revalidate(self) -> None:
        self._show_format()
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        self.go.setEnabled(not problems and self.job is None)

    @Slot(str)
    def _name_typed(self, _text: str) -> None:
        self._name_edited = True

    @Slot()
    def _format_chosen(self) -> None:
        """A format was picked: the file name takes its extension."""
        text = self.out.text().strip()
        if self.format is not None and text:
            self.out.setText(str(Path(text).with_suffix(self.format.currentData())))

    def _show_format(self) -> None:
        """The format list follows an extension typed into the file name."""
        if self.format is None:
            return
        index = self.format.findData(Path(self.out.text().strip()).suffix.lower())
        if index >= 0 and index != self.format.currentIndex():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)

    @Slot()
    def _browse(self) -> None:
        filters = ";;".join(FILTERS[s] for s in self.kind.suffixes)
        chosen, _ = QFileDialog.getSaveFileName(self, "저장할 파일", self.out.text(), filters)
        if chosen:
            if Path(chosen).suffix.lower() not in self.kind.suffixes:
                chosen += self.kind.suffixes[0]
            self._name_edited = True
            self.out.setText(chosen)

    # ------------------------------------------------------------ running

    @Slot()
    def start_preview(self) -> None:
        """Make the chosen export as a temporary PDF and open it in the preview."""
        if self.job is not None:
            return
        folder = temp_folder("dure-preview-")
        self._run(folder / file_name(self.kind, self.params(), ".pdf"), preview=True)

    @Slot()
    def start(self) -> None:
        """Run the export on a worker with a cancellable progress dialog."""
        if self.problems() or self.job is not None:
            return
        out = Path(self.out.text().strip())
        if out.exists() and not self._confirm(
                "파일 덮어쓰기", f"'{out.name}' 파일이 이미 있습니다. 덮어쓸까요?"):
            return
        self._run(out)

    def _run(self, out: Path, preview: bool = False) -> None:
        self._previewing = preview
        self.progress = QProgressDialog("내보내는 중…", "취소", 0, 0, self)
        self.progress.setWindowTitle(self.kind.title)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.progress.setMinimumWidth(420)  # sheet names in the messages are long
        self.progress.canceled.connect(self._cancel)
        self.progress.show()
        self.go.setEnabled(False)
        self.status.clear()
        self.last_message = ""
        self.job = make_job(run_export, self.kind.key, self.database, self.params(), out)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.was_cancelled.connect(self._was_cancelled)
        self.job.finished.connect(self._finished)
        self.job.start()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        dlg = self.progress
        if dlg is None:
            return
        if message:
            dlg.setLabelText(message)
            self.last_message = message
        dlg.setMaximum(max(total, 1))
        # Last: a modal QProgressDialog processes events in setValue (may finish the job).
        dlg.setValue(min(done, max(total, 1)))

    @Slot()
    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        if self.progress is not None:
            self.progress.setLabelText("취소하는 중…")

    @Slot()
    def _finished(self) -> None:
        self.job = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._revalidate()

    @Slot(object)
    def _succeeded(self, path: Path) -> None:
        if self._previewing:
            self._previewing = False
            self.preview_path = Path(path)
            if self.ask_after:
                # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
                from .pdf_preview import show_pdf

                show_pdf(path, self.parentWidget() or self)
            return
        self.result_path = Path(path)
        filled = self.last_message if self.last_message.startswith("양식") else ""
        saved = f"저장했습니다: {self.result_path}"
        self.status.setText("\n".join(p for p in (saved, filled) if p))
        self.exported.emit(str(self.result_path))
        if self.ask_after:
            self.offer_open(self.result_path)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setText("내보내지 못했습니다.")
        self.show_error(message)

    @Slot()
    def _was_cancelled(self) -> None:
        self.status.setText("내보내기를 취소했습니다. 파일을 만들지 않았습니다.")

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "내보내기 실패", message)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def offer_open(self, path: Path) -> None:
        """Ask whether to open the file, its folder or (a PDF) the preview."""
        box = QMessageBox(self)
        box.setWindowTitle("내보내기 완료")
        box.setIcon(QMessageBox.Icon.Information)
        name = f"'{path.name}'"
        box.setText(f"{josa(name, '을/를')} 저장했습니다.")
        box.setInformativeText(str(path.parent))
        open_file = box.addButton("파일 열기", QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton("폴더 열기", QMessageBox.ButtonRole.ActionRole)
        preview = box.addButton("미리보기", QMessageBox.ButtonRole.ActionRole) \
            if path.suffix.lower() == ".pdf" else None
        box.addButton("닫기", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif clicked is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        elif preview is not None and clicked is preview:
            # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
            from .pdf_preview import show_pdf

            show_pdf(path, self.parentWidget())
        if clicked is not None and clicked.text() != "닫기":
            self.accept()

    def reject(self) -> None:
        """Closing while an export runs cancels it first."""
        if self.job is not None:
            self._cancel()
            return
        super().reject()


# ---------------------------------------------------------------- menu and toolbar


def open_export_dialog(window: Any, kind: str) -> ExportDialog:
    """Show the dialog for `kind` on the window's current database (non-blocking)."""
    dialog = ExportDialog(window.database, kind, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_preview(window: Any) -> ExportDialog:
    """미리보기: the report dialog, whose 미리보기 button makes and shows the chosen report."""
    return open_export_dialog(window, "report")


def export_actions(window: Any) -> list[QAction]:
    """The export QActions of `window` (made once, shared by the menu and the toolbar)."""
    existing = getattr(window, "_export_actions", None)
    if existing:
        return existing
    actions = []
    for kind in KINDS.values():
        act = QAction(kind.action_text, window)
        act.setToolTip(kind.title)
        act.triggered.connect(lambda _=False, k=kind.key: open_export_dialog(window, k))
        actions.append(act)
    preview = QAction("미리보기…", window)
    preview.setToolTip("PDF 파일 미리보기와 인쇄")
    preview.triggered.connect(lambda _=False: open_preview(window))
    actions.append(preview)
    window._export_actions = actions
    return actions


def install_export_menu(menu: QMenu, window: Any) -> list[QAction]:
    """Fill the 내보내기 menu (the preview after a separator); returns the actions."""
    actions = export_actions(window)
    menu.addActions(actions[:-1])
    menu.addSeparator()
    menu.addAction(actions[-1])
    return actions
