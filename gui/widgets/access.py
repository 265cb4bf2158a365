"""Screen readers (NVDA, 센스리더) and the keyboard: accessible names and the Tab order.

A page's Tab order follows what the clerk sees: the search bar left to right, the list, the
form's fields group by group, then each sub-table row by row and its buttons. Qt's default
order is the order widgets were made in, which put the form before the search bar and the
sub-table cells (made when a record is loaded) before the form's own fields.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QTabWidget, QWidget


def takes_tab(widget: QWidget) -> bool:
    """A widget Tab stops on itself (a focus proxy's owner gives way to the proxy)."""
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def focus_leaves(widget: QWidget) -> list[QWidget]:
    """The widgets inside `widget` (itself included) that Tab stops on, in the order made."""
    found = [widget] if takes_tab(widget) else []
    proxy = widget.focusProxy()
    if proxy is not None and takes_tab(proxy):
        found.append(proxy)
    window = widget.window()  # not the insides of a combo's popup (a window of its own)
    found += [w for w in widget.findChildren(QWidget) if takes_tab(w) and w not in found
              and w.window() is window]
    return found


def chain(widgets: Iterable[QWidget]) -> list[QWidget]:
    """Put the Tab stops of `widgets` one after another in that order; returns them."""
    leaves: list[QWidget] = []
    for w in widgets:
        leaves += [leaf for leaf in focus_leaves(w) if leaf not in leaves]
    for first, second in zip(leaves, leaves[1:], strict=False):
        QWidget.setTabOrder(first, second)
    return leaves


def tab_bars_above(widget: QWidget) -> list[QWidget]:
    """The tab bars of the tab widgets holding `widget`, outermost first: Tab goes from
    them into the page (without the link Qt jumped from the inner bar into a sub-table)."""
    bars: list[QWidget] = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            bars.insert(0, parent.tabBar())
        parent = parent.parentWidget()
    return bars


def name(widget: QWidget, text: str, description: str = "") -> None:
    """Name a widget for screen readers (and the combo inside a picker, which takes focus)."""
    widget.setAccessibleName(text)
    if description:
        widget.setAccessibleDescription(description)
    inner = getattr(widget, "combo", None)
    if isinstance(inner, QWidget):
        inner.setAccessibleName(text)


def name_button(button: QAbstractButton, text: str = "") -> None:
    """A button's name (its text unless given) and its shortcut, from the tooltip, as the
    description a screen reader reads after it."""
    name(button, text or button.text().replace("&", ""), button.toolTip())
