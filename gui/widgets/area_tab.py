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
    """The pages of one program area, built from its specs: the page on screen at once, the
    others when first shown (`page(i)`), so opening a tab of four lists builds one."""

    count_changed = Signal()
    record_saved = Signal(object)  # the RecordForm of a page that saved a record

    def __init__(self, area: str, database: Any, lookups: Any,
                 parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        """`settings`: the window layout the pages' splitters and columns and the inner tab
        on screen come from (each page's as it is built)."""
        super().__init__(parent)
        self.area = area
        module = importlib.import_module(registry.area(area).forms)
        self.specs: tuple[EntitySpec, ...] = module.SPECS
        self._database, self._lookups, self._settings = database, lookups, settings
        self._pages: list[EntityPage | None] = [None] * len(self.specs)
        self._watched = [watched_tables(s) for s in self.specs]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.inner: QTabWidget | None = None
        self._inner_index = 0
        if len(self.specs) == 1:
            lay.addWidget(self.page(0))
            return
        self.inner = QTabWidget(self)
        self.inner.setDocumentMode(True)
        for spec in self.specs:  # each page comes into its holder when first shown
            holder = QWidget(self.inner)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.inner.addTab(holder, spec.label)
        if settings is not None:
            index = int(cast(Any, settings.value(f"area/{area}/inner", 0)) or 0)
            if 0 <= index < len(self.specs):
                self.inner.setCurrentIndex(index)
                self._inner_index = index
        self.page(self._inner_index)  # built with the tab (prepare_tab: before its first read)
        self.inner.currentChanged.connect(self._inner_changed)
        lay.addWidget(self.inner)

    def page(self, index: int) -> EntityPage:
        """The `index`-th page, built (in its inner tab) on first use."""
        built = self._pages[index]
        if built is not None:
            return built
        holder = cast(QWidget, self.inner.widget(index)) if self.inner is not None else self
        page = EntityPage(self.specs[index], self._database, self._lookups, holder)
        if self._settings is not None:
            page.restore_state(self._settings, f"area/{self.area}")
        page.count_changed.connect(self.count_changed)
        page.form.saved.connect(lambda _id, f=page.form: self.record_saved.emit(f))
        self._pages[index] = page
        if self.inner is not None:  # into its tab's holder: no tab moves, none shows meanwhile
            cast(QVBoxLayout, holder.layout()).addWidget(page)
            if holder.isVisible():  # at once, as a page built with the tab shows with it
                page.show()
        return page

    def show_page(self, index: int) -> EntityPage:
        """The `index`-th page, its inner tab made current (built as it first shows)."""
        if self.inner is not None:
            self.inner.setCurrentIndex(index)
        return self.page(index)

    def built_pages(self) -> list[EntityPage]:
        """The pages built so far (the others have nothing to save, refresh or ask about)."""
        return [p for p in self._pages if p is not None]

    def current_page(self) -> EntityPage:
        return self.page(self.current_index())

    def current_index(self) -> int:
        return self.inner.currentIndex() if self.inner else 0

    def ensure_loaded(self) -> None:
        self.current_page().ensure_loaded()

    def record_count(self) -> int:
        page = self.current_page()
        return page.record_count()

    def _inner_changed(self, index: int) -> None:
        assert self.inner is not None
        previous = self.page(self._inner_index)
        if previous.form.dirty and not previous.resolve_unsaved():
            self.inner.blockSignals(True)
            self.inner.setCurrentIndex(self._inner_index)
            self.inner.blockSignals(False)
            return
        self._inner_index = index
        self.page(index).ensure_loaded()
        self.count_changed.emit()

    def on_records_changed(self, tables: frozenset[str]) -> None:
        """Refresh visible pages that show changed data; mark the others stale (a page not
        built yet reads when it is)."""
        for page, watched in zip(self._pages, self._watched, strict=True):
            if page is not None and watched & tables:
                page.stale = True
                if page.isVisible():
                    page.refresh()

    def has_unsaved(self) -> bool:
        return any(p.form.dirty for p in self.built_pages())

    def resolve_unsaved(self) -> bool:
        """Ask about every page with unsaved changes; False when the user cancels."""
        return all(p.resolve_unsaved() for p in self.built_pages() if p.form.dirty)

    def open_record(self, table: str, ident: int) -> bool:
        """Show one record of `table` if one of this area's pages lists it."""
        for i, spec in enumerate(self.specs):
            if spec.table == table:
                return self.show_page(i).select_record(ident)
        return False

    def save_state(self, settings: QSettings) -> None:
        for page in self.built_pages():  # an unbuilt page's layout is still the one saved
            page.save_state(settings, f"area/{self.area}")
        if self.inner is not None:
            settings.setValue(f"area/{self.area}/inner", self.inner.currentIndex())
