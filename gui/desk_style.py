"""The desk's Qt style: the platform style, with the header sort arrow as a clerk reads it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionHeader

# read once: a Qt enum attribute is a descriptor call, and every cell of a list's paint
# comes through drawPrimitive (372 calls a repaint of the 상담 list)
_HEADER_ARROW = QStyle.PrimitiveElement.PE_IndicatorHeaderArrow


class DeskStyle(QProxyStyle):
    """The platform style, with Fusion's header sort arrow pointing up for ascending.

    QHeaderView passes SortDown for an ascending sort and Fusion draws that as ▼, so a list
    sorted 가→하 showed ▼ and the newest-first default showed ▲: the reverse of what a clerk
    reads (Windows and macOS point up for ascending).
    """

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: Any, painter: Any,
                      widget: Any = None) -> None:
        if (element is _HEADER_ARROW and isinstance(option, QStyleOptionHeader)
                and self.baseStyle().name().lower() == "fusion"):
            flipped = QStyleOptionHeader(option)
            indicator = QStyleOptionHeader.SortIndicator
            up, down = indicator.SortUp, indicator.SortDown
            if option.sortIndicator == up:
                flipped.sortIndicator = down
            elif option.sortIndicator == down:
                flipped.sortIndicator = up
            option = flipped
        super().drawPrimitive(element, option, painter, widget)
