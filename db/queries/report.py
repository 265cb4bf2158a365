"""Every figure of one period's progress report, as one typed object (ReportFigures).

A period still running is reported as of its 기준일 (`as_of`): running totals, payments,
scores and the roster stop at that day, while what the period schedules (events, notices)
is listed whole, as the seed does ("메가쇼 2021 시즌 2" of 11. 18. in a report of 11. 16.).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from ..periods import Period
from ..settings import load_settings
from .common import paused_gc
from .consulting import ConsultingLine, TeamRound, consulting_summary, team_rounds
from .education import (
    AcademyLine,
    CourseRuns,
    EducationRow,
    academy_summary,
    course_runs,
    listed_runs,
)
from .events import FacilityRow, FestivalRow, facility_projects, festivals
from .finance import FinanceCell, FinanceRow, finance_as_of, finance_budget, finance_yearly
from .governance import (
    BudgetTable,
    NoteRow,
    SecuredExecuted,
    budget_table,
    participation_counts,
    period_labels,
    report_notes,
    secured_executed,
)
from .purchasing import (
    NoticeRow,
    PublicationRow,
    PurchasingYear,
    VideoSummary,
    promotion_notices,
    publications,
    purchasing_results,
    videos,
)
from .sales import SalesEventRow, SalesYear, sales_events, sales_yearly
from .social_service import SocialServiceRow, social_service_projects
from .space import MilestoneRow, RosterTable, TenantCallRow, roster, space_milestones, tenant_calls
from .startup import (
    CohortProgress,
    DesignationRow,
    StartupYear,
    cohort_progress,
    designation_applications,
    startup_yearly,
)


@dataclass(frozen=True)
class ReportFigures:
    """All figures of one period's report, computed as of `as_of` (≤ the period's end)."""

    period: Period
    as_of: dt.date
    startup: StartupYear
    cohort: CohortProgress | None
    designations: list[DesignationRow]
    sales: SalesYear
    sales_events: list[SalesEventRow]
    finance: list[FinanceRow]
    finance_as_of: list[FinanceCell]
    finance_budget_next: dict[str, int]
    roster: list[RosterTable]
    space_milestones: dict[str, list[list[MilestoneRow]]]
    tenant_calls: list[TenantCallRow]
    academy: list[AcademyLine]
    listed_runs: list[EducationRow]  # the course runs the report lists one by one
    course_runs: dict[str, CourseRuns]  # the others, counted per course
    consulting: list[ConsultingLine]
    team_rounds: list[TeamRound]  # the startup teams' rounds, 1 January to as_of
    social_service: list[SocialServiceRow]
    festivals: list[FestivalRow]
    facilities: list[FacilityRow]
    purchasing: list[PurchasingYear]
    promotion_notices: dict[str, list[NoticeRow]]
    publications: list[PublicationRow]
    videos: VideoSummary
    participation: dict[str, int]
    budget_labels: dict[str, str]
    investment_plan: BudgetTable
    secured_executed: SecuredExecuted
    notes: list[NoteRow]

    def _running(self) -> bool:
        """True when the report stops before the period's end (it says "… 기준")."""
        return self.as_of < self.period.end

    running = property(_running)  # not @property: mutmut skips decorated defs


def report_figures(session: Session, period: Period,
                   as_of: dt.date | None = None) -> ReportFigures:
    """All figures of one period's report as of `as_of` (default: the period's end)."""
    with paused_gc():
        return _figures(session, period, as_of)


def _figures(session: Session, period: Period, as_of: dt.date | None) -> ReportFigures:
    day = period.end if as_of is None else min(as_of, period.end)
    warn_days = load_settings(session).warn_days
    finance = finance_yearly(session, [period])
    running = Period.as_of(day)
    # From 1 January to the 기준일 is the period itself in a whole year's (or first half's)
    # report: the same cells, only labelled with the running period.
    running_cells = ([replace(row.cells[0], period=running) for row in finance]
                     if (running.start, running.end) == (period.start, period.end)
                     else finance_as_of(session, day))
    return ReportFigures(
        period=period,
        as_of=day,
        startup=startup_yearly(session, [period])[0],
        cohort=cohort_progress(session, period.start.year, day),
        designations=designation_applications(session, period),
        sales=sales_yearly(session, [period])[0],
        sales_events=sales_events(session, period),
        finance=finance,
        finance_as_of=running_cells,
        finance_budget_next=finance_budget(session, period.end.year + 1),
        roster=roster(session, day, warn_days),
        space_milestones=space_milestones(session, [period]),
        tenant_calls=tenant_calls(session, period),
        academy=academy_summary(session, period),
        listed_runs=listed_runs(session, period),
        course_runs=course_runs(session, period),
        consulting=consulting_summary(session, period),
        team_rounds=team_rounds(session, period.start.year, day),  # the year so far
        social_service=social_service_projects(session, period),
        festivals=festivals(session, period),
        facilities=facility_projects(session, period),
        purchasing=purchasing_results(session, period),
        promotion_notices=promotion_notices(session, period),
        publications=publications(session, period),
        videos=videos(session, period),
        participation=participation_counts(session, period),
        budget_labels=period_labels(session),
        investment_plan=budget_table(session, "투자계획"),
        secured_executed=secured_executed(session),
        notes=report_notes(session, period),
    )

