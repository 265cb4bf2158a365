"""The earlier years in the whole document's first row: yearly tables and past narrative.

The seed's 상반기 row opens programs with their yearly table (2018년 … 2021년 6월) and prints
the earlier years' narrative: 국립암센터 협력사업 (2018–2019), 우선구매 2019 and 2020, the 2020
책자 and 카탈로그, the YouTube channel. All of it comes from the records of those years.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db import queries as q
from db.periods import Period, span
from db.queries.finance import FinanceRow
from db.queries.governance import NoteRow
from db.queries.purchasing import NoticeRow, PublicationRow, PurchasingYear, VideoSummary
from db.queries.sales import SalesYear
from db.queries.space import MilestoneRow
from db.queries.startup import StartupYear
from db.settings import OfficeSettings


@dataclass(frozen=True)
class PastYear:
    """One earlier year of the pledge term, as the narrative needs it."""

    period: Period
    purchasing: list[PurchasingYear]
    notices: dict[str, list[NoticeRow]]
    notes: list[NoteRow]
    publications: list[PublicationRow]
    videos: VideoSummary


@dataclass(frozen=True)
class History:
    """Yearly tables up to the row's period and the earlier years before it."""

    columns: list[Period]  # 2018년 … 2021년 6월
    startup: list[StartupYear]
    sales: list[SalesYear]
    finance: list[FinanceRow]
    milestones: dict[str, list[list[MilestoneRow]]]
    years: list[PastYear]  # the pledge term's years before the row's year

    def notes(self, area: str) -> list[NoteRow]:
        """Earlier years' 추진 실적 notes of one area, oldest first."""
        return [n for y in self.years for n in y.notes
                if n.area == area and n.kind == "추진 실적"]


def collect_history(session: Session, settings: OfficeSettings, row: Period) -> History:
    """Yearly tables from the pledge term's first year to `row`, and the years before it."""
    first = Period.year_of(settings.term_start.year)
    columns = span(first, row)
    years = []
    for y in range(settings.term_start.year, row.start.year):
        p = Period.year_of(y)
        years.append(PastYear(
            p, q.purchasing_results(session, p), q.promotion_notices(session, p),
            q.report_notes(session, p), q.publications(session, p), q.videos(session, p)))
    return History(
        columns, q.startup_yearly(session, columns), q.sales_yearly(session, columns),
        q.finance_yearly(session, columns), q.space_milestones(session, columns), years)

