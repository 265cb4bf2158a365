"""Names of records other records point to (enterprises, spaces, cohorts), cached per database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from db import models as m
from gui.forms.spec import title_key


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


class Lookups(QObject):
    """Cached option lists per model; dropped when a records_changed touches the table."""

    changed = Signal(str)  # table name whose options changed

    def __init__(self, database: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._cache: dict[type, list[tuple[int, str]]] = {}

    def options(self, model: type) -> list[tuple[int, str]]:
        if model not in self._cache:
            self._cache[model] = record_options(self.database, model)
        return self._cache[model]

    def invalidate(self, tables: frozenset[str]) -> None:
        for model in list(self._cache):
            table = sa_inspect(model).local_table.name
            # a round's title shows its cohort's year, a grant's its enterprise's name
            related = {table, "organization", "startup_cohort", "space"}
            if tables & related:
                del self._cache[model]
                self.changed.emit(table)
