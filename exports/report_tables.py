"""The small tables inside the progress report (선정기업 현황, 참가기업, 서비스 제공 …)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import formats as f
from db.queries.events import FacilityRow
from db.queries.purchasing import VideoRow
from db.queries.sales import SalesEventRow
from db.queries.social_service import ServiceLineRow
from db.queries.startup import DesignationRow, TeamRow

from .table_model import Cell, ReportTable, cell_text, head, spread
from .tables import support_label

WITHDRAWN = "참여 포기"
PENDING = "심사 중"


def _header(*titles: str) -> list:
    return [spread(*[head(t) for t in titles])]


def teams_table(teams: list[TeamRow]) -> ReportTable:
    """선정기업 현황: 연번 · 사업자명 · 대표 · 사업내용 및 분야 (포기·추가 선정 labelled)."""
    body = []
    n = 0
    for t in teams:
        if t.status == WITHDRAWN:
            label = WITHDRAWN
        elif t.round_kind == "추가 모집":
            label = "추가 선정"
        else:
            n += 1
            label = str(n)
        body.append(spread(Cell(label, "head"), Cell(t.name), Cell(t.representative,
                                                                   align="center"),
                           Cell(t.business)))
    return ReportTable("선정기업 현황", "선정기업", _header("연번", "사업자명", "대표",
                                                       "사업내용 및 분야"),
                       body, [10.0, 18.0, 8.0, 38.0])


def designations_table(rows: list[DesignationRow]) -> ReportTable:
    """지정 신청 현황: 기업명 · 대표 · 사회적목적 유형 · 주 사업내용 및 분야 (+ 결과 once known)."""
    with_result = any(r.result != PENDING for r in rows)
    titles = ["기업명", "대표", "사회적목적 유형", "주 사업내용 및 분야"]
    widths = [18.0, 8.0, 19.0, 29.0]
    if with_result:
        titles.append("결과")
        widths = [17.0, 7.0, 17.0, 24.0, 9.0]
    body = []
    for r in rows:
        cells = [Cell(r.applicant), Cell(r.representative, align="center"),
                 Cell(r.purpose_type, align="center"), Cell(r.business)]
        if with_result:
            when = f"\n({f.short_date(r.result_on)})" if r.result_on else ""
            cells.append(Cell(r.result + when, align="center"))
        body.append(spread(*cells))
    return ReportTable("예비사회적기업 지정 신청 현황", "지정 신청", _header(*titles), body, widths)


def participants_table(event: SalesEventRow) -> ReportTable:
    """참가기업명 · 유형 · 참가내용(사업내용)."""
    body = [spread(Cell(p.name), Cell(p.kind, align="center"), Cell(p.items))
            for p in event.participant_list]
    return ReportTable(f"{event.name} 참가기업", "참가기업",
                       _header("참가기업명", "유형", "참가내용(사업내용)"), body,
                       [24.0, 16.0, 34.0])


def _time_range(a: object, b: object) -> str:
    if a is None:
        return ""
    return f"{a:%H:%M}" + (f" ~ {b:%H:%M}" if b is not None else "")


def schedule_table(event: SalesEventRow) -> ReportTable:
    """장소 · 일정 · 운영시간 of a market held at several places and days."""
    body = []
    for s in event.schedules:
        days = f.date_range(s.start_date, s.end_date or s.start_date)
        body.append(spread(Cell(s.venue), Cell(days, align="center"),
                           Cell(_time_range(s.start_time, s.end_time), align="center")))
    return ReportTable("장소 및 일정", "일정", _header("장소", "일정", "운영시간"), body,
                       [30.0, 26.0, 18.0])


def _measures(line: ServiceLineRow) -> str:
    parts = [f"{m.label + ' ' if m.label else ''}{m.value:,}{m.unit}" for m in line.measures]
    return "\n".join(parts)


def service_table(lines: list[ServiceLineRow]) -> ReportTable:
    """서비스 제공: 수행기관 · 서비스 · 실적 · 비고."""
    body = [spread(Cell(x.provider), Cell(x.service), Cell(_measures(x), align="center"),
                   Cell(x.note)) for x in lines]
    return ReportTable("서비스 제공", "서비스 제공", _header("수행기관", "서비스", "실적", "비고"),
                       body, [22.0, 20.0, 16.0, 16.0])


def rooms_table(facility: FacilityRow) -> ReportTable:
    """공간구성: 구분 (평) · 구성 내용."""
    body = [spread(Cell(f"{r.name}\n({r.area_pyeong:g}평)", "head"), Cell(r.purpose))
            for r in facility.rooms]
    return ReportTable("공간구성", "공간구성", _header("구분", "구 성 내 용"), body, [14.0, 60.0])


def videos_table(videos: list[VideoRow]) -> ReportTable:
    """날짜 · 콘텐츠 제목 (· 썸네일 when any video of the period has one: a blank cell else)."""
    pictures = any(v.image for v in videos)
    body = [spread(Cell(f.short_date(v.posted_on), align="center"), Cell(v.title),
                   *([Cell(v.image or None, "image", align="center")] if pictures else []))
            for v in videos]
    if pictures:
        return ReportTable("게시 영상", "유튜브 영상", _header("날짜", "콘텐츠 제목", "썸네일"),
                           body, [10.0, 48.0, 16.0])
    return ReportTable("게시 영상", "유튜브 영상", _header("날짜", "콘텐츠 제목"), body,
                       [10.0, 64.0])


def budget_next_table(budget: dict[str, int]) -> ReportTable:
    """다음 해 예산 per finance program (천원)."""
    return ReportTable(
        "예산", "예산", _header(*[support_label(p) for p in budget]),
        [spread(*[Cell(v, "thousand", "천원", align="center") for v in budget.values()])],
        [24.0] * len(budget),
    )


_WEEKDAYS = "월화수목금토일"


def day_span(s: Any) -> str:
    """'10월 30일 ~ 31일(토, 일)': one run of a market, its days and weekdays."""
    start, end = s.start_date, s.end_date or s.start_date
    days = ", ".join(_WEEKDAYS[(start + dt.timedelta(days=i)).weekday()]
                     for i in range((end - start).days + 1))
    tail = "" if end == start else (f" ~ {end.day}일" if end.month == start.month
                                    else f" ~ {end.month}월 {end.day}일")
    return f"{start.month}월 {start.day}일{tail}({days})"


def market_grid(event: SalesEventRow) -> ReportTable:
    """장소 및 일정 of a market at several places: 구분 · one column per place, months down."""
    venues: list[str] = []
    for sc in event.schedules:
        if sc.venue not in venues:
            venues.append(sc.venue)  # type: ignore[arg-type]  # a market row has a place
    months = sorted({sc.start_date.month for sc in event.schedules})
    body = []
    for m in months:
        cells = []
        for v in venues:
            runs = [sc for sc in event.schedules if sc.venue == v and sc.start_date.month == m]
            cells.append(Cell(", ".join(day_span(r).split("월 ", 1)[1] for r in runs) or "-",
                              align="center"))
        body.append(spread(Cell(f"{m}월", "head"), *cells))
    times = []
    for v in venues:
        runs = [sc for sc in event.schedules if sc.venue == v]
        times.append(Cell(_time_range(runs[0].start_time, runs[0].end_time) or "-",
                          align="center"))
    body.append(spread(Cell("운영시간", "head"), *times))
    return ReportTable("장소 및 일정", "일정", _header("구분", *venues), body,
                       [12.0, *[62.0 / len(venues)] * len(venues)])


_MONTHLY = ("일자리창출 인건비", "사회보험료")


def finance_years_table(rows: list, periods: list) -> ReportTable:
    """재정지원 by year as the seed's report prints it: '14개 기업 222백만원' per cell."""
    body = []
    for r in rows:
        cells = []
        for c in r.cells:
            persons = f" {c.persons:,}명" if c.persons else ""
            amount = cell_text(Cell(c.amount, "million0", "백만원"))
            cells.append(Cell(f"{c.orgs:,}개 기업{persons} {amount}", align="center",
                              carried=c.carried))
        label = f"{r.program} (매월 지급)" if r.program in _MONTHLY else r.program
        body.append(spread(Cell(label, "head"), *cells))
    return ReportTable("사회적경제기업 재정지원", "재정지원",
                       _header("지원사업", *[p.column_label for p in periods]), body,
                       [14.0, *[15.0] * len(periods)])
