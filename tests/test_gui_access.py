"""Issue 10.7 on the real window: every field and button has a name a screen reader reads, and
Tab walks each page in the order the clerk reads it (search bar, list, form, sub-tables)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QTabBar, QWidget

from gui.main_window import AREAS
from tests.gui_helpers import make_window
from tests.test_gui_small_screens import every_page


def spoken(widget: QWidget) -> str:
    """What a screen reader is told the widget is called (Qt's accessibility interface)."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name).strip()


def walk(page) -> list[QWidget]:
    """Press Tab from the search field until focus leaves the page; the widgets it stopped on."""
    page.search.setFocus()
    stops: list[QWidget] = []
    for _ in range(300):
        widget = QApplication.focusWidget()
        if widget in stops or not page.isAncestorOf(widget) and widget is not page.search:
            break
        stops.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return stops


def reading_key(page, widget: QWidget) -> tuple:
    """Where `widget` comes when reading the page: bar left to right, list, form groups top to
    bottom, each sub-table's cells row by row and then its buttons."""
    window = page.window()
    x = widget.mapTo(window, QPoint(0, 0)).x()
    if widget is page.view:
        return (1,)
    for n, table in enumerate(page.form.children.values()):
        if widget is table.table:
            return (3 + n, -1, 0)
        if widget in (table.add_button, table.remove_button):
            return (3 + n, 10**6, x)
        for r, (_ident, editors) in enumerate(table.rows):
            if any(e is widget or e.isAncestorOf(widget) for e in editors.values()):
                return (3 + n, r, x)
    groups = [b for b in QObject.children(page.form) if isinstance(b, QGroupBox)]
    for g, box in enumerate(groups):
        if box.isAncestorOf(widget):
            return (2, g, widget.mapTo(box, QPoint(0, 0)).y())
    return (0, x)  # the search bar


@pytest.fixture
def window(qtbot, demo):
    window = make_window(qtbot, demo)
    window.resize(1600, 1000)
    return window


def test_tab_follows_the_visual_order_on_every_page(qtbot, window):
    pages = 0
    for name, page in every_page(window, qtbot):
        stops = walk(page)
        assert stops[0] is page.search and page.view in stops, name
        keys = [reading_key(page, w) for w in stops]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), (
            name, [(spoken(w), k) for w, k in zip(stops, keys, strict=True)])
        editors = [e for e in page.form.editors.values() if e.isEnabled()]
        reached = [e for e in editors if any(s is e or e.isAncestorOf(s) for s in stops)]
        assert reached == editors, name  # no field is skipped
        for table in page.form.children.values():
            assert table.add_button in stops, name
        after = QApplication.focusWidget()  # Tab from the last stop leaves for the tab bars
        assert isinstance(after, QTabBar) or after is page.search, (name, after)
        pages += 1
    assert pages == sum(len(window.area_tab(k).specs) for k, _ in AREAS)


def test_a_new_sub_table_row_joins_the_tab_order(qtbot, window):
    tab = window.area_tab("space")
    window.tabs.setCurrentWidget(tab)
    page = tab.page(0)
    page.ensure_loaded()
    page.view.selectRow(0)
    table = page.form.children["tenancies"]
    before = len(table.rows)
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    stops = walk(page)
    new_cells = list(table.rows[before][1].values())
    order = [next(i for i, s in enumerate(stops) if s is c or c.isAncestorOf(s))
             for c in new_cells]
    assert order == sorted(order)
    assert order[-1] < stops.index(table.add_button)
    assert spoken(stops[order[1]]) == f"{before + 1}행 입주시기"
    page.cancel_edits()  # closing the window would ask about the added row


def test_every_field_and_button_has_a_name_a_screen_reader_reads(qtbot, window):
    for name, page in every_page(window, qtbot):
        for widget in walk(page):
            assert spoken(widget), (name, type(widget).__name__)
        buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisible()]
        assert buttons, name
        for button in buttons:
            assert button.accessibleName(), (name, button.text())
    page = window.area_tab("space").page(0)
    assert page.save_button.accessibleName() == "입주공간 저장"
    assert page.save_button.accessibleDescription() == "Ctrl+S"
    table = page.form.children["tenancies"]
    assert table.add_button.accessibleName() == "입주 계약 행 추가"
