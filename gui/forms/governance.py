"""소통·예산·과제: citizen participation, budget lines, report notes and carried figures."""

from __future__ import annotations

from typing import Any

from db import models as m
from db.models.choices import AREA_LABELS
from db.queries.carried import METRICS, metric_label, metric_of

from .spec import EntitySpec, FieldSpec

AREA = FieldSpec("area", labels=AREA_LABELS)  # stored as area keys, shown as 기업, 아카데미 …
HALVES = {1: "상반기", 2: "하반기"}

PARTICIPATION = EntitySpec(
    m.Participation,
    columns=("kind", "held_on", FieldSpec("title", width=360), "note"),
    search=("kind", "title", "note"),
    period="held_on",
)

BUDGET_LINE = EntitySpec(
    m.BudgetLine,
    columns=("kind", "period", "source", "amount", "note"),
    search=("kind", "period", "source", "note"),
)

REPORT_NOTE = EntitySpec(
    m.ReportNote,
    columns=("year", FieldSpec("half", fmt=lambda h: HALVES.get(h) or ""), AREA, "kind", "level",
             FieldSpec("text", width=420), "sort_order"),
    groups=(
        ("구분", ("year", "half", AREA, "kind", "level", "sort_order")),
        ("문안", (FieldSpec("text", multiline=True),)),
    ),
    search=("area", "kind", "text"),
    period="year",
)


class CarriedSpec(EntitySpec):
    """이월 실적: 항목 picked from what the chosen 분야's report tables read, value in its unit."""

    def wire(self, form: Any) -> None:
        """Called by RecordForm once its editors exist."""
        area, metric = form.editors["area"], form.editors["metric"]
        area.clear()
        area.addItem("", None)  # no 분야 until the clerk picks one (was 기업, read nowhere)
        for key in METRICS:
            area.addItem(AREA_LABELS[key], key)
        area.currentIndexChanged.connect(lambda _i: self._fill_metrics(form))
        metric.currentIndexChanged.connect(lambda _i: self._show_unit(form))
        self._fill_metrics(form)

    def _fill_metrics(self, form: Any) -> None:
        area, metric = form.editors["area"], form.editors["metric"]
        current = metric.currentData()
        metric.blockSignals(True)
        metric.clear()
        metric.addItem("", None)
        for key in METRICS.get(area.currentData(), {}):
            metric.addItem(metric_label(key), key)
        i = metric.findData(current) if current is not None else 0
        metric.setCurrentIndex(max(i, 0))
        metric.blockSignals(False)
        self._show_unit(form)

    def _show_unit(self, form: Any) -> None:
        found = metric_of(form.editors["metric"].currentData())
        form.set_caption("value", f"값({found.unit})" if found else "값")
        category = form.editors["category"]
        category.setPlaceholderText(found.category if found and found.category else "")


CARRIED = CarriedSpec(
    m.CarriedFigure,
    columns=(AREA, FieldSpec("metric", kind="choice", fmt=metric_label, width=150),
             "category", "period_start", "period_end", FieldSpec("value", unit=""), "source"),
    groups=(
        ("항목", (AREA, FieldSpec("metric", kind="choice"), "category")),
        ("기간과 값", ("period_start", "period_end", FieldSpec("value", unit=""), "source",
                    "note")),
    ),
    search=("area", "metric", "category", "source"),
    period="period_start",
)

SPECS = (PARTICIPATION, BUDGET_LINE, REPORT_NOTE, CARRIED)
