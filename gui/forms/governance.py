"""소통·예산·과제: citizen participation, budget lines, report notes and carried figures."""

from db import models as m
from db.models.choices import AREA_LABELS

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
    columns=("year", FieldSpec("half", fmt=HALVES.get), AREA, "kind", "level",
             FieldSpec("text", width=420), "sort_order"),
    groups=(
        ("구분", ("year", "half", AREA, "kind", "level", "sort_order")),
        ("문안", (FieldSpec("text", multiline=True),)),
    ),
    search=("area", "kind", "text"),
    period="year",
)

CARRIED = EntitySpec(
    m.CarriedFigure,
    columns=(AREA, "metric", "category", "period_start", "period_end", "value", "source"),
    search=("area", "metric", "category", "source"),
    period="period_start",
)

SPECS = (PARTICIPATION, BUDGET_LINE, REPORT_NOTE, CARRIED)
