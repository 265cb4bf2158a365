"""Qt bridge of db.service.changes: one `records_changed(frozenset[str])` signal for every screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class ChangeBridge(QObject):
    """Re-emits every write announced by db.service as a Qt signal with the touched table names."""

    records_changed = Signal(frozenset)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from db import service

        self._bus = service.changes
        self._bus.subscribe(self._on_change)

    def _on_change(self, change: Any) -> None:
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
