"""The program areas, declared once: every list of areas, tabs, data sheets and counts comes
from here (Camelot's single registration point; docs/ARCHITECTURE.md "Adding a program area").

No SQLAlchemy and no Qt here: the window shows its tabs from this module before either is
imported. Tables are named by their table name, the key the change bus, the trash and the
history use too; each table's model lives in `Area.models`, its form specs in `Area.forms`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """One program area of the report (docs/domain.md), in report order."""

    key: str  # stored in report notes and carried figures; names the area's modules
    label: str  # the tab's and the report section's Korean name
    tables: tuple[str, ...]  # every table of the area with a data sheet, parents first
    listed: tuple[str, ...]  # the tables its tab lists, one form spec each, in tab order
    demo: tuple[str, ...] = ()  # its files in resources/demo
    package: str = ""  # where its modules live: <package>.models.<key> …; default: the app

    def module(self, layer: str) -> str:
        """The area's module in a layer: 'db.models', 'db.rules' or 'gui.forms'."""
        return f"{self.package}.{layer.rsplit('.', 1)[-1]}" if self.package \
            else f"{layer}.{self.key}"

    @property
    def models(self) -> str:
        return self.module("db.models")

    @property
    def rules(self) -> str:
        return self.module("db.rules")

    @property
    def forms(self) -> str:
        return self.module("gui.forms")


AREAS: tuple[Area, ...] = (
    Area("organization", "기업", ("organization",), ("organization",),
         ("organizations.yaml",)),
    Area("education", "아카데미", ("education", "education_date"), ("education",),
         ("education.yaml",)),
    Area("consulting", "컨설팅", ("consulting",), ("consulting",), ("consulting.yaml",)),
    Area("startup", "창업지원",
         ("startup_cohort", "startup_round", "startup_team", "startup_payment",
          "designation_application"),
         ("startup_cohort", "startup_team", "designation_application"), ("startup.yaml",)),
    Area("sales", "판로지원", ("sales_event", "sales_schedule", "sales_participant"),
         ("sales_event",), ("sales.yaml",)),
    Area("finance", "재정지원", ("finance_grant", "finance_payment", "finance_budget"),
         ("finance_grant", "finance_budget"), ("finance.yaml",)),
    Area("space", "입주공간",
         ("space", "tenancy", "tenancy_term", "tenancy_rent", "tenant_call",
          "tenant_call_space", "space_milestone"),
         ("space", "tenancy", "tenant_call", "space_milestone"), ("space.yaml",)),
    Area("social_service", "사회서비스",
         ("social_service_project", "service_line", "service_measure"),
         ("social_service_project", "service_line"), ("social_service.yaml",)),
    Area("purchasing", "우선구매",
         ("purchasing_result", "department_target", "promotion_notice", "publication", "video"),
         ("purchasing_result", "department_target", "promotion_notice", "publication", "video"),
         ("purchasing.yaml",)),
    Area("events", "행사·시설", ("festival", "facility_project", "facility_room"),
         ("festival", "facility_project"), ("events.yaml",)),
    Area("governance", "소통·예산·과제",
         ("participation", "budget_line", "report_note", "carried_figure"),
         ("participation", "budget_line", "report_note", "carried_figure"),
         ("governance.yaml", "carried.yaml")),
)

# Tables of no area: office settings and the safety net (history, trash, import mappings).
SYSTEM_TABLES = ("setting", "change_log", "trash_item", "import_mapping")
SYSTEM_DEMO = ("settings.yaml",)  # demo files of no area


def area(key: str) -> Area:
    """The area called `key` (KeyError names the known keys)."""
    for a in AREAS:
        if a.key == key:
            return a
    raise KeyError(f"unknown area {key!r}; known: {', '.join(keys())}")


def keys() -> tuple[str, ...]:
    """Area keys in report order."""
    return tuple(a.key for a in AREAS)


def labels() -> dict[str, str]:
    """Area key → Korean label, in report order."""
    return {a.key: a.label for a in AREAS}


def data_tables() -> tuple[str, ...]:
    """Every table with a data sheet, in report order (parents before children)."""
    return tuple(t for a in AREAS for t in a.tables)


def listed_tables() -> tuple[str, ...]:
    """The tables the tabs list (the records a backup's counts describe), in report order."""
    return tuple(t for a in AREAS for t in a.listed)


def area_of(table: str) -> Area | None:
    """The area a table belongs to (None for a system table)."""
    return next((a for a in AREAS if table in a.tables), None)
