"""The lines of the progress report (■ ○ – · ※ ☞), written from the period's query results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import formats as f
from db.models.choices import AREAS, PURCHASE_COURSE, STARTUP_AUDIENCE, VISITING_COURSE
from db.queries.governance import NoteRow
from db.queries.report import ReportFigures
from db.settings import OfficeSettings

from . import report_tables as rt
from .table_model import ReportTable

if TYPE_CHECKING:
    from .report import PlanContext
    from .report_history import History

BULLETS = {0: "○ ", 1: "- ", 2: "· ", 3: "· "}
MARKS = ("■", "□", "○", "-", "–", "·", "※", "☞", "*", "①", "②", "③", "④", "⑤")


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

    def printed(self, note: str | None, level: int = 1) -> None:
        """A record's printed note (보고서 주석): each line as written, '※ ' when it has no mark."""
        for line in (note or "").splitlines():
            text = line.strip()
            if text.startswith("- ") and level >= 2:  # a sub-item: bulleted as the lines beside it
                text = f"· {text[2:]}"
            if text:
                self.add(text if text.startswith(MARKS) else f"※ {text}", level)

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
    people = f.count(attendees, "명") if attendees else ""
    if people and sessions and not hours:  # '9회 총 376명' (the seed's 청소년 교육)
        return f"{name} : {amount} 총 {people}"
    parts = [p for p in (amount, people) if p]
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


def for_startup(e: Any) -> bool:
    """A course run for the startup teams: printed in the 창업지원 block, as the seed does."""
    return bool(e.audience and STARTUP_AUDIENCE in e.audience)


def _academy(b: Body, fig: ReportFigures, notes: list) -> None:
    """The academy's courses, the startup teams' runs and the 공공구매 담당자 교육 left out: a
    line per course, and 찾아가는 아카데미's runs one by one under its line."""
    runs = {c: r for c, r in fig.course_runs.items() if c != PURCHASE_COURSE}
    lines = [x for x in fig.academy if x.course in runs]
    if not lines and not any(n.area == "education" for n in notes):
        return
    b.area("사회적경제 아카데미")
    for x in lines:
        if x.course == VISITING_COURSE:
            b.item(_course_line(VISITING_COURSE, x.sessions, x.hours, x.attendees))
            visits = [e for e in fig.listed_runs
                      if e.course == VISITING_COURSE and not for_startup(e)]
            for circled, e in enumerate(visits):
                note = (e.printed_note or "").strip()
                said = note.startswith("(") and "\n" not in note  # '(온라인 Zoom으로 변경)'
                mode = note if said else f"({e.mode})" if e.mode != "대면" else ""
                b.add(f"{chr(0x2460 + circled % 20)} {e.host or e.title}{mode}", 2)
                if e.audience or e.attendees:
                    count = f.count(e.attendees, "명") if e.attendees else ""
                    b.item(" ".join(p for p in ("대상 :", e.audience, count) if p), 3)
                b.item(f"일시 : {_when(e)}", 3)
                if e.content:
                    b.item(f"내용 : {e.content}", 3)
                if not said:
                    b.printed(e.printed_note, 3)
            continue
        r = runs[x.course]
        name = r.title if r.runs == 1 and r.title else x.course
        if r.runs > 1 and len(r.modes) == 1 and "대면" not in r.modes:
            name = f"{x.course}({next(iter(r.modes))})"
        lead = r.printed_note if r.runs == 1 and r.printed_note else ""
        line = _course_line(name, x.sessions, x.hours, x.attendees)
        if lead:
            line = line.replace(" : ", f" : {lead} ", 1) if " : " in line else f"{line} : {lead}"
        b.item(line)
    b.notes(notes, "education", "추진 실적")


def _consulting_name(line: Any) -> str:
    """'기초컨설팅(연중 수시)' from the record's topic when the kind has one record."""
    kind = line.kind
    if kind.startswith("창업팀 심화"):
        return f"창업지원사업 선정팀 대상 컨설팅({kind.split()[-1]})"
    if line.topic:
        return line.topic
    return kind if "컨설팅" in kind else f"{kind} 컨설팅"


def _consulting(b: Body, fig: ReportFigures, notes: list) -> None:
    if not fig.consulting and not any(n.area == "consulting" for n in notes):
        return
    b.area("사회적경제 컨설팅")
    for x in fig.consulting:
        who = f.count(x.companies, "개팀 " if x.kind.startswith("창업팀") else "개사 ") \
            if x.companies else ""
        done = f.count(x.sessions, "회") if x.sessions else ""  # 0: not recorded, not 'none held'
        name = _consulting_name(x)
        each = "(팀별 1회)" if x.kind.startswith("창업팀") and x.companies == x.sessions else ""
        b.item(f"{name} : {who}{done}{each}".rstrip(" :") if who or done else name)
    b.notes(notes, "consulting", "추진 실적")


def _designations(b: Body, p: Any, rows: list) -> None:
    """'2021년 하반기 경기도형 예비사회적기업 지정 신청 현황(3개팀)' and its table, per kind."""
    kinds: dict[str, list] = {}
    for r in rows:
        kinds.setdefault(r.kind, []).append(r)
    for kind, group in kinds.items():
        b.item(f"{p.label} {kind} 예비사회적기업 지정 신청 현황({len(group)}개팀)")
        b.table(rt.designations_table(group))


def _events(b: Body, fig: ReportFigures, notes: list) -> None:
    """한마당 and facility projects (전시홍보관 조성)."""
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
        b.printed(e.printed_note, 1)
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


def notice_when(n: Any) -> str:
    """'(3.8.)', '(3.8.~4.1.)' when the notice has an end, '(6월)', '(매월)'."""
    if n.recurring:  # '(매월)'; a value typed with its brackets ('[매월]') as typed
        return n.recurring if n.recurring.startswith(("(", "[")) else f"({n.recurring})"
    if n.month_only:
        return f"({n.notice_on.month}월)"
    end = getattr(n, "end_on", None)
    if end:
        return f"({f.short_date(n.notice_on)}~{f.short_date(end)})"
    return f"({f.short_date(n.notice_on)})"


def grade_line(r: Any) -> str:
    """'2019년 56억원으로 경기도 시군종합평가 … 'S' 등급 달성'."""
    grade = f" '{r.grade}' 등급 달성" if r.grade else ""
    return f"{r.year}년 {f.eok_won(r.amount)}원으로 {r.evaluation or ''}{grade}".replace("  ", " ")


def purchase_course(b: Body, fig: ReportFigures) -> None:
    """사회적경제 공공구매 담당자 교육 실시: 일시, 장소, 대상, 인원, 내용."""
    for e in fig.listed_runs:
        if e.course != PURCHASE_COURSE:
            continue
        b.area(f"{e.title} 실시")
        b.item(f"일 시 : {_when(e)}")
        if e.printed_note:
            b.printed(e.printed_note, 1)
        else:
            b.item(f"방 식 : {e.mode}")
        if e.audience:
            b.item(f"교육대상 : {e.audience}")
        if e.attendees:  # 0 means not recorded
            b.item(f"참석인원 : {f.count(e.attendees, '명')}")
        if e.content:
            b.item(f"교육내용 : {e.content}")


def videos_block(b: Body, data: RowContext, year: str) -> bool:
    """유튜브 채널 운영: the period's count (as of the 기준일) and the videos' table.

    The period's 우선구매 notes come first under the heading (the channel's own lines); a
    ○ note among them is the heading as the clerk wrote it ('… 채널 운영(2020. 3. 개설)').
    Returns whether it printed those notes.
    """
    fig, p = data.figures, data.period
    v = fig.videos
    if not v.count:
        return False
    if data.history is not None and not v.rows:  # a carried count: one line, as the seed
        b.item(f"{p.end.year}년 {p.end.month}월까지 총 {v.count}개")
        return False
    own = [n for n in fig.notes if n.area == "purchasing" and n.kind == "추진 실적"]
    if not any(n.level == 0 for n in own):
        b.area(f"{data.settings.city}사회적경제 유튜브 채널 운영".strip())
    b.notes(own, "purchasing", "추진 실적")
    when = f"{fig.as_of.month}월 기준 " if fig.running else ""
    b.item(f"{p.label} 게시 영상물({when}{v.count}개)")
    if v.rows:  # a carried count alone has no titles: no empty table under it
        b.table(rt.videos_table(v.rows))
    return True


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
