"""The change bus: every committed write announces one typed change set (Anki's OpChanges).

A leaf module (no SQLAlchemy, no Qt, nothing of Dure's): writers publish through db/service.py
(`service.write`), screens subscribe here (the GUI bridges it to `records_changed`, gui/signals.py)
and decide from the change set whether to refresh; the screen that made a change finds itself
as its `initiator` and need not reload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Op(StrEnum):
    """What kind of write a change set comes from (the values are stable text)."""

    SAVE = "save"  # a form's record with its sub-table rows
    DELETE = "delete"  # a record to the trash
    RESTORE = "restore"  # a trash item back
    EMPTY_TRASH = "empty_trash"  # trash items deleted for good
    REVERT = "revert"  # one change of the history undone
    IMPORT = "import"  # rows of an Excel workbook
    DEMO = "demo"  # the demo records
    SETTINGS = "settings"  # the office settings
    REMOTE = "remote"  # another desk's write, announced by the server (db/office/notify.py)


RecordId = int | str  # a record's primary key (settings are keyed by text)


@dataclass(frozen=True)
class Change:
    """What one committed write touched: tables, the records it was about, the operation, who.

    `tables` holds every table the write inserted, updated or deleted rows in (collected from
    the session's flushes, so a writer cannot forget one); `ids` the primary keys of the records
    the write was about (the saved record, the trashed one, the reverted change); `initiator`
    the object that asked for it (a form passes itself; None for headless commands).
    """

    tables: frozenset[str]
    op: Op
    ids: tuple[RecordId, ...] = ()
    initiator: object | None = None

    def touches(self, tables: frozenset[str] | set[str]) -> bool:
        return not self.tables.isdisjoint(tables)


Listener = Callable[[Change], None]


@dataclass
class ChangeBus:
    """A plain observer list; listeners run in the writer's thread, after the commit."""

    listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, fn: Listener) -> None:
        self.listeners.append(fn)

    def unsubscribe(self, fn: Listener) -> None:
        if fn in self.listeners:
            self.listeners.remove(fn)

    def publish(self, change: Change) -> None:
        for fn in list(self.listeners):
            fn(change)


changes = ChangeBus()
