"""The dashboard's yearly bar chart (QtCharts is imported only once there is data to draw)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

SALES_COLOUR = QColor("#2e7d6f")
FINANCE_COLOUR = QColor("#d08a2e")


def _million(won: int) -> float:
    return round(won / 1_000_000, 1)


def nice_ceiling(value: float) -> float:
    """A round axis maximum a little above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 10.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value * 1.05:
            return step * magnitude
    return 10 * magnitude


def make_chart_view(font: QFont) -> QChartView:
    """An empty chart view with the application font (Hangul needs it on bare machines)."""
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(font)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def update_chart(view: QChartView, bars: list[Any], font: QFont) -> None:
    """Replace the series with one bar pair per year (판로 매출액, 재정지원액 in 백만원)."""
    chart = view.chart()
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    sales, finance = QBarSet("판로 매출액"), QBarSet("재정지원액")
    sales.setColor(SALES_COLOUR)
    finance.setColor(FINANCE_COLOUR)
    top = 0.0
    for bar in bars:
        s, f = _million(bar.sales), _million(bar.finance)
        sales.append(s)
        finance.append(f)
        top = max(top, s, f)
    series = QBarSeries()
    series.append(sales)
    series.append(finance)
    series.setLabelsVisible(False)
    chart.addSeries(series)
    years = QBarCategoryAxis()
    years.append([b.label for b in bars])
    years.setLabelsFont(font)
    amounts = QValueAxis()
    amounts.setRange(0, nice_ceiling(top))
    amounts.setLabelFormat("%.0f")
    amounts.setTickCount(6)
    amounts.setLabelsFont(font)
    chart.addAxis(years, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(years)
    series.attachAxis(amounts)
    chart.legend().setFont(font)
