"""Names of records other records point to (enterprises, spaces, cohorts), cached per database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from db import naming
from gui.relay import sender
from gui.widgets.table_model import OPTIONS_JOB, background, database_open

if TYPE_CHECKING:
    from db.models.base import Base

_ROOT = QModelIndex()


def record_options(database: Any, model: type[Base]) -> list[tuple[int, str]]:
    """(id, title) of every record of `model`, in picker order (db/naming.py)."""
    with database.session() as s:
        return naming.options(s, model)


class OptionsModel(QAbstractListModel):
    """(id, title) options as a list model shared by every picker of one entity.

    One model for all enterprise pickers: a record with 17 participant rows does not fill
    17 combo boxes with 3,000 names each.
    """

    def __init__(self, options: list[tuple[int, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._take(options)

    def _take(self, options: list[tuple[int, str]]) -> None:
        self._rows: list[tuple[int | None, str]] = [(None, ""), *options]
        self._row_of = {ident: i for i, (ident, _t) in enumerate(self._rows)}

    def set_options(self, options: list[tuple[int, str]]) -> None:
        self.beginResetModel()
        self._take(options)
        self.endResetModel()

    def row_of(self, ident: int | None) -> int:
        """The row of a record id (-1 when unknown); a dict, not a scan of 3,000 rows."""
        return self._row_of.get(ident, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        ident, title = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return title
        if role == Qt.ItemDataRole.UserRole:
            return ident
        return None


class Lookups(QObject):
    """Cached option lists per model; dropped when a records_changed touches the table, and
    the shared list models of the pickers (OrgPicker, RecordEditor) read again."""

    def __init__(self, database: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._cache: dict[type[Base], list[tuple[int, str]]] = {}
        self._models: dict[type[Base], OptionsModel] = {}
        self._generation = 0  # bumped by every invalidate: an older read ahead is not kept
        self._reading: dict[type[Base], int] = {}  # read ahead, not yet delivered: generation

    def read_ahead(self, model: type[Base]) -> None:
        """Read `model`'s options on the list thread, so that the first form with a picker
        of them finds them read (gui/widgets/table_model.py's thread, after the rest of the
        list on screen).

        The enterprises are the one list that grows with the office: 30,000 at 1,000,000
        records, read in 45 ms alone but 250-450 ms on the window's thread while the list
        thread reads a search index (each row's fetch waits for Python's lock). That was
        most of the 700 ms a first 컨설팅 tab took to open. A form shown before the read
        ends reads them itself, as before; a write meanwhile drops the read (`invalidate`).
        Every tab shown asks again: a list held, or on its way, is not read twice.

        Only the enterprises are read ahead: reading the startup teams and spaces too (2,000
        and 1,500 at 1M) made a first 컨설팅 tab opened later 129-138 ms against 145-155,
        but one opened while they were read 270-373 ms against 177-258 (three runs each;
        the two threads take turns with Python's lock).
        """
        if model in self._cache or self._reading.get(model) == self._generation:
            return  # held, or being read (every tab shown asks again)
        database, generation = self.database, self._generation
        self._reading[model] = generation
        deliver = sender(self._read_ahead)

        def job() -> None:  # plain data only (gui/relay.py): never this QObject
            options = None  # not read (closed meanwhile, or the read failed): asked again
            try:
                if database_open(database):
                    options = record_options(database, model)
            finally:
                deliver(model, generation, options)
        background(OPTIONS_JOB, job)

    def _read_ahead(self, model: type[Base], generation: int,
                    options: list[tuple[int, str]] | None) -> None:
        if self._reading.get(model) == generation:
            del self._reading[model]
        if options is not None and generation == self._generation and model not in self._cache:
            self._cache[model] = options

    def options(self, model: type[Base]) -> list[tuple[int, str]]:
        if model not in self._cache:
            self._cache[model] = record_options(self.database, model)
        return self._cache[model]

    def options_model(self, model: type[Base]) -> OptionsModel:
        """The shared list model of `model`'s options (kept current on changes)."""
        if model not in self._models:
            self._models[model] = OptionsModel(self.options(model), self)
        return self._models[model]

    def invalidate(self, tables: frozenset[str]) -> None:
        self._generation += 1
        for model in list(self._cache):
            if tables & naming.title_reads(model):
                del self._cache[model]
                if model in self._models:
                    self._models[model].set_options(self.options(model))
