"""The query layer: every figure of the report computed in exactly one place.

Functions take a Session first, then Periods (db/periods.py) or dates, and return frozen
dataclasses of plain values (원, counts, dates, strings), never ORM objects or formatted text.
"""

from __future__ import annotations

from .carried import carried_by_category, carried_sum
from .consulting import consulting_details, consulting_summary
from .education import academy_details, academy_summary
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
    "designation_applications",
    "facility_projects",
    "festivals",
    "finance_as_of",
    "finance_budget",
    "finance_budget_basis",
    "finance_yearly",
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
    "tenant_calls",
    "videos",
]
