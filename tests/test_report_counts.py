"""A count nobody recorded (stored as the default 0) is left out of the report, never '0명'."""

from __future__ import annotations

import datetime as dt
import re

from db import models as m
from db import service
from db.periods import Period
from exports import api
from tests.export_fixtures import open_demo, pdf_text

ZERO = re.compile(r"(?<![\d,.])0(명|시간|회)")  # '0명' but not '10명' or '1,0…'


def test_demo_first_half_prints_no_unknown_zero(tmp_path):
    database = open_demo(tmp_path)
    try:
        text = pdf_text(api.export_report(database, Period.parse("2021H1"), tmp_path / "r.pdf"))
    finally:
        database.close()
    # seed: "☞ 사회적경제 기초과정 온라인 7차(6.14~ 25.) 10시간 교육" in the 창업지원 block (the
    # seed's form replaces the old '- 기초과정 : 1회 10시간'); no attendee count was written down
    assert "☞사회적경제기초과정온라인7차" in text and "10시간교육" in text
    assert not ZERO.search(text), ZERO.search(text)
    # seed: "2021년 6월까지 총 10개" videos with no titles listed: no empty title table
    assert "게시영상물(10개)" in text and "콘텐츠제목" not in text


def test_zero_counts_are_left_out_of_every_line(db, tmp_path):
    day = dt.date(2021, 8, 2)
    service.save(db, m.Education(course="찾아가는 아카데미", title="사회적경제 이해",
                                 host="자치공동체지원센터", audience="주민", start_date=day))
    service.save(db, m.Education(course="공공구매 담당자 교육", title="공공구매 담당자 교육",
                                 start_date=day, hours=2))
    service.save(db, m.Consulting(kind="기초", held_on=day, sessions=0))
    text = pdf_text(api.export_report(db, Period.parse("2021H2"), tmp_path / "r.pdf"))
    assert "대상:주민" in text and "참석인원" not in text
    assert "기초컨설팅" in text
    assert not ZERO.search(text), ZERO.search(text)


def test_participation_kinds_without_records_are_blank(db, tmp_path):
    from pypdf import PdfReader

    service.save(db, m.Participation(kind="언론/방송 보도", held_on=dt.date(2021, 9, 1),
                                     title="보도"))
    out = api.export_report(db, Period.parse("2021H2"), tmp_path / "r.pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    block = text.split("시민참여(소통) 실적")[1].split("연도별 투자계획")[0]
    # seed: only the 언론/방송 보도 cell holds a figure (1); the other kinds are left empty
    assert re.findall(r"(?<![\d.,'])\d+(?![\d.,])", block.split("기타", 1)[1]) == ["1"]
