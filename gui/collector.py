"""Python's cyclic garbage collector, run on the window's thread only.

CPython runs a collection in whichever thread crosses the allocation threshold. In the desk
that is mostly not the window's thread: at a start on 1,000,000 records the list thread
("dure-lists") ran 805 collections and the font thread 119, against 35 on the window's
thread (docs/facts.md, session fourteen). A collection frees every unreachable cycle, and the
GUI tests left Qt objects in cycles by the thousand (windows, list models, timers, labels: a
page replaced, a dialog closed). A Qt object freed that way has its C++ destructor run on the
thread that happened to collect: off the window's thread, a segfault or "timers cannot be
stopped from another thread" (the SIGSEGV of a 1,000,000-record start in bench_gui.py).

So the desk turns automatic collection off and a timer of the window's thread runs the
collection Python would have run, by the same thresholds (`gc.get_threshold`) and counts
(`gc.get_count`): the youngest generation when it holds more new objects than its
threshold, an older one when enough younger collections have passed. Reference counting
still frees everything else at once, on any thread; only cycles wait, at most one tick.
The same pattern is calibre's and pyqtgraph's (and novelWriter's, for its thread pool).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 500  # how often the window's thread runs the collection that is due


def due_generation(counts: tuple[int, int, int], thresholds: tuple[int, ...]) -> int | None:
    """The generation Python's own collector would collect now (None: none is due).

    Python collects the oldest generation whose count exceeds its threshold: generation 0
    counts objects made minus freed, generation 1 the collections of generation 0 since its
    own, generation 2 those of generation 1. A threshold of 0 turns collection off.
    """
    if not thresholds or thresholds[0] == 0:
        return None
    for generation in (2, 1, 0):
        if generation < len(thresholds) and counts[generation] > thresholds[generation]:
            return generation
    return None


class WindowThreadCollector(QObject):
    """While it lives, cycles are collected on the thread it was made on (the window's)."""

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.collections = 0  # how many it ran (the tests read it)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int | None:
        """Run the collection that is due here and now; the generation collected, or None."""
        generation = due_generation(gc.get_count(), gc.get_threshold())
        if generation is not None:
            gc.collect(generation)
            self.collections += 1
        return generation

    def stop(self, collect_all: bool = True) -> None:
        """Collection back to what it was; first every cycle there is freed here (the window
        closed: its last Qt objects in cycles are not left for another thread's collection),
        or with `collect_all` False only the collection that is due. `install` then makes a
        new one."""
        self._timer.stop()
        self.setParent(None)
        if collect_all:
            gc.collect()
            self.collections += 1
        else:
            self.collect_due()
        if self._was_enabled:
            gc.enable()


def install(app: QObject) -> WindowThreadCollector:
    """The collector for `app`'s thread, made once (the application owns it)."""
    found = app.findChild(WindowThreadCollector)
    if isinstance(found, WindowThreadCollector):
        return found
    return WindowThreadCollector(app)
