"""미리보기: any PDF in a QPdfView with page navigation, zoom and printing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRect, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCursor, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.periods import Period
from db.settings import load_settings
from gui.temp_folders import temp_folder

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0

_LOAD_ERRORS = {
    QPdfDocument.Error.FileNotFound: "파일을 찾을 수 없습니다",
    QPdfDocument.Error.InvalidFileFormat: "PDF 파일이 아니거나 손상되었습니다",
    QPdfDocument.Error.IncorrectPassword: "암호가 걸린 PDF입니다",
    QPdfDocument.Error.UnsupportedSecurityScheme: "지원하지 않는 보안 방식의 PDF입니다",
}


class PdfPreview(QDialog):
    """A PDF viewer window: 이전/다음, 쪽 n / N, 확대/축소/폭 맞춤, 인쇄."""

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"미리보기 — {self.path.name}")
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self._build_toolbar()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.view, 1)
        self.resize(900, 1000)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.error = self._load()

    # ------------------------------------------------------------ building

    def _action(self, text: str, slot,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(f"{tip or text} ({act.shortcut().toString()})" if shortcut else tip or text)
        act.triggered.connect(slot)
        self.toolbar.addAction(act)
        return act

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        keys = QKeySequence.StandardKey
        self.prev_action = self._action("◀ 이전", self.previous_page, keys.MoveToPreviousPage,
                                        "이전 쪽")
        self.page_box = QSpinBox()
        self.page_box.setMinimum(1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda n: self.go_to(n - 1))
        self.toolbar.addWidget(self.page_box)
        self.page_total = QLabel(" / 0")
        self.toolbar.addWidget(self.page_total)
        self.next_action = self._action("다음 ▶", self.next_page, keys.MoveToNextPage, "다음 쪽")
        self.toolbar.addSeparator()
        self._action("축소", self.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self._action("확대", self.zoom_in, QKeySequence.StandardKey.ZoomIn)
        self.fit_action = self._action("폭 맞춤", self.fit_width, "Ctrl+0")
        self.fit_action.setCheckable(True)
        self.zoom_label = QLabel("")
        self.toolbar.addWidget(self.zoom_label)
        self.toolbar.addSeparator()
        self.print_action = self._action("인쇄…", self.print_dialog, QKeySequence.StandardKey.Print)

    def _load(self) -> str | None:
        err = self.document.load(str(self.path))
        if err != QPdfDocument.Error.None_:
            reason = _LOAD_ERRORS.get(err, "PDF를 열 수 없습니다")
            message = f"'{self.path.name}'을(를) 열 수 없습니다: {reason}."
            self.page_total.setText(" / 0")
            for act in (self.prev_action, self.next_action, self.print_action):
                act.setEnabled(False)
            self.page_box.setEnabled(False)
            return message
        self.page_box.setMaximum(max(1, self.page_count()))
        self.page_total.setText(f" / {self.page_count()}")
        self._page_changed(0)
        self._zoom_changed()
        return None

    # ------------------------------------------------------------ navigation

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """0-based page shown at the top of the view."""
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        """Show `page` (0-based, clamped to the document)."""
        if self.page_count() == 0:
            return
        page = max(0, min(page, self.page_count() - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    @Slot()
    def previous_page(self) -> None:
        self.go_to(self.current_page() - 1)

    @Slot()
    def next_page(self) -> None:
        self.go_to(self.current_page() + 1)

    @Slot(int)
    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.prev_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < self.page_count() - 1)

    def page_text(self) -> str:
        """'n / N' as shown in the toolbar."""
        return f"{self.page_box.value()}{self.page_total.text()}"

    # ------------------------------------------------------------ zoom

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))
        self._zoom_changed()

    def _current_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        # Fit modes keep their own factor; estimate it from the page width.
        size = self.document.pagePointSize(max(0, self.current_page()))
        width = self.view.viewport().width() - 2 * self.view.documentMargins().left()
        dpi_ratio = self.logicalDpiX() / 72.0
        return width / (size.width() * dpi_ratio) if size.width() > 0 else 1.0

    @Slot()
    def zoom_in(self) -> None:
        self._set_zoom(self._current_zoom() * ZOOM_STEP)

    @Slot()
    def zoom_out(self) -> None:
        self._set_zoom(self._current_zoom() / ZOOM_STEP)

    @Slot()
    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._zoom_changed()

    def _zoom_changed(self) -> None:
        fitted = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_action.setChecked(fitted)  # the checked button says the page fits the width
        self.zoom_label.setText("" if fitted else f" {self.view.zoomFactor() * 100:.0f}% ")

    # ------------------------------------------------------------ printing

    @Slot()
    def print_dialog(self) -> None:
        """The system's printer dialog, then print the chosen pages."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        printer.setFromTo(1, self.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("인쇄")
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Render the printer's page range onto it; returns the number of pages printed."""
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:
            first, last = 1, self.page_count()
        pages = list(range(first - 1, min(last, self.page_count())))
        progress = QProgressDialog("인쇄하는 중…", "취소", 0, len(pages), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "인쇄할 수 없습니다",
                                "프린터를 열 수 없습니다. 프린터 연결과 설정을 확인하세요.")
            return 0
        printed = 0
        try:
            target = painter.viewport()
            for i, page in enumerate(pages):
                if progress.wasCanceled():
                    break
                if i:
                    printer.newPage()
                self._render_page(painter, target, page, printer.resolution())
                printed += 1
                progress.setValue(i + 1)
        finally:
            painter.end()
            progress.close()
        return printed

    def _render_page(self, painter: QPainter, target: QRect, page: int, dpi: int) -> None:
        """Draw one page at the printer's resolution, centred and scaled to fit."""
        points = self.document.pagePointSize(page)
        size = QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72))
        size.scale(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        image = self.document.render(page, size)
        x = target.x() + (target.width() - size.width()) // 2
        y = target.y() + (target.height() - size.height()) // 2
        painter.drawImage(QRect(x, y, size.width(), size.height()), image)


def show_pdf(path: str | Path, parent: QWidget | None = None) -> PdfPreview | None:
    """Open a preview window, or say in Korean why the file cannot be shown."""
    preview = PdfPreview(path, parent)
    if preview.error:
        QMessageBox.warning(parent, "미리보기", preview.error)
        preview.deleteLater()
        return None
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show()
    return preview


# ---------------------------------------------------------------- 인쇄 (Ctrl+P) from where you are

PRINT_ROW_LIMIT = 5_000  # a longer list is narrowed with the search box or the period first


def print_pdf(path: str | Path, parent: QWidget | None = None) -> PdfPreview | None:
    """Preview `path` and open the printer dialog over it (cancel leaves the preview open)."""
    preview = show_pdf(path, parent)
    if preview is not None:
        QTimer.singleShot(0, preview, preview.print_dialog)
    return preview


def print_folder() -> Path:
    return temp_folder("dure-print-")


def list_table(page: Any) -> Any:
    """The list of an EntityPage as shown (search, period, sort, columns) as a ReportTable."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports.table_model import Cell, ReportTable

    model, view = page.model, page.view
    header = view.horizontalHeader()
    columns = [header.logicalIndex(v) for v in range(header.count())
               if not header.isSectionHidden(header.logicalIndex(v))]
    fields = [model.fields[c] for c in columns]
    rows: list[list[Cell | None]] = []
    for r in range(min(model.rowCount(), PRINT_ROW_LIMIT)):
        rows.append([Cell(model.data(model.index(r, c)) or "", "text",
                          align="right" if f.numeric else None)
                     for c, f in zip(columns, fields, strict=False)])
    shown, total = model.rowCount(), model.total_count()
    notes = []
    filters = []
    if page.search.text().strip():
        filters.append(f"검색 ‘{page.search.text().strip()}’")
    if page.period.isVisible() and page.period.currentData() is not None:
        filters.append(f"기간 {page.period.currentText()}")
    if filters:
        notes.append("조건: " + ", ".join(filters) + f" (전체 {total:,}건 중 {shown:,}건)")
    if shown > PRINT_ROW_LIMIT:
        notes.append(f"처음 {PRINT_ROW_LIMIT:,}행만 인쇄했습니다. 검색이나 기간으로 목록을 줄여 "
                     "나눠 인쇄하세요.")
    widths = [max(6.0, header.sectionSize(c) / 7.5) for c in columns]
    return ReportTable(
        title=f"{page.spec.label} 목록 ({shown:,}건)", sheet_name=page.spec.label,
        header_rows=[[Cell(f.caption, "head") for f in fields]], body=rows, widths=widths,
        notes=notes, landscape=sum(widths) > 110)


def list_pdf(page: Any, out: Path) -> Path:
    """Write the page's list as shown to `out` (A4, landscape when wide, header on every page)."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports.pdf import build_pdf, content_width, table_flowables

    table = list_table(page)
    story = table_flowables(table, content_width(table.landscape))
    build_pdf(out, story, title=table.title, wide=table.landscape)
    return out


def _busy(parent: QWidget | None, work: Any) -> Any:
    """Run `work()` with a wait cursor; a DureError becomes a Korean warning (None)."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        return work()
    except DureError as exc:
        QMessageBox.warning(parent, "인쇄할 수 없습니다", str(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()


def print_list(page: Any, parent: QWidget | None = None) -> PdfPreview | None:
    """인쇄: the current list as a printable page."""
    out = print_folder() / f"{page.spec.label} 목록.pdf"
    done = _busy(parent, lambda: list_pdf(page, out))
    return print_pdf(done, parent) if done else None


def default_day(database: Any) -> Any:
    """The 기준일 setting, else today."""
    with database.session() as s:
        return load_settings(s).report_day or dt.date.today()


def print_roster(database: Any, parent: QWidget | None = None) -> PdfPreview | None:
    """인쇄: 입주공간 현황 as of the 기준일."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports import api

    day = default_day(database)
    out = print_folder() / f"{day.year}년 {day.month}월 {day.day}일 입주공간 현황.pdf"
    done = _busy(parent, lambda: api.export_roster(database, day, out))
    return print_pdf(done, parent) if done else None


def print_report(database: Any, parent: QWidget | None = None) -> PdfPreview | None:
    """인쇄: 공약 이행 실적 of the half-year holding the 기준일."""
    # deferred: the exports (reportlab, openpyxl) load when one runs (start-up)
    from exports import api

    day = default_day(database)
    half = 1 if day.month <= 6 else 2
    period = Period.half_of(day.year, half)
    name = f"{day.year}년 {'상반기' if half == 1 else '하반기'} 공약이행실적.pdf"
    out = print_folder() / name
    done = _busy(parent, lambda: api.export_report(database, period, out, as_of=day))
    return print_pdf(done, parent) if done else None
