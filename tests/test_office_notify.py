"""Live refresh: a save on desk A reaches desk B's change bus through LISTEN/NOTIFY."""

from __future__ import annotations

import queue

import pytest
from sqlalchemy import text

from db import models as m
from db import service
from db.changes import ChangeBus
from db.office import notify
from db.session import open_database
from tests.pg_server import fresh_database


@pytest.fixture
def two_desks(pg_admin_url):
    url = fresh_database(pg_admin_url)
    a, b = open_database(url), open_database(url)
    yield a, b
    a.close()
    b.close()


def listen(database, got):
    bus = ChangeBus()
    bus.subscribe(got.put)
    listener = notify.Listener(database.url, bus.publish, skip_own=False).start()
    assert listener.listening.wait(10)
    return listener


def test_a_save_on_desk_a_reaches_desk_b_change_bus(two_desks):
    a, b = two_desks
    got: queue.Queue = queue.Queue()
    listener = listen(b, got)
    try:
        saved = service.save(a, m.Organization(name="알림기업"))
        change = got.get(timeout=2)  # within a second or two of the commit
        assert "organization" in change.tables and saved.id in change.ids
        assert change.op == "remote"
        service.delete(a, m.Organization, saved.id)
        tables = set(got.get(timeout=2).tables)
        while not {"organization", "trash_item"} <= tables:  # one per flush of the transaction
            tables |= got.get(timeout=2).tables
        assert {"organization", "trash_item"} <= tables
    finally:
        listener.stop()


def test_a_rolled_back_write_announces_nothing(two_desks):
    a, b = two_desks
    got: queue.Queue = queue.Queue()
    listener = listen(b, got)
    try:
        with a.session() as s:
            s.add(m.Organization(name="취소될 기업"))
            s.flush()
            s.rollback()
        with pytest.raises(queue.Empty):
            got.get(timeout=1)
    finally:
        listener.stop()


def test_own_announcements_are_not_echoed(two_desks):
    a, _b = two_desks
    got: queue.Queue = queue.Queue()
    bus = ChangeBus()
    bus.subscribe(got.put)
    listener = notify.Listener(a.url, bus.publish).start()  # skip_own: this process wrote
    assert listener.listening.wait(10)
    try:
        service.save(a, m.Organization(name="내가 쓴 기업"))
        with a.engine.begin() as conn:  # another process's announcement gets through
            conn.execute(text("SELECT pg_notify(:c, :p)"),
                         {"c": notify.CHANNEL, "p": '{"o": "other", "t": ["space"], "i": [7]}'})
        change = got.get(timeout=2)
        assert change.tables == frozenset({"space"}) and change.ids == (7,)
        assert got.empty()
    finally:
        listener.stop()


def test_desk_b_window_refreshes_its_list_and_keeps_an_edited_form(qtbot, two_desks):
    from tests.gui_helpers import area_page, make_window, type_into

    a, b = two_desks
    first = service.save(a, m.Organization(name="첫 기업")).id
    window = make_window(qtbot, b)
    page = area_page(window, "organization")
    assert page.model.rowCount() == 1
    assert window._live_refresh.listener.listening.wait(10)
    service.save(a, m.Organization(name="옆 책상 새 기업"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=3000)  # no click on B
    # B edits the first record; A saves it meanwhile: B's form keeps the edit and says so
    assert page.select_record(first)
    type_into(qtbot, page.form.editors["note"], "B가 고치는 중")
    assert page.form.dirty
    service.save(a, m.Organization(id=first, name="첫 기업", phone="02-000-0000"))
    qtbot.waitUntil(page.form.elsewhere.isVisible, timeout=3000)
    assert "다른 책상" in page.form.elsewhere.text()
    assert page.form.editors["note"].value() == "B가 고치는 중"
    assert page.form.save() == first  # different fields: merged
    with a.session() as s:
        row = s.get(m.Organization, first)
        assert (row.note, row.phone) == ("B가 고치는 중", "02-000-0000")
    assert not page.form.elsewhere.isVisible()
