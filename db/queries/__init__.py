"""The query layer: every figure of the report computed in exactly one place.

Functions take a Session first, then Periods (db/periods.py) or dates, and return frozen
dataclasses of plain values (원, counts, dates, strings), never ORM objects or formatted text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..periods import Period
from ..settings import load_settings
from .carried import carried_by_category, carried_sum
from .consulting import consulting_details, consulting_summary
from .education import academy_details, academy_summary
from .events import facility_projects, festivals
from .finance import finance_as_of, finance_budget, finance_yearly
from .governance import (
    budget_table,
    participation_counts,
    period_labels,
    report_notes,
    secured_executed,
)
from .purchasing import promotion_notices, publications, purchasing_results, videos
from .sales import sales_events, sales_yearly
from .social_service import social_service_projects
from .space import roster, space_milestones, tenant_calls
from .startup import cohort_progress, designation_applications, startup_yearly


def report_figures(session: Session, period: Period) -> dict[str, Any]:
    """All figures of one period's report, by section key (used by the report and the bench)."""
    warn_days = load_settings(session).warn_days
    return {
        "period": period,
        "startup": startup_yearly(session, [period])[0],
        "cohort": cohort_progress(session, period.start.year, period.end),
        "designations": designation_applications(session, period),
        "sales": sales_yearly(session, [period])[0],
        "sales_events": sales_events(session, period),
        "finance": finance_yearly(session, [period]),
        "finance_budget_next": finance_budget(session, period.end.year + 1),
        "roster": roster(session, period.end, warn_days),
        "space_milestones": space_milestones(session, [period]),
        "tenant_calls": tenant_calls(session, period),
        "academy": academy_summary(session, period),
        "academy_details": academy_details(session, period),
        "consulting": consulting_summary(session, period),
        "consulting_details": consulting_details(session, period),
        "social_service": social_service_projects(session, period),
        "festivals": festivals(session, period),
        "facilities": facility_projects(session, period),
        "purchasing": purchasing_results(session, period),
        "promotion_notices": promotion_notices(session, period),
        "publications": publications(session, period),
        "videos": videos(session, period),
        "participation": participation_counts(session, period),
        "budget_labels": period_labels(session),
        "investment_plan": budget_table(session, "투자계획"),
        "secured_executed": secured_executed(session),
        "notes": report_notes(session, period),
    }


__all__ = [
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
