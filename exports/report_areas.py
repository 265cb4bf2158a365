"""Report blocks of the areas whose history and progress the seed prints in detail.

창업지원 (rounds, team education, payments, consulting), 판로지원 (each event as the seed
lists it), 재정지원, 입주공간 (the tenant call and its outcome, the roster), 사회서비스 and
우선구매 (the earlier years in the whole document's first row). results_body() puts every
area of a row together in the seed's order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from db import formats as f
from db.models.choices import TEAM_CONSULTING_KINDS
from db.queries.space import TenantCallRow

from . import report_lines as ln
from . import report_tables as rt
from .report_lines import Body, RowContext
from .table_model import NUMERIC_KINDS, ReportTable
from .tables import finance_as_of_table, milestone_table, sales_table, startup_table

_CHANNEL_HEADS = {
    "새올행정시스템 시정공유방": "새올행정시스템 시정공유방 홍보",
    "유관기관": "유관기관 홍보",
    "전국 지자체": "전국 지자체 홍보",
    "부서 방문·전화": "우선구매 부서 방문 및 전화 독려",
    "계획·보고": "우선구매 활성화 계획 등 수립",
    "교육": "사회적경제 우선구매 교육",
}


def _man_won(n: int) -> str:
    return f"{n // 10_000:,}만원" if n % 10_000 == 0 else f"{f.won(n)}원"


def _md(d: dt.date) -> str:
    """'6. 16.' (a second date of the same year)."""
    return f"{d.month}. {d.day}."


def _short_range(a: dt.date, b: dt.date | None) -> str:
    """'6.14.~25.', '6.30.~7.2.' (a course inside a line)."""
    if b is None or b == a:
        return f.short_date(a)
    return f"{f.short_date(a)}~{b.day}." if (a.year, a.month) == (b.year, b.month) \
        else f"{f.short_date(a)}~{f.short_date(b)}"


def _range(a: dt.date, b: dt.date | None) -> str:
    """'2021. 3. 10. ~ 3. 30.'."""
    start = f.report_date(a, weekday=False)
    return start if b is None or b == a else f"{start} ~ {_md(b)}"


def starred(title: str, note: str | None) -> str:
    """A heading with the '*' of its footnote ('* 사회적 가치를 …' printed under it).

    The mark goes before the heading's parenthesis, as the seed writes it:
    '사회적기업 창업지원사업*(사회적기업 발굴·육성)', '… 육성지원*'.
    """
    if not note or not note.lstrip().startswith("*") or note.lstrip().startswith("**"):
        return title
    cut = title.find("(")
    return f"{title[:cut]}*{title[cut:]}" if cut > 0 else f"{title}*"


def as_seed(t: ReportTable) -> ReportTable:
    """A yearly table as the report prints it: the seed marks no carried (이월) figure, so
    neither the marks nor their note appear (the yearly tables export keeps them), and its
    figures stand centred."""
    def plain(rows: list) -> list:  # figures centred in their year, as the seed's tables
        return [[None if c is None else replace(
            c, carried=False, align="center" if c.kind in NUMERIC_KINDS else c.align)
            for c in r] for r in rows]
    return replace(t, header_rows=plain(t.header_rows), body=plain(t.body),
                   totals=plain(t.totals), notes=[n for n in t.notes if "이월 실적" not in n])


def _history_mark(b: Body, data: RowContext) -> None:
    """'※ 2021년 상반기 추진내용' under a yearly table of the document's first row."""
    if data.history is not None:
        b.mark("※", f"{data.period.label} 추진내용", 1)


# ---------------------------------------------------------------- 창업지원


def _startup(b: Body, data: RowContext, notes: list) -> None:
    fig, p = data.figures, data.period
    c = fig.cohort
    if c is None and not fig.designations and not any(n.area == "startup" for n in notes):
        return
    footnote = c is not None and (data.final or not data.whole)
    b.area(starred(c.title, c.printed_note if footnote else None) if c
           else "사회적기업 창업지원사업")
    if data.history is not None:
        b.table(as_seed(startup_table(data.history.startup)))
        _history_mark(b, data)
    if footnote:
        assert c is not None  # a footnote comes from the cohort
        b.printed(c.printed_note, 1)
    if c is not None:
        _rounds(b, data)
        _team_education(b, fig)
        for kind, total in c.payments.items():
            teams = c.paid_teams.get(kind, 0)
            day = c.paid_on.get(kind)
            if not teams or day is None or not p.contains(day):
                continue
            each = f" ☞ 기업별 {_man_won(total // teams)}" if total % teams == 0 else ""
            b.item(f"{teams}개사 사업개발비 지급({kind.split('(')[-1].rstrip(')')}) : "
                   f"{_md(day)}{each}")
        _team_consulting(b, data)
        if c.teams and p.contains(min((r.agreement_on for r in c.rounds if r.agreement_on),
                                      default=None)):
            b.item(f"선정기업 현황 (참여 {c.active_teams}개팀)")
            b.table(rt.teams_table(c.teams))
        if c.awaiting_second_payment:
            names = ", ".join(c.awaiting_second_payment)
            b.mark("☞", f"2차 지원금(20%) 지급 예정 : {names}", 2)
    ln._designations(b, p, fig.designations)
    b.notes(notes, "startup", "추진 실적")


def _rounds(b: Body, data: RowContext) -> None:
    c, p = data.figures.cohort, data.period
    assert c is not None  # the rounds section is drawn only for a year with a cohort
    agreed = {r.round_no: 0 for r in c.rounds}
    for r in c.rounds:
        agreed[r.round_no] = sum(1 for t in c.teams if t.agreed_on and t.round_kind == r.kind)
    for r in c.rounds:
        if not (p.contains(r.recruit_start) or p.contains(r.agreement_on)):
            continue
        main = r.round_no == 1
        if not main:
            b.printed(r.printed_note, 1)
        label = "참여자 모집" if main else f"모집({r.planned}개팀)"
        b.item(f"{label} : {_range(r.recruit_start, r.recruit_end)}")
        mode = f"{r.review_mode} " if r.review_mode else ""
        review = f" 및 {mode}심사({f.short_date(r.review_on)})" if r.review_on else ""
        b.item(f"접수 및 선정 : {r.applications}개사 접수{review}")
        if r.agreement_on:
            tail = f" ※ {r.printed_note}" if main and r.printed_note else ""
            signed = "협약식 개최" if r.ceremony else "협약"
            day = f.short_date(r.agreement_on)
            if agreed[r.round_no] == r.selected:  # '1개팀 최종 선정 및 협약(6.9.)'
                b.item(f"{r.selected}개팀 최종 선정 및 {signed}({day}){tail}")
            else:
                b.item(f"최종 {r.selected}개팀 선정 및 {agreed[r.round_no]}개팀 {signed}"
                       f"({day}){tail}")


def _team_education(b: Body, fig: Any) -> None:
    """The cohort's own courses: '사회적기업 창업교육(12시간) : 5. 12.(수)~14.(금) … ☞ 7명'."""
    for e in fig.listed_runs:
        if not ln.for_startup(e):
            continue
        hours = f"({e.hours:g}시간)" if e.hours else ""
        days = f.date_range(e.start_date, e.end_date or e.start_date)
        note = f" {e.printed_note}" if e.printed_note else ""
        if e.attendees:
            who = f" {e.attendees}명" if "☞" in note else f" ☞ {e.attendees}명"
            b.item(f"{e.title}{hours} : {days}{note}{who}")
        else:
            short = _short_range(e.start_date, e.end_date)
            b.mark("☞", f"{e.title}({short}) {e.hours:g}시간 교육{note}", 1)


def _team_consulting(b: Body, data: RowContext) -> None:
    """심화컨설팅 of the cohort by round: '1차(인증요건 등) : 6.29.(6개팀)/ 7.16.(1개팀)'."""
    p = data.period
    rows = data.figures.team_rounds
    if not any(p.contains(r.held_on) for r in rows):
        return
    if len(rows) == 1:  # one day so far: '심화컨설팅 : 6. 29. 6개팀 참여(1개팀 불참 ☞ 7월 예정)'
        r = rows[0]
        note = f"({r.printed_note})" if r.printed_note else ""
        b.item(f"심화컨설팅 : {_md(r.held_on)} {r.companies}개팀 참여{note}")
        return
    b.item("심화컨설팅(1:1 맞춤)")
    for kind in TEAM_CONSULTING_KINDS:
        mine = [r for r in rows if r.kind == kind]
        if not mine:
            continue
        days = ", ".join(f"{f.short_date(r.held_on)}({r.companies}개팀)" for r in mine)
        # a note of an earlier period ('☞ 7월 예정') is done by now: only this period's
        notes = "".join(f"({r.printed_note})" for r in mine
                        if r.printed_note and p.contains(r.held_on))
        topic = f"({mine[0].topic})" if mine[0].topic else ""
        b.item(f"{kind.split()[-1]}{topic} : {days}{notes}", 2)


# ---------------------------------------------------------------- 판로지원


def _sales(b: Body, data: RowContext, notes: list) -> None:
    events = data.figures.sales_events
    if not events and data.history is None and not any(n.area == "sales" for n in notes):
        return
    b.area("사회적경제기업 판로지원")
    if data.history is not None:
        b.table(as_seed(sales_table(data.history.sales)))
        _history_mark(b, data)
    for e in events:
        _event(b, e)
    b.notes(notes, "sales", "추진 실적")


def _event_head(e: Any) -> str:
    """The event's lead line: by kind where the seed names the support, else the event."""
    if e.kind == "전시회":
        return f"사회적경제기업 {e.kind} 참가지원"
    if e.kind == "라이브커머스":
        return f"{e.kind} 지원"
    return e.name


def _event(b: Body, e: Any) -> None:
    head = _event_head(e)
    note = (e.printed_note or "").strip()
    inline = note.startswith("※") and "\n" not in note  # the seed's '꿈길마켓 ※ 코로나19로 …'
    b.add(f"- {head} {note}" if inline else f"- {head}", 1, True)
    if e.kind == "전시회":
        b.item(f"전시회명 : {e.name}", 2)
    content = f"내용 : {e.content}" if e.content and e.content != head else ""
    if content and e.kind != "전시회":
        b.item(content, 2)
    times = next(((s.start_time, s.end_time) for s in e.schedules if s.start_time), None)
    hours = f" {times[0]:%H:%M} ~ {times[1]:%H:%M}" if times and times[1] else ""
    venues = {s.venue for s in e.schedules}
    if e.kind == "전시회":
        days = f.date_range(e.start_date, e.end_date or e.start_date)
        b.item(f"기간/장소 : {days} / {e.channel or ''}".rstrip(" /"), 2)
        if content:  # an exhibition's 내용 follows its dates
            b.item(content, 2)
    elif len(venues) > 1:
        b.item("장소 및 일정", 2)
        b.table(rt.market_grid(e))
    else:
        if e.channel:
            b.item(f"{'채널' if e.kind == '라이브커머스' else '장소'} : {e.channel}", 2)
        if len(e.schedules) > 1:
            b.item("날짜 : " + ", ".join(rt.day_span(s) for s in e.schedules), 2)
            if hours:
                b.item(f"운영시간 :{hours}", 2)
        else:
            b.item(f"일시 : {f.report_date(e.start_date)}{hours}", 2)
    result = note.startswith("☞")  # the call's outcome closes the block, after the table
    if not inline and not result:
        b.printed(e.printed_note, 2)
    if e.participants:
        named = e.participant_list[0].name if e.participant_list else ""
        lead = f"{named} 등 " if named and e.participants > len(e.participant_list) else ""
        label = "참가기업" if e.kind == "전시회" else "참여기업"
        b.item(f"{label} : {lead}{f.count(e.participants, '개 기업')}", 2)
    if e.sales_amount is not None:
        total = "총 " if len(e.schedules) > 1 else ""  # a market over several days
        b.item(f"매출액 : {total}{f.thousand_won(e.sales_amount)}천원", 2)
    if len(e.participant_list) > 1:
        b.table(rt.participants_table(e))
    if result:
        b.printed(e.printed_note, 2)


# ---------------------------------------------------------------- 재정지원 · 입주공간


def _finance(b: Body, data: RowContext, notes: list) -> None:
    fig = data.figures
    if data.history is not None:
        b.area("사회적경제기업 재정지원")
        b.table(as_seed(rt.finance_years_table(data.history.finance, data.history.columns)))
    elif any(c.orgs or c.amount for c in fig.finance_as_of):
        b.area(f"사회적경제기업 재정지원 ({f.report_date(fig.as_of, weekday=False)} 기준)")
        b.table(finance_as_of_table(fig.finance_as_of, fig.as_of))
    else:
        return
    b.notes(notes, "finance", "추진 실적")


def place(site: str) -> str:
    """The building of a site, as the call's lines name it: '능곡역 2층' → '능곡역'."""
    return re.sub(r"\s+(?:지하\s*)?\d+\s*층$", "", site.strip())


def offered_spaces(offers: list) -> str:
    """'LH 지축1·4단지 내 각 1개소, 코레일 능곡역 1개소': the call's spaces by provider.

    Sites of one provider that differ only by their number are written once.
    """
    groups: dict[str, list[str]] = {}
    for o in offers:
        groups.setdefault(o.provider, []).append(place(o.site))
    out = []
    for provider, sites in groups.items():
        parts: list[Any] = [re.fullmatch(r"(\D*?)(\d+)(\D*)", s) for s in sites]
        if len(sites) > 1 and all(parts) and len({(m[1], m[3]) for m in parts}) == 1:
            nums = "·".join(sorted((m[2] for m in parts), key=int))
            out.append(f"{provider} {parts[0][1]}{nums}{parts[0][3]} 내 각 1개소")
        else:
            out += [f"{provider} {s} 1개소" for s in sites]
    return ", ".join(out)


def _call(b: Body, c: TenantCallRow, as_of: dt.date) -> None:
    b.item(f"{c.title.split('년 ', 1)[-1]} : {_range(c.start_on, c.end_on)}")
    b.item(f"지원공간 : {offered_spaces(c.offers)}", 2)
    detail = f"({c.printed_note})" if c.printed_note else ""
    b.item(f"희망기업 : {c.applicants}개사{detail}", 2)
    b.mark("※", ", ".join(f"{place(o.site)} {o.applicants}개" if o.applicants
                          else f"{place(o.site)} 없음" for o in c.offers), 3)
    for o in c.offers:
        if o.selected:
            state = ""
            if o.moved_in_on:
                done = "입주 완료" if o.moved_in_on <= as_of else "입주 예정"
                state = f" {o.moved_in_on.month}월 {done}"
            b.item(f"선정기업 : {o.selected} ☞ {place(o.site)}{state}", 2)
    for o in c.offers:
        if not o.selected and not o.applicants:
            back = f"반납({o.returned_on.month}월)" if o.returned_on else "반납 예정"
            b.mark("※", f"{f.josa(place(o.site), '은/는')} 입주 희망기업이 없어 {back}", 3)


def _space(b: Body, data: RowContext, notes: list) -> None:
    fig = data.figures
    calls = [c for c in fig.tenant_calls
             if not data.whole or data.period.contains(c.outcome_on)]
    if not calls and not data.rosters and data.history is None:
        return
    b.area("사회적경제기업 입주 공간 지원")
    if data.history is not None:
        b.table(as_seed(milestone_table(data.history.milestones, data.history.columns)))
    for c in calls:
        _call(b, c, fig.as_of)
    b.notes(notes, "space", "추진 실적")
    if data.rosters:
        b.mark("※", "지원 공간 현황", 1)
        for i, t in enumerate(data.rosters):
            b.add(t.title, 1, True)
            for line in t.intro:  # the provider's 임대료 / 입주기간 lines from the settings
                b.add(line.strip(), 3 if line[:1].isspace() else 2)
            b.table(t, keep=1 + len(t.intro) + (i == 0))  # the first keeps the ※ line too


# ---------------------------------------------------------------- 사회서비스 · 우선구매


def _social(b: Body, data: RowContext, notes: list) -> None:
    fig = data.figures
    short = data.whole and not data.final
    past = data.history.notes("social_service") if data.history else []
    for p in fig.social_service:
        footnote = None if short else p.printed_note
        b.area(starred("사회서비스분야 사회적경제기업 육성지원", footnote))
        if footnote:  # '*보건복지부 주관 … 시범사업으로, …': says what the program is
            b.printed(footnote, 1)
        elif p.program:
            b.mark("※", p.program + (" 추진" if short else ""), 1)
        if short:
            continue
        b.item(f"사업명 : {p.name}")
        if p.purpose:
            b.item(f"내 용 : {p.purpose}")
        if p.members:
            b.item(f"컨소시엄 : {p.members}")
        parts = ", ".join(f"{k} {f.thousand_won(v)}천원" for k, v in p.budget.items() if v)
        b.item(f"사업비 : {f.thousand_won(p.budget_total)}천원({parts})")
        b.item(f"{data.period.label} 사업 실적")
        b.notes(notes, "social_service", "추진 실적")
        notes = [n for n in notes if n.area != "social_service"]
        if p.lines:
            b.item("서비스 제공")
            b.table(rt.service_table(p.lines))
    b.notes(past, "social_service", "추진 실적")
    b.notes(notes, "social_service", "추진 실적")


def _notices(b: Body, channel: str, rows: list, year: str) -> None:
    head = _CHANNEL_HEADS.get(channel, f"{channel} 홍보")
    if channel == "계획·보고" and any("실적 보고" in n.title for n in rows):
        head += " 및 전년도 실적 보고"
    b.area(f"{year}{head}")
    groups: dict[str | None, list] = {}
    for n in rows:
        key = n.audience if channel in ("유관기관", "전국 지자체") else None
        groups.setdefault(key, []).append(n)
    several = len(groups) > 1
    single = all(len(mine) == 1 for mine in groups.values())
    for audience, mine in groups.items():
        if audience and several and single:  # '경기도고양교육지원청 대상 … 홍보 요청(2.18.)'
            b.item(f"{audience} 대상 {mine[0].title}{ln.notice_when(mine[0])}")
            continue
        heads = bool(audience) and (several or len(mine) > 1)  # the audience, its notices
        if heads:
            b.item(str(audience))  # heads: the audience is set
        for n in mine:
            b.item(f"{n.title}{ln.notice_when(n)}", 2 if heads else 1)
            if audience and not heads:  # a sole notice: its audience under it
                b.item(audience, 2)


def _publication(b: Body, x: Any, city: str, dated: bool) -> None:
    if dated and x.issued_on:
        b.area(f"사회적경제기업 {x.kind} 제작 및 배부({f.short_date(x.issued_on)})")
    elif x.kind == "카탈로그":
        b.area(f"{x.title} 제작({x.year}년)")
    else:
        b.area(f"{city} 사회적경제기업 {x.kind} 제작({x.year}년)".strip())
    if x.kind != "카탈로그":
        b.item(f"책자명 : {x.title}")
    for label, value in (("목 적", x.purpose), ("내 용", x.content)):
        if value:
            b.item(f"{label} : {value}")
    b.printed(x.printed_note, 1)
    if x.distribution:
        b.item(f"배포처 : {x.distribution}")
    if x.copies:
        detail = f"({x.copies_detail})" if x.copies_detail else ""
        b.item(f"수 량 : {f.count(x.copies, '부')}{detail}")


def _split(notes: list) -> tuple[list, list]:
    """A year's purchasing notes: those before its first ○ heading, and the headed ones."""
    mine = [n for n in notes if n.area == "purchasing" and n.kind == "추진 실적"]
    first = next((i for i, n in enumerate(mine) if n.level == 0), len(mine))
    return mine[:first], mine[first:]


def _past_purchasing(b: Body, data: RowContext) -> None:
    """The earlier years: results, notes, notices, publications, then headed notes."""
    assert data.history is not None  # drawn only in the whole document's first row
    headed: list = []
    for y in data.history.years:
        year = y.period.year
        loose, later = _split(y.notes)
        headed += later
        for r in y.purchasing:
            if r.year != year:
                continue
            if loose or y.notices.get("교육"):
                b.area(f"{year}년 주요 추진 실적")
                b.item(ln.grade_line(r))
            else:
                b.area(ln.grade_line(r))
            for n in y.notices.get("교육", []):  # '전 부서를 대상으로 … 교육 실시(2019. 4.)'
                who = f"{f.josa(n.audience, '을/를')} 대상으로 " if n.audience else ""
                b.item(f"{who}{n.title}({year}. {n.notice_on.month}.)")
            b.notes(loose, "purchasing", "추진 실적")
        for channel, rows in y.notices.items():
            if channel != "교육":
                _notices(b, channel, rows, f"{year}년 ")
    for y in data.history.years:
        for x in y.publications:
            _publication(b, x, data.settings.city, False)
    b.notes(headed, "purchasing", "추진 실적")


def _purchasing(b: Body, data: RowContext, notes: list) -> None:
    fig, p = data.figures, data.period
    b.head("사회적경제기업 제품 우선 구매")
    year = f"{p.year}년 " if data.history is not None else ""
    if data.history is not None:
        _past_purchasing(b, data)
        ln.videos_block(b, data, year)  # the count follows the channel's earlier lines
    for r in fig.purchasing:
        if r.year != p.end.year or not p.contains(r.as_of):
            continue
        b.area(f"사회적경제우선구매율 지표 '{r.grade}' 등급" if r.grade else "사회적경제 우선구매")
        month_end = (r.as_of + dt.timedelta(days=1)).day == 1
        when = f"{r.as_of.month}월말" if month_end else f.report_date(r.as_of, weekday=False)
        if r.evaluation:
            b.item(f"{r.evaluation} {when} 기준 {r.grade or ''} 등급 달성".replace("  ", " "))
        rate = f"({f.percent(r.rate, 2)})" if r.rate is not None else ""
        b.mark("☞", f"{when} 기준 구매액 {f.eok_won(r.amount)}{rate}")
        if r.printed_note:
            b.printed(r.printed_note, 1)
        elif r.target_amount:
            t_rate = f"({f.percent(r.target_rate, 2)})" if r.target_rate is not None else ""
            b.mark("※", f"연말까지 우선구매 목표액 {f.eok_won(r.target_amount)}{t_rate}", 2)
    ln.purchase_course(b, fig)
    for channel, rows in fig.promotion_notices.items():
        _notices(b, channel, rows, year)
    for x in fig.publications:
        _publication(b, x, data.settings.city, True)
    if data.history is None and ln.videos_block(b, data, year):
        return  # the period's notes went under the channel's heading
    b.notes(notes, "purchasing", "추진 실적")


def results_body(data: RowContext) -> Body:
    """추진 실적 of one row: generated lines for every area, then each area's notes."""
    b, fig = Body(), data.figures
    notes = fig.notes
    b.head("사회적경제기업 지원시스템 구축")
    ln._academy(b, fig, notes)
    ln._consulting(b, fig, notes)
    _startup(b, data, notes)
    _sales(b, data, notes)
    _finance(b, data, notes)
    _space(b, data, notes)
    _social(b, data, notes)
    ln._events(b, fig, notes)
    for area in ("organization", "governance"):
        b.notes(notes, area, "추진 실적")
    _purchasing(b, data, notes)
    return b
