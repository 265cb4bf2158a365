"""A program area's tab: one EntityPage per spec of `gui.forms.<area>` (inner tabs when several)."""

from __future__ import annotations

import importlib
from typing import Any, cast

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from db import registry
from gui.forms.spec import EntitySpec, children_of
from gui.widgets.entity_page import EntityPage


def watched_tables(spec: EntitySpec) -> frozenset[str]:
    """Tables whose changes alter what the page shows (its own, children, names it lists)."""

    tables = {spec.table}
    for child in spec.children:
        tables.add(str(children_of(spec.model, child.relation).__tablename__))
    for f in spec.list_fields():
        if f.target is not None:
            tables.add(str(f.target.__tablename__))
    return frozenset(tables)


class AreaTab(QWidget):
    """The pages of one program area, built from its specs."""

    count_changed = Signal()

    def __init__(self, area: str, database: Any, lookups: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        module = importlib.import_module(registry.area(area).forms)
        self.specs: tuple[EntitySpec, ...] = module.SPECS
        self.pages = [EntityPage(s, database, lookups, self) for s in self.specs]
        self._watched = [watched_tables(s) for s in self.specs]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.inner: QTabWidget | None = None
        if len(self.pages) == 1:
            lay.addWidget(self.pages[0])
        else:
            self.inner = QTabWidget(self)
            self.inner.setDocumentMode(True)
            for page in self.pages:
                self.inner.addTab(page, page.spec.label)
            self.inner.currentChanged.connect(self._inner_changed)
            self._inner_index = 0
            lay.addWidget(self.inner)
        for page in self.pages:
            page.count_changed.connect(self.count_changed)

    def current_page(self) -> EntityPage:
        return self.pages[self.inner.currentIndex()] if self.inner else self.pages[0]

    def ensure_loaded(self) -> None:
        self.current_page().ensure_loaded()

    def record_count(self) -> int:
        page = self.current_page()
        return page.record_count()

    def _inner_changed(self, index: int) -> None:
        assert self.inner is not None
        previous = self.pages[self._inner_index]
        if previous.form.dirty and not previous.resolve_unsaved():
            self.inner.blockSignals(True)
            self.inner.setCurrentIndex(self._inner_index)
            self.inner.blockSignals(False)
            return
        self._inner_index = index
        self.pages[index].ensure_loaded()
        self.count_changed.emit()

    def on_records_changed(self, tables: frozenset[str]) -> None:
        """Refresh visible pages that show changed data; mark the others stale."""
        for page, watched in zip(self.pages, self._watched, strict=False):
            if watched & tables:
                page.stale = True
                if page.isVisible():
                    page.refresh()

    def has_unsaved(self) -> bool:
        return any(p.form.dirty for p in self.pages)

    def resolve_unsaved(self) -> bool:
        """Ask about every page with unsaved changes; False when the user cancels."""
        return all(p.resolve_unsaved() for p in self.pages if p.form.dirty)

    def open_record(self, table: str, ident: int) -> bool:
        """Show one record of `table` if one of this area's pages lists it."""
        for i, page in enumerate(self.pages):
            if page.spec.table == table:
                if self.inner is not None:
                    self.inner.setCurrentIndex(i)
                return page.select_record(ident)
        return False

    def save_state(self, settings: QSettings) -> None:
        for page in self.pages:
            page.save_state(settings, f"area/{self.area}")
        if self.inner is not None:
            settings.setValue(f"area/{self.area}/inner", self.inner.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        for page in self.pages:
            page.restore_state(settings, f"area/{self.area}")
        if self.inner is not None:
            index = int(cast(Any, settings.value(f"area/{self.area}/inner", 0)) or 0)
            if 0 <= index < len(self.pages):
                self.inner.blockSignals(True)
                self.inner.setCurrentIndex(index)
                self._inner_index = index
                self.inner.blockSignals(False)
