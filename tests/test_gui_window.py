"""The desk window: tabs and menus, list models under Qt's model tester, opening, reopening
after a restore, read-only files, refresh after a save, unsaved-change questions, memory."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QMessageBox

from db import models as m
from db import service
from gui import collector
from gui.widgets.table_model import SORT_ROLE, RecordTableModel
from tests import zygote
from tests.db_helpers import save_all
from tests.gui_helpers import (
    area_page,
    every_spec,
    key_text,
    make_window,
    no_modal_unsaved_question,
    type_into,
)

_ = no_modal_unsaved_question  # autouse fixture
ROOT = Path(__file__).resolve().parent.parent


def test_tabs_in_report_order_and_menus(qtbot, db):
    window = make_window(qtbot, db)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert labels == ["현황", "기업", "아카데미", "컨설팅", "창업지원", "판로지원", "재정지원",
                      "입주공간", "사회서비스", "우선구매", "행사·시설", "소통·예산·과제"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert [t.split("(")[0] for t in menus] == ["파일", "내보내기", "설정", "도움말"]
    file_items = [a.text() for a in window.file_menu.menu.actions() if a.text()]
    for wanted in ("새 데이터베이스…", "열기…", "최근 파일", "백업…", "복원…", "휴지통…",
                   "가져오기…", "끝내기"):
        assert wanted in file_items
    assert window.export_menu.objectName() == "내보내기"
    assert str(db.path) in window.file_label.text()
    assert window.windowTitle().startswith("두레 — ")


def test_every_list_model_passes_the_model_tester(qtbot, demo):
    for spec in every_spec():
        model = RecordTableModel(spec)
        tester = QAbstractItemModelTester(  # kept alive: it checks on every signal
            model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        model.load(demo)
        for column in range(model.columnCount()):
            model.sort(column, Qt.SortOrder.DescendingOrder)
        model.set_search("a")
        model.set_search("")
        assert tester is not None


def test_sort_role_gives_native_values_and_blanks_sort_last(qtbot, db):
    from gui.forms.organization import ORGANIZATION

    for name, day in (("나", dt.date(2021, 7, 9)), ("가", None), ("다", dt.date(2019, 1, 2))):
        service.save(db, m.Organization(name=name, designated_on=day))
    model = RecordTableModel(ORGANIZATION)
    model.load(db)
    col = [f.key for f in model.fields].index("designated_on")
    model.sort(col, Qt.SortOrder.AscendingOrder)
    values = [model.data(model.index(r, col), SORT_ROLE) for r in range(3)]
    assert values == [dt.date(2019, 1, 2), dt.date(2021, 7, 9), None]
    assert model.data(model.index(0, col)) == "2019.01.02"


def test_data_returning_nothing_keeps_none_refcount(qtbot, demo):
    from gui.forms.space import SPACE

    model = RecordTableModel(SPACE)
    model.load(demo)
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(1000):
        model.data(index, Qt.ItemDataRole.DecorationRole)
        model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole)
    model.data(QModelIndex())
    assert abs(sys.getrefcount(None) - before) < 10


def test_saving_an_enterprise_refreshes_other_tabs(qtbot, db):
    org = service.save(db, m.Organization(name="옛이름")).id
    service.save(db, m.FinanceGrant(program="사회보험료", year=2021, organization_id=org))
    window = make_window(qtbot, db)
    grants = area_page(window, "finance")
    col = [f.key for f in grants.model.fields].index("organization_id")
    assert grants.model.data(grants.model.index(0, col)) == "옛이름"
    orgs = area_page(window, "organization")
    assert orgs.select_record(org)
    type_into(qtbot, orgs.form.editors["name"], "새이름")
    orgs.form.revalidate_now()
    assert orgs.save()
    area_page(window, "finance")
    assert grants.model.data(grants.model.index(0, col)) == "새이름"


def test_leaving_a_tab_with_unsaved_changes_asks(qtbot, db, no_modal_unsaved_question):
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    page.new_record()
    type_into(qtbot, page.form.editors["name"], "작성 중")
    window.tabs.setCurrentIndex(2)
    assert no_modal_unsaved_question == ["기업"]
    assert not page.form.dirty  # answered 저장 안 함


def test_window_layout_is_remembered(qtbot, db):
    window = make_window(qtbot, db)
    area_page(window, "space")
    window.resize(701, 501)  # within the offscreen screen (restoreGeometry clamps to it)
    window.close()
    again = make_window(qtbot, db)
    assert again.tabs.currentIndex() == 7
    assert again.size().width() == 701


def test_an_area_builds_the_page_on_screen_and_another_when_it_first_shows(qtbot, demo):
    """An area's tab builds the page on screen only; another page is built as its inner tab
    first shows, with its rows and count, and the next start builds the one left on screen
    with the layout saved for it."""
    window = make_window(qtbot, demo)
    tab = window.area_tab("space")
    window.tabs.setCurrentWidget(tab)
    assert tab.built_pages() == [tab.page(0)] and tab.page(0).isVisible()
    tab.inner.setCurrentIndex(1)
    page = tab.current_page()
    assert page.spec is tab.specs[1] and page.isVisible() and page.model.rowCount() > 0
    assert tab.built_pages() == [tab.page(0), page]
    assert window.count_label.text() == f"기록 {page.record_count():,}건"
    page.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    window.close()
    again = make_window(qtbot, demo)
    tab = again.area_tab("space")
    assert again.tabs.currentWidget() is tab and tab.current_index() == 1
    page = tab.current_page()
    assert tab.built_pages() == [page] and page.isVisible()
    header = page.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == \
        (1, Qt.SortOrder.DescendingOrder)


def test_a_file_that_is_not_a_database_gets_a_korean_message(qtbot, tmp_path, monkeypatch):
    from gui.opening import open_with_dialogs

    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 50)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)
                                     or QMessageBox.StandardButton.No))
    assert open_with_dialogs(None, bad) is None
    assert shown and "데이터베이스" in shown[0]


def test_search_box_filters_as_you_type(qtbot, demo):
    window = make_window(qtbot, demo)
    page = area_page(window, "organization")
    total = page.model.rowCount()
    key_text(qtbot, page.search, "협동조합")
    shown = page.model.rowCount()
    assert 0 < shown < total
    for r in range(shown):
        cells = [page.model.data(page.model.index(r, c)) for c in range(page.model.columnCount())]
        assert any("협동조합" in c for c in cells)
    assert f"{shown:,} / {total:,}건" == page.count_label.text()


def test_a_dashboard_left_in_the_turn_it_showed_reads_once_shown_again(qtbot, db):
    """현황 reads on the loop's turn after it shows: a window left for a list at once (a due
    item's record asked for as the desk opens) leaves it unread until it shows again."""
    window = make_window(qtbot, db)
    dash = window.tabs.widget(0)
    area_page(window, "organization")
    for _ in range(3):
        QApplication.processEvents()
    assert dash.data is None and not dash.is_loading()
    window.tabs.setCurrentIndex(0)
    assert not dash.complete and dash.busy()
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    assert dash.status.text().endswith("알림")


def test_dashboard_link_opens_the_record_in_its_tab(qtbot, db):
    org = service.save(db, m.Organization(name="다시시작")).id
    space = service.save(db, m.Space(provider="LH", site="행신2지구 4단지")).id
    tenancy = service.save(db, m.Tenancy(space_id=space, organization_id=org)).id
    window = make_window(qtbot, db)
    window.open_record("tenancy", tenancy)
    tab = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "입주공간"
    assert tab.current_page().form.record_id == tenancy


def test_run_gui_shows_the_window_then_the_data(qtbot, db, tmp_path, monkeypatch):
    import json

    from gui import app, dashboard

    out = tmp_path / "marks.json"
    monkeypatch.setenv(app.BENCH_ENV, str(out))
    # the benchmark's desk closes once 현황 has read the next days too: at once, not after
    # the clerk's rest on the tab (AHEAD_AFTER_MS), which this test does not time
    monkeypatch.setattr(dashboard, "AHEAD_AFTER_MS", 0)
    service.save(db, m.Organization(name="백업될 기업"))
    path = db.path
    db.close()
    collector.install(QApplication.instance()).stop(collect_all=False)  # the test's own
    assert gc.isenabled()  # so only run_gui's collector keeps collections off its threads
    collectors: set[str] = set()  # the threads that ran a collection of cycles

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            collectors.add(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        assert app.run_gui(db=str(path)) == 0
    finally:
        gc.callbacks.remove(note)
    assert collectors <= {threading.current_thread().name}  # gui/collector.py
    assert gc.isenabled()  # given back once the desk closed
    marks = json.loads(out.read_text())
    assert marks["window_shown"] <= marks["data_shown"]
    from db.paths import backup_dir

    assert any("start" in p.name for p in backup_dir().iterdir())  # the startup backup


def test_coded_choices_show_and_search_by_their_korean_labels(qtbot, db):
    service.save(db, m.ReportNote(year=2021, half=1, area="startup", text="창업팀 선정"))
    window = make_window(qtbot, db)
    page = area_page(window, "governance", 2)
    col = [f.key for f in page.model.fields].index("area")
    assert page.model.data(page.model.index(0, col)) == "창업지원"
    assert page.form.editors["area"].currentText() in ("", "기업")
    key_text(qtbot, page.search, "창업지원")
    assert page.model.rowCount() == 1
    page.select_record(page.model.id_at(0))
    assert page.form.editors["area"].currentText() == "창업지원"
    assert page.form.editors["area"].value() == "startup"


def test_restore_accepted_reopens_the_database(qtbot, db, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from gui import menus

    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    service.save(db, m.Organization(name="복원 후에도 보임"))

    class FakeRestore:
        """Stands in for gui.backup_dialog.RestoreDialog: closes the database, says Accepted."""

        def __init__(self, database, _parent):
            database.close()

        def exec(self):
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(menus, "load_class", lambda _m, _c: FakeRestore)
    window.file_menu.run_dialog("gui.backup_dialog", "RestoreDialog", "reopen")
    assert window.database is not None and window.database is not db
    page = area_page(window, "organization")
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert "복원 후에도 보임" in names
    window.close()
    window.database.close()


def test_read_only_database_offers_no_editing(qtbot, db):
    from db.session import open_database

    service.save(db, m.Organization(name="읽기만"))
    path = db.path
    db.close()
    read_only = open_database(path, read_only=True)
    window = make_window(qtbot, read_only)
    page = area_page(window, "organization")
    page.select_record(page.model.id_at(0))
    assert not page.new_button.isEnabled() and not page.delete_button.isEnabled()
    assert "읽기 전용" in window.windowTitle()
    window.close()
    read_only.close()


def test_closing_with_unsaved_changes_asks(qtbot, db, no_modal_unsaved_question):
    window = make_window(qtbot, db)
    page = area_page(window, "events")
    page.new_record()
    type_into(qtbot, page.form.editors["name"], "미저장 행사")
    window.close()
    assert no_modal_unsaved_question == ["행사"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_terminated_desk_removes_its_lock_file(db, tmp_path, signum):
    """SIGTERM/SIGINT end the window's event loop cleanly, so the lock file goes with it."""
    path = db.path
    db.close()
    lock = path.with_name(path.name + ".lock")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # its own process, forked by the tests' zygote (Qt and the models already imported; no
    # QApplication there: the desk makes its own)
    child = zygote.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(path)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):  # the lock is taken once the window is up and opens the file
            if lock.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert lock.exists(), child.communicate(timeout=5)[0].decode(errors="replace")
        child.send_signal(signum)
        output = child.communicate(timeout=20)[0].decode(errors="replace")
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signum, output
    assert not lock.exists()


def _arrow_points_up(header) -> bool:
    """Whether the sort arrow drawn in `header` is wider at the bottom (▲) than at the top."""
    header.setSortIndicatorShown(False)
    plain = header.grab().toImage()
    header.setSortIndicatorShown(True)
    shown = header.grab().toImage()
    section = header.sortIndicatorSection()
    right = header.sectionViewportPosition(section) + header.sectionSize(section)
    xs = range(max(0, right - 24), right)  # the arrow sits at the section's right end
    rows = [sum(plain.pixel(x, y) != shown.pixel(x, y) for x in xs) for y in range(shown.height())]
    drawn = [r for r in rows if r]
    assert len(drawn) >= 2, "no sort arrow was drawn"
    return drawn[-1] > drawn[0]


def test_sort_arrow_points_up_for_ascending_and_down_for_descending(qtbot, db):
    from PySide6.QtWidgets import QApplication, QStyleFactory

    from gui.desk_style import DeskStyle

    style = DeskStyle(QStyleFactory.create("Fusion"))
    previous = QApplication.style().name()
    QApplication.setStyle(style)
    try:
        service.save(db, m.Organization(name="가나다"))
        service.save(db, m.Organization(name="하늘"))
        page = area_page(make_window(qtbot, db), "organization")
        header = page.view.horizontalHeader()
        page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        assert page.model.index(0, 0).data() == "가나다"  # 가 → 하: ascending
        assert _arrow_points_up(header)
        page.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        assert page.model.index(0, 0).data() == "하늘"
        assert not _arrow_points_up(header)
    finally:
        QApplication.setStyle(previous)


def test_a_dashboard_link_scrolls_the_list_to_the_record(qtbot, db):
    """The opened record's row is on screen in a tab built just now (it was left far below)."""
    save_all(db, [m.Organization(name=f"가{n:02d} 협동조합") for n in range(60)])
    last = service.save(db, m.Organization(name="힣 마지막 기업")).id  # sorts to the bottom
    window = make_window(qtbot, db)
    window.resize(1000, 700)
    window.open_record("organization", last)
    page = area_page(window, "organization")
    row = page.model.row_of(last)
    qtbot.waitUntil(lambda: page.view.visualRect(page.model.index(row, 0)).intersects(
        page.view.viewport().rect()), timeout=2000)
    assert page.form.record_id == last


def test_the_demo_dashboard_is_seen_as_of_its_report_date(qtbot, demo):
    """The demo stores 2021-11-16 as the dashboard's today, so its due list is not empty."""
    window = make_window(qtbot, demo)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: getattr(dash, "data", None) is not None, timeout=10_000)
    assert dash.data.today == dt.date(2021, 11, 16)
    assert any("웍스994" in item.title for item in dash.data.due)
