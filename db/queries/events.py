"""행사·시설 figures: festivals and facility projects in a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..models import FacilityProject, Festival
from ..periods import Period

PYEONG_M2 = 3.3058  # ㎡ per 평


@dataclass(frozen=True)
class FestivalRow:
    """A festival: 행사명, 일시, 장소, 내용, 협력."""

    name: str
    subtitle: str | None
    held_on: dt.date
    end_on: dt.date | None
    start_time: dt.time | None
    end_time: dt.time | None
    venue: str | None
    programme: str | None
    partners: str | None
    note: str | None
    printed_note: str | None = None  # the ※ line the report prints (not the private 비고)


def festivals(session: Session, period: Period) -> list[FestivalRow]:
    """Festivals held (starting) in the period, by date."""
    return [FestivalRow(
        name=f.name, subtitle=f.subtitle, held_on=f.held_on, end_on=f.end_on,
        start_time=f.start_time, end_time=f.end_time, venue=f.venue, programme=f.programme,
        partners=f.partners, note=f.note, printed_note=f.printed_note,
    )
            for f in session.scalars(
                select(Festival).where(Festival.held_on.between(period.start, period.end))
                .order_by(Festival.held_on, Festival.id))]


@dataclass(frozen=True)
class RoomRow:
    """A room of a facility: name, 평, what it is for."""

    name: str
    area_pyeong: float
    purpose: str | None


@dataclass(frozen=True)
class FacilityRow:
    """A facility project: location, works period, area in ㎡ and 평, rooms."""

    name: str
    location: str | None
    building: str | None
    works_start: dt.date | None
    works_end: dt.date | None
    area_m2: float
    area_pyeong: float  # ㎡ / 3.3058, unrounded
    note: str | None
    rooms: list[RoomRow]


def facility_projects(session: Session, period: Period) -> list[FacilityRow]:
    """Facility projects whose works overlap the period (undated ones always shown)."""
    q = (select(FacilityProject).options(selectinload(FacilityProject.rooms))
         .where(or_(FacilityProject.works_start.is_(None),
                    FacilityProject.works_start <= period.end))
         .where(or_(FacilityProject.works_end.is_(None),
                    FacilityProject.works_end >= period.start))
         .order_by(FacilityProject.works_start, FacilityProject.id))
    out = []
    for f in session.scalars(q):
        area = float(f.area_m2 or 0)
        out.append(FacilityRow(
            name=f.name, location=f.location, building=f.building, works_start=f.works_start,
            works_end=f.works_end, area_m2=area, area_pyeong=area / PYEONG_M2, note=f.note,
            rooms=[RoomRow(r.name, float(r.area_pyeong or 0), r.purpose) for r in f.rooms],
        ))
    return out
