"""The lines of the progress report (■ ○ – · ※ ☞), written from the period's query results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import formats as f
from db.models.choices import AREAS
from db.queries.governance import NoteRow
from db.queries.report import ReportFigures
from db.settings import OfficeSettings

from . import report_tables as rt
from .table_model import ReportTable
from .tables import finance_as_of_table

if TYPE_CHECKING:
    from .report import PlanContext
    from .report_history import History

BULLETS = {0: "○ ", 1: "- ", 2: "· ", 3: "· "}
MARKS = ("■", "□", "○", "-", "–", "·", "※", "☞", "*", "①", "②", "③", "④", "⑤")
PURCHASE_COURSE = "공공구매 담당자 교육"
VISITING = "찾아가는 아카데미"


class Body:
    """Lines and sub-tables of one section: (kind, value, indent level, bold)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any, int, bool]] = []

    def add(self, text: str, level: int, bold: bool = False) -> None:
        self.items.append(("text", text, level, bold))

    def head(self, text: str) -> None:
        self.add(f"■ {text}", 0, True)

    def area(self, text: str) -> None:
        self.add(f"○ {text}", 0, True)

    def item(self, text: str, level: int = 1) -> None:
        self.add(f"- {text}" if level == 1 else f"· {text}", level)

    def mark(self, mark: str, text: str, level: int = 1) -> None:
        self.add(f"{mark} {text}", level)

    def table(self, table: Any, keep: int = 1) -> None:
        """A sub-table; the `keep` lines before it are its caption and stay on its page.

        A ○/■ heading just above the caption stays too, so no heading ends a page alone.
        """
        above = self.items[-1 - keep] if len(self.items) > keep else None
        if above is not None and above[0] == "text" and above[3] \
                and above[1].startswith(("○", "■")):
            keep += 1
        self.items.append(("table", table, keep, False))

    def notes(self, notes: list, area: str, kind: str) -> None:
        """The period's ReportNotes of one area and kind, bulleted by level."""
        for n in notes:
            if n.area != area or n.kind != kind:
                continue
            text = n.text.strip()
            if not text.startswith(MARKS):
                text = BULLETS.get(n.level, "· ") + text
            self.add(text, n.level, bold=n.level == 0 and text.startswith("○"))


@dataclass(frozen=True)
class RowContext:
    """What one results row (구 분) of the report is written from."""

    figures: ReportFigures
    settings: OfficeSettings
    rosters: list[ReportTable]  # the 지원 공간 현황 tables; empty where the row has none
    history: History | None  # the earlier years, in the whole document's first row
    final: bool  # the last results row (the roster, a project's whole block)
    whole: bool  # a row of the whole document (not a one-period report)

    @property
    def period(self) -> Any:
        return self.figures.period


def _hours(h: float) -> str:
    return f"{h:g}시간"


def _course_line(name: str, sessions: int, hours: float, attendees: int) -> str:
    """'기초과정 : 3회 30시간, 14명'.

    A count of 0 means nobody recorded it (the model defaults to 0), so it is left out
    rather than printed as '0명' / '0시간'; the seed omits what it does not know.
    """
    amount = " ".join(p for p in (f.count(sessions, "회") if sessions else "",
                                  _hours(hours) if hours else "") if p)
    parts = [p for p in (amount, f.count(attendees, "명") if attendees else "") if p]
    return f"{name} : {', '.join(parts)}" if parts else name


def _when(e: Any) -> str:
    """Dates and times of a course run: 2021. 7. 9.(금) 15:00~18:00 3시간."""
    if not e.dates:
        days = f.report_date(e.start_date)
        return days if e.end_date in (None, e.start_date) else (
            f"{days}~{f.short_date(e.end_date)}")
    first = e.dates[0]
    days = "/".join(f.short_date(d.day) + f"({f.weekday_name(d.day)})" for d in e.dates)
    days = f"{first.day.year}. " + days
    if first.start_time and first.end_time:
        days += f" {first.start_time:%H:%M}~{first.end_time:%H:%M}"
    hours = _hours(e.hours) if e.hours else ""  # 0: not recorded
    if len(e.dates) > 1:
        return days + f" 총 {len(e.dates)}회" + (f", {hours}" if hours else "")
    return days + (f" {hours}" if hours else "")


def _academy(b: Body, fig: ReportFigures, notes: list) -> None:
    lines = [x for x in fig.academy if x.course != PURCHASE_COURSE]
    details = fig.academy_details
    if not lines and not any(n.area == "education" for n in notes):
        return
    b.area("사회적경제 아카데미")
    for x in lines:
        if x.course == VISITING:
            b.item(_course_line(VISITING, x.sessions, x.hours, x.attendees))
            circled = 0
            for e in details:
                if e.course != VISITING:
                    continue
                circled += 1
                mode = f"({e.mode})" if e.mode != "대면" else ""
                b.add(f"{chr(0x2460 + (circled - 1) % 20)} {e.host or e.title}{mode}", 2)
                if e.audience or e.attendees:
                    count = f.count(e.attendees, "명") if e.attendees else ""
                    b.item(" ".join(p for p in ("대상 :", e.audience, count) if p), 3)
                b.item(f"일시 : {_when(e)}", 3)
                if e.content:
                    b.item(f"내용 : {e.content}", 3)
            continue
        b.item(_course_line(x.course, x.sessions, x.hours, x.attendees))
    b.notes(notes, "education", "추진 실적")


def _consulting(b: Body, fig: ReportFigures, notes: list) -> None:
    if not fig.consulting and not any(n.area == "consulting" for n in notes):
        return
    b.area("사회적경제 컨설팅")
    for x in fig.consulting:
        who = f.count(x.companies, "개사 ") if x.companies else ""
        name = x.kind if "컨설팅" in x.kind else f"{x.kind} 컨설팅"
        done = f.count(x.sessions, "회") if x.sessions else ""  # 0: not recorded, not 'none held'
        b.item(f"{name} : {who}{done}".rstrip(" :") if who or done else name)
    b.notes(notes, "consulting", "추진 실적")


def _startup(b: Body, data: RowContext, notes: list) -> None:
    c = data.figures.cohort
    p = data.figures.period
    applications = data.figures.designations
    if c is None and not applications and not any(n.area == "startup" for n in notes):
        return
    b.area(c.title if c else "사회적기업 창업지원사업")
    if c is not None:
        for r in c.rounds:
            if not (p.contains(r.recruit_start) or p.contains(r.agreement_on)):
                continue
            end = f" ~ {f.report_date(r.recruit_end, weekday=False)}" if r.recruit_end else ""
            b.item(f"{r.kind} : {f.report_date(r.recruit_start, weekday=False)}{end}")
            review = f" 및 심사({f.short_date(r.review_on)})" if r.review_on else ""
            b.item(f"접수 및 선정 : {r.applications}개사 접수{review} ☞ {r.selected}개팀 선정", 2)
            if r.agreement_on:
                b.item(f"협약 : {f.short_date(r.agreement_on)}", 2)
        if c.teams:
            b.item(f"선정기업 현황 (참여 {c.active_teams}개팀)")
            b.table(rt.teams_table(c.teams))
        if c.payments:
            paid = ", ".join(f"{k} {f.thousand_won(v)}천원" for k, v in c.payments.items())
            b.item(f"사업개발비 지급(누계) : {paid}")
        if c.awaiting_evaluation:
            b.mark("※", f"최종 평가 예정 : {len(c.awaiting_evaluation)}개팀", 2)
        if c.awaiting_second_payment:
            names = ", ".join(c.awaiting_second_payment)
            b.mark("☞", f"2차 지원금(20%) 지급 예정 : {names}", 2)
    _designations(b, p, applications)
    b.notes(notes, "startup", "추진 실적")


def _designations(b: Body, p: Any, rows: list) -> None:
    """'2021년 하반기 경기도형 예비사회적기업 지정 신청 현황(3개팀)' and its table, per kind."""
    kinds: dict[str, list] = {}
    for r in rows:
        kinds.setdefault(r.kind, []).append(r)
    for kind, group in kinds.items():
        b.item(f"{p.label} {kind} 예비사회적기업 지정 신청 현황({len(group)}개팀)")
        b.table(rt.designations_table(group))


def _sales(b: Body, fig: ReportFigures, notes: list) -> None:
    events = fig.sales_events
    if not events and not any(n.area == "sales" for n in notes):
        return
    b.area("사회적경제기업 판로지원")
    for e in events:
        b.add(f"- {e.kind} : {e.name}", 1, True)
        if e.content:
            b.item(f"내용 : {e.content}", 2)
        if e.channel:
            b.item(f"장소·채널 : {e.channel}", 2)
        b.item(f"일시 : {f.date_range(e.start_date, e.end_date or e.start_date)}", 2)
        if len(e.schedules) > 1:
            b.table(rt.schedule_table(e))
        if e.participants:
            b.item(f"참여기업 : {f.count(e.participants, '개 기업')}", 2)
        if e.sales_amount is not None:
            b.item(f"매출액 : {f.thousand_won(e.sales_amount)}천원", 2)
        if e.participant_list:
            b.table(rt.participants_table(e))
        if e.applied:
            b.mark("☞", f"참가기업 모집 : 총 {e.applied}개사 신청, {e.selected}개 기업 선정", 2)
    b.notes(notes, "sales", "추진 실적")


def _space(b: Body, data: RowContext, notes: list) -> None:
    calls = data.figures.tenant_calls
    if not calls and not data.rosters:
        return
    b.area("사회적경제기업 입주 공간 지원")
    for c in calls:
        end = f" ~ {f.short_date(c.end_on)}" if c.end_on else ""
        b.item(f"{c.title} : {f.report_date(c.start_on, weekday=False)}{end}")
        b.item("지원공간 : " + ", ".join(o.site for o in c.offers), 2)
        b.item(f"희망기업 : {c.applicants}개사", 2)
        for o in c.offers:
            if o.selected:
                b.item(f"선정기업 : {o.selected} ☞ {o.site}", 2)
            elif not o.applicants:
                b.mark("※", f"{f.josa(o.site, '은/는')} 입주 희망기업이 없음", 2)
    b.notes(notes, "space", "추진 실적")
    if data.rosters:
        b.mark("※", "지원 공간 현황", 1)
        for i, t in enumerate(data.rosters):
            b.add(t.title, 1, True)
            for line in t.intro:  # the provider's 임대료 / 입주기간 lines from the settings
                b.add(line.strip(), 3 if line[:1].isspace() else 2)
            b.table(t, keep=1 + len(t.intro) + (i == 0))  # the first keeps the ※ line too


def _social(b: Body, fig: ReportFigures, notes: list) -> None:
    for p in fig.social_service:
        b.area("사회서비스분야 사회적경제기업 육성지원")
        if p.program:
            b.mark("※", p.program, 1)
        b.item(f"사업명 : {p.name}")
        if p.purpose:
            b.item(f"내 용 : {p.purpose}")
        if p.members:
            b.item(f"컨소시엄 : {p.members}")
        parts = ", ".join(f"{k} {f.thousand_won(v)}천원" for k, v in p.budget.items() if v)
        b.item(f"사업비 : {f.thousand_won(p.budget_total)}천원({parts})")
        if p.lines:
            b.item("서비스 제공")
            b.table(rt.service_table(p.lines))
    b.notes(notes, "social_service", "추진 실적")


def _events(b: Body, fig: ReportFigures, notes: list) -> None:
    for e in fig.festivals:
        b.area("사회적경제 한마당 개최")
        b.item(f"행사명 : {e.name}" + (f" {e.subtitle}" if e.subtitle else ""))
        when = f.report_date(e.held_on)
        if e.start_time and e.end_time:
            when += f" {e.start_time:%H}시 ~ {e.end_time:%H}시"
        b.item(f"일 시 : {when}")
        if e.venue:
            b.item(f"장 소 : {e.venue}")
        if e.programme:
            b.item(f"내 용 : {e.programme}")
        if e.partners:
            b.mark("※", e.partners, 1)
    for x in fig.facilities:
        b.area(x.name)
        if x.location:
            b.item(f"위 치 : {x.location}")
        if x.building:
            b.item(f"건물현황 : {x.building}")
        if x.works_start:
            end = f" ~ {f.short_date(x.works_end)}" if x.works_end else ""
            b.item(f"공사기간 : {f.dotted(x.works_start)}{end}")
        if x.area_m2:
            b.item(f"규모(면적) : {f.area(x.area_m2)}(약 {f.pyeong_text(x.area_m2)})")
        if x.rooms:
            b.item("공간구성")
            b.table(rt.rooms_table(x))
    b.notes(notes, "events", "추진 실적")


def _purchasing(b: Body, data: RowContext, notes: list) -> None:
    fig, p = data.figures, data.figures.period
    b.head("사회적경제기업 제품 우선 구매")
    for r in fig.purchasing:
        if r.year != p.end.year:
            continue
        b.area(f"사회적경제 우선구매율 지표 '{r.grade}' 등급" if r.grade else "사회적경제 우선구매")
        if r.evaluation:
            b.item(f"{r.evaluation} {r.as_of.month}월말 기준 {r.grade or ''} 등급".rstrip())
        rate = f"({f.percent(r.rate, 2)})" if r.rate is not None else ""
        b.mark("☞", f"{f.report_date(r.as_of, weekday=False)} 기준 구매액 {f.eok_won(r.amount)}{rate}")
        if r.target_amount:
            t_rate = f"({f.percent(r.target_rate, 2)})" if r.target_rate is not None else ""
            b.mark("※", f"연말까지 우선구매 목표액 {f.eok_won(r.target_amount)}{t_rate}", 2)
    for e in fig.academy_details:
        if e.course != PURCHASE_COURSE:
            continue
        b.area(f"{e.title} 실시")
        b.item(f"일 시 : {_when(e)}")
        b.item(f"방 식 : {e.mode}")
        if e.audience:
            b.item(f"교육대상 : {e.audience}")
        if e.attendees:  # 0 means not recorded
            b.item(f"참석인원 : {f.count(e.attendees, '명')}")
        if e.content:
            b.item(f"교육내용 : {e.content}")
    for channel, rows in fig.promotion_notices.items():
        b.area(f"{channel} 홍보")
        for n in rows:
            when = n.recurring and f"[{n.recurring}]" or (
                f"({n.notice_on.month}월)" if n.month_only else f"({f.short_date(n.notice_on)})")
            b.item(f"{n.title}{when}")
            if n.audience:
                b.item(n.audience, 2)
    for x in fig.publications:
        issued = f"({f.short_date(x.issued_on)})" if x.issued_on else ""
        b.area(f"{x.kind} 제작 및 배부{issued}")
        b.item(f"책자명 : {x.title}")
        for label, value in (("목 적", x.purpose), ("내 용", x.content),
                             ("배포처", x.distribution)):
            if value:
                b.item(f"{label} : {value}")
        if x.copies:
            detail = f"({x.copies_detail})" if x.copies_detail else ""
            b.item(f"수 량 : {f.count(x.copies, '부')}{detail}")
    v = fig.videos
    if v.count:
        b.area("유튜브 채널 운영")
        b.item(f"{p.label} 게시 영상물 ({v.count}개)")
        if v.rows:  # a carried count alone has no titles: no empty table under it
            b.table(rt.videos_table(v.rows))
    b.notes(notes, "purchasing", "추진 실적")


def _finance(b: Body, data: RowContext, notes: list) -> None:
    fig = data.figures
    if not any(c.orgs or c.amount for c in fig.finance_as_of):
        return
    b.area(f"사회적경제기업 재정지원 ({f.report_date(fig.as_of, weekday=False)} 기준)")
    b.table(finance_as_of_table(fig.finance_as_of, fig.as_of))
    b.notes(notes, "finance", "추진 실적")


def results_body(data: RowContext) -> Body:
    """추진 실적: generated lines for every area, then each area's notes."""
    b, fig = Body(), data.figures
    notes = fig.notes
    b.head("사회적경제기업 지원시스템 구축")
    _academy(b, fig, notes)
    _consulting(b, fig, notes)
    _startup(b, data, notes)
    _sales(b, fig, notes)
    _finance(b, data, notes)
    _space(b, data, notes)
    _social(b, fig, notes)
    _events(b, fig, notes)
    for area in ("organization", "governance"):
        b.notes(notes, area, "추진 실적")
    _purchasing(b, data, notes)
    return b


def plan_body(plans: PlanContext) -> Body:
    """추진 계획: the coming period's label, its plan notes by area, next year's budget table."""
    b = Body()
    if plans.notes or plans.budget_next:
        b.add(plans.period.label, 0, True)
    for area in AREAS:
        b.notes(plans.notes, area, "추진 계획")
        if area == "finance" and plans.budget_next:
            basis = f"({plans.budget_basis})" if plans.budget_basis else ""
            b.item(f"{plans.period.end.year}년 예산{basis} 현황")
            b.table(rt.budget_next_table(plans.budget_next))
    return b


def problems_body(notes: list[NoteRow]) -> Body:
    """문제점 및 개선대책 from the notes; nothing recorded leaves the part blank."""
    b = Body()
    for kind in ("문제점", "개선대책"):
        mine = [n for n in notes if n.kind == kind]
        if not mine:
            continue
        b.area(kind)
        for n in mine:
            text = n.text.strip()
            if not text.startswith(MARKS):
                text = ("- " if n.level <= 1 else "· ") + text
            b.add(text, max(1, n.level))
    return b
