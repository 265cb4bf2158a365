"""What the window's start loads before it shows (issue 13.3): no SQLAlchemy, no style classes,
no crash dialog; shortcuts and the style arrive right after; db.queries loads per module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BEFORE_SHOW = """
import json, sys
from gui.app import make_app
app = make_app(defer_style=True)
from gui.main_window import MainWindow
window = MainWindow(defer_shortcuts=True)
window.show()
app.processEvents()
loaded = {m: m in sys.modules for m in ("sqlalchemy", "gui.desk_style", "gui.crash_dialog",
                                         "reportlab", "signal")}
shortcut = window.file_menu.menu.actions()[1].shortcut().toString()
style = app.style().metaObject().className()
print(json.dumps({"loaded": loaded, "shortcut": shortcut, "style": style}))
"""


def test_the_window_shows_before_sqlalchemy_the_style_and_the_crash_dialog(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DURE_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", BEFORE_SHOW], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["loaded"] == {"sqlalchemy": False, "gui.desk_style": False,
                              "gui.crash_dialog": False, "reportlab": False, "signal": False}
    assert seen["shortcut"] == ""  # kept back until the window has shown
    assert seen["style"] != "DeskStyle"


def test_kept_back_shortcuts_and_the_style_are_installed_after_the_show(qtbot):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    from gui.app import install_style
    from gui.desk_style import DeskStyle
    from gui.main_window import MainWindow

    at_once, later = MainWindow(), MainWindow(defer_shortcuts=True)
    qtbot.addWidget(at_once)
    qtbot.addWidget(later)

    def keys(window):
        return [a.shortcut().toString() for a in window.findChildren(type(window.help_action))]

    assert keys(later) != keys(at_once)
    later.install_shortcuts()
    assert keys(later) == keys(at_once)
    assert later.help_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    install_style(QApplication.instance())
    assert isinstance(QApplication.style(), DeskStyle)


def test_the_dashboard_queries_do_not_load_every_report_query():
    code = ("import sys, db.queries.dashboard; "
            "print('db.queries.report' in sys.modules, 'db.queries.governance' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"]


def test_every_name_of_db_queries_is_its_module_function():
    import importlib

    import db.queries as q

    assert sorted(q._HOME) == sorted(q.__all__)
    for name, home in q._HOME.items():
        assert getattr(q, name) is getattr(importlib.import_module(f"db.queries.{home}"), name)


def test_the_dashboard_shows_due_items_and_figures_first_then_the_chart(qtbot, demo):
    import datetime as dt

    from gui.dashboard import DashboardTab, load_dashboard

    today = dt.date(2021, 11, 16)
    tab = DashboardTab(demo, today=today)
    qtbot.addWidget(tab)
    seen: list[tuple[str, int, int, bool]] = []

    def note(what: str) -> None:
        seen.append((what, len(tab.due_rows()), len(tab.figure_rows()),
                     tab._chart_view is not None))

    tab.first_shown.connect(lambda: note("first"))
    tab.loaded.connect(lambda: note("all"))
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        tab.refresh()
    whole = load_dashboard(demo, today)
    assert whole.bars and whole.figures  # the demo has a chart and figures to show
    assert seen[0] == ("first", len(whole.due), len(whole.figures), False)
    assert seen[1] == ("all", len(whole.due), len(whole.figures), True)
    assert tab.data == whole  # the two reads give what one read gives
    qtbot.waitUntil(lambda: not tab.is_loading(), timeout=5_000)
    assert tab.refresh_button.isEnabled()
