"""Results of worker threads reach GUI-thread objects by key, never through a reference.

A worker thread must never hold the last reference to a QObject, nor touch one: when a
job's closure held the last reference to a list model, the model's C++ destructor ran on
the list thread while the GUI thread was delivering that model's queued signal (the
suite's segfault of 19:43: gdb showed `QObject::~QObject` under `partial_dealloc` on
"dure-lists" and `SignalManager::qt_metacall` on a NULL wrapper on the GUI thread).

So a job carries plain data and a `sender(slot)`: a callable any thread may call, keep and
drop. It hands its arguments to one long-lived Relay, a QObject of the GUI thread that is
never destroyed; its queued signal brings them to the GUI thread, where the slot's object
is looked up by key (weakly) and called. Results for an object gone meanwhile are dropped.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from shiboken6 import isValid


class Relay(QObject):
    """Carries (key, arguments) from any thread to the slot registered under key."""

    carried = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self._slots: dict[int, weakref.WeakMethod] = {}
        self._keys = itertools.count(1)
        self._lock = threading.Lock()  # no emit in progress while the application ends
        self._closed = False
        self.carried.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def register(self, slot: Callable[..., Any]) -> int:
        """A key for `slot`, a bound method of a GUI-thread QObject (held weakly)."""
        key = next(self._keys)
        self._slots[key] = weakref.WeakMethod(slot, lambda _ref: self._slots.pop(key, None))
        return key

    def send(self, key: int, *args: Any) -> None:
        """From any thread: call the slot registered under `key` with `args`, on the GUI
        thread, if its object still exists then."""
        with self._lock:
            if not self._closed:
                self.carried.emit(key, args)

    def close(self) -> None:
        """Carry nothing more (the application is ending: its event loop is going away)."""
        with self._lock:
            self._closed = True

    def _deliver(self, key: int, args: tuple) -> None:
        ref = self._slots.get(key)
        slot = ref() if ref is not None else None
        if slot is not None and isValid(slot.__self__):  # (a parent may have deleted it)
            slot(*args)


_RELAY: list[Relay] = []
_MADE = threading.Lock()


def relay() -> Relay:
    """The one Relay, made on first use and living in the application's (GUI) thread."""
    with _MADE:
        if not _RELAY:
            made = Relay()
            app = QCoreApplication.instance()
            if app is not None and made.thread() is not app.thread():
                made.moveToThread(app.thread())  # made during an import on another thread
            atexit.register(made.close)  # before PySide's own exit handler destroys the app
            _RELAY.append(made)
        return _RELAY[0]


def sender(slot: Callable[..., Any]) -> Callable[..., None]:
    """A plain callable for worker threads: `sender(obj.method)(*args)` runs `obj.method(*args)`
    on the GUI thread, or nothing if `obj` is gone by then. It holds no reference to `obj`."""
    carrier = relay()
    return partial(carrier.send, carrier.register(slot))
