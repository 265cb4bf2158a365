"""Cycles are freed on the window's thread, never by a worker's collection (gui/collector.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from gui import collector


class Finalized:
    """An object in a cycle (itself) whose finaliser notes the thread that freed it."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


KEPT: list[list[list]] = []


def churn() -> None:
    """A worker's allocations, kept: far past every generation's threshold (a count of
    objects made less those freed)."""
    KEPT.append([[] for _ in range(60_000)])


def test_a_workers_allocations_free_no_cycle_the_windows_thread_then_does(qtbot):
    seen: list[str] = []
    main = threading.current_thread().name
    assert not gc.isenabled()  # the GUI test's collector is on (tests/conftest.py)
    Finalized(seen)  # unreachable at once: only a collection of cycles frees it
    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    assert seen == []  # the worker's 60,000 objects started no collection on its thread
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [main]
    KEPT.clear()


def test_a_test_without_qt_keeps_pythons_own_collection():
    """No collector outside the GUI tests (none left on by one before): Python's own
    collector runs, on the thread that allocates: what the collector keeps off workers."""
    assert gc.isenabled()
    gc.collect()
    seen: list[str] = []
    Finalized(seen)
    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    KEPT.clear()
    assert seen == ["worker"]


def test_install_is_once_per_application_and_stop_restores_collection(qapp):
    first = collector.install(qapp)
    assert collector.install(qapp) is first and not gc.isenabled()
    first.stop(collect_all=False)
    assert gc.isenabled()
    second = collector.install(qapp)  # the stopped one is no longer the application's
    assert second is not first and not gc.isenabled()
    seen: list[str] = []
    Finalized(seen)
    before = second.collections
    second.stop()  # the desk closed: every cycle freed here
    assert seen == [threading.current_thread().name] and second.collections == before + 1
    assert gc.isenabled()
    collector.install(qapp)  # the conftest fixture stops the application's at teardown
    assert not gc.isenabled()


def test_a_collector_made_while_collection_is_off_leaves_it_off(qapp):
    collector.install(qapp).stop(collect_all=False)
    gc.disable()
    try:
        inner = collector.WindowThreadCollector()
        inner.stop(collect_all=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
    collector.install(qapp)


@pytest.mark.parametrize(("counts", "thresholds", "due"), [
    ((700, 0, 0), (700, 10, 10), None),  # at the threshold: not yet (Python: more than)
    ((701, 0, 0), (700, 10, 10), 0),
    ((701, 10, 0), (700, 10, 10), 0),
    ((701, 11, 0), (700, 10, 10), 1),
    ((0, 11, 0), (700, 10, 10), 1),  # an older generation is due by its own count
    ((701, 11, 11), (700, 10, 10), 2),
    ((0, 0, 11), (700, 10, 10), 2),
    ((0, 0, 10), (700, 10, 10), None),
    ((5000, 50, 50), (0, 10, 10), None),  # threshold 0: collection turned off
    ((5000, 50, 50), (), None),
    ((5000, 50, 50), (700,), 0),  # fewer thresholds than generations
    ((5000, 50, 50), (700, 10), 1),
])
def test_the_due_generation_is_pythons_own(counts, thresholds, due):
    assert collector.due_generation(counts, thresholds) == due


def test_a_tick_collects_the_due_generation_only(qapp):
    collecting = collector.install(qapp)
    gc.collect()
    assert collecting.collect_due() is None  # nothing new since the full collection
    keep = [[] for _ in range(gc.get_threshold()[0] + 10)]
    before = collecting.collections
    assert collecting.collect_due() == 0
    assert collecting.collections == before + 1 and gc.get_count()[0] < 10
    del keep
