"""Live refresh on a shared server: another desk's saves reach this desk's change bus.

`attach(window, database)` starts a db.office.notify.Listener for a PostgreSQL database (and
stops the one a previous database had). Announcements arrive on the listener's thread; the
relay (gui/relay.py) brings them to the GUI thread, where they are gathered for 100 ms (a delete
announces the record and the trash item in two flushes) and published on db.service.changes,
so lists and the dashboard refresh as after a save on this desk. SQLite: nothing to do.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from db.changes import Change, Op, changes
from db.office.notify import Listener
from gui.relay import sender

GATHER_MS = 100


class LiveRefresh(QObject):
    def __init__(self, database: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)

        self._tables: set[str] = set()
        self._ids: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._publish)
        # The listener's thread gets a plain sender, not this object's signal: a listener
        # that outlives stop() (its join timed out mid-connect) could otherwise emit on this
        # object while the GUI thread deletes it (a RuntimeError on that thread, or a crash).
        self.listener = Listener(database.url, sender(self._gather)).start()

    def _gather(self, change: Any) -> None:
        self._tables |= change.tables
        self._ids.update(change.ids)
        self._timer.start()

    def _publish(self) -> None:
        tables, ids = frozenset(self._tables), tuple(sorted(self._ids))
        self._tables.clear()
        self._ids.clear()
        if tables:
            changes.publish(Change(tables, Op.REMOTE, ids))

    def stop(self) -> None:
        self.listener.stop()


def attach(owner: QObject, database: Any) -> LiveRefresh | None:
    """Listen for `database` on behalf of `owner` (replacing what it listened to before)."""
    old = getattr(owner, "_live_refresh", None)
    if old is not None:
        old.stop()
        old.deleteLater()
    live = None
    engine = getattr(database, "engine", None)
    if engine is not None and engine.dialect.name == "postgresql":
        live = LiveRefresh(database, owner)
        listener = live.listener
        owner.destroyed.connect(lambda *_: listener.stop())
    owner._live_refresh = live  # type: ignore[attr-defined]
    return live
