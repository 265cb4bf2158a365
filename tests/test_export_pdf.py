"""PDFs on the demo data: roster rows read back exactly, only the bundled fonts, sane pages."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from db import formats as f
from db.periods import Period
from db.queries import roster
from exports import api
from tests.export_fixtures import assert_only_bundled_fonts, pdf_text, squash

YEAR_END = dt.date(2021, 12, 31)


@pytest.fixture(scope="module")
def roster_pdf(demo_files):
    database, folder = demo_files
    return api.export_roster(database, YEAR_END, folder / "입주공간.pdf")


@pytest.fixture(scope="module")
def report_pdf(demo_files):
    database, folder = demo_files
    return api.export_report(database, Period.parse("2021H2"), folder / "보고서.pdf")


def test_roster_rows_of_the_seed_read_back_exactly(roster_pdf):
    text = pdf_text(roster_pdf)
    # seed, 지원 공간 현황 ① (코레일) and ② (LH), as of the end of 2021
    for expected in (
        "백마역 1번출구 (138.62㎡)", "다시시작 (사회적협동조합) ※임차: 국립암센터",
        "2019.8.15.~ 2021.8.14.(2년) 1년 재계약",
        "1년차 : 5,665천원 2년차 : 5,732천원 3년차 : 5,399천원",
        "웍스994", "2021.8.15.~12.25.", "1년차 : 5,665천원 2년차 : 5,661천원 3년차 : 2,072천원",
        "행신역 1층 (128.67㎡)", "나루코(주) (사회적기업)", "1년차 : 8,492천원",
        "원흥역 맞이방 (41㎡)", "인성소통협회", "3년차 : 3,868천원",
        "반납", "능곡역 2층 (45㎡)", "커뮤니티 공간", "2년차 : 4,122천원 공간 반납",
        "행신2지구 4단지(154㎡)", "2018. 12.", "참다숨교육", "'19.4.25.~'21.4.24.(2년)",
        "'19.7.", "향동1단지(94㎡)", "'20.2.5.~'22.2.4.(2년)",
        "지축1단지(180㎡)", "(주)에스엔소프트", "'21.12.1.~'23.11.30.(2년)", "'21.12.",
        "삼송A12블록(102㎡)", "선정 예정", "'22.3. 예정", "덕은A1블록(95㎡)", "'22.4. 예정",
    ):
        assert squash(expected) in text, expected


def test_every_roster_row_of_the_query_is_printed(demo_files, roster_pdf):
    database, _ = demo_files
    text = pdf_text(roster_pdf)
    with database.session() as s:
        tables = roster(s, YEAR_END)
    assert tables
    for t in tables:
        for r in t.rows:
            assert squash(r.site) in text
            if r.tenant:
                assert squash(r.tenant) in text
            for year, amount in r.rents:
                assert squash(f"{year}년차 : {f.thousand_won(amount)}천원") in text
            if r.terms:  # Korail rows print 2019.8.15., LH rows '19.4.25.
                start = r.terms[0].start
                assert squash(f.dotted(start)) in text or squash(f.yy_date(start)) in text


def test_roster_page_furniture(roster_pdf):
    reader = PdfReader(str(roster_pdf))
    pages = len(reader.pages)
    assert 1 <= pages <= 4
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    text = squash(first.extract_text())
    assert "입주공간현황" in text and "기준일:2021.12.31." in text
    assert "기준일:2021.12.31.기준" not in text  # not '기준일: … 기준'
    # the LH table fits on a page: it starts on one rather than leave rows behind
    assert pages == 1 or "LH입주단지" not in text
    assert f"1/{pages}" in text and "출력일" in text
    assert_only_bundled_fonts(roster_pdf)


def test_roster_header_repeats_on_every_page(tmp_path):
    """A roster long enough for several pages shows the column header on each page."""
    from exports.pdf_docs import roster_pdf
    from exports.table_model import Cell, ReportTable, head, spread

    body = [spread(Cell(str(i)), Cell(f"장소 {i}"), Cell("사무실"), Cell(f"기업 {i}"),
                   Cell("2019.8.15.~"), Cell("1년차 : 1천원")) for i in range(120)]
    table = ReportTable("① 긴 명단", "긴 명단", [spread(*[head(h) for h in (
        "연번", "장소(면적)", "용도", "입주기업", "입주기간", "임대료(연납)")])], body,
        [6, 20, 10, 24, 22, 24], landscape=True)
    out = tmp_path / "long.pdf"
    pages = roster_pdf(out, "긴 명단", YEAR_END, [table])
    reader = PdfReader(str(out))
    assert pages == len(reader.pages) >= 3
    for page in reader.pages:
        assert "임대료(연납)" in squash(page.extract_text())


def test_report_has_the_seed_sections(report_pdf):
    text = pdf_text(report_pdf)
    for expected in (
        "구 분", "추진실적 및 추진계획", "하반기 추진 실적", "(2021. 7.~12. 실적)",
        "■ 사회적경제기업 지원시스템 구축", "○ 사회적경제 아카데미", "○ 사회적경제 컨설팅",
        "메가쇼 2021 시즌 2", "고양해피케어", "■ 사회적경제기업 제품 우선 구매",
        "추진 계획", "□ 시민참여(소통) 실적", "□ 연도별 투자계획(사업비)",
        "□ 연도별 확보(집행)액", "□ 문제점 및 개선대책",
    ):
        assert squash(expected) in text, expected
    reader = PdfReader(str(report_pdf))
    assert 3 <= len(reader.pages) <= 30
    assert_only_bundled_fonts(report_pdf)


def test_report_header_row_repeats_on_continued_pages(report_pdf):
    reader = PdfReader(str(report_pdf))
    continued = [squash(p.extract_text()) for p in reader.pages[1:]]
    assert any("추진실적및추진계획" in t for t in continued)


def test_yearly_tables_pdf(demo_files):
    database, folder = demo_files
    out = api.export_tables(database, Period.parse("2018"), Period.parse("2021H1"),
                            folder / "연도별.pdf")
    text = pdf_text(out)
    # seed: 매출액 71,922천원 … 25,665천원; 선정 9개팀; 2021년 6월 column
    for expected in ("71,922천원※", "25,665천원", "9개팀※", "2021년 6월", "사회보험료"):
        assert squash(expected) in text, expected
    assert 1 <= len(PdfReader(str(out)).pages) <= 10
    assert_only_bundled_fonts(out)
