"""The list thread never holds a list model, nor reads a closed database.

A job's closure once held the last reference to an unparented RecordTableModel: dropping it
ran the model's C++ destructor on "dure-lists" while the GUI thread delivered the model's
queued result (the whole suite's segfault of 19:43 in tests/test_list_memory.py; gdb showed
QObject::~QObject under partial_dealloc on the list thread). These tests keep the list thread
busy (or a read running) at a chosen moment, drop the model and look where it is destroyed.
Each is safe even when the defect is back: a model a job still holds is kept by the test and
dropped on the GUI thread once the thread is idle, so a failure is reported, never a crash.
`python -m tests.stress_list_threads` recreates the race itself, hundreds of times.
"""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QCoreApplication, QObject, Qt
from shiboken6 import isValid
from sqlalchemy import event

from db import listing, service
from db import models as m
from gui import relay
from gui.forms.organization import ORGANIZATION
from gui.widgets import table_model
from gui.widgets.table_model import RecordTableModel


def _busy() -> threading.Event:
    """Keep the list thread busy until the event returned is set."""
    release, running = threading.Event(), threading.Event()

    def hold() -> None:
        running.set()
        release.wait(10)

    table_model.background(-1, hold)
    assert running.wait(10)
    return release


def _idle() -> None:
    """Wait until the list thread has run every job queued so far, then deliver results."""
    done = threading.Event()
    table_model.background(99, done.set)
    assert done.wait(10), "the list thread no longer runs jobs"
    QCoreApplication.processEvents()


def _watched(database) -> tuple[RecordTableModel, list[str]]:
    """A long list's model without a parent (as tests and a dropped page have), loaded, and
    the names of the threads its `destroyed` fires in."""
    where: list[str] = []
    model = RecordTableModel(ORGANIZATION)
    model.destroyed.connect(lambda *_: where.append(threading.current_thread().name),
                            Qt.ConnectionType.DirectConnection)
    model.load(database)
    return model, where


def test_a_model_dropped_while_its_reads_wait_is_destroyed_at_once_on_the_gui_thread(
        qtbot, demo, monkeypatch):
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    statements: list[str] = []

    def count(_conn, _cursor, sql, *_args) -> None:
        statements.append(sql)

    release = _busy()
    try:
        model, where = _watched(demo)
        model.prefetch_search()  # its search index and sort orders wait behind the busy job
        ref = weakref.ref(model)
        del model
        at_once = list(where)
        kept = ref()  # a job still holding it: dropped below, on this thread, when idle
        event.listen(demo.engine, "before_cursor_execute", count)
    finally:
        release.set()
    _idle()  # its reads are skipped (what a read still sent would find no model: dropped)
    event.remove(demo.engine, "before_cursor_execute", count)
    del kept
    assert at_once == ["MainThread"]
    assert where == ["MainThread"]
    assert statements == []  # nothing read for a model that is gone


def test_a_model_dropped_while_its_read_runs_is_destroyed_on_the_gui_thread(
        qtbot, demo, monkeypatch):
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    running, release = threading.Event(), threading.Event()
    read = listing.search_index

    def slow(*args):
        running.set()
        release.wait(10)
        return read(*args)

    monkeypatch.setattr(listing, "search_index", slow)
    model, where = _watched(demo)
    model.prefetch_search()
    try:
        assert running.wait(10)  # the index is being read on the list thread
        ref = weakref.ref(model)
        del model
        at_once = list(where)
        kept = ref()
    finally:
        release.set()
    _idle()
    del kept
    assert at_once == ["MainThread"]
    assert where == ["MainThread"]


def test_reads_queued_for_a_closed_database_do_not_run(qtbot, db, monkeypatch):
    """Closing a database (the window opening another, or quitting) while its list's reads
    wait: they are skipped, the list keeps what it shows, and the thread serves on."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    for name in ("가나협동조합", "다라사회적협동조합"):
        service.save(db, m.Organization(name=name))
    release = _busy()
    try:
        model = RecordTableModel(ORGANIZATION)
        model.load(db)
        model.prefetch_search()
        db.close()
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))
    finally:
        release.set()
    _idle()
    assert statements == []
    assert model._index is None and model._orders == {}  # nothing half-read arrived
    assert model.rowCount() == 2 and model.total_count() == 2


def test_a_result_for_a_deleted_object_is_dropped(qtbot):
    """A slot whose object C++ deleted (its parent went) while its wrapper lives on is not
    called: calling it would touch freed memory."""
    got: list[int] = []

    class Receiver(QObject):
        def take(self, value: int) -> None:
            got.append(value)

    parent = QObject()
    receiver = Receiver(parent)
    send = relay.sender(receiver.take)
    send(1)
    QCoreApplication.processEvents()
    send(2)
    del parent  # deleted (and its child with it) before the event carrying 2 is delivered
    assert not isValid(receiver)
    QCoreApplication.processEvents()
    send(3)
    QCoreApplication.processEvents()
    assert got == [1]


def test_live_refresh_news_after_its_object_is_gone_is_dropped(qtbot):
    """A listener thread still delivering after its LiveRefresh was replaced and deleted (its
    stop() timed out while connecting) neither raises on its thread nor publishes."""
    from db.changes import Change, Op, changes
    from gui.live_refresh import LiveRefresh

    class Unreachable:  # what LiveRefresh reads of a database: its URL (nothing listens)
        url = "postgresql+psycopg://dure@127.0.0.1:1/dure"

    published: list[Change] = []
    changes.subscribe(published.append)
    owner = QObject()
    live = LiveRefresh(Unreachable(), owner)
    listener = live.listener
    listener.stop()
    try:
        news = Change(frozenset({"organization"}), Op.REMOTE, (1,))
        errors: list[BaseException] = []

        def deliver() -> None:
            try:
                listener.deliver(news)
            except BaseException as exc:  # noqa: BLE001 - what the listener's thread would die of
                errors.append(exc)

        def from_thread() -> None:
            thread = threading.Thread(target=deliver)
            thread.start()
            thread.join()

        from_thread()  # while it lives: gathered, then published on the GUI thread
        qtbot.waitUntil(lambda: published == [news], timeout=2_000)
        del live, owner  # replaced: deleted with its owner
        from_thread()
        qtbot.wait(120)  # longer than its gathering
        assert errors == [] and published == [news]
    finally:
        changes.unsubscribe(published.append)


def test_a_relay_first_made_on_another_thread_delivers_on_the_gui_thread(qtbot, monkeypatch):
    """Made during an import on the start's preload thread, the relay moves to the GUI
    thread: what it carries is called there, not on a thread without an event loop."""
    monkeypatch.setattr(relay, "_RELAY", [])
    made: list[relay.Relay] = []
    thread = threading.Thread(target=lambda: made.append(relay.relay()))
    thread.start()
    thread.join()
    where: list[str] = []

    class Receiver(QObject):
        def take(self) -> None:
            where.append(threading.current_thread().name)

    receiver = Receiver()
    assert made[0].thread() is QCoreApplication.instance().thread()
    threading.Thread(target=relay.sender(receiver.take)).start()
    qtbot.waitUntil(lambda: where == ["MainThread"], timeout=2_000)


def test_a_long_lists_rest_is_read_once_the_first_screen_is_shown(qtbot, db, monkeypatch):
    """The rest of a long list's ids is queued for the thread only once the window is back in
    its event loop (its first screen painted): read beside the paint, the two took turns at
    Python's lock and the first screen of 200,000 consultings took twice as long."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    monkeypatch.setattr(table_model, "FIRST_IDS", 2)
    for i in range(5):
        service.save(db, m.Organization(name=f"기업{i}"))
    queued: list[int] = []
    submit = table_model.background
    monkeypatch.setattr(table_model, "background",
                        lambda priority, job: (queued.append(priority), submit(priority, job)))
    model = RecordTableModel(ORGANIZATION)
    model.load(db)
    assert queued == []  # nothing read on the thread yet
    assert model.rowCount() == 5 and len(model._base) == 2  # the first screen's ids only
    QCoreApplication.processEvents()
    assert queued == [table_model.BASE_JOB]
    _idle()
    assert len(model._base) == 5  # the rest arrived from the thread
    assert [model.id_at(r) for r in range(5)] == list(listing.ids(db, model.listing))


def _statements_on(database, table: str, run) -> list[str]:
    """The SELECTs of `table` that `run()` runs on this thread (the window's other workers,
    such as the contracts-due check, may read the same table at the same moment)."""
    seen: list[str] = []
    here = threading.get_ident()

    def listen(_conn, _cursor, statement, *_args) -> None:
        if threading.get_ident() != here:
            return
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            seen.append(statement)
    event.listen(database.engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(database.engine, "before_cursor_execute", listen)
    return seen


def test_the_desk_reads_the_enterprise_names_ahead_and_a_picker_uses_them(qtbot, db):
    """Opening a database queues the enterprise pickers' names for the list thread (30,000 at
    1M records took 0.25-0.45 s on the window's thread as the first 컨설팅 form was built);
    the first form with a picker then reads nothing."""
    from db import naming
    from gui.forms.consulting import CONSULTING
    from gui.widgets.org_picker import OrgPicker
    from tests.gui_helpers import make_window

    for name in ("다온", "가온", "나눔"):
        service.save(db, m.Organization(name=name))
    window = make_window(qtbot, db)
    _idle()
    _idle()  # (the read-ahead is queued on the turn after the tab is shown)
    with db.session() as s:
        expected = naming.options(s, m.Organization)
    assert window.lookups._cache.get(m.Organization) == expected
    field = next(f for f in CONSULTING.form_fields() if f.kind == "org")
    pickers: list[OrgPicker] = []
    seen = _statements_on(db, "organization",
                          lambda: pickers.append(OrgPicker(field, window.lookups)))
    (picker,) = pickers
    qtbot.addWidget(picker)
    assert seen == []
    assert [picker.combo.itemText(i) for i in range(picker.combo.count())] == \
        ["", "가온", "나눔", "다온"]


def test_names_read_ahead_before_a_write_are_not_kept(qtbot, db):
    """Names read on the thread before an enterprise is added, delivered after the write's
    invalidate, are dropped: the picker reads the names again and offers the new one."""
    from gui.widgets.lookups import Lookups

    service.save(db, m.Organization(name="가온"))
    lookups = Lookups(db)
    lookups.read_ahead(m.Organization)
    read = threading.Event()
    table_model.background(99, read.set)
    assert read.wait(10)  # read on the thread; its delivery waits in the event queue
    new = service.save(db, m.Organization(name="나눔")).id
    lookups.invalidate(frozenset({"organization"}))
    QCoreApplication.processEvents()  # the old names arrive now
    assert new in [ident for ident, _title in lookups.options(m.Organization)]


def test_a_read_ahead_for_names_already_read_queues_nothing(qtbot, db, monkeypatch):
    from gui.widgets.lookups import Lookups

    lookups = Lookups(db)
    lookups.options(m.Organization)
    queued: list[int] = []
    monkeypatch.setattr(table_model, "background", lambda priority, job: queued.append(priority))
    lookups.read_ahead(m.Organization)
    assert queued == []


def test_a_list_being_read_ahead_is_not_queued_again_until_a_write(qtbot, db, monkeypatch):
    """Every tab shown asks for the lists again: one read is queued while one is on its way;
    a write (a new generation) or a read that failed lets the next ask queue again."""
    from gui.widgets import lookups as lookups_module
    from gui.widgets.lookups import Lookups

    lookups = Lookups(db)
    release = _busy()
    try:
        queued: list[int] = []
        real = table_model.background

        def counted(priority, job):
            queued.append(priority)
            real(priority, job)
        monkeypatch.setattr(lookups_module, "background", counted)
        lookups.read_ahead(m.Space)
        lookups.read_ahead(m.Space)
        assert len(queued) == 1
        lookups.invalidate(frozenset({"tenancy"}))  # any write moves the generation on
        lookups.read_ahead(m.Space)
        assert len(queued) == 2  # the generation moved: the read on its way will be dropped
    finally:
        release.set()
    _idle()
    assert m.Space in lookups._cache
    failing = Lookups(db)

    def broken(_database, _model):
        raise RuntimeError("disk I/O error")
    monkeypatch.setattr(lookups_module, "record_options", broken)
    failing.read_ahead(m.Space)
    _idle()
    assert m.Space not in failing._cache
    failing.read_ahead(m.Space)
    assert len(queued) == 4  # asked again after the failed read

