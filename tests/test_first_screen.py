"""The first screen read with plain sqlite3 before SQLAlchemy loads (gui/first_screen.py, issue
13.3): the same rows and count as the real list, for every list of every area and for a sort
the clerk chose; no first screen whenever anything it depends on has changed; and the start
that uses it ends in the real tab, where editing works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from db import models as m
from gui import first_screen
from gui.main_window import AREAS
from gui.window_store import settings_store
from tests.gui_helpers import area_page, make_window, type_into

ROOT = Path(__file__).resolve().parent.parent
ROWS = 40


def real_rows(page, rows=ROWS):
    model = page.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(min(rows, model.rowCount()))]


def written(window):
    """The recipe the window writes as it closes (its layout saved first, as closeEvent does)."""
    window._save_layout()
    path = Path(os.environ["DURE_DATA_DIR"]) / first_screen.RECIPE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def test_every_list_reads_the_same_first_rows_and_count_as_the_real_list(qtbot, demo):
    window = make_window(qtbot, demo)
    covered, without = [], []
    for key, _label in AREAS:
        tab = window.area_tab(key)
        for i in range(len(tab.specs)):
            page = area_page(window, key, i)
            recipe = written(window)
            if recipe is None:
                without.append(page.spec.table)
                continue
            total, rows = first_screen.read(demo.path, recipe, ROWS)
            assert total == page.model.total_count(), page.spec.table
            assert rows == real_rows(page), page.spec.table
            assert recipe["captions"] == [page.model.headerData(c, Qt.Orientation.Horizontal)
                                          for c in range(page.model.columnCount())]
            covered.append(page.spec.table)
    # two governance lists format a column with a function of their own (half, metric)
    assert sorted(without) == ["carried_figure", "report_note"]
    assert len(covered) == 24


def test_a_sort_the_clerk_chose_is_the_sort_of_the_first_rows(qtbot, demo):
    window = make_window(qtbot, demo)
    page = area_page(window, "finance")  # 재정지원: money, dates and an enterprise's name
    keys = [f.key for f in page.model.fields]
    for key in ("organization_id", keys[-1]):
        page.view.sortByColumn(keys.index(key), Qt.SortOrder.DescendingOrder)
        recipe = written(window)
        assert first_screen.read(demo.path, recipe, ROWS)[1] == real_rows(page)
    assert "ORDER BY" in recipe["ids"]


def test_the_first_screen_waits_for_the_same_code_schema_file_tab_and_header(
        qtbot, demo, tmp_path, monkeypatch):
    window = make_window(qtbot, demo)
    area_page(window, "organization")
    assert written(window) is not None
    settings = settings_store()
    assert first_screen.load_recipe(demo.path, settings) is not None
    assert first_screen.load_recipe(tmp_path / "other.sqlite", settings) is None  # another file
    with monkeypatch.context() as mp:
        mp.setattr(first_screen, "code_stamp", lambda: "another build")
        assert first_screen.load_recipe(demo.path, settings) is None  # the code changed
    settings.setValue("window/tab", 0)  # the dashboard first: no list to read
    assert first_screen.load_recipe(demo.path, settings) is None
    settings.setValue("window/tab", 1)
    page = area_page(window, "organization")
    page.view.horizontalHeader().resizeSection(0, 333)  # the clerk widened a column …
    page.save_state(settings, "area/organization")  # … and the header was saved without it
    assert first_screen.load_recipe(demo.path, settings) is None
    area_page(window, "organization")
    recipe = written(window)
    recipe["revision"] = "0001"  # a file at another schema revision (a migration due)
    assert first_screen.read(demo.path, recipe, ROWS) is None


def test_no_first_screen_for_a_server_database_or_one_that_is_not_sqlite(qtbot, pg_db):
    window = make_window(qtbot, pg_db)
    area_page(window, "organization")
    assert written(window) is None  # nothing written: the start goes the usual way


def test_a_code_stamp_changes_with_any_source_file(tmp_path):
    for name in ("db/models/organization.py", "gui/forms/spec.py", "db/migrations/x/0012.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    before = first_screen.code_stamp(tmp_path)
    assert before == first_screen.code_stamp(tmp_path)
    assert before != first_screen.code_stamp()  # another tree
    target = tmp_path / "db/migrations/x/0012.py"
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    assert first_screen.code_stamp(tmp_path) != before
    (tmp_path / "gui/forms/new.py").write_text("")
    assert first_screen.code_stamp(tmp_path) != before


def test_a_start_shows_the_first_screen_then_the_real_tab_where_editing_works(qtbot, tmp_path):
    from db.session import open_database
    from gui.app import Startup
    from gui.main_window import MainWindow
    from gui.workers import wait_all
    from tests.export_fixtures import copy_database, demo_template

    path = copy_database(demo_template(), tmp_path / "desk.sqlite")
    last = open_database(path)  # the last session closed on 기업, sorted by 대표자
    before = make_window(qtbot, last)
    page = area_page(before, "organization")
    page.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    expected, count = real_rows(page, first_screen.MAX_ROWS), page.model.total_count()
    before.close()
    last.close()

    window = MainWindow(defer_shortcuts=True)
    qtbot.addWidget(window)
    window.show()
    startup = Startup(window, str(path), demo=False)
    startup.run()
    screen = startup.first_screen
    assert isinstance(screen, first_screen.FirstScreen)
    assert window.tabs.currentWidget() is screen and window.tabs.currentIndex() == 1
    shown = screen.shown_rows()
    assert len(shown) >= 10 and shown == expected[:len(shown)]
    assert window.count_label.text() == f"기록 {count:,}건"
    assert screen.count_label.text() == f"{count:,}건"
    assert not window.tabs.tabBar().isEnabled() and not window.menuBar().isEnabled()
    assert "data_shown" in startup.marks and "ready" not in startup.marks

    qtbot.waitUntil(lambda: "ready" in startup.marks, timeout=30_000)  # the real tab's turn
    tab = window.area_tabs["organization"]
    assert window.tabs.currentWidget() is tab
    assert window.tabs.tabBar().isEnabled() and window.menuBar().isEnabled()
    page = tab.page(0)
    assert real_rows(page, len(shown)) == shown  # the same rows, in the same order
    ident = page.model.id_at(0)
    assert page.select_record(ident)
    type_into(qtbot, page.form.editors["representative"], "새대표")
    page.form.revalidate_now()
    assert page.save()
    with startup.database.session() as s:
        assert s.get(m.Organization, ident).representative == "새대표"
    wait_all()  # the startup backup's thread
    window.close()
    startup.loader.join()
    startup.database.close()


def test_a_file_that_does_not_open_takes_its_first_screen_away(qtbot, tmp_path, monkeypatch):
    from db import session
    from db.errors import DatabaseInUse
    from db.session import open_database
    from gui import opening
    from gui.app import Startup
    from gui.main_window import MainWindow
    from tests.export_fixtures import copy_database, demo_template

    path = copy_database(demo_template(), tmp_path / "desk.sqlite")
    last = open_database(path)
    before = make_window(qtbot, last)
    area_page(before, "organization")
    before.close()
    last.close()
    def in_use(*_a, **_k):
        raise DatabaseInUse("다른 곳에서 사용 중입니다.")

    monkeypatch.setattr(session, "open_database", in_use)  # the loader's open fails
    monkeypatch.setattr(opening, "open_with_dialogs", lambda *a, **k: None)  # the clerk said no
    window = MainWindow(defer_shortcuts=True)
    qtbot.addWidget(window)
    window.show()
    startup = Startup(window, str(path), demo=False)
    startup.run()
    assert startup.first_screen is not None
    qtbot.waitUntil(lambda: "열지 못했습니다" in window.file_label.text(), timeout=30_000)
    assert not isinstance(window.tabs.widget(1), first_screen.FirstScreen)
    assert window.count_label.text() == "" and not window.tabs.isEnabled()
    startup.loader.join()


NO_QOBJECT_ON_THE_LOADER = """
import gc, json, threading
from gui.app import make_app, preload
app = make_app(defer_style=True)
thread = threading.Thread(target=preload, args=("gui.forms.organization",))
thread.start()
thread.join()
from PySide6.QtCore import QObject
import sqlalchemy
foreign = [type(o).__name__ for o in gc.get_objects()
           if isinstance(o, QObject) and o.thread() is not app.thread()]
import sys
print(json.dumps({"foreign": foreign, "loaded": "db.models.organization" in sys.modules}))
"""


def test_what_the_loader_thread_imports_leaves_no_qt_object_on_that_thread(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DURE_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", NO_QOBJECT_ON_THE_LOADER], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"foreign": [], "loaded": True}
