"""Issue 10.8 on the real window: 12 list rows at 1366x768, every sub-table reachable, a
clerk's splitter remembered across restarts, no empty half at 1600x1000."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from gui.main_window import AREAS
from gui.widgets.entity_page import MIN_ROWS
from tests.gui_helpers import make_window


def every_page(window, qtbot):
    for key, _label in AREAS:
        tab = window.area_tab(key)
        window.tabs.setCurrentWidget(tab)
        for i in range(len(tab.specs)):
            page = tab.show_page(i)  # the page is built as its inner tab shows
            page.ensure_loaded()
            if page.model.rowCount():  # a record with sub-table rows when there is one
                page.view.selectRow(0)
            qtbot.waitUntil(page.isVisible, timeout=2000)
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # laid out, unpainted
            yield f"{key}/{page.spec.table}", page


def visible_rows(page) -> int:
    """Rows drawn whole in the list's viewport (what the clerk sees without scrolling)."""
    viewport = page.view.viewport().rect()
    return sum(1 for r in range(page.model.rowCount())
               if viewport.contains(page.view.visualRect(page.model.index(r, 0))))


def room_for_rows(page) -> int:
    return page.view.viewport().height() // page.view.verticalHeader().defaultSectionSize()


def shown_in_scroll(page, widget) -> bool:
    """`widget`'s top rows are inside the form's visible scroll area."""
    viewport = page.form_scroll.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    seen = QRect(top_left, widget.size()).intersected(viewport.rect())
    return seen.height() >= min(widget.height(), 60)


@pytest.fixture
def window(qtbot, demo):
    return make_window(qtbot, demo)


def test_at_1366x768_lists_keep_12_rows_and_sub_tables_can_be_reached(qtbot, window):
    window.resize(1366, 768)
    checked = 0
    for name, page in every_page(window, qtbot):
        assert room_for_rows(page) >= MIN_ROWS, name
        if page.model.rowCount() >= MIN_ROWS:
            assert visible_rows(page) >= MIN_ROWS, name
        for table in page.form.children.values():
            page.form_scroll.ensureWidgetVisible(table.table, 0, 0)
            assert shown_in_scroll(page, table.table), name  # scrolled to, not out of reach
            page.form_scroll.ensureWidgetVisible(table.add_button, 0, 0)
            assert shown_in_scroll(page, table.add_button), name
            checked += 1
        handle = page.splitter.handle(1)
        assert handle.isVisible() and handle.height() > 0, name  # the clerk can move it
    assert checked >= 10  # the pages with sub-tables were among them


def test_at_1600x1000_the_form_leaves_no_empty_half(qtbot, window):
    window.resize(1600, 1000)
    for name, page in every_page(window, qtbot):
        viewport = page.form_scroll.viewport()
        boxes = [w for w in QObject.children(page.form) if isinstance(w, QWidget) and w.isVisible()]
        bottom = max(w.mapTo(viewport, QPoint(0, w.height())).y() for w in boxes)
        empty = viewport.height() - bottom
        assert empty < window.height() * 0.1, (name, empty)
        assert visible_rows(page) >= min(page.model.rowCount(), MIN_ROWS), name


def test_a_splitter_moved_by_the_clerk_is_kept_across_restarts(qtbot, demo):
    first = make_window(qtbot, demo)
    first.resize(1366, 768)
    tab = first.area_tab("space")
    first.tabs.setCurrentWidget(tab)
    page = tab.page(0)
    page.ensure_loaded()
    qtbot.waitUntil(page.isVisible, timeout=2000)
    top, bottom = page.splitter.sizes()
    page.splitter.moveSplitter(top - 120, 1)  # as dragging the handle does
    moved = page.splitter.sizes()
    assert moved[0] < top
    first.close()

    second = make_window(qtbot, demo)
    second.resize(1366, 768)
    tab = second.area_tab("space")
    second.tabs.setCurrentWidget(tab)
    again = tab.page(0)
    qtbot.waitUntil(again.isVisible, timeout=2000)
    assert again.splitter.sizes() == moved
    second.resize(1600, 1000)  # a taller window: the list grows, the clerk's form height holds
    qtbot.wait(1)
    assert again.splitter.sizes()[1] == moved[1]
