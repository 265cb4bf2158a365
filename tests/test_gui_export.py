"""내보내기 dialog, menu and PDF preview on real widgets."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMenu, QProgressDialog, QPushButton

from db.models import Organization, Space, Tenancy, TenancyTerm

HAS_API = importlib.util.find_spec("exports.api") is not None
needs_api = pytest.mark.skipif(not HAS_API, reason="exports/api.py not written yet")


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """A test that fails mid-export must not leave a running QThread behind."""
    yield
    from gui import workers

    workers.cancel_all()
    assert workers.wait_all(10_000)


def make_pdf(path: Path, pages: int) -> Path:
    """A small PDF with one numbered line per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        c.drawString(72, 720, f"page {n}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def roster_db(db):
    with db.session() as s:
        t = Tenancy(space=Space(provider="LH", site="행신2지구 4단지", area_m2=33.0),
                    organization=Organization(name="두레협동조합"),
                    moved_in_on=dt.date(2020, 3, 1))
        t.terms = [TenancyTerm(start_on=dt.date(2020, 3, 1), end_on=dt.date(2022, 2, 28))]
        s.add(t)
        s.commit()
    return db


def _dialog(qtbot, db, kind: str, **kw):
    from gui.export_dialog import ExportDialog

    d = ExportDialog(db, kind, today=dt.date(2021, 12, 31), **kw)
    d.ask_after = False
    qtbot.addWidget(d)
    return d


def test_default_names_and_periods(qtbot, roster_db, tmp_path):
    from db.settings import load_settings, store_settings

    with roster_db.session() as s:
        st = load_settings(s)
        st.export_dir = str(tmp_path)
        store_settings(s, st)
        s.commit()
    roster = _dialog(qtbot, roster_db, "roster")
    # Korean file names (issue 10 point 5: not 'xxx_2021H2.pdf')
    assert Path(roster.out.text()) == tmp_path / "입주공간현황 2021. 12. 31. 기준.pdf"
    report = _dialog(qtbot, roster_db, "report")
    assert report.params() == {"period": "2021H2", "whole": False,
                               "as_of": dt.date(2021, 12, 31)}  # no 기준일 stored: today
    assert Path(report.out.text()).name == "2021년 하반기 공약이행실적.pdf"
    report.whole.setChecked(True)
    assert Path(report.out.text()).name == "2021년 공약이행실적.pdf"
    book = _dialog(qtbot, roster_db, "workbook")
    assert book.first.currentData() == "2020"  # the first year with records
    book.last.setCurrentIndex(book.last.findData("2021H1"))
    assert Path(book.out.text()).name == "실적 2020년~2021년 상반기.xlsx"


def test_report_dialog_starts_from_the_stored_report_date(qtbot, roster_db):
    from db.settings import load_settings, store_settings

    with roster_db.session() as s:
        st = load_settings(s)
        st.report_date = "2021-11-16"
        store_settings(s, st)
        s.commit()
    report = _dialog(qtbot, roster_db, "report")
    assert report.params()["as_of"] == dt.date(2021, 11, 16)  # not today (2021-12-31)


@needs_api
def test_preview_makes_the_chosen_report_without_asking_for_a_file(qtbot, roster_db, tmp_path):
    from pypdf import PdfReader

    d = _dialog(qtbot, roster_db, "report")
    d.out.setText(str(tmp_path / "never.pdf"))
    d.whole.setChecked(True)
    d.preview.click()
    qtbot.waitUntil(lambda: d.preview_path is not None and d.job is None, timeout=30_000)
    assert d.preview_path.name == "2021년 공약이행실적.pdf"
    assert d.preview_path.parent != tmp_path and not (tmp_path / "never.pdf").exists()
    text = "".join(p.extract_text() for p in PdfReader(d.preview_path).pages)
    assert "상반기" in text and "하반기" in text


def test_range_end_before_start_disables_export(qtbot, roster_db):
    d = _dialog(qtbot, roster_db, "tables")
    d.first.setCurrentIndex(d.first.findData("2021"))
    d.last.setCurrentIndex(d.last.findData("2020H2"))
    assert not d.go.isEnabled()
    assert "앞섭니다" in d.problem.text()
    d.out.setText("/nonexistent-folder/x.pdf")
    d.last.setCurrentIndex(d.last.findData("2021H2"))
    assert not d.go.isEnabled()
    assert "폴더" in d.problem.text()


@needs_api
def test_roster_export_runs_in_worker_and_progress_closes(qtbot, roster_db, tmp_path):
    from pypdf import PdfReader

    d = _dialog(qtbot, roster_db, "roster")
    out = tmp_path / "roster.pdf"
    d.out.setText(str(out))
    assert d.go.isEnabled()
    with qtbot.waitSignal(d.exported, timeout=20_000) as blocker:
        d.go.click()
        assert d.progress is not None and d.progress.isVisible()
    assert Path(blocker.args[0]) == out
    qtbot.waitUntil(lambda: d.job is None, timeout=5000)
    assert d.progress is None
    assert not any(w.isVisible() for w in d.findChildren(QProgressDialog))
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "두레협동조합" in text


def test_cancel_stops_the_worker_and_closes_progress(qtbot, roster_db, tmp_path, monkeypatch):
    import threading

    import gui.export_dialog as ed

    started = threading.Event()

    def slow(kind, database, params, out, *, progress, cancelled):
        """Stands in for a long export: reports progress until cancelled."""
        from exports.api import Cancelled

        started.set()
        for i in range(10_000):
            if cancelled():
                raise Cancelled()
            progress(i, 10_000, f"{i}번째 시트")
            threading.Event().wait(0.01)
        return out

    monkeypatch.setattr(ed, "run_export", slow)
    d = _dialog(qtbot, roster_db, "workbook")
    out = tmp_path / "book.xlsx"
    d.out.setText(str(out))
    d.go.click()
    assert started.wait(5)
    assert not d.go.isEnabled()  # no second export while one runs
    qtbot.waitUntil(lambda: "시트" in d.progress.labelText(), timeout=5000)
    cancel = next(b for b in d.progress.findChildren(QPushButton) if b.text() == "취소")
    cancel.click()  # the user presses 취소
    qtbot.waitUntil(lambda: d.job is None, timeout=5000)
    assert d.progress is None
    assert "취소" in d.status.text()
    assert not out.exists()
    assert d.go.isEnabled()


@needs_api
def test_export_error_is_shown_in_korean(qtbot, roster_db, tmp_path, monkeypatch):
    import gui.export_dialog as ed
    from db.errors import DureError

    def broken(*_a, **_k):
        raise DureError("디스크 공간이 부족합니다.")

    monkeypatch.setattr(ed, "run_export", broken)
    d = _dialog(qtbot, roster_db, "roster")
    d.out.setText(str(tmp_path / "x.pdf"))
    shown = []
    d.show_error = shown.append
    d.go.click()
    qtbot.waitUntil(lambda: d.job is None, timeout=5000)
    assert shown == ["디스크 공간이 부족합니다."]


def test_menu_and_toolbar_share_actions(qtbot, db):
    from gui.export_dialog import export_actions, install_export_menu

    window = QMainWindow()
    window.database = db
    qtbot.addWidget(window)
    menu = QMenu("내보내기", window)
    installed = install_export_menu(menu, window)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    # each entry names the formats its dialog offers (issue 9: not "(PDF)" alone)
    assert texts == ["엑셀 통합 문서…", "입주공간 현황(PDF·엑셀·한글)…",
                     "공약 이행 실적 보고서(PDF·한글)…", "연도별 실적표(PDF·한글)…", "미리보기…"]
    assert export_actions(window) == installed  # the toolbar gets the same QActions
    installed[1].trigger()
    from gui.export_dialog import ExportDialog

    dialogs = window.findChildren(ExportDialog)
    assert len(dialogs) == 1 and dialogs[0].kind.key == "roster"
    dialogs[0].close()


def test_pdf_preview_navigates_pages(qtbot, tmp_path):
    from gui.pdf_preview import PdfPreview

    pdf = make_pdf(tmp_path / "three.pdf", 3)
    p = PdfPreview(pdf)
    qtbot.addWidget(p)
    p.show()
    assert p.error is None
    assert p.page_count() == 3
    assert p.page_text() == "1 / 3"
    assert not p.prev_action.isEnabled()
    p.next_page()
    qtbot.waitUntil(lambda: p.current_page() == 1)
    assert p.page_text() == "2 / 3"
    p.go_to(2)
    qtbot.waitUntil(lambda: p.current_page() == 2)
    assert p.page_text() == "3 / 3" and not p.next_action.isEnabled()
    p.previous_page()
    qtbot.waitUntil(lambda: p.current_page() == 1)
    p.zoom_in()
    assert p.zoom_label.text().strip().endswith("%")
    zoomed = p.view.zoomFactor()
    p.zoom_out()
    assert p.view.zoomFactor() < zoomed
    assert not p.fit_action.isChecked()
    p.fit_width()
    assert p.fit_action.isChecked() and p.zoom_label.text() == ""


def test_pdf_preview_prints_every_page(qtbot, tmp_path):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from gui.pdf_preview import PdfPreview

    p = PdfPreview(make_pdf(tmp_path / "two.pdf", 2))
    qtbot.addWidget(p)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert p.print_to(printer) == 2
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 2


def test_pdf_preview_refuses_a_broken_file(qtbot, tmp_path):
    from gui.pdf_preview import PdfPreview

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    p = PdfPreview(bad)
    qtbot.addWidget(p)
    assert p.error and "bad.pdf" in p.error
    assert not p.print_action.isEnabled()


def test_job_forwards_progress_and_turns_a_bug_into_a_korean_message(qtbot):
    from gui.workers import make_job

    def work(progress, cancelled):
        progress(1, 2, "반쯤")
        raise ValueError("boom")

    job = make_job(work)
    seen, failed = [], []
    job.progress.connect(lambda d, t, m: seen.append((d, t, m)))
    job.failed.connect(failed.append)
    job.start()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert seen == [(1, 2, "반쯤")]
    assert failed[0].startswith("작업 중 예기치 않은 오류") and "boom" in failed[0]
