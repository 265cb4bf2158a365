"""The 현황 tab's saved figures (gui/dashboard_screen.py, issue 13.3): a start shows what the real
tab shows, in the same widget, which its own read then refreshes; every input the figures
depend on stops them (a write by Dure or another program, a new day, another setting, code or
revision); a damaged or edited saved file is ignored; a click made meanwhile is not lost."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from db import models as m
from gui import dashboard_screen
from gui.dashboard import AHEAD_DAYS, RECORD_ROLE, DashboardTab
from tests.gui_helpers import make_window


def shown(dash):
    """Everything the tab shows in words and figures."""
    return {"due": dash.due_rows(), "figures": dash.figure_rows(),
            "status": dash.status.text(), "due_title": dash.due_box.title(),
            "bars": [(b.year, b.sales, b.finance, b.label) for b in dash.data.bars],
            "note": dash.chart_note.text()}


def close_on_dashboard(qtbot, database):
    """A session that closes on 현황 once it has read everything: what it showed."""
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    seen = dict(shown(dash), title=window.windowTitle())
    window.close()  # closeEvent saves the layout and captures the figures
    database.close()
    window.seal_screens()  # as run_gui does once the file is closed
    return seen


@pytest.fixture()
def desk(tmp_path):
    """A demo database of its own (its settings fix 현황's day at 2021-11-16)."""
    from tests.export_fixtures import copy_database, demo_template

    return copy_database(demo_template(), tmp_path / "desk.sqlite")


@pytest.fixture()
def sealed(qtbot, desk):
    from db.session import open_database

    return desk, close_on_dashboard(qtbot, open_database(desk))


def saved_file():
    return dashboard_screen.data_dir() / dashboard_screen.SAVED


def read_saved():
    """The saved file's JSON (after its digest line)."""
    return json.loads(saved_file().read_text(encoding="utf-8").partition("\n")[2])


def edited(text, change):
    """The saved file's text with one value changed, its digest left as it was."""
    head, _line, body = text.partition("\n")
    saved = json.loads(body)
    change(saved)
    return f"{head}\n{json.dumps(saved, ensure_ascii=False)}"


def rewrite(change):
    """Edit the saved file as a person would, then give it a correct digest again."""
    saved = read_saved()
    change(saved)
    saved_file().write_text(dashboard_screen.sealed_text(saved), encoding="utf-8")


def start(qtbot, path):
    from gui.app import Startup
    from gui.main_window import MainWindow

    window = MainWindow(defer_shortcuts=True)
    qtbot.addWidget(window)
    window.show()
    startup = Startup(window, str(path), demo=False)
    startup.run()
    return window, startup


def finish(qtbot, window, startup):
    from gui.workers import wait_all

    qtbot.waitUntil(lambda: "ready" in startup.marks, timeout=30_000)
    wait_all()  # the startup backup and the dashboard's reads
    window.close()
    startup.loader.join()
    startup.database.close()
    window.seal_screens()  # as run_gui does


def test_a_start_shows_the_saved_figures_the_real_tab_then_reads_again(qtbot, sealed):
    path, seen = sealed
    assert seen["due"] and seen["figures"] and seen["bars"]  # the demo has all three
    window, startup = start(qtbot, path)
    dash = startup.dashboard
    assert dash is not None and window.tabs.widget(0) is dash and dash.shows_saved
    assert "data_shown" in startup.marks and "ready" not in startup.marks
    qtbot.waitUntil(lambda: dash.data.bars and dash._chart_view is not None, timeout=5000)
    assert dict(shown(dash), title=window.windowTitle()) == seen  # before SQLAlchemy's read
    assert not window.tabs.tabBar().isEnabled() and not window.menuBar().isEnabled()
    dash.due_tree.setCurrentItem(dash.due_tree.topLevelItem(2))  # the clerk picks one meanwhile
    picked = dash.due_rows()[2]

    qtbot.waitUntil(lambda: "real_data" in startup.marks, timeout=30_000)
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    assert window.tabs.widget(0) is dash and dash.database is startup.database
    assert dict(shown(dash), title=window.windowTitle()) == seen  # the real read: the same
    current = dash.due_tree.currentItem()  # and the item picked is still the one picked
    assert tuple(current.text(c) for c in range(4)) == picked and current.isSelected()
    assert window.tabs.tabBar().isEnabled() and window.menuBar().isEnabled()
    finish(qtbot, window, startup)
    assert dashboard_screen.load(path, 0) is not None  # this session saved them again


def test_a_due_item_opened_meanwhile_opens_once_the_database_is_open(qtbot, sealed):
    path, _seen = sealed
    window, startup = start(qtbot, path)
    dash = startup.dashboard
    item = dash.due_tree.topLevelItem(0)
    table, ident = item.data(0, RECORD_ROLE)
    dash.due_tree.itemActivated.emit(item, 0)  # Enter on the first due item, before the open
    assert window.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: "ready" in startup.marks, timeout=30_000)
    tab = window.tabs.currentWidget()
    assert tab is not dash
    page = tab.current_page()  # the page that lists the item's record, on screen
    assert page.spec.table == table
    assert page.form.record_id == ident
    finish(qtbot, window, startup)


def test_every_changed_input_stops_the_saved_figures(qtbot, sealed, monkeypatch):
    path, _seen = sealed
    assert dashboard_screen.load(path, 0) is not None
    assert dashboard_screen.load(path, 1) is None  # the desk opens on another tab
    assert dashboard_screen.load(path.with_name("other.sqlite"), 0) is None
    for change in (lambda s: s["settings"].update(warn_days="30"),  # another setting
                   lambda s: s.update(revision="0001"),  # another schema revision
                   lambda s: s.update(fixed_today="2021-11-17")):  # another day
        before = saved_file().read_text(encoding="utf-8")
        rewrite(change)
        assert dashboard_screen.load(path, 0) is None
        saved_file().write_text(before, encoding="utf-8")
    assert_another_build_and_program_stop_them(path, monkeypatch)


def assert_another_build_and_program_stop_them(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The saved figures load as they are, and not for another build of Dure, nor once another
    program has written to the file."""
    assert dashboard_screen.load(path, 0) is not None
    with monkeypatch.context() as mp:
        mp.setattr(dashboard_screen, "code_stamp", lambda: "another build")
        assert dashboard_screen.load(path, 0) is None
    con = sqlite3.connect(path)  # another program writes a note
    con.execute("UPDATE organization SET note = 'x' WHERE id = (SELECT min(id) FROM organization)")
    con.commit()
    con.close()
    assert dashboard_screen.load(path, 0) is None


def test_a_write_by_dure_stops_them(qtbot, sealed):
    from db.session import open_database

    path, _seen = sealed
    database = open_database(path)
    with database.session() as s:
        s.get(m.Organization, s.scalar(m.Organization.__table__.select().with_only_columns(
            m.Organization.id).limit(1))).note = "새 메모"
        s.commit()
    database.close()
    assert dashboard_screen.load(path, 0) is None


def test_a_new_day_stops_them(qtbot, desk, monkeypatch):
    from db.session import open_database

    con = sqlite3.connect(desk)  # the real today, not the demo's fixed day
    con.execute("DELETE FROM setting WHERE key = 'dashboard_date'")
    con.commit()
    con.close()
    close_on_dashboard(qtbot, open_database(desk))
    assert dashboard_screen.load(desk, 0) is not None
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(dashboard_screen, "today", lambda: tomorrow)
    assert dashboard_screen.load(desk, 0) is None


def test_figures_read_before_a_write_are_not_saved(qtbot, desk):
    from db.session import open_database

    database = open_database(desk)
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    assert dash.proven_data() is not None
    with database.session() as s:  # a write no signal announces: the files still tell
        s.add(m.Organization(name="새 기업", kind="협동조합"))
        s.commit()
    assert dash.proven_data() is None and dashboard_screen.capture(window) is None
    dash.refresh()  # read again after the write (merged with any read the write started)
    qtbot.waitUntil(lambda: dash.proven_data() is not None, timeout=30_000)
    window.close()
    database.close()


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: "\x00garbage",  # not JSON
    lambda text: edited(text, lambda s: s["data"]["figures"][0].__setitem__(3, 99)),  # by hand
])
def test_a_damaged_or_edited_file_is_ignored(qtbot, sealed, damage):
    path, _seen = sealed
    saved_file().write_text(damage(saved_file().read_text(encoding="utf-8")),
                            encoding="utf-8")
    assert dashboard_screen.load(path, 0) is None


def test_an_edit_with_a_fresh_digest_but_a_wrong_value_is_ignored(qtbot, sealed):
    path, _seen = sealed
    for change in (lambda s: s["data"]["figures"][0].__setitem__(3, "많음"),  # text for a count
                   lambda s: s["data"]["due"][0].__setitem__(4, 999),  # D-999 on another date
                   lambda s: s["data"]["bars"][0].__setitem__(1, True)):  # bool for 원
        before = saved_file().read_text(encoding="utf-8")
        rewrite(change)
        assert dashboard_screen.load(path, 0) is None
        saved_file().write_text(before, encoding="utf-8")


def test_a_start_with_a_damaged_file_goes_the_usual_way(qtbot, sealed):
    path, seen = sealed
    saved_file().write_text("{", encoding="utf-8")
    window, startup = start(qtbot, path)
    assert startup.dashboard is None and startup.first_screen is None
    qtbot.waitUntil(lambda: getattr(window.tabs.widget(0), "complete", False), timeout=30_000)
    assert dict(shown(window.tabs.widget(0)), title=window.windowTitle()) == seen
    finish(qtbot, window, startup)


def test_no_saved_figures_for_a_server_database(qtbot, pg_db):
    window = make_window(qtbot, pg_db)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    assert dash.proven_data() is None and dashboard_screen.capture(window) is None
    window.close()


def test_the_saved_figures_load_no_sqlalchemy(tmp_path):
    """gui.dashboard and gui.dashboard_screen import without SQLAlchemy (a child Python)."""
    import os
    import subprocess
    import sys

    code = ("import sys, gui.dashboard_screen, gui.dashboard; "
            "print('sqlalchemy' in sys.modules)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DURE_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent,
                         env=env, check=True, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the next days (a clock day)


def on_the_clock(path):
    """The desk counts from the computer's clock: no 기준일 (the demo sets one)."""
    con = sqlite3.connect(path)
    con.execute("DELETE FROM setting WHERE key = 'dashboard_date'")
    con.commit()
    con.close()


def days_after(day, n=AHEAD_DAYS):
    return [day + dt.timedelta(days=k) for k in range(1, n + 1)]


@pytest.fixture()
def clock(monkeypatch):
    """The tab's clock (gui.dashboard.clock, the one the saved figures are checked by too):
    `clock.day = …` sets today."""
    from gui import dashboard

    state = SimpleNamespace(day=dt.date.today())
    monkeypatch.setattr(dashboard, "clock", lambda: state.day)
    return state


@pytest.fixture()
def ahead_at_once(monkeypatch):
    """The next days' read begins as soon as the tab has read its own day (not after the
    desk has rested on 현황 for AHEAD_AFTER_MS): for the tests that wait for those figures."""
    from gui import dashboard

    monkeypatch.setattr(dashboard, "AHEAD_AFTER_MS", 0)


def close_after_the_next_days(qtbot, database):
    """A session that closes on 현황 once it has read the next days' figures too."""
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: len(dash.proven_ahead()) == AHEAD_DAYS, timeout=30_000)
    seen = dict(shown(dash), title=window.windowTitle())
    window.close()
    database.close()
    window.seal_screens()
    return seen


def shown_saved(qtbot, path):
    """What a start shows from the saved figures, today (the clock's day)."""
    found = dashboard_screen.load(path, 0)
    if found is None:
        return None
    dash = DashboardTab(None)
    qtbot.addWidget(dash)
    dash.show_saved(found[0])
    qtbot.waitUntil(lambda: dash.complete, timeout=5000)  # the chart, a turn of the loop later
    return shown(dash)


def shown_real(qtbot, database, days, clock):
    """What the real tab shows on each of `days` (its own reads, the clock on each day; not
    the next days', which the clerk's rest on the tab would start)."""
    from gui import dashboard

    dash = DashboardTab(database)
    qtbot.addWidget(dash)
    out = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dashboard, "AHEAD_AFTER_MS", 60_000)
        dash.show()
        for day in days:
            clock.day = day
            dash.refresh()
            qtbot.waitUntil(lambda: dash.complete and not dash.is_loading(), timeout=30_000)
            out.append(shown(dash))
    dash.hide()
    return out


@pytest.mark.parametrize("day", [
    dt.date(2021, 11, 20),  # a tenancy's review enters the 90-day window on 11-25
    dt.date(2021, 12, 22),  # a review and a designation leave it on 12-26; then a new year
])
def test_the_next_days_saved_are_what_the_tab_shows_on_each_of_them(qtbot, desk, clock, day,
                                                                    ahead_at_once):
    from db.session import open_database

    on_the_clock(desk)
    clock.day = day
    seen = close_after_the_next_days(qtbot, open_database(desk))
    saved = read_saved()
    assert [a["today"] for a in saved["ahead"]] == [d.isoformat() for d in days_after(day)]
    from_saved = []
    for d in [day, *days_after(day)]:
        clock.day = d
        from_saved.append(shown_saved(qtbot, desk))
    assert from_saved[0] == {k: v for k, v in seen.items() if k != "title"}

    real = shown_real(qtbot, open_database(desk), [day, *days_after(day)], clock)
    assert from_saved == real
    # the days differ as the test means them to: an item comes or goes, the year turns
    due_lists = [tuple(s["due"]) for s in real]
    titles = [{row[1:3] for row in s["due"]} for s in real]
    assert len(set(due_lists)) == len(real)  # D-n moves every day
    assert any(titles[k] != titles[k - 1] for k in range(1, len(titles)))  # one comes or goes
    if day.month == 12:
        assert real[0]["figures"] != real[-1]["figures"]  # 2022 to date beside 2021
        assert real[-1]["bars"][-1][3] == "2022년*" and real[0]["bars"][-1][3] == "2021년*"


@pytest.fixture()
def sealed_ahead(qtbot, desk, clock, ahead_at_once):
    """A desk on the clock, closed on 2021-11-16 after reading the next days' figures."""
    from db.session import open_database

    on_the_clock(desk)
    clock.day = dt.date(2021, 11, 16)
    return desk, close_after_the_next_days(qtbot, open_database(desk))


def test_a_day_not_saved_goes_the_usual_way(qtbot, sealed_ahead, clock):
    path, _seen = sealed_ahead
    for day in (dt.date(2021, 11, 15), dt.date(2021, 11, 16) + dt.timedelta(AHEAD_DAYS + 1)):
        clock.day = day
        assert dashboard_screen.load(path, 0) is None
    clock.day = dt.date(2021, 11, 16) + dt.timedelta(AHEAD_DAYS)
    assert dashboard_screen.load(path, 0)[0].today == clock.day


def test_every_changed_input_stops_the_next_days_figures(qtbot, sealed_ahead, clock,
                                                         monkeypatch):
    path, _seen = sealed_ahead
    clock.day = dt.date(2021, 11, 19)
    assert dashboard_screen.load(path, 0)[0].today == clock.day
    for change in (lambda s: s["settings"].update(warn_days="30"),  # another setting
                   lambda s: s.update(revision="0001"),  # another schema revision
                   lambda s: s.update(fixed_today="2021-11-16"),  # a 기준일: that day's
                   lambda s: s["ahead"][2].update(today="2021-11-20")):  # no 11-19 saved
        before = saved_file().read_text(encoding="utf-8")
        rewrite(change)
        found = dashboard_screen.load(path, 0)
        assert found is None or found[0].today != clock.day
        saved_file().write_text(before, encoding="utf-8")
    for damage in (lambda s: s["ahead"][2]["figures"][0].__setitem__(3, "많음"),
                   lambda s: s["ahead"][2]["due"][0].__setitem__(4, 999)):
        before = saved_file().read_text(encoding="utf-8")
        saved_file().write_text(edited(before, damage), encoding="utf-8")  # old digest
        assert dashboard_screen.load(path, 0) is None
        rewrite(damage)  # a fresh digest: the value's type, its days left, still tell
        assert dashboard_screen.load(path, 0) is None
        saved_file().write_text(before, encoding="utf-8")
    assert_another_build_and_program_stop_them(path, monkeypatch)


def test_a_start_the_next_day_shows_that_days_figures_then_reads_the_same(qtbot, sealed_ahead,
                                                                          clock):
    path, _seen = sealed_ahead
    clock.day = dt.date(2021, 11, 17)
    expected = shown_saved(qtbot, path)
    assert expected["status"].startswith("2021. 11. 17. 기준")
    window, startup = start(qtbot, path)
    dash = startup.dashboard
    assert dash is not None and dash.shows_saved and "ready" not in startup.marks
    qtbot.waitUntil(lambda: dash.data.bars and dash._chart_view is not None, timeout=5000)
    assert shown(dash) == expected
    qtbot.waitUntil(lambda: "real_data" in startup.marks, timeout=30_000)
    qtbot.waitUntil(lambda: dash.complete, timeout=30_000)
    assert dash.database is startup.database and shown(dash) == expected
    qtbot.waitUntil(lambda: len(dash.proven_ahead()) == AHEAD_DAYS, timeout=30_000)
    finish(qtbot, window, startup)
    clock.day = dt.date(2021, 11, 17) + dt.timedelta(AHEAD_DAYS)  # saved again from 11-17 on
    assert dashboard_screen.load(path, 0)[0].today == clock.day


def test_a_fixed_day_saves_no_next_days(qtbot, sealed):
    _path, _seen = sealed
    assert read_saved()["ahead"] == []


def test_the_next_days_are_read_only_while_the_tab_is_on_screen(qtbot, desk, clock,
                                                                ahead_at_once):
    from db.session import open_database
    from gui.workers import wait_all

    on_the_clock(desk)
    clock.day = dt.date(2021, 11, 16)
    database = open_database(desk)
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    dash.loaded.connect(lambda: window.tabs.setCurrentIndex(1))  # away before they start
    qtbot.waitUntil(lambda: dash.complete and not dash.busy(), timeout=30_000)
    wait_all()
    qtbot.wait(50)
    assert dash.proven_data() is not None and dash.proven_ahead() == []  # owed
    dash.loaded.disconnect()
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(dash.proven_ahead()) == AHEAD_DAYS, timeout=30_000)
    assert [d.today for d in dash.ahead] == days_after(clock.day)
    window.close()
    database.close()


def test_the_next_days_are_read_once_the_desk_has_rested_on_the_tab(qtbot, desk, clock,
                                                                   monkeypatch):
    """Not at once after the day's figures: after AHEAD_AFTER_MS on 현황; a desk closed
    before then reads none and saves none."""
    from db.session import open_database
    from gui import dashboard
    from gui.workers import wait_all

    on_the_clock(desk)
    clock.day = dt.date(2021, 11, 16)
    monkeypatch.setattr(dashboard, "AHEAD_AFTER_MS", 300)
    database = open_database(desk)
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: dash.complete and not dash.is_loading(), timeout=30_000)
    assert dash.busy() and dash.ahead == []  # owed: the desk has not rested on it yet
    qtbot.waitUntil(lambda: len(dash.proven_ahead()) == AHEAD_DAYS, timeout=30_000)
    window.close()
    database.close()
    window.seal_screens()
    assert len(read_saved()["ahead"]) == AHEAD_DAYS

    monkeypatch.setattr(dashboard, "AHEAD_AFTER_MS", 60_000)  # longer than this test
    database = open_database(desk)
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: dash.complete and not dash.is_loading(), timeout=30_000)
    window.close()  # before the desk has rested on 현황
    database.close()
    window.seal_screens()
    wait_all()
    assert dash.ahead == [] and not dash.busy()
    assert read_saved()["ahead"] == [] and read_saved()["data"]["due"]  # the day's, saved


def test_a_refresh_stops_the_next_days_read_it_replaces(qtbot, desk, clock, ahead_at_once,
                                                        monkeypatch):
    """A write while the next days are read: that read stops (its figures would be thrown
    away), the day is read again at once, then its next days."""
    import time

    from db.session import open_database
    from gui import dashboard

    real, calls = dashboard.load_ahead, []

    def first_one_slow(database, data, cancelled=lambda: False, progress=None):
        calls.append(data.today)
        deadline = time.monotonic() + 20
        while len(calls) == 1 and not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        return real(database, data, cancelled, progress)

    monkeypatch.setattr(dashboard, "load_ahead", first_one_slow)
    on_the_clock(desk)
    clock.day = dt.date(2021, 11, 16)
    database = open_database(desk)
    window = make_window(qtbot, database)
    dash = window.tabs.widget(0)
    qtbot.waitUntil(lambda: bool(calls), timeout=30_000)
    dash.refresh()
    qtbot.waitUntil(lambda: len(dash.proven_ahead()) == AHEAD_DAYS, timeout=5_000)
    assert len(calls) == 2
    window.close()
    database.close()
