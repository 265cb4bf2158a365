"""Names of records other records point to (enterprises, spaces, cohorts), cached per database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from db import naming

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
    """Cached option lists per model; dropped when a records_changed touches the table."""

    changed = Signal(str)  # table name whose options changed

    def __init__(self, database: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._cache: dict[type[Base], list[tuple[int, str]]] = {}
        self._models: dict[type[Base], OptionsModel] = {}

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
        for model in list(self._cache):
            table = str(model.__tablename__)
            if tables & naming.title_reads(model):
                del self._cache[model]
                if model in self._models:
                    self._models[model].set_options(self.options(model))
                self.changed.emit(table)
