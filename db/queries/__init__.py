"""The query layer: every figure of the report computed in exactly one place.

Functions take a Session first, then Periods (db/periods.py) or dates, and return frozen
dataclasses of plain values (원, counts, dates, strings), never ORM objects or formatted text;
the rows a report lists by the thousand are NamedTuples (common.built: a fifth of the cost).

The names below load their module on first use (PEP 562): the window's 현황 tab imports
`db.queries.dashboard`, which no longer loads every report query with the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .carried import carried_by_category, carried_sum
    from .consulting import consulting_details, consulting_summary, team_rounds
    from .education import academy_details, academy_summary, course_runs, listed_runs
    from .events import facility_projects, festivals
    from .finance import finance_as_of, finance_budget, finance_budget_basis, finance_yearly
    from .governance import (
        budget_table,
        participation_counts,
        period_labels,
        report_notes,
        secured_executed,
    )
    from .purchasing import promotion_notices, publications, purchasing_results, videos
    from .report import ReportFigures, report_figures
    from .sales import sales_events, sales_yearly
    from .social_service import social_service_projects
    from .space import roster, space_milestones, tenant_calls
    from .startup import cohort_progress, designation_applications, startup_yearly

# name -> the module of this package that defines it
_HOME = {
    "ReportFigures": "report",
    "academy_details": "education",
    "academy_summary": "education",
    "budget_table": "governance",
    "carried_by_category": "carried",
    "carried_sum": "carried",
    "cohort_progress": "startup",
    "consulting_details": "consulting",
    "course_runs": "education",
    "consulting_summary": "consulting",
    "designation_applications": "startup",
    "facility_projects": "events",
    "festivals": "events",
    "finance_as_of": "finance",
    "finance_budget": "finance",
    "finance_budget_basis": "finance",
    "finance_yearly": "finance",
    "listed_runs": "education",
    "participation_counts": "governance",
    "period_labels": "governance",
    "promotion_notices": "purchasing",
    "publications": "purchasing",
    "purchasing_results": "purchasing",
    "report_figures": "report",
    "report_notes": "governance",
    "roster": "space",
    "sales_events": "sales",
    "sales_yearly": "sales",
    "secured_executed": "governance",
    "social_service_projects": "social_service",
    "space_milestones": "space",
    "startup_yearly": "startup",
    "team_rounds": "consulting",
    "tenant_calls": "space",
    "videos": "purchasing",
}

__all__ = [
    "ReportFigures",
    "academy_details",
    "academy_summary",
    "budget_table",
    "carried_by_category",
    "carried_sum",
    "cohort_progress",
    "consulting_details",
    "consulting_summary",
    "course_runs",
    "designation_applications",
    "facility_projects",
    "festivals",
    "finance_as_of",
    "finance_budget",
    "finance_budget_basis",
    "finance_yearly",
    "listed_runs",
    "participation_counts",
    "period_labels",
    "promotion_notices",
    "publications",
    "purchasing_results",
    "report_figures",
    "report_notes",
    "roster",
    "sales_events",
    "sales_yearly",
    "secured_executed",
    "social_service_projects",
    "space_milestones",
    "startup_yearly",
    "team_rounds",
    "tenant_calls",
    "videos",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # the next look-up is a plain global
    return value
