"""Qt bridge of the change bus (db/changes.py): `records_changed(frozenset[str])` with the touched
tables for every screen, and `changed(Change)` with the whole typed change set (operation, ids,
initiator) for a screen that must know who made it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from db.changes import Change, changes


class ChangeBridge(QObject):
    """Re-emits every change set the write path announces as Qt signals."""

    records_changed = Signal(frozenset)
    changed = Signal(object)  # db.changes.Change

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = changes
        self._bus.subscribe(self._on_change)

    def _on_change(self, change: Change) -> None:
        self.changed.emit(change)
        self.records_changed.emit(frozenset(change.tables))

    def close(self) -> None:
        """Stop listening (a window that closes must not be called by later writes)."""
        self._bus.unsubscribe(self._on_change)


_bridge: ChangeBridge | None = None


def bridge() -> ChangeBridge:
    """The application's one bridge (created on first use, after SQLAlchemy is loaded)."""
    global _bridge
    if _bridge is None:
        _bridge = ChangeBridge()
    return _bridge


def records_changed() -> Any:
    """The signal itself, for screens that only listen: `records_changed().connect(slot)`."""
    return bridge().records_changed
