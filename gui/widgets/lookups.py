"""Names of records other records point to (enterprises, spaces, cohorts), cached per database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from db import models as m
from gui.forms.spec import title_key

_ROOT = QModelIndex()


def _round_options(s: Any) -> list[tuple[int, str]]:
    rows = s.execute(
        select(m.StartupRound.id, m.StartupCohort.year, m.StartupRound.round_no,
               m.StartupRound.kind)
        .join(m.StartupCohort, m.StartupRound.cohort_id == m.StartupCohort.id)
        .order_by(m.StartupCohort.year.desc(), m.StartupRound.round_no))
    return [(i, f"{y}년 {n}차 ({k})") for i, y, n, k in rows]


def _team_options(s: Any) -> list[tuple[int, str]]:
    rows = s.execute(
        select(m.StartupTeam.id, m.StartupCohort.year, m.StartupTeam.name)
        .join(m.StartupCohort, m.StartupTeam.cohort_id == m.StartupCohort.id)
        .order_by(m.StartupCohort.year.desc(), m.StartupTeam.name))
    return [(i, f"{name} ({y}년)") for i, y, name in rows]


def _space_options(s: Any) -> list[tuple[int, str]]:
    rows = s.execute(select(m.Space.id, m.Space.provider, m.Space.site)
                     .order_by(m.Space.provider, m.Space.sort_order, m.Space.site))
    return [(i, f"{site} ({provider})") for i, provider, site in rows]


def _grant_options(s: Any) -> list[tuple[int, str]]:
    rows = s.execute(
        select(m.FinanceGrant.id, m.FinanceGrant.year, m.FinanceGrant.program,
               m.Organization.name)
        .join(m.Organization, m.FinanceGrant.organization_id == m.Organization.id)
        .order_by(m.FinanceGrant.year.desc(), m.Organization.name))
    return [(i, f"{y}년 {p} · {name}") for i, y, p, name in rows]


def _tenancy_options(s: Any) -> list[tuple[int, str]]:
    rows = s.execute(
        select(m.Tenancy.id, m.Space.site, m.Organization.name)
        .join(m.Space, m.Tenancy.space_id == m.Space.id)
        .join(m.Organization, m.Tenancy.organization_id == m.Organization.id)
        .order_by(m.Space.site, m.Organization.name))
    return [(i, f"{site} · {name}") for i, site, name in rows]


SPECIAL = {
    m.StartupRound: _round_options, m.StartupTeam: _team_options, m.Space: _space_options,
    m.FinanceGrant: _grant_options, m.Tenancy: _tenancy_options,
}
# the other tables a special title reads (a round's title shows its cohort's year, a grant's its
# enterprise's name): a change there stales the options too, a change anywhere else does not
READS = {
    m.StartupRound: {"startup_cohort"}, m.StartupTeam: {"startup_cohort"},
    m.FinanceGrant: {"organization"}, m.Tenancy: {"space", "organization"},
}


def record_options(database: Any, model: type) -> list[tuple[int, str]]:
    """(id, title) of every record of `model`, in a useful order, for a picker."""
    with database.session() as s:
        if model in SPECIAL:
            return SPECIAL[model](s)
        key = title_key(model)
        col = getattr(model, key)
        desc = key == "year"
        stmt = select(model.id, col).order_by(col.desc() if desc else col)
        return [(i, f"{t}년" if key == "year" else str(t)) for i, t in s.execute(stmt)]


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
        self._cache: dict[type, list[tuple[int, str]]] = {}
        self._models: dict[type, OptionsModel] = {}

    def options(self, model: type) -> list[tuple[int, str]]:
        if model not in self._cache:
            self._cache[model] = record_options(self.database, model)
        return self._cache[model]

    def options_model(self, model: type) -> OptionsModel:
        """The shared list model of `model`'s options (kept current on changes)."""
        if model not in self._models:
            self._models[model] = OptionsModel(self.options(model), self)
        return self._models[model]

    def invalidate(self, tables: frozenset[str]) -> None:
        for model in list(self._cache):
            table = sa_inspect(model).local_table.name
            if table in tables or tables & READS.get(model, set()):
                del self._cache[model]
                if model in self._models:
                    self._models[model].set_options(self.options(model))
                self.changed.emit(table)
