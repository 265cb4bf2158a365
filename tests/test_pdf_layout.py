"""PDF layout on the demo data: words never broken inside a cell, full pages, 10-11 pt text."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from db.periods import Period
from exports import api, pdf, pdf_grid
from exports.fonts import measure_for
from exports.pdf_grid import GridLayout, GridTable
from exports.pdf_sections import SectionTable
from exports.report import collect, sections, story
from exports.table_model import (
    Cell,
    ReportTable,
    cell_text,
    content_extents,
    fit_widths,
    head,
    spread,
    wrap_text,
)

PERIODS = ("2021H1", "2021H2", "2021H1:2021H2")


def test_wrap_text_breaks_only_between_words():
    m = measure_for(10)
    assert wrap_text("커뮤니티 공간", m("커뮤니티") + 1, m) == ["커뮤니티", "공간"]
    assert wrap_text("반납", m("반납") + 0.1, m) == ["반납"]
    # a parenthesised group stays whole when a line can hold it
    header = "일자리창출 지원 (매월 25일 지급)"
    lines = wrap_text(header, m("(매월 25일 지급)") + 1, m)
    assert lines[-1] == "(매월 25일 지급)"
    # only a word wider than the whole line is cut
    assert wrap_text("고양아트마켓공예작가협동조합", m("고양아트마켓") + 1, m)[0] == "고양아트마켓"
    rng = random.Random(8)
    words = ["사회적경제", "기업", "(주)마을숲", "2,544.5", "(1,448.8)", "입주", "예정", "커뮤니티"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
        room = rng.uniform(m("사회적경제") + 1, 300)
        out = wrap_text(text, room, m)
        assert " ".join(out).split() == text.split()  # every line ends between words
        assert all(m(line) <= room + 0.01 for line in out)


def test_widths_from_content_keep_every_word_whole_when_possible():
    mins, maxs = [30.0, 60.0, 20.0], [90.0, 200.0, 20.0]
    w = fit_widths(mins, maxs, [1, 1, 1], 200)
    assert sum(w) == pytest.approx(200)
    assert all(a >= b - 1e-9 for a, b in zip(w, mins, strict=True))
    assert w[2] == pytest.approx(20)  # a column that lacks nothing is not widened first
    # everything fits on one line: spare room by the hints
    w = fit_widths([10, 10], [40, 40], [1, 3], 180)
    assert w == pytest.approx([40 + 25, 40 + 75])


def _grids_and_paragraphs(flowables):
    for f in flowables:
        if isinstance(f, SectionTable):
            for item in f.items:
                yield from _grids_and_paragraphs([item.flowable])
        elif isinstance(f, GridTable | Paragraph):
            yield f


def _assert_whole_words(layout: GridLayout, table: ReportTable) -> int:
    checked = 0
    for row, laid in zip(table.rows, layout.rows, strict=True):
        cells = [c for c in row if c is not None]
        for cell, out in zip(cells, laid, strict=True):
            lines = [t for t, _w in out.lines]
            text = cell_text(cell)
            assert " ".join(lines).split() == text.split(), (text, lines)
            checked += 1
    return checked


@pytest.mark.parametrize("period", PERIODS)
def _collect(demo, period: str):
    """One half-year, or the whole document 'first:last'."""
    with demo.session() as s:
        if ":" in period:
            first, last = period.split(":")
            return collect(s, Period.parse(first), Period.parse(last))
        return collect(s, Period.parse(period))


@pytest.fixture(scope="module")
def report(demo):
    """`_collect` of a period on the demo, once per module: the tests only read what it gives
    (each builds its own flowables from it). Six tests collected the same three periods."""
    made: dict[str, object] = {}

    def get(period: str):
        if period not in made:
            made[period] = _collect(demo, period)
        return made[period]

    return get


@pytest.fixture(scope="module")
def report_pdf(demo_files):
    """The report of a period exported by api.export_report beside the demo, once per module
    (the page-fill and heading tests read the same whole-document PDF)."""
    database, folder = demo_files
    made: dict[str, object] = {}

    def get(period: str):
        if period not in made:
            first, _sep, last = period.partition(":")
            out = folder / f"fill{first}{last}.pdf"
            if last:
                api.export_report(database, Period.parse(first), out, last=Period.parse(last))
            else:
                api.export_report(database, Period.parse(first), out)
            made[period] = out
        return made[period]

    return get


@pytest.mark.parametrize("period", PERIODS)
def test_no_cell_or_line_of_the_report_breaks_inside_a_word(report, period):
    data = report(period)
    cells = lines = 0
    width = pdf.content_width(False)
    for f in _grids_and_paragraphs(story(data)):
        if isinstance(f, GridTable):
            # every table of the report, as laid out for its column
            cells += len([c for r in f.layout.rows for c in r])
            for laid_row in f.layout.wrapped_lines():
                for cell_lines in laid_row:
                    for line in cell_lines:
                        assert line == line.strip()
            continue
        f.wrap(width - 60 * mm, 10_000)
        words = [w for _width, ws in f.blPara.lines for w in ws] \
            if f.blPara.kind == 0 else None
        if words is not None:
            assert words == f.text.replace("&amp;", "&").replace("&lt;", "<").replace(
                "&gt;", ">").replace("<br/>", " ").split(), f.text
            lines += len(f.blPara.lines)
    assert cells > 100 and lines > 50
    # and cell by cell against the table layer's text
    for _label, body in sections(data):
        for kind, value, _level, _bold in body.items:
            if kind == "table":
                layout = GridLayout(value, width - 60 * mm, pdf.TABLE_SIZE)
                _assert_whole_words(layout, value)


def test_the_seeds_broken_words_stay_whole(report):
    """커뮤니/티 공간, 반/납, 연/번, (매/월 25일 지급), 2,544.5/(1,448.8), 대/창."""
    data = report("2021H2")
    seen = set()
    for f in _grids_and_paragraphs(story(data)):
        if not isinstance(f, GridTable):
            continue
        for laid_row in f.layout.wrapped_lines():
            for cell_lines in laid_row:
                for line in cell_lines:
                    for word in ("커뮤니티", "반납", "연번", "(매월 25일 지급)",
                                 "2,544.5 (1,448.8)"):
                        if word in line:
                            seen.add(word)
    assert {"커뮤니티", "반납", "연번", "(매월 25일 지급)", "2,544.5 (1,448.8)"} <= seen


def _page_fills(path) -> list[tuple[float, str]]:
    """(how far down the frame the last text of each page reaches, first text)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    fills = []
    for page in out.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        top, bottom = 12 * mm, height - 14 * mm
        words = [(float(y0), float(y1), w) for y0, y1, w in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)]
        body = [w for w in words if w[1] <= bottom + 1]
        fills.append(((max(w[1] for w in body) - top) / (bottom - top), min(body)[2]))
    return fills


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
@pytest.mark.parametrize("period", PERIODS)
def test_every_page_but_a_sections_last_is_at_least_80_percent_full(report_pdf, period):
    fills = _page_fills(report_pdf(period))
    for i, (fill, _first) in enumerate(fills[:-1]):
        starts_section = fills[i + 1][1].startswith("□")
        assert starts_section or fill >= 0.8, (i + 1, fill, fills)


def test_report_text_is_10_to_11_points(report):
    flowables = list(_grids_and_paragraphs(story(report("2021H1:2021H2"))))
    sizes = [f.style.fontSize for f in flowables if isinstance(f, Paragraph)]
    body = sorted(sizes)[len(sizes) // 2]
    assert 10 <= body <= 11
    grids = [f.layout.size for f in flowables if isinstance(f, GridTable)]
    assert sorted(grids)[len(grids) // 2] >= 10  # most tables at full size


def _tall_table(rows: int, lines_per_row: int) -> ReportTable:
    text = " ".join(f"항목{i}" for i in range(lines_per_row * 20))
    body = [spread(Cell(str(i), "head"), Cell(text)) for i in range(rows)]
    return ReportTable("긴 표", "긴 표", [spread(head("연번"), head("내용"))], body,
                       [8.0, 60.0])


def test_a_long_row_continues_on_the_next_page(tmp_path):
    width = pdf.content_width(False)
    filler = [pdf.para(f"- 앞선 줄 {i}") for i in range(30)]
    out = tmp_path / "long.pdf"
    pages = pdf.build_pdf(out, [*filler, *pdf.table_flowables(_tall_table(2, 40), width)],
                          title="긴 표")
    assert pages >= 2
    fills = _page_fills(out)
    assert fills[0][0] >= 0.9, fills  # the row started below the filler, not on page 2


def test_long_tables_are_wrapped_once(tmp_path, monkeypatch):
    calls = []
    real = pdf_grid.wrap_text

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(pdf_grid, "wrap_text", counting)
    body = [spread(Cell(i, "int"), Cell(f"기업 {i}"), Cell(i * 1000, "thousand", "천원"))
            for i in range(3000)]
    table = ReportTable("목록", "목록", [spread(head("번호"), head("기업"), head("금액"))],
                        body, [8, 30, 14])
    pages = pdf.build_pdf(tmp_path / "t.pdf", pdf.table_flowables(table, pdf.content_width(False)),
                          title="목록")
    assert pages > 30
    assert len(calls) == 3 * 3001  # each cell once, not again at each of the page breaks


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_no_heading_ends_a_page(report_pdf):
    out = report_pdf("2021H1:2021H2")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        lines = [x.strip() for x in page.splitlines() if x.strip() and "출력일" not in x]
        assert not lines[-1].startswith(("■", "○", "□")), (number, lines[-1])


def _report_lines(data) -> list[list[str]]:
    """The laid-out lines of every cell of every table of the report (as drawn)."""
    out = []
    for f in _grids_and_paragraphs(story(data)):
        if isinstance(f, GridTable):
            out += [lines for row in f.layout.wrapped_lines() for lines in row]
    return out


def test_dates_rents_and_bullets_are_never_split_across_lines(report):
    """'2018. 12.' (LH 협약), '1년차 : 5,665천원', "'22.3. 예정" stay on one line, and no
    line of a cell is a bullet mark alone ('·' over '6월 : 1개소(능곡역)')."""
    cells = _report_lines(report("2021H1:2021H2"))
    lines = [line for c in cells for line in c]
    for whole in ("2018. 12.", "2019. 6.", "2020. 9.", "2020. 12.", "1년차 : 5,665천원",
                  "3년차 : 2,072천원", "2년차 : 4,122천원", "'22.3. 예정", "'22.4. 예정"):
        assert any(whole in line for line in lines), whole
    wrapped = [line for c in cells if len(c) > 1 for line in c]  # a lone '-' cell is a value
    assert not [line for line in wrapped if line.strip() in ("·", "-", "※", "☞")]
    assert not [line for line in lines if re.fullmatch(r"\d+년차 :|\d{4}\.|예정", line.strip())]


def test_year_columns_share_their_room(report):
    """The yearly tables' year columns are equal; a column whose longest word needs more
    keeps just that (2018's 지원 내용), the others share the rest."""
    data = report("2021H1:2021H2")
    width = pdf.content_width(False) - 60 * mm
    for _label, body in sections(data):
        for kind, value, _level, _bold in body.items:
            if kind != "table" or value.header_rows[0][-1] is None \
                    or cell_text(value.header_rows[0][-1]) != "2021년 6월":
                continue
            layout = GridLayout(value, width, pdf.TABLE_SIZE)
            mins, _maxs = content_extents(value, measure_for(layout.size), 2 * pdf_grid.PAD_X
                                          + 0.5, width)
            years = layout.widths[-4:]
            share = sorted(years)[0]
            assert sorted(years)[2] - share < 0.5, (value.title, layout.widths)  # 3 of 4 equal
            for w, floor in zip(years, mins[-4:], strict=True):  # a wider one: its word only
                assert w - share < 0.5 or abs(w - floor) < 0.5, (value.title, layout.widths)
