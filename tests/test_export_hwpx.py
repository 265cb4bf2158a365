"""HWPX exports: python-hwpx's own validation, the OWPML package layout, spans, the text
against the PDF of the same report, hostile text, and the office's own form filled in."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_editor_open_safety
from lxml import etree

import main
from db import formats as f
from db.periods import Period
from db.settings import load_settings
from exports import api
from exports.assemble import pledge_name
from exports.report import collect
from exports.table_model import Cell, ReportTable, cell_text, head, spread
from tests.export_fixtures import pdf_text, squash

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
CONTENT_PARTS = ("mimetype", "version.xml", "Contents/header.xml", "Contents/section0.xml",
                 "Contents/content.hpf", "META-INF/container.xml", "META-INF/manifest.xml")


def check_package(path: Path) -> None:
    """What every HWPX Dure writes must satisfy."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/hwp+zip"
        names = {i.filename for i in infos}
        assert set(CONTENT_PARTS) <= names
        for info in infos:
            if info.filename.endswith((".xml", ".hpf", ".rdf")):
                etree.fromstring(z.read(info.filename))  # raises on a part that does not parse
    # python-hwpx's editor-open check runs its package validation, its document validation
    # (what doc.validate() runs) and a reopen: each is asserted on from its one report
    safety = validate_editor_open_safety(path)
    package = safety.validate_package
    assert not [i for i in package.issues if i.level == "error"], package.issues
    assert safety.ok, safety.summary
    assert safety.validate_document is not None and safety.validate_document.issues == (), \
        safety.validate_document


def section(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("Contents/section0.xml"))


def paragraph_texts(root: etree._Element) -> list[str]:
    """The text of every paragraph (its own runs; a cell's paragraphs count on their own)."""
    out = []
    for p in root.iter(f"{HP}p"):
        out.append("".join(t.text or "" for run in p.findall(f"{HP}run")
                           for t in run.findall(f"{HP}t")))
    return out


def cells(root: etree._Element) -> list[tuple[str, int, int, bool]]:
    """(text, colspan, rowspan, header) of every table cell."""
    out = []
    for tc in root.iter(f"{HP}tc"):
        span = tc.find(f"{HP}cellSpan")
        text = "\n".join(paragraph_texts(tc.find(f"{HP}subList")))
        out.append((text, int(span.get("colSpan")), int(span.get("rowSpan")),
                    tc.get("header") == "1"))
    return out


def export(demo_file: Path, *args: str) -> int:
    return main.main(["export", *args, "--db", str(demo_file), "--quiet"])


@pytest.fixture(scope="module")
def files(demo_files, tmp_path_factory):
    """The roster, the yearly tables and the 2021 하반기 report, as HWPX and as PDF."""
    database, _folder = demo_files
    out = tmp_path_factory.mktemp("hwpx")
    db = str(database.path)
    for suffix in (".hwpx", ".pdf"):
        assert export(Path(db), "roster", "--as-of", "2021-12-31",
                      "--out", str(out / f"roster{suffix}")) == 0
        assert export(Path(db), "tables", "--from", "2018", "--to", "2021H1",
                      "--out", str(out / f"tables{suffix}")) == 0
        assert export(Path(db), "report", "--period", "2021H2",
                      "--out", str(out / f"report{suffix}")) == 0
    assert export(Path(db), "report", "--from", "2021H1", "--to", "2021H2",
                  "--out", str(out / "whole.hwpx")) == 0
    return out


@pytest.mark.parametrize("name", ["roster", "tables", "report", "whole"])
def test_every_file_validates_and_is_laid_out_as_owpml(files, name):
    check_package(files / f"{name}.hwpx")


def test_whole_document_has_a_row_per_half_year(files):
    labels = [c[0] for c in cells(section(files / "whole.hwpx"))
              if c[0].startswith(("상반기 추진 실적", "하반기 추진 실적"))]
    assert labels[:2] == ["상반기 추진 실적\n(2021. 1.~6. 실적)",
                          "하반기 추진 실적\n(2021. 7.~12. 실적)"]


def test_page_setup_a4_landscape_roster_and_portrait_report(files):
    for name, landscape in (("roster", True), ("report", False)):
        page = section(files / f"{name}.hwpx").find(f".//{HP}pagePr")
        width, height = int(page.get("width")), int(page.get("height"))
        assert (round(width / 7200 * 25.4), round(height / 7200 * 25.4)) == (210, 297)  # A4
        assert page.get("landscape") == ("NARROWLY" if landscape else "WIDELY")
        margin = page.find(f"{HP}margin")
        mm = {k: round(int(margin.get(k)) / 7200 * 25.4) for k in
              ("left", "right", "top", "bottom", "header", "footer")}
        # 공문서: body 30 mm from the top, 15 mm from the bottom, 20 mm left, 15 mm right
        assert mm["top"] + mm["header"] == 30 and mm["bottom"] + mm["footer"] == 15
        assert (mm["left"], mm["right"]) == (20, 15)


def test_footer_has_page_numbers_and_fonts_are_korean_office_faces(files):
    root = section(files / "report.hwpx")
    footer = root.find(f".//{HP}footer")
    nums = [a.get("numType") for a in footer.iter(f"{HP}autoNum")]
    assert nums == ["PAGE", "TOTAL_PAGE"]
    with zipfile.ZipFile(files / "report.hwpx") as z:
        header = etree.fromstring(z.read("Contents/header.xml"))
    faces = {f.get("face") for f in header.iter("{*}font")}
    assert {"함초롬바탕", "함초롬돋움"} <= faces


def test_merged_cells_are_cell_spans_and_header_rows_repeat(demo, files):
    from exports import assemble

    with demo.session() as s:
        tables = assemble.yearly_tables(s, Period.parse("2018"), Period.parse("2021H1"))
    expected = Counter()
    for t in tables:
        for r, row in enumerate(t.rows):
            for c in row:
                if c is not None and (c.colspan > 1 or c.rowspan > 1):
                    expected[(cell_text(c), c.colspan, c.rowspan, r < len(t.header_rows))] += 1
    assert any(k[1] > 1 for k in expected) and any(k[2] > 1 for k in expected)  # across, down
    root = section(files / "tables.hwpx")
    found = Counter(c for c in cells(root) if c[1] > 1 or c[2] > 1)
    assert found == expected
    tbls = list(root.iter(f"{HP}tbl"))
    assert len(tbls) == len(tables)
    for tbl, t in zip(tbls, tables, strict=True):
        assert tbl.get("repeatHeader") == "1"
        rows = tbl.findall(f"{HP}tr")
        assert [all(tc.get("header") == "1" for tc in tr.findall(f"{HP}tc")) for tr in rows] \
            == [i < len(t.header_rows) for i in range(len(rows))]
        assert tbl.find(f"{HP}pos").get("treatAsChar") == "0"  # flows over pages


def test_numbers_right_aligned_with_thousands_separators(files):
    with zipfile.ZipFile(files / "tables.hwpx") as z:
        header = etree.fromstring(z.read("Contents/header.xml"))
    align = {p.get("id"): p.find("{*}align").get("horizontal") for p in header.iter("{*}paraPr")}
    root = section(files / "tables.hwpx")
    money = [p for p in root.iter(f"{HP}p")
             if re.fullmatch(r"[\d,]+천원※?", "".join(p.itertext()))]
    assert any("," in "".join(p.itertext()) for p in money)  # 71,922천원
    assert money and {align[p.get("paraPrIDRef")] for p in money} == {"RIGHT"}


MARKS = "■○☞※"


def test_report_text_holds_the_pdfs_items_figures_and_dates(demo, files):
    """Item by item: every line and sub-table cell of the report layer is in both files, and
    every figure and date of the HWPX text is in the PDF's."""
    from exports import report_lines as lines
    from exports.report import sections

    with demo.session() as s:
        data = collect(s, Period.parse("2021H2"))
    items: list[str] = []
    for body in [b for _label, b in sections(data)] + [lines.problems_body(data.problems)]:
        for kind, value, _level, _bold in body.items:
            if kind == "text":
                items.append(value)
            else:
                items += [line for row in value.rows for c in row if c is not None
                          for line in cell_text(c).split("\n")]  # a cell's lines wrap apart
    items = [squash(i) for i in items if squash(i)]
    assert len(items) > 100
    hwpx_texts = paragraph_texts(section(files / "report.hwpx"))
    hwpx_all = squash("".join(hwpx_texts))
    pdf_all = pdf_text(files / "report.pdf")
    missing_hwpx = [i for i in items if i not in hwpx_all]
    missing_pdf = [i for i in items if i not in pdf_all]
    assert missing_hwpx == [] and missing_pdf == []
    tokens = re.compile(r"\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.)?|\d{1,3}(?:,\d{3})+")
    figures = {squash(m) for t in hwpx_texts for m in tokens.findall(t)}
    assert len(figures) > 30
    assert sorted(f for f in figures if f not in pdf_all) == []
    for mark in MARKS:  # the same number of ■ ○ ☞ ※ lines
        assert hwpx_all.count(mark) == pdf_all.count(mark), mark


@pytest.mark.parametrize("name", ["roster", "tables"])
def test_roster_and_tables_text_holds_the_pdfs_cells(demo, files, name):
    """Cell by cell: every line of every cell of the layer's tables is in the HWPX's text and
    in the PDF's, and every figure and date of the HWPX is in the PDF (as for the report)."""
    from exports import assemble

    with demo.session() as s:
        if name == "roster":
            _title, tables = assemble.roster_report(s, dt.date(2021, 12, 31))
        else:
            tables = assemble.yearly_tables(s, Period.parse("2018"), Period.parse("2021H1"))
    items = [squash(line) for t in tables for row in t.rows for c in row if c is not None
             for line in cell_text(c).split("\n")]
    items = [i for i in items if i]
    assert len(items) > 50
    hwpx_texts = paragraph_texts(section(files / f"{name}.hwpx"))
    hwpx_all, pdf_all = squash("".join(hwpx_texts)), pdf_text(files / f"{name}.pdf")
    assert [i for i in items if i not in hwpx_all] == []
    assert [i for i in items if i not in pdf_all] == []
    tokens = re.compile(r"\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.)?|\d{1,3}(?:,\d{3})+")
    figures = {squash(m) for t in hwpx_texts for m in tokens.findall(t)}
    assert len(figures) > 10
    assert sorted(x for x in figures if x not in pdf_all) == []


HOSTILE = ["<hp:t>가</hp:t>", "R&D & 협동조합", "]]> <![CDATA[x]]>", "a\x00b\x07c\x1fd\ufffe",
           "<b>회사", "&amp; &lt;", "가" * 40_000]


def test_hostile_strings_round_trip_as_text(tmp_path):
    from exports.owpml import HwpxWriter, text_of

    w = HwpxWriter()
    for text in HOSTILE:
        w.paragraph(text)
    w.table(ReportTable("표 <제목> & ]]>", "s", [spread(head("구분 <hp:p>"), head("값 & 합"))],
                        [[Cell(t), Cell(1_234_567, "int")] for t in HOSTILE], [10, 10]))
    out = tmp_path / "h.hwpx"
    w.save(out)
    check_package(out)
    texts = paragraph_texts(section(out))
    for text in HOSTILE:
        assert texts.count(text_of(text)) == 2, text[:20]  # as a paragraph and as a cell
    assert "abcd" in texts and "1,234,567" in texts
    assert len(list(section(out).iter(f"{HP}tbl"))) == 1  # the markup-looking text made none
    assert HwpxDocument.open(out).text.plain().count("가" * 40_000) == 2


def test_wrong_suffix_and_failed_export_leave_no_file(demo, tmp_path):
    with pytest.raises(Exception, match="확장자"):
        api.export_roster(demo, Period.parse("2021-12-31").end, tmp_path / "r.hwp")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_hwpx_export_leaves_the_old_file_and_no_temporary(demo, tmp_path,
                                                                  monkeypatch):
    """Written under a temporary name and moved into place complete: a failure while writing
    the package or a full disk at the move leaves the file that was there, and no temporary."""
    import errno
    import os

    from db.errors import DureError
    from exports.owpml import HwpxWriter

    out = tmp_path / "보고서.hwpx"
    out.write_bytes(b"old")
    runs = [lambda: api.export_report(demo, Period.parse("2021H2"), out),
            lambda: api.export_roster(demo, dt.date(2021, 12, 31), out),
            lambda: api.export_tables(demo, Period.parse("2021"), Period.parse("2021"), out)]

    def broken(_self):
        raise RuntimeError("쓰는 도중 실패")

    with monkeypatch.context() as m:
        m.setattr(HwpxWriter, "to_bytes", broken)
        for run in runs:
            with pytest.raises(RuntimeError):
                run()
            assert sorted(p.name for p in tmp_path.iterdir()) == ["보고서.hwpx"]
            assert out.read_bytes() == b"old"

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    for run in runs:
        with pytest.raises(DureError, match="디스크 공간이 부족"):
            run()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["보고서.hwpx"]
        assert out.read_bytes() == b"old"


def test_export_dialog_offers_hwpx_and_writes_it(qtbot, demo, tmp_path):
    from gui.export_dialog import ExportDialog

    d = ExportDialog(demo, "report", today=dt.date(2021, 12, 31))
    d.ask_after = False
    qtbot.addWidget(d)
    assert [d.format.itemData(i) for i in range(d.format.count())] == [".pdf", ".hwpx"]
    d.out.setText(str(tmp_path / "공약이행실적_2021H2.pdf"))
    d.format.setCurrentIndex(d.format.findData(".hwpx"))
    out = tmp_path / "공약이행실적_2021H2.hwpx"
    assert Path(d.out.text()) == out
    d.out.setText(str(tmp_path / "다른이름.pdf"))  # a typed extension moves the choice back
    assert d.format.currentData() == ".pdf"
    d.out.setText(str(out))
    assert d.format.currentData() == ".hwpx" and d.go.isEnabled()
    with qtbot.waitSignal(d.exported, timeout=30_000):
        d.go.click()
    qtbot.waitUntil(lambda: d.job is None, timeout=5000)
    check_package(out)
    assert "하반기 추진 실적" in "".join(paragraph_texts(section(out)))


def make_form(path: Path) -> Path:
    """An office form made with python-hwpx: a labelled cell, a {{…}} paragraph, two inline
    places, one place Dure does not know, and text that must stay."""
    doc = HwpxDocument.new()
    doc.paragraphs[0].text = "{{공약명}} 추진 상황 (양식 제3호)"
    doc.add_paragraph("기준일: {{기준일}}")
    t = doc.add_table(3, 3)
    for r, row in enumerate([("구 분", "추진실적 및 추진계획", "비고"),
                             ("하반기 추진 실적\n(7.~12.)", "", "※ 부서 확인"),
                             ("담당", "사회적경제과 주무관", "")]):
        for c, text in enumerate(row):
            t.set_cell_text(r, c, text)
    doc.add_paragraph("□ 문제점 및 개선대책")
    doc.add_paragraph("{{문제점 및 개선대책}}")
    doc.add_paragraph("{{결재란}}")
    doc.add_paragraph("끝.")
    doc.save_to_path(str(path))
    return path


def test_office_form_is_filled_and_the_rest_stays_byte_for_byte(demo_files, tmp_path, capsys):
    database, _folder = demo_files
    form = make_form(tmp_path / "양식.hwpx")
    out = tmp_path / "채운보고서.hwpx"
    assert export(database.path, "report", "--period", "2021H2", "--template", str(form),
                  "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert "채운 곳: 하반기 추진 실적, 문제점 및 개선대책, 기준일, 공약명." in said
    assert "채우지 못한 곳: 추진 계획, 시민참여(소통) 실적" in said
    assert "{{결재란}}" in said
    check_package(out)
    with zipfile.ZipFile(form) as a, zipfile.ZipFile(out) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for x, y in zip(a.infolist(), b.infolist(), strict=True):
            assert x.compress_type == y.compress_type
            if x.filename != "Contents/section0.xml":
                assert a.read(x.filename) == b.read(y.filename), x.filename
        old, new = a.read("Contents/section0.xml"), b.read("Contents/section0.xml")
    # The places in the form's own bytes: the cell right of the label, the {{…}} paragraph.
    label = old.index("하반기 추진 실적".encode())
    cell = old.index(b"<hp:subList", old.index(b"<hp:tc", label))
    cell_start, cell_end = old.index(b">", cell) + 1, old.index(b"</hp:subList>", cell)
    mark = old.index("{{문제점 및 개선대책}}".encode())
    block_start, block_end = old.rindex(b"<hp:p ", 0, mark), old.index(b"</hp:p>", mark) + 7
    with database.session() as s:
        pledge = pledge_name(load_settings(s))
        day = f.report_date(collect(s, Period.parse("2021H2")).as_of, weekday=False)
    inline = old[:cell_start].replace("{{기준일}}".encode(), day.encode())
    inline = inline.replace("{{공약명}}".encode(), pledge.encode())
    assert new.startswith(inline)
    assert new.endswith(old[block_end:]) and old[cell_end:block_start] in new
    assert b"{{" + "결재란".encode() + b"}}" in new  # unknown place left as it was
    texts = paragraph_texts(section(out))
    assert "끝." in texts and "사회적경제과 주무관" in texts and "※ 부서 확인" in texts
    filled = "".join(texts)
    assert "■ 사회적경제기업 지원시스템 구축" in filled and "{{문제점" not in filled
    tbl = next(section(out).iter(f"{HP}tbl"))
    assert len(list(tbl.iter(f"{HP}tbl"))) > 1  # sub-tables went into the cell


def test_hostile_settings_in_a_forms_inline_places_stay_text(demo, tmp_path):
    """{{공약명}} and {{기관명}} are spliced into the form's own bytes: what the settings hold
    arrives there as text too (escaped, control characters out), never as markup."""
    from dataclasses import replace

    from exports.owpml import text_of
    from exports.owpml_form import fill_form

    form = make_form(tmp_path / "양식.hwpx")
    with demo.session() as s:
        data = collect(s, Period.parse("2021H2"))
    for hostile in HOSTILE:
        settings = replace(data.settings, pledge=hostile)
        out = tmp_path / "채움.hwpx"
        out.write_bytes(fill_form(form, replace(data, settings=settings)).payload)
        check_package(out)
        first = paragraph_texts(section(out))[0]
        assert first == f"{text_of(hostile)} 추진 상황 (양식 제3호)", hostile[:20]


def test_a_form_without_places_or_not_hwpx_is_refused_in_korean(demo, tmp_path):
    plain = tmp_path / "빈양식.hwpx"
    doc = HwpxDocument.new()
    doc.add_paragraph("아무 자리도 없는 문서")
    doc.save_to_path(str(plain))
    with pytest.raises(Exception, match="채울 곳을 찾지 못했습니다"):
        api.export_report(demo, Period.parse("2021H2"), tmp_path / "a.hwpx", template=plain)
    (tmp_path / "가짜.hwpx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(Exception, match="HWPX"):
        api.export_report(demo, Period.parse("2021H2"), tmp_path / "b.hwpx",
                          template=tmp_path / "가짜.hwpx")
    with pytest.raises(Exception, match="양식 파일"):
        api.export_report(demo, Period.parse("2021H2"), tmp_path / "c.hwpx",
                          template=tmp_path / "없는양식.hwpx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["가짜.hwpx", "빈양식.hwpx"]


def test_template_setting_fills_the_form_from_the_export_dialog(qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    from gui.export_dialog import ExportDialog
    from gui.settings_dialog import SettingsDialog
    from tests.export_fixtures import open_demo

    database = open_demo(tmp_path)
    form = make_form(tmp_path / "우리양식.hwpx")
    settings = SettingsDialog(database)
    qtbot.addWidget(settings)
    ok = settings.buttons.button(QDialogButtonBox.StandardButton.Ok)
    settings.report_template.setText(str(tmp_path / "없는양식.hwpx"))
    assert "없습니다" in settings.problems.text() and not ok.isEnabled()
    settings.report_template.setText(str(form))
    assert ok.isEnabled()
    settings.accept()
    with database.session() as s:
        assert load_settings(s).report_template == str(form)
    d = ExportDialog(database, "report", today=dt.date(2021, 12, 31))
    d.ask_after = False
    qtbot.addWidget(d)
    out = tmp_path / "보고서.hwpx"
    d.out.setText(str(out))
    with qtbot.waitSignal(d.exported, timeout=30_000):
        d.go.click()
    qtbot.waitUntil(lambda: d.job is None, timeout=5000)
    assert "양식 '우리양식.hwpx'에 채운 곳: 하반기 추진 실적" in d.status.text()
    assert "채우지 못한 곳: 추진 계획" in d.status.text()
    check_package(out)
    assert "사회적경제과 주무관" in paragraph_texts(section(out))
    database.close()
